"""A video's follow-ups from its page: the remix and Extend forms sent, a refused one drawn
again where it was, and the previews beside their prompts (what the engine will do, a still)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from remixer.actions import jobs
from remixer.actions.errors import NotAllowed
from remixer.forms.previews import PreviewForm
from remixer.forms.videos import EXTEND_PREFIX, ExtendForm, RemixForm
from remixer.models import Video
from remixer.models.recipes import RecipeError
from remixer.web.htmx import HtmxHttpRequest
from remixer.web.roles import makers_only
from remixer.web.videos import get_video, render_video_page, video_page_context
from remixer.worker import stills


@require_POST
@makers_only
def video_remix(request: HtmxHttpRequest, video_id: str) -> HttpResponse:
    source = get_video(video_id)
    form = RemixForm(request.POST, source=source)
    if not form.is_valid():
        return remix_refused(request, source, form)
    try:
        remix = jobs.submit_batch(form.specs(owner=request.user))[0]
    except NotAllowed as error:
        form.add_error(None, str(error))
        return remix_refused(request, source, form)
    if form.notice:
        messages.info(request, form.notice)
    if request.htmx:
        return HttpResponseClientRedirect(remix.get_absolute_url())
    return redirect(remix)


@require_POST
@makers_only
def video_extend(request: HtmxHttpRequest, video_id: str) -> HttpResponse:
    source = get_video(video_id)
    form = ExtendForm(request.POST, source=source, prefix=EXTEND_PREFIX)
    if form.is_valid():
        try:
            extension = jobs.submit(form.spec(owner=request.user))
        except NotAllowed as error:
            form.add_error(None, str(error))
        else:
            if request.htmx:
                return HttpResponseClientRedirect(extension.get_absolute_url())
            return redirect(extension)
    context = video_page_context(request, source, RemixForm(source=source), form)
    if request.htmx:
        return render(request, "videos/detail.html#extend", context)
    return render(request, "videos/detail.html", context, status=400)


def remix_refused(request: HtmxHttpRequest, source: Video, form: RemixForm) -> HttpResponse:
    """The form again, the creator's text kept, with its message (a prompt the engine cannot
    follow: in brief, in its preview). Through htmx only the remix section is swapped in place
    (and scrolled to), so the address stays the video's."""
    if request.htmx:
        return render(
            request, "videos/detail.html#remix", video_page_context(request, source, form)
        )
    return render_video_page(request, source, form, status=400)


@require_http_methods(["GET", "POST"])
def recipe_preview(request: HttpRequest) -> HttpResponse:
    """What the engine will do with the prompt being typed into a form of the query's kind."""
    data = request.GET.copy()
    data.update(request.POST)  # the form's fields, the prompt among them, win
    context = PreviewForm(data).context()
    return render(request, "videos/partials/recipe.html", context)


@require_GET
def video_still(request: HttpRequest, video_id: str) -> HttpResponse:
    video = get_video(video_id)
    try:
        recipe = stills.recipe_from_token(request.GET.get("r", ""))
    except RecipeError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    frame = stills.LAST if request.GET.get("frame") == stills.LAST else stills.FIRST
    jpeg = stills.preview(video, recipe, frame)
    if jpeg is None:
        raise Http404("This video has no frame to preview yet.")
    response = HttpResponse(jpeg, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response

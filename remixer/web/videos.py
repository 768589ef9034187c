"""Pages and fragments. Views validate, call a service, and render or redirect."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)
from django_htmx.http import HttpResponseClientRedirect, reswap

from remixer.actions import jobs, trash
from remixer.actions.errors import NotAllowed
from remixer.actions.specs import extend_provider
from remixer.actions.videos import (
    cancel_video,
    check_can_change,
    remix_provider,
    rename_video,
)
from remixer.files.serving import serve_stored
from remixer.forms.previews import CREATE, EXTENSION, EXTENSION_WORDS, REMIX, form_preview
from remixer.forms.videos import (
    EXTEND_PREFIX,
    STALE_FORM,
    ExtendForm,
    LibraryFilter,
    NewVideoForm,
    PickerFilter,
    RemixForm,
    RetryForm,
    TitleForm,
    page_number,
)
from remixer.lib.media import SPRITE_COLUMNS, SPRITE_ROWS
from remixer.models import (
    VARIANTS,
    VIDEO_ID_PATTERN,
    Provider,
    Video,
    VideoQuerySet,
    variant_file,
)
from remixer.models.accounts import can_make
from remixer.models.recipes import UNDERSTOOD
from remixer.providers import strategies
from remixer.providers.kinds import capabilities
from remixer.web.htmx import HtmxHttpRequest
from remixer.web.roles import makers_only

PAGE_SIZE = 24


@login_not_required
@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico where a page names no icon: the admin, the JSON."""
    return redirect(static("favicon.svg"), permanent=True)


@require_GET
def library(request: HtmxHttpRequest) -> HttpResponse:
    filters = LibraryFilter(request.GET)
    videos = Video.objects.in_library()
    return render_grid(request, "videos/library.html", videos, filters, "No videos yet.")


@require_GET
@makers_only
def remix_picker(request: HtmxHttpRequest) -> HttpResponse:
    completed = Video.objects.in_library().filter(status=Video.Status.COMPLETED)
    filters = PickerFilter(request.GET)
    return render_grid(
        request, "videos/remix_picker.html", completed, filters, "No finished videos to remix yet."
    )


def render_grid(
    request: HtmxHttpRequest,
    template: str,
    videos: VideoQuerySet,
    filters: LibraryFilter,
    empty: str,
) -> HttpResponse:
    """A page of video cards; a search typed in the page asks for the results alone."""
    found = filters.apply(videos, request.user)
    context = newest_first(request, found) | {"filters": filters, "empty": empty}
    context["running"] = still_running(context["videos"])
    typed = request.htmx and not request.htmx.history_restore_request
    response = render(request, "videos/partials/grid.html" if typed else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def live_cards(request: HttpRequest) -> HttpResponse:
    """Polled every 2 s by a grid of cards while some of its jobs run: a running job's
    badge follows its progress, a finished job's card is drawn anew, thumbnail and all,
    and a deleted job's card goes.
    """
    ids = [pk for pk in request.GET.getlist("id")[:PAGE_SIZE] if VIDEO_ID_PATTERN.fullmatch(pk)]
    found = Video.objects.in_library().filter(pk__in=ids)
    videos = list(found.select_related("owner", "remixed_from"))
    context = {
        "videos": videos,
        "running": still_running(videos),
        "gone": trash.left_library(ids, videos),
    }
    return render(request, "partials/live_cards.html", context)


def still_running(videos: list[Video]) -> list[str]:
    """The ids a grid's live poller asks about (partials/live.html)."""
    return [video.id for video in videos if not video.is_finished]


def newest_first(request: HttpRequest, videos: VideoQuerySet) -> dict[str, Any]:
    """Page through ids on the index, then load just that page's rows: deep pages stay fast."""
    ids = videos.newest_first().values_list("pk", flat=True)
    page = Paginator(ids, PAGE_SIZE).get_page(page_number(request.GET))
    rows = videos.select_related("owner", "remixed_from").in_bulk(list(page.object_list))
    shown = [rows[pk] for pk in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": page,
        "videos": shown,
        "query": query.urlencode(),  # what the page links keep
    }


@require_http_methods(["GET", "POST"])
@makers_only
def video_new(request: HttpRequest) -> HttpResponse:
    form = NewVideoForm(
        request.POST or None,
        request.FILES or None,
        initial=prefill(request, "model", "size", "seconds"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            return redirect(jobs.submit_batch(form.specs(owner=request.user))[0])
        except NotAllowed as error:
            form.add_error(None, str(error))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "create_preview": form_preview(form, CREATE)}
    return render(request, "videos/new.html", context, status=status)


def get_video(video_id: str) -> Video:
    return get_object_or_404(
        Video.objects.in_library().select_related("owner", "provider", "remixed_from"),
        pk=video_id,
    )


@require_GET
def video_detail(request: HttpRequest, video_id: str) -> HttpResponse:
    from remixer.web.trash import not_in_library

    try:
        video = get_video(video_id)
    except Http404:  # in the Trash, or its files gone: its link says so
        return not_in_library(request, video_id)
    return render_video_page(request, video, RemixForm(source=video, initial=prefill(request)))


def prefill(request: HttpRequest, *names: str) -> dict[str, str]:
    """What a "change the prompt and run again" link puts in a form (a plain GET link)."""
    return {name: request.GET[name] for name in ("prompt", *names) if name in request.GET}


def render_video_page(
    request: HttpRequest, video: Video, remix_form: RemixForm, status: int = 200
) -> HttpResponse:
    context = video_page_context(request, video, remix_form)
    return render(request, "videos/detail.html", context, status=status)


def video_page_context(
    request: HttpRequest, video: Video, remix_form: RemixForm, extend_form: ExtendForm | None = None
) -> dict[str, object]:
    blocked = ""
    try:
        remix_to = remix_provider(video)
    except NotAllowed as error:  # offer the local engine instead
        blocked, remix_to = str(error), Provider.default()
        remix_form.initial["use_local"] = True
    # Each remix knows its source.
    remixes = list(video.remixes.in_library().select_related("owner").newest_first())
    variations = batch_of(video)
    extend_to = extend_provider(video)
    extend_form = extend_form or ExtendForm(source=video, prefix=EXTEND_PREFIX)
    return previews(video, remix_form, remix_to, extend_form, extend_to) | {
        "video": video,
        "remixes": remixes,
        "variations": variations,
        "running": still_running(remixes + variations),
        "remix_form": remix_form,
        "remix_to": remix_to,
        "remix_to_can": capabilities(remix_to),
        "remix_how": strategies.describe(remix_to, video.model),
        "remix_blocked": blocked,
        "remix_focus": "remix" in request.GET or "prompt" in request.GET,
        "extend_form": extend_form,
        "extend_to": extend_to,
        "extend_to_can": capabilities(extend_to),
        "extend_follows": EXTENSION_WORDS,
        "understood": UNDERSTOOD,
        "can_make": can_make(request.user),  # a viewer is offered nothing to make or change
        "can_change": can_make(request.user) and video.can_change(request.user),
        "retry_form": RetryForm(),
        "title_form": TitleForm(initial={"title": video.title}),
    }


def previews(
    video: Video,
    remix_form: RemixForm,
    remix_to: Provider,
    extend_form: ExtendForm,
    extend_to: Provider,
) -> dict[str, object]:
    """The previews beside the page's prompts, drawn with it where the engine follows one."""
    follows = capabilities(remix_to).follows_recipe, capabilities(extend_to).follows_recipe
    return {
        "remix_preview": form_preview(remix_form, REMIX, video.pk) if follows[0] else {},
        "extend_preview": form_preview(extend_form, EXTENSION, video.pk) if follows[1] else {},
    }


def batch_of(video: Video) -> list[Video]:
    """The other variations submitted with this video, in the order they were asked for."""
    if video.batch is None:
        return []
    others = (
        Video.objects.in_library()
        .filter(batch=video.batch, owner=video.owner_id)
        .exclude(pk=video.pk)
    )
    return list(others.select_related("owner", "remixed_from").order_by("created_at", "id"))


@require_GET
def video_status(request: HttpRequest, video_id: str) -> HttpResponse:
    """The polled fragment: every open tab asks once a second, so it renders lean.

    While the job runs it answers just the progress, with no context processors at work.
    Once the job has finished it answers the page's body as the page view renders it,
    swapped out of band, without the polling attributes: the polling stops, the player
    (or the error) appears where the progress bar was, and a completed video offers its
    remix form.
    """
    video = Video.objects.status_of(video_id)
    if video is None:
        raise Http404("No such video.")
    if video.trashed:  # deleted meanwhile, perhaps in another tab: nothing here to follow
        return HttpResponseClientRedirect(reverse("library"))
    if not video.is_finished:
        return HttpResponse(render_to_string("videos/detail.html#progress", {"video": video}))
    video = get_video(video_id)  # once per page: now the whole page changes
    context = video_page_context(request, video, RemixForm(source=video))
    context |= {"autoplay": True, "out_of_band": True}  # replaces #video-page by its id
    return reswap(render(request, "videos/detail.html#page", context), "none")


@require_GET
def video_json(request: HttpRequest, video_id: str) -> JsonResponse:
    return JsonResponse(get_object_or_404(Video.objects.in_library(), pk=video_id).as_api_object())


@require_GET
def video_preview(request: HttpRequest, video_id: str) -> HttpResponse:
    """A card's moving preview, asked for when the pointer or focus first reaches it: the
    spritesheet's frames in turn, so a page of cards loads no spritesheet up front."""
    video = get_object_or_404(Video.objects.in_library(), pk=video_id)
    if not video.spritesheet_file:
        return HttpResponse(status=204)
    sheet = {"width": video.width * SPRITE_COLUMNS, "height": video.height * SPRITE_ROWS}
    return render(request, "videos/partials/preview.html", {"video": video, "sheet": sheet})


@require_safe
def video_content(request: HttpRequest, video_id: str) -> HttpResponseBase:
    video = get_object_or_404(Video.objects.in_library(), pk=video_id)
    variant = request.GET.get("variant", "video")
    if variant not in VARIANTS:
        raise Http404("Unknown variant: use video, thumbnail or spritesheet.")
    found = variant_file(video, variant)
    if found is None:
        raise Http404("This video has no such file yet.")
    name, filename = found
    return serve_stored(request, name, filename=filename)


@require_POST
@makers_only
def video_retry(request: HttpRequest, video_id: str) -> HttpResponse:
    video = get_video(video_id)
    form = RetryForm(request.POST)
    try:
        check_can_change(request.user, video)
        if not form.is_valid():
            raise NotAllowed(STALE_FORM)
        return redirect(jobs.submit(form.spec(user=request.user, video=video)))
    except NotAllowed as error:
        return refused(request, video, error)


@require_POST
@makers_only
def video_title(request: HtmxHttpRequest, video_id: str) -> HttpResponse:
    """The owner names the video; through htmx the heading is swapped in place, its error
    beside the field (a 200: htmx swaps no 4xx)."""
    video = get_video(video_id)
    form = TitleForm(request.POST)
    try:
        check_can_change(request.user, video)
    except NotAllowed as error:
        return refused(request, video, error)
    if form.is_valid():
        rename_video(user=request.user, video=video, title=form.cleaned_data["title"])
    elif not request.htmx:
        messages.error(request, " ".join(str(e) for e in form.errors["title"]))
    if not request.htmx:
        return redirect(video)
    context = {"video": video, "can_change": True, "title_form": form}
    return render(request, "videos/detail.html#heading", context)


@require_POST
@makers_only
def video_cancel(request: HttpRequest, video_id: str) -> HttpResponse:
    video = get_video(video_id)
    try:
        cancel_video(user=request.user, video=video)
    except NotAllowed as error:
        return refused(request, video, error)
    return redirect(video)


def refused(request: HttpRequest, video: Video, error: Exception) -> HttpResponse:
    return render(
        request, "videos/refused.html", {"video": video, "reason": str(error)}, status=403
    )

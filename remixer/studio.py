"""The studio's pages: two videos compared, and the library's poll for new videos."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from remixer.models import VIDEO_ID_PATTERN, Video
from remixer.wordiff import token_diff, word_diff


@require_GET
def compare(request: HttpRequest, video_id: str) -> HttpResponse:
    """A remix beside its source, or any video beside the one named by `?with=`."""
    video = get_video(video_id)
    other_id = request.GET.get("with", "")
    if other_id and not VIDEO_ID_PATTERN.fullmatch(other_id):
        raise Http404("No such video to compare with.")
    if not other_id and video.remixed_from_video_id is None:
        return render(request, "compare.html", {"video": video, "pair": None})
    if other_id:
        before, after = video, get_video(other_id)
    else:
        before, after = get_video(video.remixed_from_video_id or ""), video
    return render(request, "compare.html", compare_context(video, before, after))


def get_video(video_id: str) -> Video:
    return get_object_or_404(Video.objects.select_related("owner"), pk=video_id)


def compare_context(video: Video, before: Video, after: Video) -> dict[str, object]:
    prompts = word_diff(before.prompt or "", after.prompt or "")
    recipes = token_diff(before.recipe_steps, after.recipe_steps)
    return {
        "video": video,
        "pair": [
            {"video": before, "side": "a", "prompt": prompts[0], "recipe": recipes[0]},
            {"video": after, "side": "b", "prompt": prompts[1], "recipe": recipes[1]},
        ],
        "longest": max(seconds(before), seconds(after)),
    }


def seconds(video: Video) -> float:
    try:
        return float(video.seconds)
    except ValueError:
        return 0.0


@require_GET
def compare_picked(request: HttpRequest) -> HttpResponse:
    """The library's plain GET form: the two ticked videos, side by side."""
    picked = [pk for pk in request.GET.getlist("v") if VIDEO_ID_PATTERN.fullmatch(pk)]
    if len(picked) != 2:
        messages.error(request, "Tick exactly two videos to compare them.")
        return redirect("library")
    return redirect(f"{reverse('video_compare', args=[picked[0]])}?with={picked[1]}")

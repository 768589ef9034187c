"""The studio's pages: two videos compared, a video's family, and the library's poll for new
videos."""

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from django.contrib import messages
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRedirect

from remixer.actions.trash import left_library
from remixer.engine import FPS
from remixer.files import storage
from remixer.lib import media
from remixer.lib.words import token_diff, word_diff
from remixer.models import VIDEO_ID_PATTERN, Video
from remixer.models.lineage import family_of
from remixer.templatetags.remixer import fingerprint
from remixer.web.htmx import HtmxHttpRequest


@require_GET
def compare(request: HttpRequest, video_id: str) -> HttpResponse:
    """A remix beside its source, or any video beside the one named by `?with=`."""
    video = get_video(video_id)
    other_id = request.GET.get("with", "")
    if other_id and not VIDEO_ID_PATTERN.fullmatch(other_id):
        raise Http404("No such video to compare with.")
    if not other_id and video.remixed_from_video_id is None:
        return render(request, "studio/compare.html", {"video": video, "pair": None})
    if other_id:
        before, after = video, get_video(other_id)
    else:
        before, after = get_video(video.remixed_from_video_id or ""), video
    return render(request, "studio/compare.html", compare_context(video, before, after))


def get_video(video_id: str) -> Video:
    return get_object_or_404(Video.objects.in_library().select_related("owner"), pk=video_id)


def compare_context(video: Video, before: Video, after: Video) -> dict[str, object]:
    prompts = word_diff(before.prompt or "", after.prompt or "")
    recipes = token_diff(before.recipe_steps, after.recipe_steps)
    return {
        "video": video,
        "pair": [
            {"video": v, "side": side, "prompt": prompt, "recipe": recipe, "ratio": ratio(v)}
            for v, side, prompt, recipe in zip((before, after), "ab", prompts, recipes, strict=True)
        ],
        "longest": max(seconds(before), seconds(after)),
        "fps": frame_rate(before),  # the frame keys step through the left video's frames
    }


def ratio(video: Video) -> float:
    """Width over height, which compare.js sizes the video's box to (16:9 when unknown)."""
    return round(video.width / video.height, 4) if video.width and video.height else 1.7778


# A faststart MP4 (as the engine writes) holds its header at its start: a stored file in a
# bucket is probed from this much of it, not downloaded whole.
HEADER_BYTES = 4 * 1024 * 1024


def frame_rate(video: Video) -> float:
    """The frames a second of the video's stored file, probed once and remembered by its name
    (a name is one attempt's file, never rewritten); the local engine's rate if it cannot
    tell."""
    name = video.video_file.name
    if not name:
        return FPS
    key = f"remixer-fps:{name}"
    rate: float | None = cache.get(key)
    if rate is None:
        rate = probed_rate(name)
        if rate:
            cache.set(key, rate, timeout=None)
    return rate or FPS


def probed_rate(name: str) -> float:
    try:
        if not storage.is_remote():
            return media.probe(storage.local_path(name)).fps
        with tempfile.NamedTemporaryFile(suffix=Path(name).suffix) as head:
            for chunk in storage.chunks(name, 0, HEADER_BYTES - 1):
                head.write(chunk)
            head.flush()
            return media.probe(Path(head.name)).fps
    except (media.MediaError, storage.StorageError, OSError):
        return 0.0


def seconds(video: Video) -> float:
    try:
        return float(video.seconds)
    except ValueError:
        return 0.0


@require_GET
def compare_picked(request: HtmxHttpRequest) -> HttpResponse:
    """The library's selection: the two selected videos, side by side. Asked through htmx,
    any other count is answered in words beside the button, and the boxes stay ticked;
    without it, the library shows them as a message."""
    picked = [pk for pk in request.GET.getlist("v") if VIDEO_ID_PATTERN.fullmatch(pk)]
    if len(picked) != 2:
        words = picking_words(len(picked))
        if request.htmx:
            return HttpResponse(words)
        messages.error(request, words)
        return redirect("library")
    # The older on the left, as a remix's source is; an id not found is the compare page's 404.
    found = Video.objects.in_library().filter(pk__in=picked).order_by("created_at")
    older_first = list(found.values_list("pk", flat=True))
    picked = older_first if len(older_first) == 2 else picked
    pair = f"{reverse('video_compare', args=[picked[0]])}?{urlencode({'with': picked[1]})}"
    return HttpResponseClientRedirect(pair) if request.htmx else redirect(pair)


def picking_words(count: int) -> str:
    if count == 0:
        return "Select two videos to compare them."
    videos = "1 video is" if count == 1 else f"{count} videos are"
    return f"{videos} selected: select exactly two to compare them."


@require_GET
def lineage(request: HttpRequest, video_id: str) -> HttpResponse:
    """The video's whole family as a tree: the page, or through htmx the tree alone."""
    family = family_of(video_id, request.user)
    if family is None or family.current.hidden:  # a trashed video is its owner's and staff's
        raise Http404("No such video.")
    video = family.current.video
    template = (
        "studio/lineage.html#tree" if request.headers.get("HX-Request") else "studio/lineage.html"
    )
    response = render(request, template, {"family": family, "video": video})
    patch_vary_headers(response, ["HX-Request"])
    return response


LIVE_LIMIT = 24  # a page of cards, as the library shows them


@require_GET
def library_live(request: HttpRequest) -> HttpResponse:
    """The library's first page, polled every 2 s while jobs on it run and every 10 s
    otherwise: running cards follow their jobs, and videos that arrived since (a teammate's,
    an import's) join the top of the grid. Nothing changed since the fingerprint `v`: 204."""
    ids = [pk for pk in request.GET.getlist("id")[:LIVE_LIMIT] if VIDEO_ID_PATTERN.fullmatch(pk)]
    since = parse_since(request.GET.get("since", ""))
    if since is None:
        return HttpResponseBadRequest("since must be an ISO 8601 time or start.")
    found = Video.objects.in_library().filter(Q(pk__in=ids) | Q(arrived_at__gt=since))
    rows = list(found.select_related("owner", "remixed_from").newest_first()[: LIVE_LIMIT * 2])
    if fingerprint(rows) == request.GET.get("v"):
        return HttpResponse(status=204)
    new = [video for video in rows if video.pk not in ids and video.arrived_at > since]
    if new and request.GET.get("since") == "start":  # the page said "No videos yet"
        return HttpResponse(status=204, headers={"HX-Refresh": "true"})
    running = [video for video in rows if not video.is_finished]
    context = {
        "videos": [video for video in rows if video.pk in ids],
        "gone": left_library(ids, rows)
        if len(rows) < LIVE_LIMIT * 2
        else [],  # all asked were read
        "new": new,
        "running": [video.id for video in running],
        "watch_new": True,
        "since": max(v.arrived_at for v in new).isoformat() if new else request.GET["since"],
        "fresh": fingerprint(running),
    }
    return render(request, "partials/library_live.html", context)


def parse_since(value: str) -> datetime | None:
    if value == "start":
        return datetime(2000, 1, 1, tzinfo=UTC)
    try:
        moment = datetime.fromisoformat(value)
        # In UTC, as the database compares it: a time at the calendar's edge falls off it.
        return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        return None

"""The studio's pages: two videos compared, a video's family, and the library's poll for new
videos."""

from datetime import UTC, datetime

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from remixer.actions.trash import left_library
from remixer.lib.words import token_diff, word_diff
from remixer.models import VIDEO_ID_PATTERN, Video
from remixer.models.lineage import family_of
from remixer.templatetags.remixer import fingerprint


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
    otherwise: running cards follow their jobs, and videos made since (a teammate's too)
    join the top of the grid. Nothing changed since the fingerprint `v`: 204, no body."""
    ids = [pk for pk in request.GET.getlist("id")[:LIVE_LIMIT] if VIDEO_ID_PATTERN.fullmatch(pk)]
    since = parse_since(request.GET.get("since", ""))
    if since is None:
        return HttpResponseBadRequest("since must be an ISO 8601 time or start.")
    found = Video.objects.in_library().filter(Q(pk__in=ids) | Q(created_at__gt=since))
    rows = list(found.select_related("owner", "remixed_from").newest_first()[: LIVE_LIMIT * 2])
    if fingerprint(rows) == request.GET.get("v"):
        return HttpResponse(status=204)
    new = [video for video in rows if video.pk not in ids and video.created_at > since]
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
        "since": max(v.created_at for v in new).isoformat() if new else request.GET["since"],
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

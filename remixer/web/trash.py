"""The Trash's pages: delete (confirmed first), restore, erase completely, empty the Trash.

Each destructive button asks twice over: htmx's `hx-confirm` in the page, and without
JavaScript its form GETs a confirmation page whose own form does the POST.
"""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from remixer.actions import trash
from remixer.actions.errors import NotAllowed
from remixer.actions.trash import UNDO_TAG
from remixer.actions.videos import check_can_change
from remixer.forms.logins import client_address
from remixer.forms.videos import page_number
from remixer.lib.words import counted
from remixer.models import Video
from remixer.models.accounts import can_make
from remixer.web.htmx import HtmxHttpRequest
from remixer.web.roles import makers_only

PAGE_SIZE = 48


def confirm(request: HttpRequest, question: str, button: str, **context: Any) -> HttpResponse:
    """The page a destructive button leads to without JavaScript: the question, then a POST."""
    context |= {"question": question, "button": button, "action": request.path}
    return render(request, "trash/confirm.html", context)


def done(request: HtmxHttpRequest, to: str) -> HttpResponse:
    return HttpResponseClientRedirect(to) if request.htmx else redirect(to)


def refused(request: HttpRequest, error: NotAllowed) -> HttpResponse:
    messages.error(request, str(error))
    return redirect("trash")


def trashed_video(request: HttpRequest, video_id: str) -> Video:
    """A video in the Trash, for its owner or staff; to anyone else it does not exist."""
    video = get_object_or_404(Video.objects.in_trash(), pk=video_id)
    if not video.can_change(request.user):
        raise Http404("No such video.")
    return video


def emptying(user: Any) -> tuple[str, str]:
    """What "Empty the Trash" asks, and its button. Staff's Trash lists everyone's videos,
    but staff empty their own there: everyone's is an action of the admin's."""
    if user.is_staff:
        return (
            "Empty your Trash? The files of your own videos in it go now, for good; others’ "
            "stay (the admin empties everyone’s).",
            "Empty your Trash",
        )
    return "Empty the Trash? The files of every video in it go now, for good.", "Empty the Trash"


@require_http_methods(["GET", "POST"])
@makers_only
def video_delete(request: HtmxHttpRequest, video_id: str) -> HttpResponse:
    video = get_object_or_404(Video.objects.in_library(), pk=video_id)
    try:
        if request.method == "GET":
            check_can_change(request.user, video)
            question = f"Move “{video.display_name}” to the Trash?"
            return confirm(request, question, "Move to the Trash", back=video.get_absolute_url())
        trash.trash_video(user=request.user, video=video, address=client_address(request))
    except NotAllowed as error:
        return render(
            request, "videos/refused.html", {"video": video, "reason": str(error)}, status=403
        )
    message = f"Moved “{video.display_name}” to the Trash."
    messages.success(request, message, extra_tags=UNDO_TAG + video.pk)
    return done(request, reverse("library"))


@require_POST
@makers_only
def video_restore(request: HtmxHttpRequest, video_id: str) -> HttpResponse:
    video = trashed_video(request, video_id)
    try:
        trash.restore_video(user=request.user, video=video, address=client_address(request))
    except NotAllowed as error:
        return refused(request, error)
    messages.success(request, f"Restored “{video.display_name}” to the library.")
    from_trash = request.POST.get("from") == "trash"
    return done(request, reverse("trash") if from_trash else video.get_absolute_url())


@require_http_methods(["GET", "POST"])
@makers_only
def video_erase(request: HtmxHttpRequest, video_id: str) -> HttpResponse:
    video = trashed_video(request, video_id)
    if request.method == "GET":
        question = (
            f"Erase “{video.display_name}” completely? Its files and its prompt go now, "
            "and it cannot be restored."
        )
        return confirm(request, question, "Erase completely", back=reverse("trash"))
    try:
        trash.erase_video(user=request.user, video=video, address=client_address(request))
    except NotAllowed as error:
        return refused(request, error)
    messages.success(request, f"Erased “{video.display_name}” completely.")
    return done(request, reverse("trash"))


@require_http_methods(["GET", "POST"])
@makers_only
def trash_empty(request: HtmxHttpRequest) -> HttpResponse:
    if request.method == "GET":
        question, button = emptying(request.user)
        return confirm(request, question, button, back=reverse("trash"))
    removed, kept = trash.empty_trash(user=request.user, address=client_address(request))
    message = f"Emptied the Trash: the files of {counted(removed, 'video')} are gone."
    if kept:
        message += " " + trash.kept_for_remixes(kept)
    messages.success(request, message)
    return done(request, reverse("trash"))


@require_GET
@makers_only
def trash_page(request: HttpRequest) -> HttpResponse:
    """The user's trashed videos (staff: everyone's), each with when its files go."""
    trashed = trash.trash_of(request.user).annotate(in_use=trash.needed())
    page = Paginator(trashed, PAGE_SIZE).get_page(page_number(request.GET))
    videos = [(video, files_go_on(video)) for video in page if video.trashed_at]
    own = trash.own_trash(request.user).exists() if request.user.is_staff else bool(videos)
    context = {
        "page": page,
        "videos": videos,
        "own": own,
        "emptying": emptying(request.user),
        "days": settings.REMIXER_TRASH_DAYS,
    }
    return render(request, "trash/index.html", context)


def files_go_on(video: Video) -> datetime | None:
    """When the workers' sweep removes a trashed video's files."""
    if video.trashed_at is None:
        return None
    return video.trashed_at + timedelta(days=settings.REMIXER_TRASH_DAYS)


def not_in_library(request: HttpRequest, video_id: str) -> HttpResponse:
    """A video's page once the video has left the library. In the Trash: 404 (it is not in
    the library), with Restore for its owner and staff, its words theirs alone. Its files
    gone (emptied, swept or erased): 410, as it cannot come back. No video at all: 404."""
    video = Video.objects.filter(pk=video_id, trashed_at__isnull=False).first()
    if video is None:
        return render(request, "trash/in_trash.html", {"state": "missing"}, status=404)
    state = "erased" if video.erased else "gone" if video.files_removed_at else "in_trash"
    context = {
        "video": video,
        "state": state,
        "theirs": can_make(request.user) and video.can_change(request.user),
        "purge_on": files_go_on(video),
    }
    status = 404 if state == "in_trash" else 410
    return render(request, "trash/in_trash.html", context, status=status)

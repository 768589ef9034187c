"""The Trash: a deleted video leaves the library at once; its files go later; its row stays.

A trashed video can be restored while its files are kept. They go when its owner empties
the Trash or erases the video completely, or REMIXER_TRASH_DAYS after it was trashed (the
workers' sweep). The row stays for good as a tombstone (id, kind, parent, owner, prompt and
times), so a family of remixes keeps its shape. A source that a queued or running job still
reads keeps its files until no such job is left: emptying, erasing and the purge pass it by
until then.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from remixer import tasks
from remixer.actions import audit, references
from remixer.actions.errors import NotAllowed, check_can_make
from remixer.actions.videos import cancel_video, check_can_change
from remixer.files import attempts
from remixer.lib.words import counted
from remixer.models import Video, VideoQuerySet
from remixer.providers.kinds import has_copy_upstream

RUNNING = [Video.Status.QUEUED, Video.Status.IN_PROGRESS]
UNDO_TAG = "undo:"  # a message's extra tag naming the video its Undo button restores
PURGE_BATCH = 100  # trashed videos whose files one sweep removes at most
FILES_GONE = {"video_file": "", "thumbnail_file": "", "spritesheet_file": "", "reference_image": ""}
# What "erase completely" blanks beside the files: every word the creator wrote or was told.
ERASED = {
    "erased": True,
    "prompt": "",
    "title": "",
    "recipe": None,
    "submission": None,
    "provider_object": None,
}


def trash_video(*, user: Any, video: Video, address: str | None = None) -> None:
    """Move a video to the Trash; a job still running is cancelled first."""
    check_can_make(user)
    check_can_change(user, video)
    with transaction.atomic():
        if not video.is_finished:
            cancel_video(user=user, video=video)
        if Video.objects.in_library().filter(pk=video.pk).update(trashed_at=timezone.now()):
            audit.record(audit.Action.VIDEO_DELETED, user=user, address=address, target=video)


def trash_finished_video(*, user: Any, video: Video, address: str | None = None) -> None:
    """The Videos API's delete: only a completed or failed video (cancel a running one first)."""
    check_can_change(user, video)
    if not video.is_finished:
        raise NotAllowed(
            f"Only a completed or failed video can be deleted; this one is {video.status}."
        )
    trash_video(user=user, video=video, address=address)


def restore_video(*, user: Any, video: Video, address: str | None = None) -> None:
    """Put a trashed video back in the library, where it was in the order."""
    check_can_make(user)
    check_can_change(user, video)
    with transaction.atomic():
        if not Video.objects.in_trash().filter(pk=video.pk).update(trashed_at=None):
            message = f"“{video.display_name}” can no longer be restored: its files are gone."
            raise NotAllowed(message)
        audit.record(audit.Action.VIDEO_RESTORED, user=user, address=address, target=video)


def left_library(ids: list[str], found: list[Video]) -> list[str]:
    """The ids a live poll asked about that are no longer in the library: their cards go."""
    kept = {video.pk for video in found}
    return [pk for pk in ids if pk not in kept]


def trash_of(user: Any) -> VideoQuerySet:
    """What a user's Trash lists: their trashed videos (staff: everyone's), latest first."""
    trashed = Video.objects.in_trash().select_related("owner").order_by("-trashed_at", "-id")
    return trashed if user.is_staff else trashed.filter(owner=user)


def own_trash(user: Any) -> VideoQuerySet:
    """A user's own trashed videos, the ones emptying their Trash removes (staff's too)."""
    return Video.objects.in_trash().filter(owner=user)


def in_trash_among(videos: QuerySet[Video]) -> VideoQuerySet:
    """Those of `videos` (an admin's selection, say) whose files the Trash still keeps."""
    return Video.objects.in_trash().filter(pk__in=videos.values("pk"))


def owners_of(videos: QuerySet[Video]) -> list[tuple[str, int]]:
    """Whose the videos are: each owner's name and how many, by name."""
    counted = videos.values("owner__username").annotate(count=Count("pk"))
    return [(row["owner__username"], row["count"]) for row in counted.order_by("owner__username")]


def needed() -> Exists:
    """A queued or running job reads this video (its source) still."""
    return Exists(Video.objects.filter(remixed_from=OuterRef("pk"), status__in=RUNNING))


def remove_files(video_id: str, *, erase: bool = False) -> bool:
    """Remove a trashed video's files now (and its words, to erase it), leaving a tombstone.

    False when there was nothing to do: restored meanwhile, done already, or a job still
    reads it, in which case a later sweep removes them.
    """
    with transaction.atomic():
        found = Video.objects.in_trash().select_related("provider").filter(pk=video_id)
        video = found.alias(needed=needed()).filter(needed=False).first()
        if video is None:
            return False
        changes: dict[str, Any] = FILES_GONE | {"files_removed_at": timezone.now()}
        if not found.update(**changes, **(ERASED if erase else {})):
            return False
        if has_copy_upstream(video):
            tasks.delete_upstream.enqueue(video.provider_id, video.provider_video_id)
        transaction.on_commit(partial(attempts.delete_video_files, video.pk))
        transaction.on_commit(partial(references.release_reference, video.reference_image.name))
    return True


def erase_video(*, user: Any, video: Video, address: str | None = None) -> None:
    check_can_make(user)
    check_can_change(user, video)
    with transaction.atomic():
        if not remove_files(video.pk, erase=True):
            raise NotAllowed(kept_message(video))
        audit.record(audit.Action.VIDEO_ERASED, user=user, address=address, target=video)


def kept_message(video: Video) -> str:
    held = Video.objects.in_trash().filter(pk=video.pk).alias(needed=needed())
    if held.filter(needed=True).exists():
        return (
            f"“{video.display_name}” is the source of a remix that is still being made: "
            "its files stay until that finishes. Try again then."
        )
    return f"“{video.display_name}” is no longer in the Trash."


def kept_for_remixes(kept: int) -> str:
    """What an emptying of the Trash left: the videos that remixes being made still read."""
    them = "it" if kept == 1 else "them"
    others = counted(kept, "other video")
    return f"The files of {others} stay until the remixes being made from {them} finish."


def empty_trash(*, user: Any, address: str | None = None) -> tuple[int, int]:
    """Remove the files of the user's own trashed videos (staff's Trash lists everyone's, but
    emptying everyone's is the admin's action, `remove_trashed`); (removed, kept for a job)."""
    check_can_make(user)
    return remove_trashed(own_trash(user), user=user, address=address)


def remove_trashed(
    videos: QuerySet[Video], *, user: Any, address: str | None = None
) -> tuple[int, int]:
    """Remove the files of those of `videos` in the Trash now; (removed, kept for a job)."""
    with transaction.atomic():
        ids = list(in_trash_among(videos).values_list("pk", flat=True))
        removed = [video_id for video_id in ids if remove_files(video_id)]
        detail = audit.named(removed) | {"kept": len(ids) - len(removed)}
        audit.record(audit.Action.TRASH_EMPTIED, user=user, address=address, detail=detail)
    return len(removed), len(ids) - len(removed)


def purge_expired() -> int:
    """Remove the files of videos trashed longer than REMIXER_TRASH_DAYS ago; how many."""
    cutoff = timezone.now() - timedelta(days=settings.REMIXER_TRASH_DAYS)
    due = (
        Video.objects.in_trash()
        .filter(trashed_at__lt=cutoff)
        .alias(needed=needed())
        .filter(needed=False)
        .order_by("trashed_at")
        .values_list("pk", flat=True)
    )
    return sum(remove_files(video_id) for video_id in list(due[:PURGE_BATCH]))

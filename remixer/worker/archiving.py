"""A finished job's files into remixer's storage: checked, completed, or nothing kept.

The video is decoded frame by frame, the thumbnail and spritesheet are made where the
provider had none, and the files are stored under names of this attempt's own
(`videos/<id>/<attempt>/video.mp4`). They become the video's files only by one conditional
UPDATE that also checks this worker still holds the lease (fencing): a worker that lost it
(paused, or its link stalled, while another completed the video) removes its own attempt's
files, never the ones the row names. The winner removes what earlier attempts left behind.
"""

import contextlib
import logging
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from remixer.files import attempts, storage
from remixer.lib import media
from remixer.models import Video
from remixer.providers import Assets, ProviderError
from remixer.worker import stills
from remixer.worker.leases import JobCancelled, LeaseKeeper, Progress, held, mine

logger = logging.getLogger(__name__)

Status = Video.Status
Phase = Video.Phase
NAMES = {
    "video_file": "video.mp4",
    "thumbnail_file": "thumbnail.webp",
    "spritesheet_file": "spritesheet.jpg",
}
# A storage that fails to take a finished video (botocore having retried each request) is
# tried again after STORE_RETRY seconds, doubling, STORE_ATTEMPTS times in all, within a lease.
STORE_ATTEMPTS = 3
STORE_RETRY = 0.5


def archive(
    video: Video,
    assets: Assets,
    on_progress: media.Progress | None = None,
    *,
    kind: str | None = None,
) -> None:
    """Store the checked files and complete the video, unless it was cancelled or taken over
    meanwhile.

    `kind`, for an imported export: how the video was first made, which it is from now on."""
    files = checked_files(video, assets, on_progress, leased=True)
    if kind is not None:
        files["kind"] = kind
    finished = (
        mine(video.pk)
        .filter(status=Status.IN_PROGRESS)
        .update(
            lease_owner="",
            lease_expires_at=None,
            status=Status.COMPLETED,
            progress=100,
            completed_at=timezone.now(),
            ended_at=timezone.now(),
            expires_at=None,
            phase=Phase.WAITING,
            retry_reason="",
            **files,
        )
    )
    if not finished:
        remove_attempt(video.pk, files)
        raise JobCancelled(video.pk)
    settled(video.pk, files, assets)


def rearchive_files(video: Video, assets: Assets) -> None:
    """Store a completed video's files again, under a new attempt's names, and point the row
    at them (unless it changed meanwhile); the files it named before are then removed."""
    files = checked_files(video, assets)
    same = Video.objects.filter(pk=video.pk, status=Status.COMPLETED, video_file=video.video_file)
    if not same.update(**files):
        remove_attempt(video.pk, files)
        return
    settled(video.pk, files, assets)


def settled(video_id: str, files: dict[str, object], assets: Assets) -> None:
    """Once the row names an attempt's files: its still, and no other attempt's leftovers."""
    stills.keep(video_id, assets.video)  # for the remix form's preview; optional
    attempts.delete_attempts(video_id, keep=tuple(str(files[field]) for field in NAMES))


def remove_attempt(video_id: str, files: dict[str, object]) -> None:
    """A worker that lost its video removes what it stored, and nothing else."""
    try:
        storage.delete(*(str(files[field]) for field in NAMES))
    except storage.StorageError:
        logger.warning("%s: a lost attempt's files stay for the sweep", video_id, exc_info=True)


def attempt_names(video_id: str) -> dict[str, str]:
    """The names one attempt stores a video's files under, its own."""
    folder = attempts.attempt_folder(video_id)
    return {field: f"{folder}/{name}" for field, name in NAMES.items()}


def checked_files(
    video: Video,
    assets: Assets,
    on_progress: media.Progress | None = None,
    *,
    leased: bool = False,
) -> dict[str, object]:
    """Verify the video, make what the provider did not, store the files under this attempt's
    names (renewing the lease while bytes move, `leased`)."""
    probe = media.verify(assets.video, on_progress)
    if f"{probe.width}x{probe.height}" != video.size:
        raise ProviderError(
            "wrong_size",
            f"The provider made a {probe.width}x{probe.height} video, not {video.size}.",
        )
    thumbnail = assets.thumbnail or assets.video.with_name("thumbnail.webp")
    spritesheet = assets.spritesheet or assets.video.with_name("spritesheet.jpg")
    if assets.thumbnail is None:
        media.make_thumbnail(assets.video, thumbnail)
    if assets.spritesheet is None:
        media.make_spritesheet(assets.video, spritesheet)
    size, digest = media.size_and_sha256(assets.video)
    names = attempt_names(video.pk)
    paths = {names["video_file"]: assets.video, names["thumbnail_file"]: thumbnail}
    paths[names["spritesheet_file"]] = spritesheet
    store(video.pk, paths, leased=leased)
    return {
        "file_size": size,
        "file_sha256": digest,
        "size": video.size,
        "seconds": video.seconds,
        "duration": round(probe.duration, 3),
        **names,
    }


def store(video_id: str, paths: dict[str, Path], *, leased: bool) -> None:
    """Store an attempt's files; a storage that fails (each request retried by botocore) is
    tried again STORE_ATTEMPTS times in all, backing off, the lease renewed before each pause
    (while `leased`) and no pause as long as a lease, before the job fails."""
    lease = settings.REMIXER_LEASE_SECONDS
    delay = STORE_RETRY
    for attempt in range(1, STORE_ATTEMPTS + 1):
        moved = Progress()
        try:
            with held(video_id, moved) if leased else contextlib.nullcontext():
                storage.save_all(paths, on_bytes=moved)
            return
        except storage.StorageError as error:
            if attempt == STORE_ATTEMPTS or delay > lease:  # no waiting past a lease
                message = f"The video could not be stored: {error}"
                raise ProviderError("storage_unavailable", message) from error
            logger.warning("%s: storing failed, trying again: %s", video_id, error)
        if leased:
            LeaseKeeper(video_id).renew()  # JobCancelled if it was lost meanwhile
        time.sleep(min(delay, lease / 3))  # the lease outlasts the pause
        delay *= 2

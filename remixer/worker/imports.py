"""An import's one step in a worker: check the uploaded file frame by frame, then archive it.

The upload waits in the storage (`scratch.upload_name`) until it is archived; a worker that
dies meanwhile leaves it there for the sweep to give to another, on any host. An import is never
rendered: the file is what the creator sent, or the import fails in words. A video from a
remixer export also brings what its sidecar's "remixer" part says: the file's SHA-256, which
must match, and how it was first made, its kind once it is checked.
"""

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from remixer.files import storage
from remixer.lib import media
from remixer.models import Video, lengths
from remixer.providers import Assets
from remixer.worker.archiving import archive
from remixer.worker.endings import fail, failures_recorded
from remixer.worker.leases import Progress, ProgressWriter, claim, held
from remixer.worker.pipeline import load
from remixer.worker.scratch import discard_upload, upload_name, workdir_for

logger = logging.getLogger(__name__)

Status = Video.Status
UPLOAD_GONE = "The uploaded file is gone (its worker stopped before it was kept): import it again."


def verify_import(video_id: str) -> None:
    """Claim a queued import, check its file with progress, and archive it."""
    waiting = Q(status=Status.QUEUED, kind=Video.Kind.IMPORT)
    if not claim(video_id, waiting, status=Status.IN_PROGRESS, phase=Video.Phase.VERIFYING):
        return
    video = load(video_id)
    upload = upload_name(video_id)
    with workdir_for(video) as workdir, failures_recorded(video_id):
        if not storage.exists(upload):
            fail(video_id, "upload_missing", UPLOAD_GONE)
            return
        # The lease is renewed while the upload's bytes arrive, and while it is checked; the
        # copy is kept until the archive is whole.
        with held(video_id, moved := Progress()):
            copy = storage.fetch(upload, workdir / "video.mp4", on_bytes=moved)
        try:
            with held(video_id):
                check_header(video, copy)
                check_digest(video, copy)
            with held(video_id):  # the thumbnails of a long video report no progress
                archive(video, Assets(video=copy), ProgressWriter(video_id), kind=made_as(video))
        except media.MediaError as error:
            fail(video_id, "invalid_video", str(error))
    if Video.objects.filter(pk=video_id, status__in=Video.TERMINAL).exists():
        discard_upload(video_id)


def follow_ups(video_id: str) -> list[Video]:
    """The job an ended import (or another source) names in `then`, once: ready to start if
    it completed (its size and length are the file's), else failed with the source's error.
    Taken in the caller's transaction, so the job is started with it or not at all."""
    imported = Video.objects.select_for_update().filter(pk=video_id).first()
    if imported is None or imported.then is None or not imported.is_finished:
        return []
    Video.objects.filter(pk=video_id).update(then=None)
    waiting = Video.objects.filter(pk=imported.then.get("video"), status=Status.QUEUED)
    if imported.status == Status.FAILED:  # or cancelled: nothing to start from
        error = imported.error or {"code": "source_failed", "message": ""}
        if imported.kind == Video.Kind.IMPORT:
            message = f"The uploaded video could not be used: {error['message']}"
        else:
            message = f"Its source video did not finish: {error['message']}"
        ended = {"status": Status.FAILED, "ended_at": timezone.now()}
        waiting.update(**ended, error_code=error["code"], error_message=message)
        return []
    started = []
    for video in waiting.select_related("provider"):
        try:
            video.size, video.seconds = imported.size, length_after(video, imported)
        except lengths.LengthRefused as error:
            fail_waiting(video, "video_too_long", str(error))
            continue
        Video.objects.filter(pk=video.pk).update(size=video.size, seconds=video.seconds)
        started.append(video)
    return started


def length_after(video: Video, imported: Video) -> str:
    """A job's length once its upload is checked: the file's, or with an extension's segment."""
    if video.kind != Video.Kind.EXTENSION:
        return imported.seconds
    segment = str((video.submission or {}).get("seconds", ""))
    return str(lengths.extended_total(imported.seconds, segment))


def fail_waiting(video: Video, code: str, message: str) -> None:
    Video.objects.filter(pk=video.pk, status=Status.QUEUED).update(
        status=Status.FAILED, error_code=code, error_message=message, ended_at=timezone.now()
    )


def check_header(video: Video, path: Path) -> None:
    """The size and length the file declares, within what an import may be (before a frame
    is decoded); a sidecar that says otherwise is refused."""
    probe = media.probe(path)
    media.check_bounds(
        probe,
        max_pixels=settings.REMIXER_MAX_IMPORT_PIXELS,
        max_seconds=settings.REMIXER_MAX_IMPORT_SECONDS,
    )
    size = f"{probe.width}x{probe.height}"
    if video.size not in ("", size):
        raise media.MediaError(f"The sidecar says {video.size}, but the video is {size}.")
    video.size, video.seconds = size, video.seconds or str(round(probe.duration))
    Video.objects.filter(pk=video.pk).update(size=video.size, seconds=video.seconds)


def exported(video: Video) -> dict[str, Any]:
    """What an export's sidecar says beside the Video object (empty for other imports)."""
    found = (video.provider_object or {}).get("remixer")
    return found if isinstance(found, dict) else {}


def check_digest(video: Video, path: Path) -> None:
    expected = exported(video).get("file_sha256")
    if not expected:
        return
    _, digest = media.size_and_sha256(path)
    if digest != expected:
        raise media.MediaError(
            "The file is not the one that was exported: its SHA-256 differs from the one in "
            "its sidecar, so it was damaged or changed on the way."
        )


def made_as(video: Video) -> str:
    """How an exported video was first made (a remix, say); any other import stays one."""
    kind = exported(video).get("kind")
    return str(kind) if kind in Video.Kind.values else Video.Kind.IMPORT

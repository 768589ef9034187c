"""Exports written: the videos chosen, each as its MP4, thumbnail and JSON sidecar, in one ZIP.

The layout (read back by `remixer.actions.imports`):

    manifest.json           {"format": "remixer-export", "version": 1, "videos": [ids]}
    videos/<id>.mp4         the video as stored, not recompressed
    videos/<id>.webp        its thumbnail
    videos/<id>.json        its Video object, with remixer's extras under "remixer"

The manifest lists parents before their remixes. Entries are streamed from the storage a
chunk at a time and ZIP64 is allowed, so neither a video nor the archive is ever held in
memory, and an export past 4 GiB is a valid ZIP. A worker writes it to its scratch folder and
stores it; the command writes it where it is told.
"""

import json
import logging
import time
import zipfile
from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils import timezone

from remixer.files import storage
from remixer.models import VIDEO_ID_PATTERN, Video, VideoQuerySet
from remixer.models.exports import Export
from remixer.worker import scratch

logger = logging.getLogger(__name__)

FORMAT = "remixer-export"
VERSION = 1
MANIFEST = "manifest.json"
FOLDER = "videos"
MANIFEST_MAX = 16 * 1024**2  # some 200,000 ids
# A worker that died mid-export leaves it in progress; untouched this long, it has failed.
STALLED = timedelta(minutes=15)
TOUCH_SECONDS = 60.0
Progress = Callable[[int, int], None]
# What reading a ZIP's entry raises: damaged, encrypted (RuntimeError), or compressed by a
# method this Python lacks (NotImplementedError).
UNREADABLE = (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError)


class ExportError(Exception):
    """An export could not be written; the message is fit for its owner."""


def entry_name(video_id: str, extension: str) -> str:
    return f"{FOLDER}/{video_id}.{extension}"


# Which videos, in which order


def exportable(videos: VideoQuerySet) -> VideoQuerySet:
    """Finished videos with a file, out of the Trash."""
    finished = videos.in_library().filter(status=Video.Status.COMPLETED)
    return finished.exclude(video_file="")


def chosen(export: Export) -> VideoQuerySet:
    videos = exportable(Video.objects.all())
    if export.scope == Export.Scope.MINE:
        return videos.filter(owner_id=export.owner_id)
    if export.scope == Export.Scope.SELECTED:
        return videos.filter(pk__in=export.video_ids)
    return videos


def parents_first(videos: Iterable[Video]) -> list[Video]:
    """Oldest first, and every parent in the set before its remixes (whatever their times)."""
    by_id = {video.pk: video for video in sorted(videos, key=lambda v: (v.created_at, v.pk))}
    ordered: dict[str, Video] = {}
    for video in by_id.values():
        line = []
        while video is not None and video.pk not in ordered and video not in line:
            line.append(video)
            video = by_id.get(video.remixed_from_video_id or "")  # type: ignore[assignment]
        for ancestor in reversed(line):
            ordered[ancestor.pk] = ancestor
    return list(ordered.values())


def sidecar(video: Video) -> dict[str, Any]:
    """The Video object as the API gives it, and what remixer keeps beside it."""
    return {
        **video.as_api_object(),
        "remixer": {
            "title": video.title,
            "kind": video.kind,
            "strategy": video.strategy,
            "recipe": video.recipe,
            "parent": video.remixed_from_video_id,
            "owner": video.owner.get_username(),
            "original_owner": video.original_owner,
            "created_at": video.created_at.isoformat(),
            "file_size": video.file_size,
            "file_sha256": video.file_sha256,
        },
    }


def read_manifest(archive: zipfile.ZipFile) -> list[str]:
    """The ids an export's manifest lists, parents first; ExportError if it is no export."""
    try:
        with archive.open(MANIFEST) as handle:
            raw = handle.read(MANIFEST_MAX + 1)
        if len(raw) > MANIFEST_MAX:
            raise ExportError("The export's manifest.json is too large.")
        manifest = json.loads(raw)
    except KeyError as error:
        raise ExportError("The ZIP is not a remixer export: it has no manifest.json.") from error
    except (*UNREADABLE, ValueError, RecursionError) as error:
        raise ExportError(f"The export's manifest.json cannot be read: {error}") from error
    ids = manifest.get("videos") if isinstance(manifest, dict) else None
    if not isinstance(ids, list) or manifest.get("format") != FORMAT:
        raise ExportError("The ZIP is not a remixer export: its manifest names no videos.")
    if not all(isinstance(pk, str) and VIDEO_ID_PATTERN.fullmatch(pk) for pk in ids):
        raise ExportError("The export's manifest names something that is not a video id.")
    return list(dict.fromkeys(ids))


# Writing


def write_export(
    videos: list[Video],
    out: Path | IO[bytes],
    *,
    on_progress: Progress | None = None,
    force_zip64: bool = False,
) -> int:
    """Write the ZIP of `videos` (parents first) to `out`; returns how many it holds.

    `force_zip64` gives every file entry ZIP64 sizes even when small (entries past 4 GiB get
    them anyway)."""
    sizes = {video.pk: stored_size(video) for video in videos}
    tally = Tally(sum(sizes.values()), on_progress)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        manifest = {"format": FORMAT, "version": VERSION, "videos": [v.pk for v in videos]}
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2))
        for video in videos:
            copy = Copy(archive, video, force_zip64)
            copy.stored("video_file", "mp4", sizes[video.pk], tally)
            if video.thumbnail_file:
                copy.stored("thumbnail_file", "webp", None, None)
            document = json.dumps(sidecar(video), indent=2, ensure_ascii=False)
            archive.writestr(entry_name(video.pk, "json"), document)
    return len(videos)


class Tally:
    """The bytes of videos written so far, told to `on_progress` as they go."""

    def __init__(self, total: int, on_progress: Progress | None) -> None:
        self.done, self.total, self.on_progress = 0, max(total, 1), on_progress

    def add(self, count: int) -> None:
        self.done += count
        if self.on_progress is not None:
            self.on_progress(self.done, self.total)


def stored_size(video: Video) -> int:
    found = storage.stat(str(video.video_file))
    if found is None:
        raise ExportError(f"The file of {video.title or video.pk} is missing from the storage.")
    return found.size


class Copy:
    """A video's stored files into the archive as they are (MP4 and WebP are compressed)."""

    def __init__(self, archive: zipfile.ZipFile, video: Video, force_zip64: bool) -> None:
        self.archive, self.video, self.force_zip64 = archive, video, force_zip64

    def stored(self, field: str, extension: str, size: int | None, tally: Tally | None) -> None:
        name = str(getattr(self.video, field))
        if size is None:
            found = storage.stat(name)
            if found is None:
                return  # a thumbnail is remade on import: its absence loses nothing
            size = found.size
        info = zipfile.ZipInfo(entry_name(self.video.pk, extension), zip_time(self.video))
        info.compress_type = zipfile.ZIP_STORED
        info.file_size = size  # ZIP64 sizes are chosen from it before the first byte is written
        with self.archive.open(info, "w", force_zip64=self.force_zip64) as entry:
            for chunk in storage.chunks(name):
                entry.write(chunk)
                if tally is not None:
                    tally.add(len(chunk))


def zip_time(video: Video) -> tuple[int, int, int, int, int, int]:
    moment = timezone.localtime(video.created_at)
    if moment.year < 1980:  # the earliest a ZIP can say
        return (1980, 1, 1, 0, 0, 0)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


# An export's work in a worker


def build(export_id: str) -> None:
    """Claim a queued export, write its ZIP in the scratch folder, store it, and complete it."""
    waiting = Export.objects.filter(pk=export_id, status=Export.Status.QUEUED)
    if not waiting.update(status=Export.Status.IN_PROGRESS, updated_at=timezone.now()):
        return
    export = Export.objects.get(pk=export_id)
    videos = parents_first(chosen(export).select_related("owner"))
    if not videos:
        fail(export, "None of the chosen videos can be exported any more (deleted or trashed).")
        return
    name = zip_name(export.pk)
    try:
        with scratch.spool() as folder:
            path = folder / "export.zip"
            count = write_export(videos, path, on_progress=ExportProgress(export))
            storage.save(path, name)
            size = path.stat().st_size
    except (ExportError, storage.StorageError, OSError) as error:
        logger.exception("Export %s failed", export_id)
        fail(export, f"The export could not be written: {error}")
        return
    now = timezone.now()
    # Fenced: an export the sweep failed meanwhile (its worker paused past STALLED) is not
    # completed by the late worker, which removes its ZIP (named by the export: its own).
    running = Export.objects.filter(pk=export.pk, status=Export.Status.IN_PROGRESS)
    if not running.update(
        status=Export.Status.COMPLETED,
        progress=100,
        video_count=count,
        file=name,
        file_size=size,
        completed_at=now,
        expires_at=now + timedelta(hours=settings.REMIXER_EXPORT_HOURS),
    ):
        discard_zip(export.pk)


def zip_name(export_id: object) -> str:
    """An export's ZIP: one worker ever writes it (the one that claimed the export)."""
    return f"exports/{export_id}.zip"


def discard_zip(export_id: object) -> None:
    try:
        storage.delete(zip_name(export_id))
    except storage.StorageError:
        logger.exception("The ZIP of export %s stays in the storage", export_id)


def fail(export: Export, message: str) -> None:
    unfinished = Export.objects.filter(pk=export.pk).exclude(status__in=Export.TERMINAL)
    unfinished.update(status=Export.Status.FAILED, error_message=message)


class ExportProgress:
    """Writes an export's progress when its percentage changes (or a minute has passed, so a
    long entry does not look like a stalled worker)."""

    def __init__(self, export: Export) -> None:
        self.export_id, self.shown, self.touched = export.pk, -1, time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        percent = min(99, done * 100 // total)  # 100 once the ZIP is stored
        if percent == self.shown and time.monotonic() - self.touched < TOUCH_SECONDS:
            return
        self.shown, self.touched = percent, time.monotonic()
        running = Export.objects.filter(pk=self.export_id, status=Export.Status.IN_PROGRESS)
        running.update(progress=percent, updated_at=timezone.now())


def upkeep() -> int:
    """Remove the files of expired exports, and fail exports whose worker stopped."""
    now = timezone.now()
    stopped = Export.objects.filter(status=Export.Status.IN_PROGRESS, updated_at__lt=now - STALLED)
    stalled = 0
    for export_id in list(stopped.values_list("pk", flat=True)):
        if stopped.filter(pk=export_id).update(
            status=Export.Status.FAILED,
            error_message="Its worker stopped before the ZIP was written: export again.",
        ):
            stalled += 1
            discard_zip(export_id)  # stored before its worker stopped, never completed
    expired = list(Export.objects.filter(expires_at__lte=now).exclude(file=""))
    for export in expired:
        try:
            storage.delete(export.file)
        except storage.StorageError:
            logger.exception("The expired export %s stays in the storage", export.pk)
            continue
        Export.objects.filter(pk=export.pk).update(file="")
    return stalled + len(expired)

"""Exports written and read back: the ZIP of a library's videos, what it holds by old id, an
emptied library to import it into, and the import jobs a worker runs."""

import hashlib
import json
import zipfile
from pathlib import Path

from remixer import tasks
from remixer.files import storage
from remixer.models import Video
from remixer.worker import exports


def export_to(path: Path, **options: object) -> Path:
    videos = exports.parents_first(exports.exportable(Video.objects.all()).select_related("owner"))
    exports.write_export(videos, path, **options)
    return path


def contents(path: Path) -> dict[str, dict]:
    """Each video's sidecar and the SHA-256 of its MP4, as the ZIP holds them, by old id."""
    found = {}
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        for old_id in exports.read_manifest(archive):
            sidecar = json.loads(archive.read(f"videos/{old_id}.json"))
            digest = hashlib.sha256(archive.read(f"videos/{old_id}.mp4")).hexdigest()
            found[old_id] = {"sidecar": sidecar, "sha256": digest}
    return found


def wipe() -> None:
    """An empty library: no rows, no files."""
    for video in Video.objects.all():
        storage.delete_video_files(video.pk)
    Video.objects.all().delete()


def check_imports() -> list[Video]:
    """What a worker does with each import job the ZIP made."""
    for video in Video.objects.filter(status="queued", kind="import"):
        tasks.import_video.call(video.pk)
    return list(Video.objects.order_by("created_at"))

"""Exports written and read back: the ZIP of a library's videos, what it holds by old id, an
emptied library to import it into, exports' ZIPs made by hand, and what workers do with an
export given to the Import page and with the import jobs it makes."""

import hashlib
import io
import json
import zipfile
from pathlib import Path

from remixer import models, tasks
from remixer.actions import imports
from remixer.files import attempts
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
        attempts.delete_video_files(video.pk)
    Video.objects.all().delete()


def check_imports() -> list[Video]:
    """What a worker does with each import job the ZIP made."""
    for video in Video.objects.filter(status="queued", kind="import"):
        tasks.import_video.call(video.pk)
    return list(Video.objects.order_by("created_at"))


def read_exports() -> list:
    """What a worker does with each export's ZIP the Import page stored (or that waits for
    room): its videos become import jobs while their owner has room."""
    rows = models.ExportImport.objects
    for row in rows.filter(status__in=imports.WAITING):
        imports.unpack_export.call(str(row.pk))
    return list(rows.order_by("created_at"))


def export_zip(
    videos: dict[str, tuple[dict, bytes]],
    *,
    compression: int = zipfile.ZIP_STORED,
    extra: dict[str, bytes] | None = None,
) -> io.BytesIO:
    """An export's ZIP made by hand: for each old id its sidecar and its MP4's bytes, and
    any `extra` entries (compressed, whatever `compression` is)."""
    handle = io.BytesIO()
    with zipfile.ZipFile(handle, "w", compression=compression) as archive:
        for name, data in (extra or {}).items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
        manifest = {"format": exports.FORMAT, "version": exports.VERSION, "videos": list(videos)}
        archive.writestr("manifest.json", json.dumps(manifest))
        for old_id, (sidecar, mp4) in videos.items():
            archive.writestr(f"videos/{old_id}.json", json.dumps({"id": old_id, **sidecar}))
            archive.writestr(f"videos/{old_id}.mp4", mp4)
    handle.name = "export.zip"
    handle.seek(0)
    return handle

"""Work folders: each job works in a private scratch folder, removed when it is done."""

import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File

from remixer.models import Video


@contextmanager
def workdir_for(video: Video) -> Iterator[Path]:
    """A private scratch folder beside the media, so finished files move in atomically."""
    root = Path(settings.MEDIA_ROOT) / "tmp"
    root.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=f"{video.pk}-", dir=root))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def upload_path(video_id: str) -> Path:
    """Where an import's uploaded file waits until a worker has archived it: apart from the
    video's folder, which a worker that lost its lease clears."""
    return Path(settings.MEDIA_ROOT) / "imports" / f"{video_id}.mp4"


def spool_upload(upload: File[Any], video_id: str) -> int:
    """Keep an upload for its import; returns its size. Django has already streamed a large
    upload to FILE_UPLOAD_TEMP_DIR (in the data directory): that file is moved, not copied."""
    path = upload_path(video_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    if hasattr(upload, "temporary_file_path"):
        shutil.move(upload.temporary_file_path(), path)
    else:
        with path.open("wb") as spool:
            for chunk in upload.chunks():
                spool.write(chunk)
    path.chmod(0o644)  # as readable as the files a render makes (nginx may send them)
    return path.stat().st_size


def discard_upload(video_id: str) -> None:
    upload_path(video_id).unlink(missing_ok=True)


def clean_scratch(older_than: timedelta = timedelta(hours=6)) -> int:
    """Remove the work folders that workers killed mid-step left behind, and the uploads
    of requests that never finished."""
    roots = [Path(settings.MEDIA_ROOT) / "tmp", Path(settings.FILE_UPLOAD_TEMP_DIR)]
    cutoff = time.time() - older_than.total_seconds()
    stale = [p for root in roots for p in root.glob("*") if p.stat().st_mtime < cutoff]
    stale += [p for p in upload_path("").parent.glob("*.mp4") if p.stat().st_mtime < cutoff]
    waiting = Video.objects.unfinished().filter(pk__in=[p.stem for p in stale])
    kept = set(waiting.values_list("pk", flat=True))
    stale = [p for p in stale if p.stem not in kept]  # an import still waiting keeps its file
    for path in stale:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return len(stale)

"""Work folders: each job works in a private scratch folder, removed when it is done."""

import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.conf import settings

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


def clean_scratch(older_than: timedelta = timedelta(hours=6)) -> int:
    """Remove the work folders that workers killed mid-step left behind."""
    root = Path(settings.MEDIA_ROOT) / "tmp"
    cutoff = time.time() - older_than.total_seconds()
    stale = [path for path in root.glob("*") if path.stat().st_mtime < cutoff]
    for path in stale:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return len(stale)

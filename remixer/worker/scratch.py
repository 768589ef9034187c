"""Work folders: each process works in a scratch folder of its own, never inside the storage.

The folder is `$REMIXER_DATA_DIR/scratch/<host>-<pid>`: a process clears its own when it
starts, every job's folder in it is removed when the job ends, and the folders of processes
of this host that are gone (killed mid-render) are removed by the next sweep, at once.
An import's upload waits in the storage itself (`upload_name`), so any host's worker can
check it.
"""

import logging
import os
import shutil
import socket
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File

from remixer.files import storage
from remixer.models import Video

logger = logging.getLogger(__name__)


def scratch_root() -> Path:
    return Path(settings.REMIXER_SCRATCH_DIR)


def own_folder() -> Path:
    """This process's scratch folder, keyed by its host and process id (its worker id)."""
    return scratch_root() / f"{socket.gethostname()}-{os.getpid()}"


@contextmanager
def workdir_for(video: Video) -> Iterator[Path]:
    """A private folder for one step of a video's job, removed when the step ends.

    Taking a video over, a process first removes what earlier attempts at it left here."""
    root = own_folder()
    root.mkdir(parents=True, exist_ok=True)
    for leftover in abandoned_folders(video.pk):
        shutil.rmtree(leftover, ignore_errors=True)
    path = Path(tempfile.mkdtemp(prefix=f"{video.pk}-", dir=root))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def upload_name(video_id: str) -> str:
    """Where an import's upload waits in the storage until a worker has archived it: apart
    from the video's own files, which a worker that lost its lease removes."""
    return f"imports/{video_id}.mp4"


def spool_upload(upload: File[Any], video_id: str) -> int:
    """Keep an upload for its import, in the storage so a worker on any host can check it;
    returns its size. Django has streamed a large upload to FILE_UPLOAD_TEMP_DIR already."""
    return storage.save_file(upload, upload_name(video_id))


def discard_upload(video_id: str) -> None:
    try:
        storage.delete(upload_name(video_id))
    except storage.StorageError:
        logger.exception("The upload of %s stays in the storage", video_id)


@contextmanager
def spool() -> Iterator[Path]:
    """A private folder for work that belongs to no video yet (an upload being imported)."""
    root = own_folder()
    root.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix="spool-", dir=root))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def spool_entry(archive: zipfile.ZipFile, name: str, folder: Path) -> Path:
    """One entry of a ZIP (an export's video), copied out into `folder` a chunk at a time."""
    path = folder / Path(name).name
    with archive.open(name) as entry, path.open("wb") as out:
        shutil.copyfileobj(entry, out, storage.CHUNK)
    return path


def abandoned_folders(video_id: str) -> list[Path]:
    """Work folders for this video in this process's folder or a dead process's."""
    mine = own_folder()
    return [
        path
        for path in scratch_root().glob(f"*/{video_id}-*")
        if path.parent == mine or not alive(path.parent)
    ]


def alive(folder: Path) -> bool:
    """Whether the process a scratch folder belongs to may still run (any other host's may)."""
    host, _, pid = folder.name.rpartition("-")
    if not on_this_host(folder) or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def on_this_host(folder: Path) -> bool:
    return folder.name.rpartition("-")[0] == socket.gethostname()


def clear_own() -> None:
    """Called when a worker starts: its folder, and those of dead processes, are emptied."""
    shutil.rmtree(own_folder(), ignore_errors=True)
    clean_scratch()


def clean_scratch(older_than: timedelta = timedelta(hours=6)) -> int:
    """Remove the folders of this host's processes that are gone, at once; on a data
    directory other hosts share too, their folders once untouched for `older_than`."""
    root = scratch_root()
    root.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - older_than.total_seconds()
    stale = [
        path
        for path in root.iterdir()
        if not alive(path) or (not on_this_host(path) and path.stat().st_mtime < cutoff)
    ]
    requests = Path(settings.FILE_UPLOAD_TEMP_DIR)  # uploads of requests that never finished
    stale += [path for path in requests.glob("*") if path.stat().st_mtime < cutoff]
    for path in stale:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return len(stale)

"""Each attempt at a video (a render, a copy home, an import's check) stores its files under a
folder of its own in the video's (`videos/<id>/<attempt>/video.mp4`), named by when it began;
the row names the attempt whose files are the video's. What other attempts left (they lost the
video, or died between their upload and their commit) is removed from here.
"""

import logging
import time
import uuid

from remixer.files import storage

logger = logging.getLogger(__name__)


def video_folder(video_id: str) -> str:
    """Where a video's files are kept: each attempt at it stores under a folder of its own
    inside (`videos/<id>/<attempt>/video.mp4`); videos archived before attempts, directly."""
    return f"videos/{video_id}"


def delete_video_files(video_id: str) -> None:
    """Remove a video's own files (its reference image may be shared with its retries): those
    stored under the names of old (`videos/<id>/video.mp4`) and every attempt's under its folder."""
    folder = video_folder(video_id)
    try:
        storage.delete(*storage.listed(folder), f"imports/{video_id}.mp4", f"stills/{video_id}.npy")
    except storage.StorageError:
        logger.exception("The files of %s stay in the storage", video_id)
    storage.prune(folder)


def attempt_folder(video_id: str) -> str:
    """A new attempt's folder, named by the time it began and a random part."""
    return f"{video_folder(video_id)}/{int(time.time())}-{uuid.uuid4().hex[:12]}"


def began_before(name: str, moment: float) -> bool:
    """Whether a stored name lies in an attempt's folder begun before `moment`."""
    parts = name.split("/")
    began = parts[2].partition("-")[0] if len(parts) == 4 else ""
    return began.isdigit() and int(began) < moment


def delete_attempts(video_id: str, keep: tuple[str, ...] = (), before: float | None = None) -> int:
    """Remove a video's stored files but those in `keep` (the ones its row names): what its
    attempts that lost the video or died before their commit left; with `before` only the
    attempts begun earlier. Never raises: what stays is removed by a later call."""
    try:
        gone = [
            name
            for name in storage.listed(video_folder(video_id))
            if name not in keep and (before is None or began_before(name, before))
        ]
        storage.delete(*gone)
    except storage.StorageError:
        logger.warning("%s: earlier attempts' files stay in the storage", video_id, exc_info=True)
        return 0
    storage.prune(video_folder(video_id))  # the attempts' emptied folders too
    return len(gone)

"""A library as the pipeline leaves it: finished videos with their thumbnails, and the files
kept on disk."""

import time
from pathlib import Path

from remixer.actions import demo
from remixer.lib import media
from remixer.models import Video
from remixer.worker import pipeline


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


def with_thumbnail(video: Video) -> Video:
    """As the pipeline leaves a finished video: its page shows the thumbnail as a poster."""
    video.thumbnail_file.name = video.video_file.name.replace("video.mp4", "thumbnail.webp")
    media.make_thumbnail(Path(video.video_file.path), Path(video.thumbnail_file.path))
    video.save(update_fields=["thumbnail_file"])
    return video


def rendered(prompt: str, size: str, seconds: str) -> Video:
    """A video of the local engine's, submitted as the demo's are and made now, in this
    process, by the pipeline the workers run (or by a test site's worker, if it took it)."""
    video = demo.make_video(prompt, size, seconds)
    pipeline.render(video.pk)
    deadline = time.monotonic() + 120
    while Video.objects.get(pk=video.pk).status != Video.Status.COMPLETED:
        assert time.monotonic() < deadline, f"{video.pk} was not made"
        time.sleep(0.2)
    video.refresh_from_db()
    return video

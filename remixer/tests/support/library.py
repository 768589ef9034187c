"""A library as the pipeline leaves it: finished videos with their thumbnails, and the files
kept on disk."""

from pathlib import Path

from remixer.lib import media
from remixer.models import Video


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


def with_thumbnail(video: Video) -> Video:
    """As the pipeline leaves a finished video: its page shows the thumbnail as a poster."""
    video.thumbnail_file.name = video.video_file.name.replace("video.mp4", "thumbnail.webp")
    media.make_thumbnail(Path(video.video_file.path), Path(video.thumbnail_file.path))
    video.save(update_fields=["thumbnail_file"])
    return video

"""Check every stored video against the size and SHA-256 recorded when it was archived."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from remixer.files import storage
from remixer.lib.words import counted
from remixer.models import Video


class Command(BaseCommand):
    help = "Report completed videos whose files are missing or damaged."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = checked = 0
        completed = Video.objects.filter(status=Video.Status.COMPLETED).order_by("created_at")
        # The Trash's tombstones: their files were removed on purpose (emptied, erased, purged).
        removed = completed.filter(files_removed_at__isnull=False).count()
        for video in completed.filter(files_removed_at__isnull=True).iterator():
            checked += 1
            if trouble := file_trouble(video):
                problems += 1
                self.stdout.write(f"{video.pk}: {trouble}")
        self.stdout.write(
            f"Checked {counted(checked, 'video')}: {problems} with missing or damaged files."
        )
        if removed:
            self.stdout.write(
                f"Skipped {counted(removed, 'video')} whose files were removed on purpose "
                "(emptied from the Trash or erased)."
            )
        if problems:
            need = "needs" if problems == 1 else "need"
            raise CommandError(
                f"{counted(problems, 'video')} {need} attention (re-archive in the admin)."
            )


def file_trouble(video: Video) -> str | None:
    """What is wrong with a video's files, read from whichever storage is configured."""
    if not video.video_file:
        return "no video file recorded"
    if not storage.exists(str(video.video_file)):
        return "the video file is missing"
    if not video.file_sha256:
        return None  # archived before checksums were kept: nothing to compare with
    size, digest = storage.size_and_sha256(str(video.video_file))
    if (size, digest) != (video.file_size, video.file_sha256):
        return f"the video file is damaged ({size} bytes, expected {video.file_size})"
    for name in ("thumbnail_file", "spritesheet_file"):
        stored = getattr(video, name)
        if not stored or not storage.exists(str(stored)):
            return f"the {name.removesuffix('_file')} is missing"
    return None

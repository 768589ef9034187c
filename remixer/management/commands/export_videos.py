"""Write the ZIP the Export page makes, from a shell: every finished video, or one owner's."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from remixer.files import storage
from remixer.lib.words import counted
from remixer.models import Video
from remixer.worker.exports import ExportError, exportable, parents_first, write_export


class Command(BaseCommand):
    help = "Export finished videos (MP4, thumbnail and JSON sidecar each) into one ZIP."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path, help="The ZIP to write")
        parser.add_argument("--owner", help="Only this user's videos (default: everyone's)")

    def handle(self, *args: Any, path: Path, owner: str | None, **options: Any) -> None:
        videos = exportable(Video.objects.all()).select_related("owner")
        if owner is not None:
            user = get_user_model().objects.filter(username=owner).first()
            if user is None:
                raise CommandError(f"No user named {owner!r}.")
            videos = videos.filter(owner=user)
        if path.is_dir():
            raise CommandError(f"{path} is a folder: give the name of the ZIP to write.")
        partial = path.with_name(f".{path.name}.partial")
        try:
            count = write_export(parents_first(videos), partial)
            partial.replace(path)
        except (ExportError, storage.StorageError, OSError) as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"The export could not be written: {error}") from error
        self.stdout.write(f"Wrote {counted(count, 'video')} to {path}.")

"""Bring MP4 files kept from elsewhere into the library, each with an optional JSON sidecar."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from remixer import services
from remixer.forms import read_sidecar
from remixer.media import MediaError


class Command(BaseCommand):
    help = "Import MP4 files; a sidecar NAME.json beside NAME.mp4 keeps the Video object's fields."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="MP4 files, or folders of them")
        parser.add_argument("--owner", required=True, help="The username that will own them")

    def handle(self, *args: Any, paths: list[Path], owner: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=owner).first()
        if user is None:
            raise CommandError(f"No user named {owner!r}.")
        failed = 0
        for mp4 in files(paths):
            try:
                video = services.import_video(
                    owner=user, mp4=mp4, sidecar=sidecar(mp4), name=mp4.name
                )
            except (MediaError, ValueError) as error:
                failed += 1
                self.stderr.write(f"{mp4}: not imported: {error}")
            else:
                self.stdout.write(f"{mp4}: imported as {video.pk}")
        if failed:
            raise CommandError(f"{failed} file(s) could not be imported.")


def files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.glob("*.mp4")) if path.is_dir() else [path])
    return found


def sidecar(mp4: Path) -> dict[str, Any] | None:
    path = mp4.with_suffix(".json")
    if not path.exists():
        return None
    try:
        return read_sidecar(path.read_bytes())
    except ValidationError as error:
        raise ValueError(f"{path.name}: {' '.join(error.messages)}") from error

"""Bring MP4 files kept from elsewhere into the library, each with an optional JSON sidecar,
and the ZIPs of remixer exports.

Each file (each video of an export) becomes an import job like one from the Import page; the
command checks them in this process unless a running worker has taken them already, waits,
and reports each result. An export's owners are kept where a user of that name exists here.
"""

import time
import uuid
import zipfile
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from remixer import tasks
from remixer.actions import jobs, specs
from remixer.actions.imports import import_export
from remixer.actions.sidecars import read_sidecar
from remixer.lib.words import counted
from remixer.models import Video
from remixer.worker.exports import ExportError


class Command(BaseCommand):
    help = (
        "Import MP4 files and exports' ZIPs; a sidecar NAME.json beside NAME.mp4 keeps the "
        "Video object's fields."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "paths", nargs="+", type=Path, help="MP4 files, exports' ZIPs, or folders of them"
        )
        parser.add_argument("--owner", required=True, help="The username that will own them")

    def handle(self, *args: Any, paths: list[Path], owner: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=owner).first()
        if user is None:
            raise CommandError(f"No user named {owner!r}.")
        submitted: dict[Path, Video] = {}
        failed = 0
        for mp4 in files(paths):
            try:
                if mp4.suffix.lower() == ".zip":
                    failed += self.submit_export(user, mp4, submitted)
                else:
                    submitted[mp4] = submit(user, mp4)
            except (OSError, ValueError, zipfile.BadZipFile, ExportError) as error:
                failed += 1
                self.stderr.write(f"{mp4}: not imported: {error}")
        for mp4, video in submitted.items():
            tasks.import_video.call(video.pk)  # a no-op if a worker has taken it
            video = finished(video)
            if video.status == Video.Status.COMPLETED:
                self.stdout.write(f"{mp4}: imported as {video.pk}")
            else:
                failed += 1
                self.stderr.write(f"{mp4}: not imported: {video.error_message}")
        if failed:
            raise CommandError(f"Not imported: {counted(failed, 'file')}; see above.")

    def submit_export(self, user: Any, path: Path, submitted: dict[Path, Video]) -> int:
        """Every video of the export as an import job; returns how many could not be."""
        outcomes = import_export(path, importer=user, token=uuid.uuid4(), operator=True)
        for outcome in outcomes:
            if outcome.video is not None:
                submitted[path / outcome.old_id] = outcome.video
            else:
                self.stderr.write(f"{path / outcome.old_id}: not imported: {outcome.problem}")
        return sum(1 for outcome in outcomes if outcome.video is None)


def submit(user: Any, mp4: Path) -> Video:
    info = sidecar(mp4)
    with mp4.open("rb") as handle:
        spec = specs.import_spec(
            owner=user,
            token=uuid.uuid4(),
            upload=File(handle, name=mp4.name),
            sidecar=info,
            exempt=True,
        )
    return jobs.submit(spec)


def finished(video: Video) -> Video:
    """Wait for a worker that took the import to finish it."""
    while not video.is_finished:
        time.sleep(0.5)
        video.refresh_from_db()
    return video


def files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found.extend(
            sorted([*path.glob("*.mp4"), *path.glob("*.zip")]) if path.is_dir() else [path]
        )
    return found


def sidecar(mp4: Path) -> dict[str, Any] | None:
    path = mp4.with_suffix(".json")
    if not path.exists():
        return None
    try:
        return read_sidecar(path.read_bytes())
    except ValidationError as error:
        raise ValueError(f"{path.name}: {' '.join(error.messages)}") from error

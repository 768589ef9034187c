"""Copy every stored file between local disk and the S3 bucket, checking each copy.

Safe to stop and run again: a file already at the destination with the same SHA-256 is
skipped. Nothing is deleted from the source.
"""

from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage
from django.core.management.base import BaseCommand, CommandError
from storages.backends.s3 import S3Storage

from remixer.files import storage
from remixer.lib.words import counted
from remixer.models import Video
from remixer.models.exports import Export
from remixer.settings import s3_storage
from remixer.worker import scratch, stills

FIELDS = ("video_file", "thumbnail_file", "spritesheet_file", "reference_image")


class Command(BaseCommand):
    help = "Copy every stored file to the S3 bucket (--to s3) or to local disk (--to local)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--to", choices=["s3", "local"], required=True)

    def handle(self, *args: Any, to: str, **options: Any) -> None:
        local, bucket = stores()
        source, target = (local, bucket) if to == "s3" else (bucket, local)
        copied = skipped = 0
        missing: list[str] = []
        for name, needed in stored_names():
            outcome = migrate(name, source, target)
            if outcome == "missing" and needed:
                missing.append(name)
                self.stdout.write(f"{name}: missing from the source")
            copied += outcome == "copied"
            skipped += outcome == "skipped"
        copied_files = counted(copied, "file")
        self.stdout.write(
            f"Copied {copied_files}, {skipped} already there, {len(missing)} missing at the source."
        )
        if missing:
            raise CommandError(f"Not found: {counted(len(missing), 'file')}; see above.")


def stores() -> tuple[Storage, Storage]:
    """Local disk (MEDIA_ROOT) and the bucket that REMIXER_S3_* names."""
    if not settings.REMIXER_S3_BUCKET:
        raise CommandError(
            "Set REMIXER_S3_BUCKET (and REMIXER_S3_ENDPOINT_URL, REMIXER_S3_PREFIX and the AWS_* "
            "credentials as the web and worker processes will have them) to name the bucket."
        )
    options = s3_storage(
        settings.REMIXER_S3_BUCKET, settings.REMIXER_S3_ENDPOINT_URL, settings.REMIXER_S3_PREFIX
    )["OPTIONS"]
    return storage.LocalStorage(location=settings.MEDIA_ROOT), S3Storage(**options)  # type: ignore[arg-type]


def stored_names() -> Iterator[tuple[str, bool]]:
    """Every stored file, each once, and whether a row needs it there: a video's files and an
    export's ZIP must be; a still (remade from its video when missing) and an import's upload
    still waiting for a worker are copied when they are there."""
    seen: set[str] = set()
    for name, needed in chain(named_by_rows(), kept_beside()):
        if name and name not in seen:
            seen.add(name)
            yield name, needed


def named_by_rows() -> Iterator[tuple[str, bool]]:
    for row in Video.objects.order_by("created_at").values_list(*FIELDS).iterator():
        yield from ((name, True) for name in row)
    exports = Export.objects.exclude(file="").order_by("created_at")
    yield from ((name, True) for name in exports.values_list("file", flat=True).iterator())


def kept_beside() -> Iterator[tuple[str, bool]]:
    videos = Video.objects.order_by("created_at")
    for pk in videos.exclude(video_file="").values_list("pk", flat=True).iterator():
        yield stills.still_name(pk), False
    waiting = videos.filter(status__in=(Video.Status.QUEUED, Video.Status.IN_PROGRESS))
    for pk in waiting.values_list("pk", flat=True).iterator():
        yield scratch.upload_name(pk), False


def migrate(name: str, source: Storage, target: Storage) -> str:
    """Copy one file unless the target has it already; "copied", "skipped" or "missing"."""
    if storage.stat(name, source) is None:
        return "missing"
    wanted = storage.size_and_sha256(name, source)
    if storage.stat(name, target) is not None and storage.size_and_sha256(name, target) == wanted:
        return "skipped"
    with scratch.spool() as folder:
        copy = storage.fetch(name, folder / Path(name).name, source)
        storage.save(copy, name, target)
    if storage.size_and_sha256(name, target) != wanted:
        raise CommandError(f"{name}: the copy's checksum differs from the source's; run again.")
    return "copied"

"""Copy every stored file between local disk and the S3 bucket, checking each copy.

Safe to stop and run again: a file already at the destination with the same SHA-256 is
skipped. Nothing is deleted from the source.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage
from django.core.management.base import BaseCommand, CommandError
from storages.backends.s3 import S3Storage

from remixer import scratch, storage
from remixer.models import Video
from remixer.settings import s3_storage

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
        for name in stored_names():
            outcome = migrate(name, source, target)
            if outcome == "missing":
                missing.append(name)
                self.stdout.write(f"{name}: missing from the source")
            copied += outcome == "copied"
            skipped += outcome == "skipped"
        self.stdout.write(
            f"Copied {copied} files, {skipped} already there, {len(missing)} missing at the source."
        )
        if missing:
            raise CommandError(f"{len(missing)} files were not found; see above.")


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


def stored_names() -> Iterator[str]:
    """Every file a row names, each once."""
    seen: set[str] = set()
    for row in Video.objects.order_by("created_at").values_list(*FIELDS).iterator():
        for name in row:
            if name and name not in seen:
                seen.add(name)
                yield name


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

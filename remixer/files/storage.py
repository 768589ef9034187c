"""Every stored file goes through here: local disk by default, an S3 bucket when configured.

A video's files are in its folder (`videos/<id>/`), each attempt's in one of its own (see
`attempts.py`); the row names them. A file exists under its name only once it is whole: on
local disk it is written under a temporary name and renamed; on S3 an object appears only when
its upload completes, and s3transfer aborts a multipart upload that fails.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any, cast
from urllib.parse import urlsplit

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.utils import timezone
from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage

from remixer.lib.transfers import Counted, Moved

logger = logging.getLogger(__name__)
CHUNK = 64 * 1024
CHECK_TAG = "remixer_storage"
STORE_ERRORS = (OSError, BotoCoreError, ClientError)
# Downloads tell their progress (which renews a lease) every CHUNK bytes, not every 256 KiB.
DOWNLOADS = TransferConfig(io_chunksize=CHUNK)


class StorageError(Exception):
    """The storage could not be reached or refused a file; the message is fit for a creator."""


# What a page, a file or /v1 answers (503) while the storage cannot be reached.
UNAVAILABLE = "The file storage cannot be reached; try again shortly."
UNAVAILABLE_RETRY_SECONDS = 10


class LocalStorage(FileSystemStorage):
    """Files on local disk, written under a temporary name and renamed: whole, or not there."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_overwrite", True)
        super().__init__(**kwargs)

    def _save(self, name: str, content: File[Any]) -> str:
        final = Path(self.path(name))
        final.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.")
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(partial, 0o644)
            os.replace(partial, final)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        return name.replace("\\", "/")


def is_remote(store: Storage | None = None) -> bool:
    return isinstance(store or default_storage, S3Storage)


def s3_key(store: S3Storage, name: str) -> str:
    return str(store._normalize_name(name))


def client(store: S3Storage) -> Any:
    return store.connection.meta.client


def trouble(error: Exception) -> StorageError:
    """The creator reads UNAVAILABLE; where the storage is and what it answered go to the log."""
    where = settings.REMIXER_S3_BUCKET or settings.MEDIA_ROOT
    logger.warning("The file storage (%s) failed: %s", where, error, exc_info=error)
    return StorageError(UNAVAILABLE)


# Saving and deleting


def save(path: Path, name: str, store: Storage | None = None, on_bytes: Moved | None = None) -> str:
    """Store a finished local file under `name`, replacing what was there."""
    store = store or default_storage
    try:
        with path.open("rb") as handle:
            content = handle if on_bytes is None else Counted(handle, on_bytes)
            return str(store.save(name, File(cast(IO[bytes], content), name=name)))
    except STORE_ERRORS as error:
        raise trouble(error) from error


def save_file(content: File[Any], name: str) -> int:
    """Store an uploaded file under `name`, streamed in chunks; returns its size."""
    try:
        default_storage.save(name, content)
    except STORE_ERRORS as error:
        raise trouble(error) from error
    return int(content.size or 0)


def save_all(files: Mapping[str, Path], on_bytes: Moved | None = None) -> dict[str, str]:
    """Store several files under new names; if one fails, those already stored are removed."""
    stored: dict[str, str] = {}
    try:
        for name, path in files.items():
            stored[name] = save(path, name, on_bytes=on_bytes)
    except StorageError:
        with contextlib.suppress(StorageError):
            delete(*stored)
        raise
    return stored


def delete(*names: str) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except STORE_ERRORS as error:
            raise trouble(error) from error
    if not is_remote():
        for folder in {Path(default_storage.path(name)).parent for name in names}:
            remove_if_empty(folder)


def remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty, or gone already
        folder.rmdir()


def prune(folder: str) -> None:
    """On local disk, the empty folders left under `folder` (and itself) are removed."""
    root = None if is_remote() else Path(default_storage.path(folder))
    if root is not None and root.is_dir():
        for path in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
            remove_if_empty(path)
        remove_if_empty(root)


def listed(folder: str) -> list[str]:
    """Every stored name under `folder`, at any depth (on S3, one listing per level)."""
    try:
        if not is_remote() and not Path(default_storage.path(folder)).is_dir():
            return []
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    except STORE_ERRORS as error:
        raise trouble(error) from error
    names = [f"{folder}/{name}" for name in files]
    for inner in folders:
        names += listed(f"{folder}/{inner}")
    return names


def exists(name: str) -> bool:
    try:
        return bool(name) and default_storage.exists(name)
    except STORE_ERRORS as error:
        raise trouble(error) from error


# Reading


def fetch(
    name: str, into: Path, store: Storage | None = None, on_bytes: Moved | None = None
) -> Path:
    """A local copy of a stored file at `into` (a scratch folder's, never the storage's);
    `on_bytes` is told each amount of bytes as they arrive."""
    store = store or default_storage
    try:
        if isinstance(store, S3Storage):
            key = s3_key(store, name)
            client(store).download_file(
                store.bucket_name, key, str(into), Callback=on_bytes, Config=DOWNLOADS
            )
        else:
            with open(store.path(name), "rb") as source, into.open("wb") as out:
                while chunk := source.read(CHUNK * 16):
                    out.write(chunk)
                    if on_bytes is not None:
                        on_bytes(len(chunk))
    except STORE_ERRORS as error:
        raise trouble(error) from error
    return into


def working_copy(name: str, folder: Path, on_bytes: Moved | None = None) -> Path:
    """A file the engine may read: on local disk the stored file itself, else a copy in `folder`."""
    if not is_remote():
        return Path(default_storage.path(name))
    return fetch(name, folder / f"{uuid.uuid4().hex}-{Path(name).name}", on_bytes=on_bytes)


@dataclass(frozen=True)
class Stat:
    size: int
    etag: str
    modified: float


def stat(name: str, store: Storage | None = None) -> Stat | None:
    """Size, entity tag and time of a stored file; None if it is not there."""
    store = store or default_storage
    try:
        if isinstance(store, S3Storage):
            head = client(store).head_object(Bucket=store.bucket_name, Key=s3_key(store, name))
            modified = head["LastModified"].timestamp()
            return Stat(head["ContentLength"], head["ETag"], modified)
        found = os.stat(store.path(name))
    except ClientError as error:
        if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
            return None
        raise trouble(error) from error
    except FileNotFoundError:
        return None
    except STORE_ERRORS as error:
        raise trouble(error) from error
    return Stat(found.st_size, f'"{found.st_size:x}-{int(found.st_mtime):x}"', found.st_mtime)


def chunks(
    name: str, start: int = 0, end: int | None = None, store: Storage | None = None
) -> Iterator[bytes]:
    """The bytes of a stored file from `start` to `end` (inclusive), a chunk at a time.

    The request is made before the first chunk is asked for, so an unreachable bucket raises
    StorageError here, not midway through a response."""
    store = store or default_storage
    wanted = f"bytes={start}-{'' if end is None else end}"
    try:
        if isinstance(store, S3Storage):
            answer = client(store).get_object(
                Bucket=store.bucket_name, Key=s3_key(store, name), Range=wanted
            )
            return iter(answer["Body"].iter_chunks(CHUNK))
        handle = open(store.path(name), "rb")  # noqa: SIM115 (closed by the generator)
    except STORE_ERRORS as error:
        raise trouble(error) from error
    handle.seek(start)
    return read_until(handle, None if end is None else end - start + 1)


def read_until(handle: Any, remaining: int | None) -> Iterator[bytes]:
    with handle:
        while remaining is None or remaining > 0:
            chunk = handle.read(CHUNK if remaining is None else min(CHUNK, remaining))
            if not chunk:
                return
            if remaining is not None:
                remaining -= len(chunk)
            yield chunk


def size_and_sha256(name: str, store: Storage | None = None) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    try:
        for chunk in chunks(name, store=store):
            digest.update(chunk)
            size += len(chunk)
    except STORE_ERRORS as error:
        raise trouble(error) from error
    return size, digest.hexdigest()


def local_path(name: str) -> Path:
    return Path(default_storage.path(name))


# Presigned URLs


def presigned_url(name: str, filename: str) -> str:
    """A URL the browser fetches the file from, the same one for every request in a window,
    so that pages' thumbnails stay cached; it lasts REMIXER_S3_URL_SECONDS from the last use."""
    window = settings.REMIXER_S3_URL_REUSE
    started = int(time.time() // window)
    key = f"remixer-url:{started}:{name}:{filename}"
    url = cache.get(key)
    if url is None:
        # The player and images ignore it; a download link that ends up on another origin
        # saves the file under its name only when told to.
        disposition = content_disposition_header(True, filename)
        url = signer().url(
            name,
            parameters={"ResponseContentDisposition": disposition},
            expire=settings.REMIXER_S3_URL_SECONDS + window,
        )
        cache.set(key, url, window)
    return str(url)


def signer() -> S3Storage:
    """The storage that signs URLs: with the address browsers reach the bucket by, if other."""
    if not settings.REMIXER_S3_PUBLIC_URL:
        return cast(S3Storage, default_storage)
    options: dict[str, Any] = settings.STORAGES["default"].get("OPTIONS", {})  # type: ignore[assignment]
    return S3Storage(**{**options, "endpoint_url": settings.REMIXER_S3_PUBLIC_URL})


def browser_origin() -> str | None:
    """The bucket's origin where browsers fetch files from it (presigned redirects)."""
    if not is_remote() or settings.REMIXER_S3_PROXY:
        return None
    parts = urlsplit(signer().url("origin"))
    return f"{parts.scheme}://{parts.netloc}"


# Upkeep and checks


# The folders remixer keeps files in (other keys of a shared bucket are not its own).
FOLDERS = ("videos/", "imports/", "stills/", "exports/", "references/")


def abort_stale_uploads(older_than: timedelta) -> int:
    """Abort multipart uploads that a killed process began and never finished."""
    if not is_remote():
        return 0
    store = cast(S3Storage, default_storage)
    cutoff: datetime = timezone.now() - older_than
    stale = [
        upload
        for folder in FOLDERS
        for upload in client(store)
        .list_multipart_uploads(Bucket=store.bucket_name, Prefix=s3_key(store, folder))
        .get("Uploads", [])
        if upload["Initiated"] < cutoff
    ]
    for upload in stale:
        client(store).abort_multipart_upload(
            Bucket=store.bucket_name, Key=upload["Key"], UploadId=upload["UploadId"]
        )
    return len(stale)


def check_storage(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The bucket answers and takes a file. Tagged: run by `serve` and the workers only."""
    if not is_remote():
        return []
    found: list[checks.CheckMessage] = []
    if settings.REMIXER_ACCEL_REDIRECT:
        found.append(
            checks.Warning(
                "REMIXER_ACCEL_REDIRECT applies to files on local disk only; with "
                "REMIXER_S3_BUCKET set it is ignored.",
                hint="Unset REMIXER_ACCEL_REDIRECT.",
                id="remixer.W010",
            )
        )
    name = f"checks/{uuid.uuid4().hex}"
    try:
        default_storage.save(name, ContentFile(b"remixer"))
        default_storage.delete(name)
    except STORE_ERRORS as error:
        endpoint = settings.REMIXER_S3_ENDPOINT_URL or "AWS S3"
        found.append(
            checks.Error(
                f"The bucket {settings.REMIXER_S3_BUCKET!r} at {endpoint} cannot be reached "
                f"or written: {error}",
                hint="Check REMIXER_S3_* and the AWS_* credentials, and that the bucket exists.",
                id="remixer.E010",
            )
        )
    return found

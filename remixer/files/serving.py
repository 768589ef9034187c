"""Serving stored files with HTTP Range, so browsers can seek and Safari will play."""

import logging
import mimetypes
import re
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date, parse_http_date_safe

from remixer.files import storage

logger = logging.getLogger(__name__)
CHUNK = 64 * 1024
RANGE = re.compile(r"bytes=([0-9]{0,18})-([0-9]{0,18})")  # longer numbers: not a range
UNSATISFIABLE = (-1, -1)


def serve_stored(request: HttpRequest, name: str, *, filename: str) -> HttpResponseBase:
    """A stored file, once the caller has checked access: from local disk with Range as
    below; from a bucket by a redirect to a presigned URL, or streamed through remixer."""
    if not storage.is_remote():
        return serve_file(request, storage.local_path(name), filename=filename)
    if not settings.REMIXER_S3_PROXY:
        response = HttpResponseRedirect(storage.presigned_url(name, filename))
        response["Cache-Control"] = f"private, max-age={settings.REMIXER_S3_URL_REUSE}"
        return response
    try:
        return proxy_stored(request, name, filename)
    except storage.StorageError:
        logger.exception("Could not serve %s from the bucket", name)
        return storage_unavailable()


def storage_unavailable() -> HttpResponse:
    """What a page or file answers while the file storage cannot be reached."""
    unavailable = HttpResponse(storage.UNAVAILABLE, status=503, content_type="text/plain")
    unavailable["Retry-After"] = str(storage.UNAVAILABLE_RETRY_SECONDS)
    return unavailable


def proxy_stored(request: HttpRequest, name: str, filename: str) -> HttpResponseBase:
    """The bucket's file streamed through remixer, never read whole, with the same Range rules."""
    found = storage.stat(name)
    if found is None:
        raise Http404("This video has no such file.")
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    wanted = parse_range(request, found.size, found.etag, found.modified)
    head = request.method == "HEAD"
    response: HttpResponseBase
    if wanted == UNSATISFIABLE:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{found.size}"
    else:
        start, end = wanted or (0, found.size - 1)
        status = 206 if wanted else 200
        if head:
            response = HttpResponse(status=status)
        else:
            response = StreamingHttpResponse(storage.chunks(name, start, end), status=status)
        if wanted:
            response["Content-Range"] = f"bytes {start}-{end}/{found.size}"
        response["Content-Length"] = str(end - start + 1)
        response["Content-Disposition"] = content_disposition_header(False, filename) or ""
    response["Content-Type"] = content_type
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = found.etag
    response["Last-Modified"] = http_date(found.modified)
    response["Cache-Control"] = "private, max-age=3600"
    return response


def serve_file(request: HttpRequest, path: Path, *, filename: str) -> HttpResponseBase:
    """The file, or the byte range asked for; memory stays flat whatever its size."""
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if settings.REMIXER_ACCEL_REDIRECT:
        return accel_redirect(path, content_type)
    stat = path.stat()
    etag = f'"{stat.st_size:x}-{int(stat.st_mtime):x}"'
    wanted = parse_range(request, stat.st_size, etag, stat.st_mtime)
    head = request.method == "HEAD"
    response: HttpResponseBase
    if conditional := get_conditional_response(
        request, etag=etag, last_modified=int(stat.st_mtime)
    ):
        response = conditional  # 304 Not Modified (or 412 for If-Match)
    elif wanted == UNSATISFIABLE:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{stat.st_size}"
    elif wanted is None:
        response = HttpResponse() if head else FileResponse(path.open("rb"), filename=filename)
        response["Content-Length"] = str(stat.st_size)
    else:
        start, end = wanted
        body = () if head else read_range(path, start, end)
        response = StreamingHttpResponse(body, status=206)
        response["Content-Range"] = f"bytes {start}-{end}/{stat.st_size}"
        response["Content-Length"] = str(end - start + 1)
    response["Content-Type"] = content_type
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["Cache-Control"] = "private, max-age=3600"
    return response


def accel_redirect(path: Path, content_type: str) -> HttpResponse:
    """Let nginx send the bytes (and answer ranges) once remixer has checked access."""
    name = path.resolve().relative_to(Path(settings.MEDIA_ROOT).resolve())
    response = HttpResponse(content_type=content_type)
    response["X-Accel-Redirect"] = settings.REMIXER_ACCEL_REDIRECT.rstrip("/") + "/" + str(name)
    return response


def parse_range(request: HttpRequest, size: int, etag: str, mtime: float) -> tuple[int, int] | None:
    """The byte range asked for, None for the whole file, or UNSATISFIABLE.

    As RFC 9110 says: a range that is not valid (bytes=100-50, several ranges, another unit)
    is ignored and the whole file sent; a valid one that misses the file is unsatisfiable.
    """
    header = request.headers.get("Range", "")
    match = RANGE.fullmatch(header.strip())
    if not match or not if_range_holds(request, etag, mtime):
        return None
    first, last = match.groups()
    if not first and not last or first and last and int(first) > int(last):
        return None
    if not first:  # a suffix: the last N bytes
        start, end = max(size - int(last), 0), size - 1
        return UNSATISFIABLE if int(last) == 0 or size == 0 else (start, end)
    start, end = int(first), min(int(last), size - 1) if last else size - 1
    return UNSATISFIABLE if start >= size else (start, end)


def if_range_holds(request: HttpRequest, etag: str, mtime: float) -> bool:
    validator = request.headers.get("If-Range")
    if not validator:
        return True
    if validator.startswith('"') or validator.startswith("W/"):
        return validator == etag
    since = parse_http_date_safe(validator)
    return since is not None and int(mtime) <= since


def read_range(path: Path, start: int, end: int) -> Iterator[bytes]:
    with path.open("rb") as handle:
        handle.seek(start)
        remaining = end - start + 1
        while remaining > 0:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk

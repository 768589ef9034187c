import io
import logging
from collections.abc import Callable
from typing import Any, BinaryIO, cast

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, UnreadablePostError
from django.shortcuts import resolve_url

from remixer.files import storage
from remixer.files.serving import storage_unavailable

logger = logging.getLogger(__name__)

DRAIN_CHUNK = 64 * 1024


def drain_limit() -> int:
    """The most of a refused body read to keep its connection: the largest body remixer takes
    (an import's video and the fields beside it)."""
    return int(settings.REMIXER_MAX_IMPORT_BYTES) + 1024 * 1024


class WholeBodyMiddleware:
    """A body that ends before its Content-Length (a client gone, or one that lies) is refused,
    never taken as whole: reading past its end raises UnreadablePostError, which /v1 answers in
    its envelope and the pages with a 400 in words. First in the list, before anything reads.

    A body refused unread (a 401 for a wrong key, a 404, a 413) is read to its end before the
    answer goes: gunicorn announces keep-alive, then closes a connection whose body it cannot
    drain quickly itself (64 KB), and a client's next request on it would find it closed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not (isinstance(request, WSGIRequest) and length.isdigit() and int(length) > 0):
            return self.get_response(request)
        body = WholeBody(request._stream, int(length))
        request._stream = cast(BinaryIO, body)
        response = self.get_response(request)
        body.discard_rest(limit=drain_limit())
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        """The CSRF check reads a form before the view does and takes a cut one for a missing
        token (403): read a signed-in person's form here first, for the views it checks (no one
        else's: an anonymous upload is not streamed to disk before the login is asked for)."""
        if request.method != "POST" or getattr(view, "csrf_exempt", False):
            return None
        if not request.user.is_authenticated:
            return None
        try:
            request.POST  # noqa: B018 (parsed now, kept for the view)
        except UnreadablePostError as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
        return None

    def process_exception(self, request: HttpRequest, error: Exception) -> HttpResponse | None:
        if isinstance(error, UnreadablePostError):
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
        return None


class WholeBody(io.IOBase):
    """A request's stream that raises UnreadablePostError where it ends before `length`."""

    def __init__(self, stream: BinaryIO, length: int) -> None:
        super().__init__()
        self.stream, self.length, self.got = stream, length, 0

    def read(self, size: int | None = -1, /) -> bytes:
        left = self.length - self.got
        wanted = left if size is None or size < 0 else min(size, left)
        chunks: list[bytes] = []
        while wanted > 0:
            chunk = self.stream.read(wanted)
            if not chunk:
                raise self.cut()
            chunks.append(chunk)
            self.got += len(chunk)
            wanted -= len(chunk)
        return b"".join(chunks)

    def readline(self, size: int | None = -1, /) -> bytes:
        left = self.length - self.got
        line = self.stream.readline(left if size is None or size < 0 else min(size, left))
        if not line and left > 0:
            raise self.cut()
        self.got += len(line)
        return line

    def discard_rest(self, *, limit: int) -> None:
        """Read what is left of the body, a chunk at a time, unless more than `limit` is
        (gunicorn closes that connection: remixer never takes such a body anyway)."""
        if self.length - self.got > limit:
            return
        try:
            while self.got < self.length:
                self.read(DRAIN_CHUNK)
        except (UnreadablePostError, OSError):  # the client is gone: nothing left to keep
            return

    def cut(self) -> UnreadablePostError:
        return UnreadablePostError(
            f"The request body ended after {self.got} of the {self.length} bytes its "
            "Content-Length announced, so nothing was done: send the whole body."
        )


class HtmxLoginRedirectMiddleware:
    """An htmx poll from an expired session must reload the page, not swap the login form in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.login_url = resolve_url(settings.LOGIN_URL)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        location = response.get("Location", "")
        if (
            request.headers.get("HX-Request")
            and response.status_code == 302
            and location.startswith(self.login_url)
        ):
            redirect = HttpResponse(status=204)
            redirect["HX-Redirect"] = location
            return redirect
        return response


class ContentSecurityPolicyMiddleware:
    """Only our own scripts, styles and media: no inline code, no eval, no framing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = policy(storage.browser_origin())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class StorageUnavailableMiddleware:
    """A page whose request stores a file (a reference image, an import) while the file
    storage cannot be reached answers 503 in words, not a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, error: Exception) -> HttpResponse | None:
        if not isinstance(error, storage.StorageError):
            return None
        logger.exception("The file storage failed on %s %s", request.method, request.path)
        return storage_unavailable()


def policy(bucket: str | None) -> str:
    """The bucket files are redirected to (S3 without the proxy) may send images and media."""
    extra = f" {bucket}" if bucket else ""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src 'self' data:{extra}",
            f"media-src 'self'{extra}",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )

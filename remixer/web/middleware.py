import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url

from remixer.files import storage
from remixer.files.serving import storage_unavailable

logger = logging.getLogger(__name__)


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

"""Login throttling, by account and by (account, address); a flood from one address waits.

Failures on a name lock that name from that address, and past a higher count from
everywhere; so guesses at made-up names lock no real account, and a teammate behind the
same proxy still gets in. Many failures from one address in a short while get 429 with
`Retry-After` for a while, whatever the names. The failures are rows in the database, so
every web process (and machine) counts the same.
"""

import ipaddress
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone

from remixer.accounts import LoginFailure

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address: the peer's, or, when the peer is a trusted proxy, the nearest
    address in X-Forwarded-For that is not one (each proxy appends the address it saw)."""
    if request is None:
        return None
    address = parse_address(request.META.get("REMOTE_ADDR", ""))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    while address is not None and trusted(address) and forwarded:
        claimed = parse_address(forwarded.pop())
        if claimed is None:
            break
        address = claimed
    return str(address) if address is not None else None


def parse_address(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def trusted(address: IPAddress) -> bool:
    networks = (ipaddress.ip_network(n, strict=False) for n in settings.REMIXER_TRUSTED_PROXIES)
    return any(address in network for network in networks)


def recent(seconds: float) -> Any:
    return LoginFailure.objects.filter(failed_at__gte=timezone.now() - timedelta(seconds=seconds))


def forget_old_failures() -> int:
    """Failed logins past every window that counts them (the sweep's upkeep)."""
    window = max(settings.LOGIN_LOCK_MINUTES * 60, settings.LOGIN_FLOOD_SECONDS)
    before = timezone.now() - timedelta(seconds=window)
    return LoginFailure.objects.filter(failed_at__lt=before).delete()[0]


def locked(username: str, address: str | None) -> bool:
    failures = recent(settings.LOGIN_LOCK_MINUTES * 60).filter(username__iexact=username)
    from_here = failures.filter(address=address).count() if address else 0
    return (
        from_here >= settings.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS
        or failures.count() >= settings.LOGIN_FAILURES_PER_ACCOUNT
    )


def flood_wait(address: str | None) -> int:
    """Seconds until this address may try again: 0 unless it failed too often just now."""
    limit, window = settings.LOGIN_FLOOD_FAILURES, settings.LOGIN_FLOOD_SECONDS
    if address is None:
        return 0
    times = recent(window).filter(address=address).order_by("-failed_at")
    oldest = times.values_list("failed_at", flat=True)[limit - 1 : limit].first()
    if oldest is None:
        return 0
    return max(1, int(window - (timezone.now() - oldest).total_seconds()) + 1)


def refuse_floods(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A login view that answers 429 to an address that failed too often just now."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        wait = flood_wait(client_address(request)) if request.method == "POST" else 0
        if wait:
            message = f"Too many failed logins from your address. Try again in {wait} seconds."
            response = HttpResponse(message, status=429, content_type="text/plain")
            response["Retry-After"] = str(wait)
            return response
        return view(request, *args, **kwargs)

    return wrapped


class ThrottledLogin:
    """Mixed into an authentication form: refuses while locked, counts each failure."""

    request: HttpRequest | None
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        username = str(self.cleaned_data.get("username") or "")[:150]
        address = client_address(self.request)
        if locked(username, address):
            raise forms.ValidationError(
                f"Too many failed attempts. Try again in {settings.LOGIN_LOCK_MINUTES} minutes.",
                code="locked",
            )
        try:
            return super().clean()  # type: ignore[misc, no-any-return]
        except forms.ValidationError:
            LoginFailure.objects.create(username=username, address=address)
            raise


class LoginForm(ThrottledLogin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLogin, AdminAuthenticationForm):
    pass

"""Signing in, throttled by account and by (account, address); models/accounts.py counts
the failures."""

import ipaddress
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest

from remixer.models.accounts import LoginFailure, locked

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

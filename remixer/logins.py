"""Login throttling: repeated failures lock the account, and the address, for a while.

The failures are rows in the database, so every web process (and machine) counts the same.
"""

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.utils import timezone

from remixer.models import LoginFailure


def client_address(request: HttpRequest | None) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def locked(username: str, address: str | None) -> bool:
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    recent = LoginFailure.objects.filter(failed_at__gte=since)
    by_account = recent.filter(username__iexact=username).count()
    by_address = recent.filter(address=address).count() if address else 0
    return (
        by_account >= settings.LOGIN_FAILURES_PER_ACCOUNT
        or by_address >= settings.LOGIN_FAILURES_PER_ADDRESS
    )


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

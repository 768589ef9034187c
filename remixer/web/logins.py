"""Login throttling, by account and by (account, address); a flood from one address waits.

Failures on a name lock that name from that address, and past a higher count from
everywhere; so guesses at made-up names lock no real account, and a teammate behind the
same proxy still gets in. Many failures from one address in a short while get 429 with
`Retry-After` for a while, whatever the names. The failures are rows in the database, so
every web process (and machine) counts the same. Each sign-in, and each failed one, is noted
in the audit trail (actions/audit.py).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from remixer.actions import audit
from remixer.forms.logins import client_address
from remixer.lib.words import counted
from remixer.models.accounts import flood_wait


def refuse_floods(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A login view that answers 429 to an address that failed too often just now, and notes
    each sign-in and failed sign-in in the audit trail, in the same transaction."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        wait = flood_wait(client_address(request)) if request.method == "POST" else 0
        if wait:
            later = counted(wait, "second")
            message = f"Too many failed logins from your address. Try again in {later}."
            response = HttpResponse(message, status=429, content_type="text/plain")
            response["Retry-After"] = str(wait)
            return response
        if request.method != "POST" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            answer = view(request, *args, **kwargs)
            note_sign_in(request, answer)
        return answer

    return wrapped


def note_sign_in(request: HttpRequest, response: HttpResponseBase) -> None:
    """A POST by someone signed out: signed in now, or the form came back (a wrong password,
    or a locked account). A refused CSRF token is no attempt at all."""
    address = client_address(request)
    if request.user.is_authenticated:
        audit.record(audit.Action.SIGNED_IN, user=request.user, address=address)
    elif response.status_code == 200:
        typed = str(request.POST.get("username", ""))[:150]
        audit.record(audit.Action.SIGN_IN_FAILED, user=None, address=address, username=typed)

"""Login throttling, by account and by (account, address); a flood from one address waits.

Failures on a name lock that name from that address, and past a higher count from
everywhere; so guesses at made-up names lock no real account, and a teammate behind the
same proxy still gets in. Many failures from one address in a short while get 429 with
`Retry-After` for a while, whatever the names. The failures are rows in the database, so
every web process (and machine) counts the same.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from remixer.forms.logins import client_address
from remixer.lib.words import counted
from remixer.models.accounts import flood_wait


def refuse_floods(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A login view that answers 429 to an address that failed too often just now."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        wait = flood_wait(client_address(request)) if request.method == "POST" else 0
        if wait:
            later = counted(wait, "second")
            message = f"Too many failed logins from your address. Try again in {later}."
            response = HttpResponse(message, status=429, content_type="text/plain")
            response["Retry-After"] = str(wait)
            return response
        return view(request, *args, **kwargs)

    return wrapped

"""Pages a viewer may not use: they answer 403 in words (templates/403.html), before any
form is read. The actions refuse a viewer too (`actions.errors.check_can_make`); this
guard spares them a form they could never send."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from remixer.actions.errors import VIEWERS_MAY_NOT
from remixer.models.accounts import can_make

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def makers_only(view: View) -> View:
    """The view for creators and staff; to a viewer, 403 with the reason."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not can_make(request.user):
            raise PermissionDenied(VIEWERS_MAY_NOT)
        return view(request, *args, **kwargs)

    return guarded  # type: ignore[return-value]

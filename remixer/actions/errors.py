"""What a person may not do, in words fit for their eyes: pages answer these with 403 or a
message, `/v1` with its error envelope."""

from typing import Any

from remixer.models.accounts import can_make


class NotAllowed(Exception):
    """The user may not do this to this video; the message says why."""


class NotOwner(NotAllowed):
    """Only the owner of the video (or staff) may do this."""


class TooManyJobs(NotAllowed):
    """The user has as many jobs queued or running as one may; another must finish first."""


class ViewerRefused(NotAllowed):
    """A viewer may watch, compare and export, but not make, change or delete anything."""


VIEWERS_MAY_NOT = (
    "Viewers can watch, compare and export videos, but not make, change or delete them; "
    "ask a staff member to make you a creator."
)


def check_can_make(user: Any) -> None:
    """The one refusal of a viewer, wherever they try to make or change something."""
    if not can_make(user):
        raise ViewerRefused(VIEWERS_MAY_NOT)

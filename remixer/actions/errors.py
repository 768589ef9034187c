"""What a person may not do, in words fit for their eyes: pages answer these with 403 or a
message, `/v1` with its error envelope."""


class NotAllowed(Exception):
    """The user may not do this to this video; the message says why."""


class NotOwner(NotAllowed):
    """Only the owner of the video (or staff) may do this."""


class TooManyJobs(NotAllowed):
    """The user has as many jobs queued or running as one may; another must finish first."""

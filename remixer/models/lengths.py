"""How long an extension makes a video: the segments on offer and the limit of a chain."""

from django.conf import settings

# The lengths of a new segment an extension may add, in seconds (the Videos API's values).
EXTEND_SECONDS = ("4", "8", "12", "16", "20")


class LengthRefused(ValueError):
    """The segment asked for is not on offer, or would make the video too long."""


def check_segment(seconds: str) -> None:
    if seconds not in EXTEND_SECONDS:
        raise LengthRefused(
            f"An extension adds {', '.join(EXTEND_SECONDS[:-1])} or {EXTEND_SECONDS[-1]} "
            f"seconds, not {seconds!r}."
        )


def extended_total(source_seconds: str, seconds: str) -> int:
    """The length of a video of `source_seconds` with a segment of `seconds` after it."""
    check_segment(seconds)
    total = round(float(source_seconds or 0)) + int(seconds)
    limit = settings.REMIXER_MAX_EXTENDED_SECONDS
    if total > limit:
        raise LengthRefused(
            f"An extended video may last at most {limit} seconds: this one is "
            f"{source_seconds} s, and {seconds} s more would make {total} s."
        )
    return total

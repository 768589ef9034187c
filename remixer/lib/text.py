"""What counts as text and as a number in what people and programs send: ASCII digits only,
no NUL, no unpaired surrogate, nothing that was not UTF-8."""

import re

DIGITS = re.compile("-?[0-9]{1,18}", re.ASCII)  # no "²", no "+", no spaces, no 5,000 digits
NOT_TEXT = (
    "The text is not valid: it holds bytes that are not UTF-8, "
    "an unpaired surrogate or a NUL character."
)


def strict_int(value: object, *, low: int, high: int) -> int | None:
    """An integer written in ASCII digits (or a JSON integer) from low to high; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and DIGITS.fullmatch(value):
        value = int(value)
    if isinstance(value, int) and low <= value <= high:
        return value
    return None


def is_text(value: str) -> bool:
    """True unless the string holds a NUL, an unpaired surrogate or U+FFFD, which is how
    Django decodes bytes that are not UTF-8."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value and "\ufffd" not in value

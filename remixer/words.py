"""Words for people: a size as they say it, and what changed between two prompts."""

import difflib
from typing import NamedTuple


class Token(NamedTuple):
    text: str
    changed: bool


def token_diff(old: list[str], new: list[str]) -> tuple[list[Token], list[Token]]:
    """Both sequences, each token marked when the other side lacks it there: the first
    side marks what was taken out, the second what was put in. Case does not count."""
    left: list[Token] = []
    right: list[Token] = []
    matcher = difflib.SequenceMatcher(
        a=[t.casefold() for t in old], b=[t.casefold() for t in new], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        changed = tag != "equal"
        left += [Token(text, changed) for text in old[i1:i2]]
        right += [Token(text, changed) for text in new[j1:j2]]
    return left, right


def word_diff(before: str, after: str) -> tuple[list[Token], list[Token]]:
    return token_diff(before.split(), after.split())


def size_label(size: str) -> str:
    """A size as people say it: "Landscape 1280 × 720", "Portrait 720 × 1280"."""
    width, _, height = size.partition("x")
    if not (width.isdigit() and height.isdigit()):
        return size
    shape = "Portrait" if int(height) > int(width) else "Landscape"
    return f"{shape} {width} × {height}"

"""Words for people: a size as they say it, what changed between two prompts, a title
read from a file's name and a file's name made from a title, a length of time."""

import difflib
import math
import re
import unicodedata
from typing import NamedTuple

TITLE_MAX = 200  # Video.title's length
SLUG_MAX = 80
SEPARATORS = re.compile(r"[_\-.\s]+")


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


def title_from_file_name(name: str) -> str:
    """A file's name without its folder and extension, its separators read as spaces:
    "calm_blue-waves at dusk.MP4" → "calm blue waves at dusk"."""
    stem = re.split(r"[/\\]", name)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    return SEPARATORS.sub(" ", stem).strip()[:TITLE_MAX].strip()


def slugify(text: str) -> str:
    """ASCII letters, digits, underscores and hyphens, as Django's `slugify` makes them
    ("Crème brûlée!" → "creme-brulee"); written out so this module needs no Django."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    kept = re.sub(r"[^\w\s-]", "", ascii_text.lower())
    return re.sub(r"[-\s]+", "-", kept).strip("-_")


def file_slug(text: str) -> str:
    """Text as a file name, cut at a word past SLUG_MAX; empty when nothing in it can name
    a file: "Calm blue waves, at dusk!" → "calm-blue-waves-at-dusk"."""
    slug = slugify(text)
    if len(slug) > SLUG_MAX:
        cut = slug[: SLUG_MAX + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:SLUG_MAX]
    return slug.strip("-")


def duration(seconds: float) -> str:
    """A length of time in words, rounded up, never down: 150 s is "3 minutes", not 2."""
    whole = max(1, math.ceil(seconds))
    if whole < 120:
        return counted(whole, "second")
    minutes = math.ceil(whole / 60)
    if minutes < 120:
        return counted(minutes, "minute")
    return counted(math.ceil(minutes / 60), "hour")


def counted(number: int, noun: str, plural: str = "") -> str:
    """ "1 minute", "2 minutes": a number and its noun, singular or plural as it should be;
    a noun that does not take an -s gives its plural ("1 retry", "2 retries")."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"

"""Splitting a prompt into quoted captions and tokens, and matching phrases over tokens.

Everything here is one pass over the text (no regular expressions that could backtrack):
the reader's time grows linearly with the prompt's length.
"""

from __future__ import annotations

from dataclasses import dataclass

# Opening quote -> closing quote. Straight quotes open where no letter precedes them and close
# where none follows, so the apostrophes of "don't" or "it's" are neither.
QUOTES = {'"': '"', "“": "”", "„": "“", "«": "»", "「": "」", "'": "'", "‘": "’", "‹": "›"}
APOSTROPHES = "'’`´"
CAPTION = "\x00caption"  # the token that stands where a caption was
BREAKS = ",;.!?()[]{}:|…–—"  # marks that end a clause
PUNCTUATION = BREAKS + "/&+"


@dataclass(frozen=True)
class Quoted:
    text: str
    start: int


def _closers(prompt: str) -> dict[str, list[int]]:
    """For each closing quote character, the positions where it can close."""
    found: dict[str, list[int]] = {close: [] for close in set(QUOTES.values())}
    for index, char in enumerate(prompt):
        if char in found and not (
            char in "'’" and index + 1 < len(prompt) and prompt[index + 1].isalnum()
        ):
            found[char].append(index)
    return found


def split_quotes(prompt: str) -> tuple[list[Quoted], str]:
    """The quoted parts, and the prompt with each replaced by the caption token."""
    closers, cursors = _closers(prompt), dict.fromkeys(set(QUOTES.values()), 0)
    quoted: list[Quoted] = []
    rest: list[str] = []
    index = 0
    while index < len(prompt):
        char = prompt[index]
        close = QUOTES.get(char)
        opens = close is not None and not (
            char in "'‘" and index > 0 and prompt[index - 1].isalnum()
        )
        end = _next(closers, cursors, close, index) if opens and close else None
        if end is None:
            rest.append(char)
            index += 1
            continue
        quoted.append(Quoted(prompt[index + 1 : end], len(rest)))
        rest.append(f" {CAPTION} ")
        index = end + 1
    return quoted, "".join(rest)


def _next(
    closers: dict[str, list[int]], cursors: dict[str, int], close: str, after: int
) -> int | None:
    """The first closer past `after`; cursors only move forward, so the scan stays linear."""
    positions, cursor = closers[close], cursors[close]
    while cursor < len(positions) and positions[cursor] <= after:
        cursor += 1
    cursors[close] = cursor
    return positions[cursor] if cursor < len(positions) else None


def tokens(text: str) -> list[str]:
    """Lower-case words, numbers ("1.5", "9:16") and single punctuation marks."""
    out: list[str] = []
    word: list[str] = []
    text = text.casefold()
    length = len(text)
    for index, char in enumerate(text):
        if char == "-" and not word and index + 1 < length and text[index + 1] in DIGITS:
            word.append(char)  # a negative number: "rotate -90"
            continue
        if char.isalnum() or (char in ".:" and word and _numeric_join(text, index, word)):
            word.append(char)
            continue
        if char in APOSTROPHES and word and index + 1 < length and text[index + 1].isalnum():
            continue  # don't -> dont
        if word:
            out.append("".join(word))
            word = []
        if char == "\x00":
            word.append(char)
        elif char in PUNCTUATION or char in "%×°":
            out.append(char)
    if word:
        out.append("".join(word))
    return split_units(out)


def _numeric_join(text: str, index: int, word: list[str]) -> bool:
    return word[-1] in DIGITS and index + 1 < len(text) and text[index + 1] in DIGITS


def split_units(items: list[str]) -> list[str]:
    """ "3x" -> "3", "x"; "2s" -> "2", "s"; "x2" -> "x", "2"; "+6db" -> "6", "db"."""
    out: list[str] = []
    for at, token in enumerate(items):
        if token == "+" and items[at + 1 : at + 2] and items[at + 1][0] in DIGITS:
            continue  # a plus sign says no more than the number after it
        head = 0
        while head < len(token) and (token[head] in DIGITS or token[head] in ".:-"):
            head += 1
        if 0 < head < len(token) and token[head:] in UNIT_SUFFIXES:
            out += [token[:head], token[head:]] if token[head:] != "mm" else [token]
        elif token.startswith("x") and len(token) > 1 and _is_number(token[1:]):
            out += ["x", token[1:]]
        else:
            out.append(token)
    return out


DIGITS = frozenset("0123456789")
UNIT_SUFFIXES = ("x", "s", "sec", "secs", "fps", "mm", "bit", "db")


def _is_number(token: str) -> bool:
    head, _, tail = token.removeprefix("-").partition(".")
    return bool(head) and set(head) <= DIGITS and set(tail) <= DIGITS


def number(token: str) -> float | None:
    return float(token) if _is_number(token) else None


class Trie:
    """Phrases of tokens; `longest` finds the longest phrase starting at a position."""

    def __init__(self) -> None:
        self.root: dict[str, object] = {}
        self.depth = 0

    def add(self, phrase: str, value: object) -> None:
        node = self.root
        words = tokens(phrase)
        for word in words:
            node = node.setdefault(word, {})  # type: ignore[assignment]
        node.setdefault("\x01", value)
        self.depth = max(self.depth, len(words))

    def longest(self, items: list[str], start: int) -> tuple[int, object] | None:
        node, found = self.root, None
        for offset in range(self.depth):
            if start + offset >= len(items):
                break
            child = node.get(items[start + offset])
            if not isinstance(child, dict):
                break
            node = child
            if "\x01" in node:
                found = (offset + 1, node["\x01"])
        return found

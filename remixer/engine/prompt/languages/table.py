"""A language's phrase table and the one pass that reads a prompt through it.

Words are compared lower case with their accents folded ("más" and "mas" are one word), and
the longest phrase starting at each word wins. Within a phrase, a few words that carry no
meaning (articles, "video") may stand between its words: "spiegel das Video horizontal" is
"spiegel horizontal". Languages written without spaces are matched inside the text instead.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from remixer.engine.prompt.words import APOSTROPHES, tokens

END = "\x01"  # marks a trie node where a phrase ends
MAX_SKIPPED = 3  # filler words a phrase may step over


def fold(text: str) -> str:
    """Lower case without accents; "ß" is "ss"."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def table(lines: str) -> dict[str, str]:
    """Lines of "phrase, phrase = english" as {phrase: english}; "-" is nothing."""
    out: dict[str, str] = {}
    for line in lines.strip().splitlines():
        sources, _, english = line.partition("=")
        for source in sources.split(","):
            if source.strip():
                out[source.strip()] = english.strip().removeprefix("-")
    return out


def wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


def is_word(token: str) -> bool:
    """Words count towards a language; numbers, marks and units do not."""
    return any(char.isalpha() for char in token) and token not in ("x", "s", "\x00caption")


@dataclass
class Translation:
    english: list[str]
    explained: int  # words of the prompt the table knew
    exact: int = 0  # of those, written with the table's own accents (tells "très" from "tres")
    phrases: int = 0  # how many phrases explained them: fewer is the more fluent reading
    unknown: list[str] = field(default_factory=list)  # words it did not
    pieces: list[list[str]] = field(default_factory=list)  # unspaced: English per phrase


@dataclass(eq=False)
class Language:
    """A table of phrase -> English phrase; `spaced` is False for languages written without
    spaces between words, whose phrases are found inside the text."""

    name: str
    phrases: dict[str, str]
    fillers: frozenset[str] = frozenset()
    elisions: frozenset[str] = frozenset()  # "l", "d": "l'image" is "l image"
    spaced: bool = True
    reorder: Callable[[list[list[str]]], list[str]] | None = None  # into English order
    root: dict[str, object] = field(init=False, default_factory=dict)
    spellings: frozenset[str] = field(init=False, default=frozenset())
    inside: dict[str, list[tuple[str, str]]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.fillers = frozenset(fold(word) for word in self.fillers)
        self.spellings = frozenset(
            word.casefold() for phrase in self.phrases for word in self.split(phrase)
        )
        for phrase, english in self.phrases.items():
            if not self.spaced:
                key = unicodedata.normalize("NFKC", phrase).casefold()
                self.inside.setdefault(key[0], []).append((key, english))
                continue
            node = self.root
            for word in self.split(fold(phrase)):
                node = node.setdefault(word, {})  # type: ignore[assignment]
            node.setdefault(END, english)
        for found in self.inside.values():
            found.sort(key=lambda pair: -len(pair[0]))

    def words(self) -> dict[str, str]:
        """Every single word of the table's phrases, folded, with its spelling in the table
        (for reading misspellings)."""
        spelled: dict[str, str] = {}
        for phrase in self.phrases if self.spaced else ():
            for word in self.split(phrase):
                spelled.setdefault(fold(word), word)
        return spelled

    def meanings(self) -> dict[str, str]:
        """The English of each word that is a phrase on its own ("cálido" -> "warmer")."""
        return {
            fold(phrase): english
            for phrase, english in self.phrases.items()
            if self.spaced and len(self.split(phrase)) == 1
        }

    def split(self, text: str) -> list[str]:
        """The text's words, with elided articles apart: "l'image" is "l", "image"."""
        if not self.elisions:
            return tokens(text)
        chars, start = list(text), 0
        for index, char in enumerate(chars):
            if char in APOSTROPHES and text[start:index].casefold() in self.elisions:
                chars[index] = " "
            if not char.isalpha():
                start = index + 1
        return tokens("".join(chars))

    def longest(self, folded: list[str], start: int) -> tuple[int, str] | None:
        """(end, english) of the longest phrase at `start`, stepping over filler words."""
        node, found, skipped, index = self.root, None, 0, start
        while index < len(folded):
            child = node.get(folded[index])
            if isinstance(child, dict):
                node = child
                if END in node:
                    found = (index + 1, str(node[END]))
            elif index == start or folded[index] not in self.fillers or skipped >= MAX_SKIPPED:
                break
            else:
                skipped += 1
            index += 1
        return found

    def translate(self, words: list[str]) -> Translation:
        folded = [fold(word) for word in words]
        out = Translation([], 0)
        index = 0
        while index < len(words):
            found = self.longest(folded, index)
            if found is None:
                if is_word(words[index]):
                    out.unknown.append(words[index])
                out.english.append(words[index])
                index += 1
                continue
            end, english = found
            out.english += english.split()
            matched = [word for word in words[index:end] if is_word(word)]
            out.explained += len(matched)
            out.exact += sum(1 for word in matched if word in self.spellings)
            out.phrases += 1
            index = end
        return out

    def find_inside(self, text: str) -> Translation:
        """The longest phrase at each character, for languages without spaces; the text
        between phrases is kept as written."""
        text = unicodedata.normalize("NFKC", text).casefold()
        out, kept, index = Translation([], 0), 0, 0
        while index < len(text):
            phrase = next(
                (p for p in self.inside.get(text[index], ()) if text.startswith(p[0], index)),
                None,
            )
            if phrase is None:
                index += 1
                continue
            _kept(text[kept:index], out)
            if phrase[1]:
                out.pieces.append(phrase[1].split())
            out.explained += 1
            index = kept = index + len(phrase[0])
        _kept(text[kept:], out)
        out.english = [word for piece in out.pieces for word in piece]
        return out


def _kept(text: str, out: Translation) -> None:
    words = tokens(text)
    out.unknown += [word for word in words if is_word(word)]
    out.pieces += [[word] for word in words]

"""A language's phrase table and the one pass that reads a prompt through it.

Words are compared lower case with their accents folded ("más" and "mas" are one word), and
the longest phrase starting at each word wins. Within a phrase, a few words that carry no
meaning (articles, "video") may stand between its words: "spiegel das Video horizontal" is
"spiegel horizontal" (a word that may be either, stepped over or the phrase's next word, is
tried both ways); so may a word of degree, said before the phrase: "voz un poco más grave" is
"a bit" and "voz más grave", "声ちょっと高く" is "a bit" and "声高く". Short forms are read as
the words they stand for ("pa" as "para", "bissl" as "bisschen"). A word the table does not
have as written may be read with another ending of its language ("quentes" as "quente",
"wärmere" as "wärmer"), but only where that form continues a phrase. Languages written
without spaces are matched inside the text instead ("音程 + 下げ" is "音程下げ").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import product

from remixer.engine.prompt.words import APOSTROPHES, tokens

END = "\x01"  # marks a trie node where a phrase ends
MAX_SKIPPED = 3  # filler words a phrase may step over
MIN_STEM = 3  # letters a word keeps before an ending is changed: "ore" is never "oro"
OR = "|"  # "more | louder": a second reading, for the sound (see english_order.py)
# The English of the words of degree that may stand inside another phrase.
DEGREES = frozenset(("a bit", "a little bit", "very", "somewhat", "quite", "much more", "more"))


def fold(text: str) -> str:
    """Lower case without accents; "ß" is "ss"."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def table(lines: str) -> dict[str, str]:
    """Lines of "phrase, phrase = english" as {phrase: english}; "-" is nothing. A line
    "verb, verb + object, object = english" holds every verb followed by every object."""
    out: dict[str, str] = {}
    for line in lines.strip().splitlines():
        sources, _, english = line.partition("=")
        for words in product(*(_phrases(part) for part in sources.split("+"))):
            out[" ".join(words)] = english.strip().removeprefix("-")
    return out


def _phrases(text: str) -> list[str]:
    return [phrase.strip() for phrase in text.split(",") if phrase.strip()]


def endings(groups: str) -> tuple[tuple[str, ...], ...]:
    """ "o a os as | e es": the endings one word takes in its forms; "-" is none."""
    return tuple(
        tuple("" if ending == "-" else fold(ending) for ending in group.split())
        for group in groups.split("|")
    )


def wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


def is_word(token: str) -> bool:
    """Words count towards a language; numbers, marks and units do not."""
    return any(char.isalpha() for char in token) and token not in ("x", "s", "\x00caption")


# A way through the trie: the node reached, the next word, the words stepped over, and the
# English of the words of degree among them.
_Path = tuple[dict[str, object], int, int, tuple[str, ...]]


@dataclass(frozen=True)
class Match:
    end: int  # where the phrase ends in the text
    english: str
    said: tuple[str, ...] = ()  # the English of the words of degree inside it, said first


@dataclass
class Translation:
    explained: int = 0  # words of the prompt the table knew
    exact: int = 0  # of those, written with the table's own accents (tells "très" from "tres")
    phrases: int = 0  # how many phrases explained them: fewer is the more fluent reading
    unknown: list[str] = field(default_factory=list)  # words it did not
    pieces: list[list[str]] = field(default_factory=list)  # the English of each phrase


@dataclass(eq=False)
class Language:
    """A table of phrase -> English phrase; `spaced` is False for languages written without
    spaces between words, whose phrases are found inside the text."""

    name: str
    phrases: dict[str, str]
    fillers: frozenset[str] = frozenset()
    short: dict[str, str] = field(default_factory=dict)  # "pa": "para", "bissl": "bisschen"
    keep: frozenset[str] = frozenset()  # common words never read as a misspelt table word
    elisions: frozenset[str] = frozenset()  # "l", "d": "l'image" is "l image"
    endings: tuple[tuple[str, ...], ...] = ()  # of adjectives and participles: see endings()
    spaced: bool = True
    reorder: Callable[[list[list[str]]], list[str]] | None = None  # into English order
    root: dict[str, object] = field(init=False, default_factory=dict)
    spellings: frozenset[str] = field(init=False, default=frozenset())
    inside: dict[str, list[tuple[str, str]]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.fillers = frozenset(map(fold if self.spaced else _spaceless, self.fillers))
        self.keep = frozenset(map(fold, self.keep))
        self.spellings = frozenset(
            word.casefold() for phrase in self.phrases for word in self.split(phrase)
        )
        for phrase, english in self.phrases.items():
            if not self.spaced:
                key = _spaceless(phrase).replace(" ", "")  # "音程 + 下げ" is "音程下げ"
                self.inside.setdefault(key[0], []).append((key, english))
                continue
            node = self.root
            for word in self.split(fold(phrase)):
                node = node.setdefault(self.short.get(word, word), {})  # type: ignore[assignment]
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
            fold(phrase): english.partition(OR)[0].strip()
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

    def longest(self, folded: list[str], start: int) -> Match | None:
        """The longest phrase at `start`, stepping over filler words and words of degree; a
        word that starts none as written may start one with another ending."""
        found = self._longest(folded, start, folded[start])
        for form in () if found else self._forms(folded[start]):
            if found := self._longest(folded, start, form):
                break
        return found

    def _longest(self, folded: list[str], start: int, first: str) -> Match | None:
        """The longest phrase from `start`; a word that may both continue the phrase and be
        stepped over ("el" in "baja el brillo" and "baja el contraste") is tried both ways."""
        best: tuple[int, int, Match] | None = None
        paths: list[_Path] = [(self.root, start, 0, ())]
        while paths:
            node, index, skipped, said = paths.pop()
            if index >= len(folded):
                continue
            word = first if index == start else folded[index]
            if index > start and skipped < MAX_SKIPPED:
                degree = self._degree(folded, index)
                if degree or folded[index] in self.fillers:
                    end, more = (degree.end, (degree.english,)) if degree else (index + 1, ())
                    paths.append((node, end, skipped + 1, (*said, *more)))
            child = node.get(word) or (index > start and self._inflected(node, word))
            if isinstance(child, dict):
                paths.append((child, index + 1, skipped, said))
                ranked = (index + 1, -skipped)
                if END in child and (best is None or ranked > best[:2]):
                    best = (*ranked, Match(index + 1, str(child[END]), said))
        return best[2] if best else None

    def _degree(self, folded: list[str], start: int) -> Match | None:
        """The longest word of degree at `start` ("un poco", "etwas"), if one is."""
        node, found = self.root, None
        for index in range(start, len(folded)):
            child = node.get(folded[index])
            if not isinstance(child, dict):
                break
            node = child
            if node.get(END) in DEGREES:
                found = Match(index + 1, str(node[END]))
        return found

    def _inflected(self, node: dict[str, object], word: str) -> object:
        """The node the word leads to with another ending ("frias" -> "frio")."""
        return next((node[form] for form in self._forms(word) if form in node), None)

    def _forms(self, word: str) -> Iterator[str]:
        """The word with each other ending of its endings' groups."""
        for group in self.endings:
            for ending in group:
                stem = word[: len(word) - len(ending)]
                if word.endswith(ending) and len(stem) >= MIN_STEM:
                    yield from (stem + other for other in group if other != ending)

    def translate(self, words: list[str]) -> Translation:
        folded = [self.short.get(word, word) for word in map(fold, words)]
        out = Translation()
        index = 0
        while index < len(words):
            found = self.longest(folded, index)
            if found is None:
                if is_word(words[index]):
                    out.unknown.append(words[index])
                out.pieces.append([words[index]])
                index += 1
                continue
            out.pieces += [said.split() for said in found.said]
            out.pieces.append(found.english.split())
            matched = [word for word in words[index : found.end] if is_word(word)]
            out.explained += len(matched)
            out.exact += sum(1 for word in matched if word in self.spellings)
            out.phrases += 1
            index = found.end
        return out

    def find_inside(self, text: str) -> Translation:
        """The longest phrase at each character, for languages without spaces; the text
        between phrases is kept as written."""
        text = _spaceless(text)
        out, kept, index = Translation(), 0, 0
        while index < len(text):
            found = next(
                (
                    m
                    for key, english in self.inside.get(text[index], ())
                    if (m := self._inside(text, index, key, english))
                ),
                None,
            )
            if found is None:
                index += 1
                continue
            _kept(text[kept:index], out)
            out.pieces += [said.split() for said in found.said]
            if found.english:
                out.pieces.append(found.english.split())
            out.explained += 1 + len(found.said)
            index = kept = found.end
        _kept(text[kept:], out)
        return out

    def _inside(self, text: str, start: int, key: str, english: str) -> Match | None:
        """The phrase `key` at `start`, stepping over fillers and words of degree inside it."""
        at, skipped = start, 0
        said: tuple[str, ...] = ()
        for position, char in enumerate(key):
            while position and not text.startswith(char, at) and skipped < MAX_SKIPPED:
                step = self._inside_step(text, at)
                if step is None:
                    break
                at, said, skipped = step.end, (*said, *step.said), skipped + 1
            if not text.startswith(char, at):
                return None
            at += 1
        return Match(at, english, said)

    def _inside_step(self, text: str, at: int) -> Match | None:
        """A filler or a word of degree at `at` (the longest), as a step over it."""
        for key, english in self.inside.get(text[at], ()) if at < len(text) else ():
            if text.startswith(key, at) and (english in DEGREES or key in self.fillers):
                return Match(at + len(key), "", (english,) if english in DEGREES else ())
        return None


# Ideographic marks that end a clause, as the reader knows them.
_MARKS = str.maketrans({"、": ",", "。": ".", "，": ","})


def _spaceless(text: str) -> str:
    """Text without spaces as its phrases are compared: its accents are letters ("が")."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_MARKS)


def _kept(text: str, out: Translation) -> None:
    words = tokens(text)
    out.unknown += [word for word in words if is_word(word)]
    out.pieces += [[word] for word in words]

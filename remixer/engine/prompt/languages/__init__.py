"""Prompts written in another language, read through phrase tables beside the English
vocabulary: each table turns its language's phrasings into the English the reader knows.

The language is the one whose table explains most of the prompt's words; English wins every
tie, so an English prompt is never read as another language, and a prompt mixing two is read
as the one it says most in (its English words pass through untouched). Words no table knows
are kept, so the reader can name them back. A misspelt word of the chosen language is read
as the one table word a letter away, if it has six letters or more (shorter words are too
often other real words: "passe" is not "pause") and is not one of the language's common
words (`keep`).

Adding a language is adding a module here with one `LANGUAGE = Language(...)`: its name in
English, a table of "phrase, phrase = english phrase" lines (lower case; accents may be
written or not, "más" and "mas" are one word; "sube, baja + el volumen, el sonido = ..."
is every verb with every object), the filler words a phrase may step over ("das", "le",
"video"), the endings its adjectives and participles take ("o a os as | e es": a table that
says "quente" knows "quentes"), its short forms ("pa": "para"), its common words never read
as misspelt, and `spaced=False` for a language written without spaces (its phrases are then
found inside the text, longest first). Then list it in `LANGUAGES`.
The English side may use any phrase the reader knows (`vocabulary.py`, `moments.py`);
"more | louder" gives a second reading for where the prompt is about the sound; "<after"
is said before the phrase it follows (with `reorder=governed_first`); "~too" is "too" in a
complaint and "very" after a verb; "too dark" is read as the correction it asks for,
"brighter" (`english_order.py`). The platforms' names ("feed", "insta", "reels") are in
every table (`platforms.py`), and so is each verb that raises or lowers a thing with every
noun for that thing ("baisse la tonalité" is "lower the pitch", never quieter; `up_down.py`).
A noun that only says what a sound step changes ("la voz", "声") is read as "to the sound",
and a part of the clip ("la parte", "der Teil") as "part", so neither is left unused.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from remixer.engine.prompt import typos
from remixer.engine.prompt.languages import de, english_order, es, fr, it, ja, pt
from remixer.engine.prompt.languages.english import explained
from remixer.engine.prompt.languages.table import Language, fold
from remixer.engine.prompt.words import tokens

MIN_CORRECTED = 6  # letters a word needs before it is read as a misspelt table word

LANGUAGES: tuple[Language, ...] = (
    es.LANGUAGE,
    pt.LANGUAGE,
    fr.LANGUAGE,
    de.LANGUAGE,
    it.LANGUAGE,
    ja.LANGUAGE,
)


@cache
def _speller(language: Language) -> tuple[dict[str, str], typos.Speller]:
    """The language's words as spelt in its table, and a speller for them (built when a
    prompt in that language first has a word the table does not know)."""
    spelled = language.words()
    keep = typos.WORDS | language.keep
    return spelled, typos.Speller(spelled, keep=keep, meaning=language.meanings())


@dataclass(frozen=True)
class Reading:
    """A prompt's text as the English reader takes it, the language it was read from (None
    for English) and each misspelt word of that language with the word it was read as."""

    text: str
    language: str | None = None
    corrected: tuple[tuple[str, str], ...] = ()


def read(text: str) -> Reading:
    written, text = text, _decimal_points(text)
    # A language must explain more words than English does; between two languages that
    # explain as many, the one whose accents the prompt wrote wins, then the one that
    # explains them in fewer phrases.
    most: tuple[int, float, int] = (explained(tokens(text)), math.inf, 0)
    best = None
    for language in LANGUAGES:
        words = language.split(text) if language.spaced else []
        translation = language.translate(words) if language.spaced else language.find_inside(text)
        score = (translation.explained, translation.exact, -translation.phrases)
        if score > most:
            best, most = (language, words, translation), score
    if best is None:
        return Reading(written)
    language, words, translation = best
    corrected: list[tuple[str, str]] = []
    if translation.unknown and language.spaced:
        respelt, corrected = _respelt(language, words, translation.unknown)
        translation = language.translate(respelt) if corrected else translation
        still = {fold(word) for word in translation.unknown}
        if any(fold(meant) in still for _, meant in corrected):  # read, but still not known
            corrected = [(word, meant) for word, meant in corrected if fold(meant) not in still]
            kept = {word for word, _ in corrected}
            translation = language.translate(
                [new if old in kept else old for old, new in zip(words, respelt, strict=True)]
            )
    pieces = english_order.choose(translation.pieces)
    english = language.reorder(pieces) if language.reorder else [w for p in pieces for w in p]
    return Reading(" ".join(english_order.tidy(english)), language.name, tuple(corrected))


def _respelt(
    language: Language, words: list[str], unknown: list[str]
) -> tuple[list[str], list[tuple[str, str]]]:
    """The words with the language's misspellings read as its words, and each correction."""
    spelled, speller = _speller(language)
    meant: dict[str, str] = {}
    for word in dict.fromkeys(unknown):
        folded = fold(word)
        if len(folded) < MIN_CORRECTED:
            continue
        if found := speller.read_as([folded], 0, speller.nearest(folded)):
            meant[word] = found
    corrected = [(word, spelled[found]) for word, found in meant.items()]
    return [meant.get(word, word) for word in words], corrected


def _decimal_points(text: str) -> str:
    """ "1,5 segundos" is 1.5 seconds: a comma between digits is a decimal point."""
    chars = list(text)
    for index in range(1, len(chars) - 1):
        if chars[index] == "," and chars[index - 1].isdigit() and chars[index + 1].isdigit():
            chars[index] = "."
    return "".join(chars)

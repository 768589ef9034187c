"""A translation's words put the way the English reader takes them: a phrase with a second
reading for the sound read as the sound where its clause is about the sound ("plus fort" is
"more", but "le son plus fort" is "sound louder"); a word that follows what it governs put
before it ("escuro demais", "3秒後"); a complaint read as the correction it asks for ("trop
sombre" is too dark: brighter); "les 2 premières secondes" as "the first 2 seconds"; "la 3e
seconde" as "second 3"; and a number of decibels after the volume word it changes, as
"quieter by 10 db"."""

from __future__ import annotations

from remixer.engine.prompt import moments
from remixer.engine.prompt import vocabulary as v
from remixer.engine.prompt.languages.table import OR, fold
from remixer.engine.prompt.moments import UNIT
from remixer.engine.prompt.sound_words import SOUND_NOUNS, SOUND_PHRASES
from remixer.engine.prompt.words import BREAKS, number, tokens

ABOUT_SOUND = frozenset((*SOUND_NOUNS, "db", "decibels"))
_SOUND_STEPS = {step for step, _ in SOUND_PHRASES.values()}
_NOT_LOOKS = (
    {word for phrase in (*v.STRENGTH, *v.PLACES, *v.MOMENTS) for word in tokens(phrase)}
    | v.STOP_WORDS
    | v.SEPARATORS
    | v.NUMBER_WORDS.keys()
    | v.UNITS.keys()
    | moments.FIRST
    | moments.LAST
    | ABOUT_SOUND
)
# The words of the looks and picture steps: what "plus fort" could be more of.
LOOK_WORDS = frozenset(
    word
    for phrase, effect in v.EFFECTS.items()
    if effect.step not in _SOUND_STEPS
    for word in tokens(phrase)
    if word not in _NOT_LOOKS
) | frozenset(v.COLOUR_WORDS)
CLAUSE_ENDS = frozenset((*BREAKS, "and", "then", "but")) - {OR}
VOLUME_WORDS = frozenset(
    phrase
    for phrase, (step, params) in SOUND_PHRASES.items()
    if step == "volume" and params and " " not in phrase
)
BEFORE_DECIBELS = frozenset(("from", "of", "the", "in", "to", "by", "with", "at"))
ORDINAL_ENDINGS = frozenset(("e", "eme", "er", "re", "o", "a", "º", "ª", "te", "ten"))
ORDINAL_MARKS = frozenset((".", "°", "º", "ª"))
GOVERNS = "<"  # "3秒後" is "3 seconds <after": "after" goes before what it follows
UNITS = frozenset(("seconds", "second", "degrees", "x", "%", "times"))
TOO = "too"
# "muy oscuro": too dark where it is a complaint, very dark where a verb asks for it.
TOO_OR_VERY = "~too"
# What a complaint that the video is too much of something asks for.
CORRECTIONS = {
    **dict.fromkeys(("darker", "dark", "dim"), "brighter"),
    **dict.fromkeys(("brighter", "bright", "brightness"), "darker"),
    **dict.fromkeys(("warmer", "warm"), "cooler"),
    **dict.fromkeys(("cooler", "cold"), "warmer"),
    **dict.fromkeys(("vivid", "saturated", "more saturated", "saturation"), "muted"),
    "muted": "more saturated",
    **dict.fromkeys(("more contrast", "contrast"), "less contrast"),
    "less contrast": "more contrast",
    **dict.fromkeys(("loud", "louder", "volume"), "quieter"),
    **dict.fromkeys(("quiet", "quieter"), "louder"),
    **dict.fromkeys(("fast", "faster"), "slower"),
    **dict.fromkeys(("slow", "slower"), "faster"),
    "blur": "sharpen",
    "sharpen": "blur",
    "lower the pitch": "higher pitch",
    "higher pitch": "lower the pitch",
    **dict.fromkeys(("strong", "much", "much more"), "less"),
}
LONGEST_CORRECTION = max(len(phrase.split()) for phrase in CORRECTIONS)


def choose(pieces: list[list[str]]) -> list[list[str]]:
    """Each phrase's English, with one reading of the phrases that have two. Those are verbs
    ("sube", "baisse"), whose object follows without its article: "less saturation"."""
    clauses = _clauses(pieces)
    out: list[list[str]] = []
    for at, piece in enumerate(pieces):
        if piece == ["the"] and at and OR in pieces[at - 1]:
            continue
        if OR in piece:
            cut, words = piece.index(OR), clauses[at]
            about_sound = bool(ABOUT_SOUND & words) or not LOOK_WORDS & words
            piece = piece[cut + 1 :] if about_sound else piece[:cut]
        out.append(piece)
    return out


def _clauses(pieces: list[list[str]]) -> list[set[str]]:
    """For each piece, the words of its clause but those of phrases with two readings."""
    out: list[set[str]] = []
    words: set[str] = set()
    for piece in pieces:
        if CLAUSE_ENDS & set(piece):
            words = set()
        elif OR not in piece:
            words.update(piece)
        out.append(words)  # one set, shared by the clause's pieces
    return out


def governed_first(pieces: list[list[str]]) -> list[str]:
    """The words, with each piece marked "<" put before the phrase it follows: a number with
    its unit, or one phrase."""
    out: list[list[str]] = []
    for piece in filter(None, pieces):
        at = _governed(out) if piece[0].startswith(GOVERNS) else None
        if at is not None:
            out.insert(at, [piece[0][1:], *piece[1:]])
        elif not piece[0].startswith(GOVERNS):
            out.append(piece)
    return [word for piece in out for word in piece]


def _governed(out: list[list[str]]) -> int | None:
    """Where the last phrase starts: a number with its unit, or one table phrase."""
    if not out:
        return None
    if len(out) > 1 and out[-1][0] in UNITS and _is_number(out[-2]):
        return len(out) - 2
    return len(out) - 1


def _is_number(piece: list[str]) -> bool:
    return len(piece) == 1 and piece[0].replace(".", "", 1).isdigit()


def tidy(words: list[str]) -> list[str]:
    return _decibels_last(_ordinal_seconds(_ordinals_first(_corrections(_twice(words)))))


def _twice(words: list[str]) -> list[str]:
    """ "倍速" says "x speed" with no number: the number it leaves out is 2, twice as fast."""
    out: list[str] = []
    for at, word in enumerate(words):
        bare = word == "x" and not (out and _is_number([out[-1]]))
        if bare and words[at + 1 : at + 2] in (["speed"], ["faster"], ["slower"]):
            out.append("2")
        out.append(word)
    return out


def _corrections(words: list[str]) -> list[str]:
    """ "too dark" as "brighter", "too grainy" as "less grain"; "~too dark" as "brighter" too,
    unless a verb in its clause asks for it ("hazlo muy oscuro")."""
    out: list[str] = []
    asked, index = False, 0
    while index < len(words):
        word = words[index]
        asked = word == "make" or (asked and word not in CLAUSE_ENDS)
        found = _correction(words, index + 1, word == TOO) if word in (TOO, TOO_OR_VERY) else None
        if found and not (word == TOO_OR_VERY and asked):
            out += found[1].split()
            index += 1 + found[0]
            continue
        out.append("very" if word == TOO_OR_VERY else word)
        index += 1
    return out


def _correction(words: list[str], start: int, less: bool) -> tuple[int, str] | None:
    """The correction a complaint about the words at `start` asks for, and how many of them
    it stands for; with `less`, a look with no opposite is "less" of it."""
    for length in range(LONGEST_CORRECTION, 0, -1):
        phrase = " ".join(words[start : start + length])
        if start + length <= len(words) and phrase in CORRECTIONS:
            return length, CORRECTIONS[phrase]
    if less and start < len(words) and words[start] in LOOK_WORDS:
        return 0, "less"
    return None


def _ordinals_first(words: list[str]) -> list[str]:
    """ "les 2 premières secondes" says "the 2 first seconds": English puts "first" first."""
    out = list(words)
    for index in range(len(out) - 2):
        ordinal = out[index + 1] in ("first", "last") and out[index + 2] in UNIT
        if ordinal and (number(out[index]) is not None or out[index] in v.NUMBER_WORDS):
            out[index], out[index + 1] = out[index + 1], out[index]
    return out


def _ordinal_seconds(words: list[str]) -> list[str]:
    """ "la 3e seconde", "der 3. Sekunde", "il 3° secondo" are second 3."""
    out: list[str] = []
    for word in words:
        if word in UNIT and len(out) > 1 and out[-1] in ORDINAL_MARKS and _digits(out[-2]):
            out[-2:] = ["second", out[-2]]
        elif word in UNIT and out and (found := _ordinal(out[-1])):
            out[-1:] = ["second", found]
        else:
            out.append(word)
    return out


def _ordinal(word: str) -> str | None:
    head = len(word) - len(word.lstrip("0123456789"))
    return word[:head] if head and fold(word[head:]) in ORDINAL_ENDINGS else None


def _digits(word: str) -> bool:
    return word.isdigit() and word.isascii()


def _decibels_last(words: list[str]) -> list[str]:
    """ "quieter from 10 db", "by 10 db quieter", "volume 10 db quieter": the volume word,
    then "by" and the number of decibels."""
    out: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word in ("db", "decibels") and out and number(out[-1]) is not None:
            amount = out.pop()
            while out and out[-1] in BEFORE_DECIBELS:
                out.pop()
            follows = words[index + 1] if index + 1 < len(words) else ""
            if follows in VOLUME_WORDS and not (out and out[-1] in VOLUME_WORDS):
                out.append(follows)
                index += 1
            out += ["by", amount, word]
        else:
            out.append(word)
        index += 1
    return out

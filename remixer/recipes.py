"""Reading a remix prompt into a recipe the local engine can apply.

The engine is procedural, so a prompt is read for the effects it names, not for its meaning:
each effect has a few everyday phrasings, and a caption is whatever stands between quotes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

MAX_CAPTION = 80

# Canonical order of application: time first (it decides which source frame is shown), then
# geometry, then colour, then blur and vignette, so a caption drawn last stays sharp and unshaded.
EFFECT_ORDER: tuple[str, ...] = (
    "reverse",
    "slow_motion",
    "speed_up",
    "mirror",
    "zoom_in",
    "black_and_white",
    "sepia",
    "invert",
    "neon",
    "blur",
    "vignette",
)

SYNONYMS: dict[str, tuple[str, ...]] = {
    "reverse": ("reverse", "reversed", "backwards", "backward", "rewind", "in reverse"),
    "slow_motion": (
        "slow motion",
        "slow-motion",
        "slow-mo",
        "slow mo",
        "slowmo",
        "slow down",
        "slower",
        "slowed down",
    ),
    "speed_up": (
        "speed up",
        "sped up",
        "speed it up",
        "fast forward",
        "fast-forward",
        "faster",
        "timelapse",
        "time-lapse",
        "time lapse",
    ),
    "mirror": ("mirror", "mirrored", "flip", "flipped"),
    "zoom_in": ("zoom in", "zoom", "zoomed in", "zoom-in"),
    "black_and_white": (
        "black and white",
        "black & white",
        "black-and-white",
        "b&w",
        "b/w",
        "grayscale",
        "greyscale",
        "gray scale",
        "grey scale",
        "monochrome",
    ),
    "sepia": ("sepia", "vintage", "old photo"),
    "invert": ("invert", "inverted", "negative", "invert colors", "invert colours"),
    "neon": ("neon", "edge glow", "glow", "glowing"),
    "blur": ("blur", "blurred", "blurry", "soft focus"),
    "vignette": ("vignette", "dark corners", "darken the corners"),
}

LABELS: dict[str, str] = {
    "reverse": "Reverse",
    "slow_motion": "Slow motion (half speed)",
    "speed_up": "Speed up (double speed)",
    "mirror": "Mirror",
    "zoom_in": "Zoom in",
    "black_and_white": "Black and white",
    "sepia": "Sepia",
    "invert": "Invert colours",
    "neon": "Neon glow",
    "blur": "Blur",
    "vignette": "Vignette",
}

UNDERSTOOD = (
    "The local engine understands: black and white, sepia, invert, mirror, reverse, "
    "slow motion, speed up, zoom in, blur, vignette and neon, plus a caption in quotes "
    f"(up to {MAX_CAPTION} characters); several combine, "
    'for example: sepia, mirror, "Day one".'
)


class RecipeError(ValueError):
    """A prompt or stored recipe the engine cannot follow; the message is for a creator."""


@dataclass(frozen=True)
class Recipe:
    effects: tuple[str, ...]
    caption: str | None = None

    def describe(self) -> list[str]:
        steps = [LABELS[name] for name in self.effects]
        if self.caption:
            steps.append(f'Caption "{self.caption}"')
        return steps

    def to_json(self) -> dict[str, Any]:
        return {"effects": list(self.effects), "caption": self.caption}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Recipe:
        effects = data.get("effects")
        caption = data.get("caption")
        if not isinstance(effects, list) or not all(isinstance(e, str) for e in effects):
            raise RecipeError("A stored recipe needs a list of effect names.")
        unknown = sorted(set(effects) - set(EFFECT_ORDER))
        if unknown:
            raise RecipeError(f"Unknown effect {', '.join(unknown)}. {UNDERSTOOD}")
        if caption is not None and not isinstance(caption, str):
            raise RecipeError("A stored recipe's caption must be text.")
        return cls(effects=tuple(effects), caption=caption)


def _phrase_pattern(phrase: str) -> str:
    # Lookarounds rather than \b so that phrases ending in a symbol still need a boundary, and
    # any run of spaces or hyphens between words matches ("slow  down", "slow-down").
    body = r"[\s-]+".join(re.escape(word) for word in phrase.split())
    return r"(?<!\w)" + body + r"(?!\w)"


_EFFECT_PATTERNS: dict[str, re.Pattern[str]] = {
    name: re.compile(
        "|".join(_phrase_pattern(p) for p in sorted(phrases, key=len, reverse=True)),
        re.IGNORECASE,
    )
    for name, phrases in SYNONYMS.items()
}

# A quote opens where no letter precedes it and closes where none follows, so the apostrophes
# of "don't" or "it's" are neither; inside a quote an apostrophe between letters is text.
_QUOTED = re.compile(
    r"""(?<!\w)"(?P<d>[^"]*)"(?!\w)"""
    r"""|“(?P<c>[^“”]*)”"""
    r"""|(?<!\w)'(?P<s>(?:[^']|(?<=\w)'(?=\w))*)'(?!\w)"""
    r"""|(?<!\w)‘(?P<cs>(?:[^‘’]|(?<=\w)’(?=\w))*)’(?!\w)"""
)


# "zoom" alone means zoom in; "zoom out" is not something the engine does.
_ZOOM_OUT = re.compile(r"(?<!\w)zoom[\s-]+out(?!\w)", re.IGNORECASE)


def _clean_caption(text: str) -> str | None:
    # Control and format characters would draw as boxes or reorder text: keep printable ones.
    printable = "".join(
        ch if unicodedata.category(ch)[0] not in "CZ" or ch == " " else " " for ch in text
    )
    caption = " ".join(printable.split())[:MAX_CAPTION].rstrip()
    return caption or None


def _extract_caption(prompt: str) -> tuple[str | None, str]:
    """The first quoted text as a caption, and the prompt with every quoted part removed."""
    caption: str | None = None
    for match in _QUOTED.finditer(prompt):
        text = next(group for group in match.groups() if group is not None)
        caption = caption or _clean_caption(text)
    return caption, _QUOTED.sub(" ", prompt)


def parse_recipe(prompt: str) -> Recipe:
    caption, rest = _extract_caption(prompt)
    rest = _ZOOM_OUT.sub(" ", rest)
    found = {name for name, pattern in _EFFECT_PATTERNS.items() if pattern.search(rest)}
    if {"slow_motion", "speed_up"} <= found:
        raise RecipeError(
            "Slow motion and speed up contradict each other: choose one. " + UNDERSTOOD
        )
    if not found and caption is None:
        raise RecipeError("No effect or caption found in this prompt. " + UNDERSTOOD)
    return Recipe(effects=tuple(e for e in EFFECT_ORDER if e in found), caption=caption)

"""What to say when nothing in a prompt could be followed: the nearest things the engine
can do, so a creator is never at a dead end."""

from __future__ import annotations

import difflib

from remixer.engine.effects.captions import MAX_CAPTION
from remixer.engine.effects.spec import RecipeError
from remixer.engine.prompt import vocabulary as v

UNDERSTOOD = (
    "The local engine understands colour (warmer, cooler, a green tint, brighter, darker, "
    "more contrast, vivid, muted, black and white, sepia, invert, high key, low key, teal and "
    "orange), looks (old film, silent movie, noir, VHS, CCTV, night, golden hour, dreamy, "
    "cinematic, pixel art, comic, neon, thermal, glitch, sketch, vintage), geometry (mirror, "
    "upside down, rotate 90, crop to square or portrait, letterbox, zoom in or out, slow "
    "push-in), time (3x faster, half speed, reverse, boomerang, loop, freeze, fade in or out) "
    f'and no sound, plus a caption in quotes (up to {MAX_CAPTION} characters, "at the top" '
    'or "in the corner"). Strength words and numbers tune each one, for example: slightly '
    'warmer, old film without the vignette, 2x faster, "Summer 2026" at the top.'
)
_SINGLE_WORDS = sorted({word for phrase in v.EFFECTS for word in phrase.split() if len(word) > 2})
_PHRASE_OF: dict[str, str] = {}
for _phrase in v.EFFECTS:  # each word's shortest phrase: "sound", not "kill the sound"
    for _word in _phrase.split():
        if len(_phrase) < len(_PHRASE_OF.get(_word, _phrase + " ")):
            _PHRASE_OF[_word] = _phrase


def nearest(words: list[str]) -> list[str]:
    """Vocabulary phrases close in spelling to the first few unknown words. Words of three
    letters or fewer are too short to say anything ("und" is not "sound")."""
    found: list[str] = []
    for word in [word for word in words if len(word) > 3][:6]:
        for match in difflib.get_close_matches(word[:24], _SINGLE_WORDS, n=2, cutoff=0.72):
            found.append(_PHRASE_OF.get(match, match))
    return list(dict.fromkeys(found))[:4]


def refusal(unused: list[str], caption_words: bool) -> RecipeError:
    if not unused:
        head = "This prompt names nothing the local engine can do."
    else:
        shown = ", ".join(f'"{w[:30]}"' for w in unused[:8])
        head = f"The local engine could not follow {shown}."
    close = nearest(unused)
    hint = f" Did you mean {' or '.join(close)}?" if close else ""
    quotes = ' A caption goes in quotes, like "Summer 2026".' if caption_words else ""
    return RecipeError(f"{head}{hint}{quotes} {UNDERSTOOD}")

"""What to say when nothing in a prompt could be followed: one sentence naming what could not
be followed, at most one thing to try instead, and what the engine understands.

Hints come from meaning, not spelling alone: every step and look belongs to a family
(colour, light, geometry, time, sound, texture, look), and everyday words the engine does not
know are listed with their family and the nearest thing it can do ("pastel" is a colour
word: muted colours, never "pause"). A hint never crosses families.
"""

from __future__ import annotations

from remixer.engine.effects.captions import MAX_CAPTION
from remixer.engine.effects.spec import RecipeError
from remixer.engine.effects.steps import STEPS
from remixer.engine.prompt import vocabulary as v

UNDERSTOOD = (
    "The local engine understands colour (warmer, cooler, a green tint, brighter, darker, "
    "more contrast, vivid, muted, black and white, sepia, invert, high key, low key, teal and "
    "orange), looks (old film, silent movie, noir, VHS, CCTV, night, golden hour, dreamy, "
    "cinematic, pixel art, comic, neon, thermal, glitch, sketch, vintage), geometry (mirror, "
    "upside down, rotate 90, crop to square or portrait, letterbox, zoom in or out, slow "
    "push-in), time (3x faster, half speed, reverse, boomerang, loop, freeze, fade in or out), "
    "sound (louder, quieter, echo, lower pitch, muffled, fade the sound out, no sound), "
    f'plus a caption in quotes (up to {MAX_CAPTION} characters, "at the top" '
    'or "in the corner"). Strength words and numbers tune each one, for example: slightly '
    'warmer, old film without the vignette, 2x faster, "Summer 2026" at the top.'
)

# Something to try when no word asked comes close to a step: a page says it beside UNDERSTOOD.
EXAMPLE = "black and white, slower"
CAPTION_ADVICE = 'A caption goes in quotes, like "Summer 2026".'

LIGHT = frozenset(("brightness", "contrast", "high_key", "low_key"))
KINDS = {"finish": "time", "colour": "colour", "geometry": "geometry", "time": "time"}


def family(effect: v.Effect) -> str:
    """The family of what a vocabulary phrase names."""
    if effect.look:
        return "look"
    if effect.step in LIGHT:
        return "light"
    spec = STEPS.get(effect.step)
    if spec is None:  # the sound as a whole, or holding the last frame
        return "time" if effect.step == "hold" else "sound"
    return KINDS.get(spec.kind, spec.kind)


def _everyday(family: str, lines: str) -> dict[str, tuple[str, str]]:
    """Lines of "word, word = what to try" as {word: (family, what to try)}."""
    out: dict[str, tuple[str, str]] = {}
    for line in lines.strip().splitlines():
        words, _, hint = line.partition("=")
        for word in words.split(","):
            out[word.strip()] = (family, hint.strip())
    return out


# Everyday words the engine does not know, their family and the nearest thing it can do
# (nothing after "=" when nothing in the family comes close).
EVERYDAY: dict[str, tuple[str, str]] = {
    **_everyday(
        "colour",
        """
        pastel, pastels, faded, bleached, neutral, washed = muted colours
        sunny, summery, autumn, autumnal, earthy, cosy, cozy, toasty, tan = warmer
        wintry, winter, frosty, chilly, fresh, arctic = cooler
        rainbow, trippy, kaleidoscope = hue shift
        colourise, colorize, colorise, colourize, richer, juicy = vivid
        monotone, greyish, grayish = black and white
        """,
    ),
    **_everyday(
        "light",
        """
        exposure, sunlit, luminous, radiant, lit, lighting = brighter
        gloomy, shadows, shady, bleak, murky = darker
        harsh, hdr, punch, dynamic = more contrast
        foggy, misty, milky = less contrast
        """,
    ),
    **_everyday(
        "geometry",
        """
        tilt, tilted, spin, spinning, tilting = rotate
        pan, panning, tracking, approach = slow push-in
        bigger, stretch, larger = zoom in
        wide, widen, reframe = zoom out
        shake, shaky, wobble, stabilise, stabilize, steady =
        """,
    ),
    **_everyday(
        "time",
        """
        speedy, rapid, accelerate, hyper, zippy = faster
        sluggish, decelerate, leisurely, sloth = slow motion
        rewinding, backwards play, flipback = reverse
        replay, replays, cycle, forever = loop
        still, halt, stopped, paused = freeze
        trim, shorten, cut =
        """,
    ),
    **_everyday(
        "sound",
        """
        booming, blasting, deafening, noisier = louder
        hush, hushed, whisper, whispering, faint = quieter
        bass, bassy, lowpitched, baritone = lower the pitch
        soprano, falsetto, highpitched = higher pitch
        dampen, dampened, distant, mumbled = muffled
        walkie, crackly, handset = like a phone call
        soundless, voiceless, unmute =
        """,
    ),
    **_everyday(
        "texture",
        """
        smooth, fuzzy, smudged, ghosting, bokeh = blur
        detailed, clear, clearer, hd, focus, focused, crispy = sharpen
        grit, dusty, dust, scratches, scratched, speckled = grain
        pixels, pixelly, blocks, lego = pixelate
        shimmer, sparkle, sparkly, shiny, glittery = soft glow
        """,
    ),
    **_everyday(
        "look",
        """
        polaroid, nostalgia, throwback, lomo = vintage
        anime, manga, illustrated, painted, painting, watercolour, watercolor = comic
        horror, scary, creepy, spooky, haunted = noir
        futuristic, 80s, 1980s, retrowave, vaporwave = neon
        matrix, hacked, broken, distorted = glitch
        romantic, fairytale, magical, whimsical = dreamy
        """,
    ),
}


def hint(unused: list[str]) -> str | None:
    """One thing to try for the first unused word with a family."""
    for word in unused[:8]:
        found = EVERYDAY.get(word.casefold())
        if found:
            return found[1] or None
    return None


def refusal(unused: list[str], caption_words: bool) -> RecipeError:
    if not unused:
        head = "This prompt names nothing the local engine can do."
    else:
        shown = ", ".join(f'"{w[:30]}"' for w in unused[:8])
        head = f"The local engine could not follow {shown}."
    tried = hint(unused)
    advice = CAPTION_ADVICE if caption_words else (f"Try: {tried}." if tried else "")
    return RecipeError(" ".join(part for part in (head, advice, UNDERSTOOD) if part))

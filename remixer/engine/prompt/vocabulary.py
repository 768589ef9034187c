"""The everyday phrasings the prompt reader knows, each naming a step (with preset
parameters) or a look, and the words that tune them.

Phrases are written lower case, words separated by spaces; the reader splits hyphens and
drops apostrophes the same way ("slow-mo" is "slow mo", "don't" is "dont").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from remixer.engine.effects.spec import Value
from remixer.engine.prompt.fillers import STOP_WORDS as STOP_WORDS
from remixer.engine.prompt.sound_words import SOUND_PHRASES

T = TypeVar("T")


@dataclass(frozen=True)
class Effect:
    """What a phrase names: a step with preset parameters, a look, or the sound."""

    step: str = ""
    look: str = ""
    params: dict[str, Value] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.look or self.step


def _s(step: str, **params: Value) -> Effect:
    return Effect(step=step, params=params)


def _look(name: str) -> Effect:
    return Effect(look=name)


def _list(phrases: str) -> list[str]:
    return [phrase.strip() for phrase in phrases.split(",")]


def _each(phrases: str, effect: Effect) -> dict[str, Effect]:
    return {phrase.strip(): effect for phrase in phrases.split(",")}


def _turned() -> dict[str, tuple[str, float]]:
    """ "reduce the saturation", "increase contrast", "lower the brightness"."""
    steps = {"saturation": 0.5, "contrast": 0.3, "brightness": 0.25, "exposure": 0.25}
    ways = {"increase, raise, boost, up, add": 1.0, "reduce, decrease, lower, cut, drop": -1.0}
    before = {
        f"{verb}{the} {noun}": ("brightness" if noun == "exposure" else noun, sign * amount)
        for noun, amount in steps.items()
        for verbs, sign in ways.items()
        for verb in _list(verbs)
        for the in ("", " the")
    }
    after = {  # "contrast down 20%", "less brightness"
        f"{said} {noun}" if said in ("less", "lower", "more", "higher") else f"{noun} {said}": (
            "brightness" if noun == "exposure" else noun,
            sign * amount,
        )
        for noun, amount in steps.items()
        for said, sign in {
            "up": 1.0,
            "down": -1.0,
            "less": -1.0,
            "lower": -1.0,
            "higher": 1.0,
        }.items()
    }
    return {**after, **before}


FASTER, SLOWER = _s("speed", factor=2.0), _s("speed", factor=0.5)
EFFECTS: dict[str, Effect] = {
    **_each(
        "warmer, warm, warm it up, warm tones, warmer tones, warmer colours, warmer colors",
        _s("warmer"),
    ),
    **_each(
        "cooler, cool, colder, cold, cool it down, cool tones, cooler tones, icy", _s("cooler")
    ),
    **_each("tint, tinted, hue, colour cast, color cast, wash", _s("tint")),
    **_each(
        "hue shift, shift the hue, shift the colours, shift the colors, psychedelic",
        _s("hue_shift"),
    ),
    **_each(
        "brighter, brighten, brighten it, lighter, lighten, more light, brightness, bright, too dark, too dim, to dark, to dim, way to dark",
        _s("brightness", amount=0.25),
    ),
    **_each(
        "darker, darken, darken it, dim, dimmer, dark, less bright, less light, too bright, to bright, way to bright",
        _s("brightness", amount=-0.25),
    ),
    **_each(
        "more contrast, contrast, high contrast, punchy, punchier, contrasty",
        _s("contrast", amount=0.3),
    ),
    **_each(
        "less contrast, low contrast, flat, flatter, lower contrast", _s("contrast", amount=-0.3)
    ),
    **_each(
        "vivid, vibrant, saturated, more saturated, more saturation, saturate, colourful, colorful, pop, boost the colours, boost the colors, rich colours, rich colors, more colour, more color",
        _s("saturation", amount=0.5),
    ),
    **_each(
        "muted, washed out, desaturated, desaturate, less saturated, less saturation, pale, dull, faded colours, faded colors, less colour, less color",
        _s("saturation", amount=-0.5),
    ),
    **_each(
        "black and white, black n white, b n w, black & white, b & w, b / w, bw, grayscale, greyscale, gray scale, grey scale, monochrome, mono, colourless, colorless",
        _s("grayscale"),
    ),
    **_each("sepia, sepia tone, sepia toned, old photo", _s("sepia")),
    **_each(
        "invert, inverted, negative, invert colours, invert colors, inverted colours, inverted colors, invert the colours, invert the colors",
        _s("invert"),
    ),
    **_each("high key, overexposed, bright and airy, airy", _s("high_key")),
    **_each("low key, moody, underexposed, shadowy", _s("low_key")),
    **_each(
        "teal and orange, orange and teal, teal orange, orange teal, teal & orange, orange & teal",
        _s("teal_orange"),
    ),
    **_each(
        "old film, old movie, old films, film look, vintage film, 8mm, 8 mm, super 8, 16mm, archival, old footage, retro film, film reel, home movie, 70s, 1970s, 60s, 1960s",
        _look("old_film"),
    ),
    **_each("silent movie, silent film, chaplin, charlie chaplin, 1920s", _look("silent_movie")),
    **_each("noir, film noir, detective movie", _look("noir")),
    **_each(
        "vhs, vhs tape, tape, videotape, camcorder, home video, analog, analogue, 90s", _look("vhs")
    ),
    **_each(
        "cctv, security camera, security cam, surveillance, surveillance camera, security footage",
        _look("cctv"),
    ),
    **_each(
        "night, night time, nighttime, at night, night scene, midnight, moonlight, moonlit, day for night",
        _look("night"),
    ),
    **_each("golden hour, sunset, sunset light, magic hour, golden light", _look("golden_hour")),
    **_each("dreamy, dream, dreamlike, dream like, ethereal, hazy, heavenly", _look("dreamy")),
    **_each(
        "cinematic, filmic, hollywood, epic, like a movie, movie look, blockbuster",
        _look("cinematic"),
    ),
    **_each(
        "pixel art, 8 bit, 8bit, 16 bit, 16bit, retro game, video game, pixel, retro 8 bit, retro 16 bit, retro pixel art, retro video game",
        _look("pixel_art"),
    ),
    **_each(
        "comic, comic book, cartoon, cartoonish, cartoony, cartoonify, cartoonize, cartoonise, cel shaded, toon, animated",
        _look("comic"),
    ),
    **_each("neon, edge glow, glowing edges, synthwave, cyberpunk, tron", _look("neon_look")),
    **_each(
        "thermal, thermal camera, thermal vision, heat map, heatmap, infrared, heat vision, predator, predator vision",
        _look("thermal_look"),
    ),
    **_each(
        "glitch, glitchy, glitched, datamosh, corrupted, digital distortion", _look("glitch_look")
    ),
    **_each(
        "sketch, pencil sketch, drawing, pencil drawing, line drawing, hand drawn, pencil",
        _look("sketch_look"),
    ),
    **_each("vintage, retro, old fashioned, nostalgic", _look("vintage")),
    **_each("grain, grainy, film grain, noise, noisy, gritty", _s("grain")),
    **_each("vignette, vignetting, dark corners, darken the corners, dark edges", _s("vignette")),
    **_each(
        "blur, blurred, blurry, soft focus, out of focus, soften, softer, defocus, unfocused",
        _s("blur"),
    ),
    **_each("sharpen, sharper, sharp, crisp, crisper, more detail", _s("sharpen")),
    **_each("flicker, flickering, flickery, strobe", _s("flicker")),
    **_each("glow, glowing, bloom, soft glow, glowy", _s("glow")),
    **_each("scan lines, scanlines, scanline, crt, old tv, retro tv, tv lines", _s("scanlines")),
    **_each(
        "chromatic aberration, chroma shift, colour fringes, color fringes, rgb split, rgb shift, colour bleed, color bleed",
        _s("chroma_shift"),
    ),
    **_each("pixelate, pixelated, pixelated look, mosaic, censor, blocky", _s("pixelate")),
    **_each(
        "posterize, posterise, posterized, posterised, fewer colours, fewer colors, limited palette, flat colours, flat colors",
        _s("posterize"),
    ),
    **_each(
        "outlines, outline, ink, ink lines, inked, edges, edge detect, line art", _s("outlines")
    ),
    **_each(
        "mirror, mirrored, mirror image, flip, flipped, flip horizontally, flip it horizontally, horizontal flip, flipped horizontally, left to right, mirror it",
        _s("mirror"),
    ),
    **_each(
        "upside down, flip upside down, flip it upside down, turn upside down, turn it upside down, flip vertically, flip it vertically, vertical flip, flipped vertically, vertically",
        _s("flip_vertical"),
    ),
    **_each(
        "rotate, rotated, rotate it, turn sideways, sideways, quarter turn, rotation", _s("rotate")
    ),
    **_each(
        "square, insta, crop to square, crop to a square, square crop, make it square, 1:1, instagram square, instagram, instagram post, square format",
        _s("crop", aspect="square"),
    ),
    **_each(
        "portrait, vertical, crop to portrait, 9:16, tiktok, tik tok, reel, reels, instagram reel, instagram reels, story format, story, stories, instagram story, instagram stories, shorts, youtube shorts, snapchat, portrait format, vertical format",
        _s("crop", aspect="portrait"),
    ),
    **_each(
        "landscape, crop to landscape, 16:9, horizontal, landscape format, horizontal format, youtube",
        _s("crop", aspect="landscape"),
    ),
    **_each(
        "letterbox, letterboxed, cinema bars, widescreen, bars top and bottom, anamorphic, 2.39:1",
        _s("letterbox"),
    ),
    **_each("pillarbox, pillarboxed, side bars, bars on the sides, 4:3", _s("pillarbox")),
    **_each(
        "zoom in, zoomed in, zoom, closer, close up, closeup, punch in, magnify, enlarge",
        _s("zoom", factor=1.5),
    ),
    **_each(
        "zoom out, zoomed out, further away, farther away, wider, shrink, smaller",
        _s("zoom", factor=0.67),
    ),
    **_each(
        "slow zoom, slow zoom in, slow push in, push in, ken burns, dolly in, slowly zoom in, gradual zoom, slowly zooms in, zoom in slowly, zoom slowly, zooms in slowly",
        _s("push_in"),
    ),
    **_each(
        "faster, fast, speed up, sped up, speed it up, speedup, fast forward, fast forwarded, quicker, quick, hurry, double speed, as fast, quickly",
        FASTER,
    ),
    **_each("timelapse, time lapse, hyperlapse", _s("speed", factor=4.0)),
    **_each(
        "slower, slow, slow motion, slow mo, slowmo, slo mo, slomo, slow down, slowed down, slow it down, half speed, slowed",
        SLOWER,
    ),
    **_each("quarter speed, super slow motion, super slow mo", _s("speed", factor=0.25)),
    **_each("speed, playback speed, play speed, tempo", _s("speed", factor=1.0)),
    **_each(
        "reverse, reversed, backwards, backward, rewind, in reverse, play backwards, play it backwards, run backwards, rewound",
        _s("reverse"),
    ),
    **_each(
        "boomerang, back and forth, forward and back, forwards and backwards, forward and backward, ping pong, pingpong, yoyo, yo yo",
        _s("boomerang"),
    ),
    **_each("loop, looped, looping, repeat, repeated, on repeat, loop it", _s("loop")),
    **_each("freeze, freeze frame, freeze the frame, still frame, pause, freezes", _s("freeze")),
    **_each("fade in, fades in, fade from black, fade up, fade it in", _s("fade_in")),
    **_each(
        "fade out, fades out, fade to black, fade away, fade, fade it out, fade off, fade at the end, fade out at the end",
        _s("fade_out"),
    ),
    **_each("fade from white", _s("fade_in", colour="white")),
    **_each("fade to white", _s("fade_out", colour="white")),
    **{phrase: _s(step, **params) for phrase, (step, params) in SOUND_PHRASES.items()},
    **{phrase: _s(step, amount=amount) for phrase, (step, amount) in _turned().items()},
    **_each("sound, audio, music, soundtrack, the sound, the audio", Effect(step="sound")),
    **_each(
        "mute, muted sound, muted audio, silent, silence, no sound, no audio, without sound, without audio, remove the sound, remove the audio, drop the audio, drop the sound, sound off, audio off, mute it, mute the sound, mute the audio, kill the sound",
        Effect(step="mute"),
    ),
    **_each(
        "then hold, hold the last frame, then hold the last frame, and hold the last frame, hold on the last frame, then freeze on the last frame, then hold the end, hold the final frame, and hold, hold at the end, hold the end, hold it, then freeze, stop at the end",
        Effect(step="hold"),
    ),
}


def _keys(phrases: str, value: T) -> dict[str, T]:
    return dict.fromkeys(_list(phrases), value)


STRENGTH: dict[str, float] = {
    **_keys(
        "slightly, slight, a bit, abit, a little, a tad, subtle, subtly, lightly, light, a touch of, a touch, a hint of, hint of, touch of",
        0.5,
    ),
    **_keys("a little bit, a tiny bit, barely, very slightly, ever so slightly", 0.3),
    **_keys(
        "somewhat, kind of, kinda, sort of, fairly, gently, gentle, mildly, mild, moderately, soft, softly",
        0.7,
    ),
    **_keys("more, quite, noticeably, extra, really, properly", 1.4),
    **_keys(
        "very, much, much more, a lot, alot, a lot more, lots, lots of, strong, strongly, heavy, heavily, way more, way, really really, so much, deep, deeply",
        1.7,
    ),
    **_keys(
        "super, extremely, intense, intensely, very very, hugely, massively, crazy, insanely, ultra, maximum, max, full, fully, totally, completely, extreme, dramatic, dramatically",
        2.2,
    ),
    "less": 0.6,
    "not too": 0.6,
    "slowly": 1.7,
}
NEGATIONS = frozenset(
    _list(
        "not, no, without, dont, do not, never, nor, minus, skip, except, no more, "
        "leave out, remove, drop, lose, keep off, dont want, do not want, doesnt, isnt, avoid, "
        "instead of, rather than, none, take out, take away, get rid of, cut out, lose the"
    )
)
NUMBER_WORDS: dict[str, float] = {
    **{
        word: float(n)
        for n, word in enumerate(
            _list("zero, one, two, three, four, five, six, seven, eight, nine, ten, eleven, twelve")
        )
    },
    "a half": 0.5,
    "a few": 3.0,
    "a couple": 2.0,
    "a couple of": 2.0,
    "one and a half": 1.5,
}
MULTIPLIER_WORDS: dict[str, float] = {
    **_keys("twice, double, doubled", 2.0),
    **_keys("triple, tripled, thrice", 3.0),
    **_keys("half, halve, halved", 0.5),
    "quadruple": 4.0,
    "a third": 1 / 3,
}
UNITS: dict[str, str] = {
    **_keys("x, ×, times, fold", "multiplier"),
    **_keys("%, percent, per cent, pct", "percent"),
    **_keys("s, sec, secs, second, seconds", "seconds"),
    **_keys("degrees, degree, deg, °", "degrees"),
    **_keys("db, decibels, decibel", "decibels"),
    **_keys("semitones, semitone", "plain"),  # a pitch step's number
}
COLOUR_WORDS: dict[str, str] = {
    **{
        name: name
        for name in _list(
            "red, orange, yellow, green, teal, cyan, blue, purple, magenta, pink, gold, brown, black, white"
        )
    },
    **_keys("turquoise", "cyan"),
    **_keys("navy, bluish", "blue"),
    **_keys("violet, lilac, purplish", "purple"),
    **_keys("rose, pinkish", "pink"),
    **_keys("golden", "gold"),
    **_keys("amber", "orange"),
    **_keys("greenish", "green"),
    **_keys("reddish", "red"),
    **_keys("yellowish", "yellow"),
}
PLACES: dict[str, str] = {
    **_keys("at the top, on top, top, up top, top centre, top center, upper", "top"),
    **_keys(
        "at the bottom, bottom, lower, bottom centre, bottom center, underneath, below", "bottom"
    ),
    **_keys(
        "in the middle, middle, centre, center, centered, centred, in the centre, in the center",
        "middle",
    ),
    **_keys("top left, upper left, top left corner, in the top left corner", "top left"),
    **_keys("top right, upper right, top right corner, in the top right corner", "top right"),
    **_keys(
        "bottom left, lower left, bottom left corner, in the bottom left corner", "bottom left"
    ),
    **_keys(
        "bottom right, lower right, bottom right corner, corner, in the corner, in the bottom right corner",
        "bottom right",
    ),
}
MOMENTS: dict[str, str] = {
    **_keys(
        "first, start, beginning, first frame, at the start, at the beginning, opening", "first"
    ),
    **_keys("last, end, ending, last frame, at the end, final frame, final", "last"),
}
TURNS: dict[str, str] = {
    **_keys("clockwise, right, to the right, cw", "90"),
    **_keys(
        "counterclockwise, counter clockwise, anticlockwise, anti clockwise, left, to the left, ccw",
        "270",
    ),
    **_keys("half turn, half a turn", "180"),
}
CAPTION_WORDS = frozenset(
    _list(
        "caption, captions, title, text, subtitle, subtitles, words, saying, says, that says, "
        "reading, reads, label, headline, write, writing, written, txt, captoin, capton, "
        "caption text, the words, lettering"
    )
)
SEPARATORS = frozenset(_list("and, but, then, plus, also, after that, afterwards, while, with"))

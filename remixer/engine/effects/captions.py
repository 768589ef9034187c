"""Captions: drawn once with Pillow and laid over every frame by libavfilter's overlay.

Each character is drawn by the first font here that has it: the text font, then a Chinese,
Japanese and Korean font, then the colour emoji font (pictographs, and characters asking for
emoji presentation, try the emoji font first). The emoji font holds bitmaps of one size, so
emoji are drawn at that size and scaled to the caption's. Fonts are found by path and loaded on
first need; a character no font here has is left out of the drawing (`undrawable` names them).
"""

from __future__ import annotations

import math
import os
import unicodedata
from functools import cache, lru_cache
from typing import Any

from remixer.engine.base.deferred import Image, ImageDraw, ImageFont
from remixer.engine.base.encoding import even
from remixer.engine.effects.spec import RecipeError

MAX_CAPTION = 80
POSITIONS = (
    "bottom",
    "top",
    "middle",
    "top left",
    "top right",
    "bottom left",
    "bottom right",
)
# In the order they are tried; Debian's paths first (`make fonts` installs the CJK and emoji
# ones). Noto Sans CJK Bold matches the bold text font and covers Chinese and Korean as well
# as Japanese; the smaller CJK fonts after it are used where it is missing.
FONT_PATHS = {
    "text": (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
    "cjk": (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
        "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    ),
    "emoji": (
        "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf",
        "/usr/share/fonts/noto/NotoColorEmoji.ttf",
    ),
}
FACES = ("text", "cjk", "emoji")
EMOJI_FIRST = ("emoji", "text", "cjk")
EMOJI_SIZE = 109  # the one size NotoColorEmoji's bitmaps are drawn at
ZWJ = "\u200d"  # joins emoji into one ("👩‍💻")
WHITE, OUTLINE = (255, 255, 255, 255), (0, 0, 0, 220)


@cache
def _path(face: str) -> str | None:
    return next((path for path in FONT_PATHS[face] if os.path.exists(path)), None)


@cache
def _covered(face: str) -> frozenset[int]:
    """The code points a face draws (printable ASCII for the text face without a font file)."""
    path = _path(face)
    if path is None:
        return frozenset(range(32, 127)) if face == "text" else frozenset()
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True, fontNumber=0) as font:
        # Numbered glyphs: the font's own glyph names (a CJK font's CFF table) take twice the
        # time and memory to read, and only the code points are needed.
        font.setGlyphOrder([f"g{index}" for index in range(font["maxp"].numGlyphs)])
        return frozenset(font.getBestCmap())


@lru_cache(maxsize=32)
def _font(face: str, size: int) -> Any:
    path = _path(face)
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size=size)


def _mark(ch: str) -> bool:
    """Whether a character is drawn with the one before it: combining marks, variation
    selectors, skin tones, emoji tags and the zero-width joiner."""
    code = ord(ch)
    return (
        unicodedata.category(ch) in ("Mn", "Mc", "Me")
        or 0xFE00 <= code <= 0xFE0F
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
        or ch == ZWJ
    )


def _flag_letter(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _joins(ch: str, cluster: str) -> bool:
    """Whether a character belongs to the cluster before it (a mark, the symbol after a joiner,
    the second letter of a flag)."""
    if not cluster or cluster[0] == " " or _mark(cluster[0]):
        return False
    if cluster == cluster[0] and _flag_letter(cluster) and _flag_letter(ch):
        return True
    return _mark(ch) or (cluster[-1] == ZWJ and unicodedata.category(ch) == "So")


def _face(cluster: str) -> str | None:
    code = ord(cluster[0])
    emoji = 0x1F000 <= code <= 0x1FAFF or any(
        ch in ("\ufe0f", ZWJ) or 0x1F3FB <= ord(ch) <= 0x1F3FF for ch in cluster[1:]
    )
    order = EMOJI_FIRST if emoji else FACES
    return next((face for face in order if code in _covered(face)), None)


@lru_cache(maxsize=256)
def _clusters(text: str) -> tuple[tuple[str, str | None], ...]:
    """The text as the clusters drawn together, each with the face that draws it (None when
    no font here does)."""
    clusters: list[str] = []
    for ch in text:
        if clusters and _joins(ch, clusters[-1]):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return tuple((cluster, _face(cluster)) for cluster in clusters)


def undrawable(text: str) -> tuple[str, ...]:
    """The characters of a caption no font here draws (each once): they are left out."""
    missing = (c for c, face in _clusters(text) if face is None and not _mark(c[0]))
    return tuple(dict.fromkeys(missing))


def forget_fonts() -> None:
    """Forgets the fonts found and what was drawn with them: fonts installed or removed since
    are seen."""
    for cached in (_path, _covered, _font, _clusters, _emoji, overlay):
        cached.cache_clear()


def clean(text: str) -> str:
    """Control and format characters would draw as boxes or reorder text: spaces instead
    (the joiners and tags of emoji stay)."""
    kept = "".join(
        ch if ch == " " or _mark(ch) or unicodedata.category(ch)[0] not in "CZ" else " "
        for ch in text
    )
    return " ".join(kept.split())


def check_caption(text: str) -> None:
    if len(text) > MAX_CAPTION:
        raise RecipeError(
            f"The caption is {len(text)} characters long; the limit is {MAX_CAPTION}. "
            "Shorten it and try again."
        )


@lru_cache(maxsize=64)  # a preview redraws the same caption while the creator types
def overlay(text: str, position: str, width: int, height: int) -> tuple[Image.Image, int, int]:
    """The caption drawn on a transparent box, and where the box goes. Pillow only draws the
    characters (those no font here has are left out): nothing in the text is interpreted."""
    size = max(10, round(height / 14))
    drawn = " ".join("".join(c for c, face in _clusters(text) if face is not None).split())
    size, lines = _fit(drawn, size, int(width * 0.86))
    box = _box(lines, size, stroke=max(1, size // 16), pad=max(4, size // 2))
    box = box.crop((0, 0, min(box.width, width), min(box.height, height)))
    margin_x, margin_y = round(width * 0.04), round(height * 0.06)
    x = {
        "left": margin_x,
        "right": width - box.width - margin_x,
    }.get(position.split()[-1], (width - box.width) // 2)
    y = {
        "top": margin_y,
        "middle": (height - box.height) // 2,
    }.get(position.split()[0], height - box.height - margin_y)
    return box, _clamp(x, width - box.width), _clamp(y, height - box.height)


def _clamp(value: int, most: int) -> int:
    return max(0, min(most - most % 2, value - value % 2))


def _runs(text: str) -> list[tuple[str, str]]:
    """The drawable text in runs of one face each."""
    runs: list[tuple[str, str]] = []
    for cluster, face in _clusters(text):
        if face is not None and runs and runs[-1][0] == face:
            runs[-1] = (face, runs[-1][1] + cluster)
        elif face is not None:
            runs.append((face, cluster))
    return runs


def _bitmap(face: str) -> bool:
    return face == "emoji" and _path(face) is not None


def _sized(face: str, size: int) -> tuple[Any, float]:
    """The font a face is drawn with at a size, and the scale its drawing takes."""
    if _bitmap(face):
        return _font(face, EMOJI_SIZE), size / EMOJI_SIZE
    return _font(face, size), 1.0


def _length(text: str, size: int) -> float:
    total = 0.0
    for face, part in _runs(text):
        font, scale = _sized(face, size)
        total += float(font.getlength(part)) * scale
    return total


def _metrics(runs: list[tuple[str, str]], size: int) -> tuple[int, int]:
    """A line's ascent and descent: the largest of its fonts'."""
    found = [(font.getmetrics(), scale) for font, scale in (_sized(f, size) for f, _ in runs)]
    found = found or [(_font("text", size).getmetrics(), 1.0)]
    return (
        max(math.ceil(ascent * scale) for (ascent, _), scale in found),
        max(math.ceil(descent * scale) for (_, descent), scale in found),
    )


def _box(lines: list[str], size: int, stroke: int, pad: int) -> Image.Image:
    """White outlined text on a translucent rounded box, sized to even dimensions (yuv420p)."""
    ink = _ink(lines, size, stroke)
    bounds = ink.getbbox()
    if bounds is None:  # nothing here draws any of it
        return Image.new("RGBA", (2, 2), (0, 0, 0, 0))
    ink = ink.crop(bounds)
    box_size = (even(ink.width + 2 * pad), even(ink.height + 2 * pad))
    box = Image.new("RGBA", box_size, (0, 0, 0, 0))
    ImageDraw.Draw(box).rounded_rectangle(
        (0, 0, box_size[0] - 1, box_size[1] - 1), radius=pad, fill=(0, 0, 0, 140)
    )
    box.alpha_composite(ink, (pad, pad))
    return box


def _ink(lines: list[str], size: int, stroke: int) -> Image.Image:
    """The lines drawn centred on a transparent canvas with room to spare around them."""
    laid = [(_runs(line), _length(line, size)) for line in lines]
    metrics = [_metrics(runs, size) for runs, _ in laid]
    room = size + stroke
    width = math.ceil(max(length for _, length in laid)) + 2 * room
    canvas = Image.new("RGBA", (width, sum(a + d for a, d in metrics) + 2 * room), (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    baseline = room
    for (runs, length), (ascent, descent) in zip(laid, metrics, strict=True):
        baseline += ascent
        x = (width - length) / 2
        for face, part in runs:
            x = _draw_run(canvas, draw, face, part, (x, baseline), size, stroke)
        baseline += descent
    return canvas


def _draw_run(
    canvas: Image.Image,
    draw: Any,
    face: str,
    part: str,
    at: tuple[float, int],
    size: int,
    stroke: int,
) -> float:
    """Draws one run with its left end on the baseline at `at`; returns where it ends."""
    font, scale = _sized(face, size)
    if not _bitmap(face):
        draw.text(at, part, WHITE, font, "ls", stroke_width=stroke, stroke_fill=OUTLINE)
        return at[0] + float(font.getlength(part))
    drawn = _emoji(part, size)
    top = at[1] - round(font.getmetrics()[0] * scale)
    canvas.alpha_composite(drawn, (max(0, round(at[0])), max(0, top)))
    return at[0] + float(font.getlength(part)) * scale


@lru_cache(maxsize=64)
def _emoji(text: str, size: int) -> Image.Image:
    """Emoji drawn in colour at the emoji font's one size, scaled to the caption's size."""
    font, scale = _sized("emoji", size)
    ascent, descent = font.getmetrics()
    drawn = Image.new("RGBA", (math.ceil(font.getlength(text)), ascent + descent), (0, 0, 0, 0))
    ImageDraw.Draw(drawn).text((0, ascent), text, font=font, anchor="ls", embedded_color=True)
    scaled = (max(1, round(drawn.width * scale)), max(1, round(drawn.height * scale)))
    return drawn.resize(scaled, Image.Resampling.LANCZOS)


def _fit(text: str, size: int, max_width: int) -> tuple[int, list[str]]:
    """A font size and word wrap that fit the caption in at most three lines."""
    while True:
        lines = _wrap(text, size, max_width)
        fits = len(lines) <= 3 and all(_length(line, size) <= max_width for line in lines)
        if fits or size <= 8:
            return size, lines
        size = max(8, int(size * 0.85))


def _wrap(text: str, size: int, max_width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and _length(f"{lines[-1]} {word}", size) <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [text]

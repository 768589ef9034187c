"""Captions: checked against the font's coverage (fontTools), drawn once with Pillow and laid
over every frame by libavfilter's overlay."""

from __future__ import annotations

import math
import os
import unicodedata
from functools import lru_cache
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
FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)


def font_path() -> str | None:
    return next((path for path in FONT_PATHS if os.path.exists(path)), None)


@lru_cache(maxsize=1)
def covered() -> frozenset[int]:
    """The code points the caption font draws (printable ASCII without a font file)."""
    path = font_path()
    if path is None:
        return frozenset(range(32, 127))
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def clean(text: str) -> str:
    """Control and format characters would draw as boxes or reorder text: spaces instead."""
    kept = "".join(
        ch if unicodedata.category(ch)[0] not in "CZ" or ch == " " else " " for ch in text
    )
    return " ".join(kept.split())


def check_caption(text: str) -> None:
    if len(text) > MAX_CAPTION:
        raise RecipeError(
            f"The caption is {len(text)} characters long; the limit is {MAX_CAPTION}. "
            "Shorten it and try again."
        )
    missing = sorted({ch for ch in text if ch != " " and ord(ch) not in covered()})
    if missing:
        raise RecipeError(
            f"The caption font cannot draw {' '.join(missing[:10])}"
            f"{' …' if len(missing) > 10 else ''}: write the caption with Latin, Greek or "
            "Cyrillic letters, digits and common symbols."
        )


@lru_cache(maxsize=32)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = font_path()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size=size)


@lru_cache(maxsize=64)  # a preview redraws the same caption while the creator types
def overlay(text: str, position: str, width: int, height: int) -> tuple[Image.Image, int, int]:
    """The caption drawn on a transparent box, and where the box goes. Pillow only draws the
    characters: nothing in the text is interpreted."""
    size = max(10, round(height / 14))
    font, lines = _fit(text, size, int(width * 0.86))
    box = _box("\n".join(lines), font, stroke=max(1, size // 16), pad=max(4, size // 2))
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


def _box(text: str, font: Any, stroke: int, pad: int) -> Image.Image:
    """White outlined text on a translucent rounded box, sized to even dimensions (yuv420p)."""
    measure = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    left, top, right, bottom = measure.multiline_textbbox(
        (0, 0), text, font=font, align="center", stroke_width=stroke
    )
    size = (even(math.ceil(right - left) + 2 * pad), even(math.ceil(bottom - top) + 2 * pad))
    box = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(box)
    draw.rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius=pad, fill=(0, 0, 0, 140))
    draw.multiline_text(
        (pad - left, pad - top),
        text,
        font=font,
        align="center",
        fill=(255, 255, 255, 255),
        stroke_width=stroke,
        stroke_fill=(0, 0, 0, 220),
    )
    return box


def _fit(text: str, size: int, max_width: int) -> tuple[Any, list[str]]:
    """A font size and word wrap that fit the caption in at most three lines."""
    while True:
        font = _font(size)
        lines = _wrap(text, font, max_width)
        if (
            len(lines) <= 3 and all(font.getlength(line) <= max_width for line in lines)
        ) or size <= 8:
            return font, lines
        size = max(8, int(size * 0.85))


def _wrap(text: str, font: Any, max_width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [text]

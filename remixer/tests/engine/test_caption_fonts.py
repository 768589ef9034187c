"""Captions in emoji, Japanese and other scripts: each character drawn by the first font here
that has it, the rest left out with a remark, judged on decoded pixels."""

import io
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from remixer.engine.effects import captions
from remixer.engine.render.still import keep_still, render_still
from remixer.models.recipes import parse_recipe
from remixer.tests.support.source_clips import (
    FRAMES,
    HEIGHT,
    remix,
    source_pixels,
    write_clip,
    write_source,
)

pytestmark = pytest.mark.database_free


def _installed(face: str) -> bool:
    return any(os.path.exists(path) for path in captions.FONT_PATHS[face])


needs_emoji = pytest.mark.skipif(
    not _installed("emoji"),
    reason="NotoColorEmoji.ttf is not installed (Debian's fonts-noto-color-emoji; `make fonts`)",
)
needs_cjk = pytest.mark.skipif(
    not _installed("cjk"),
    reason="no CJK font is installed (Debian's fonts-noto-cjk; `make fonts`)",
)
HIEROGLYPH = "𓀀"  # in none of the caption fonts


@pytest.fixture(scope="module")
def still(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A black 640x360 frame: any colour in a preview comes from the caption."""
    folder = tmp_path_factory.mktemp("caption-fonts")
    keep_still(write_clip(folder / "black.mp4", "libx264", 640, 360, 2, 24), folder / "still.npy")
    return folder / "still.npy"


def preview(still: Path, prompt: str) -> np.ndarray:
    jpeg = render_still(still, parse_recipe(prompt))
    return np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB")).astype(np.int16)


def coloured(pixels: np.ndarray) -> np.ndarray:
    return (pixels.max(axis=2) - pixels.min(axis=2)) > 60


def ink(text: str) -> np.ndarray:
    """Where a caption drawn alone puts white."""
    box = np.asarray(captions.overlay(text, "bottom", 640, 360)[0])
    return (box[..., :3].min(axis=2) > 200) & (box[..., 3] > 200)


@needs_emoji
def test_emoji_are_drawn_in_colour_where_they_stand(still):
    box, x, y = captions.overlay("Party 🎉🔥", "bottom", 640, 360)
    inside = np.zeros((360, 640), dtype=bool)
    inside[y : y + box.height, x : x + box.width] = True
    emoji, plain = (coloured(preview(still, f'sepia "{text}"')) for text in ("Party 🎉🔥", "Party"))
    assert emoji[inside].sum() > 300 and plain.sum() < 10
    columns = np.nonzero(emoji[inside].reshape(box.height, box.width))[1]
    assert np.median(columns) > box.width * 0.6  # after "Party "
    assert emoji[y - 8 : y + box.height + 8, x - 8 : x + box.width + 8].sum() == emoji.sum()


@needs_cjk
def test_japanese_is_drawn_a_glyph_for_each_character():
    drawn = [ink(ch) for ch in "ありがとう"]
    assert all(mask.sum() > 60 for mask in drawn)
    # A missing glyph draws the same box for every character: these are five shapes.
    assert len({(mask.shape, mask.tobytes()) for mask in drawn}) == 5
    assert not [r for r in parse_recipe('"ありがとう"').remarks if r.startswith("Left out")]
    assert ink("ありがとう").sum() > sum(mask.sum() for mask in drawn) * 0.8


def test_a_character_no_font_has_is_left_out_with_a_remark(tmp_path):
    source = write_source(tmp_path / "source.mp4")
    recipe = parse_recipe(f'"ok {HIEROGLYPH}" at the top')
    assert recipe.caption is not None and recipe.caption.text == f"ok {HIEROGLYPH}"
    assert f"Left out of the caption: {HIEROGLYPH} (no font here draws it)." in recipe.remarks
    frames = remix(source, f'"ok {HIEROGLYPH}" at the top', tmp_path / "left-out.mp4")
    changed = np.abs(frames[20].astype(np.int16) - source_pixels(20)).max(axis=2) > 40
    assert changed[: HEIGHT // 2].sum() > 50 and changed[HEIGHT * 2 // 3 :].sum() == 0
    same = remix(source, '"ok" at the top', tmp_path / "ok.mp4")
    assert np.abs(frames[20].astype(np.int16) - same[20]).mean() < 0.5
    assert len(frames) == len(same) == FRAMES


def test_an_emoji_caption_is_not_refused():
    recipe = parse_recipe("caption 'ok 🎉'")
    assert recipe.caption is not None and recipe.caption.text == "ok 🎉"
    left_out = [remark for remark in recipe.remarks if remark.startswith("Left out")]
    assert left_out == (
        [] if _installed("emoji") else ["Left out of the caption: 🎉 (no font here draws it)."]
    )


@pytest.fixture
def text_font_only(monkeypatch: pytest.MonkeyPatch):
    """The caption fonts as on a machine without the emoji and CJK packages."""
    monkeypatch.setitem(captions.FONT_PATHS, "emoji", ())
    monkeypatch.setitem(captions.FONT_PATHS, "cjk", ())
    captions.forget_fonts()
    yield
    monkeypatch.undo()
    captions.forget_fonts()


def test_without_the_emoji_and_cjk_fonts_the_rest_is_drawn(text_font_only):
    text = "Party 🎉 ありがとう"
    assert captions.undrawable(text) == ("🎉", "あ", "り", "が", "と", "う")
    left_out, plain = (captions.overlay(t, "bottom", 640, 360) for t in (text, "Party"))
    assert left_out[1:] == plain[1:]
    assert np.array_equal(np.asarray(left_out[0]), np.asarray(plain[0]))
    assert "Left out of the caption: 🎉 あ り が と う (no font here draws them)." in (
        parse_recipe(f'sepia "{text}"').remarks
    )

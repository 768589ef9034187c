"""Vertical, landscape and square remixes: real files of the new shape, which the picture
fills as asked (centre crop, blurred sides or black bars), judged on decoded pixels."""

import io
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from remixer.engine import FPS, render_remix
from remixer.engine.effects.geometry import reshaped
from remixer.engine.effects.shape import output_size
from remixer.engine.render.still import keep_still, render_still
from remixer.models.recipes import RecipeError, parse_recipe
from remixer.tests.support.source_clips import decode, ignore_progress

pytestmark = pytest.mark.database_free

RED, BLUE = (220, 30, 30), (30, 30, 220)


def halves(path: Path, width: int, height: int) -> Path:
    """2 s whose first half (left, or top when portrait) is red and second half blue."""
    pixels = np.empty((height, width, 3), dtype=np.uint8)
    if width >= height:
        pixels[:, : width // 2], pixels[:, width // 2 :] = RED, BLUE
    else:
        pixels[: height // 2], pixels[height // 2 :] = RED, BLUE
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=FPS, options={"crf": "10"})
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for index in range(2 * FPS):
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts = index
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return halves(tmp_path_factory.mktemp("shapes") / "wide.mp4", 320, 180)


@pytest.fixture(scope="module")
def tall(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return halves(tmp_path_factory.mktemp("shapes") / "tall.mp4", 180, 320)


def remixed(source: Path, prompt: str, output: Path) -> np.ndarray:
    """The middle frame of the remix, after checking every frame has the same shape."""
    recipe = parse_recipe(prompt)
    render_remix(source=source, recipe=recipe, output=output, on_progress=ignore_progress)
    frames = decode(output)
    assert len({frame.shape for frame in frames}) == 1
    return frames[len(frames) // 2].astype(np.int16)


def near(pixels: np.ndarray, colour: tuple[int, int, int]) -> bool:
    return bool(np.abs(pixels.reshape(-1, 3).mean(axis=0) - colour).max() < 25)


def black(pixels: np.ndarray) -> bool:
    return bool(pixels.max() < 20)


@pytest.mark.parametrize(
    ("aspect", "size", "made"),
    [
        ("portrait", (1280, 720), (720, 1280)),
        ("portrait", (1792, 1024), (1024, 1792)),
        ("landscape", (720, 1280), (1280, 720)),
        ("landscape", (1024, 1792), (1792, 1024)),
        ("square", (1280, 720), (720, 720)),
        ("square", (1024, 1792), (1024, 1024)),
        ("portrait", (640, 480), (480, 854)),  # not about 16:9: a true 9:16 on the short side
        ("portrait", (720, 720), (720, 1280)),
        ("portrait", (720, 1280), None),  # already vertical
        ("landscape", (1280, 720), None),
        ("square", (720, 720), None),
    ],
)
def test_the_new_frame_keeps_the_short_side_and_turns_the_api_sizes(aspect, size, made):
    assert reshaped(aspect, *size) == made


@pytest.mark.parametrize(
    ("prompt", "steps"),
    [
        ("make it vertical for tiktok", [("crop", "portrait", "centre crop")]),
        ("for reels, with blurred sides", [("crop", "portrait", "blurred sides")]),
        ("youtube shorts without cropping", [("crop", "portrait", "black bars")]),
        ("vertical with black bars", [("crop", "portrait", "black bars")]),
        ("16:9 with a blurred background", [("crop", "landscape", "blurred sides")]),
        ("square for instagram", [("crop", "square", "centre crop")]),
        ("black bars", [("letterbox",)]),  # no new frame to fill: a letterbox
    ],
)
def test_shape_and_fill_words_read_as_one_reshape(prompt, steps):
    recipe = parse_recipe(prompt)
    read = [
        (s.name, *(s.params[k] for k in ("aspect", "fill") if k in s.params)) for s in recipe.steps
    ]
    assert read == steps and recipe.unused == ()


def test_vertical_for_tiktok_is_a_9_16_file_filled_from_the_centre(wide, tmp_path):
    frame = remixed(wide, "make it vertical for tiktok", tmp_path / "out.mp4")
    assert frame.shape == (320, 180, 3)
    assert near(frame[:, :70], RED) and near(frame[:, -70:], BLUE)  # the centre: both halves
    assert not black(frame[:10]) and not black(frame[-10:])


def test_vertical_with_black_bars_fits_the_whole_picture_inside(wide, tmp_path):
    frame = remixed(wide, "vertical with black bars", tmp_path / "out.mp4")
    assert frame.shape == (320, 180, 3)
    inner = 102  # 320x180 fitted to 180 wide
    top = (320 - inner) // 2
    assert black(frame[: top - 2]) and black(frame[top + inner + 2 :])
    middle = frame[top + 4 : top + inner - 4]
    assert near(middle[:, 10:80], RED) and near(middle[:, -80:-10], BLUE)  # all of it


def test_vertical_with_blurred_sides_fills_above_and_below_with_the_picture(wide, tmp_path):
    frame = remixed(wide, "9:16 with blurred sides", tmp_path / "out.mp4")
    assert frame.shape == (320, 180, 3)
    above = frame[:90]
    assert not black(above) and above.mean() > 40
    assert near(above[:, :40], RED) and near(above[:, -40:], BLUE)
    middle = frame[120:200]
    assert near(middle[:, 10:80], RED) and near(middle[:, -80:-10], BLUE)


def test_square_for_instagram_is_a_square_of_the_short_side(wide, tmp_path):
    frame = remixed(wide, "for instagram", tmp_path / "out.mp4")
    assert frame.shape == (180, 180, 3)
    assert near(frame[:, :80], RED) and near(frame[:, -80:], BLUE)


def test_landscape_of_a_portrait_video_is_16_9(tall, tmp_path):
    frame = remixed(tall, "landscape, sepia", tmp_path / "out.mp4")
    assert frame.shape == (180, 320, 3)
    assert frame[:70].mean(axis=(0, 1))[0] > frame[-70:].mean(axis=(0, 1))[0] + 40  # red on top


def test_a_caption_and_a_letterbox_after_a_reshape_sit_on_the_new_frame(wide, tmp_path):
    plain = remixed(wide, "vertical", tmp_path / "plain.mp4")
    captioned = remixed(wide, 'vertical, "Hi" at the top', tmp_path / "caption.mp4")
    changed = np.abs(captioned - plain).max(axis=2) > 40
    rows = np.flatnonzero(changed.any(axis=1))
    columns = np.flatnonzero(changed.any(axis=0))
    assert rows.size and rows.max() < 110  # the top of the 320 rows
    assert abs((columns.min() + columns.max()) / 2 - 90) < 8  # centred on the 180 columns
    barred = remixed(wide, "vertical, letterbox", tmp_path / "letterbox.mp4")
    bar = round((320 - 180 / 2.39) / 2)  # 2.39:1 inside the 180-wide frame
    assert black(barred[: bar - 2]) and black(barred[-(bar - 2) :])
    assert not black(barred[bar + 4 : 320 - bar - 4])


def test_a_reshape_the_source_does_not_need_is_left_out_with_a_remark():
    recipe = parse_recipe("landscape, sepia", source=(1280, 720))
    assert [step.name for step in recipe.steps] == ["sepia"]
    assert "The video is already landscape, so it keeps its shape." in recipe.notes()
    with pytest.raises(RecipeError, match="already square"):
        parse_recipe("make it square", source=(720, 720))
    kept = parse_recipe("make it square")  # the source's size unknown: kept
    assert [step.name for step in kept.steps] == ["crop"]
    assert output_size(kept, 720, 720) == (720, 720)


def test_a_kept_reshape_of_a_source_already_that_shape_changes_nothing(wide, tmp_path):
    frame = remixed(wide, "landscape", tmp_path / "out.mp4")
    assert frame.shape == (180, 320, 3)
    assert near(frame[:, :150], RED) and near(frame[:, -150:], BLUE)


def test_a_still_preview_has_the_new_shape(wide, tmp_path):
    still = tmp_path / "still.npy"
    keep_still(wide, still)
    with Image.open(io.BytesIO(render_still(still, parse_recipe("vertical")))) as image:
        assert image.size == (180, 320)
        pixels = np.asarray(image.convert("RGB"), dtype=np.int16)
    assert near(pixels[:, :70], RED) and near(pixels[:, -70:], BLUE)

"""The local engine, judged on real files and decoded pixels."""

import math
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageOps

from remixer.engine import FPS, parse_size, render_create, render_remix
from remixer.engine.base.graph import Luma
from remixer.engine.render.remix import filter_text
from remixer.lib.media import probe
from remixer.models.recipes import parse_recipe
from remixer.tests.support.source_clips import (
    BAR_ROWS,
    FRAMES,
    HEIGHT,
    SECONDS,
    WIDTH,
    decode,
    diff,
    ignore_progress,
    remix,
    write_source,
)

pytestmark = pytest.mark.database_free


def shown_index(pixels: np.ndarray) -> int:
    """Which source frame a decoded frame shows, from where its black bar is."""
    columns = pixels[BAR_ROWS].astype(np.int32).sum(axis=(0, 2))
    return round((int(np.argmin(columns)) - 9.5) / 4)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(((a.astype(np.float64) - b.astype(np.float64)) ** 2).mean())
    return 10 * math.log10(255**2 / mse) if mse else math.inf


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("engine")


@pytest.fixture(scope="module")
def source(workdir: Path) -> Path:
    return write_source(workdir / "source.mp4")


@pytest.fixture(scope="module")
def source_frames(source: Path) -> list[np.ndarray]:
    return decode(source)


def assert_stream(path: Path, width: int, height: int, seconds: int) -> None:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert stream.codec_context.format is not None
        assert stream.codec_context.format.name == "yuv420p"
        assert (stream.codec_context.width, stream.codec_context.height) == (width, height)
        assert stream.average_rate == FPS
    info = probe(path)
    assert info.duration == pytest.approx(seconds, abs=1e-6)
    assert info.frames == seconds * FPS
    assert len(decode(path)) == seconds * FPS


# Create ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "seconds"), [("320x180", 1), ("144x256", 2)])
def test_create_writes_h264_of_the_size_and_length_asked(tmp_path, size, seconds):
    output = tmp_path / "out.mp4"
    render_create(
        prompt="ocean waves at sunset",
        size=size,
        seconds=seconds,
        output=output,
        reference_image=None,
        on_progress=ignore_progress,
    )
    width, height = parse_size(size)
    assert_stream(output, width, height, seconds)
    head = output.read_bytes()[:4096]
    assert head.find(b"moov") < head.find(b"mdat") or b"mdat" not in head  # faststart


@pytest.mark.parametrize("size", ["1280x721", "abc", "1281x720", "0x0", "9000x720", "1280"])
def test_a_size_that_is_not_even_width_by_height_is_refused(size):
    with pytest.raises(ValueError, match="[Ss]ize"):
        parse_size(size)


def created(tmp_path: Path, prompt: str, name: str) -> list[np.ndarray]:
    output = tmp_path / name
    render_create(
        prompt=prompt,
        size="256x144",
        seconds=1,
        output=output,
        reference_image=None,
        on_progress=ignore_progress,
    )
    return decode(output)


def test_create_is_deterministic_varied_and_moving(tmp_path):
    first = created(tmp_path, "neon city at night", "a.mp4")
    again = created(tmp_path, "neon city at night", "b.mp4")
    other = created(tmp_path, "a calm forest in spring", "c.mp4")
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert min(diff(a, b) for a, b in zip(first, other, strict=True)) > 5
    assert min(diff(a, b) for a, b in zip(first, first[1:], strict=False)) > 0.05


def test_create_is_smooth_rather_than_noise(tmp_path):
    frame = created(tmp_path, "bubbles", "smooth.mp4")[0].astype(np.int16)
    # Neighbouring pixels of a soft gradient differ by a level or two; noise by dozens.
    assert float(np.abs(np.diff(frame, axis=1)).mean()) < 2


def test_a_reference_image_is_the_first_frame_then_moves(tmp_path):
    image = Image.new("RGB", (400, 300))
    draw = ImageDraw.Draw(image)
    for y in range(300):
        draw.line([(0, y), (399, y)], fill=(y * 255 // 300, 120, 255 - y * 255 // 300))
    draw.ellipse((150, 80, 300, 230), fill=(250, 220, 40))
    reference = tmp_path / "reference.png"
    image.save(reference)
    output = tmp_path / "out.mp4"
    render_create(
        prompt="sunflower",
        size="320x180",
        seconds=1,
        output=output,
        reference_image=reference,
        on_progress=ignore_progress,
    )
    frames = decode(output)
    expected = np.asarray(ImageOps.fit(image, (320, 180), Image.Resampling.LANCZOS))
    assert psnr(frames[0], expected) > 30
    assert diff(frames[-1], frames[0]) > 1


# Remix: picture -------------------------------------------------------------------------------


def test_remix_keeps_the_source_size_and_duration(source, tmp_path):
    output = tmp_path / "out.mp4"
    remix(source, "sepia", output)
    assert_stream(output, WIDTH, HEIGHT, SECONDS)
    assert not probe(output).has_audio


def test_black_and_white_makes_channels_equal(source, tmp_path):
    frame = remix(source, "make it black and white", tmp_path / "out.mp4")[10].astype(np.int16)
    assert np.abs(frame[..., 0] - frame[..., 1]).max() <= 3
    assert np.abs(frame[..., 1] - frame[..., 2]).max() <= 3


def test_sepia_orders_red_green_blue(source, tmp_path):
    frame = remix(source, "sepia", tmp_path / "out.mp4")[10].astype(np.float64)
    red, green, blue = frame[..., 0].mean(), frame[..., 1].mean(), frame[..., 2].mean()
    assert red >= green >= blue
    assert red - blue > 30


def test_invert_gives_the_negative(source, source_frames, tmp_path):
    frames = remix(source, "invert the colours", tmp_path / "out.mp4")
    assert diff(frames[10], 255 - source_frames[10]) < 6


def test_mirror_flips_left_and_right(source, source_frames, tmp_path):
    frames = remix(source, "flip it", tmp_path / "out.mp4")
    assert diff(frames[5], source_frames[5][:, ::-1]) < 3
    assert diff(frames[5], source_frames[5]) > 30


def test_zoom_pushes_in_towards_the_centre(source, source_frames, tmp_path):
    frames = remix(source, "slow push-in", tmp_path / "out.mp4")
    assert diff(frames[0], source_frames[0]) < 4
    # The red ramp spans the width; zoomed 1.3x its edges are cut off.
    last_red = frames[-1][HEIGHT // 2 :, :, 0].astype(np.float64)
    assert last_red[:, 0].mean() > 20 and last_red[:, -1].mean() < 235


def test_blur_softens_the_edges(source, source_frames, tmp_path):
    frames = remix(source, "blur", tmp_path / "out.mp4")

    def sharpness(pixels: np.ndarray) -> float:
        return float(np.abs(np.diff(pixels[:, :, 1].astype(np.int16), axis=1)).max())

    assert sharpness(frames[5]) < 0.6 * sharpness(source_frames[5])


def test_vignette_darkens_the_corners_only(source, source_frames, tmp_path):
    frame, before = remix(source, "vignette", tmp_path / "out.mp4")[5], source_frames[5]
    corner = (slice(HEIGHT - 12, HEIGHT), slice(WIDTH - 20, WIDTH))
    centre = (slice(HEIGHT // 2 - 8, HEIGHT // 2 + 8), slice(WIDTH // 2 - 8, WIDTH // 2 + 8))
    assert frame[corner].mean() < before[corner].mean() - 15
    assert abs(float(frame[centre].mean()) - float(before[centre].mean())) < 6


def test_neon_dims_the_picture_and_lights_its_edges(source, source_frames, tmp_path):
    frame = remix(source, "neon", tmp_path / "out.mp4")[5].astype(np.float64)
    flat = (slice(HEIGHT // 2, HEIGHT - 30), slice(WIDTH // 2, WIDTH - 10))
    assert frame[flat].mean() < 0.75 * source_frames[5][flat].mean()
    edge = frame[10:62, 18:30]  # the left edge of the white square
    assert edge.max() > frame[flat].mean() + 60


def test_a_caption_is_drawn_in_its_box_and_nowhere_else(source, source_frames, tmp_path):
    frames = remix(source, 'mirror "<b>Day one</b> & it\'s fine"', tmp_path / "out.mp4")
    changed = np.abs(frames[20].astype(np.int16) - source_frames[20][:, ::-1].astype(np.int16)).max(
        axis=2
    )
    bottom, top = changed[HEIGHT * 2 // 3 :, :], changed[: HEIGHT // 2, :]
    assert (bottom > 40).mean() > 0.05
    assert np.percentile(top, 99) < 12


def test_effects_combine(source, tmp_path):
    frames = remix(source, "sepia, mirror, 'Day one'", tmp_path / "out.mp4")
    assert len(frames) == FRAMES
    red, blue = frames[5][..., 0].mean(), frames[5][..., 2].mean()
    assert red > blue


# Remix: time ----------------------------------------------------------------------------------


def test_reverse_ends_on_the_first_frame(source, tmp_path):
    frames = remix(source, "play it backwards", tmp_path / "out.mp4")
    assert [shown_index(f) for f in frames] == list(range(FRAMES - 1, -1, -1))
    assert not list(tmp_path.glob(".remix-*"))  # the spool is gone


def test_slow_motion_repeats_each_frame(source, tmp_path):
    frames = remix(source, "slow motion", tmp_path / "out.mp4")
    assert [shown_index(f) for f in frames] == [k // 2 for k in range(FRAMES)]
    assert max(diff(frames[k], frames[k + 1]) for k in range(0, FRAMES, 2)) < 1


def test_speed_up_skips_frames_and_loops(source, tmp_path):
    frames = remix(source, "speed up", tmp_path / "out.mp4")
    # Every other frame up to the source's last one, then again from the start.
    clip = [*range(0, FRAMES, 2), FRAMES - 1]
    assert [shown_index(f) for f in frames] == [clip[k % len(clip)] for k in range(FRAMES)]


def test_another_frame_rate_is_resampled_to_24_fps(tmp_path):
    thirty = write_source(tmp_path / "thirty.mp4", frames=60, rate=30)
    output = tmp_path / "out.mp4"
    frames = remix(thirty, "sepia", output)
    assert_stream(output, WIDTH, HEIGHT, SECONDS)
    # As the fps filter does: output frame k shows the last 30 fps frame that rounds to it.
    expected = [math.floor((k + 0.5) * 30 / 24) for k in range(FRAMES)]
    assert [shown_index(f) for f in frames] == expected


# Progress -------------------------------------------------------------------------------------


def test_progress_reaches_the_total(source, tmp_path):
    calls: list[tuple[int, int]] = []
    render_remix(
        source=source,
        recipe=parse_recipe("mirror"),
        output=tmp_path / "out.mp4",
        on_progress=lambda done, total: calls.append((done, total)),
    )
    assert calls[-1] == (FRAMES, FRAMES)
    assert len(calls) >= FRAMES // 6
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


class Cancelled(Exception):
    pass


def stop_at_ten(done: int, total: int) -> None:
    if done >= 10:
        raise Cancelled


@pytest.mark.parametrize("prompt", ["mirror", "reverse"])
def test_an_exception_from_progress_aborts_and_cleans_up(source, tmp_path, prompt):
    output = tmp_path / "out.mp4"
    with pytest.raises(Cancelled):
        render_remix(
            source=source, recipe=parse_recipe(prompt), output=output, on_progress=stop_at_ten
        )
    assert list(tmp_path.iterdir()) == []


def test_an_exception_from_progress_aborts_create(tmp_path):
    with pytest.raises(Cancelled):
        render_create(
            prompt="rain",
            size="256x144",
            seconds=2,
            output=tmp_path / "out.mp4",
            reference_image=None,
            on_progress=stop_at_ten,
        )
    assert list(tmp_path.iterdir()) == []


# Luma curves ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lines", [[(1.72, -92.2), (1.15, -55.2)], [(1.0, 30.0), (0.3, 89.6)], [(0.8, 40), (1.15, -90)]]
)
def test_luma_steps_in_a_row_are_one_curve_that_maps_each_value_alike(lines):
    curve = Luma()
    for gain, offset in lines:
        curve = curve.then(gain, offset)
    for value in range(256):
        expected = float(value)
        for gain, offset in lines:
            expected = min(255.0, max(0.0, gain * expected + offset))
        folded = min(curve.high, max(curve.low, curve.gain * value + curve.offset))
        assert folded == pytest.approx(expected, abs=1e-9)


def test_noir_sets_up_one_luma_table():
    text = filter_text(parse_recipe("noir, brighter"), WIDTH, HEIGHT, FRAMES)
    assert sum(step.startswith("lutyuv") for step in text) == 1

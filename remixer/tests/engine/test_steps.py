"""Every step and look of the engine's vocabulary, judged on decoded pixels of a small
synthetic source made here (160x90, one second)."""

from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from remixer.engine import FPS, render_remix
from remixer.engine.effects.recipe import Recipe, Step
from remixer.engine.effects.shape import output_size
from remixer.engine.effects.steps import LOOKS, STEPS
from remixer.models.recipes import parse_recipe
from remixer.tests.support.pixel_checks import (
    H,
    N,
    W,
    block_spread,
    chroma,
    corr,
    edge,
    luma,
    mid,
    on_levels,
    pixels,
    r_minus_b,
    row_ripple,
    shown,
)

pytestmark = pytest.mark.database_free


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("steps") / "source.mp4"
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=FPS, options={"crf": "8"})
        video.width, video.height, video.pix_fmt = W, H, "yuv420p"
        sound = container.add_stream("aac", rate=48000)
        for index in range(N):
            frame = av.VideoFrame.from_ndarray(pixels(index), format="rgb24")
            frame.pts = index
            container.mux(video.encode(frame))
        container.mux(video.encode(None))
        for start in range(0, 48000, 1024):
            t = np.arange(start, min(48000, start + 1024)) / 48000
            wave = 0.3 * np.sin(2 * np.pi * 440 * t)
            audio = av.AudioFrame.from_ndarray(
                np.stack([wave, wave]).astype(np.float32), format="fltp", layout="stereo"
            )
            audio.sample_rate, audio.pts = 48000, start
            container.mux(sound.encode(audio))
        container.mux(sound.encode(None))
    return path


@pytest.fixture(scope="module")
def original(source) -> list[np.ndarray]:
    return decode(source)


def decode(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24").astype(np.float32) for f in container.decode(video=0)]


def render(source: Path, tmp_path: Path, recipe: Recipe | str) -> list[np.ndarray]:
    if isinstance(recipe, str):
        recipe = parse_recipe(recipe)
    out = tmp_path / "out.mp4"
    render_remix(source=source, recipe=recipe, output=out, on_progress=lambda d, t: None)
    frames = decode(out)
    width, height = output_size(recipe, W, H)  # a reshape makes a new frame
    assert len(frames) == N and frames[0].shape == (height, width, 3)
    return frames


def step(name: str, **params) -> Recipe:
    return Recipe((Step(name, {**STEPS[name].defaults(), **params}),))


# name -> (recipe, check(out frames, source frames))
CHECKS = {
    "warmer": (step("warmer"), lambda o, s: r_minus_b(mid(o)) > r_minus_b(mid(s)) + 15),
    "cooler": (step("cooler"), lambda o, s: r_minus_b(mid(o)) < r_minus_b(mid(s)) - 15),
    "tint": (
        step("tint", colour="green", strength=0.6),
        lambda o, s: (
            (mid(o)[..., 1] - mid(o)[..., [0, 2]].mean(axis=2)).mean()
            > (mid(s)[..., 1] - mid(s)[..., [0, 2]].mean(axis=2)).mean() + 20
        ),
    ),
    "sepia": (
        step("sepia"),
        lambda o, s: mid(o)[..., 0].mean() > mid(o)[..., 1].mean() > mid(o)[..., 2].mean() + 10,
    ),
    "grayscale": (step("grayscale"), lambda o, s: chroma(mid(o)) < 3),
    "saturation": (
        step("saturation", amount=0.8),
        lambda o, s: chroma(mid(o)) > chroma(mid(s)) * 1.3,
    ),
    "brightness": (
        step("brightness", amount=-0.4),
        lambda o, s: luma(mid(o)).mean() < luma(mid(s)).mean() - 25,
    ),
    "contrast": (
        step("contrast", amount=0.5),
        lambda o, s: luma(mid(o)).std() > luma(mid(s)).std() * 1.3,
    ),
    "invert": (step("invert"), lambda o, s: np.abs(mid(o) + mid(s) - 255).mean() < 8),
    "high_key": (
        step("high_key"),
        lambda o, s: (
            luma(mid(o)).mean() > luma(mid(s)).mean() + 20
            and luma(mid(o)).std() < luma(mid(s)).std()
        ),
    ),
    "low_key": (step("low_key"), lambda o, s: luma(mid(o)).mean() < luma(mid(s)).mean() - 30),
    "teal_orange": (
        step("teal_orange", strength=1.0),
        lambda o, s: (
            r_minus_b(mid(o)[:, -40:]) > r_minus_b(mid(s)[:, -40:]) + 20
            and chroma(mid(o)) > chroma(mid(s)) + 10
        ),
    ),
    "hue_shift": (
        step("hue_shift", degrees=120),
        lambda o, s: (
            np.abs(mid(o) - mid(s)).mean() > 30
            and abs(luma(mid(o)).mean() - luma(mid(s)).mean()) < 25
        ),
    ),
    "grain": (
        step("grain", strength=1.0),
        lambda o, s: (
            np.abs(o[10][:60] - o[11][:60]).mean() > np.abs(s[10][:60] - s[11][:60]).mean() + 4
        ),
    ),
    "vignette": (
        step("vignette", strength=1.0),
        lambda o, s: (
            luma(mid(o))[-8:, -8:].mean() < luma(mid(s))[-8:, -8:].mean() - 25
            and abs(luma(mid(o))[40:50, 75:85].mean() - luma(mid(s))[40:50, 75:85].mean()) < 8
        ),
    ),
    "blur": (step("blur", strength=1.0), lambda o, s: edge(mid(o)) < edge(mid(s)) * 0.5),
    "sharpen": (
        step("sharpen", strength=1.0),
        lambda o, s: edge(mid(o)) > edge(mid(s)) * 1.1,
    ),
    "flicker": (
        step("flicker", strength=1.0),
        lambda o, s: np.std([luma(f).mean() for f in o]) > np.std([luma(f).mean() for f in s]) + 2,
    ),
    "glow": (
        step("glow", strength=1.0),
        lambda o, s: (
            luma(mid(o)).mean() > luma(mid(s)).mean() + 15
            # light blooms in every channel: no colour cast
            and all(mid(o)[..., c].mean() > mid(s)[..., c].mean() + 5 for c in range(3))
        ),
    ),
    "scanlines": (
        step("scanlines", strength=1.0),
        lambda o, s: row_ripple(mid(o)) > 10 * row_ripple(mid(s)) + 5,
    ),
    "chroma_shift": (
        step("chroma_shift", strength=1.0),
        lambda o, s: (
            np.abs(mid(o)[8:44, 4:64] - mid(s)[8:44, 4:64]).mean() > 4
            and np.abs(luma(mid(o)[8:44, 4:64]) - luma(mid(s)[8:44, 4:64])).mean() < 3
        ),
    ),
    "pixelate": (step("pixelate"), lambda o, s: block_spread(mid(o)) < 0.5 * block_spread(mid(s))),
    "posterize": (
        step("posterize", levels=4),
        lambda o, s: on_levels(mid(o), 4) > 0.8 and on_levels(mid(s), 4) < 0.5,
    ),
    "outlines": (
        step("outlines"),
        lambda o, s: (
            luma(mid(o))[12:40, 14:18].min() < 70 and luma(mid(o))[20:30, 25:45].mean() > 200
        ),
    ),
    "sketch": (
        step("sketch"),
        lambda o, s: luma(mid(o))[:70].mean() > 200 and luma(mid(o))[10:42, 12:20].min() < 100,
    ),
    "thermal": (step("thermal"), lambda o, s: chroma(mid(o)) > 40 and corr(mid(o), mid(s)) < 0.98),
    "glitch": (
        step("glitch", strength=1.0),
        lambda o, s: chroma(mid(o)[12:40, 8:20]) > chroma(mid(s)[12:40, 8:20]) + 15,
    ),
    "neon": (
        step("neon"),
        lambda o, s: luma(mid(o)[20:32, 26:42]).mean() < 150 and edge(mid(o)) > 20,
    ),
    "mirror": (step("mirror"), lambda o, s: corr(mid(o)[:70], mid(s)[:70, ::-1]) > 0.98),
    "flip_vertical": (
        step("flip_vertical"),
        lambda o, s: corr(mid(o)[20:], mid(s)[::-1][20:]) > 0.98,
    ),
    "rotate": (
        step("rotate", angle="180"),
        lambda o, s: corr(mid(o)[20:], mid(s)[::-1, ::-1][20:]) > 0.98,
    ),
    "crop": (
        step("crop", aspect="square"),
        lambda o, s: (
            mid(o).shape == (H, H, 3)  # the centre of the picture, a square of its height
            and np.abs(mid(o) - mid(s)[:, (W - H) // 2 : (W + H) // 2]).mean() < 6
        ),
    ),
    "letterbox": (
        step("letterbox"),
        lambda o, s: (
            mid(o)[:10].max() < 20
            and mid(o)[-10:].max() < 20
            and np.abs(mid(o)[25:65] - mid(s)[25:65]).mean() < 6
        ),
    ),
    "pillarbox": (
        step("pillarbox"),
        lambda o, s: mid(o)[:, :15].max() < 20 and mid(o)[:, -15:].max() < 20,
    ),
    "zoom": (
        step("zoom", factor=2.0),
        lambda o, s: (
            np.abs(
                mid(o)[5:15, 5:15].mean(axis=(0, 1)) - mid(s)[25:30, 42:47].mean(axis=(0, 1))
            ).max()
            < 20
        ),
    ),
    "push_in": (
        step("push_in", factor=2.0),
        lambda o, s: np.abs(o[0] - s[0]).mean() < 6 and np.abs(o[-1][:70] - s[-1][:70]).mean() > 15,
    ),
    "speed": (
        step("speed", factor=3.0),
        lambda o, s: [shown(f) for f in o[:8]] == [0, 3, 6, 9, 12, 15, 18, 21],
    ),
    "reverse": (step("reverse"), lambda o, s: [shown(f) for f in o[:3]] == [23, 22, 21]),
    "boomerang": (
        step("boomerang"),
        lambda o, s: (
            [shown(f) for f in o[:4]] == [0, 1, 2, 3] and [shown(f) for f in o[-3:]] == [2, 1, 0]
        ),
    ),
    "loop": (step("loop", times=2), lambda o, s: [shown(f) for f in o[10:15]] == [10, 11, 0, 1, 2]),
    "freeze": (
        step("freeze", position="last", seconds=0.5),
        lambda o, s: {shown(f) for f in o[12:]} == {23} and shown(o[0]) == 12,
    ),
    "fade_in": (
        step("fade_in", seconds=0.5),
        lambda o, s: o[0].max() < 30 and luma(o[-1]).mean() > 100,
    ),
    "fade_out": (
        step("fade_out", seconds=0.5, colour="white"),
        lambda o, s: o[-1].min() > 220 and abs(luma(o[0]).mean() - luma(s[0]).mean()) < 5,
    ),
    # looks, through the words a creator would write
    "old_film": (
        "old film",
        lambda o, s: (
            chroma(mid(o)) < chroma(mid(s))
            and r_minus_b(mid(o)) > 0.6 * r_minus_b(mid(s))
            and luma(mid(o))[-8:, -8:].mean() < luma(mid(s))[-8:, -8:].mean() - 20
            and abs(luma(mid(o))[40:50, 75:85].mean() - luma(mid(s))[40:50, 75:85].mean()) < 30
        ),
    ),
    "silent_movie": ("silent movie", lambda o, s: chroma(mid(o)) < 5),
    "noir": (
        "film noir",
        lambda o, s: chroma(mid(o)) < 5 and luma(mid(o)).mean() < luma(mid(s)).mean(),
    ),
    "vhs": (
        "vhs",
        lambda o, s: row_ripple(mid(o)) > 2 * row_ripple(mid(s)) and edge(mid(o)) < edge(mid(s)),
    ),
    "cctv": ("cctv", lambda o, s: chroma(mid(o)) < 0.5 * chroma(mid(s))),
    "night": (
        "night",
        lambda o, s: (
            luma(mid(o)).mean() < luma(mid(s)).mean() - 20 and r_minus_b(mid(o)) < r_minus_b(mid(s))
        ),
    ),
    "golden_hour": (
        "golden hour",
        lambda o, s: (
            r_minus_b(mid(o)) > r_minus_b(mid(s)) + 5 and luma(mid(o)).mean() > luma(mid(s)).mean()
        ),
    ),
    "dreamy": (
        "dreamy",
        lambda o, s: (
            luma(mid(o)).mean() > luma(mid(s)).mean() + 10
            and edge(mid(o)) < edge(mid(s))
            and chroma(mid(o)) < chroma(mid(s))  # a little less saturated, never tinted
        ),
    ),
    "cinematic": ("cinematic", lambda o, s: mid(o)[:10].max() < 20 and mid(o)[-10:].max() < 20),
    "pixel_art": ("pixel art", lambda o, s: block_spread(mid(o)) < 0.5 * block_spread(mid(s))),
    "comic": ("comic", lambda o, s: luma(mid(o))[12:40, 14:18].min() < 70),
    "neon_look": ("neon", lambda o, s: luma(mid(o)[20:32, 26:42]).mean() < 150),
    "thermal_look": ("thermal", lambda o, s: chroma(mid(o)) > 40),
    "glitch_look": (
        "glitch",
        lambda o, s: chroma(mid(o)[12:40, 8:20]) > chroma(mid(s)[12:40, 8:20]) + 10,
    ),
    "sketch_look": (
        "pencil sketch",
        lambda o, s: luma(mid(o))[:70].mean() > 200 and chroma(mid(o)) < 5,
    ),
    "vintage": (
        "vintage",
        lambda o, s: mid(o)[..., 0].mean() > mid(o)[..., 1].mean() > mid(o)[..., 2].mean(),
    ),
}


def test_every_step_and_look_has_a_pixel_check():
    # Sound steps are judged on samples instead, in test_sound_steps.py.
    picture = {name for name, spec in STEPS.items() if spec.kind != "sound"}
    assert set(CHECKS) == picture | set(LOOKS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_each_step_and_look_shows_in_the_pixels(name, source, original, tmp_path):
    recipe, check = CHECKS[name]
    assert check(render(source, tmp_path, recipe), original), name


def test_faster_then_hold_keeps_the_last_frame(source, tmp_path):
    out = render(source, tmp_path, "3x faster then hold the last frame")
    assert [shown(f) for f in out[:8]] == [0, 3, 6, 9, 12, 15, 18, 21]
    assert {shown(f) for f in out[8:]} == {23}


def test_slower_shows_the_first_part(source, tmp_path):
    out = render(source, tmp_path, "half speed")
    assert [shown(f) for f in out] == [i // 2 for i in range(N)]


def test_rotate_90_fits_the_turned_picture_inside_the_canvas(source, original, tmp_path):
    out = mid(render(source, tmp_path, "rotate 90 degrees clockwise"))
    inner = 52  # the turned picture is 90 tall and 90 * 90 / 160 (even) wide
    left = (W - inner) // 2
    assert out[:, : left - 2].max() < 20 and out[:, left + inner + 2 :].max() < 20
    turned = np.rot90(original[N // 2], -1).astype(np.uint8)  # clockwise
    small = np.asarray(Image.fromarray(turned).resize((inner, H)), dtype=np.float32)
    assert corr(out[:70, left + 2 : left + inner - 2], small[:70, 2:-2]) > 0.9


@pytest.mark.parametrize(
    ("prompt", "rows", "columns"),
    [
        ('"Hi" at the top', slice(0, 45), slice(0, W)),
        ('"Hi"', slice(45, H), slice(0, W)),
        ('"Hi" in the corner', slice(45, H), slice(80, W)),
    ],
)
def test_a_caption_is_drawn_where_asked_and_nowhere_else(
    source, original, tmp_path, prompt, rows, columns
):
    out = mid(render(source, tmp_path, prompt))
    changed = np.abs(out - original[N // 2]).max(axis=2) > 40
    inside = np.zeros_like(changed)
    inside[rows, columns] = True
    assert changed[inside].sum() > 50 and changed[~inside].sum() == 0


def test_no_sound_drops_the_audio(source, tmp_path):
    with av.open(str(source)) as container:
        assert container.streams.audio
    render(source, tmp_path, "sepia, no sound")
    with av.open(str(tmp_path / "out.mp4")) as container:
        assert not container.streams.audio
    render(source, tmp_path, "sepia")
    with av.open(str(tmp_path / "out.mp4")) as container:
        assert container.streams.audio


def test_reverse_reads_from_a_spool_on_disk_and_removes_it(source, tmp_path):
    render(source, tmp_path, "boomerang")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.mp4"]

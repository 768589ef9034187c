"""Steps that hold for a moment of the clip, read from the words and judged on decoded
pixels: the rest of the clip is untouched, and a speed for a moment changes the length."""

import av
import numpy as np
import pytest

from remixer.engine import FPS, Recipe, read_prompt
from remixer.engine.effects.spans import Span
from remixer.engine.effects.timing import TimeStep, timeline
from remixer.lib.media import probe
from remixer.tests.engine.test_render import shown_index
from remixer.tests.support.phrasings.moments import MOMENTS_READ
from remixer.tests.support.source_clips import FRAMES, decode, remix, write_source

pytestmark = pytest.mark.database_free


def moments(recipe: Recipe) -> list[object]:
    return [
        step.name
        if step.span is None
        else (step.name, (step.span.start, step.span.end, step.span.share))
        for step in recipe.steps
    ]


@pytest.mark.parametrize(("prompt", "expected"), MOMENTS_READ)
def test_moments_are_read(prompt, expected):
    found = moments(read_prompt(prompt))
    assert found[: len(expected)] == expected, prompt
    assert not read_prompt(prompt).unused


def test_a_recipe_describes_each_moment_and_keeps_it():
    recipe = read_prompt("black and white for the first 2 seconds, slow motion in the middle")
    assert recipe.describe() == [
        "Speed (×0.5), in the middle third",
        "Black and white, for the first 2 s",
    ]
    assert Recipe.from_json(recipe.to_json()) == recipe


@pytest.mark.parametrize(
    ("span", "length", "expected"),
    [
        (Span(0, 2), 8, (0, 2)),
        (Span(-1, None), 8, (7, 8)),
        (Span(3, None), 2, (2, 2)),  # after the end: nothing
        (Span(1 / 3, 2 / 3, True), 6, (2, 4)),
        (Span(1, 30), 4, (1, 4)),
    ],
)
def test_a_moment_is_resolved_within_the_clip(span, length, expected):
    assert span.seconds(length) == pytest.approx(expected)


@pytest.mark.parametrize(
    "data",
    [
        {"start": 3, "end": 1},
        {"start": -1, "end": 2},
        {"start": "1"},
        {"start": 0, "end": 2, "share": True},
    ],
)
def test_a_stored_moment_out_of_its_range_is_refused(data):
    stored = read_prompt("sepia").to_json()
    stored["steps"][0]["span"] = data
    with pytest.raises(ValueError):
        Recipe.from_json(stored)


def test_speed_for_a_moment_keeps_the_rest_and_changes_the_length():
    slow = TimeStep("speed", {"factor": 0.5, "then": "loop"}, Span(0, 1))
    order = timeline([slow], 48)
    assert order == [k // 2 for k in range(47)] + list(range(24, 48))  # 24 frames slowed to 47
    fast = TimeStep("speed", {"factor": 2.0, "then": "loop"}, Span(-1, None))
    assert timeline([fast], 48) == list(range(24)) + list(range(24, 48, 2)) + [47]
    whole = TimeStep("speed", {"factor": 0.5, "then": "loop"})
    assert len(timeline([whole], 48)) == 48  # for the whole clip the length is kept


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    return write_source(tmp_path_factory.mktemp("moments") / "source.mp4", audio=True)


def saturation(frame: np.ndarray) -> float:
    return float((frame.max(axis=2).astype(int) - frame.min(axis=2)).mean())


def test_black_and_white_for_the_first_second_only(source, tmp_path):
    frames = remix(source, "black and white for the first second", tmp_path / "out.mp4")
    assert len(frames) == FRAMES
    assert max(saturation(f) for f in frames[:23]) < 4
    assert min(saturation(f) for f in frames[25:]) > 40


def test_a_geometry_step_for_a_moment_is_laid_over_the_rest(source, tmp_path):
    original = [f.astype(int) for f in decode(source)]
    zoomed = remix(source, "zoom in for the last second", tmp_path / "out.mp4")
    assert len(zoomed) == FRAMES
    assert np.abs(zoomed[5] - original[5]).mean() < 3
    assert np.abs(zoomed[40] - original[40]).mean() > 10


def test_slow_motion_for_the_first_second_makes_the_clip_longer(source, tmp_path):
    output = tmp_path / "out.mp4"
    frames = remix(source, "slow motion for the first second", output)
    assert len(frames) == 71
    shown = [shown_index(f) for f in frames]
    assert shown[:6] == [0, 0, 1, 1, 2, 2]
    assert shown[-24:] == list(range(24, 48))
    info = probe(output)
    assert info.duration == pytest.approx(71 / FPS, abs=0.05)
    assert info.has_audio


def halves(path) -> tuple[float, float]:
    """The loudness (RMS) of the first and the last 0.9 s of the sound (of 2 s): away from
    the moment's edge, which falls between two blocks of samples."""
    with av.open(str(path)) as container:
        samples = np.concatenate([f.to_ndarray()[0] for f in container.decode(audio=0)])
    edge = round(0.9 * 48000)
    first, second = samples[:edge].astype(np.float64), samples[-edge:].astype(np.float64)
    return float(np.sqrt((first**2).mean())), float(np.sqrt((second**2).mean()))


def test_sound_steps_hold_for_their_moment(source, tmp_path):
    remix(source, "sepia", tmp_path / "plain.mp4")
    plain = halves(tmp_path / "plain.mp4")
    remix(source, "6 db quieter for the last second", tmp_path / "quieter.mp4")
    quieter = halves(tmp_path / "quieter.mp4")
    assert quieter[0] == pytest.approx(plain[0], rel=0.05)
    assert 20 * np.log10(quieter[1] / plain[1]) == pytest.approx(-6, abs=1)
    remix(source, "mute the first second", tmp_path / "muted.mp4")
    muted = halves(tmp_path / "muted.mp4")
    assert muted[0] < plain[0] / 100 and muted[1] == pytest.approx(plain[1], rel=0.1)


def test_a_new_shape_is_the_whole_clips_and_says_so():
    recipe = read_prompt("vertical for the first 2 seconds")
    assert recipe.steps[0].span is None
    assert "Reshape changes the whole clip, not a moment of it." in recipe.remarks


def peak(samples: np.ndarray) -> float:
    """The strongest frequency, in Hz, of 48 kHz samples."""
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / 48000)[int(np.argmax(spectrum))])


def test_a_pitch_for_a_moment_changes_only_that_moment(source, tmp_path):
    remix(source, "lower the pitch for the last second", tmp_path / "out.mp4")
    with av.open(str(tmp_path / "out.mp4")) as container:
        samples = np.concatenate([f.to_ndarray()[0] for f in container.decode(audio=0)])
    edge = round(0.9 * 48000)
    assert peak(samples[:edge]) == pytest.approx(440, rel=0.02)
    assert peak(samples[-edge:]) == pytest.approx(440 * 2 ** (-4 / 12), rel=0.02)


def test_a_caption_for_a_moment_shows_only_then(source, tmp_path):
    original = [f.astype(int) for f in decode(source)]
    frames = remix(source, '"HELLO" at the top for the first second', tmp_path / "out.mp4")
    assert read_prompt('"HELLO" at the top for the first second').caption.span == Span(0, 1)
    top = slice(0, 50)
    assert np.abs(frames[5][top] - original[5][top]).mean() > 5  # drawn
    assert np.abs(frames[40][top] - original[40][top]).mean() < 3  # gone
    stored = read_prompt('"HELLO" for the first second').to_json()
    assert Recipe.from_json(stored).caption.span == Span(0, 1)

"""The local engine's sound: it follows the picture's timeline, judged on decoded samples."""

from pathlib import Path

import av
import numpy as np
import pytest

from remixer.lib.media import probe
from remixer.tests.support.source_clips import SECONDS, remix, write_source

pytestmark = pytest.mark.database_free


def envelope(path: Path, parts: int = 8) -> tuple[float, list[float]]:
    """Duration, and the loudness (RMS) of each of `parts` equal parts of the audio."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        assert stream.codec_context.name == "aac"
        samples = np.concatenate([f.to_ndarray()[0] for f in container.decode(stream)])
    loudness = [
        float(np.sqrt((part.astype(np.float64) ** 2).mean()))
        for part in np.array_split(samples, parts)
    ]
    return len(samples) / stream.codec_context.sample_rate, loudness


@pytest.fixture(scope="module")
def loud_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 440 Hz tone that swells from 0.1 to 0.9 over the source's 2 s."""
    return write_source(tmp_path_factory.mktemp("sound") / "loud.mp4", audio=True)


def rendered(source: Path, prompt: str, tmp_path: Path) -> list[float]:
    output = tmp_path / "out.mp4"
    remix(source, prompt, output)
    duration, loudness = envelope(output)
    assert duration == pytest.approx(SECONDS, abs=0.1)
    assert probe(output).duration == pytest.approx(SECONDS, abs=1e-6)
    return loudness


def test_sound_is_kept(loud_source, tmp_path):
    loudness = rendered(loud_source, "sepia", tmp_path)
    assert loudness == sorted(loudness)  # the tone still swells
    assert loudness[-1] > 2 * loudness[0]


def test_sound_follows_reverse(loud_source, tmp_path):
    loudness = rendered(loud_source, "reverse", tmp_path)
    assert loudness == sorted(loudness, reverse=True)
    assert loudness[0] > 2 * loudness[-1]


def test_sound_follows_a_boomerang_forward_then_back(loud_source, tmp_path):
    loudness = rendered(loud_source, "boomerang", tmp_path)
    assert loudness[:4] == sorted(loudness[:4]) and loudness[4:] == sorted(loudness[4:])[::-1]
    assert loudness[0] == pytest.approx(loudness[-1], rel=0.25)
    assert loudness[3] > 1.5 * loudness[0]


def test_a_held_frame_is_silent(loud_source, tmp_path):
    loudness = rendered(loud_source, "freeze on the last frame for 1 second", tmp_path)
    assert min(loudness[:3]) > 0.05
    assert max(loudness[5:]) < 0.01  # the frozen second holds no tone


def test_faster_sound_loops_with_the_picture(loud_source, tmp_path):
    loudness = rendered(loud_source, "2x faster", tmp_path)
    assert loudness[3] > 2 * loudness[4]  # the swell starts again halfway
    assert loudness[:4] == sorted(loudness[:4]) and loudness[4:] == sorted(loudness[4:])


def test_slower_sound_is_the_first_part_stretched(loud_source, tmp_path):
    loudness = rendered(loud_source, "half speed", tmp_path)
    assert loudness == sorted(loudness)
    assert loudness[-1] < 0.6 * 0.9  # it never reaches the loud second half of the source

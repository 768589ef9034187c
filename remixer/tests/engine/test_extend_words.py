"""A local extension follows its words: from the source's last frame, the new part moves
toward the prompt's colour, light, zoom and sound steps, judged on decoded pixels and
samples of the joined video."""

from pathlib import Path

import av
import numpy as np
import pytest

from remixer.engine.render.extend import extension_recipe, follows_any
from remixer.models.recipes import parse_recipe
from remixer.providers import Job
from remixer.providers.local import OUTPUT, LocalProvider
from remixer.tests.support.source_clips import FRAMES, decode, diff, ignore_progress, write_source

pytestmark = pytest.mark.database_free

SEGMENT_SECONDS, RATE = 2, 48000
SEAM_LIMIT = 4.0  # mean absolute difference (0-255) between the frames either side of the seam


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2 s of 256x144 with a tone that swells: the video every test extends."""
    return write_source(tmp_path_factory.mktemp("extend-words") / "source.mp4", audio=True)


@pytest.fixture(scope="module")
def source_frames(source: Path) -> list[np.ndarray]:
    return decode(source)


def extended(source: Path, prompt: str, folder: Path) -> Path:
    job = Job(
        video_id="video_words",
        prompt=prompt,
        model="remixer-local",
        size="256x144",
        seconds=2 + SEGMENT_SECONDS,
        workdir=folder,
        source_video=source,
        extend_seconds=SEGMENT_SECONDS,
    )
    LocalProvider().extend(job, ignore_progress)
    return folder / OUTPUT


def segment(source: Path, prompt: str, folder: Path) -> tuple[np.ndarray, np.ndarray]:
    """The new part's first and last frames, once checked that the whole starts as the
    source does and goes on from its last frame without a jump."""
    frames = decode(extended(source, prompt, folder))
    assert len(frames) == FRAMES + SEGMENT_SECONDS * 24
    assert diff(frames[0], decode(source)[0]) < SEAM_LIMIT
    assert diff(frames[FRAMES - 1], frames[FRAMES]) < SEAM_LIMIT
    return frames[FRAMES].astype(np.float64), frames[-1].astype(np.float64)


def blue_share(frame: np.ndarray) -> float:
    return float(frame[..., 2].sum() / frame.sum())


def white(frame: np.ndarray) -> np.ndarray:
    """Where the source's white square is: its rows and columns."""
    return np.argwhere(frame.min(axis=-1) > 225)


def test_the_sky_fading_to_deep_blue_ends_bluer(source, tmp_path):
    first, last = segment(source, "the sun sets and the sky fades to deep blue", tmp_path)
    assert blue_share(first) < 0.3
    assert blue_share(last) > blue_share(first) + 0.12


def test_darker_ends_darker(source, tmp_path):
    first, last = segment(source, "darker", tmp_path)
    assert last.mean() < first.mean() - 20


@pytest.mark.parametrize(("prompt", "grows"), [("zoom out slowly", False), ("zoom in", True)])
def test_the_zoom_words_move_the_picture_their_way(source, tmp_path, prompt, grows):
    first, last = segment(source, prompt, tmp_path)
    before, after = white(first), white(last)
    assert len(before) > 1000 and len(after) > 50
    # The square's corner nearest the centre goes away from it, or toward it.
    centre = np.array([72, 128])
    ratio = np.hypot(*(after.max(axis=0) - centre)) / np.hypot(*(before.max(axis=0) - centre))
    assert ratio > 1.3 if grows else ratio < 0.7
    if not grows:  # smaller, and what no longer fills the frame is black
        assert len(after) < len(before) / 2
        assert last[:10].mean() < 8 and last[:, :20].mean() < 8


def test_words_it_cannot_follow_extend_as_before(source, tmp_path):
    assert extension_recipe(parse_recipe("the waves calm down, reversed")).steps == ()
    first, last = segment(source, "the waves calm down, reversed", tmp_path)
    assert diff(first, last) > 3  # the slow move over the last frame, as before
    assert abs(blue_share(last) - blue_share(first)) < 0.05


def test_what_an_extension_leaves_out_is_named():
    recipe = extension_recipe(parse_recipe("mirror, reverse, fade in, warmer, zoom out"))
    assert {step.name for step in recipe.steps} == {"warmer", "zoom"}
    assert any("leaves out: " in note and "Reverse" in note for note in recipe.notes())
    assert follows_any(extension_recipe(parse_recipe("no sound")))


def loudness(path: Path) -> tuple[float, float, float]:
    """RMS of the source's last half second, the new part's first and its last. The source
    is as long as the new part, so the new part carries all of its sound on, once."""
    with av.open(str(path)) as container:
        sound = np.concatenate([f.to_ndarray()[0] for f in container.decode(audio=0)])

    def rms(part: np.ndarray) -> float:
        return float(np.sqrt((part.astype(np.float64) ** 2).mean()))

    seam = 2 * RATE
    return (
        rms(sound[seam - RATE // 2 : seam]),
        rms(sound[seam : seam + RATE // 2]),
        rms(sound[-RATE // 2 :]),
    )


@pytest.mark.parametrize(
    ("prompt", "ends"),
    [("bluer", "quieter"), ("no sound", "silent"), ("louder", "louder")],
)
def test_the_sound_carries_on_and_follows_the_sound_words(source, tmp_path, prompt, ends):
    before, start, end = loudness(extended(source, prompt, tmp_path))
    assert before > 0.5  # the source's own sound, kept as it was
    if ends == "silent":
        assert start < 0.001 and end < 0.001
        return
    assert start > 0.08  # the sound goes on over the seam
    # The new part's end is the source's end again: dying away, or louder.
    assert (end < before / 4) if ends == "quieter" else (end > before * 1.05)

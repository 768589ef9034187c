"""Sound steps: louder or quieter, fades of the sound alone, an echo, another pitch and what
the sound plays through, read from prompts and judged on decoded samples."""

import math
from pathlib import Path

import av
import numpy as np
import pytest

from remixer.models.recipes import RecipeError, parse_recipe
from remixer.tests.support.phrasings import SOUND_READ
from remixer.tests.support.source_clips import (
    FRAMES,
    HEIGHT,
    SECONDS,
    WIDTH,
    remix,
    source_pixels,
    write_source,
)

pytestmark = pytest.mark.database_free

RATE = 48000
TONES = {150: 0.08, 1000: 0.15, 5000: 0.05}  # Hz: amplitude; low, middle and high at once


@pytest.mark.parametrize(("prompt", "expected"), SOUND_READ)
def test_a_sound_prompt_reads_as_these_steps(prompt, expected):
    recipe = parse_recipe(prompt)
    steps = [(step.name, step.params) for step in recipe.steps]
    assert [name for name, _ in steps] == [e if isinstance(e, str) else e[0] for e in expected]
    for (_, params), wanted in zip(steps, expected, strict=True):
        for key, value in ({} if isinstance(wanted, str) else wanted[1]).items():
            assert params[key] == pytest.approx(value, abs=0.01)
    assert recipe.unused == (), "every word of these prompts is used"
    assert recipe.sound


@pytest.mark.parametrize(
    ("prompt", "named"),
    [
        ("louder and quieter", ["louder", "quieter"]),
        ("turn it up, much quieter", ["turn it up", "much quieter"]),
        ("higher pitch and a deeper voice", ["higher pitch", "deeper voice"]),
    ],
)
def test_opposite_sound_steps_are_named_not_guessed(prompt, named):
    with pytest.raises(RecipeError) as error:
        parse_recipe(prompt)
    for words in named:
        assert words in str(error.value)


BEYOND = [
    ("remove the music", "Removing only the music needs a generative model", "mute"),
    ("remove the vocals", "Separating voices from music needs a generative model", "mute"),
    ("change the voice to a woman's", "Changing the voice", "deeper voice"),
    ("add music", "Adding music needs a generative model", "already has"),
    ("add some epic background music", "Adding music", "already has"),
    ("add sound effects", "Adding sound effects needs a generative model", "already has"),
    ("make it say hello world", "Making it speak needs a generative model", "caption"),
]


@pytest.mark.parametrize(("prompt", "sentence", "instead"), BEYOND)
def test_what_needs_a_model_is_refused_in_one_sentence(prompt, sentence, instead):
    with pytest.raises(RecipeError) as error:
        parse_recipe(prompt)
    message = str(error.value)
    assert message.startswith(sentence) and instead in message
    assert message.count(".") == 1, "one sentence"


def test_what_needs_a_model_is_a_remark_beside_what_the_engine_can_do():
    recipe = parse_recipe("sepia and remove the music, then make it say 'Hello'")
    assert [step.name for step in recipe.steps] == ["sepia"]
    assert recipe.caption is not None and recipe.caption.text == "Hello"
    assert recipe.unused == () and recipe.sound
    assert any("Removing only the music" in note for note in recipe.notes())
    assert any("Making it speak" in note for note in recipe.notes())


def test_removing_the_sound_is_still_a_mute():
    assert parse_recipe("remove the sound").sound is False
    assert parse_recipe("mute").sound is False
    assert parse_recipe("sepia, no audio").sound is False


def test_muting_wins_over_the_sound_steps_and_says_so():
    recipe = parse_recipe("mute, louder and add an echo, sepia")
    assert [step.name for step in recipe.steps] == ["sepia"]
    assert recipe.sound is False
    assert "Left out Volume (+6 dB), Echo (50%, delay 0.3): the sound is muted." in recipe.notes()


def test_the_recipe_lists_the_sound_steps():
    recipe = parse_recipe("much louder, a slight echo, lower the pitch, fade the music out, phone")
    assert recipe.describe() == [
        "Volume (+10.2 dB)",
        "Echo (25%, delay 0.3)",
        "Pitch (-4 semitones)",
        "Sound fades out (1 s)",
        "Phone-call sound (50%)",
    ]


def write_chord(path: Path) -> Path:
    """The render tests' picture with three steady tones at once (see TONES)."""
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=24, options={"crf": "10"})
        video.width, video.height, video.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        sound = container.add_stream("aac", rate=RATE)
        for index in range(FRAMES):
            frame = av.VideoFrame.from_ndarray(source_pixels(index), format="rgb24")
            frame.pts = index
            container.mux(video.encode(frame))
        container.mux(video.encode(None))
        t = np.arange(SECONDS * RATE) / RATE
        wave = sum(level * np.sin(2 * math.pi * hz * t) for hz, level in TONES.items())
        for start in range(0, len(t), 1024):
            part = wave[start : start + 1024].astype(np.float32)
            chunk = av.AudioFrame.from_ndarray(
                np.stack([part, part]), format="fltp", layout="stereo"
            )
            chunk.sample_rate, chunk.pts = RATE, start
            container.mux(sound.encode(chunk))
        container.mux(sound.encode(None))
    return path


@pytest.fixture(scope="module")
def chord(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_chord(tmp_path_factory.mktemp("chord") / "chord.mp4")


@pytest.fixture(scope="module")
def plain(chord: Path, tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    """The chord through a remix that leaves the sound alone (as encoded twice)."""
    return samples(chord, "mirror", tmp_path_factory.mktemp("plain"))


def rendered(source: Path, prompt: str, folder: Path) -> tuple[np.ndarray, list[np.ndarray]]:
    """The remix's sound (its left channel) and its frames."""
    output = folder / f"{prompt.replace(' ', '_')}.mp4"
    frames = remix(source, prompt, output)
    with av.open(str(output)) as container:
        stream = container.streams.audio[0]
        assert stream.codec_context.sample_rate == RATE
        left = np.concatenate([f.to_ndarray()[0] for f in container.decode(stream)])
    assert len(left) / RATE == pytest.approx(SECONDS, abs=0.05), "the sound keeps its length"
    return left.astype(np.float64), frames


def samples(source: Path, prompt: str, folder: Path) -> np.ndarray:
    return rendered(source, prompt, folder)[0]


def rms(part: np.ndarray) -> float:
    return float(np.sqrt((part**2).mean()))


def db(a: float, b: float) -> float:
    return 20 * math.log10(a / b)


def level(sound: np.ndarray, hz: float) -> float:
    """How strong `hz` is in the middle second (its spectrum within 20 Hz either side)."""
    middle = sound[RATE // 2 : RATE // 2 + RATE] * np.hanning(RATE)
    spectrum = np.abs(np.fft.rfft(middle))  # one bin a hertz
    return float(np.sqrt((spectrum[int(hz) - 20 : int(hz) + 21] ** 2).sum()))


def peak(sound: np.ndarray) -> float:
    middle = sound[RATE // 2 : RATE // 2 + RATE] * np.hanning(RATE)
    return float(np.argmax(np.abs(np.fft.rfft(middle))))


@pytest.mark.parametrize(("prompt", "change"), [("+6 dB", 6.0), ("10 dB quieter", -10.0)])
def test_the_volume_changes_by_the_decibels_asked(chord, plain, tmp_path, prompt, change):
    louder = samples(chord, prompt, tmp_path)
    assert db(rms(louder[2400:-2400]), rms(plain[2400:-2400])) == pytest.approx(change, abs=1.0)


def test_the_sound_fades_and_the_picture_does_not(chord, plain, tmp_path):
    prompt = "fade the sound in over 0.5 s and fade out the audio over 0.5 s"
    faded, frames = rendered(chord, prompt, tmp_path)
    eighth = RATE // 8
    assert rms(faded[:eighth]) < 0.4 * rms(plain[:eighth])
    assert rms(faded[-eighth:]) < 0.4 * rms(plain[-eighth:])
    middle = slice(RATE - 2 * eighth, RATE + 2 * eighth)
    assert db(rms(faded[middle]), rms(plain[middle])) == pytest.approx(0, abs=0.5)
    assert frames[0].mean() > 100 and frames[-1].mean() > 100  # neither end of it is black


def test_fade_out_alone_still_fades_the_picture_and_not_the_sound(chord, plain, tmp_path):
    sound, frames = rendered(chord, "fade out", tmp_path)
    quarter = RATE // 8
    assert db(rms(sound[-quarter:]), rms(plain[-quarter:])) > -1
    assert frames[-1].mean() < 10


def test_an_echo_rings_on_after_the_sound_stops(chord, tmp_path):
    held = "freeze on the last frame for 1 second"
    dry = samples(chord, held, tmp_path)
    wet = samples(chord, f"{held} and add an echo", tmp_path)
    after = slice(RATE + RATE // 20, RATE + RATE // 3)  # the held second: the sound has stopped
    assert rms(dry[after]) < 0.002
    assert rms(wet[after]) > 0.02


@pytest.mark.parametrize(("prompt", "semitones"), [("an octave higher", 12), ("lower pitch", -4)])
def test_the_pitch_moves_and_the_length_is_kept(chord, plain, tmp_path, prompt, semitones):
    moved = samples(chord, prompt, tmp_path)
    assert peak(plain) == pytest.approx(1000, abs=2)
    assert peak(moved) == pytest.approx(1000 * 2 ** (semitones / 12), rel=0.01)


def test_muffled_takes_the_high_sounds_away(chord, plain, tmp_path):
    muffled = samples(chord, "muffled", tmp_path)
    assert db(level(muffled, 5000), level(plain, 5000)) < -30
    assert db(level(muffled, 150), level(plain, 150)) > -2


def test_a_phone_call_keeps_only_the_middle(chord, plain, tmp_path):
    phone = samples(chord, "like a phone call", tmp_path)
    assert db(level(phone, 150), level(plain, 150)) < -12
    assert db(level(phone, 5000), level(plain, 5000)) < -10
    assert db(level(phone, 1000), level(plain, 1000)) > -3


def test_underwater_keeps_only_the_lowest(chord, plain, tmp_path):
    under = samples(chord, "underwater", tmp_path)
    assert db(level(under, 1000), level(plain, 1000)) < -12
    assert db(level(under, 5000), level(plain, 5000)) < -30


def test_sound_steps_on_a_video_without_sound_leave_the_picture(tmp_path):
    source = write_source(tmp_path / "silent.mp4")
    frames = remix(source, "louder and add an echo", tmp_path / "out.mp4")
    assert len(frames) == FRAMES
    with av.open(str(tmp_path / "out.mp4")) as container:
        assert not container.streams.audio


def test_a_fade_after_a_mute_is_the_pictures():
    recipe = parse_recipe("no sound, then fade out")
    assert [step.name for step in recipe.steps] == ["fade_out"] and not recipe.sound


def test_the_noise_of_a_thing_is_its_sound_not_film_grain():
    recipe = parse_recipe("muffle the engine noise")
    assert [step.name for step in recipe.steps] == ["muffled"]
    assert recipe.unused == ("engine",)

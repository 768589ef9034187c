"""Prompts written in Spanish, Portuguese, French, German, Italian and Japanese: read through
phrase tables into the steps an English prompt would make, and said so in the recipe."""

from pathlib import Path

import av
import numpy as np
import pytest

from remixer.engine.prompt import languages, typos
from remixer.engine.prompt.words import number, tokens
from remixer.models.recipes import Recipe, parse_recipe
from remixer.tests.support.phrasings import READ
from remixer.tests.support.phrasings.languages import (
    CAPTIONS,
    DECIBELS,
    IN_LANGUAGES,
    MIDDLES,
    MOMENTS,
    MUTED,
    NOT_INFLECTED,
    TYPOS_IN_LANGUAGES,
)
from remixer.tests.support.phrasings.languages_everyday import (
    COMPLAINTS,
    PLATFORMS,
    SHORT_FORMS,
    VIVID_AND_DULL,
    VOICES,
)
from remixer.tests.support.phrasings.languages_verbs import (
    KANA,
    OBJECTS,
    PARTS,
    SPEED_FACTORS,
    UP_AND_DOWN,
)
from remixer.tests.support.source_clips import decode, diff, remix, write_source

pytestmark = pytest.mark.database_free


def applied(recipe: Recipe) -> list[tuple[str, dict]]:
    return [(step.name, step.params) for step in recipe.steps]


@pytest.mark.parametrize(
    ("prompt", "language", "expected"),
    IN_LANGUAGES
    + VIVID_AND_DULL
    + COMPLAINTS
    + VOICES
    + SHORT_FORMS
    + PLATFORMS
    + UP_AND_DOWN
    + KANA
    + SPEED_FACTORS
    + OBJECTS,
)
def test_a_prompt_in_another_language_reads_as_these_steps(prompt, language, expected):
    recipe = parse_recipe(prompt)
    steps = applied(recipe)
    assert [name for name, _ in steps] == [e if isinstance(e, str) else e[0] for e in expected]
    for (_, params), wanted in zip(steps, expected, strict=True):
        for key, value in ({} if isinstance(wanted, str) else wanted[1]).items():
            assert params[key] == (pytest.approx(value) if isinstance(value, float) else value)
    assert f"Read as {language}." in recipe.remarks
    assert recipe.unused == (), "every word of these prompts is used"


@pytest.mark.parametrize(("prompt", "language", "step", "span"), MOMENTS)
def test_a_moment_in_another_language_bounds_its_step(prompt, language, step, span):
    recipe = parse_recipe(prompt)
    found = [s for s in recipe.steps if s.name == step]
    assert found and found[0].span is not None
    assert (found[0].span.start, found[0].span.end) == span
    assert f"Read as {language}." in recipe.remarks


@pytest.mark.parametrize(("prompt", "language", "step", "span"), PARTS)
def test_a_part_of_the_clip_and_only_bound_the_step_and_are_used(prompt, language, step, span):
    recipe = parse_recipe(prompt)
    (found,) = [s for s in recipe.steps if s.name == step]
    assert (found.span.start, found.span.end) == pytest.approx(span)
    assert f"Read as {language}." in recipe.remarks
    assert recipe.unused == ()


def test_a_verb_on_the_pitch_is_never_read_as_quieter():
    reading = languages.read("Monte le son de 5 dB et baisse un peu la tonalité de la voix")
    assert reading.text == "louder by 5 db and a bit lower the pitch to the sound"
    assert languages.read("baisse le son").text == "quieter"
    assert languages.read("音程を3半音下げて").text == "3 semitones lower the pitch"


def test_a_japanese_speed_with_no_number_is_twice_as_fast():
    assert languages.read("倍速にして").text == "2 x speed"
    assert languages.read("3倍速").text == "3 x speed"
    assert languages.read("最初の4秒だけ2倍速にして").text == "the first 4 seconds only 2 x speed"


def test_solo_is_only_where_it_says_only():
    assert languages.read("guitar solo in sepia").language is None
    assert languages.read("solo los primeros 2 segundos en sepia").language == "Spanish"


@pytest.mark.parametrize(("prompt", "language"), MIDDLES)
def test_the_middle_in_another_language(prompt, language):
    (step,) = parse_recipe(prompt).steps
    assert (step.name, step.span.start, step.span.end) == ("sepia", 1 / 3, 2 / 3)
    assert languages.read(prompt).language == language


@pytest.mark.parametrize(("prompt", "text", "place"), CAPTIONS)
def test_a_caption_and_its_place_in_another_language(prompt, text, place):
    recipe = parse_recipe(prompt)
    assert (recipe.caption.text, recipe.caption.position) == (text, place)
    assert recipe.steps and recipe.unused == ()


@pytest.mark.parametrize(("prompt", "language", "english"), DECIBELS)
def test_a_number_of_decibels_follows_its_volume_word(prompt, language, english):
    reading = languages.read(prompt)
    assert (reading.language, reading.text) == (language, english)
    (step,) = parse_recipe(prompt).steps
    assert step.name == "volume"
    assert (step.params["db"] < 0) == ("quieter" in english)


@pytest.mark.parametrize(("prompt", "word"), NOT_INFLECTED)
def test_only_the_endings_of_a_word_are_read_as_its_other_forms(prompt, word):
    assert word in languages.read(prompt).text.split()


def test_a_louder_word_is_louder_only_about_the_sound():
    assert languages.read("sépia un peu plus fort").text == "sepia a bit more"
    assert languages.read("un peu plus fort").text == "a bit louder"
    assert languages.read("sépia, la musique plus forte").text == "sepia , music louder"
    assert languages.read("sube el brillo").text == "increase the brightness"


@pytest.mark.parametrize("prompt", MUTED)
def test_no_sound_in_another_language(prompt):
    assert parse_recipe(prompt).sound is False


@pytest.mark.parametrize("prompt", [prompt for prompt, _ in READ])
def test_an_english_prompt_is_never_read_as_another_language(prompt):
    reading = languages.read(prompt)
    assert (reading.language, reading.text) == (None, prompt)


@pytest.mark.parametrize(
    "prompt",
    [
        "sepia",
        "vintage, zoom in, loop",
        "make it come alive with sepia",
        "a tempo de sepia",  # as many words English as Portuguese: English
        "noir",
        "die hard sepia",
        "fade",
        "too dark",
        "square for insta",
        "rock n roll vibe",
    ],
)
def test_a_tie_is_english(prompt):
    assert languages.read(prompt).language is None


def test_a_mixed_prompt_is_read_as_the_language_it_says_most_in():
    recipe = parse_recipe("hazlo más cálido y en blanco y negro, slow motion")
    assert [name for name, _ in applied(recipe)] == ["speed", "warmer", "grayscale"]
    assert "Read as Spanish." in recipe.remarks


def test_words_no_table_knows_are_kept_and_named():
    recipe = parse_recipe("hazlo más cálido con unicornios")
    assert recipe.unused == ("unicornios",)


def test_accents_may_be_written_or_not():
    for prompt in ("más cálido", "mas calido", "MÁS CÁLIDO"):
        assert languages.read(prompt).text == "warmer"
    assert languages.read("in schwarzweiss").text == languages.read("in Schwarzweiß").text


def test_a_complaint_asks_for_the_opposite():
    assert languages.read("trop sombre").text == "brighter"
    assert languages.read("c'est un peu trop clair").text == "a bit darker"
    assert languages.read("escuro demais").text == "brighter"  # "demais" follows
    assert languages.read("暗すぎる").text == "brighter"  # so does "すぎる"
    assert languages.read("trop granuleux").text == "less grain"  # no opposite: less of it


def test_muy_is_a_complaint_unless_a_verb_asks_for_it():
    assert languages.read("muy oscuro").text == "brighter"
    assert languages.read("hazlo muy oscuro").text == "make it very darker"
    assert languages.read("está muito quente, mas deixa muito escuro").text == (
        "cooler , but make it very darker"
    )


def test_a_word_of_degree_inside_a_phrase_is_said_first():
    assert languages.read("voz un poco más grave").text == "a bit lower the pitch"
    assert languages.read("die Stimme ein bisschen tiefer").text == "the a bit lower the pitch"
    assert languages.read("声をちょっと高く").text == "a bit higher pitch"


def test_false_friends_read_as_meant():
    assert languages.read("spiegel das Video horizontal").text == "flip horizontally"
    assert languages.read("en noir et blanc").text == "black and white"
    assert languages.read("negro").text == languages.read("preto").text == "black"
    assert languages.read("sépia très léger").language == "French"  # not "tres", three
    assert languages.read("c'est trop fade").text == "more saturated"  # dull, not a fade
    assert languages.read("la vidéo est fade").text == "the video muted"
    assert languages.read("fondu au noir").text == "fade to black"
    assert languages.read("un fade out à la fin").text == "a fade out at the end"


@pytest.mark.parametrize(("prompt", "language", "corrected", "text"), TYPOS_IN_LANGUAGES)
def test_a_misspelt_word_of_the_language_is_read_and_named(prompt, language, corrected, text):
    reading = languages.read(prompt)
    assert (reading.language, reading.text, reading.corrected) == (language, text, (corrected,))


def test_every_english_phrase_of_every_table_is_known_to_the_reader():
    for language in languages.LANGUAGES:
        for phrase, english in language.phrases.items():
            for word in tokens(english.replace("<", "").replace("|", " ")):
                assert word in typos.WORDS or number(word) is not None, (language.name, phrase)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_source(tmp_path_factory.mktemp("languages") / "source.mp4")


def test_german_horizontal_mirroring_mirrors_the_pixels(source, tmp_path):
    frames = remix(source, "spiegel das Video horizontal", tmp_path / "out.mp4")
    original = decode(source)
    assert frames[5].shape == original[5].shape  # not cropped to landscape
    assert diff(frames[5], original[5][:, ::-1]) < 3


def colourfulness(frame: np.ndarray) -> float:
    return float((frame.max(axis=-1).astype(np.int16) - frame.min(axis=-1)).mean())


def test_french_complaints_correct_the_pixels(source, tmp_path):
    original = decode(source)[10]
    too_dull = remix(source, "c'est trop fade", tmp_path / "dull.mp4")[10]
    too_dark = remix(source, "c'est trop sombre", tmp_path / "dark.mp4")[10]
    assert colourfulness(too_dull) > colourfulness(original) + 5
    assert too_dark.mean() > original.mean() + 5


def test_french_noir_et_blanc_is_black_and_white_not_the_noir_look(source, tmp_path):
    french = remix(source, "en noir et blanc", tmp_path / "french.mp4")[10]
    english = remix(source, "black and white", tmp_path / "english.mp4")[10]
    noir = remix(source, "noir", tmp_path / "noir.mp4")[10]
    grey = french.astype(np.int16)
    assert np.abs(grey[..., 0] - grey[..., 1]).max() <= 3
    assert diff(french, english) < 1
    assert diff(french, noir) > 10


def test_up_and_down_verbs_change_the_pixels_the_right_way(source, tmp_path):
    original = decode(source)[10].mean()
    raised = remix(source, "monte la luminosité", tmp_path / "raised.mp4")[10].mean()
    lowered = remix(source, "senk die Helligkeit", tmp_path / "lowered.mp4")[10].mean()
    assert raised > original + 10 and lowered < original - 10


def sound_of(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return np.concatenate([f.to_ndarray()[0] for f in container.decode(audio=0)])


def peak(samples: np.ndarray) -> float:
    """The strongest frequency, in Hz, of 48 kHz samples."""
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / 48000)[int(np.argmax(spectrum))])


def test_louder_and_a_lower_voice_in_french_change_the_samples(tmp_path):
    source = write_source(tmp_path / "voiced.mp4", audio=True)
    remix(source, "sépia", tmp_path / "plain.mp4")
    prompt = "Monte le son de 5 dB et baisse un peu la tonalité de la voix"
    remix(source, prompt, tmp_path / "out.mp4")
    plain, out = sound_of(tmp_path / "plain.mp4"), sound_of(tmp_path / "out.mp4")
    middle = slice(round(0.5 * 48000), round(1.5 * 48000))
    gain = 20 * np.log10(np.sqrt((out[middle] ** 2).mean() / (plain[middle] ** 2).mean()))
    assert gain == pytest.approx(5, abs=1)
    assert peak(out[middle]) == pytest.approx(440 * 2 ** (-2 / 12), rel=0.02)

"""Prompts written in Spanish, Portuguese, French, German, Italian and Japanese: read through
phrase tables into the steps an English prompt would make, and said so in the recipe."""

from pathlib import Path

import numpy as np
import pytest

from remixer.engine.prompt import languages, typos
from remixer.engine.prompt.words import number, tokens
from remixer.models.recipes import Recipe, parse_recipe
from remixer.tests.support.phrasings import READ
from remixer.tests.support.phrasings.languages import (
    CAPTIONS,
    IN_LANGUAGES,
    MIDDLES,
    MOMENTS,
    MUTED,
    TYPOS_IN_LANGUAGES,
)
from remixer.tests.support.source_clips import decode, diff, remix, write_source

pytestmark = pytest.mark.database_free


def applied(recipe: Recipe) -> list[tuple[str, dict]]:
    return [(step.name, step.params) for step in recipe.steps]


@pytest.mark.parametrize(("prompt", "language", "expected"), IN_LANGUAGES)
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


def test_false_friends_read_as_meant():
    assert languages.read("spiegel das Video horizontal").text == "flip horizontally"
    assert languages.read("en noir et blanc").text == "black and white"
    assert languages.read("negro").text == languages.read("preto").text == "black"
    assert languages.read("sépia très léger").language == "French"  # not "tres", three


@pytest.mark.parametrize(("prompt", "language", "corrected", "text"), TYPOS_IN_LANGUAGES)
def test_a_misspelt_word_of_the_language_is_read_and_named(prompt, language, corrected, text):
    reading = languages.read(prompt)
    assert (reading.language, reading.text, reading.corrected) == (language, text, (corrected,))


def test_every_english_phrase_of_every_table_is_known_to_the_reader():
    for language in languages.LANGUAGES:
        for phrase, english in language.phrases.items():
            for word in tokens(english.replace("<", "")):
                assert word in typos.WORDS or number(word) is not None, (language.name, phrase)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_source(tmp_path_factory.mktemp("languages") / "source.mp4")


def test_german_horizontal_mirroring_mirrors_the_pixels(source, tmp_path):
    frames = remix(source, "spiegel das Video horizontal", tmp_path / "out.mp4")
    original = decode(source)
    assert frames[5].shape == original[5].shape  # not cropped to landscape
    assert diff(frames[5], original[5][:, ::-1]) < 3


def test_french_noir_et_blanc_is_black_and_white_not_the_noir_look(source, tmp_path):
    french = remix(source, "en noir et blanc", tmp_path / "french.mp4")[10]
    english = remix(source, "black and white", tmp_path / "english.mp4")[10]
    noir = remix(source, "noir", tmp_path / "noir.mp4")[10]
    grey = french.astype(np.int16)
    assert np.abs(grey[..., 0] - grey[..., 1]).max() <= 3
    assert diff(french, english) < 1
    assert diff(french, noir) > 10

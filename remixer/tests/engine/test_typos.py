"""Misspelt words read as the vocabulary word meant, and hints, when nothing could be
followed, that come from what a word means rather than how it is spelt."""

import pytest

from remixer.engine.prompt import languages, suggest, typos
from remixer.engine.prompt import vocabulary as v
from remixer.models.recipes import UNDERSTOOD, RecipeError, parse_recipe
from remixer.tests.support.phrasings.languages import (
    HINTS,
    NOT_TYPOS,
    SHORT_NOT_TYPOS_IN_LANGUAGES,
    TYPOS,
    TYPOS_IN_LANGUAGES,
)

pytestmark = pytest.mark.database_free


@pytest.mark.parametrize(("prompt", "corrected", "expected"), TYPOS)
def test_a_misspelt_word_is_read_as_the_word_meant_and_said(prompt, corrected, expected):
    recipe = parse_recipe(prompt)
    assert [s.name for s in recipe.steps] == [e if isinstance(e, str) else e[0] for e in expected]
    for step, wanted in zip(recipe.steps, expected, strict=True):
        for key, value in ({} if isinstance(wanted, str) else wanted[1]).items():
            assert step.params[key] == pytest.approx(value)
    for written, meant in corrected:
        assert f"Read '{written}' as '{meant}'." in recipe.remarks


@pytest.mark.parametrize("word", NOT_TYPOS)
def test_a_real_word_is_not_read_as_another(word):
    assert typos.correct([word]) == ([word], [])


@pytest.mark.parametrize(("prompt", "language"), SHORT_NOT_TYPOS_IN_LANGUAGES)
def test_a_short_word_of_another_language_is_never_read_as_misspelt(prompt, language):
    reading = languages.read(prompt)
    assert (reading.language, reading.corrected) == (language, ())
    assert "freeze" not in reading.text.split()


@pytest.mark.parametrize(("prompt", "language", "corrected", "text"), TYPOS_IN_LANGUAGES)
def test_a_long_misspelt_word_of_another_language_is_read_and_said(
    prompt, language, corrected, text
):
    recipe = parse_recipe(prompt)
    assert f"Read '{corrected[0]}' as '{corrected[1]}'." in recipe.remarks
    assert recipe.unused == ()


def test_a_common_word_of_another_language_is_never_read_as_misspelt():
    for language in languages.LANGUAGES[:5]:
        assert language.keep, language.name
        for word in language.keep:
            assert languages.read(f"{word} {word}").corrected == ()


def test_a_word_near_two_others_is_left_alone():
    assert typos.correct(["colr"]) == (["colr"], [])  # "color" or "cold"
    assert typos.correct(["moiton"]) == (["moiton"], [])  # "motion" only in "slow motion"


def test_short_words_numbers_and_known_words_are_left_alone():
    words = ["slo", "2x", "sepia", "1.5", "don", "\x00caption"]
    assert typos.correct(words) == (words, [])


@pytest.mark.parametrize(("prompt", "hint"), HINTS)
def test_a_hint_comes_from_what_the_word_means(prompt, hint):
    with pytest.raises(RecipeError) as error:
        parse_recipe(prompt)
    message = str(error.value)
    assert message.endswith(UNDERSTOOD)
    said = message.removesuffix(UNDERSTOOD)
    assert said.count(".") == (2 if hint else 1), "one sentence, then at most one hint"
    assert (f"Try: {hint}." in said) if hint else ("Try:" not in said)


def test_pastel_is_not_pause_and_tilt_is_not_tint():
    for prompt, wrong in (("pastel", "pause"), ("tilt", "tint"), ("tilt", "freeze")):
        with pytest.raises(RecipeError) as error:
            parse_recipe(prompt)
        assert wrong not in str(error.value).removesuffix(UNDERSTOOD)


def test_louder_is_a_step_not_a_hint():
    assert [step.name for step in parse_recipe("louder").steps] == ["volume"]


def family_of(recipe_step) -> str:
    return "look" if recipe_step.look else suggest.family(v.Effect(step=recipe_step.name))


@pytest.mark.parametrize(("word", "entry"), sorted(suggest.EVERYDAY.items()))
def test_every_hint_is_a_step_of_the_same_family_the_engine_follows(word, entry):
    family, hint = entry
    assert word not in typos.PHRASES, "an everyday word the engine knows needs no hint"
    if hint:
        recipe = parse_recipe(hint)
        families = {family_of(step) for step in recipe.steps}
        assert families | ({"sound"} if not recipe.sound else set()) == {family}
        assert recipe.unused == ()


def test_the_understood_sentence_names_the_sound():
    assert "sound (louder, quieter, echo, lower pitch, muffled, fade the sound out" in UNDERSTOOD
    for phrase in ("louder", "quieter", "echo", "lower pitch", "muffled", "fade the sound out"):
        assert parse_recipe(phrase).steps, phrase

"""Reading remix prompts into recipes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from remixer.recipes import (
    EFFECT_ORDER,
    SYNONYMS,
    UNDERSTOOD,
    Recipe,
    RecipeError,
    parse_recipe,
)

SAID = [
    ("black and white", "black_and_white"),
    ("Black & White", "black_and_white"),
    ("b&w", "black_and_white"),
    ("grayscale", "black_and_white"),
    ("greyscale", "black_and_white"),
    ("MONOCHROME", "black_and_white"),
    ("sepia", "sepia"),
    ("invert", "invert"),
    ("make it negative", "invert"),
    ("mirror", "mirror"),
    ("flip it", "mirror"),
    ("reverse", "reverse"),
    ("play it backwards", "reverse"),
    ("rewind", "reverse"),
    ("slow motion", "slow_motion"),
    ("slow-mo", "slow_motion"),
    ("slowmo", "slow_motion"),
    ("slow down", "slow_motion"),
    ("speed up", "speed_up"),
    ("fast forward", "speed_up"),
    ("faster", "speed_up"),
    ("timelapse", "speed_up"),
    ("zoom in", "zoom_in"),
    ("zoom", "zoom_in"),
    ("blur", "blur"),
    ("vignette", "vignette"),
    ("neon", "neon"),
    ("edge glow", "neon"),
    ("glow", "neon"),
]


@pytest.mark.parametrize(("prompt", "effect"), SAID)
def test_each_phrasing_names_its_effect(prompt, effect):
    assert parse_recipe(f"Please, {prompt}!").effects == (effect,)


def test_every_synonym_is_understood():
    for effect, phrases in SYNONYMS.items():
        for phrase in phrases:
            assert parse_recipe(phrase).effects == (effect,), phrase


@pytest.mark.parametrize(
    "prompt",
    ["sepian", "mirrors", "glowworm", "reversal", "zoomed out", "zoom out", "neonate", "blurb"],
)
def test_words_match_whole_words_only(prompt):
    with pytest.raises(RecipeError):
        parse_recipe(prompt)


def test_several_combine_in_the_canonical_order():
    recipe = parse_recipe("vignette, neon, sepia, zoom in, mirror, slow motion and reverse it")
    assert recipe.effects == (
        "reverse",
        "slow_motion",
        "mirror",
        "zoom_in",
        "sepia",
        "neon",
        "vignette",
    )
    assert recipe.effects == tuple(e for e in EFFECT_ORDER if e in recipe.effects)


def test_an_effect_named_twice_is_applied_once():
    assert parse_recipe("mirror, then flip it again").effects == ("mirror",)


@pytest.mark.parametrize(
    "prompt",
    [
        "sepia, mirror, 'Day one'",
        'sepia, mirror, "Day one"',
        "sepia, mirror, “Day one”",
        "sepia, mirror, ‘Day one’",
    ],
)
def test_a_caption_in_any_kind_of_quotes(prompt):
    recipe = parse_recipe(prompt)
    assert recipe == Recipe(effects=("mirror", "sepia"), caption="Day one")
    assert recipe.describe() == ["Mirror", "Sepia", 'Caption "Day one"']


def test_apostrophes_are_not_quotes():
    assert parse_recipe("don't flip, it's sepia").caption is None
    recipe = parse_recipe("it's sepia, 'Don't stop'")
    assert recipe.caption == "Don't stop"
    assert parse_recipe("don’t stop, ‘Don’t stop’ sepia").caption == "Don’t stop"


def test_effect_words_inside_a_caption_are_text():
    recipe = parse_recipe('sepia "Black and white memories"')
    assert recipe.effects == ("sepia",)
    assert recipe.caption == "Black and white memories"


def test_a_caption_alone_is_a_recipe():
    assert parse_recipe('"Hello"') == Recipe(effects=(), caption="Hello")


def test_a_caption_is_trimmed_and_kept_short():
    assert parse_recipe('"   spaced \n out  "').caption == "spaced out"
    assert len(parse_recipe(f'"{"x" * 200}"').caption or "") == 80


def test_html_in_a_caption_stays_text():
    assert parse_recipe('"<b>bold</b> & co"').caption == "<b>bold</b> & co"


def test_slow_and_fast_together_contradict():
    with pytest.raises(RecipeError, match="contradict"):
        parse_recipe("slow motion and speed up")


@pytest.mark.parametrize("prompt", ["", "   ", "make it pop", '""', "''"])
def test_nothing_understood_is_an_error_that_lists_what_is(prompt):
    with pytest.raises(RecipeError) as error:
        parse_recipe(prompt)
    assert UNDERSTOOD in str(error.value)
    assert "sepia" in UNDERSTOOD and "quotes" in UNDERSTOOD


def test_describe_says_each_step():
    recipe = parse_recipe("reverse, black and white, 'The end'")
    assert recipe.describe() == ["Reverse", "Black and white", 'Caption "The end"']


@pytest.mark.parametrize(
    "data",
    [{"effects": ["sparkle"]}, {"effects": "sepia"}, {}, {"effects": [], "caption": 3}],
)
def test_from_json_refuses_what_the_engine_cannot_do(data):
    with pytest.raises(RecipeError):
        Recipe.from_json(data)


@given(st.text(max_size=300))
def test_any_text_parses_or_raises_recipe_error(text):
    try:
        recipe = parse_recipe(text)
    except RecipeError:
        return
    assert recipe.effects or recipe.caption
    assert Recipe.from_json(recipe.to_json()) == recipe


@given(
    st.lists(st.sampled_from(EFFECT_ORDER), unique=True),
    st.none() | st.text(min_size=1, max_size=80),
)
def test_json_round_trips(effects, caption):
    recipe = Recipe(effects=tuple(effects), caption=caption)
    assert Recipe.from_json(recipe.to_json()) == recipe

"""Reading remix prompts into recipes: what creators write, and what the engine makes of it."""

import contextlib
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from remixer.engine.effects.steps import LOOKS, STEPS
from remixer.engine.effects.timing import TimeStep, is_forward, timeline
from remixer.models.recipes import UNDERSTOOD, Recipe, RecipeError, parse_recipe, stored_recipe
from remixer.tests.support.phrasings import READ

pytestmark = pytest.mark.database_free


def applied(recipe: Recipe) -> list[tuple[str, dict]]:
    return [(step.name, step.params) for step in recipe.steps]


@pytest.mark.parametrize(("prompt", "expected"), READ)
def test_a_prompt_reads_as_these_steps(prompt, expected):
    recipe = parse_recipe(prompt)
    steps = applied(recipe)
    assert [name for name, _ in steps] == [e if isinstance(e, str) else e[0] for e in expected]
    for (_, params), wanted in zip(steps, expected, strict=True):
        for key, value in ({} if isinstance(wanted, str) else wanted[1]).items():
            assert params[key] == (
                pytest.approx(value) if isinstance(value, float | int) else value
            )
    assert recipe.unused == (), "every word of these prompts is used"


CAPTIONS = [
    ("sepia, mirror, 'Day one'", "Day one", "bottom"),
    ('sepia, mirror, "Day one"', "Day one", "bottom"),
    ("sepia, mirror, “Day one”", "Day one", "bottom"),
    ("sepia, mirror, ‘Day one’", "Day one", "bottom"),
    ("«Bonjour» at the top", "Bonjour", "top"),
    ("add a caption 'Summer 2026' and slow it down", "Summer 2026", "bottom"),
    ('"Summer 2026" at the top', "Summer 2026", "top"),
    ('put "Hi" in the corner', "Hi", "bottom right"),
    ('caption "Hi" top left', "Hi", "top left"),
    ('"Hi" in the middle', "Hi", "middle"),
    ("it's sepia, 'Don't stop'", "Don't stop", "bottom"),
    ("don’t stop, ‘Don’t stop’ sepia", "Don’t stop", "bottom"),
    ('sepia "Black and white memories"', "Black and white memories", "bottom"),
    ('"<b>bold</b> & co"', "<b>bold</b> & co", "bottom"),
    ('"   spaced \n out  "', "spaced out", "bottom"),
    ('"Привет, мир"', "Привет, мир", "bottom"),
    ('"Καλημέρα" at the bottom', "Καλημέρα", "bottom"),
    ('"Café 🍕?"', "Café 🍕?", "bottom"),
]


@pytest.mark.parametrize(("prompt", "text", "place"), CAPTIONS)
def test_a_caption_in_quotes_with_its_place(prompt, text, place):
    recipe = parse_recipe(prompt)
    assert recipe.caption is not None
    assert (recipe.caption.text, recipe.caption.position) == (text, place)


def test_words_in_a_caption_are_text_and_not_effects():
    recipe = parse_recipe('sepia "mirror, reverse"')
    assert applied(recipe) == [("sepia", {"strength": 1.0})]


def test_apostrophes_are_not_quotes():
    assert parse_recipe("don't flip, it's sepia").caption is None


def test_a_caption_over_the_limit_is_refused_with_the_limit():
    with pytest.raises(RecipeError, match="the limit is 80"):
        parse_recipe(f'sepia "{"x" * 81}"')
    assert parse_recipe(f'"{"x" * 80}"').caption.text == "x" * 80


@pytest.mark.parametrize("prompt", ['"你好世界"', 'sepia "こんにちは"', '"🎉 party"'])
def test_emoji_and_cjk_captions_are_kept_as_written(prompt):
    recipe = parse_recipe(prompt)
    assert recipe.caption is not None and recipe.caption.text in prompt


def test_two_captions_are_refused():
    with pytest.raises(RecipeError, match="one caption"):
        parse_recipe('"One" and "Two"')


CONFLICTS = [
    ("slow motion and 3x faster", ["slow motion", "3x faster"]),
    ("slow down, speed up", ["slow down", "speed up"]),
    ("warmer and cooler", ["warmer", "cooler"]),
    ("brighter but darker", ["brighter", "darker"]),
    ("vivid black and white", ["vivid", "black and white"]),
    ("zoom in and zoom out", ["zoom in", "zoom out"]),
    ("rotate 90 and rotate 180", ["rotate 90", "rotate 180"]),
    ("mirror but not mirrored", ["mirror", "mirrored"]),
    ("square, portrait", ["square", "portrait"]),
    ("high key, low key", ["high key", "low key"]),
]


@pytest.mark.parametrize(("prompt", "named"), CONFLICTS)
def test_opposites_are_named_not_guessed(prompt, named):
    with pytest.raises(RecipeError) as error:
        parse_recipe(prompt)
    for words in named:
        assert f"{words}" in str(error.value)


REFUSED = [
    ("", None),
    ("   ", None),
    ('""', None),
    ("''", None),
    ("sparkly unicorn", "sparkly"),
    ("add a caption", "in quotes"),
    ("сделай черно-белым", "сделай"),
    ("اجعلها أبيض وأسود", "اجعلها"),
    ("150%", "150%"),
    ("very", "very"),
    ("not", "not"),
    ("make it better", "better"),
]


@pytest.mark.parametrize(("prompt", "mentioned"), REFUSED)
def test_nothing_followed_is_refused_with_the_nearest_things(prompt, mentioned):
    with pytest.raises(RecipeError) as error:
        parse_recipe(prompt)
    message = str(error.value)
    assert UNDERSTOOD in message
    if mentioned:
        assert mentioned in message


@pytest.mark.parametrize(
    ("prompt", "unused"),
    [
        ("sepia and sparkles", ("sparkles",)),
        ("mirror with unicorns and rainbows", ("unicorns", "rainbows")),
        ("very mirror", ("very",)),
        ("rotate, at the top", ("at the top",)),
        # Only words that carry meaning: a stray negation or "was" says nothing of its own.
        ("warmer but dont overdo it", ("overdo",)),
        ("make it look like it was shot at night in the city", ("city",)),
        ('put "Hi" in the centre, sepia', ()),
        ("square for insta + sepia", ()),
    ],
)
def test_words_not_used_are_named_in_the_recipe(prompt, unused):
    recipe = parse_recipe(prompt)
    assert recipe.unused == unused
    assert all(word in " ".join(recipe.notes()) for word in unused)


def test_an_angle_that_is_not_a_quarter_turn_is_refused():
    with pytest.raises(RecipeError, match="quarter turns"):
        parse_recipe("rotate 45 degrees")


def test_no_sound_drops_the_audio_and_says_so():
    assert parse_recipe("no sound").sound is False
    assert parse_recipe("sepia, mute").sound is False
    assert parse_recipe("sepia without sound").sound is False
    assert parse_recipe("sepia").sound is True
    assert parse_recipe("no sound, sepia").describe()[-1] == "No sound"


def test_what_was_left_out_is_listed():
    recipe = parse_recipe("black and white but not mirrored")
    assert recipe.excluded == ("mirrored",)
    assert "Left out: mirrored" in recipe.notes()


def test_the_recipe_lists_each_step_with_its_strength_in_order():
    recipe = parse_recipe("slightly warmer, 3x faster, 'Hi' at the top, fade out")
    assert recipe.describe() == [
        "Speed (×3, then loops)",
        "Warmer (25%)",
        'Caption "Hi" (top)',
        "Fade out (1 s, black)",
    ]


@pytest.mark.parametrize(
    ("prompt", "described"),
    [
        ("3x faster", "Speed (×3, then loops)"),
        ("2x faster and hold the last frame", "Speed (×2, then holds the last frame)"),
        ("half speed", "Speed (×0.5, shows the first half)"),
        ("slow motion, sepia", "Speed (×0.5, shows the first half)"),
        ("quarter speed", "Speed (×0.25, shows the first quarter)"),
        ("reverse, half speed", "Speed (×0.5, cut to the video's length)"),
        ("2x faster, slow motion in the middle", "Speed (×2)"),  # as long as the moment makes it
    ],
)
def test_a_speed_says_what_becomes_of_the_videos_length(prompt, described):
    assert described in parse_recipe(prompt).describe()


def test_the_words_for_a_speed_are_what_the_renderer_does():
    slower = timeline([TimeStep("speed", {"factor": 0.5, "then": "loop"})], 48)
    assert is_forward(slower) and max(slower) == 23  # the first half, and nothing loops
    faster = timeline([TimeStep("speed", {"factor": 2.0, "then": "loop"})], 48)
    assert faster[24:26] == [47, 0]  # the whole video, then again from its start
    held = timeline([TimeStep("speed", {"factor": 2.0, "then": "hold"})], 48)
    assert held[24:] == [47] * 24


def test_a_look_says_where_its_steps_come_from():
    assert parse_recipe("noir").describe()[0] == "Black and white, from Film noir"


def test_every_look_and_step_has_a_phrase():
    from remixer.engine.prompt.vocabulary import EFFECTS

    looks = {e.look for e in EFFECTS.values() if e.look}
    steps = {e.step for e in EFFECTS.values() if e.step} | {
        name for _, parts in LOOKS.values() for name, _ in parts
    }
    assert looks == set(LOOKS)
    assert set(STEPS) <= steps
    assert len(LOOKS) + len(STEPS) >= 40


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"version": 2, "steps": [{"step": "sparkle"}]}, "no step called 'sparkle'"),
        (
            {"version": 2, "steps": [{"step": "speed", "params": {"factor": 50}}]},
            "between 0.1 and 10",
        ),
        ({"version": 2, "steps": [{"step": "rotate", "params": {"angle": "45"}}]}, "one of 90"),
        ({"version": 2, "steps": [{"step": "warmer", "params": {"heat": 1}}]}, "no parameter heat"),
        ({"version": 2, "steps": [{"step": "warmer", "params": {"strength": "x"}}]}, "a number"),
        ({"version": 2, "steps": "sepia"}, "list"),
        ({"version": 3, "steps": []}, "version 2"),
        ({"version": 2, "steps": [], "caption": {"text": "x" * 81}}, "limit is 80"),
        ({"version": 2, "steps": [], "caption": {"text": "a", "position": "left"}}, "position"),
        ({"effects": ["sparkle"]}, "does not know"),
        ([], "object"),
    ],
)
def test_a_stored_recipe_the_engine_cannot_follow_is_refused(data, message):
    with pytest.raises(RecipeError, match=message):
        stored_recipe(data)


def test_a_recipe_of_the_first_engine_reads_as_steps():
    recipe = stored_recipe({"effects": ["reverse", "slow_motion", "sepia"], "caption": "Hi"})
    assert [s.name for s in recipe.steps] == ["reverse", "speed", "sepia"]
    assert recipe.steps[1].params["factor"] == 0.5
    assert recipe.caption.text == "Hi"


def test_the_migration_turns_first_engine_recipes_into_steps():
    import importlib

    migration = importlib.import_module("remixer.migrations.0007_recipes_with_steps")
    legacies: list[dict] = [
        {"effects": ["zoom_in", "speed_up", "mirror"], "caption": None},
        {"effects": []},
    ]
    for legacy in legacies:
        upgraded = migration.upgraded(legacy)
        recipe = stored_recipe(upgraded)
        assert stored_recipe(legacy) == recipe


def test_reading_takes_time_linear_in_the_prompt():
    unit = "make it slightly warmer, not mirrored, 2x faster 'Hi' and sparkles (x) 50% "
    # Texts long enough (7,600 and 76,000 characters) that a busy machine's pauses are small
    # beside them: linear is about 10, quadratic about 100.
    short, long = unit * 100, unit * 1000

    def best(text):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            with contextlib.suppress(RecipeError):
                parse_recipe(text)
            times.append(time.perf_counter() - start)
        return min(times)

    assert best(long) / best(short) < 10 * 3  # ten times the text; generous for a busy CI


@given(st.text(max_size=300))
def test_any_text_reads_or_is_refused(text):
    try:
        recipe = parse_recipe(text)
    except RecipeError as error:
        assert str(error)
        return
    assert recipe.steps or recipe.caption or not recipe.sound
    assert stored_recipe(recipe.to_json()) == recipe


@pytest.mark.parametrize(
    "prompt",
    [
        "remove the guy walking behind us and replace him with a golden retriever",
        "replace the dog with a cat",
        "add a dragon flying over the city",
        "remove the background",
    ],
)
def test_things_in_the_picture_need_a_model_and_say_so(prompt):
    with pytest.raises(RecipeError, match="things in the picture needs a generative model"):
        parse_recipe(prompt)


@pytest.mark.parametrize(
    ("prompt", "steps"),
    [
        ("add an echo", ["echo"]),
        ("add some film grain", ["grain"]),
        ("turn it black and white", ["grayscale"]),
        ("old film but take out the vignette", ["saturation", "warmer", "grain", "flicker"]),
        ("make it golden", ["tint"]),
        ("a warm tint", ["warmer"]),
        ("vertical, no black bars", ["crop"]),
    ],
)
def test_asks_the_engine_can_do_are_not_taken_for_things(prompt, steps):
    assert [step.name for step in parse_recipe(prompt).steps] == steps


def test_a_colour_that_describes_a_thing_is_no_tint():
    with pytest.raises(RecipeError, match="golden"):
        parse_recipe("a golden retriever")
    assert parse_recipe("vertical, no black bars").steps[0].params["fill"] == "centre crop"

"""Variations of a local remix: strengths spread gentler to stronger, each random step drawing
its own noise, and a recipe with nothing to vary said so; judged on decoded pixels."""

import hashlib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from remixer.engine import render_remix
from remixer.engine.effects.recipe import Recipe, Step
from remixer.engine.effects.variations import nothing_to_vary, spread
from remixer.models.recipes import parse_recipe, stored_recipe
from remixer.tests.support.source_clips import decode, diff, ignore_progress, write_source

pytestmark = pytest.mark.database_free


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    return write_source(tmp_path_factory.mktemp("variations") / "source.mp4")


def params(recipe: Recipe, name: str) -> dict:
    return next(step.params for step in recipe.steps if step.name == name)


def test_three_variations_are_gentler_as_asked_and_stronger():
    asked = parse_recipe("grainy and warmer")
    made = spread(asked, 3)
    assert [label for _, label in made] == ["gentler", "as asked", "stronger"]
    warmth = [params(recipe, "warmer")["strength"] for recipe, _ in made]
    grain = [params(recipe, "grain")["strength"] for recipe, _ in made]
    assert warmth == grain == pytest.approx([0.3, 0.5, 0.75])  # 0.6x, 1x, 1.5x of 50%
    assert [params(recipe, "grain")["seed"] for recipe, _ in made] == [1, 0, 3]
    assert made[1][0] == asked  # as asked is the recipe itself, its noise the same as alone
    for recipe, _ in made:  # each one a recipe the engine reads back as it is
        assert stored_recipe(recipe.to_json()) == recipe


def test_strengths_stay_in_range_and_never_repeat():
    made = spread(parse_recipe("sepia"), 3)  # sepia is at full strength already
    assert [label for _, label in made] == ["much gentler", "gentler", "as asked"]
    assert [params(recipe, "sepia")["strength"] for recipe, _ in made] == [0.4, 0.6, 1.0]
    four = spread(parse_recipe("slow motion, vignette"), 4)
    assert [label for _, label in four] == ["gentler", "as asked", "stronger", "much stronger"]
    factors = [params(recipe, "speed")["factor"] for recipe, _ in four]
    assert factors == sorted(factors, reverse=True) and factors[1] == 0.5  # slower and slower
    assert [params(recipe, "vignette")["strength"] for recipe, _ in four][-1] == 1.0  # held
    two = spread(parse_recipe("grainy"), 2)
    assert [label for _, label in two] == ["as asked", "stronger"]


def test_a_recipe_with_nothing_to_vary_is_one_recipe_and_says_why():
    for prompt, why in [
        ("mirror", "mirror"),
        ("'Day one'", "a caption"),
        ("reverse", "reverse"),
        ("mirror it, 'Hi'", "mirror and a caption"),
    ]:
        recipe = parse_recipe(prompt)
        assert spread(recipe, 3) == [(recipe, "")]
        assert nothing_to_vary(recipe) == (
            f"This recipe has nothing to vary ({why}), so it makes one video."
        )
    assert nothing_to_vary(parse_recipe("mirror, grainy")) is None


def test_a_random_step_whose_strength_cannot_move_draws_another_take():
    still = Recipe((Step("grain", {"strength": 0.0, "seed": 0.0}),))
    made = spread(still, 3)
    assert [label for _, label in made] == ["as asked", "another take", "another take"]
    assert [params(recipe, "grain") for recipe, _ in made] == [
        {"strength": 0.0, "seed": seed} for seed in (0, 1, 2)
    ]
    assert made[1][0].describe() == ["Film grain (0%, take 1)"]
    assert still.describe() == ["Film grain (0%)"]


def render(source: Path, recipe: Recipe, output: Path) -> list[np.ndarray]:
    render_remix(source=source, recipe=recipe, output=output, on_progress=ignore_progress)
    return decode(output)


def warmth(frames: list[np.ndarray]) -> float:
    return float(np.mean([f[..., 0].astype(float).mean() - f[..., 2].mean() for f in frames]))


def test_two_variations_render_apart_and_the_stronger_is_warmer(source, tmp_path):
    (asked, _), (stronger, label) = spread(parse_recipe("grainy and warmer"), 2)
    assert label == "stronger"
    files = [tmp_path / "asked.mp4", tmp_path / "stronger.mp4"]
    first, second = render(source, asked, files[0]), render(source, stronger, files[1])
    digests = {hashlib.sha256(path.read_bytes()).hexdigest() for path in files}
    assert len(digests) == 2
    assert warmth(second) > warmth(first) + 4  # 16 warmer than the source, then 25


def test_a_seed_draws_other_noise_and_seed_zero_is_todays(source, tmp_path):
    grain = parse_recipe("grainy")
    today = render(source, Recipe((Step("grain", {"strength": 0.5}),)), tmp_path / "a.mp4")
    same = render(source, grain, tmp_path / "b.mp4")
    other = render(source, reseed(grain, 5.0), tmp_path / "c.mp4")
    assert params(grain, "grain")["seed"] == 0
    assert max(diff(a, b) for a, b in zip(today, same, strict=True)) == 0
    assert min(diff(a, b) for a, b in zip(today, other, strict=True)) > 1
    # The same grain, drawn elsewhere: as strong, so the picture's light is unchanged.
    assert abs(np.mean(today) - np.mean(other)) < 3


def test_a_seeded_flicker_pulses_at_other_moments(source, tmp_path):
    flicker = parse_recipe("flicker")
    first = render(source, flicker, tmp_path / "a.mp4")
    second = render(source, reseed(flicker, 2.0), tmp_path / "b.mp4")
    light = [[float(f.mean()) for f in frames] for frames in (first, second)]
    assert max(abs(a - b) for a, b in zip(*light, strict=True)) > 4


def reseed(recipe: Recipe, seed: float) -> Recipe:
    steps = tuple(replace(step, params={**step.params, "seed": seed}) for step in recipe.steps)
    return replace(recipe, steps=steps)

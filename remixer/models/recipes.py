"""The one door to the prompt reader: the pages, `/v1` and the admin all read remix prompts
and stored recipes through here. The reader itself lives in the engine (remixer.engine)."""

from __future__ import annotations

from typing import Any

from remixer.engine import MAX_CAPTION, UNDERSTOOD, Recipe, RecipeError, read_prompt
from remixer.engine.effects.shape import fitted, output_size

__all__ = [
    "MAX_CAPTION",
    "UNDERSTOOD",
    "Recipe",
    "RecipeError",
    "parse_recipe",
    "remixed_size",
    "stored_recipe",
]


def parse_recipe(prompt: str, source: tuple[int, int] | None = None) -> Recipe:
    """The recipe a remix prompt asks for; RecipeError (a message for the creator) if none.

    With the source's size (width, height), a reshape it does not need (a square video made
    square) is left out and named in the recipe's remarks."""
    recipe = read_prompt(prompt)
    return fitted(recipe, *source) if source and all(source) else recipe


def remixed_size(recipe: dict[str, Any] | None, size: str) -> str:
    """The size ("720x1280") a remix following a stored `recipe` makes of a source of `size`;
    `size` itself without a recipe, or when the source's size is not known yet ("")."""
    width, _, height = size.partition("x")
    if recipe is None or not (width.isdigit() and height.isdigit()):
        return size
    return "{}x{}".format(*output_size(Recipe.from_json(recipe), int(width), int(height)))


def stored_recipe(data: Any) -> Recipe:
    """A recipe read back from the database or a job, checked again: RecipeError if the
    engine cannot follow it (an unknown step, a parameter out of range)."""
    return Recipe.from_json(data)

"""The one door to the prompt reader: the pages, `/v1` and the admin all read remix prompts
and stored recipes through here. The reader itself lives in the engine (remixer.engine)."""

from __future__ import annotations

from typing import Any

from remixer.engine import MAX_CAPTION, UNDERSTOOD, Recipe, RecipeError, read_prompt

__all__ = [
    "MAX_CAPTION",
    "UNDERSTOOD",
    "Recipe",
    "RecipeError",
    "parse_recipe",
    "stored_recipe",
]


def parse_recipe(prompt: str) -> Recipe:
    """The recipe a remix prompt asks for; RecipeError (a message for the creator) if none."""
    return read_prompt(prompt)


def stored_recipe(data: Any) -> Recipe:
    """A recipe read back from the database or a job, checked again: RecipeError if the
    engine cannot follow it (an unknown step, a parameter out of range)."""
    return Recipe.from_json(data)

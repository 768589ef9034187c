"""A recipe's frame: the size a remix comes out at, and the reshapes a source does not need."""

from __future__ import annotations

from dataclasses import replace

from remixer.engine.effects.geometry import reshaped
from remixer.engine.effects.recipe import Recipe
from remixer.engine.effects.spec import RecipeError, text

SHAPES = {"square": "square", "portrait": "vertical", "landscape": "landscape"}


def output_size(recipe: Recipe, width: int, height: int) -> tuple[int, int]:
    """The size of what `recipe` makes of a width x height source (even sizes)."""
    width, height = width - width % 2, height - height % 2
    for step in recipe.steps:
        if step.name == "crop":
            width, height = reshaped(text(step.params, "aspect"), width, height) or (width, height)
    return width, height


def fitted(recipe: Recipe, width: int, height: int) -> Recipe:
    """The recipe without the reshapes that would change nothing for a width x height source,
    each told in a remark; RecipeError when nothing else is left to do."""
    steps, already = [], []
    width, height = width - width % 2, height - height % 2
    for step in recipe.steps:
        aspect = text(step.params, "aspect") if step.name == "crop" else ""
        frame = reshaped(aspect, width, height) if aspect else (width, height)
        if frame is None:
            already.append(SHAPES[aspect])
            continue
        width, height = frame
        steps.append(step)
    if not already:
        return recipe
    if not steps and recipe.caption is None and recipe.sound:
        raise RecipeError(f"The video is already {already[0]}, so this remix would change nothing.")
    remarks = [f"The video is already {shape}, so it keeps its shape." for shape in already]
    return replace(recipe, steps=tuple(steps), remarks=(*recipe.remarks, *remarks))

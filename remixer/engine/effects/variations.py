"""Variations of one recipe: the strengths spread from gentler to stronger around the one
asked for, and each random step (one with a seed) draws its own noise.

A strength changes the parameter its step names as `amount`, scaled by a multiplier and
held in the parameter's range; a factor (speed, zoom) is raised to it, so a gentler one
stays nearer to unchanged. Multipliers that would repeat another variation's strengths,
held at a range's end, give way to spare ones further out.
"""

from __future__ import annotations

import json
from dataclasses import replace

from remixer.engine.effects.recipe import Recipe, Step
from remixer.engine.effects.spec import num
from remixer.engine.effects.steps import STEPS

AS_ASKED = 1.0
PLANS: dict[int, tuple[float, ...]] = {
    2: (1.0, 1.5),
    3: (0.6, 1.0, 1.5),
    4: (0.6, 1.0, 1.5, 2.0),
}
SPARE = (0.4, 2.0, 0.25, 3.0)  # nearest first
GENTLER = ("gentler", "much gentler", "gentlest")
STRONGER = ("stronger", "much stronger", "strongest")
WHOLE = ("block", "levels", "times")  # parameters that count something


def spread(recipe: Recipe, count: int) -> list[tuple[Recipe, str]]:
    """Up to `count` recipes, gentlest first, each with its label ("gentler", "as asked",
    "stronger"); the recipe alone, unlabelled, when one is asked for or nothing varies."""
    if count < 2 or nothing_to_vary(recipe):
        return [(recipe, "")]
    if not any(_varies(step) for step in recipe.steps):
        return _takes(recipe, count)
    multipliers = _distinct(recipe, count)
    labels = _labels(multipliers)
    return [
        (_reseeded(_scaled(recipe, k), 0 if k == AS_ASKED else index + 1), label)
        for index, (k, label) in enumerate(zip(multipliers, labels, strict=True))
    ]


def nothing_to_vary(recipe: Recipe) -> str | None:
    """Why variations of this recipe would all be the same video, or None if they differ."""
    if any(_varies(step) or _seeded(step) for step in recipe.steps):
        return None
    return f"This recipe has nothing to vary ({_parts(recipe)}), so it makes one video."


def scaled(step: Step, k: float) -> Step:
    """The step with its strength scaled by `k`, held in its parameter's range."""
    spec = STEPS[step.name]
    key = spec.amount
    if key is None or not isinstance(step.params.get(key), int | float):
        return step
    value, param = num(step.params, key), spec.params[key]
    new = value**k if key == "factor" else value * k
    new = float(round(new)) if key in WHOLE else round(new, 2 if key == "factor" else 4)
    return replace(step, params={**step.params, key: min(param.high, max(param.low, new))})


def _varies(step: Step) -> bool:
    return any(scaled(step, k) != step for k in (0.6, 1.5))


def _seeded(step: Step) -> bool:
    return "seed" in STEPS[step.name].params


def _scaled(recipe: Recipe, k: float) -> Recipe:
    return replace(recipe, steps=tuple(scaled(step, k) for step in recipe.steps))


def _reseeded(recipe: Recipe, offset: int) -> Recipe:
    """Each random step `offset` draws on from its own seed (0: the recipe's own noise)."""
    steps = tuple(
        replace(step, params={**step.params, "seed": num(step.params, "seed") + offset})
        if _seeded(step) and offset
        else step
        for step in recipe.steps
    )
    return replace(recipe, steps=steps)


def _distinct(recipe: Recipe, count: int) -> list[float]:
    """The plan's multipliers, a spare in place of each that repeats another's strengths
    (as asked first, so a multiplier held at its range's end gives way, not the asked one)."""
    chosen: dict[str, float] = {}
    for k in (AS_ASKED, *PLANS[min(count, max(PLANS))], *SPARE):
        strengths = json.dumps([step.params for step in _scaled(recipe, k).steps])
        chosen.setdefault(strengths, k)
        if len(chosen) == count:
            break
    return sorted(chosen.values())


def _labels(multipliers: list[float]) -> list[str]:
    gentler = [k for k in multipliers if k < AS_ASKED]
    stronger = [k for k in multipliers if k > AS_ASKED]
    return [
        GENTLER[len(gentler) - 1 - gentler.index(k)]
        if k < AS_ASKED
        else STRONGER[stronger.index(k)]
        if k > AS_ASKED
        else "as asked"
        for k in multipliers
    ]


def _takes(recipe: Recipe, count: int) -> list[tuple[Recipe, str]]:
    """Variations whose strengths cannot move: the random steps draw anew in each."""
    return [
        (_reseeded(recipe, offset), "another take" if offset else "as asked")
        for offset in range(count)
    ]


def _parts(recipe: Recipe) -> str:
    parts = [STEPS[step.name].label.split(" (")[0].lower() for step in recipe.steps]
    parts += ["a caption"] if recipe.caption else []
    parts += [] if recipe.sound else ["no sound"]
    parts = list(dict.fromkeys(parts)) or ["no steps"]
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"

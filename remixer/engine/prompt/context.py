"""Phrases read by the words around them: a number of decibels names a volume step ("+6 dB"),
"drop the audio by 6 dB" lowers the sound rather than muting it, and "fade it out" said of
the sound fades the sound, not the picture."""

from __future__ import annotations

from remixer.engine.effects.spec import SOUND
from remixer.engine.effects.steps import STEPS
from remixer.engine.prompt import vocabulary as v
from remixer.engine.prompt.assemble import Item
from remixer.engine.prompt.tuning import tune

SOUND_FADES = {"fade_in": "sound_fade_in", "fade_out": "sound_fade_out"}


def settle(clauses: list[list[Item]]) -> None:
    _noises_of_things(clauses)
    _decibels(clauses)
    _fades_of_the_sound(clauses)
    _and_the_other_way(clauses)


def _noises_of_things(clauses: list[list[Item]]) -> None:
    """ "the engine noise": a noise that belongs to a thing is its sound, not film grain."""
    for clause in clauses:
        for before, item in zip([None, *clause], clause, strict=False):
            if item.words == "noise" and before is not None and before.kind == "unknown":
                item.kind, item.value = "stop", None


def _step(item: Item) -> str:
    return item.value.step if item.kind == "effect" and isinstance(item.value, v.Effect) else ""


def _decibels(clauses: list[list[Item]]) -> None:
    """A mute beside a number of decibels lowers the sound by it; with no volume step named,
    a number of decibels names one ("+6 dB", "volume -10 dB")."""
    for clause in clauses:
        mute = next((i for i in clause if _step(i) == "mute"), None)
        if mute and any(i.kind == "decibels" for i in clause):
            mute.value = v.Effect(step="volume", params={"db": -6.0})
    items = [item for clause in clauses for item in clause]
    if any(_step(item) == "volume" for item in items):
        return
    for item in items:
        if item.kind == "decibels":
            params = tune("volume", {"db": 0.0}, (item.kind, item.value)) or {}
            item.kind, item.value = "effect", v.Effect(step="volume", params=params)
            return


OTHER_WAY = {"fade_in": "fade_out", "fade_out": "fade_in"}
OTHER_WAY |= {f"sound_{a}": f"sound_{b}" for a, b in OTHER_WAY.items()}


def _and_the_other_way(clauses: list[list[Item]]) -> None:
    """ "fade the audio in over the first 2 seconds and out over the last 2": a clause of
    "out" (or "in") alone after a fade is the other fade of the same thing."""
    before: Item | None = None
    for clause in clauses:
        effects = [item for item in clause if item.kind == "effect"]
        way = next((i for i in clause if i.kind == "stop" and i.words in ("in", "out")), None)
        other = OTHER_WAY.get(_step(before)) if before else None
        if not effects and way is not None and other and other.endswith(way.words):
            way.kind, way.value = "effect", v.Effect(step=other)
        before = effects[-1] if effects else before


def _sounds(item: Item | None) -> bool:
    step = _step(item) if item else ""
    return step == "sound" or (step in STEPS and STEPS[step].kind == SOUND)


def _fades_of_the_sound(clauses: list[list[Item]]) -> None:
    """ "lower the volume, and fade it out": a plain fade in a clause of its own, after one
    about the sound, is the sound's."""
    before: Item | None = None
    for clause in clauses:
        effects = [item for item in clause if item.kind == "effect"]
        fade = effects[0] if len(effects) == 1 and _step(effects[0]) in SOUND_FADES else None
        plain = fade and not ({"black", "white"} & set(fade.words.split()))
        if fade and plain and _sounds(before) and isinstance(fade.value, v.Effect):
            fade.value = v.Effect(step=SOUND_FADES[fade.value.step])
        before = effects[-1] if effects else before

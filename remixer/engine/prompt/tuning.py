"""How a strength word or a number changes the step it stands beside.

Each function takes the step's parameters and one modifier, and returns the new parameters,
or None when the modifier means nothing for that step (its words are then reported unused).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from remixer.engine.effects.spec import Params, RecipeError, Value
from remixer.engine.effects.steps import STEPS

Modifier = tuple[str, object]  # (kind, value): strength, multiplier, percent, seconds, ...
Tuner = Callable[[dict[str, Value], str, object], dict[str, Value] | None]


def _clamp(step: str, key: str, value: float) -> float:
    param = STEPS[step].params[key]
    return round(min(param.high, max(param.low, value)), 4)


def _f(params: Params, key: str) -> float:
    value = params[key]
    return float(value) if isinstance(value, int | float) else 0.0


def _speed(params: dict[str, Value], kind: str, value: object) -> dict[str, Value] | None:
    base, n = _f(params, "factor"), float(value) if isinstance(value, int | float) else 0.0
    slower = base < 1
    if kind == "strength":
        factor = base**n if base != 1 else None
    elif kind in ("multiplier", "plain"):
        factor = 1 / n if slower and n > 1 else n
    elif kind == "percent":
        factor = n / 100 if base == 1 else (max(0.1, 1 - n / 100) if slower else 1 + n / 100)
    else:
        return None
    if not factor:
        return None
    return {**params, "factor": _clamp("speed", "factor", round(factor, 2))}


def _amount(step: str, key: str) -> Tuner:
    def tune(params: dict[str, Value], kind: str, value: object) -> dict[str, Value] | None:
        base, n = _f(params, key), float(value) if isinstance(value, int | float) else 0.0
        sign = -1.0 if base < 0 else 1.0
        if kind in ("strength", "multiplier"):
            new = base * n
        elif kind == "percent":
            new = sign * n / 100
        else:
            return None
        low = 0.05 if STEPS[step].params[key].low >= 0 else -1.0
        return {**params, key: _clamp(step, key, max(low, new) if sign > 0 else new)}

    return tune


def _zoom(params: dict[str, Value], kind: str, value: object) -> dict[str, Value] | None:
    base, n = _f(params, "factor"), float(value) if isinstance(value, int | float) else 0.0
    out = base < 1
    if kind == "strength":
        factor = base**n if out else 1 + (base - 1) * n
    elif kind in ("multiplier", "plain"):
        factor = 1 / n if out and n > 1 else n
    elif kind == "percent":
        factor = 1 - n / 100 if out else 1 + n / 100
    else:
        return None
    return {**params, "factor": _clamp("zoom", "factor", round(factor, 2))}


def _number(step: str, key: str, kinds: tuple[str, ...], scale: float = 1.0) -> Tuner:
    def tune(params: dict[str, Value], kind: str, value: object) -> dict[str, Value] | None:
        if kind not in kinds or not isinstance(value, int | float):
            return None
        base = _f(params, key) if kind == "strength" else 1.0
        value = _clamp(step, key, base * value * scale)
        return {
            **params,
            key: float(round(value)) if key in ("block", "levels", "times") else value,
        }

    return tune


def _choice(key: str, kinds: tuple[str, ...], allowed: tuple[str, ...]) -> Tuner:
    def tune(params: dict[str, Value], kind: str, value: object) -> dict[str, Value] | None:
        if kind not in kinds or value not in allowed:
            return None
        return {**params, key: str(value)}

    return tune


def _rotate(params: dict[str, Value], kind: str, value: object) -> dict[str, Value] | None:
    if kind == "turn":
        return {**params, "angle": str(value)}
    if kind not in ("degrees", "plain") or not isinstance(value, int | float):
        return None
    angle = round(value) % 360
    if angle not in (90, 180, 270):
        raise RecipeError(
            f"The engine rotates in quarter turns: 90, 180 or 270 degrees, not {value:g}."
        )
    return {**params, "angle": str(angle)}


def _volume(params: dict[str, Value], kind: str, value: object) -> dict[str, Value] | None:
    """A strength word scales the preset change ("much louder"); a number of decibels is the
    change itself, quieter or louder as the step is unless its sign says ("6 dB quieter",
    "-10 dB"); "twice" and "50%" are of the amplitude ("twice as loud" is +6 dB)."""
    if not isinstance(value, int | float):
        return None
    base, n, down = _f(params, "db"), float(value), _f(params, "db") < 0
    if kind == "strength":
        db = base * n
    elif kind in ("decibels", "plain"):
        db = -n if down and n > 0 else n
    elif kind == "multiplier" and n > 0:
        db = 20 * math.log10(n)
        db = -abs(db) if down else db  # "twice as quiet"
    elif kind == "percent":
        ratio = n / 100 if base == 0 else (1 - n / 100 if down else 1 + n / 100)
        db = 20 * math.log10(max(0.01, ratio))
    else:
        return None
    return {**params, "db": _clamp("volume", "db", round(db, 2))}


def _pitch(params: dict[str, Value], kind: str, value: object) -> dict[str, Value] | None:
    """A strength word scales the preset; a number is semitones, up or down as the step is
    unless its sign says ("pitch down 3", "pitch -3")."""
    if kind not in ("strength", "plain") or not isinstance(value, int | float):
        return None
    base, n = _f(params, "semitones"), float(value)
    semitones = base * n if kind == "strength" else (-n if base < 0 and n > 0 else n)
    return {**params, "semitones": _clamp("pitch", "semitones", round(semitones, 2))}


def _uncropped(params: dict[str, Value], kind: str, value: object) -> dict[str, Value] | None:
    """ "nothing cropped": the whole picture inside, over blurred sides if asked, else bars;
    "no black bars": blurred sides if asked, else the frame filled."""
    if kind != "fill" or value not in ("uncropped", "no bars"):
        return None
    otherwise = "black bars" if value == "uncropped" else "centre crop"
    return {**params, "fill": "blurred sides" if params["fill"] == "blurred sides" else otherwise}


def _all(*tuners: Tuner) -> Tuner:
    def tune(params: dict[str, Value], kind: str, value: object) -> dict[str, Value] | None:
        for tuner in tuners:
            tuned = tuner(params, kind, value)
            if tuned is not None:
                return tuned
        return None

    return tune


_FADE = _all(
    _number("fade_in", "seconds", ("seconds", "plain", "strength")),
    _choice("colour", ("colour",), ("black", "white")),
)
_SOUND_FADE = _number("sound_fade_in", "seconds", ("seconds", "plain", "strength"))
TUNERS: dict[str, Tuner] = {
    "speed": _speed,
    "zoom": _zoom,
    "rotate": _rotate,
    "push_in": _all(
        _number("push_in", "factor", ("multiplier", "plain")),
        _amount("push_in", "factor"),
    ),
    "loop": _number("loop", "times", ("multiplier", "plain")),
    "freeze": _all(
        _number("freeze", "seconds", ("seconds", "plain")),
        _choice("position", ("moment",), ("first", "last")),
    ),
    "fade_in": _FADE,
    "fade_out": _FADE,
    "pixelate": _number("pixelate", "block", ("plain", "strength", "multiplier")),
    "posterize": _number("posterize", "levels", ("plain",)),
    "hue_shift": _number("hue_shift", "degrees", ("degrees", "plain")),
    "letterbox": _number("letterbox", "ratio", ("plain",)),
    "crop": _all(
        _uncropped, _choice("fill", ("fill",), tuple(STEPS["crop"].params["fill"].choices))
    ),
    "tint": _all(
        _choice("colour", ("colour",), tuple(STEPS["tint"].params["colour"].choices)),
        _amount("tint", "strength"),
    ),
    "volume": _volume,
    "pitch": _pitch,
    "sound_fade_in": _SOUND_FADE,
    "sound_fade_out": _SOUND_FADE,
    "echo": _all(_amount("echo", "strength"), _number("echo", "delay", ("seconds",))),
}
for _name, _spec in STEPS.items():
    if _name not in TUNERS and _spec.amount in ("strength", "amount"):
        TUNERS[_name] = _amount(_name, _spec.amount)


def tune(step: str, params: dict[str, Value], modifier: Modifier) -> dict[str, Value] | None:
    tuner = TUNERS.get(step)
    return tuner(params, *modifier) if tuner else None

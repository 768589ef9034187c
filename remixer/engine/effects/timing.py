"""Time steps: which source frame each output frame shows, and fades.

A step for the whole clip keeps the source's length. Each step turns a clip (a list of
source frame indices) into another; the result is then fitted to the length: a shorter clip
loops (or holds its last frame when the speed step says so), a longer one is cut. A step for
a moment ("slow motion for the first 2 seconds") turns only that part, the rest plays as it
was, and the clip becomes as long as that makes it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

from remixer.engine.base.encoding import FPS
from remixer.engine.base.graph import Chain
from remixer.engine.effects.spans import Span
from remixer.engine.effects.spec import FINISH, TIME, Param, Params, StepSpec, num, text

Clip = list[int]


def _speed(clip: Clip, params: Params) -> Clip:
    """Every factor-th frame; the clip's own last frame ends it, so holding it holds the end."""
    factor = num(params, "factor")
    count = max(1, math.ceil((len(clip) - 1) / factor) + 1)
    return [clip[min(len(clip) - 1, int(i * factor))] for i in range(count)]


def _reverse(clip: Clip, params: Params) -> Clip:
    return clip[::-1]


def _boomerang(clip: Clip, params: Params) -> Clip:
    """Forward through the first half, then back to the start: the whole fits in the clip's
    length and ends where it began, so it loops without a jump."""
    half = clip[: max(1, len(clip) // 2)]
    return half + half[::-1]


def _loop(clip: Clip, params: Params) -> Clip:
    times = int(num(params, "times"))
    part = clip[: max(1, len(clip) // times)]
    return part * times


def _freeze(clip: Clip, params: Params) -> Clip:
    hold = min(len(clip), max(1, round(num(params, "seconds") * FPS)))
    if text(params, "position") == "first":
        return [clip[0]] * hold + clip[: len(clip) - hold]
    return clip[hold:] + [clip[-1]] * hold


ARRANGE: dict[str, Callable[[Clip, Params], Clip]] = {
    "speed": _speed,
    "reverse": _reverse,
    "boomerang": _boomerang,
    "loop": _loop,
    "freeze": _freeze,
}


# For a moment, a loop plays that part `times` over and a freeze holds its first frame.
IN_MOMENT: dict[str, Callable[[Clip, Params], Clip]] = {
    **ARRANGE,
    "loop": lambda clip, params: clip * int(num(params, "times")),
    "freeze": lambda clip, params: clip[:1] * len(clip),
}


class TimeStep(NamedTuple):
    name: str
    params: Params
    span: Span | None = None


def timeline(steps: Sequence[TimeStep], total: int, start: int | None = None) -> Clip:
    """For each output frame, the index of the source frame (at FPS) it shows, from a
    source of `start` frames (the output's own length, `total`, unless said). Steps for the
    whole clip give `total` frames; a step for a moment makes the clip as long as it needs."""
    clip, hold, stretched = list(range(total if start is None else start)), False, False
    for name, params, span in steps:
        if name not in ARRANGE:
            continue
        if span is None:
            clip = ARRANGE[name](clip, params)
            hold = hold or params.get("then") == "hold"
            continue
        first, end = span.frames(len(clip), FPS)
        if end > first:
            part = IN_MOMENT[name](clip[first:end], params)
            stretched = stretched or len(part) != end - first
            clip = clip[:first] + part + clip[end:]
    if stretched:
        return clip
    if len(clip) < total:
        fill = [clip[-1]] * (total - len(clip)) if hold else _repeat(clip, total - len(clip))
        clip = clip + fill
    return clip[:total]


def _repeat(clip: Clip, count: int) -> Clip:
    return [clip[i % len(clip)] for i in range(count)]


def is_forward(order: Sequence[int]) -> bool:
    return all(a <= b for a, b in zip(order, order[1:], strict=False))


def _fade(kind: str) -> Callable[[Chain, Params], None]:
    def build(chain: Chain, params: Params) -> None:
        seconds = min(num(params, "seconds"), chain.total / FPS)
        start = 0.0 if kind == "in" else max(0.0, chain.total / FPS - seconds)
        chain.add("fade", f"t={kind}:st={start:.3f}:d={seconds:.3f}:color={text(params, 'colour')}")

    return build


def _fade_params() -> dict[str, Param]:
    return {"seconds": Param(1.0, 0.1, 12.0), "colour": Param("black", choices=("black", "white"))}


STEPS = [
    StepSpec(
        "speed",
        TIME,
        "Speed",
        params={"factor": Param(2.0, 0.1, 10.0), "then": Param("loop", choices=("loop", "hold"))},
        amount="factor",
    ),
    StepSpec("reverse", TIME, "Reverse"),
    StepSpec("boomerang", TIME, "Boomerang (forward, then back)"),
    StepSpec("loop", TIME, "Loop", params={"times": Param(2.0, 2.0, 12.0)}, amount="times"),
    StepSpec(
        "freeze",
        TIME,
        "Freeze frame",
        params={
            "position": Param("last", choices=("first", "last")),
            "seconds": Param(1.0, 0.1, 12.0),
        },
        amount="seconds",
    ),
    StepSpec("fade_in", FINISH, "Fade in", _fade("in"), _fade_params(), "seconds"),
    StepSpec("fade_out", FINISH, "Fade out", _fade("out"), _fade_params(), "seconds"),
]

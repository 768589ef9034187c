"""What a step of the vocabulary is: its name, its parameters and their ranges, and how it
adds itself to a filter graph."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from remixer.engine.base.graph import Chain

Value = float | str
Params = Mapping[str, Value]

COLOUR, TEXTURE, GEOMETRY, TIME, FINISH = "colour", "texture", "geometry", "time", "finish"
SOUND = "sound"
# Time decides which source frame is shown, geometry where it goes, then colour and texture;
# the caption is drawn after those, and the finish (fades) covers the caption too. Sound
# steps filter the sound alone, after the picture's timeline has been followed.
KIND_ORDER = (TIME, GEOMETRY, COLOUR, TEXTURE, FINISH, SOUND)
PICTURE = (GEOMETRY, COLOUR, TEXTURE)  # the kinds a picture's filter graph applies in turn


class RecipeError(ValueError):
    """A prompt or stored recipe the engine cannot follow; the message is for a creator."""


@dataclass(frozen=True)
class Param:
    default: Value
    low: float = 0.0
    high: float = 1.0
    choices: tuple[str, ...] = ()

    def check(self, name: str, value: object) -> str | None:
        """Why `value` is not acceptable, or None."""
        if self.choices:
            if value not in self.choices:
                return f"{name} must be one of {', '.join(self.choices)}, not {value!r}"
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"{name} must be a number, not {value!r}"
        if not self.low <= value <= self.high:
            return f"{name} must be between {self.low:g} and {self.high:g}, not {value:g}"
        return None


def _no_filter(chain: Chain, params: Params) -> None:
    """Time steps choose frames (see timing.timeline) rather than filter them."""


@dataclass(frozen=True)
class StepSpec:
    name: str
    kind: str
    label: str
    build: Callable[[Chain, Params], None] = _no_filter
    params: dict[str, Param] = field(default_factory=dict)
    # The parameter a strength word or a number beside the step changes, if any.
    amount: str | None = None

    def defaults(self) -> dict[str, Value]:
        return {key: param.default for key, param in self.params.items()}


def num(params: Params, key: str) -> float:
    value = params[key]
    assert isinstance(value, int | float)
    return float(value)


def text(params: Params, key: str) -> str:
    return str(params[key])


def strength(default: float = 0.5, low: float = 0.0) -> dict[str, Param]:
    return {"strength": Param(default, low, 1.0)}

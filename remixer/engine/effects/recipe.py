"""A recipe: the steps a remix applies, in order, with their parameters; stored as JSON on
the video and checked again whenever it is read back."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from remixer.engine.base.graph import Chain
from remixer.engine.effects.captions import POSITIONS, check_caption
from remixer.engine.effects.spans import Span
from remixer.engine.effects.spec import KIND_ORDER, TIME, RecipeError, Value
from remixer.engine.effects.steps import STEPS

VERSION = 2
MAX_STEPS = 40
STRETCHING = ("speed", "loop", "boomerang")  # time steps for a moment that can change its length

# The recipes of the first engine: a list of effect names and a caption.
LEGACY: dict[str, tuple[str, dict[str, Value]]] = {
    "reverse": ("reverse", {}),
    "slow_motion": ("speed", {"factor": 0.5}),
    "speed_up": ("speed", {"factor": 2.0}),
    "mirror": ("mirror", {}),
    "zoom_in": ("push_in", {"factor": 1.3}),
    "black_and_white": ("grayscale", {}),
    "sepia": ("sepia", {"strength": 1.0}),
    "invert": ("invert", {}),
    "neon": ("neon", {}),
    "blur": ("blur", {"strength": 0.5}),
    "vignette": ("vignette", {"strength": 0.5}),
}


@dataclass(frozen=True)
class Step:
    name: str
    params: dict[str, Value] = field(default_factory=dict)
    look: str | None = None
    span: Span | None = None  # the moment it holds for; None: the whole clip

    @property
    def kind(self) -> str:
        return STEPS[self.name].kind

    def describe(self, *, fitted: bool = True, alone: bool = True) -> str:
        """The step in words. A speed for the whole clip says what becomes of the source's
        length when the clip is `fitted` to it (no step for a moment changed it), `alone`
        (no other time step for the whole clip decides which part is kept)."""
        spec = STEPS[self.name]
        shown = [
            (key, value)
            for key, value in self.params.items()
            if (key, value) != ("seed", 0) and key != "then"
        ]
        details = [_detail(key, value) for key, value in shown]
        if self.name == "speed" and not self.span and fitted:
            details += _speed_ending(self.params, alone)
        line = spec.label + (f" ({', '.join(details)})" if details else "")
        line = f"{line}, from {self.look}" if self.look else line
        return f"{line}, {self.span.describe()}" if self.span else line

    def build(self, chain: Chain) -> None:
        """Adds the step's filters to a picture's chain."""
        STEPS[self.name].build(chain, self.params)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"step": self.name, "params": dict(self.params)}
        if self.look:
            data["look"] = self.look
        if self.span:
            data["span"] = self.span.to_json()
        return data


def _detail(key: str, value: Value) -> str:
    if key in ("strength", "amount") and isinstance(value, int | float):
        return f"{value * 100:+.0f}%" if key == "amount" else f"{value * 100:.0f}%"
    if key in ("factor", "times") and isinstance(value, int | float):
        return f"×{value:g}"
    if key == "seconds" and isinstance(value, int | float):
        return f"{value:g} s"
    if key == "angle":
        return f"{value}°"
    if key == "db" and isinstance(value, int | float) and value <= -90:
        return "silent"
    if key in ("db", "semitones") and isinstance(value, int | float):
        return f"{value:+g} {'dB' if key == 'db' else 'semitones'}"
    if key == "seed" and isinstance(value, int | float):
        return f"take {value:g}"  # another draw of its noise: a variation's own
    return f"{key} {value:g}" if isinstance(value, float) else str(value)


def _speed_ending(params: dict[str, Value], alone: bool) -> list[str]:
    """A faster clip is shorter than the source: it loops, or holds its last frame, to the
    source's length. A slower one is longer: it is cut there, so only its first part shows
    (timing.timeline)."""
    factor = params.get("factor")
    if not isinstance(factor, int | float) or factor == 1:
        return []
    if factor > 1:
        return ["then holds the last frame" if params.get("then") == "hold" else "then loops"]
    if not alone:
        return ["cut to the video's length"]
    return [f"shows the first {SHARES.get(factor, f'{factor:.0%}')}"]


SHARES = {0.5: "half", 0.25: "quarter"}


@dataclass(frozen=True)
class Caption:
    text: str
    position: str = "bottom"
    span: Span | None = None  # the moment it shows for; None: the whole clip

    def describe(self) -> str:
        line = f'Caption "{self.text}" ({self.position})'
        return f"{line}, {self.span.describe()}" if self.span else line

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text, "position": self.position}
        if self.span:
            data["span"] = self.span.to_json()
        return data


@dataclass(frozen=True)
class Recipe:
    steps: tuple[Step, ...] = ()
    caption: Caption | None = None
    sound: bool = True
    unused: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    # Sentences on how the prompt was read: its language, a word read as another, a step
    # left out because it would change nothing.
    remarks: tuple[str, ...] = ()

    def ordered(self) -> Recipe:
        """The steps in the order they are applied (stable within a kind)."""
        steps = sorted(self.steps, key=lambda step: KIND_ORDER.index(step.kind))
        return replace(self, steps=tuple(steps))

    def describe(self) -> list[str]:
        whole = [step for step in self.steps if step.kind == TIME and not step.span]
        # A step for a moment that changes its part's length leaves the clip as long as it is.
        fitted = not any(step.span and step.name in STRETCHING for step in self.steps)
        shown = {"fitted": fitted, "alone": len(whole) == 1}
        lines = [step.describe(**shown) for step in self.steps if step.kind != "finish"]
        if self.caption:
            lines.append(self.caption.describe())
        lines += [step.describe() for step in self.steps if step.kind == "finish"]
        if not self.sound:
            lines.append("No sound")
        return lines

    def notes(self) -> list[str]:
        """What the prompt asked to leave out, and the words that were not used."""
        notes = list(self.remarks)
        notes += [f"Left out: {', '.join(self.excluded)}"] if self.excluded else []
        if self.unused:
            notes.append("Not used: " + ", ".join(f'"{word}"' for word in self.unused))
        return notes

    def to_json(self) -> dict[str, Any]:
        caption = self.caption
        return {
            "version": VERSION,
            "steps": [step.to_json() for step in self.steps],
            "caption": caption.to_json() if caption else None,
            "sound": self.sound,
            "unused": list(self.unused),
            "excluded": list(self.excluded),
            "remarks": list(self.remarks),
        }

    @classmethod
    def from_json(cls, data: object) -> Recipe:
        if not isinstance(data, dict):
            raise RecipeError("A stored recipe must be an object.")
        if "effects" in data and "version" not in data:
            data = upgrade(data)
        if data.get("version") != VERSION:
            raise RecipeError(f"A stored recipe must be version {VERSION}.")
        steps = data.get("steps")
        if not isinstance(steps, list) or len(steps) > MAX_STEPS:
            raise RecipeError(f"A stored recipe needs a list of at most {MAX_STEPS} steps.")
        sound, unused = data.get("sound", True), data.get("unused", [])
        excluded, remarks = data.get("excluded", []), data.get("remarks", [])
        if not isinstance(sound, bool):
            raise RecipeError("A stored recipe's sound must be true or false.")
        for words in (unused, excluded, remarks):
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                raise RecipeError("A stored recipe's notes must be lists of text.")
        return cls(
            tuple(_step(item) for item in steps),
            _caption(data.get("caption")),
            sound,
            tuple(unused),
            tuple(excluded),
            tuple(remarks),
        )


def _step(item: object) -> Step:
    if not isinstance(item, dict) or not isinstance(item.get("step"), str):
        raise RecipeError("Each step of a stored recipe needs a name.")
    name, params, look = item["step"], item.get("params", {}), item.get("look")
    span = Span.from_json(item["span"]) if item.get("span") is not None else None
    spec = STEPS.get(name)
    if spec is None:
        raise RecipeError(f"The engine has no step called {name!r}.")
    if not isinstance(params, dict) or not (look is None or isinstance(look, str)):
        raise RecipeError(f"The {name} step's parameters must be an object.")
    unknown = sorted(set(params) - set(spec.params))
    if unknown:
        raise RecipeError(f"The {name} step has no parameter {', '.join(unknown)}.")
    merged = {**spec.defaults(), **params}
    for key, value in merged.items():
        problem = spec.params[key].check(key, value)
        if problem:
            raise RecipeError(f"In the {name} step, {problem}.")
    return Step(name, merged, look, span)


def _caption(data: object) -> Caption | None:
    if data is None:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise RecipeError("A stored recipe's caption needs a text.")
    position = data.get("position", "bottom")
    if position not in POSITIONS:
        raise RecipeError(f"A caption's position is one of {', '.join(POSITIONS)}.")
    check_caption(data["text"])
    span = Span.from_json(data["span"]) if data.get("span") is not None else None
    return Caption(data["text"], position, span)


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """A first-engine recipe ({"effects": [...], "caption": ...}) in today's shape."""
    effects, caption = data.get("effects"), data.get("caption")
    if not isinstance(effects, list) or not all(
        isinstance(e, str) and e in LEGACY for e in effects
    ):
        raise RecipeError("A stored recipe names effects the engine does not know.")
    steps = [{"step": LEGACY[e][0], "params": dict(LEGACY[e][1])} for e in effects]
    text = {"text": caption, "position": "bottom"} if isinstance(caption, str) else None
    return {"version": VERSION, "steps": steps, "caption": text, "sound": True, "unused": []}

"""A moment of the clip a step holds for: "the first 2 seconds", "from 1 s to 3 s", "the
middle". Written as the creator said it and resolved against the clip's length at render
time, so the same recipe reads right on a clip of any length."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from remixer.engine.effects.spec import RecipeError

MAX_SECONDS = 3600.0


@dataclass(frozen=True)
class Span:
    """From `start` to `end` (None: the clip's end), in seconds; a negative start counts
    back from the end ("the last second" is -1 to the end). With `share`, both are parts of
    the clip's length (the middle is 1/3 to 2/3)."""

    start: float = 0.0
    end: float | None = None
    share: bool = False

    def seconds(self, length: float) -> tuple[float, float]:
        """Start and end within a clip of `length` seconds (possibly empty)."""
        if self.share:
            start, end = self.start * length, (1.0 if self.end is None else self.end) * length
        else:
            start = length + self.start if self.start < 0 else self.start
            end = length if self.end is None else self.end
        start = min(max(0.0, start), length)
        return start, min(max(start, end), length)

    def frames(self, total: int, fps: int) -> tuple[int, int]:
        start, end = self.seconds(total / fps)
        return round(start * fps), round(end * fps)

    def enable(self, total: int, fps: int) -> str:
        """When it holds, as libavfilter's `enable` expression of t in a clip of `total`
        frames."""
        start, end = self.frames(total, fps)
        return f"gte(t,{(start - 0.5) / fps:.4f})*lt(t,{(end - 0.5) / fps:.4f})"

    def describe(self) -> str:
        """When it holds, as a recipe line ends: "for the first 2 s", "from 1 s to 3 s"."""
        if self.share:
            named = _SHARES.get((self.start, self.end))
            return named or f"from {self.start:.0%} to {_share(self.end)} of the clip"
        if self.start < 0:
            last = -self.start
            return "for the last second" if last == 1 else f"for the last {last:g} s"
        if self.end is None:
            return f"after {self.start:g} s"
        if self.start == 0:
            return "for the first second" if self.end == 1 else f"for the first {self.end:g} s"
        return f"from {self.start:g} s to {self.end:g} s"

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "share": self.share}

    @classmethod
    def from_json(cls, data: object) -> Span:
        if not isinstance(data, dict):
            raise RecipeError("A step's moment must be an object.")
        start, end, share = data.get("start", 0.0), data.get("end"), data.get("share", False)
        numbers = [start] if end is None else [start, end]
        if not isinstance(share, bool) or not all(
            isinstance(n, int | float) and not isinstance(n, bool) for n in numbers
        ):
            raise RecipeError("A step's moment needs a start, an end and whether they are parts.")
        limit = 1.0 if share else MAX_SECONDS
        if not all(-limit <= n <= limit for n in numbers) or (end is not None and end < 0):
            raise RecipeError(f"A step's moment lies within {limit:g} of the clip's ends.")
        if (start < 0 and end is not None) or (end is not None and end <= start):
            raise RecipeError("A step's moment must end after it starts.")
        return cls(float(start), None if end is None else float(end), share)


def _share(value: float | None) -> str:
    return "the end" if value is None else f"{value:.0%}"


_SHARES = {
    (0.0, 0.5): "for the first half",
    (0.5, None): "for the second half",
    (1 / 3, 2 / 3): "in the middle third",
    (0.0, 1 / 3): "in the first third",
    (2 / 3, None): "in the last third",
}

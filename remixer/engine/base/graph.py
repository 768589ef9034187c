"""Building libavfilter graphs node by node, as the ffmpeg CLI would build them from text."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from av.filter import Graph
from av.filter.context import FilterContext
from av.frame import Frame


class Filters:
    """A graph and the helpers to add nodes to it."""

    def __init__(self) -> None:
        self.graph = Graph()
        self.graph.threads = 0  # slice threads, as many as cores, like the CLI's filter_threads

    def node(self, name: str, args: str, *inputs: tuple[FilterContext, int]) -> FilterContext:
        added = self.graph.add(name, args or None)
        for index, (upstream, output) in enumerate(inputs):
            upstream.link_to(added, output, index)
        return added

    def chain(self, tail: FilterContext, name: str, args: str = "") -> FilterContext:
        return self.node(name, args, (tail, 0))

    def steps(self, tail: FilterContext, steps: list[tuple[str, str]]) -> FilterContext:
        for name, args in steps:
            tail = self.chain(tail, name, args)
        return tail

    @staticmethod
    def drain(sink: FilterContext) -> Iterator[Frame]:
        while True:
            try:
                yield sink.pull()
            except (BlockingIOError, EOFError):  # wants more input, or is finished
                return


@dataclass(frozen=True)
class Luma:
    """y = clip(gain * val + offset, low, high), with gain > 0."""

    gain: float = 1.0
    offset: float = 0.0
    low: float = 0.0
    high: float = 255.0

    def then(self, gain: float, offset: float) -> Luma:
        """This curve followed by y = clip(gain * y + offset, 0, 255): both rise, so the two
        are still one clipped line, and the ends are where this curve's ends go."""
        if gain <= 0:
            raise ValueError("A luma curve must rise.")

        def clamp(y: float) -> float:
            return min(255.0, max(0.0, gain * y + offset))

        line = (self.gain * gain, self.offset * gain + offset)
        return Luma(*line, clamp(self.low), clamp(self.high))

    @property
    def expression(self) -> str:
        return f"clip(val*{self.gain:.4f}+{self.offset:.2f}\\,{self.low:.1f}\\,{self.high:.1f})"


@dataclass
class Chain:
    """Where a step adds its filters: the graph, its current tail and the picture's shape.

    Steps also write the text of what they add to `text`, so the same chain can be given to
    the ffmpeg CLI (the benchmark compares the two)."""

    filters: Filters
    end: FilterContext  # the last node added: read it as `tail`
    width: int
    height: int
    total: int
    text: list[str]
    luma: Luma | None = None  # a luma curve not added yet

    @property
    def tail(self) -> FilterContext:
        """The last node, once a luma curve still waiting is added."""
        if self.luma is not None:
            curve, self.luma = self.luma, None
            self.add("lutyuv", f"y={curve.expression}")
        return self.end

    @tail.setter
    def tail(self, node: FilterContext) -> None:
        self.end = node

    def add(self, name: str, args: str = "") -> None:
        self.end = self.filters.chain(self.tail, name, args)
        self.text.append(f"{name}={args}" if args else name)

    def add_luma(self, gain: float, offset: float) -> None:
        """y = gain * y + offset, kept within 0-255. Such steps in a row become one lutyuv:
        setting one up takes some 10 ms (its table has 65,536 entries), which a still preview
        would pay again for each."""
        self.luma = (self.luma or Luma()).then(gain, offset)

    def add_all(self, steps: list[tuple[str, str]]) -> None:
        for name, args in steps:
            self.add(name, args)

    def fork(self, count: int) -> FilterContext:
        """Split the tail into `count` outputs; the caller links each one."""
        return self.filters.chain(self.tail, "split", str(count))

    def node(self, name: str, args: str, *inputs: tuple[FilterContext, int]) -> FilterContext:
        return self.filters.node(name, args, *inputs)

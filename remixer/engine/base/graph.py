"""Building libavfilter graphs node by node, as the ffmpeg CLI would build them from text."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

from av.filter import Filter, Graph
from av.filter.context import FilterContext
from av.frame import Frame
from av.video.format import VideoFormat


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


TICK = Fraction(1, 1000)
TIMELINE = 3 << 16  # AVFILTER_FLAG_SUPPORT_TIMELINE_GENERIC | _INTERNAL: takes `enable`


@cache
def takes_enable(name: str) -> bool:
    """Whether a filter can be switched on and off by time (its `enable` option)."""
    return bool(Filter(name).flags & TIMELINE)


def held(name: str, args: str, enable: str | None) -> str:
    """A filter's arguments, switched on only while `enable` holds where the filter can be."""
    if enable is None or not takes_enable(name):
        return args
    return f"{args}:enable='{enable}'" if args else f"enable='{enable}'"


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
    enable: str | None = None  # while set, what is added holds only when this is true
    luma_enable: str | None = None  # the `enable` the waiting luma curve was added under
    branched: bool = False  # whether a step forked the chain or linked nodes itself
    timed: bool = True  # whether steps hold for their moments (a still shows them all)

    @property
    def tail(self) -> FilterContext:
        """The last node, once a luma curve still waiting is added."""
        if self.luma is not None:
            curve, self.luma = self.luma, None
            enable, self.enable = self.enable, self.luma_enable
            self.add("lutyuv", f"y={curve.expression}")
            self.enable = enable
        return self.end

    @tail.setter
    def tail(self, node: FilterContext) -> None:
        self.end = node

    def add(self, name: str, args: str = "") -> None:
        args = held(name, args, self.enable)
        self.end = self.filters.chain(self.tail, name, args)
        self.text.append(f"{name}={args}" if args else name)

    def add_luma(self, gain: float, offset: float) -> None:
        """y = gain * y + offset, kept within 0-255. Such steps in a row become one lutyuv:
        setting one up takes some 10 ms (its table has 65,536 entries), which a still preview
        would pay again for each. Steps that hold for different moments are not merged."""
        if self.luma is not None and self.luma_enable != self.enable:
            self.tail  # noqa: B018 - adds the waiting curve under its own moment
        self.luma, self.luma_enable = (self.luma or Luma()).then(gain, offset), self.enable

    def add_during(self, enable: str, build: Callable[[Chain], None]) -> None:
        """Adds a step that holds only while `enable` (an expression of t) is true. A step of
        filters that each take `enable` gets it on each; any other (a crop, a fork) is built
        on a copy of the picture laid over the original while `enable` holds."""
        scratch = Filters()
        source = scratch.graph.add_buffer(
            width=self.width, height=self.height, format=VideoFormat("yuv420p"), time_base=TICK
        )
        trial = Chain(scratch, source, self.width, self.height, self.total, [])
        build(trial)
        trial.tail  # noqa: B018
        if not trial.branched and all(takes_enable(t.partition("=")[0]) for t in trial.text):
            self.enable = enable
            build(self)
            self.tail  # noqa: B018
            self.enable = None
            return
        split = self.fork(2)
        copy = Chain(
            self.filters,
            self.filters.node("null", "", (split, 1)),
            self.width,
            self.height,
            self.total,
            self.text,
        )
        build(copy)
        self.end = self.filters.node(
            "overlay", f"format=yuv420:enable='{enable}'", (split, 0), (copy.tail, 0)
        )
        self.text.append("overlay")

    def add_all(self, steps: list[tuple[str, str]]) -> None:
        for name, args in steps:
            self.add(name, args)

    def fork(self, count: int) -> FilterContext:
        """Split the tail into `count` outputs; the caller links each one."""
        self.branched = True
        return self.filters.chain(self.tail, "split", str(count))

    def node(self, name: str, args: str, *inputs: tuple[FilterContext, int]) -> FilterContext:
        self.branched = True
        return self.filters.node(name, args, *inputs)

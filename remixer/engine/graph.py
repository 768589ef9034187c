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


@dataclass
class Chain:
    """Where a step adds its filters: the graph, its current tail and the picture's shape.

    Steps also write the text of what they add to `text`, so the same chain can be given to
    the ffmpeg CLI (the benchmark compares the two)."""

    filters: Filters
    tail: FilterContext
    width: int
    height: int
    total: int
    text: list[str]

    def add(self, name: str, args: str = "") -> None:
        self.tail = self.filters.chain(self.tail, name, args)
        self.text.append(f"{name}={args}" if args else name)

    def add_all(self, steps: list[tuple[str, str]]) -> None:
        for name, args in steps:
            self.add(name, args)

    def fork(self, count: int) -> FilterContext:
        """Split the tail into `count` outputs; the caller links each one."""
        return self.filters.chain(self.tail, "split", str(count))

    def node(self, name: str, args: str, *inputs: tuple[FilterContext, int]) -> FilterContext:
        return self.filters.node(name, args, *inputs)

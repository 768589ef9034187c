"""The source's sound following the picture's timeline, or dropped."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import cast

import av
from av.audio.frame import AudioFrame
from av.audio.stream import AudioStream
from av.container import InputContainer, OutputContainer

from remixer.engine.encoding import audio_layout
from remixer.engine.graph import Filters
from remixer.engine.recipe import Recipe
from remixer.engine.spec import num


@contextmanager
def audio_source(path: Path, wanted: bool) -> Iterator[InputContainer | None]:
    if not wanted:
        yield None
        return
    with av.open(str(path)) as container:
        yield container


def remix_audio(
    source: InputContainer,
    out: AudioStream,
    container: OutputContainer,
    recipe: Recipe,
    duration: float,
) -> None:
    """Reversed with the picture, its tempo following a speed step, looped to fill the
    duration and trimmed to it. Sound is small enough for areverse's in-memory buffer
    (12 s of 48 kHz stereo is 4.6 MB)."""
    graph = AudioGraph(source.streams.audio[0], _filters(recipe, duration))
    loops = 1 + int(_tempo(recipe) > 1) + int(_tempo(recipe) > 2) * 4
    for frame in _sound(source, loops):
        for filtered in graph.process(frame):
            container.mux(out.encode(filtered))
        if graph.finished:
            break
    for filtered in graph.process(None):
        container.mux(out.encode(filtered))
    container.mux(out.encode(None))


def _tempo(recipe: Recipe) -> float:
    speeds = [num(step.params, "factor") for step in recipe.steps if step.name == "speed"]
    return speeds[0] if speeds else 1.0


def _atempo(factor: float) -> list[tuple[str, str]]:
    """atempo takes 0.5 to 100 at once: slower factors are chained halves."""
    steps = []
    while factor < 0.5:
        steps.append(("atempo", "0.5"))
        factor /= 0.5
    return [*steps, ("atempo", f"{factor:.4f}")]


def _filters(recipe: Recipe, duration: float) -> list[tuple[str, str]]:
    names = {step.name for step in recipe.steps}
    steps: list[tuple[str, str]] = []
    tempo = _tempo(recipe)
    if tempo < 1:
        steps += [("atrim", f"end={duration * tempo:.6f}"), ("asetpts", "N/SR/TB")]
    if tempo != 1:
        steps += _atempo(tempo)
    if "reverse" in names:
        steps.append(("areverse", ""))
    return [*steps, ("atrim", f"end={duration:.6f}"), ("asetpts", "N/SR/TB")]


def _sound(source: InputContainer, loops: int) -> Iterator[AudioFrame]:
    """The first audio stream, `loops` times over, with pts counted in samples (the source's
    own restart at each loop)."""
    stream = source.streams.audio[0]
    rate, samples = stream.codec_context.sample_rate, 0
    for _ in range(loops):
        source.seek(0)
        for frame in source.decode(stream):
            frame.pts, frame.time_base = samples, Fraction(1, rate)
            samples += frame.samples
            yield frame


class AudioGraph(Filters):
    def __init__(self, stream: AudioStream, steps: list[tuple[str, str]]) -> None:
        super().__init__()
        codec = stream.codec_context
        self.source = self.graph.add_abuffer(
            sample_rate=codec.sample_rate,
            format=codec.format.name,
            layout=codec.layout.name,
            time_base=Fraction(1, codec.sample_rate),
        )
        layout = audio_layout(stream)
        steps = [
            *steps,
            (
                "aformat",
                f"sample_fmts=fltp:sample_rates={codec.sample_rate}:channel_layouts={layout}",
            ),
        ]
        self.sink = self.chain(self.steps(self.source, steps), "abuffersink")
        self.graph.configure()
        self.finished = False

    def process(self, frame: AudioFrame | None) -> Iterator[AudioFrame]:
        if not self.finished:
            try:
                self.source.push(frame)
            except EOFError:  # the trim has all it wants: the rest of the sound is not needed
                self.finished = True
        for out in self.drain(self.sink):
            yield cast(AudioFrame, out)

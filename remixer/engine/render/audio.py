"""The source's sound following the picture's timeline, then through the recipe's sound
steps (louder, an echo, a fade of the sound alone), or dropped."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import cast

import av
from av.audio.frame import AudioFrame
from av.audio.stream import AudioStream
from av.container import InputContainer, OutputContainer
from av.filter.context import FilterContext

from remixer.engine.base.deferred import np
from remixer.engine.base.encoding import FPS, audio_layout
from remixer.engine.base.graph import Filters, held, takes_enable
from remixer.engine.effects.recipe import Recipe
from remixer.engine.effects.sound import AudioFilters, SoundStepSpec, SoundTrack
from remixer.engine.effects.spec import SOUND, Params, num
from remixer.engine.effects.steps import STEPS
from remixer.engine.effects.timing import ARRANGE, TimeStep, timeline
from remixer.engine.render.frames import spool_file


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
    workdir: Path,
) -> None:
    """The sound follows the picture: its tempo changed with a speed step (atempo), written once
    to a raw spool on disk, then read back one frame's worth at a time in the order the time
    steps give: backwards where the picture goes back, silent where it holds still. Never
    FFmpeg's in-memory reverse or loop."""
    stream = source.streams.audio[0]
    codec = stream.codec_context
    rate, layout = codec.sample_rate, audio_layout(stream)
    channels = 1 if layout == "mono" else 2
    graph = AudioGraph(
        _tempo_filters(recipe, duration), rate, (codec.format.name, codec.layout.name), layout
    )
    with spool_file(workdir, ".pcm") as spool:
        with spool.open("wb") as raw:
            for frame in _sound(source, graph):
                raw.write(frame.to_ndarray().T.astype(np.float32).tobytes())
        samples = spool.stat().st_size // (4 * channels)
        if samples == 0:
            return
        sound = np.memmap(spool, dtype=np.float32, mode="r", shape=(samples, channels))
        blocks = math.ceil(samples * FPS / rate)
        order = timeline(_sound_steps(recipe), max(1, round(duration * FPS)), start=blocks)
        steps = SoundSteps(recipe, SoundTrack(len(order) / FPS, rate), layout)
        written = 0
        for block in _blocks(sound, order, rate):
            frame = AudioFrame.from_ndarray(
                np.ascontiguousarray(block.T), format="fltp", layout=layout
            )
            frame.sample_rate, frame.pts, frame.time_base = rate, written, Fraction(1, rate)
            written += block.shape[0]
            for shaped in steps.process(frame):
                container.mux(out.encode(shaped))
        for shaped in steps.process(None):
            container.mux(out.encode(shaped))
        container.mux(out.encode(None))


def _blocks(sound: np.ndarray, order: list[int], rate: int) -> Iterator[np.ndarray]:
    """One output frame's samples per entry of the order; a block the picture passes going
    back is played backwards, one it holds (the same as both neighbours) is silence."""

    def edge(index: int) -> int:
        return round(index * rate / FPS)

    for at, index in enumerate(order):
        before = order[at - 1] if at else None
        after = order[at + 1] if at + 1 < len(order) else None
        length = edge(at + 1) - edge(at)  # the output's own clock, whatever the source's
        block = sound[edge(index) : edge(index) + length]
        if before in (index, None) and after in (index, None) and len(order) > 1:
            block = np.zeros_like(block)
        elif after == index - 1 or before == index + 1:
            block = block[::-1]
        if block.shape[0] < length:  # the last block of the source may be short
            pad = np.zeros((length - block.shape[0], sound.shape[1]), dtype=np.float32)
            block = np.concatenate([block, pad])
        yield block


def _speed(recipe: Recipe) -> Params:
    speeds = [step.params for step in recipe.steps if step.name == "speed" and not step.span]
    return speeds[0] if speeds else {"factor": 1.0}


def _tempo_filters(recipe: Recipe, duration: float) -> list[tuple[str, str]]:
    """atempo takes 0.5 to 100 at once: slower factors are chained halves. A slower clip shows
    the first part of the source only, so only that part is slowed."""
    factor = num(_speed(recipe), "factor")
    if factor == 1:
        return []
    steps = []
    if factor < 1:
        steps = [("atrim", f"end={duration * factor:.6f}"), ("asetpts", "N/SR/TB")]
    while factor < 0.5:
        steps.append(("atempo", "0.5"))
        factor /= 0.5
    return [*steps, ("atempo", f"{factor:.4f}")]


def _sound_steps(recipe: Recipe) -> list[TimeStep]:
    """The picture's time steps, a whole clip's speed already in the sound's tempo (its "then"
    kept); a speed for a moment picks the sound's blocks as it picks the picture's frames."""
    return [
        TimeStep(
            step.name,
            {**step.params, "factor": 1.0}
            if step.name == "speed" and not step.span
            else step.params,
            step.span,
        )
        for step in recipe.steps
        if step.name in ARRANGE
    ]


def _sound(source: InputContainer, graph: AudioGraph) -> Iterator[AudioFrame]:
    """The first audio stream through the graph, with pts counted in samples."""
    stream = source.streams.audio[0]
    rate, samples = stream.codec_context.sample_rate, 0
    for frame in source.decode(stream):
        frame.pts, frame.time_base = samples, Fraction(1, rate)
        samples += frame.samples
        yield from graph.process(frame)
        if graph.finished:
            break
    yield from graph.process(None)


@dataclass(frozen=True)
class Moment:
    """Filters that cannot be switched by time (an echo, a pitch change), held for a moment:
    the sound is split, the filtered copy heard while `enable` holds, the original otherwise."""

    enable: str
    filters: AudioFilters


AudioStep = tuple[str, str] | Moment


class AudioGraph(Filters):
    """Sound in the `given` sample format and channel layout through `steps`, out as planar
    floats at `rate` in `layout` (mono or stereo)."""

    def __init__(
        self, steps: Sequence[AudioStep], rate: int, given: tuple[str, str], layout: str
    ) -> None:
        super().__init__()
        self.source = self.graph.add_abuffer(
            sample_rate=rate, format=given[0], layout=given[1], time_base=Fraction(1, rate)
        )
        steps = [
            *steps,
            ("aformat", f"sample_fmts=fltp:sample_rates={rate}:channel_layouts={layout}"),
        ]
        tail = self.source
        for step in steps:
            tail = self._moment(tail, step) if isinstance(step, Moment) else self.chain(tail, *step)
        self.sink = self.chain(tail, "abuffersink")
        self.graph.configure()
        self.finished = False

    def _moment(self, tail: FilterContext, moment: Moment) -> FilterContext:
        split = self.chain(tail, "asplit", "2")
        dry = self.node("volume", f"0:enable='{moment.enable}'", (split, 0))
        wet = self.steps(self.node("anull", "", (split, 1)), moment.filters)
        wet = self.chain(wet, "volume", f"0:enable='not({moment.enable})'")
        return self.node("amix", "inputs=2:normalize=0:duration=first", (dry, 0), (wet, 0))

    def process(self, frame: AudioFrame | None) -> Iterator[AudioFrame]:
        if not self.finished:
            try:
                self.source.push(frame)
            except EOFError:  # the trim has all it wants: the rest of the sound is not needed
                self.finished = True
        for out in self.drain(self.sink):
            yield cast(AudioFrame, out)


class SoundSteps:
    """The recipe's sound steps over the sound as the output plays it, so their times are the
    output's own. A limiter keeps a boost or an echo from clipping, and the sound is kept to
    the output's length (an echo rings on; a pitch change may end a few samples short)."""

    def __init__(self, recipe: Recipe, track: SoundTrack, layout: str) -> None:
        frames = max(1, round(track.seconds * FPS))
        filters: list[AudioStep] = []
        for step in recipe.steps:
            if step.kind != SOUND:
                continue
            made = _sound_spec(step.name).filters(step.params, track)
            enable = step.span.enable(frames, FPS) if step.span else None
            if enable and not all(takes_enable(name) for name, _ in made):
                filters.append(Moment(enable, made))
            else:
                filters += [(name, held(name, args, enable)) for name, args in made]
        samples = round(track.seconds * track.rate)
        self.graph = (
            AudioGraph(
                [
                    *filters,
                    ("alimiter", "limit=0.98:level=false:latency=true"),
                    ("apad", f"whole_len={samples}"),
                    ("atrim", f"end_sample={samples}"),
                ],
                track.rate,
                ("fltp", layout),
                layout,
            )
            if filters
            else None
        )
        self.rate, self.written = track.rate, 0

    def process(self, frame: AudioFrame | None) -> Iterator[AudioFrame]:
        """The frame (None at the end) through the steps, stamped in output samples."""
        shaped = self.graph.process(frame) if self.graph else iter([frame] if frame else [])
        for out in shaped:
            out.pts, out.time_base = self.written, Fraction(1, self.rate)
            self.written += out.samples
            yield out


def _sound_spec(name: str) -> SoundStepSpec:
    spec = STEPS[name]
    assert isinstance(spec, SoundStepSpec)
    return spec

"""Remix: the source streamed through one libavfilter graph built from a recipe's steps."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import cast

from av.filter.context import FilterContext
from av.video.format import VideoFormat
from av.video.frame import VideoFrame

from remixer.engine.base.encoding import FPS, TIME_BASE, ProgressCallback, writing
from remixer.engine.base.graph import Chain, Filters, held
from remixer.engine.effects import captions
from remixer.engine.effects.recipe import Caption, Recipe
from remixer.engine.effects.shape import output_size
from remixer.engine.effects.spec import FINISH, PICTURE, TIME
from remixer.engine.effects.timing import TimeStep, timeline
from remixer.engine.render.audio import audio_source, remix_audio
from remixer.engine.render.frames import Shape, source_frames
from remixer.lib.media import probe


def filter_text(recipe: Recipe, width: int, height: int, total: int) -> list[str]:
    """The recipe's picture steps as the ffmpeg CLI's -vf text (linear steps only)."""
    graph = VideoGraph(recipe, Shape(width, height, "yuv420p"), width, height, total)
    return graph.text


class VideoGraph(Filters):
    """The recipe's geometry, colour and texture steps, its caption, then its fades."""

    def __init__(
        self, recipe: Recipe, shape: Shape, width: int, height: int, total: int, timed: bool = True
    ) -> None:
        """`timed`: steps hold for their moments; a still preview shows every step."""
        super().__init__()
        self.source = self.graph.add_buffer(
            width=shape.width,
            height=shape.height,
            format=VideoFormat(shape.format),
            time_base=TIME_BASE,
        )
        chain = Chain(self, self.source, width, height, total, [], timed=timed)
        if (shape.width, shape.height) != (width, height):
            chain.add("scale", f"{width}:{height}")
        self._apply(chain, recipe, lambda kind: kind in PICTURE)
        caption = self._caption(chain, recipe.caption) if recipe.caption else None
        self._apply(chain, recipe, lambda kind: kind == FINISH)
        chain.add("format", "yuv420p")
        self.text = chain.text
        self.width, self.height = chain.width, chain.height  # a reshape makes a new frame
        self.sink = self.chain(chain.tail, "buffersink")
        self.graph.configure()
        if caption:
            # One frame, then its end: overlay's eof_action=repeat keeps it on every frame.
            caption[0].push(caption[1])
            caption[0].push(None)
        self.pushed = 0

    @staticmethod
    def _apply(chain: Chain, recipe: Recipe, wanted: object) -> None:
        for step in recipe.steps:
            if wanted(step.kind):  # type: ignore[operator]
                if step.span is None or not chain.timed:
                    step.build(chain)
                else:
                    chain.add_during(step.span.enable(chain.total, FPS), step.build)

    def _caption(self, chain: Chain, caption: Caption) -> tuple[FilterContext, VideoFrame]:
        """Lays the caption over the tail; returns its source and the frame to push in."""
        box, x, y = captions.overlay(caption.text, caption.position, chain.width, chain.height)
        source = self.graph.add_buffer(
            width=box.width, height=box.height, format=VideoFormat("rgba"), time_base=TIME_BASE
        )
        frame = VideoFrame.from_bytes(box.tobytes(), box.width, box.height, "rgba")
        frame.pts = 0
        timed = caption.span is not None and chain.timed
        enable = caption.span.enable(chain.total, FPS) if timed and caption.span else None
        chain.tail = self.node(
            "overlay",
            held("overlay", f"x={x}:y={y}:format=yuv420:eof_action=repeat", enable),
            (chain.tail, 0),
            (source, 0),
        )
        chain.text.append("caption")
        return source, frame

    def process(self, frame: VideoFrame | None) -> Iterator[VideoFrame]:
        """Push a frame (None at the end) and take what comes out."""
        if frame is not None:
            frame.pts, frame.time_base = self.pushed, TIME_BASE
            self.pushed += 1
        self.source.push(frame)
        for out in self.drain(self.sink):
            yield cast(VideoFrame, out)


def _time_steps(recipe: Recipe) -> list[TimeStep]:
    return [
        TimeStep(step.name, step.params, step.span) for step in recipe.steps if step.kind == TIME
    ]


def render_remix(
    *, source: Path, recipe: Recipe, output: Path, on_progress: ProgressCallback
) -> None:
    info = probe(source)
    width, height = info.width - info.width % 2, info.height - info.height % 2
    total = max(1, round(info.duration * FPS))
    order = timeline(_time_steps(recipe), total)
    with (
        audio_source(source, info.has_audio and recipe.sound) as audio,
        source_frames(source, order, total, width, height, output.parent) as frames,
        writing(
            output,
            *output_size(recipe, width, height),
            len(order),
            on_progress,
            audio.streams.audio[0] if audio else None,
        ) as (writer, audio_out),
    ):
        if audio is not None and audio_out is not None:
            remix_audio(audio, audio_out, writer.container, recipe, info.duration, output.parent)
        graph = VideoGraph(recipe, frames.shape, width, height, len(order))
        for frame in frames:
            for out in graph.process(frame):
                writer.write(out)
        for out in graph.process(None):
            writer.write(out)

"""Source frames in the order of a timeline: decoded forward when the timeline only moves
forward, otherwise from a raw spool on disk (never FFmpeg's in-memory reverse or loop)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Generator, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import NamedTuple, Protocol

import av
from av.video.frame import VideoFrame

from remixer.engine.base.deferred import np
from remixer.engine.base.encoding import DECODER_THREADS, FPS
from remixer.engine.effects.timing import is_forward
from remixer.lib.media import MediaError


class Shape(NamedTuple):
    width: int
    height: int
    format: str


class Frames(Protocol):
    """Source frames in the order of a timeline, and the shape the graph receives."""

    shape: Shape

    def __iter__(self) -> Iterator[VideoFrame]: ...


def resampled(path: Path, total: int) -> Generator[VideoFrame, None, None]:
    """The source at FPS: slot j shows the last frame shown at j/FPS (as the fps filter does),
    and the last frame is held when the stream ends early."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        stream.thread_count = DECODER_THREADS
        slot, start, last = 0, None, None
        for count, frame in enumerate(container.decode(stream)):
            time = (
                frame.time if frame.time is not None else count / float(stream.guessed_rate or FPS)
            )
            start = time if start is None else start
            while last is not None and slot < total and (slot + 0.5) / FPS < time - start:
                yield last
                slot += 1
            last = frame
            if slot >= total:
                return
        while last is not None and slot < total:
            yield last
            slot += 1
    if last is None:
        raise MediaError("The source video has no frames that could be decoded.")


def source_shape(path: Path) -> Shape:
    with av.open(str(path)) as container:
        codec = container.streams.video[0].codec_context
        if codec.format is None:
            raise MediaError("The source video's picture format is unknown.")
        return Shape(codec.width, codec.height, codec.format.name)


class ForwardFrames:
    """Decodes forward; a frame shown several times in a row is the same decoded frame."""

    def __init__(self, path: Path, order: list[int], total: int) -> None:
        self.path, self.order, self.total = path, order, total
        self.shape = source_shape(path)

    def __iter__(self) -> Iterator[VideoFrame]:
        reader, position = resampled(self.path, self.total), -1
        for wanted in self.order:
            while position < wanted:
                current, position = next(reader), position + 1
            yield current
        reader.close()


class SpooledFrames:
    """Frames written once to a raw yuv420p file so a timeline can read them in any order
    with one frame in memory at a time (a reversed 12 s 1792x1024 clip held in a list would
    take about 1 GB)."""

    def __init__(
        self, path: Path, order: list[int], total: int, width: int, height: int, spool: Path
    ) -> None:
        self.order, self.spool = order, spool
        self.shape = Shape(width, height, "yuv420p")
        needed = max(order) + 1
        with spool.open("wb") as out:
            for frame in resampled(path, min(total, needed)):
                yuv = frame.reformat(width, height, "yuv420p")
                out.write(yuv.to_ndarray().tobytes())

    def _read(self, index: int) -> VideoFrame:
        rows, columns = self.shape.height * 3 // 2, self.shape.width
        plane = np.fromfile(
            self.spool, dtype=np.uint8, count=rows * columns, offset=index * rows * columns
        )
        return VideoFrame.from_ndarray(plane.reshape(rows, columns), format="yuv420p")

    def __iter__(self) -> Iterator[VideoFrame]:
        for wanted in self.order:
            yield self._read(wanted)


@contextmanager
def source_frames(
    path: Path, order: list[int], total: int, width: int, height: int, workdir: Path
) -> Iterator[Frames]:
    """Forward decoding unless the timeline goes back: then a spool on disk, next to the
    output."""
    if is_forward(order):
        yield ForwardFrames(path, order, total)
        return
    with spool_file(workdir, ".yuv") as spool:
        yield SpooledFrames(path, order, total, width, height, spool)


@contextmanager
def spool_file(workdir: Path, suffix: str) -> Iterator[Path]:
    """A raw spool's path in the work folder (the caller's storage has room for videos; /tmp
    may be a small tmpfs), removed afterwards."""
    handle, name = tempfile.mkstemp(prefix=".remix-", suffix=suffix, dir=workdir)
    os.close(handle)
    try:
        yield Path(name)
    finally:
        with suppress(FileNotFoundError):
            os.unlink(name)

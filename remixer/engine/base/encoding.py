"""Writing H.264 MP4 files: the encoder settings every render shares, and sizes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path

import av
from av.audio.stream import AudioStream
from av.container import OutputContainer
from av.video.frame import VideoFrame
from av.video.stream import VideoStream

ProgressCallback = Callable[[int, int], None]

FPS = 24
TIME_BASE = Fraction(1, FPS)
X264_OPTIONS = {"preset": "veryfast", "crf": "23"}
# libx264's own automatic count (1.5 x cores); the benchmark gives the ffmpeg CLI the same.
ENCODER_THREADS = 0
# Two frame threads decode faster than x264 encodes at any size, and each thread more holds
# another decoded frame (FFmpeg's automatic count is cores + 1).
DECODER_THREADS = 2
PROGRESS_EVERY = 4
MAX_SIDE = 4096


def parse_size(size: str) -> tuple[int, int]:
    """Width and height of a "WxH" size; H.264 in yuv420p needs both even."""
    try:
        width, height = (int(part) for part in size.lower().split("x"))
    except ValueError:
        raise ValueError(f"A size is written WIDTHxHEIGHT, like 1280x720, not {size!r}.") from None
    if not (2 <= width <= MAX_SIDE and 2 <= height <= MAX_SIDE) or width % 2 or height % 2:
        raise ValueError(f"Size {size} is not an even width and height up to {MAX_SIDE}.")
    return width, height


def even(value: float) -> int:
    """The nearest even integer at or above `value` (yuv420p needs even sizes)."""
    whole = int(round(value))
    return whole + whole % 2


class Writer:
    """Encodes frames in order with pts = frame index, reporting progress as it goes."""

    def __init__(
        self,
        container: OutputContainer,
        stream: VideoStream,
        total: int,
        on_progress: ProgressCallback,
    ) -> None:
        self.container, self.stream = container, stream
        self.total, self.on_progress, self.done = total, on_progress, 0

    def write(self, frame: VideoFrame) -> None:
        frame.pts = self.done
        frame.time_base = TIME_BASE
        self.container.mux(self.stream.encode(frame))
        self.done += 1
        if self.done % PROGRESS_EVERY == 0 and self.done < self.total:
            self.on_progress(self.done, self.total)

    def finish(self) -> None:
        self.container.mux(self.stream.encode(None))
        self.on_progress(self.done, self.total)


def _video_stream(container: OutputContainer, width: int, height: int) -> VideoStream:
    stream = container.add_stream("libx264", rate=FPS, options=X264_OPTIONS)
    stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
    stream.codec_context.time_base = TIME_BASE
    # PyAV defaults to slice threads, which makes x264 slice each frame: slower than the frame
    # threads the ffmpeg CLI gets.
    stream.codec_context.thread_type = "FRAME"
    stream.codec_context.thread_count = ENCODER_THREADS
    return stream


def audio_layout(stream: AudioStream) -> str:
    # Mono stays mono; anything else (surround, or channels without a named layout, which
    # the AAC encoder refuses) is mixed to stereo.
    return "mono" if stream.codec_context.channels == 1 else "stereo"


def _audio_stream(container: OutputContainer, template: AudioStream) -> AudioStream:
    codec = template.codec_context
    stream = container.add_stream("aac", rate=codec.sample_rate or 48000)
    stream.layout = audio_layout(template)
    stream.bit_rate = 128_000
    return stream


@contextmanager
def writing(
    output: Path,
    width: int,
    height: int,
    total: int,
    on_progress: ProgressCallback,
    audio: AudioStream | None = None,
) -> Iterator[tuple[Writer, AudioStream | None]]:
    """An MP4 being written, removed again if anything (the progress callback too) raises."""
    try:
        with av.open(
            str(output), "w", format="mp4", container_options={"movflags": "+faststart"}
        ) as container:
            stream = _video_stream(container, width, height)
            audio_out = _audio_stream(container, audio) if audio is not None else None
            writer = Writer(container, stream, total, on_progress)
            yield writer, audio_out
            writer.finish()
    except BaseException:
        output.unlink(missing_ok=True)
        raise

"""An extension's two parts made one video: a segment conformed to its source's picture and
sound, and the source and the segment written end to end on one timeline.

Both parts are decoded and encoded again, so that the joined file has one set of encoder
settings, one frame rate and one audio layout whatever the segment came with. Each part's
sound is cut or padded with silence to its picture's length, so the sound never drifts
from the picture at the seam.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from av.audio.frame import AudioFrame
from av.audio.stream import AudioStream
from av.container import InputContainer, OutputContainer
from av.video.frame import VideoFrame
from av.video.stream import VideoStream
from PIL import Image

from remixer.engine.base.encoding import (
    ENCODER_THREADS,
    X264_OPTIONS,
    ProgressCallback,
    audio_layout,
)

AUDIO_CHUNK = 1024  # samples per AAC frame
PROGRESS_EVERY = 8


class JoinError(ValueError):
    """A part that cannot be joined (no picture, unreadable); the message is for a creator."""


@dataclass(frozen=True)
class Layout:
    """What the joined video keeps of its source: size, frame rate and sound."""

    width: int
    height: int
    fps: Fraction
    sample_rate: int | None = None  # None: no sound
    channels: str = "stereo"

    @property
    def size(self) -> str:
        return f"{self.width}x{self.height}"


def layout_of(path: Path) -> Layout:
    with _opened(path) as container:
        video = _video_stream(container)
        fps = video.average_rate or video.guessed_rate or Fraction(24)
        audio = container.streams.audio[0] if container.streams.audio else None
        return Layout(
            width=video.codec_context.width,
            height=video.codec_context.height,
            fps=Fraction(fps).limit_denominator(1001),
            sample_rate=audio.codec_context.sample_rate if audio is not None else None,
            channels=audio_layout(audio) if audio is not None else "stereo",
        )


def last_frame(path: Path, output: Path) -> Path:
    """The video's last frame as a PNG image, at the video's size."""
    last: VideoFrame | None = None
    with _opened(path) as container:
        stream = _video_stream(container)
        stream.thread_type = "AUTO"
        for frame in container.decode(stream):
            last = frame
    if last is None:
        raise JoinError("The video has no frames to continue from.")
    Image.fromarray(last.to_ndarray(format="rgb24")).save(output, "PNG")
    return output


def conform(
    segment: Path, output: Path, layout: Layout, on_progress: ProgressCallback | None = None
) -> None:
    """The segment at the layout's size and frame rate, its sound at the layout's rate and
    channels (silence where it has none; none where the layout has none)."""
    _write([segment], output, layout, on_progress)


def join(
    source: Path, segment: Path, output: Path, on_progress: ProgressCallback | None = None
) -> Layout:
    """Source then segment as one MP4 in the source's layout; the segment is conformed."""
    layout = layout_of(source)
    _write([source, segment], output, layout, on_progress)
    return layout


def progress_part(on_progress: ProgressCallback, start: float, share: float) -> ProgressCallback:
    """Progress of one part of a job reported as its share of the whole, from `start`."""

    def report(done: int, total: int) -> None:
        on_progress(round(1000 * (start + share * done / max(total, 1))), 1000)

    return report


def duration_of(path: Path) -> float:
    with _opened(path) as container:
        stream = _video_stream(container)
        if stream.duration is not None and stream.time_base is not None:
            return float(stream.duration * stream.time_base)
        return (container.duration or 0) / av.time_base


# Writing


class _Joined:
    """The output: one video and (maybe) one audio stream, timestamps counted from zero."""

    def __init__(self, container: OutputContainer, layout: Layout, total: int) -> None:
        self.container, self.layout, self.total = container, layout, total
        self.video = container.add_stream("libx264", rate=layout.fps, options=X264_OPTIONS)
        self.video.width, self.video.height, self.video.pix_fmt = (
            layout.width,
            layout.height,
            "yuv420p",
        )
        self.video.codec_context.time_base = 1 / layout.fps
        self.video.codec_context.thread_type = "FRAME"
        self.video.codec_context.thread_count = ENCODER_THREADS
        self.audio: AudioStream | None = None
        if layout.sample_rate:
            self.audio = container.add_stream("aac", rate=layout.sample_rate)
            self.audio.layout = layout.channels
            self.audio.bit_rate = 128_000
        self.frames = 0
        self.samples = 0

    def picture(self, frame: VideoFrame, on_progress: ProgressCallback | None) -> None:
        out = frame.reformat(self.layout.width, self.layout.height, "yuv420p")
        out.pts, out.time_base = self.frames, 1 / self.layout.fps
        self.container.mux(self.video.encode(out))
        self.frames += 1
        if on_progress is not None and self.frames % PROGRESS_EVERY == 0:
            on_progress(min(self.frames, self.total - 1), self.total)

    def sound_until_picture(self, chunks: Iterator[AudioFrame]) -> None:
        """Samples up to the picture written so far: the part's own, then silence."""
        assert self.audio is not None and self.layout.sample_rate
        wanted = round(self.frames * self.layout.sample_rate / self.layout.fps)
        for chunk in chunks:
            if self.samples >= wanted:
                return
            self._sound(chunk, wanted)
        while self.samples < wanted:
            self._sound(self._silence(min(AUDIO_CHUNK, wanted - self.samples)), wanted)

    def _sound(self, chunk: AudioFrame, wanted: int) -> None:
        assert self.audio is not None and self.layout.sample_rate
        if self.samples + chunk.samples > wanted:
            kept = chunk.to_ndarray()[:, : wanted - self.samples]
            chunk = AudioFrame.from_ndarray(kept, format="fltp", layout=self.layout.channels)
            chunk.sample_rate = self.layout.sample_rate
        chunk.pts, chunk.time_base = self.samples, Fraction(1, self.layout.sample_rate)
        self.container.mux(self.audio.encode(chunk))
        self.samples += chunk.samples

    def _silence(self, samples: int) -> AudioFrame:
        channels = 1 if self.layout.channels == "mono" else 2
        zeros = np.zeros((channels, samples), dtype=np.float32)
        frame = AudioFrame.from_ndarray(zeros, format="fltp", layout=self.layout.channels)
        frame.sample_rate = self.layout.sample_rate or 48000
        return frame

    def finish(self) -> None:
        self.container.mux(self.video.encode(None))
        if self.audio is not None:
            self.container.mux(self.audio.encode(None))


def _write(
    parts: list[Path], output: Path, layout: Layout, on_progress: ProgressCallback | None
) -> None:
    total = max(1, sum(round(duration_of(part) * layout.fps) for part in parts))
    try:
        with av.open(
            str(output), "w", format="mp4", container_options={"movflags": "+faststart"}
        ) as container:
            joined = _Joined(container, layout, total)
            for part in parts:
                for frame in _pictures(part, layout.fps):
                    joined.picture(frame, on_progress)
                if joined.audio is not None:
                    with _opened(part) as source:
                        joined.sound_until_picture(_sound(source, layout))
            joined.finish()
    except BaseException:
        output.unlink(missing_ok=True)
        raise
    if on_progress is not None:
        on_progress(total, total)


def _pictures(path: Path, fps: Fraction) -> Iterator[VideoFrame]:
    """The part's frames on the output's frame grid: each output instant shows the frame
    on screen then (frames repeat or drop when the rates differ)."""
    step = 1 / fps
    with _opened(path) as container:
        stream = _video_stream(container)
        stream.thread_type = "AUTO"
        rate = stream.average_rate or stream.guessed_rate or fps
        start: Fraction | None = None
        shown: VideoFrame | None = None
        emitted = 0
        for frame in container.decode(stream):
            at = _time(frame, stream)
            start = at if start is None else start
            while shown is not None and emitted * step < at - start:
                yield shown
                emitted += 1
            shown = frame
        if shown is None or start is None:
            raise JoinError(f"{path.name} has no frames.")
        end = _time(shown, stream) - start + 1 / Fraction(rate)
        while emitted * step < end - step / 2:
            yield shown
            emitted += 1


def _time(frame: VideoFrame, stream: VideoStream) -> Fraction:
    if frame.pts is None or stream.time_base is None:
        return Fraction(frame.time or 0).limit_denominator(100_000)
    return frame.pts * stream.time_base


def _sound(source: InputContainer, layout: Layout) -> Iterator[AudioFrame]:
    """The part's first audio stream at the layout's rate and channels, in AAC-sized chunks."""
    if not source.streams.audio:
        return
    resampler = av.AudioResampler(format="fltp", layout=layout.channels, rate=layout.sample_rate)
    fifo = av.AudioFifo()
    for frame in source.decode(source.streams.audio[0]):
        frame.pts = None
        for converted in resampler.resample(frame):
            fifo.write(converted)
        while fifo.samples >= AUDIO_CHUNK and (chunk := fifo.read(AUDIO_CHUNK)) is not None:
            yield chunk
    for converted in resampler.resample(None):
        fifo.write(converted)
    while fifo.samples and (chunk := fifo.read(min(AUDIO_CHUNK, fifo.samples))) is not None:
        yield chunk


def _opened(path: Path) -> InputContainer:
    try:
        return av.open(str(path))
    except av.error.FFmpegError as error:
        raise JoinError(f"{path.name} could not be read: {error}") from error


def _video_stream(container: InputContainer) -> VideoStream:
    if not container.streams.video:
        raise JoinError("The file has no picture.")
    return container.streams.video[0]

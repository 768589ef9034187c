"""An extension's two parts made one video: a segment conformed to its source's picture and
sound, and the source and the segment written end to end on one timeline.

Both parts are decoded and encoded again, so that the joined file has one set of encoder
settings, one frame rate and one audio layout whatever the segment came with. Each part's
sound is cut or padded with silence to its picture's length, so the sound never drifts
from the picture at the seam. A segment without sound may carry the source's sound on: its
closing stretch looped, then shaped (dying away, say) by the caller.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
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

# What a carried sound becomes: given its samples (channels x samples, planar floats), its
# rate and its layout, the samples to play (as many).
SoundShaper = Callable[[np.ndarray, int, str], np.ndarray]

AUDIO_CHUNK = 1024  # samples per AAC frame
PROGRESS_EVERY = 8
LOOP_FADE = 0.05  # seconds of crossfade where the carried sound loops
SHORTEST_CARRIED = 0.1  # seconds: a closing stretch shorter than this is not carried on


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
    last = last_video_frame(path)
    Image.fromarray(last.to_ndarray(format="rgb24")).save(output, "PNG")
    return output


def last_video_frame(path: Path) -> VideoFrame:
    """The video's last frame, decoded from its last keyframe on (from its start where the
    file cannot seek)."""
    for seek in (True, False):
        with _opened(path) as container:
            stream = _video_stream(container)
            stream.thread_type = "AUTO"
            try:
                if seek and container.duration:
                    container.seek(container.duration, backward=True)
                last = deque(container.decode(stream), maxlen=1)
            except av.error.FFmpegError:
                continue
            if last:
                return last[0]
    raise JoinError("The video has no frames to continue from.")


def conform(
    segment: Path, output: Path, layout: Layout, on_progress: ProgressCallback | None = None
) -> None:
    """The segment at the layout's size and frame rate, its sound at the layout's rate and
    channels (silence where it has none; none where the layout has none)."""
    _write([segment], output, layout, on_progress)


def join(
    source: Path,
    segment: Path,
    output: Path,
    on_progress: ProgressCallback | None = None,
    *,
    carry_sound: SoundShaper | None = None,
) -> Layout:
    """Source then segment as one MP4 in the source's layout; the segment is conformed.
    With `carry_sound`, a segment without sound carries the source's sound on, shaped by it."""
    layout = layout_of(source)
    _write([source, segment], output, layout, on_progress, carry_sound)
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
        self.kept: list[np.ndarray] = []  # the closing stretch of the sound written so far
        self.kept_samples = 0
        self.keep = 0  # how many samples of the part being written to keep

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
        if self.keep:
            self._remember(chunk.to_ndarray())
        self.container.mux(self.audio.encode(chunk))
        self.samples += chunk.samples

    def _remember(self, samples: np.ndarray) -> None:
        self.kept.append(samples)
        self.kept_samples += samples.shape[1]
        while self.kept_samples > self.keep:
            extra, first = self.kept_samples - self.keep, self.kept[0]
            self.kept[0] = first[:, extra:]
            if self.kept[0].shape[1] == 0:
                self.kept.pop(0)
            self.kept_samples -= min(extra, first.shape[1])

    def carried(self, shape: SoundShaper) -> Iterator[AudioFrame]:
        """The sound kept so far, looped over the rest of the picture, then shaped."""
        assert self.layout.sample_rate
        rate = self.layout.sample_rate
        wanted = round(self.frames * rate / self.layout.fps) - self.samples
        tail = np.concatenate(self.kept, axis=1) if self.kept else None
        self.kept, self.kept_samples = [], 0
        if tail is None or wanted <= 0 or tail.shape[1] < SHORTEST_CARRIED * rate:
            return
        sound = shape(_looped(tail, wanted, round(LOOP_FADE * rate)), rate, self.layout.channels)
        for start in range(0, wanted, AUDIO_CHUNK):
            part = np.ascontiguousarray(sound[:, start : start + AUDIO_CHUNK])
            chunk = AudioFrame.from_ndarray(part, format="fltp", layout=self.layout.channels)
            chunk.sample_rate = rate
            yield chunk

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


def _looped(tail: np.ndarray, count: int, fade: int) -> np.ndarray:
    """`count` samples of `tail` played again and again, each pass crossfaded into the next
    over `fade` samples (the first fades in from silence too), so no loop clicks."""
    fade = max(1, min(fade, tail.shape[1] // 4))
    piece = tail.astype(np.float32)
    ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
    piece[:, :fade] *= ramp
    piece[:, -fade:] *= ramp[::-1]
    out = np.zeros((tail.shape[0], count), dtype=np.float32)
    for start in range(0, count, piece.shape[1] - fade):
        length = min(piece.shape[1], count - start)
        out[:, start : start + length] += piece[:, :length]
    return out


def _write(
    parts: list[Path],
    output: Path,
    layout: Layout,
    on_progress: ProgressCallback | None,
    carry_sound: SoundShaper | None = None,
) -> None:
    lengths = [duration_of(part) for part in parts]
    total = max(1, sum(round(seconds * layout.fps) for seconds in lengths))
    try:
        with av.open(
            str(output), "w", format="mp4", container_options={"movflags": "+faststart"}
        ) as container:
            joined = _Joined(container, layout, total)
            for index, part in enumerate(parts):
                keeps = carry_sound is not None and index + 1 < len(parts)
                joined.keep = round(lengths[-1] * (layout.sample_rate or 0)) if keeps else 0
                for frame in _pictures(part, layout.fps):
                    joined.picture(frame, on_progress)
                if joined.audio is not None:
                    with _opened(part) as source:
                        if index and carry_sound is not None and not source.streams.audio:
                            sound = joined.carried(carry_sound)
                        else:
                            sound = _sound(source, layout)
                        joined.sound_until_picture(sound)
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

"""Looking inside video files: probing, verifying, thumbnails and spritesheets (PyAV)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import av
from av.container import InputContainer
from av.video.frame import VideoFrame
from av.video.stream import VideoStream
from PIL import Image

THUMBNAIL_MAX_SIDE = 480  # sharp on a library card at 2x, light enough for a page of 24
SPRITE_COLUMNS = 5
SPRITE_ROWS = 5
SPRITE_TILE_WIDTH = 160
# Decoding may legitimately end a frame short of the header (edit lists, a dropped B-frame).
FRAME_SLACK = 1


class MediaError(Exception):
    """A video that cannot be used; the message is fit for a person."""


@dataclass(frozen=True)
class Probe:
    codec: str
    width: int
    height: int
    duration: float
    frames: int
    fps: float
    has_audio: bool


@contextmanager
def _opened(path: Path) -> Iterator[tuple[InputContainer, VideoStream]]:
    try:
        container = av.open(str(path))
    except (av.FFmpegError, OSError) as error:
        raise MediaError(f"This file could not be opened as a video ({_reason(error)}).") from error
    with container:
        if not container.streams.video:
            raise MediaError("This file has no video in it.")
        yield container, container.streams.video[0]


def _reason(error: Exception) -> str:
    return getattr(error, "strerror", None) or str(error)


def _header(container: InputContainer, stream: VideoStream) -> Probe:
    rate = stream.average_rate or stream.guessed_rate or stream.base_rate
    fps = float(rate) if rate else 0.0
    duration = _duration(container, stream)
    frames = stream.frames or (round(duration * fps) if fps else 0)
    if not stream.codec_context.width or duration <= 0 or frames <= 0:
        raise MediaError("This video's header gives no size, duration or frames.")
    return Probe(
        codec=stream.codec_context.name,
        width=stream.codec_context.width,
        height=stream.codec_context.height,
        duration=duration,
        frames=frames,
        fps=fps or frames / duration,
        has_audio=bool(container.streams.audio),
    )


def _duration(container: InputContainer, stream: VideoStream) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return 0.0


def probe(path: Path) -> Probe:
    with _opened(path) as (container, stream):
        return _header(container, stream)


# The codecs an import may be in, as PyAV's decoders name them: those the engine renders from.
IMPORT_CODECS = {
    "h264": "H.264",
    "hevc": "H.265 (HEVC)",
    "vp9": "VP9",
    "libvpx-vp9": "VP9",
    "av1": "AV1",
    "libdav1d": "AV1",
}
MAX_FRAMES_A_SECOND = 60  # an import's frames are held to its longest length at this rate


def check_bounds(header: Probe, *, max_pixels: int, max_seconds: int) -> None:
    """Refuses, in words, a video past what an import may be, from its header alone."""
    pixels, limit = header.width * header.height, max_seconds * MAX_FRAMES_A_SECOND
    if header.codec not in IMPORT_CODECS:
        named = list(dict.fromkeys(IMPORT_CODECS.values()))
        raise MediaError(
            f"This video is in {header.codec.upper()}, which the engine does not render from: "
            f"import {', '.join(named[:-1])} or {named[-1]}."
        )
    if pixels > max_pixels:
        raise MediaError(
            f"This video is {header.width}x{header.height}, {pixels:,} pixels a frame; an "
            f"import may have at most {max_pixels:,}{_as_4k(max_pixels)}."
        )
    if header.duration > max_seconds:
        raise MediaError(
            f"This video is {header.duration:.1f} s long; an import may be at most {max_seconds} s."
        )
    if header.frames > limit:
        raise MediaError(
            f"This video has {header.frames:,} frames; an import may have at most {limit:,} "
            f"({max_seconds} s at {MAX_FRAMES_A_SECOND} frames a second)."
        )


def _as_4k(pixels: int) -> str:
    return " (3840x2160)" if pixels == 3840 * 2160 else ""


Progress = Callable[[int, int], None]


def verify(path: Path, on_progress: Progress | None = None) -> Probe:
    """The header's figures, once every video frame has decoded and agrees with them.

    A truncated faststart MP4 keeps its full header, so only decoding finds the damage.
    """
    with _opened(path) as (container, stream):
        header = _header(container, stream)
        stream.thread_type = "AUTO"
        decoded, last_end = _decode_all(container, stream, header.frames, on_progress)
    if decoded < header.frames - FRAME_SLACK:
        raise MediaError(
            f"This video is incomplete: {decoded} of its {header.frames} frames "
            "could be decoded (the file was probably cut short)."
        )
    if last_end < header.duration - FRAME_SLACK / header.fps - 0.05:
        raise MediaError(
            f"This video is incomplete: it stops at {last_end:.2f} s of {header.duration:.2f} s."
        )
    return header


def _decode_all(
    container: InputContainer, stream: VideoStream, total: int, on_progress: Progress | None
) -> tuple[int, float]:
    """How many frames decode, and when the last one ends (seconds from the first)."""
    count, first, last = 0, None, 0.0
    frame_time = 1 / float(stream.average_rate or 24)
    try:
        for frame in container.decode(stream):
            count += 1
            if on_progress is not None:
                on_progress(count, total)
            if frame.time is not None:
                first = frame.time if first is None else first
                last = max(last, frame.time - first + frame_time)
    except av.FFmpegError as error:
        raise MediaError(
            f"This video is damaged: frame {count + 1} could not be decoded ({_reason(error)})."
        ) from error
    return count, last


def _frames_at(
    container: InputContainer, stream: VideoStream, times: list[float]
) -> Iterator[VideoFrame]:
    """One frame at or just after each of the ascending times (seconds), in one pass."""
    stream.thread_type = "AUTO"
    pending = iter(times)
    wanted = next(pending, None)
    frame: VideoFrame | None = None
    for frame in container.decode(stream):
        while wanted is not None and (frame.time or 0.0) + 1e-6 >= wanted:
            yield frame
            wanted = next(pending, None)
        if wanted is None:
            return
    # Times past the last frame (a header longer than the stream) get the last frame.
    while wanted is not None and frame is not None:
        yield frame
        wanted = next(pending, None)


def _start(stream: VideoStream) -> float:
    """When the first frame shows, in seconds (frame times count from the container's 0)."""
    if stream.start_time is None or stream.time_base is None:
        return 0.0
    return float(stream.start_time * stream.time_base)


def _seek_frame(container: InputContainer, stream: VideoStream, time: float) -> VideoFrame:
    if stream.time_base is not None and time > 0:
        container.seek(int(time / stream.time_base), stream=stream, backward=True)
    for frame in _frames_at(container, stream, [time]):
        return frame
    raise MediaError("No frame of this video could be decoded.")


def _scaled(frame: VideoFrame, width: int) -> Image.Image:
    height = max(2, round(frame.height * width / frame.width))
    rgb = frame.reformat(width, height, "rgb24", interpolation="AREA")
    plane = rgb.planes[0]
    return Image.frombytes("RGB", (width, height), bytes(plane), "raw", "RGB", plane.line_size)


def make_thumbnail(video: Path, output: Path) -> None:
    with _opened(video) as (container, stream):
        header = _header(container, stream)
        frame = _seek_frame(container, stream, _start(stream) + header.duration / 3)
        scale = min(1.0, THUMBNAIL_MAX_SIDE / max(frame.width, frame.height))
        image = _scaled(frame, round(frame.width * scale))
    image.save(output, format="WEBP", quality=75, method=6)


def make_spritesheet(video: Path, output: Path) -> None:
    """A SPRITE_COLUMNS x SPRITE_ROWS grid of evenly spaced frames, left to right then down,
    each SPRITE_TILE_WIDTH wide keeping the video's aspect."""
    count = SPRITE_COLUMNS * SPRITE_ROWS
    with _opened(video) as (container, stream):
        header = _header(container, stream)
        times = [_start(stream) + header.duration * (k + 0.5) / count for k in range(count)]
        sheet: Image.Image | None = None
        for index, frame in enumerate(_frames_at(container, stream, times)):
            tile = _scaled(frame, SPRITE_TILE_WIDTH)
            if sheet is None:
                sheet = Image.new("RGB", (tile.width * SPRITE_COLUMNS, tile.height * SPRITE_ROWS))
            column, row = index % SPRITE_COLUMNS, index // SPRITE_COLUMNS
            sheet.paste(tile, (column * tile.width, row * tile.height))
    if sheet is None:
        raise MediaError("No frame of this video could be decoded.")
    sheet.save(output, format="JPEG", quality=82, optimize=True)


def save_frame(video: Path, output: Path, *, last: bool = False) -> None:
    """The video's first (or last) frame at full size, as a PNG."""
    with _opened(video) as (container, stream):
        header = _header(container, stream)
        # Past the end, the seek lands on the last keyframe and decoding runs to the last frame.
        when = _start(stream) + (header.duration + 1 if last else 0.0)
        frame = _seek_frame(container, stream, when)
        image = _scaled(frame, frame.width)
    image.save(output, format="PNG")


def size_and_sha256(path: Path) -> tuple[int, str]:
    """The file's byte count and SHA-256, read in chunks so memory stays flat."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()

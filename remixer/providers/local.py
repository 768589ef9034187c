"""The local engine: renders real H.264 MP4 files in process with FFmpeg's libraries (PyAV).

Create draws a procedural animation chosen by the prompt's words (or animates a reference
image); remix streams a source through a libavfilter graph chosen by a Recipe. Both stream
frame by frame, so memory does not grow with a video's length.
"""

from __future__ import annotations

import hashlib
import importlib
import math
import os
import tempfile
from collections.abc import Generator, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, cast

import av
from av.audio.frame import AudioFrame
from av.audio.stream import AudioStream
from av.container import InputContainer, OutputContainer
from av.filter import Graph
from av.filter.context import FilterContext
from av.frame import Frame
from av.video.format import VideoFormat
from av.video.frame import VideoFrame
from av.video.stream import VideoStream

from remixer.media import MediaError, probe
from remixer.providers import Assets, Job, ProgressCallback, ProviderError, Submission
from remixer.recipes import Recipe


class _Deferred(ModuleType):
    """A module imported on first use. A remix that draws nothing itself (most recipes) never
    needs NumPy or Pillow, and importing them adds some 16 MB to a render worker's peak."""

    def __getattr__(self, name: str) -> Any:
        return getattr(importlib.import_module(self.__name__), name)


if TYPE_CHECKING:
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont, ImageOps

    FloatArray = np.ndarray[Any, np.dtype[np.floating[Any]]]
else:
    np, Image, ImageDraw, ImageFont, ImageOps = (
        _Deferred(name)
        for name in ("numpy", "PIL.Image", "PIL.ImageDraw", "PIL.ImageFont", "PIL.ImageOps")
    )

OUTPUT = "video.mp4"

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

SEPIA = ".393:.769:.189:0:.349:.686:.168:0:.272:.534:.131"
ZOOM_END = 1.3
FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)


def parse_size(size: str) -> tuple[int, int]:
    """Width and height of a "WxH" size; H.264 in yuv420p needs both even."""
    try:
        width, height = (int(part) for part in size.lower().split("x"))
    except ValueError:
        raise ValueError(f"A size is written WIDTHxHEIGHT, like 1280x720, not {size!r}.") from None
    if not (2 <= width <= MAX_SIDE and 2 <= height <= MAX_SIDE) or width % 2 or height % 2:
        raise ValueError(f"Size {size} is not an even width and height up to {MAX_SIDE}.")
    return width, height


# ---------------------------------------------------------------------------------------------
# Writing


class _Writer:
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


@contextmanager
def _writing(
    output: Path,
    width: int,
    height: int,
    total: int,
    on_progress: ProgressCallback,
    audio: AudioStream | None = None,
) -> Iterator[tuple[_Writer, AudioStream | None]]:
    """An MP4 being written, removed again if anything (the progress callback too) raises."""
    try:
        with av.open(
            str(output), "w", format="mp4", container_options={"movflags": "+faststart"}
        ) as container:
            stream = _video_stream(container, width, height)
            audio_out = _audio_stream(container, audio) if audio is not None else None
            writer = _Writer(container, stream, total, on_progress)
            yield writer, audio_out
            writer.finish()
    except BaseException:
        output.unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------------------------
# Create


def render_create(
    *,
    prompt: str,
    size: str,
    seconds: int,
    output: Path,
    reference_image: Path | None,
    on_progress: ProgressCallback,
) -> None:
    width, height = parse_size(size)
    total = seconds * FPS
    if reference_image is not None:
        frames = _image_frames(_cover(reference_image, width, height), prompt, total)
    else:
        frames = _procedural_frames(prompt, width, height, total)
    with _writing(output, width, height, total, on_progress) as (writer, _):
        for frame in frames:
            writer.write(frame)


def _seed(prompt: str) -> int:
    words = " ".join(_words(prompt)) or prompt
    return int.from_bytes(hashlib.sha256(words.encode()).digest()[:8], "big")


def _words(prompt: str) -> list[str]:
    return "".join(ch if ch.isalnum() else " " for ch in prompt.lower()).split()


# Words that choose a palette (dark base, two mid tones, a light accent), a shape and a motion;
# a prompt with none of them gets its choices from its hash.
THEME_WORDS = {
    "ocean": "ocean sea water beach lake river underwater surf wave",
    "sunset": "sunset sunrise dusk dawn evening golden summer",
    "forest": "forest tree trees jungle garden leaf leaves nature grass spring moss",
    "neon": "neon cyber cyberpunk synthwave disco party club rave",
    "night": "night space star stars moon galaxy dark midnight cosmic",
    "fire": "fire lava volcano flame flames heat ember embers",
    "snow": "snow winter ice frost cloud clouds sky arctic",
    "desert": "desert sand autumn fall dune dunes gold coffee",
    "candy": "candy pastel dream dreamy flower flowers love pink",
}
THEME_COLOURS = {
    "ocean": ((0.02, 0.12, 0.30), (0.00, 0.45, 0.55), (0.30, 0.75, 0.85), (0.85, 0.95, 0.95)),
    "sunset": ((0.22, 0.07, 0.30), (0.95, 0.45, 0.20), (1.00, 0.35, 0.45), (1.00, 0.80, 0.45)),
    "forest": ((0.03, 0.15, 0.07), (0.15, 0.42, 0.15), (0.55, 0.75, 0.25), (0.90, 0.95, 0.60)),
    "neon": ((0.05, 0.00, 0.12), (1.00, 0.10, 0.65), (0.00, 0.85, 1.00), (0.70, 0.30, 1.00)),
    "night": ((0.01, 0.01, 0.06), (0.08, 0.08, 0.30), (0.35, 0.25, 0.65), (0.80, 0.80, 1.00)),
    "fire": ((0.12, 0.00, 0.00), (0.80, 0.18, 0.00), (1.00, 0.55, 0.05), (1.00, 0.88, 0.40)),
    "snow": ((0.55, 0.70, 0.88), (0.85, 0.92, 1.00), (0.40, 0.58, 0.85), (1.00, 1.00, 1.00)),
    "desert": ((0.35, 0.18, 0.08), (0.80, 0.55, 0.28), (0.95, 0.78, 0.50), (0.60, 0.30, 0.15)),
    "candy": ((0.98, 0.78, 0.88), (0.75, 0.70, 1.00), (0.65, 0.92, 0.88), (1.00, 0.95, 0.70)),
}
SHAPE_WORDS = {
    "circles": "bubble bubbles ball balls sun moon planet planets dot dots circle circles orb "
    "orbs bokeh lights",
    "bars": "city bar bars stripe stripes rain line lines building buildings beam beams grid "
    "street",
    "waves": "wave waves ocean sea water river wind flow silk hills dune dunes aurora",
}
MOTION_WORDS = {
    "spin": "spin spinning swirl rotate rotating galaxy vortex orbit",
    "pulse": "pulse pulsing beat heart heartbeat music dance party rave",
    "drift": "drift drifting float floating calm slow gentle cloud",
}


def _named(words: list[str], table: dict[str, str]) -> str | None:
    """The entry named by the first word that names one."""
    for word in words:
        for name, triggers in table.items():
            if word in triggers.split():
                return name
    return None


def _pick(words: list[str], table: dict[str, str], rng: np.random.Generator) -> str:
    return _named(words, table) or str(rng.choice(sorted(table)))


def _palette(words: list[str], rng: np.random.Generator) -> FloatArray:
    theme = _named(words, THEME_WORDS)
    if theme is None:
        return _harmony(float(rng.random()), rng)
    base = np.array(THEME_COLOURS[theme], dtype=np.float32)
    # A little jitter, so two ocean prompts are two different oceans.
    jittered: FloatArray = np.clip(base + rng.normal(0, 0.04, base.shape), 0, 1)
    return jittered.astype(np.float32)


def _harmony(hue: float, rng: np.random.Generator) -> FloatArray:
    """Four colours around one hue: a dark base, two neighbours and a light accent."""
    spread = float(rng.uniform(0.06, 0.18))
    hsv = [
        (hue, 0.75, 0.22),
        (hue + spread, 0.65, 0.75),
        (hue - spread, 0.55, 0.90),
        (hue + 0.5, 0.35, 1.0),
    ]
    return np.array([_hsv_to_rgb(h % 1.0, s, v) for h, s, v in hsv], dtype=np.float32)


def _hsv_to_rgb(h: float, s: float, v: float) -> tuple[float, float, float]:
    k = np.array([5.0, 3.0, 1.0]) + h * 6.0
    channel = v - v * s * np.clip(np.minimum(k % 6, 4 - k % 6), 0, 1)
    return float(channel[0]), float(channel[1]), float(channel[2])


@dataclass(frozen=True)
class _Scene:
    palette: FloatArray  # 4 x RGB in 0..1: dark base, two mids, light accent
    shape: str  # circles, bars or waves
    motion: str  # drift, spin or pulse
    params: FloatArray  # one row of random numbers per shape
    angle: float
    speed: float


def _scene(prompt: str) -> _Scene:
    rng = np.random.default_rng(_seed(prompt))
    words = _words(prompt)
    count = int(rng.integers(5, 9))
    return _Scene(
        palette=_palette(words, rng),
        shape=_pick(words, SHAPE_WORDS, rng),
        motion=_pick(words, MOTION_WORDS, rng),
        params=rng.random((count, 8)).astype(np.float32),
        angle=float(rng.uniform(0, 2 * math.pi)),
        speed=float(rng.uniform(0.7, 1.3)),
    )


def _smoothstep(x: FloatArray) -> FloatArray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def _ease(x: float) -> float:
    return x * x * (3.0 - 2.0 * x)


class _Painter:
    """Draws a scene at a reduced resolution: its shapes are soft, so swscale's bicubic
    upscaling loses nothing visible and keeps 12 s of 1280x720 to a few seconds."""

    def __init__(self, scene: _Scene, width: int, height: int) -> None:
        self.scene = scene
        self.aspect = width / height
        ys = np.linspace(-1.0, 1.0, height, dtype=np.float32)
        xs = np.linspace(-self.aspect, self.aspect, width, dtype=np.float32)
        self.u, self.v = xs[None, :], ys[:, None]
        self.shade = (1.0 - 0.28 * (self.u**2 / self.aspect**2 + self.v**2) / 2)[..., None]

    def paint(self, t: float) -> FloatArray:
        image = self._background(t)
        draw = {"circles": self._circle, "bars": self._bar, "waves": self._wave}[self.scene.shape]
        for k, row in enumerate(self.scene.params):
            alpha, colour = draw(k, row, t * self.scene.speed)
            image += (colour - image) * alpha[..., None]
        return image * self.shade

    def _background(self, t: float) -> FloatArray:
        angle = self.scene.angle + 0.35 * math.sin(0.25 * t)
        ramp = np.clip(0.5 + 0.4 * (self.u * math.cos(angle) + self.v * math.sin(angle)), 0, 1)
        # The light end breathes slowly, so even a calm scene keeps moving.
        low: FloatArray = self.scene.palette[0]
        high = self.scene.palette[1] * 0.55 + 0.06 * (1 + math.sin(0.5 * t))
        image: FloatArray = (low + (high - low) * ramp[..., None]).astype(np.float32)
        return image

    def _colour(self, k: int, row: FloatArray) -> FloatArray:
        palette = self.scene.palette
        mix = float(row[7])
        colour: FloatArray = palette[1 + k % 3] * (0.75 + 0.25 * mix) + palette[3] * 0.2 * (1 - mix)
        return colour

    def _circle(self, k: int, row: FloatArray, t: float) -> tuple[FloatArray, FloatArray]:
        x, y = (row[0] * 2 - 1) * self.aspect * 0.8, (row[1] * 2 - 1) * 0.8
        radius = 0.18 + 0.35 * float(row[2])
        phase, rate = float(row[3]) * 2 * math.pi, 0.25 + 0.5 * float(row[4])
        if self.scene.motion == "spin":
            turn = rate * t * (1 if k % 2 else -1) * 0.6
            x, y = x * math.cos(turn) - y * math.sin(turn), x * math.sin(turn) + y * math.cos(turn)
        elif self.scene.motion == "pulse":
            radius *= 1 + 0.3 * math.sin(2 * math.pi * (0.3 + 0.5 * float(row[5])) * t + phase)
        x += 0.35 * math.sin(rate * t + phase)
        y += 0.25 * math.cos(rate * 0.8 * t + phase * 1.7)
        dist = np.sqrt((self.u - x) ** 2 + (self.v - y) ** 2)
        alpha = _smoothstep((radius - dist) / (0.5 * radius)) * (0.45 + 0.4 * float(row[6]))
        return alpha, self._colour(k, row)

    def _bar(self, k: int, row: FloatArray, t: float) -> tuple[FloatArray, FloatArray]:
        angle = self.scene.angle + (float(row[0]) - 0.5) * 0.3
        if self.scene.motion == "spin":
            angle += 0.25 * t * (0.5 + float(row[4]))
        width = 0.06 + 0.16 * float(row[2])
        if self.scene.motion == "pulse":
            width *= 1 + 0.45 * math.sin(2 * math.pi * (0.3 + 0.5 * float(row[5])) * t + k)
        reach = math.hypot(self.aspect, 1.0) + width
        offset = (float(row[1]) * 2 * reach + (0.1 + 0.25 * float(row[3])) * t) % (2 * reach)
        across = self.u * math.cos(angle) + self.v * math.sin(angle)
        alpha = _smoothstep((width - np.abs(across - (offset - reach))) / (0.6 * width))
        return alpha * (0.35 + 0.45 * float(row[6])), self._colour(k, row)

    def _wave(self, k: int, row: FloatArray, t: float) -> tuple[FloatArray, FloatArray]:
        count = len(self.scene.params)
        base = -0.7 + 1.6 * (k + 0.5) / count
        amplitude = 0.05 + 0.12 * float(row[2])
        if self.scene.motion == "pulse":
            amplitude *= 1 + 0.5 * math.sin(2 * math.pi * (0.25 + 0.4 * float(row[5])) * t + k)
        tilt = 0.2 * math.sin(0.3 * t + k) if self.scene.motion == "spin" else 0.0
        freq, phase = 1.2 + 2.5 * float(row[0]), (0.4 + 0.8 * float(row[3])) * t
        across = self.u + tilt * self.v
        ripple = np.sin(freq * across + phase + 6.0 * float(row[1]))
        ripple += 0.5 * np.sin(2.3 * freq * across - 0.7 * phase)
        curve = base + tilt * self.u + amplitude * ripple
        alpha = _smoothstep((self.v - curve) / 0.08) * (0.55 + 0.35 * float(row[6]))
        return alpha, self._colour(k, row)


def _grid_size(width: int, height: int) -> tuple[int, int]:
    factor = max(1, round(max(width, height) / 480))
    return max(2, width // factor), max(2, height // factor)


def _procedural_frames(prompt: str, width: int, height: int, total: int) -> Iterator[VideoFrame]:
    painter = _Painter(_scene(prompt), *_grid_size(width, height))
    for index in range(total):
        image = painter.paint(index / FPS)
        # 16 bits per channel into swscale, so the upscaled gradients do not band.
        pixels = (np.clip(image, 0.0, 1.0) * 65535.0).astype(np.uint16)
        frame = VideoFrame.from_ndarray(pixels, format="rgb48le")
        yield frame.reformat(width, height, "yuv420p", interpolation="BICUBIC")


def _cover(path: Path, width: int, height: int) -> Image.Image:
    """The reference image scaled and centre-cropped to cover width x height."""
    try:
        with Image.open(path) as opened:
            opened.draft("RGB", (width, height))
            image = ImageOps.exif_transpose(opened).convert("RGB")
    except (OSError, Image.DecompressionBombError) as error:  # OSError: unreadable, unknown
        raise MediaError(f"The reference image could not be read: {error}") from error
    return ImageOps.fit(image, (width, height), Image.Resampling.LANCZOS)


def _image_frames(base: Image.Image, prompt: str, total: int) -> Iterator[VideoFrame]:
    """A slow Ken Burns zoom and pan over the image with a light colour drift; frame 0 is the
    image itself."""
    rng = np.random.default_rng(_seed(prompt))
    width, height = base.size
    zoom_end = float(rng.uniform(1.1, 1.2))
    pan = rng.uniform(-1, 1, 2)
    tint = rng.uniform(-1, 1, 3) * 0.07
    for index in range(total):
        progress = _ease(index / max(1, total - 1))
        zoom = 1 + (zoom_end - 1) * progress
        crop_w, crop_h = width / zoom, height / zoom
        cx = width / 2 + pan[0] * (width - crop_w) / 2
        cy = height / 2 + pan[1] * (height - crop_h) / 2
        box = (cx - crop_w / 2, cy - crop_h / 2, cx + crop_w / 2, cy + crop_h / 2)
        image = base.resize((width, height), Image.Resampling.BILINEAR, box=box) if index else base
        yield VideoFrame.from_ndarray(np.asarray(_tinted(image, tint * progress)), format="rgb24")


def _tinted(image: Image.Image, gains: np.ndarray[Any, np.dtype[np.float64]]) -> Image.Image:
    if not np.any(gains):
        return image
    ramp = np.arange(256, dtype=np.float64)
    table = np.concatenate([np.clip(ramp * (1 + g), 0, 255) for g in gains]).astype(np.uint8)
    return image.point(table.tolist())


# ---------------------------------------------------------------------------------------------
# Remix


def render_remix(
    *, source: Path, recipe: Recipe, output: Path, on_progress: ProgressCallback
) -> None:
    info = probe(source)
    width, height = info.width - info.width % 2, info.height - info.height % 2
    total = max(1, round(info.duration * FPS))
    with (
        _audio_source(source, info.has_audio) as audio,
        _source_frames(source, recipe.effects, total, width, height, output.parent) as frames,
        _writing(
            output, width, height, total, on_progress, audio.streams.audio[0] if audio else None
        ) as (writer, audio_out),
    ):
        if audio is not None and audio_out is not None:
            _remix_audio(audio, audio_out, writer.container, recipe.effects, info.duration)
        graph = _VideoGraph(recipe, frames.shape, width, height, total)
        for frame in frames:
            for out in graph.process(frame):
                writer.write(out)
        for out in graph.process(None):
            writer.write(out)


def _timeline(effects: tuple[str, ...], total: int) -> list[int]:
    """For each output frame, the index of the source frame (at FPS) it shows."""
    if "slow_motion" in effects:
        order = [i // 2 for i in range(total)]
    elif "speed_up" in effects:
        order = [(2 * i) % total for i in range(total)]
    else:
        order = list(range(total))
    if "reverse" in effects:
        order = [total - 1 - i for i in order]
    return order


def _resampled(path: Path, total: int) -> Generator[VideoFrame, None, None]:
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


class _Shape(NamedTuple):
    width: int
    height: int
    format: str


class _Frames(Protocol):
    """Source frames in the order of a timeline, and the shape the graph receives."""

    shape: _Shape

    def __iter__(self) -> Iterator[VideoFrame]: ...


class _ForwardFrames:
    """Decodes forward, restarting from the beginning when the timeline wraps around."""

    def __init__(self, path: Path, order: list[int], total: int) -> None:
        self.path, self.order, self.total = path, order, total
        with av.open(str(path)) as container:
            codec = container.streams.video[0].codec_context
            if codec.format is None:
                raise MediaError("The source video's picture format is unknown.")
            self.shape = _Shape(codec.width, codec.height, codec.format.name)

    def __iter__(self) -> Iterator[VideoFrame]:
        reader, position = _resampled(self.path, self.total), -1
        for wanted in self.order:
            if wanted < position:
                reader.close()
                reader, position = _resampled(self.path, self.total), -1
            while position < wanted:
                current, position = next(reader), position + 1
            yield current  # repeated frames (slow motion) are the same decoded frame
        reader.close()


class _SpooledFrames:
    """Frames written once to a raw yuv420p file so a timeline can read them in any order
    with one frame in memory at a time (a reversed 12 s 1792x1024 clip held in a list would
    take about 1 GB)."""

    def __init__(
        self, path: Path, order: list[int], total: int, width: int, height: int, spool: Path
    ) -> None:
        self.order, self.spool = order, spool
        self.shape = _Shape(width, height, "yuv420p")
        with spool.open("wb") as out:
            for frame in _resampled(path, total):
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
def _source_frames(
    path: Path, effects: tuple[str, ...], total: int, width: int, height: int, workdir: Path
) -> Iterator[_Frames]:
    """Forward decoding unless the timeline runs backwards: then a spool on disk, next to
    the output (the caller's storage has room for videos; /tmp may be a small tmpfs)."""
    order = _timeline(effects, total)
    if "reverse" not in effects:
        yield _ForwardFrames(path, order, total)
        return
    handle, name = tempfile.mkstemp(prefix=".remix-", suffix=".yuv", dir=workdir)
    os.close(handle)
    try:
        yield _SpooledFrames(path, order, total, width, height, Path(name))
    finally:
        with suppress(FileNotFoundError):
            os.unlink(name)


def _caption_overlay(text: str, width: int, height: int) -> tuple[Image.Image, int, int]:
    """The caption drawn once on a transparent box, and where the box goes (bottom centre).
    Pillow only draws the characters: nothing in the text is interpreted."""
    size = max(12, round(height / 14))
    font, lines = _fit_caption(text, size, int(width * 0.86))
    box = _caption_box("\n".join(lines), font, stroke=max(1, size // 16), pad=max(4, size // 2))
    box = box.crop((0, 0, min(box.width, width), min(box.height, height)))
    x = _even((width - box.width) // 2)
    y = _even(max(0, height - box.height - round(height * 0.06)))
    return box, x, y


def _caption_box(text: str, font: Any, stroke: int, pad: int) -> Image.Image:
    """White outlined text on a translucent rounded box, sized to even dimensions (yuv420p)."""
    measure = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    left, top, right, bottom = measure.multiline_textbbox(
        (0, 0), text, font=font, align="center", stroke_width=stroke
    )
    size = (_even(math.ceil(right - left) + 2 * pad), _even(math.ceil(bottom - top) + 2 * pad))
    box = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(box)
    draw.rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius=pad, fill=(0, 0, 0, 140))
    draw.multiline_text(
        (pad - left, pad - top),
        text,
        font=font,
        align="center",
        fill=(255, 255, 255, 255),
        stroke_width=stroke,
        stroke_fill=(0, 0, 0, 220),
    )
    return box


def _even(value: int) -> int:
    return value + value % 2


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_PATHS:
        if os.path.exists(path):
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def _fit_caption(text: str, size: int, max_width: int) -> tuple[Any, list[str]]:
    """A font size and word wrap that fit the caption in at most three lines."""
    while True:
        font = _font(size)
        lines = _wrap(text, font, max_width)
        if (
            len(lines) <= 3 and all(font.getlength(line) <= max_width for line in lines)
        ) or size <= 8:
            return font, lines
        size = max(8, int(size * 0.85))


def _wrap(text: str, font: Any, max_width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [text]


class _Filters:
    """A libavfilter graph built node by node, as the ffmpeg CLI would build it from text."""

    def __init__(self) -> None:
        self.graph = Graph()
        self.graph.threads = 0  # slice threads, as many as cores, like the CLI's filter_threads

    def _node(self, name: str, args: str, *inputs: tuple[FilterContext, int]) -> FilterContext:
        node = self.graph.add(name, args or None)
        for index, (upstream, output) in enumerate(inputs):
            upstream.link_to(node, output, index)
        return node

    def _chain(self, tail: FilterContext, name: str, args: str = "") -> FilterContext:
        return self._node(name, args, (tail, 0))

    def _steps(self, tail: FilterContext, steps: list[tuple[str, str]]) -> FilterContext:
        for name, args in steps:
            tail = self._chain(tail, name, args)
        return tail

    @staticmethod
    def _drain(sink: FilterContext) -> Iterator[Frame]:
        while True:
            try:
                yield sink.pull()
            except (BlockingIOError, EOFError):  # wants more input, or is finished
                return


class _VideoGraph(_Filters):
    """The recipe's geometry and colour effects, then its caption, in one graph."""

    def __init__(self, recipe: Recipe, shape: _Shape, width: int, height: int, total: int) -> None:
        super().__init__()
        self.source = self.graph.add_buffer(
            width=shape.width,
            height=shape.height,
            format=VideoFormat(shape.format),
            time_base=TIME_BASE,
        )
        tail = self.source
        for name in recipe.effects:
            tail = self._effect(tail, name, width, height, total)
        if (shape.width, shape.height) != (width, height):
            tail = self._chain(tail, "scale", f"{width}:{height}")
        caption = self._caption(tail, recipe.caption, width, height) if recipe.caption else None
        self.sink = self._chain(caption[0] if caption else tail, "format", "yuv420p")
        self.sink = self._chain(self.sink, "buffersink")
        self.graph.configure()
        if caption:
            # One frame, then its end: overlay's eof_action=repeat keeps it on every frame.
            caption[1].push(caption[2])
            caption[1].push(None)
        self.pushed = 0

    def _effect(
        self, tail: FilterContext, name: str, width: int, height: int, total: int
    ) -> FilterContext:
        if name == "neon":
            return self._neon(tail, height)
        filters: dict[str, tuple[str, str]] = {
            "mirror": ("hflip", ""),
            "zoom_in": ("zoompan", _zoom_args(width, height, total)),
            "black_and_white": ("hue", "s=0"),
            "sepia": ("colorchannelmixer", SEPIA),
            "invert": ("negate", ""),
            "blur": ("gblur", f"sigma={max(2.0, height / 120):.1f}"),
            "vignette": ("vignette", "angle=PI/4"),
        }
        if name not in filters:  # time effects live in the timeline
            return tail
        return self._chain(tail, *filters[name])

    def _neon(self, tail: FilterContext, height: int) -> FilterContext:
        """Glowing lines where the picture has edges, over a darkened copy of it.

        Sobel's gradient rather than edgedetect's Canny lines: on soft footage Canny breaks
        into speckles, where the gradient draws continuous tubes. The lines take the
        picture's own colours, saturated; a wide blur of them is the halo.
        """
        split = self._chain(tail, "split", "3")
        lines = self._steps(
            self._node("format", "gray", (split, 1)),
            [
                ("gblur", "sigma=1.5"),
                ("sobel", "scale=6"),
                ("lut", "c0=clip((val-28)*1.4,0,255)"),  # drop the faint gradients of banding
                ("format", "gbrp"),
            ],
        )
        vivid = self._steps(
            self._node("hue", "s=2.5", (split, 2)),
            [("format", "gbrp"), ("colorlevels", "rimax=0.6:gimax=0.6:bimax=0.6")],
        )
        tubes = self._chain(
            self._node("blend", "all_mode=multiply", (lines, 0), (vivid, 0)), "split"
        )
        halo = self._steps(
            self._node("gblur", f"sigma={max(3.0, height / 72):.1f}", (tubes, 1)),
            [("colorlevels", "rimax=0.5:gimax=0.5:bimax=0.5")],
        )
        dim = self._steps(
            self._node("format", "gbrp", (split, 0)), [("colorchannelmixer", "rr=.3:gg=.3:bb=.3")]
        )
        lit = self._node("blend", "all_mode=addition", (dim, 0), (halo, 0))
        return self._node("blend", "all_mode=screen", (lit, 0), (tubes, 0))

    def _caption(
        self, tail: FilterContext, text: str, width: int, height: int
    ) -> tuple[FilterContext, FilterContext, VideoFrame]:
        """The overlay, its second source and the caption frame to push into it."""
        box, x, y = _caption_overlay(text, width, height)
        source = self.graph.add_buffer(
            width=box.width, height=box.height, format=VideoFormat("rgba"), time_base=TIME_BASE
        )
        frame = VideoFrame.from_bytes(box.tobytes(), box.width, box.height, "rgba")
        frame.pts = 0
        overlay = self._node(
            "overlay", f"x={x}:y={y}:format=yuv420:eof_action=repeat", (tail, 0), (source, 0)
        )
        return overlay, source, frame

    def process(self, frame: VideoFrame | None) -> Iterator[VideoFrame]:
        """Push a frame (None at the end) and take what comes out."""
        if frame is not None:
            frame.pts, frame.time_base = self.pushed, TIME_BASE
            self.pushed += 1
        self.source.push(frame)
        for out in self._drain(self.sink):
            yield cast(VideoFrame, out)


def _zoom_args(width: int, height: int, total: int) -> str:
    # zoompan with d=1 is a per-frame centred crop scaled back up: a steady push in towards
    # ZOOM_END over the whole clip. (crop's own size cannot change from frame to frame.)
    step = (ZOOM_END - 1) / max(1, total - 1)
    return (
        f"z='1+{step:.8f}*on':d=1:x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2'"
        f":s={width}x{height}:fps={FPS}"
    )


# ---------------------------------------------------------------------------------------------
# Audio


@contextmanager
def _audio_source(path: Path, has_audio: bool) -> Iterator[InputContainer | None]:
    if not has_audio:
        yield None
        return
    with av.open(str(path)) as container:
        yield container


def _audio_stream(container: OutputContainer, template: AudioStream) -> AudioStream:
    codec = template.codec_context
    stream = container.add_stream("aac", rate=codec.sample_rate or 48000)
    stream.layout = _layout(template)
    stream.bit_rate = 128_000
    return stream


def _layout(stream: AudioStream) -> str:
    # Mono stays mono; anything else (surround, or channels without a named layout, which
    # the AAC encoder refuses) is mixed to stereo.
    return "mono" if stream.codec_context.channels == 1 else "stereo"


def _remix_audio(
    source: InputContainer,
    out: AudioStream,
    container: OutputContainer,
    effects: tuple[str, ...],
    duration: float,
) -> None:
    """The source's sound following the picture: reversed, half or double speed (looped to
    fill the duration like the picture), trimmed to the same duration. Sound is small enough
    for areverse's in-memory buffer (12 s of 48 kHz stereo is 4.6 MB)."""
    graph = _AudioGraph(source.streams.audio[0], effects, duration)
    for frame in _sound(source, loops=2 if "speed_up" in effects else 1):
        for filtered in graph.process(frame):
            container.mux(out.encode(filtered))
        if graph.finished:
            break
    for filtered in graph.process(None):
        container.mux(out.encode(filtered))
    container.mux(out.encode(None))


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


class _AudioGraph(_Filters):
    def __init__(self, stream: AudioStream, effects: tuple[str, ...], duration: float) -> None:
        super().__init__()
        codec = stream.codec_context
        self.source = self.graph.add_abuffer(
            sample_rate=codec.sample_rate,
            format=codec.format.name,
            layout=codec.layout.name,
            time_base=Fraction(1, codec.sample_rate),
        )
        steps = _audio_filters(effects, duration, codec.sample_rate, _layout(stream))
        self.sink = self._chain(self._steps(self.source, steps), "abuffersink")
        self.graph.configure()
        self.finished = False

    def process(self, frame: AudioFrame | None) -> Iterator[AudioFrame]:
        if not self.finished:
            try:
                self.source.push(frame)
            except EOFError:  # the trim has all it wants: the rest of the sound is not needed
                self.finished = True
        for out in self._drain(self.sink):
            yield cast(AudioFrame, out)


def _audio_filters(
    effects: tuple[str, ...], duration: float, rate: int, layout: str
) -> list[tuple[str, str]]:
    steps: list[tuple[str, str]] = []
    if "reverse" in effects:
        steps.append(("areverse", ""))
    if "slow_motion" in effects:
        steps += [("atrim", f"end={duration / 2:.6f}"), ("asetpts", "N/SR/TB"), ("atempo", "0.5")]
    elif "speed_up" in effects:
        steps.append(("atempo", "2.0"))
    return steps + [
        ("atrim", f"end={duration:.6f}"),
        ("asetpts", "N/SR/TB"),
        ("aformat", f"sample_fmts=fltp:sample_rates={rate}:channel_layouts={layout}"),
    ]


class LocalProvider:
    """The provider interface over this engine: a job renders in one go, in the worker."""

    def create(self, job: Job, on_progress: ProgressCallback) -> Submission:
        render_create(
            prompt=job.prompt,
            size=job.size,
            seconds=job.seconds,
            output=job.workdir / OUTPUT,
            reference_image=job.reference_image,
            on_progress=on_progress,
        )
        return Submission(provider_video_id=job.video_id, status="completed", progress=100)

    def remix(self, job: Job, on_progress: ProgressCallback) -> Submission:
        if job.source_video is None or job.recipe is None:
            raise ProviderError("source_missing", "The source video is not available.")
        render_remix(
            source=job.source_video,
            recipe=Recipe.from_json(job.recipe),
            output=job.workdir / OUTPUT,
            on_progress=on_progress,
        )
        return Submission(provider_video_id=job.video_id, status="completed", progress=100)

    def status(self, provider_video_id: str) -> Submission:
        # Renders finish inside create or remix; there is never a job left to ask about.
        return Submission(provider_video_id=provider_video_id, status="completed", progress=100)

    def fetch_assets(
        self, provider_video_id: str, workdir: Path, on_progress: ProgressCallback | None = None
    ) -> Assets:
        return Assets(video=workdir / OUTPUT)

    def delete(self, provider_video_id: str) -> bool | None:
        """Nothing to do: the engine keeps no copies of its own."""
        return True

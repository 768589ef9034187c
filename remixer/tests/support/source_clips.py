"""The clip the engine's render tests start from, and how they read frames back: a source
whose every frame is told apart by where a black bar stands, its tone, decoding and a
frame-to-frame difference."""

import math
from pathlib import Path

import av
import numpy as np

from remixer.engine import FPS, render_remix
from remixer.models.recipes import parse_recipe

WIDTH, HEIGHT, SECONDS = 256, 144, 2
FRAMES = SECONDS * FPS
BAR_ROWS = slice(HEIGHT - 24, HEIGHT - 12)


def ignore_progress(done: int, total: int) -> None:
    pass


def source_pixels(index: int, width: int = WIDTH, height: int = HEIGHT) -> np.ndarray:
    """Red ramps left to right and green top to bottom; a white square near the top left
    makes it asymmetric with sharp edges, and a black bar near the bottom moves 4 px a frame
    to tell the frames apart (moving edges survive the encoder where a level change may not)."""
    pixels = np.empty((height, width, 3), dtype=np.uint8)
    pixels[..., 0] = np.linspace(0, 255, width, dtype=np.float32)[None, :]
    pixels[..., 1] = np.linspace(0, 255, height, dtype=np.float32)[:, None]
    pixels[..., 2] = 90
    pixels[16:56, 24:64] = 255
    pixels[BAR_ROWS, 8 + 4 * index : 12 + 4 * index] = 0
    return pixels


def write_source(path: Path, frames: int = FRAMES, rate: int = FPS, audio: bool = False) -> Path:
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=rate, options={"crf": "10"})
        video.width, video.height, video.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        sound = container.add_stream("aac", rate=48000) if audio else None
        for index in range(frames):
            frame = av.VideoFrame.from_ndarray(source_pixels(index), format="rgb24")
            frame.pts = index
            container.mux(video.encode(frame))
        container.mux(video.encode(None))
        if sound is not None:
            write_tone(container, sound, frames / rate)
    return path


def write_clip(path: Path, codec: str, width: int, height: int, frames: int, rate: int) -> Path:
    """A clip of any size and codec, quick to make: grey frames, each a shade lighter."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=rate)
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuvj420p" if codec == "mjpeg" else "yuv420p"
        if codec == "libx264":
            stream.options = {"preset": "ultrafast"}
        for index in range(frames):
            pixels = np.full((height, width, 3), index * 3 % 256, dtype=np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")))
        container.mux(stream.encode())
    return path


def write_tone(container, stream, seconds: float) -> None:
    """A 440 Hz tone getting louder, so reversing it shows."""
    samples = int(48000 * seconds)
    for start in range(0, samples, 1024):
        t = np.arange(start, min(samples, start + 1024)) / 48000
        wave = (0.1 + 0.8 * t / seconds) * np.sin(2 * math.pi * 440 * t)
        frame = av.AudioFrame.from_ndarray(
            np.stack([wave, wave]).astype(np.float32), format="fltp", layout="stereo"
        )
        frame.sample_rate, frame.pts = 48000, start
        container.mux(stream.encode(frame))
    container.mux(stream.encode(None))


def decode(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())


def remix(source: Path, prompt: str, output: Path) -> list[np.ndarray]:
    render_remix(
        source=source, recipe=parse_recipe(prompt), output=output, on_progress=ignore_progress
    )
    return decode(output)

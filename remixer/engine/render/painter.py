"""Create's painter: a procedural animation chosen by the prompt's words, or a slow Ken Burns
move over a reference image. Frames are made one at a time, so memory does not grow with length.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from av.video.frame import VideoFrame

from remixer.engine.base.deferred import Image, ImageOps, np
from remixer.engine.base.encoding import FPS, ProgressCallback, parse_size, writing
from remixer.lib.media import MediaError

if TYPE_CHECKING:
    FloatArray = np.ndarray[Any, np.dtype[np.floating[Any]]]


def render_create(
    *,
    prompt: str,
    size: str,
    seconds: int,
    output: Path,
    reference_image: Path | None,
    on_progress: ProgressCallback,
    variation: int = 0,
) -> None:
    """`variation` (1, 2, …) draws another take of the same prompt; 0 is the prompt's own."""
    width, height = parse_size(size)
    total = seconds * FPS
    seed = _seed(prompt, variation)
    if reference_image is not None:
        frames = _image_frames(_cover(reference_image, width, height), seed, total)
    else:
        frames = _procedural_frames(prompt, seed, width, height, total)
    with writing(output, width, height, total, on_progress) as (writer, _):
        for frame in frames:
            writer.write(frame)


def _seed(prompt: str, variation: int = 0) -> int:
    words = " ".join(_words(prompt)) or prompt
    if variation:
        words = f"{words}\x00{variation}"
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
    found = _naming(words, table)
    return found[0] if found else None


def _naming(words: list[str], table: dict[str, str]) -> tuple[str, str] | None:
    """The entry named by the first word that names one, and that word."""
    for word in words:
        for name, triggers in table.items():
            if word in triggers.split():
                return name, word
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


def _scene(prompt: str, seed: int) -> _Scene:
    rng = np.random.default_rng(seed)
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


def _procedural_frames(
    prompt: str, seed: int, width: int, height: int, total: int
) -> Iterator[VideoFrame]:
    painter = _Painter(_scene(prompt, seed), *_grid_size(width, height))
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


def _image_frames(base: Image.Image, seed: int, total: int) -> Iterator[VideoFrame]:
    """A slow Ken Burns zoom and pan over the image with a light colour drift; frame 0 is the
    image itself."""
    rng = np.random.default_rng(seed)
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


# Reading a prompt as the painter will: what it draws, told before it is drawn.

THEME_LABELS = {
    "ocean": "ocean blues",
    "sunset": "warm sunset colours",
    "forest": "forest greens",
    "neon": "neon brights",
    "night": "night-sky blues",
    "fire": "fire reds and oranges",
    "snow": "snowy whites and blues",
    "desert": "desert sands",
    "candy": "candy pastels",
}
SHAPE_LABELS = {"circles": "soft circles", "bars": "sweeping bars", "waves": "rolling waves"}
MOTION_LABELS = {"drift": "a slow drift", "spin": "a slow spin", "pulse": "a pulse"}
# Words that name nothing and say nothing either: never listed as unused.
FILLER = (
    "a an and the of in on at to with by for from into over under through is are it its this "
    "that my some very"
)


@dataclass(frozen=True)
class Drawing:
    """What the painter draws for a prompt (without a reference image), and the words it
    does not use."""

    lines: tuple[str, ...]
    unused: tuple[str, ...]

    def notes(self) -> list[str]:
        return ["Not used: " + ", ".join(f'"{w}"' for w in self.unused)] if self.unused else []


def drawing(prompt: str) -> Drawing:
    words = _words(prompt)
    scene = _scene(prompt, _seed(prompt))
    theme, shape, motion = (
        _naming(words, table) for table in (THEME_WORDS, SHAPE_WORDS, MOTION_WORDS)
    )
    colours = (
        f'Colours: {THEME_LABELS[theme[0]]} (from "{theme[1]}")'
        if theme
        else "Colours: around one hue, picked by chance (no colour word)"
    )
    lines = (
        colours,
        _told("Shapes", SHAPE_LABELS[scene.shape], shape),
        _told("Motion", MOTION_LABELS[scene.motion], motion),
    )
    used = {found[1] for found in (theme, shape, motion) if found} | set(FILLER.split())
    return Drawing(lines, tuple(dict.fromkeys(word for word in words if word not in used)))


def _told(what: str, label: str, found: tuple[str, str] | None) -> str:
    return f'{what}: {label} (from "{found[1]}")' if found else f"{what}: {label}, picked by chance"

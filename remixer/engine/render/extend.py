"""An extension's new part that follows the prompt's words: the source's last frame, moving as
the prompt says (zooming in or out, else a slow push-in), its colour, light and texture steps
growing from nothing at the first frame to full at the last; the source's sound carried on
(render.join) with the prompt's sound steps growing the same way, or else dying away.

Each frame is the moved picture and the same picture through the recipe's steps, mixed by
time: the first frame is the source's last untouched, the last has every step in full. The
sound is mixed from its plain and its stepped self the same way.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from av.audio.frame import AudioFrame
from av.video.frame import VideoFrame

from remixer.engine.base.deferred import Image, ImageOps, np
from remixer.engine.base.encoding import FPS, ProgressCallback, parse_size, writing
from remixer.engine.effects.recipe import Recipe, Step
from remixer.engine.effects.sound import SoundTrack
from remixer.engine.effects.spec import COLOUR, SOUND, TEXTURE
from remixer.engine.render.audio import SoundSteps
from remixer.engine.render.frames import Shape
from remixer.engine.render.join import SoundShaper, last_video_frame
from remixer.engine.render.remix import VideoGraph
from remixer.engine.render.still import refit_still

# The geometry steps that move the camera over the segment, and the other steps it follows.
MOTION = ("zoom", "push_in")
RAMPED = ("letterbox", "pillarbox", "fade_out")
# At the seam the segment is the source going on: nothing fades in there.
NOT_AT_THE_SEAM = ("fade_in", "sound_fade_in")
DEFAULT_PUSH = 1.15  # where a slow push-in ends when the prompt names no zoom

FOLLOWED_WORDS = (
    "An extension follows colour, light and texture words (bluer, darker, warmer, old film), "
    "which grow from nothing at the last frame to full at the end, as well as zoom in or out, "
    "letterbox, fade out and a caption in quotes. The source's sound carries on and dies away, "
    "unless you write sound words such as louder, echo, muffled or no sound."
)


def extension_recipe(recipe: Recipe) -> Recipe:
    """What an extension follows of the recipe a prompt reads as; the rest is named in a
    remark, and so is the motion it takes when the prompt names none."""
    kept = tuple(step for step in recipe.steps if _follows(step))
    left = [step.describe() for step in recipe.steps if not _follows(step)]
    remarks = list(recipe.remarks)
    if left:
        remarks.append(f"An extension leaves out: {'; '.join(left)}.")
    if not any(step.name in MOTION for step in kept):
        remarks.append("With no zoom word, the picture pushes in slowly.")
    return replace(recipe, steps=kept, remarks=tuple(remarks))


def _follows(step: Step) -> bool:
    if step.name in NOT_AT_THE_SEAM:
        return False
    return step.kind in (COLOUR, TEXTURE, SOUND) or step.name in (*MOTION, *RAMPED)


def follows_any(recipe: Recipe) -> bool:
    """Whether an extension recipe asks for anything (else the segment is made as before)."""
    return bool(recipe.steps) or recipe.caption is not None or not recipe.sound


def end_state(recipe: Recipe) -> Recipe:
    """The recipe as the segment's last frame shows it: a push-in as the zoom it ends at."""
    steps = (
        Step("zoom", {"factor": _zoom(recipe)}) if s.name == "push_in" else s for s in recipe.steps
    )
    return replace(recipe, steps=tuple(steps))


def _zoom(recipe: Recipe) -> float:
    """How far in (above 1) or out (below 1) the camera ends."""
    for step in recipe.steps:
        if step.name in MOTION:
            factor = step.params["factor"]
            assert isinstance(factor, int | float)
            return float(factor)
    return DEFAULT_PUSH


def _ramped(recipe: Recipe) -> Recipe:
    """The picture's steps mixed in by time: all but the motion, which moves the picture
    itself, and the sound's."""
    steps = (s for s in recipe.steps if s.name not in MOTION and s.kind != SOUND)
    return replace(recipe, steps=tuple(steps))


def render_extension(
    *,
    first: Path,
    recipe: Recipe,
    size: str,
    seconds: int,
    output: Path,
    on_progress: ProgressCallback,
) -> None:
    """The segment: `first` (the source's last frame as an image) moved and ramped toward
    `recipe` (an extension recipe) over `seconds`; a picture without sound."""
    width, height = parse_size(size)
    total = max(1, seconds * FPS)
    with Image.open(first) as opened:
        base = opened.convert("RGB")
    if base.size != (width, height):
        base = ImageOps.fit(base, (width, height), Image.Resampling.LANCZOS)
    moved = _moved(base, _zoom(recipe), total)
    ramp = _ramped(recipe)
    frames = _ramp_frames(moved, ramp, width, height, total) if _draws(ramp) else moved
    with writing(output, width, height, total, on_progress) as (writer, _):
        for frame in frames:
            writer.write(frame)


def _draws(recipe: Recipe) -> bool:
    return bool(recipe.steps) or recipe.caption is not None


def _moved(base: Image.Image, zoom: float, total: int) -> Iterator[VideoFrame]:
    """The picture zooming from 1 to `zoom`, eased; out of the frame is black (as a remix's
    zoom out). Frame 0 is the picture itself."""
    width, height = base.size
    black = Image.new("RGB", base.size)
    for index in range(total):
        scale = zoom ** _ease(index / max(1, total - 1))
        if index == 0 or abs(scale - 1) < 1e-4:
            image = base
        elif scale > 1:
            crop_w, crop_h = width / scale, height / scale
            box = (
                (width - crop_w) / 2,
                (height - crop_h) / 2,
                (width + crop_w) / 2,
                (height + crop_h) / 2,
            )
            image = base.resize(base.size, Image.Resampling.BILINEAR, box=box)
        else:
            small = base.resize(
                (max(2, round(width * scale)), max(2, round(height * scale))),
                Image.Resampling.BILINEAR,
            )
            image = black.copy()
            image.paste(small, ((width - small.width) // 2, (height - small.height) // 2))
        rgb = VideoFrame.from_ndarray(np.asarray(image), format="rgb24")
        yield rgb.reformat(format="yuv420p")


def _ease(x: float) -> float:
    return x * x * (3.0 - 2.0 * x)


def _ramp_frames(
    frames: Iterator[VideoFrame], recipe: Recipe, width: int, height: int, total: int
) -> Iterator[VideoFrame]:
    """Each frame mixed with itself through the recipe's graph, by how far in time it is.
    A graph may hold frames back (blend does): each output meets its own input again."""
    graph = VideoGraph(recipe, Shape(width, height, "yuv420p"), width, height, total)
    waiting: deque[Any] = deque()
    weights = (index / max(1, total - 1) for index in range(total))

    def taken(pushed: VideoFrame | None) -> Iterator[VideoFrame]:
        for full in graph.process(pushed):
            yield _mix(waiting.popleft(), full.to_ndarray(), next(weights, 1.0))

    for frame in frames:
        waiting.append(frame.to_ndarray())
        yield from taken(frame)
    yield from taken(None)


def _mix(plain: Any, full: Any, weight: float) -> VideoFrame:
    """The two pictures' planes (yuv420p, same shape) mixed: `weight` 0 is `plain` itself."""
    if weight <= 0:
        mixed = plain
    else:
        mixed = plain + (full.astype(np.float32) - plain) * weight
        mixed = np.rint(mixed).astype(np.uint8)
    return VideoFrame.from_ndarray(mixed, format="yuv420p")


def keep_last_still(video: Path, still: Path) -> None:
    """The video's last frame kept as a still preview keeps its first (render.still)."""
    frame = last_video_frame(video)
    width, height = frame.width - frame.width % 2, frame.height - frame.height % 2
    raw = still.with_name(still.name + ".raw.npy")
    try:
        np.save(raw, frame.reformat(max(2, width), max(2, height), "yuv420p").to_ndarray())
        refit_still(raw, still)
    finally:
        raw.unlink(missing_ok=True)


def sound_shaper(recipe: Recipe | None) -> SoundShaper | None:
    """How the segment carries the source's sound on (None: it is silent): toward the
    recipe's sound steps, or dying away when it has none (or when no recipe is followed)."""
    if recipe is not None and not recipe.sound:
        return None
    if recipe is None or not any(step.kind == SOUND for step in recipe.steps):
        return die_away
    return partial(_sound_ramp, recipe)


def die_away(sound: Any, rate: int, layout: str) -> Any:
    return sound * np.linspace(1.0, 0.0, sound.shape[1], dtype=np.float32)


def _sound_ramp(recipe: Recipe, sound: Any, rate: int, layout: str) -> Any:
    """The plain sound mixed into the sound through the recipe's sound steps, by time."""
    count = sound.shape[1]
    steps = SoundSteps(recipe, SoundTrack(count / rate, rate), layout)
    frame = AudioFrame.from_ndarray(np.ascontiguousarray(sound), format="fltp", layout=layout)
    frame.sample_rate, frame.pts = rate, 0
    parts = [out.to_ndarray() for out in [*steps.process(frame), *steps.process(None)]]
    stepped = np.zeros_like(sound)
    if parts:
        joined = np.concatenate(parts, axis=1)[:, :count]
        stepped[:, : joined.shape[1]] = joined
    return sound + (stepped - sound) * np.linspace(0.0, 1.0, count, dtype=np.float32)

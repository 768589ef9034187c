"""A still preview: one frame of the source through the same filter graph a render builds."""

from __future__ import annotations

import io
from pathlib import Path

import av
from av.video.frame import VideoFrame

from remixer.engine.base.deferred import Image, np
from remixer.engine.base.encoding import FPS
from remixer.engine.effects.recipe import Recipe
from remixer.engine.render.frames import Shape
from remixer.engine.render.remix import VideoGraph

STILL_SECONDS = 4  # where in a clip of this length the still stands (fades are finished)
STILL_MAX_SIDE = 1280  # a still is kept, and previewed, at most this long on its long side


def keep_still(video: Path, still: Path) -> None:
    """Keeps the source's first frame, at most STILL_MAX_SIDE on its long side, as the planes
    a render's graph receives (yuv420p in a .npy file), so a preview neither seeks nor decodes
    an image, and costs the same whatever the source. Only the first frame is decoded."""
    with av.open(str(video)) as container:
        _save(_fitted(next(container.decode(video=0))), still)


def fits(still: Path) -> bool:
    """Whether a kept still is within STILL_MAX_SIDE (from its header: nothing else is read)."""
    rows, width = np.load(still, mmap_mode="r").shape
    return bool(max(width, rows * 2 // 3) <= STILL_MAX_SIDE)


def refit_still(still: Path, into: Path) -> None:
    """A still kept larger (before stills were bounded) is written fitted into `into`."""
    _save(_fitted(_load(still)), into)


def _load(still: Path) -> VideoFrame:
    return VideoFrame.from_ndarray(np.load(still), format="yuv420p")


def _fitted(frame: VideoFrame) -> VideoFrame:
    """The frame within STILL_MAX_SIDE on its long side, in even sizes, as yuv420p."""
    scale = min(1.0, STILL_MAX_SIDE / max(frame.width, frame.height))
    if scale == 1.0:
        width, height = frame.width - frame.width % 2, frame.height - frame.height % 2
        return frame.reformat(width, height, "yuv420p")
    width, height = (max(2, round(side * scale / 2) * 2) for side in (frame.width, frame.height))
    return frame.reformat(width, height, "yuv420p", interpolation="AREA")


def _save(frame: VideoFrame, still: Path) -> None:
    tmp = still.with_name(still.name + ".tmp")
    with tmp.open("wb") as out:
        np.save(out, frame.to_ndarray())
    tmp.replace(still)


def render_still(still: Path, recipe: Recipe, quality: int = 85) -> bytes:
    """The kept frame, within STILL_MAX_SIDE, with the recipe's picture steps and caption,
    as a JPEG of the remix's own shape (a vertical remix's still is vertical)."""
    frame = _fitted(_load(still))  # scaled first: a still kept large costs no more
    width, height, total = frame.width, frame.height, STILL_SECONDS * FPS
    graph = VideoGraph(recipe, Shape(width, height, "yuv420p"), width, height, total, timed=False)
    graph.pushed = total // 2  # mid-clip: fades neither begun nor ended
    shown = next(iter(graph.process(frame)), None)
    if shown is None:  # filters that hold a frame back (blend) give it up at the end
        shown = next(iter(graph.process(None)))
    shown = _fitted(shown)  # a reshape may make the long side longer than the frame's
    out = io.BytesIO()
    Image.fromarray(shown.to_ndarray(format="rgb24")).save(out, format="JPEG", quality=quality)
    return out.getvalue()

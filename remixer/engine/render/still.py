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


def keep_still(video: Path, still: Path) -> None:
    """Keeps the source's first frame at full size, as the planes a render's graph receives
    (yuv420p in a .npy file), so a preview neither seeks nor decodes an image."""
    with av.open(str(video)) as container:
        frame = next(container.decode(video=0))
        width, height = frame.width - frame.width % 2, frame.height - frame.height % 2
        planes = frame.reformat(width, height, "yuv420p").to_ndarray()
    tmp = still.with_name(still.name + ".tmp")
    with tmp.open("wb") as out:
        np.save(out, planes)
    tmp.replace(still)


def render_still(still: Path, recipe: Recipe, quality: int = 85) -> bytes:
    """The kept frame with the recipe's picture steps and caption, as a JPEG."""
    planes = np.load(still)
    frame = VideoFrame.from_ndarray(planes, format="yuv420p")
    width, height, total = frame.width, frame.height, STILL_SECONDS * FPS
    graph = VideoGraph(recipe, Shape(width, height, "yuv420p"), width, height, total)
    graph.pushed = total // 2  # mid-clip: fades neither begun nor ended
    shown = next(iter(graph.process(frame)), None)
    if shown is None:  # filters that hold a frame back (blend) give it up at the end
        shown = next(iter(graph.process(None)))
    out = io.BytesIO()
    Image.fromarray(shown.to_ndarray(format="rgb24")).save(out, format="JPEG", quality=quality)
    return out.getvalue()

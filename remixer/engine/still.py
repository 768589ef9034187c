"""A still preview: one frame of the source through the same filter graph a render builds."""

from __future__ import annotations

import io
from pathlib import Path

import av
from av.video.frame import VideoFrame

from remixer.engine.deferred import Image, np
from remixer.engine.encoding import FPS
from remixer.engine.frames import Shape
from remixer.engine.recipe import Recipe
from remixer.engine.remix import VideoGraph

STILL_SECONDS = 4  # where in a clip of this length the still stands (fades are finished)


def keep_still(video: Path, still: Path) -> None:
    """Keeps the source's first frame at full size as a PNG, so a preview never seeks."""
    with av.open(str(video)) as container:
        frame = next(container.decode(video=0))
        image = Image.fromarray(frame.to_ndarray(format="rgb24"))
    tmp = still.with_suffix(".tmp")
    image.save(tmp, format="PNG", compress_level=1)
    tmp.replace(still)


def render_still(still: Path, recipe: Recipe, quality: int = 85) -> bytes:
    """The kept frame with the recipe's picture steps and caption, as a JPEG."""
    with Image.open(still) as opened:
        pixels = np.asarray(opened.convert("RGB"))
    height, width = pixels.shape[0] - pixels.shape[0] % 2, pixels.shape[1] - pixels.shape[1] % 2
    frame = VideoFrame.from_ndarray(pixels, format="rgb24").reformat(width, height, "yuv420p")
    total = STILL_SECONDS * FPS
    graph = VideoGraph(recipe, Shape(width, height, "yuv420p"), width, height, total)
    graph.pushed = total // 2  # mid-clip: fades neither begun nor ended
    shown = next(iter(graph.process(frame)), None)
    if shown is None:  # filters that hold a frame back (blend) give it up at the end
        shown = next(iter(graph.process(None)))
    out = io.BytesIO()
    Image.fromarray(shown.to_ndarray(format="rgb24")).save(out, format="JPEG", quality=quality)
    return out.getvalue()

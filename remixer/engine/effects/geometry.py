"""Geometry steps. Each keeps the canvas (what no longer fills it gets black bars), except
a reshape, which makes a new one: a vertical, landscape or square frame."""

from __future__ import annotations

from remixer.engine.base.encoding import FPS, MAX_SIDE, even
from remixer.engine.base.graph import Chain
from remixer.engine.effects.spec import GEOMETRY, Param, Params, StepSpec, num, text

ASPECTS = ("square", "portrait", "landscape")


def mirror(chain: Chain, params: Params) -> None:
    chain.add("hflip")


def flip_vertical(chain: Chain, params: Params) -> None:
    chain.add("vflip")


def _fit(chain: Chain, width: float, height: float) -> None:
    """Scale the tail to width x height (even) and pad it, centred, to the canvas."""
    w, h = min(chain.width, even(width)), min(chain.height, even(height))
    chain.add_all(
        [
            ("scale", f"{w}:{h}"),
            (
                "pad",
                f"{chain.width}:{chain.height}:{(chain.width - w) // 2}:{(chain.height - h) // 2}",
            ),
        ]
    )


def rotate(chain: Chain, params: Params) -> None:
    angle = text(params, "angle")
    if angle == "180":
        chain.add_all([("hflip", ""), ("vflip", "")])
        return
    chain.add("transpose", "clock" if angle == "90" else "cclock")
    # The turned picture is height x width: fit it inside the same canvas.
    scale = min(chain.width / chain.height, chain.height / chain.width)
    _fit(chain, chain.height * scale, chain.width * scale)


def reshaped(aspect: str, width: int, height: int) -> tuple[int, int] | None:
    """The frame `aspect` makes of a width x height picture, or None if it has that shape
    already (a landscape picture asked to be landscape). The short side stays; the long side
    is the picture's own when it is already about 16:9 (16:9 or 7:4, as the API's sizes are),
    so 1280x720 turns to 720x1280 and 1792x1024 to 1024x1792, else 16/9 of the short side."""
    short, long = min(width, height), max(width, height)
    if aspect == "square":
        return None if width == height else (short, short)
    if (aspect == "portrait" and height > width) or (aspect == "landscape" and width > height):
        return None
    if not 1.74 <= long / short <= 1.78:
        long = even(short * 16 / 9)
    if long > MAX_SIDE:
        short, long = even(MAX_SIDE * 9 / 16), MAX_SIDE
    return (short, long) if aspect == "portrait" else (long, short)


def _scaled(chain: Chain, width: int, height: int, cover: bool) -> tuple[int, int]:
    """The picture's size scaled to cover width x height, or to fit inside it."""
    scale = (max if cover else min)(width / chain.width, height / chain.height)
    w, h = even(chain.width * scale), even(chain.height * scale)
    return (max(width, w), max(height, h)) if cover else (min(width, w), min(height, h))


def _cropped(chain: Chain, width: int, height: int) -> None:
    w, h = _scaled(chain, width, height, True)
    chain.add_all([("scale", f"{w}:{h}"), ("crop", f"{width}:{height}")])  # crop centres


def _black_bars(chain: Chain, width: int, height: int) -> None:
    w, h = _scaled(chain, width, height, False)
    at = f"{(width - w) // 2}:{(height - h) // 2}"
    chain.add_all([("scale", f"{w}:{h}"), ("pad", f"{width}:{height}:{at}")])


def _blurred_sides(chain: Chain, width: int, height: int) -> None:
    """The picture fitted inside, over a blurred copy of it that covers the frame."""
    (cw, ch), (w, h) = _scaled(chain, width, height, True), _scaled(chain, width, height, False)
    split = chain.fork(2)
    back = chain.filters.steps(
        chain.node("scale", f"{cw}:{ch}", (split, 0)),
        [("crop", f"{width}:{height}"), ("gblur", f"sigma={min(width, height) / 24:.1f}")],
    )
    front = chain.node("scale", f"{w}:{h}", (split, 1))
    at = f"x={(width - w) // 2}:y={(height - h) // 2}"
    chain.tail = chain.node("overlay", at, (back, 0), (front, 0))
    chain.text.append("blurred sides")


# How the picture fills a new frame: cropped to cover it, or fitted inside it with a blurred,
# enlarged copy of itself or black around it. The first is the default.
FILLERS = {"centre crop": _cropped, "blurred sides": _blurred_sides, "black bars": _black_bars}


def crop(chain: Chain, params: Params) -> None:
    """A new frame, which the picture fills as asked; the steps after it work on it."""
    frame = reshaped(text(params, "aspect"), chain.width, chain.height)
    if frame is not None:
        FILLERS[text(params, "fill")](chain, *frame)
        chain.width, chain.height = frame


def _bars(chain: Chain, horizontal: bool, size: int) -> None:
    if size <= 0:
        return
    if horizontal:
        boxes = [f"0:0:iw:{size}", f"0:ih-{size}:iw:{size}"]
    else:
        boxes = [f"0:0:{size}:ih", f"iw-{size}:0:{size}:ih"]
    for box in boxes:
        chain.add("drawbox", f"{box}:color=black:t=fill")


def letterbox(chain: Chain, params: Params) -> None:
    inner = chain.width / num(params, "ratio")
    _bars(chain, True, round((chain.height - inner) / 2))


def pillarbox(chain: Chain, params: Params) -> None:
    inner = chain.height * num(params, "ratio")
    _bars(chain, False, round((chain.width - inner) / 2))


def zoom(chain: Chain, params: Params) -> None:
    factor = num(params, "factor")
    if factor >= 1:
        w, h = even(chain.width / factor), even(chain.height / factor)
        chain.add_all([("crop", f"{w}:{h}"), ("scale", f"{chain.width}:{chain.height}")])
    else:
        _fit(chain, chain.width * factor, chain.height * factor)


def push_in(chain: Chain, params: Params) -> None:
    # zoompan with d=1 is a per-frame centred crop scaled back up: a steady push in over the
    # whole clip. (crop's own size cannot change from frame to frame.)
    step = (num(params, "factor") - 1) / max(1, chain.total - 1)
    chain.add(
        "zoompan",
        f"z='1+{step:.8f}*on':d=1:x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2'"
        f":s={chain.width}x{chain.height}:fps={FPS}",
    )


STEPS = [
    StepSpec("mirror", GEOMETRY, "Mirror (left-right)", mirror),
    StepSpec("flip_vertical", GEOMETRY, "Flip upside down", flip_vertical),
    StepSpec(
        "rotate", GEOMETRY, "Rotate", rotate, {"angle": Param("90", choices=("90", "180", "270"))}
    ),
    StepSpec(
        "crop",
        GEOMETRY,
        "Reshape",
        crop,
        {
            "aspect": Param("square", choices=ASPECTS),
            "fill": Param("centre crop", choices=tuple(FILLERS)),
        },
    ),
    StepSpec("letterbox", GEOMETRY, "Letterbox", letterbox, {"ratio": Param(2.39, 1.0, 4.0)}),
    StepSpec("pillarbox", GEOMETRY, "Pillarbox", pillarbox, {"ratio": Param(4 / 3, 0.3, 1.78)}),
    StepSpec("zoom", GEOMETRY, "Zoom", zoom, {"factor": Param(1.5, 0.25, 4.0)}, "factor"),
    StepSpec("push_in", GEOMETRY, "Slow push-in", push_in, {"factor": Param(1.3, 1.05, 3.0)}),
]

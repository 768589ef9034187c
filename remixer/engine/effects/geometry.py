"""Geometry steps. Each keeps the canvas: what no longer fills it gets black bars."""

from __future__ import annotations

from remixer.engine.base.encoding import FPS, even
from remixer.engine.base.graph import Chain
from remixer.engine.effects.spec import GEOMETRY, Param, Params, StepSpec, num, text

ASPECTS = {"square": 1.0, "portrait": 9 / 16, "landscape": 16 / 9}


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


def crop(chain: Chain, params: Params) -> None:
    ratio = ASPECTS[text(params, "aspect")]
    w, h = float(chain.width), float(chain.height)
    w, h = (h * ratio, h) if w / h > ratio else (w, w / ratio)
    cw, ch = min(chain.width, even(w)), min(chain.height, even(h))
    chain.add("crop", f"{cw}:{ch}")
    chain.add(
        "pad", f"{chain.width}:{chain.height}:{(chain.width - cw) // 2}:{(chain.height - ch) // 2}"
    )


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
    StepSpec("crop", GEOMETRY, "Crop", crop, {"aspect": Param("square", choices=tuple(ASPECTS))}),
    StepSpec("letterbox", GEOMETRY, "Letterbox", letterbox, {"ratio": Param(2.39, 1.0, 4.0)}),
    StepSpec("pillarbox", GEOMETRY, "Pillarbox", pillarbox, {"ratio": Param(4 / 3, 0.3, 1.78)}),
    StepSpec("zoom", GEOMETRY, "Zoom", zoom, {"factor": Param(1.5, 0.25, 4.0)}, "factor"),
    StepSpec("push_in", GEOMETRY, "Slow push-in", push_in, {"factor": Param(1.3, 1.05, 3.0)}),
]

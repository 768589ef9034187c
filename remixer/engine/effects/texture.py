"""Texture steps: grain, blur, glow, lines and blocks, all in libavfilter."""

from __future__ import annotations

from remixer.engine.base.graph import Chain
from remixer.engine.effects.spec import TEXTURE, Param, Params, StepSpec, num, strength

# The steps that draw noise take a seed: each variation of a remix draws its own.
SEED = {"seed": Param(0.0, 0.0, 1_000_000.0)}


def _s(params: Params) -> float:
    return num(params, "strength")


def _seed(params: Params) -> int:
    """The random steps' draw: 0 is the engine's first, as rendered before steps had seeds."""
    return int(num(params, "seed")) if "seed" in params else 0


def _noise_seed(params: Params) -> str:
    return f":all_seed={_seed(params)}" if _seed(params) else ""


def grain(chain: Chain, params: Params) -> None:
    # Film grain is in the light, not the colour: noise on luma only.
    chain.add("noise", f"c0s={4 + 30 * _s(params):.0f}:c0f=t{_noise_seed(params)}")


def vignette(chain: Chain, params: Params) -> None:
    chain.add("vignette", f"angle={0.15 + 0.5 * _s(params):.3f}")


def blur(chain: Chain, params: Params) -> None:
    chain.add("gblur", f"sigma={max(1.5, chain.height / 40 * (0.2 + _s(params))):.2f}")


def sharpen(chain: Chain, params: Params) -> None:
    chain.add("unsharp", f"5:5:{0.5 + 2 * _s(params):.2f}")


def flicker(chain: Chain, params: Params) -> None:
    # hue's brightness is an expression of time: a gentle, irregular pulse of light.
    amp = 0.05 + 0.3 * _s(params)
    # Another seed starts both waves elsewhere in their cycles: the same pulse, other moments.
    fast, slow = ("", "") if not _seed(params) else _phases(_seed(params))
    chain.add("hue", f"b='{amp:.2f}*sin(t*47{fast})*sin(t*13+1{slow})'")


def _phases(seed: int) -> tuple[str, str]:
    return f"+{seed * 2.39996 % 6.28319:.4f}", f"+{seed * 1.61803 % 6.28319:.4f}"


def glow(chain: Chain, params: Params) -> None:
    """A soft copy of the picture's light screened over it: bright parts bloom. Only the
    luma plane is screened (screening YUV's colour planes would tint it all magenta)."""
    chain.add("format", "yuv420p")
    split = chain.fork(2)
    sigma = max(2.0, chain.height / 40)
    soft = chain.node("gblur", f"sigma={sigma:.1f}:planes=1", (split, 1))
    opacity = 0.3 + 0.6 * _s(params)
    chain.tail = chain.node(
        "blend", f"c0_mode=screen:c0_opacity={opacity:.2f}", (split, 0), (soft, 0)
    )
    chain.text.append("glow")


def scanlines(chain: Chain, params: Params) -> None:
    pitch = max(2, chain.height // 120) * 2
    chain.add("drawgrid", f"w=iw:h={pitch}:t={pitch // 2}:c=black@{0.2 + 0.5 * _s(params):.2f}")


def chroma_shift(chain: Chain, params: Params) -> None:
    shift = max(2, round(chain.width / 100 * (0.5 + 2 * _s(params))))
    chain.add("chromashift", f"cbh={-shift}:crh={shift}")


def pixelate(chain: Chain, params: Params) -> None:
    block = int(num(params, "block"))
    chain.add("pixelize", f"w={block}:h={block}")


def _levels(params: Params) -> int:
    return int(num(params, "levels"))


def posterize(chain: Chain, params: Params) -> None:
    step = 256 / _levels(params)
    expr = f"floor(val/{step:.3f})*{step:.3f}+{step / 2:.3f}"
    chain.add("lutrgb", f"r={expr}:g={expr}:b={expr}")


def outlines(chain: Chain, params: Params) -> None:
    """Dark ink lines where the picture has edges, multiplied over it (a comic's inking)."""
    split = chain.fork(2)
    ink = chain.filters.steps(
        chain.node("edgedetect", "low=0.08:high=0.25", (split, 1)),
        [("negate", ""), ("format", "gbrp")],
    )
    base = chain.node("format", "gbrp", (split, 0))
    chain.tail = chain.node("blend", "all_mode=multiply", (base, 0), (ink, 0))
    chain.text.append("outlines")


def sketch(chain: Chain, params: Params) -> None:
    chain.add_all([("edgedetect", "low=0.05:high=0.2"), ("negate", "")])


def thermal(chain: Chain, params: Params) -> None:
    chain.add_all([("hue", "s=0"), ("pseudocolor", "preset=heat")])


def glitch(chain: Chain, params: Params) -> None:
    shift = max(2, round(chain.width / 80 * (0.5 + _s(params))))
    chain.add_all(
        [
            ("rgbashift", f"rh={shift}:bh={-shift}:gv={shift // 2}"),
            ("noise", f"c0s={10 + 30 * _s(params):.0f}:c0f=t+u{_noise_seed(params)}"),
        ]
    )


def neon(chain: Chain, params: Params) -> None:
    """Glowing lines where the picture has edges, over a darkened copy of it.

    Sobel's gradient rather than edgedetect's Canny lines: on soft footage Canny breaks into
    speckles, where the gradient draws continuous tubes. The lines take the picture's own
    colours, saturated; a wide blur of them is the halo.
    """
    node, steps = chain.node, chain.filters.steps
    split = chain.fork(3)
    lines = steps(
        node("format", "gray", (split, 1)),
        [
            ("gblur", "sigma=1.5"),
            ("sobel", "scale=6"),
            ("lut", "c0=clip((val-28)*1.4,0,255)"),  # drop the faint gradients of banding
            ("format", "gbrp"),
        ],
    )
    vivid = steps(
        node("hue", "s=2.5", (split, 2)),
        [("format", "gbrp"), ("colorlevels", "rimax=0.6:gimax=0.6:bimax=0.6")],
    )
    tubes = chain.filters.chain(node("blend", "all_mode=multiply", (lines, 0), (vivid, 0)), "split")
    halo = steps(
        node("gblur", f"sigma={max(3.0, chain.height / 72):.1f}", (tubes, 1)),
        [("colorlevels", "rimax=0.5:gimax=0.5:bimax=0.5")],
    )
    dim = steps(node("format", "gbrp", (split, 0)), [("colorchannelmixer", "rr=.3:gg=.3:bb=.3")])
    lit = node("blend", "all_mode=addition", (dim, 0), (halo, 0))
    chain.tail = node("blend", "all_mode=screen", (lit, 0), (tubes, 0))
    chain.text.append("neon")


STEPS = [
    StepSpec("grain", TEXTURE, "Film grain", grain, strength() | SEED, "strength"),
    StepSpec("vignette", TEXTURE, "Vignette", vignette, strength(), "strength"),
    StepSpec("blur", TEXTURE, "Blur", blur, strength(), "strength"),
    StepSpec("sharpen", TEXTURE, "Sharpen", sharpen, strength(), "strength"),
    StepSpec("flicker", TEXTURE, "Flicker", flicker, strength(0.4) | SEED, "strength"),
    StepSpec("glow", TEXTURE, "Soft glow", glow, strength(), "strength"),
    StepSpec("scanlines", TEXTURE, "Scan lines", scanlines, strength(), "strength"),
    StepSpec("chroma_shift", TEXTURE, "Colour fringes", chroma_shift, strength(), "strength"),
    StepSpec("pixelate", TEXTURE, "Pixelate", pixelate, {"block": Param(12.0, 2.0, 64.0)}, "block"),
    StepSpec(
        "posterize", TEXTURE, "Fewer colours", posterize, {"levels": Param(5.0, 2.0, 32.0)}, None
    ),
    StepSpec("outlines", TEXTURE, "Ink outlines", outlines),
    StepSpec("sketch", TEXTURE, "Pencil sketch", sketch),
    StepSpec("thermal", TEXTURE, "Thermal camera", thermal),
    StepSpec("glitch", TEXTURE, "Glitch", glitch, strength() | SEED, "strength"),
    StepSpec("neon", TEXTURE, "Neon glow", neon),
]

"""Colour steps: each one small filter chain in libavfilter, tuned by its strength."""

from __future__ import annotations

from remixer.engine.base.graph import Chain
from remixer.engine.effects.spec import COLOUR, Param, Params, StepSpec, num, strength, text

SEPIA = ".393:.769:.189:0:.349:.686:.168:0:.272:.534:.131"
COLOURS: dict[str, tuple[float, float, float]] = {
    "red": (1.0, 0.15, 0.1),
    "orange": (1.0, 0.55, 0.1),
    "yellow": (1.0, 0.9, 0.15),
    "green": (0.2, 1.0, 0.25),
    "teal": (0.1, 0.8, 0.75),
    "cyan": (0.1, 0.9, 1.0),
    "blue": (0.15, 0.35, 1.0),
    "purple": (0.6, 0.2, 1.0),
    "magenta": (1.0, 0.15, 0.8),
    "pink": (1.0, 0.45, 0.7),
    "gold": (1.0, 0.75, 0.2),
    "brown": (0.65, 0.4, 0.2),
    "black": (0.0, 0.0, 0.0),
    "white": (1.0, 1.0, 1.0),
}
TINTS = tuple(name for name in COLOURS if name not in ("black", "white"))
LUMA = (0.299, 0.587, 0.114)


def _s(params: Params) -> float:
    return num(params, "strength")


def warmer(chain: Chain, params: Params) -> None:
    chain.add("colortemperature", f"temperature={6500 - 2600 * _s(params):.0f}")


def cooler(chain: Chain, params: Params) -> None:
    chain.add("colortemperature", f"temperature={6500 + 7000 * _s(params):.0f}")


def mixer(weights: list[list[float]], amount: float) -> str:
    """colorchannelmixer arguments blending the identity towards `weights` by `amount`."""
    cells = []
    for row, out in enumerate(weights):
        for column, weight in enumerate(out):
            identity = 1.0 if row == column else 0.0
            cells.append(f"{identity + (weight - identity) * amount:.4f}")
        cells.append("0")
    return ":".join(cells[:11])


def tint(chain: Chain, params: Params) -> None:
    colour = COLOURS[text(params, "colour")]
    weights = [[c * 1.6 * w for w in LUMA] for c in colour]
    chain.add("colorchannelmixer", mixer(weights, _s(params)))


def sepia(chain: Chain, params: Params) -> None:
    weights = [[float(v) for v in SEPIA.split(":")[i * 4 : i * 4 + 3]] for i in range(3)]
    chain.add("colorchannelmixer", mixer(weights, _s(params)))


def grayscale(chain: Chain, params: Params) -> None:
    chain.add("hue", "s=0")


def saturation(chain: Chain, params: Params) -> None:
    chain.add("hue", f"s={max(0.0, 1 + num(params, 'amount')):.3f}")


def brightness(chain: Chain, params: Params) -> None:
    chain.add_luma(1.0, num(params, "amount") * 110)


def contrast(chain: Chain, params: Params) -> None:
    gain = 1 + num(params, "amount") * (1.2 if num(params, "amount") > 0 else 0.8)
    chain.add_luma(gain, 128 - 128 * gain)


def invert(chain: Chain, params: Params) -> None:
    chain.add("negate")


def high_key(chain: Chain, params: Params) -> None:
    lift = 40 + 70 * _s(params)
    chain.add_luma(1 - lift / 400, lift)


def low_key(chain: Chain, params: Params) -> None:
    drop = 30 + 60 * _s(params)
    chain.add_luma(1.15, -drop * 1.15)


def teal_orange(chain: Chain, params: Params) -> None:
    a = 0.4 * _s(params)
    chain.add("colorbalance", f"rs={-a:.3f}:bs={a:.3f}:rh={a:.3f}:bh={-a:.3f}")


def hue_shift(chain: Chain, params: Params) -> None:
    chain.add("hue", f"h={num(params, 'degrees'):.0f}")


def _signed(default: float) -> dict[str, Param]:
    return {"amount": Param(default, -1.0, 1.0)}


STEPS = [
    StepSpec("warmer", COLOUR, "Warmer", warmer, strength(), "strength"),
    StepSpec("cooler", COLOUR, "Cooler", cooler, strength(), "strength"),
    StepSpec(
        "tint",
        COLOUR,
        "Tint",
        tint,
        {"colour": Param("blue", choices=TINTS), **strength(0.35)},
        "strength",
    ),
    StepSpec("sepia", COLOUR, "Sepia", sepia, strength(1.0), "strength"),
    StepSpec("grayscale", COLOUR, "Black and white", grayscale),
    StepSpec("saturation", COLOUR, "Saturation", saturation, _signed(0.5), "amount"),
    StepSpec("brightness", COLOUR, "Brightness", brightness, _signed(0.25), "amount"),
    StepSpec("contrast", COLOUR, "Contrast", contrast, _signed(0.3), "amount"),
    StepSpec("invert", COLOUR, "Invert colours", invert),
    StepSpec("high_key", COLOUR, "High key", high_key, strength(), "strength"),
    StepSpec("low_key", COLOUR, "Low key", low_key, strength(), "strength"),
    StepSpec("teal_orange", COLOUR, "Teal and orange", teal_orange, strength(), "strength"),
    StepSpec(
        "hue_shift",
        COLOUR,
        "Hue shift",
        hue_shift,
        {"degrees": Param(90.0, -180.0, 180.0)},
        "degrees",
    ),
]

"""The vocabulary's steps by name, and the looks: each look is one entry composing steps."""

from __future__ import annotations

from remixer.engine.effects import colour, geometry, sound, texture, timing
from remixer.engine.effects.spec import StepSpec, Value

STEPS: dict[str, StepSpec] = {
    spec.name: spec
    for spec in [*timing.STEPS, *geometry.STEPS, *colour.STEPS, *texture.STEPS, *sound.STEPS]
}

Look = tuple[str, list[tuple[str, dict[str, Value]]]]

LOOKS: dict[str, Look] = {
    "old_film": (
        "Old film",
        [
            ("saturation", {"amount": -0.5}),
            ("warmer", {"strength": 0.7}),
            ("grain", {"strength": 0.5}),
            ("vignette", {"strength": 0.6}),
            ("flicker", {"strength": 0.4}),
        ],
    ),
    "silent_movie": (
        "Silent movie",
        [
            ("grayscale", {}),
            ("contrast", {"amount": 0.3}),
            ("grain", {"strength": 0.6}),
            ("vignette", {"strength": 0.7}),
            ("flicker", {"strength": 0.6}),
        ],
    ),
    "noir": (
        "Film noir",
        [
            ("grayscale", {}),
            ("contrast", {"amount": 0.6}),
            ("low_key", {"strength": 0.3}),
            ("vignette", {"strength": 0.8}),
        ],
    ),
    "vhs": (
        "VHS tape",
        [
            ("chroma_shift", {"strength": 0.5}),
            ("saturation", {"amount": 0.2}),
            ("grain", {"strength": 0.4}),
            ("scanlines", {"strength": 0.4}),
            ("blur", {"strength": 0.15}),
        ],
    ),
    "cctv": (
        "Security camera",
        [
            ("saturation", {"amount": -0.85}),
            ("tint", {"colour": "green", "strength": 0.2}),
            ("contrast", {"amount": 0.2}),
            ("grain", {"strength": 0.6}),
            ("scanlines", {"strength": 0.3}),
            ("vignette", {"strength": 0.4}),
        ],
    ),
    "night": (
        "Night",
        [
            ("brightness", {"amount": -0.35}),
            ("cooler", {"strength": 0.6}),
            ("saturation", {"amount": -0.4}),
        ],
    ),
    "golden_hour": (
        "Golden hour",
        [
            ("warmer", {"strength": 0.8}),
            ("brightness", {"amount": 0.1}),
            ("saturation", {"amount": 0.2}),
            ("glow", {"strength": 0.3}),
        ],
    ),
    "dreamy": (
        "Dreamy",
        [
            ("glow", {"strength": 0.6}),
            ("brightness", {"amount": 0.15}),
            ("saturation", {"amount": -0.1}),
        ],
    ),
    "cinematic": (
        "Cinematic",
        [
            ("letterbox", {"ratio": 2.39}),
            ("teal_orange", {"strength": 0.5}),
            ("contrast", {"amount": 0.15}),
            ("vignette", {"strength": 0.3}),
        ],
    ),
    "pixel_art": ("Pixel art", [("pixelate", {"block": 12.0}), ("posterize", {"levels": 5.0})]),
    "comic": ("Comic", [("posterize", {"levels": 4.0}), ("outlines", {})]),
    "neon_look": ("Neon", [("neon", {})]),
    "thermal_look": ("Thermal camera", [("thermal", {})]),
    "glitch_look": (
        "Glitch",
        [
            ("glitch", {"strength": 0.5}),
            ("scanlines", {"strength": 0.3}),
            ("saturation", {"amount": 0.3}),
        ],
    ),
    "sketch_look": ("Pencil sketch", [("grayscale", {}), ("sketch", {})]),
    "vintage": (
        "Vintage",
        [
            ("sepia", {"strength": 0.7}),
            ("grain", {"strength": 0.3}),
            ("vignette", {"strength": 0.4}),
        ],
    ),
}

"""The words that say how the picture fills the new frame of a vertical, landscape or square
remix ("with blurred sides"), and what they mean in a prompt with no new frame to fill."""

from __future__ import annotations

from remixer.engine.prompt.assemble import Item
from remixer.engine.prompt.vocabulary import Effect


def _each(phrases: str, fill: str) -> dict[str, str]:
    return {phrase.strip(): fill for phrase in phrases.split(",")}


# Each names one of the crop step's fills (effects/geometry.py FILLERS).
FILLS: dict[str, str] = {
    **_each(
        "black bars, with bars, bars around it, black borders, black background",
        "black bars",
    ),
    **_each(
        "fit inside, fit it in, fitted inside, whole picture, no crop, no cropping, without "
        "cropping, dont crop, do not crop, nothing cropped, not cropped, uncropped, without "
        "cutting, nothing cut off, dont cut anything",
        "uncropped",
    ),
    **_each(
        "blurred sides, blurry sides, blur the sides, blurred background, blurry background, "
        "blur the background, blurred edges, blurry edges, blurred bars, blurred borders, "
        "blur fill, blurred fill, blurred copy, blurry copy, blurred version, blurry version, "
        "blurred copy behind, blur behind, blurred behind, blurred video behind, blurred bg, "
        "blurry bg, blur bg, blurred back",
        "blurred sides",
    ),
    **_each(
        "instead of black bars, no black bars, without black bars, not black bars, not bars, "
        "no bars, "
        "without bars, no borders",
        "no bars",
    ),
    **_each("centre crop, center crop, crop to fill, fill the frame", "centre crop"),
}
ALONE = {"black bars": Effect(step="letterbox")}


def read_alone(clauses: list[list[Item]]) -> None:
    """With no new frame to fill, a fill's words are what they name alone ("black bars")."""
    items = [item for clause in clauses for item in clause]
    if any(item.kind == "effect" and getattr(item.value, "step", "") == "crop" for item in items):
        return
    for item in items:
        if item.kind == "fill" and item.words in ALONE:
            item.kind, item.value = "effect", ALONE[item.words]

"""The verbs that raise and lower a thing, with each thing they change: "baisse la tonalité" is
"lower the pitch", "sube la saturación" is "increase the saturation", "aumenta a velocidade"
is "faster". Every table builds its lines here from its own words, so a verb is read with
every noun it may change, and a verb on the pitch is never read as quieter."""

from __future__ import annotations

from dataclasses import dataclass

# What raising and lowering each thing is, as the English reader knows it.
RAISED = {
    "pitch": ("raise the pitch", "lower the pitch"),
    "light": ("increase the brightness", "decrease the brightness"),
    "contrast": ("increase the contrast", "reduce the contrast"),
    "colour": ("increase the saturation", "lower the saturation"),
    "speed": ("faster", "slower"),
    "sound": ("louder", "quieter"),
}


@dataclass(frozen=True)
class Things:
    """A language's nouns for each thing a verb raises or lowers, "a, b, c" (articles are the
    table's fillers, stepped over, so "luminosité" is also "la luminosité")."""

    pitch: str
    light: str
    contrast: str
    colour: str
    speed: str
    sound: str


def up_down(
    things: Things,
    *,
    up: str = "",
    down: str = "",
    after: tuple[str, str] = ("", ""),
    around: str = "",
) -> str:
    """Table lines for each verb of `up` and `down` before each noun of `things`; for the words
    of `after` ("erhöhen", "runter"; "上げ", "下げ") after it; and for the verbs of `around`
    before it with a word of `after` behind it ("dreh die Helligkeit runter")."""
    lines = []
    for thing, english in RAISED.items():
        nouns = getattr(things, thing)
        for before, behind, said in zip((up, down), after, english, strict=True):
            lines += [f"{before} + {nouns} = {said}"] if before else []
            lines += [f"{nouns} + {behind} = {said}"] if behind else []
            lines += [f"{around} + {nouns} + {behind} = {said}"] if behind and around else []
    return "\n".join(lines) + "\n"

"""From the effects a prompt named to a recipe: looks expanded, exclusions and opposites
settled, and every word accounted for."""

from __future__ import annotations

from dataclasses import dataclass, field

from remixer.engine.effects.recipe import Caption, Recipe, Step
from remixer.engine.effects.spans import MAX_SECONDS, Span
from remixer.engine.effects.spec import COLOUR, SOUND, RecipeError, Value
from remixer.engine.effects.steps import LOOKS, STEPS
from remixer.engine.prompt import vocabulary as v
from remixer.engine.prompt.suggest import refusal

AUDIO = ("sound", "mute", "hold")


@dataclass
class Item:
    kind: str
    value: object
    words: str
    at: int  # token position, for nearness
    used: bool = False


@dataclass
class Named:
    """An effect as written: its phrase, its parameters and whether it was negated."""

    item: Item
    effect: v.Effect
    params: dict[str, Value] = field(default_factory=dict)
    negated: bool = False
    bound: list[Item] = field(default_factory=list)
    span: Span | None = None  # the moment it holds for

    @property
    def said(self) -> str:
        """The effect's words with the modifiers that bound to it, in the prompt's order."""
        parts = sorted([self.item, *self.bound], key=lambda item: item.at)
        return " ".join(part.words for part in parts)


def group(step: str, params: dict[str, Value]) -> tuple[str, object] | None:
    """Steps in one group with different values ask for opposite things."""
    amount, factor = params.get("amount", 0), params.get("factor", 1)
    signed = float(amount) > 0 if isinstance(amount, int | float) else False
    # Faster and slower are opposites; "slow motion, but not too slow" only tunes the first.
    up = float(factor) > 1 if isinstance(factor, int | float) else False
    groups: dict[str, tuple[str, object]] = {
        "speed": ("speed", up),
        "warmer": ("temperature", "warmer"),
        "cooler": ("temperature", "cooler"),
        "brightness": ("brightness", signed),
        "contrast": ("contrast", signed),
        "saturation": ("saturation", signed),
        "grayscale": ("saturation", False),
        "zoom": ("zoom", up),
        "rotate": ("rotate", params.get("angle")),
        "crop": ("crop", params.get("aspect")),
        "high_key": ("key", "high"),
        "low_key": ("key", "low"),
        "volume": ("volume", float(params.get("db", 0)) > 0),
        "pitch": ("pitch", float(params.get("semitones", 0)) > 0),
    }
    return groups.get(step)


def _explicit(named: list[Named]) -> list[Named]:
    """The steps named outright, once each (for each moment), with opposites refused."""
    chosen: dict[tuple[str, Span | None], Named] = {}
    seen: dict[tuple[str, Span | None], tuple[object, Named]] = {}
    for entry in named:
        step = entry.effect.step
        if entry.negated or step not in STEPS:
            continue
        if _says_nothing(entry):
            continue
        kind = group(step, entry.params)
        if kind is not None:
            earlier = seen.get((kind[0], entry.span))
            if earlier is not None and earlier[0] != kind[1]:
                raise RecipeError(
                    f'"{earlier[1].said}" and "{entry.said}" ask for opposite things: choose one.'
                )
            seen[kind[0], entry.span] = (kind[1], entry)
        chosen[step, entry.span] = entry
    # Said again without the moment ("the first 3 secs in slow mo, half speed"), a step is the
    # same step restated, not one for the whole clip.
    spanned = {(step, str(group(step, n.params))) for (step, span), n in chosen.items() if span}
    return [
        n
        for (step, span), n in chosen.items()
        if span or (step, str(group(step, n.params))) not in spanned
    ]


def _refuse_contradictions(named: list[Named]) -> None:
    wanted = {n.effect.key: n for n in named if not n.negated and n.effect.step not in AUDIO}
    for entry in named:
        if entry.negated and entry.effect.key in wanted:
            raise RecipeError(
                f'"{wanted[entry.effect.key].said}" and "not {entry.said}" '
                "contradict each other: choose one."
            )


def _steps(named: list[Named]) -> list[Step]:
    """Steps in the prompt's order: a look's own steps give way to those named outright
    and to those the prompt excludes."""
    explicit = {id(n): n for n in _explicit(named)}
    excluded = {n.effect.step for n in named if n.negated and n.effect.step}
    taken = {n.effect.step for n in explicit.values()}
    groups = {g[0] for n in explicit.values() if (g := group(n.effect.step, n.params))}
    steps: list[Step] = []
    for entry in named:
        if id(entry) in explicit:
            steps.append(_in_moment(Step(entry.effect.step, entry.params, span=entry.span)))
        elif entry.effect.look and not entry.negated:
            label, parts = LOOKS[entry.effect.look]
            for name, params in parts:
                full = {**STEPS[name].defaults(), **params}
                kind = group(name, full)
                if name in excluded or name in taken or (kind and kind[0] in groups):
                    continue
                taken.add(name)
                steps.append(_in_moment(Step(name, full, label, entry.span)))
    return steps


# A new shape is the whole clip's frame.
WHOLE_CLIP = ("crop",)
FADES = ("fade_in", "fade_out", "sound_fade_in", "sound_fade_out")
SILENT = -90.0  # dB: "mute the first 2 seconds"


def _in_moment(step: Step) -> Step:
    """A fade for "the first 2 seconds" or "the last second" is a fade of that length; a new
    shape is the whole clip's frame."""
    span = step.span
    if step.name in WHOLE_CLIP:
        return Step(step.name, step.params, step.look)
    if step.name not in FADES or span is None:
        return step
    if span.share:
        return Step(step.name, step.params, step.look)
    length = span.seconds(MAX_SECONDS)
    seconds = min(12.0, max(0.1, length[1] - length[0]))
    return Step(step.name, {**step.params, "seconds": seconds}, step.look)


# Words that only qualify an effect; unused, they are named back to the creator.
MODIFIERS = (
    "strength",
    "multiplier",
    "percent",
    "seconds",
    "degrees",
    "decibels",
    "plain",
    "colour",
    "moment",
    "turn",
    "fill",
)
# A negation with nothing after it ("but don't overdo it") says nothing of its own.
UNUSED_IF_LEFT = (*MODIFIERS, "place", "unit", "number", "span")


def _left_over(item: Item, caption: Caption | None) -> bool:
    if item.kind == "unknown":
        return True
    if item.kind == "caption_word":
        return caption is None
    return item.kind in UNUSED_IF_LEFT and not item.used


def _says_nothing(entry: Named) -> bool:
    """ "speed" with no number, or "tint" with no colour (a "warm tint" is warmer)."""
    if entry.effect.step == "speed":
        return entry.params.get("factor") == 1.0
    if entry.effect.step == "tint":
        return "colour" not in entry.effect.params and not any(
            item.kind == "colour" for item in entry.bound
        )
    return False


def _unused(named: list[Named], clauses: list[list[Item]], caption: Caption | None) -> list[str]:
    words: list[str] = []
    for clause in clauses:
        for item in clause:
            if _left_over(item, caption) and any(c.isalnum() for c in item.words):
                words.append(item.words)
    colour = any(STEPS[n.effect.step].kind == COLOUR for n in named if n.effect.step in STEPS)
    words += [
        n.item.words
        for n in named
        if _says_nothing(n) and not (colour and n.effect.step == "tint" and len(named) > 1)
    ]
    return list(dict.fromkeys(words))


def _sound_and_hold(named: list[Named], steps: list[Step]) -> tuple[bool, list[Step]]:
    sound = True
    for entry in named:
        step = entry.effect.step
        if step == "mute" and entry.span and not entry.negated:  # silent for a moment
            steps.append(Step("volume", {"db": SILENT}, span=entry.span))
        elif step in ("sound", "mute"):
            sound = sound and ((step == "sound") != entry.negated)
        elif step == "hold" and not entry.negated:
            speeds = [s for s in steps if s.name == "speed"]
            if speeds:
                speeds[0].params["then"] = "hold"
            elif not any(s.name == "freeze" for s in steps):
                steps.append(Step("freeze", STEPS["freeze"].defaults()))
    return sound, steps


def _muting_wins(sound: bool, steps: list[Step]) -> tuple[list[Step], list[str]]:
    """With the sound muted, the steps on the sound are left out, and a remark says so."""
    dropped = [step for step in steps if step.kind == SOUND]
    if sound or not dropped:
        return steps, []
    names = ", ".join(step.describe() for step in dropped)
    return [s for s in steps if s.kind != SOUND], [f"Left out {names}: the sound is muted."]


def assemble(
    named: list[Named],
    clauses: list[list[Item]],
    caption: Caption | None,
    remarks: list[str],
    impossible: list[str],
) -> Recipe:
    """The recipe; a prompt with nothing to follow is refused, in the words of what it asked
    beyond the engine when it did."""
    _refuse_contradictions(named)
    sound, steps = _sound_and_hold(named, _steps(named))
    steps, muted = _muting_wins(sound, steps)
    muted += [
        f"{STEPS[n.effect.step].label} changes the whole clip, not a moment of it."
        for n in named
        if n.span and n.effect.step in WHOLE_CLIP and not n.negated
    ]
    remarks = [*remarks, *muted]
    unused = _unused(named, clauses, caption)
    if not steps and caption is None and sound:
        if impossible:
            raise RecipeError(" ".join(impossible))
        raise refusal(unused, any(i.kind == "caption_word" for c in clauses for i in c))
    excluded = [n.item.words for n in named if n.negated and n.effect.step not in AUDIO]
    recipe = Recipe(
        tuple(steps), caption, sound, tuple(unused), tuple(excluded), (*remarks, *impossible)
    ).ordered()
    return Recipe.from_json(recipe.to_json())

"""Reading a remix prompt into a recipe.

The prompt is split into clauses; in each, the phrases of the vocabulary are found (longest
first) and every strength word, number, colour or place binds to the effect nearest to it.
Negations exclude the effect they stand before. Opposites are named, never guessed, and every
word the reader did not use is listed in the recipe. All of it is one pass over the tokens.
"""

from __future__ import annotations

from typing import cast

from remixer.engine.effects.captions import check_caption, clean
from remixer.engine.effects.recipe import Caption, Recipe
from remixer.engine.effects.spec import RecipeError, Value
from remixer.engine.effects.steps import STEPS
from remixer.engine.prompt import vocabulary as v
from remixer.engine.prompt.assemble import MODIFIERS, Item, Named, assemble
from remixer.engine.prompt.tuning import tune
from remixer.engine.prompt.words import BREAKS, CAPTION, Trie, number, split_quotes, tokens


def _trie() -> Trie:
    trie = Trie()
    tables: list[tuple[str, dict[str, object]]] = [
        ("effect", dict(v.EFFECTS)),
        ("place", dict(v.PLACES)),
        ("moment", dict(v.MOMENTS)),
        ("turn", dict(v.TURNS)),
        ("colour", dict(v.COLOUR_WORDS)),
        ("strength", dict(v.STRENGTH)),
        ("negation", dict.fromkeys(v.NEGATIONS)),
        ("number", dict(v.NUMBER_WORDS)),
        ("multiplier", dict(v.MULTIPLIER_WORDS)),
        ("unit", dict(v.UNITS)),
        ("caption_word", dict.fromkeys(v.CAPTION_WORDS)),
        ("separator", dict.fromkeys(v.SEPARATORS)),
        ("stop", dict.fromkeys(v.STOP_WORDS)),
    ]
    for kind, table in tables:
        for phrase, value in table.items():
            trie.add(phrase, (kind, value))
    return trie


TRIE = _trie()


def _items(toks: list[str]) -> list[list[Item]]:
    """The prompt's clauses, each a list of recognised items (unknown words included)."""
    clauses: list[list[Item]] = [[]]
    index = 0
    while index < len(toks):
        token = toks[index]
        found = TRIE.longest(toks, index)
        if token in BREAKS or (found and cast(tuple[str, object], found[1])[0] == "separator"):
            clauses.append([])
            index += found[0] if found and token not in BREAKS else 1
            continue
        if token == CAPTION:
            item = Item("caption", None, "", index)
        elif (value := number(token)) is not None and not (found and found[0] > 1):
            item = Item("number", value, token, index)
        elif found:
            kind, payload = cast(tuple[str, object], found[1])
            item = Item(kind, payload, " ".join(toks[index : index + found[0]]), index)
            index += found[0] - 1
        else:
            item = Item("unknown", None, token, index)
        clauses[-1].append(item)
        index += 1
    return [_quantities(clause) for clause in clauses if clause]


def _quantities(clause: list[Item]) -> list[Item]:
    """Numbers joined with their units: "3 x", "x 2", "150 %", "2 seconds", "90 degrees"."""
    out: list[Item] = []
    for item in clause:
        previous = out[-1] if out else None
        if item.kind == "unit" and previous and previous.kind == "plain":
            space = "" if item.words in ("x", "×", "%", "°", "s") else " "
            words = f"{previous.words}{space}{item.words}"
            out[-1] = Item(str(item.value), previous.value, words, previous.at)
        elif (
            item.kind == "number"
            and previous
            and previous.kind == "unit"
            and previous.value == "multiplier"
        ):
            out[-1] = Item("multiplier", item.value, f"{previous.words} {item.words}", previous.at)
        else:
            out.append(
                Item("plain", item.value, item.words, item.at) if item.kind == "number" else item
            )
    return out


def _bind(
    clause: list[Item], named: dict[int, Named], has_caption: bool, carry: Item | None
) -> str | None:
    """Binds each modifier in the clause to its nearest effect; returns a caption's place.
    A clause with no effect of its own tunes the last effect before it ("warmer, a bit")."""
    before, after = _neighbours(clause)
    if not any(item.kind == "effect" for item in clause):
        before = [carry] * len(clause)
    place: str | None = None
    for position, item in enumerate(clause):
        if item.kind == "negation" and after[position] is not None:
            named[after[position].at].negated = item.used = True  # type: ignore[union-attr]
        elif item.kind == "place" and has_caption:
            place, item.used = str(item.value), True
        elif item.kind in MODIFIERS:
            _modify(item, _closest(item, before[position], after[position]), named)
    return place


def _neighbours(clause: list[Item]) -> tuple[list[Item | None], list[Item | None]]:
    """For each position, the nearest effect before it and after it (two linear passes)."""
    before: list[Item | None] = []
    last: Item | None = None
    for item in clause:
        before.append(last)
        last = item if item.kind == "effect" else last
    after: list[Item | None] = [None] * len(clause)
    last = None
    for position in range(len(clause) - 1, -1, -1):
        after[position] = last
        last = clause[position] if clause[position].kind == "effect" else last
    return before, after


def _closest(item: Item, before: Item | None, after: Item | None) -> list[Item]:
    """The nearer of the two first; a tie goes to the effect that follows ("slightly warmer")."""
    found = [e for e in (after, before) if e is not None]
    return sorted(found, key=lambda e: abs(e.at - item.at))


def _modify(item: Item, candidates: list[Item], named: dict[int, Named]) -> None:
    for candidate in candidates:
        target = named[candidate.at]
        if not target.effect.step or target.effect.step not in STEPS:
            continue
        tuned = tune(target.effect.step, target.params, (item.kind, item.value))
        if tuned is not None:
            target.params, item.used = tuned, True
            target.bound.append(item)
            return


def _colours_as_tints(clause: list[Item]) -> None:
    """A colour with no tint or fade beside it is a tint of that colour ("make it pink")."""
    takers = {"tint", "fade_in", "fade_out"}
    if any(i.kind == "effect" and i.value.step in takers for i in clause):  # type: ignore[attr-defined]
        return
    for item in clause:
        if item.kind == "colour" and item.value not in ("black", "white"):
            item.kind = "effect"
            item.value = v.Effect(step="tint", params={"colour": str(item.value)})


def _caption(prompt: str) -> tuple[str | None, str]:
    quoted, rest = split_quotes(prompt)
    texts = [text for text in (clean(q.text) for q in quoted) if text]
    if len(texts) > 1:
        shown = ", ".join(f'"{text[:30]}"' for text in texts[:3])
        raise RecipeError(
            f"A remix takes one caption, and this prompt quotes {len(texts)}: {shown}. "
            "Keep one in quotes."
        )
    if texts:
        check_caption(texts[0])
    return (texts[0] if texts else None), rest


def read_prompt(prompt: str) -> Recipe:
    caption_text, rest = _caption(prompt)
    clauses = _items(tokens(rest))
    named: dict[int, Named] = {}
    for clause in clauses:
        _colours_as_tints(clause)
        for item in clause:
            if item.kind == "effect":
                effect = item.value
                assert isinstance(effect, v.Effect)
                named[item.at] = Named(item, effect, _preset(effect))
    place, carry = None, None
    for clause in clauses:
        place = _bind(clause, named, caption_text is not None, carry) or place
        carry = next((i for i in reversed(clause) if i.kind == "effect"), carry)
    caption = Caption(caption_text, place or "bottom") if caption_text else None
    return assemble(list(named.values()), clauses, caption, prompt)


def _preset(effect: v.Effect) -> dict[str, Value]:
    if effect.step in STEPS:
        return {**STEPS[effect.step].defaults(), **effect.params}
    return {}

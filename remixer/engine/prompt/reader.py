"""Reading a remix prompt into a recipe.

The prompt is split into clauses; in each, the phrases of the vocabulary are found (longest
first) and every strength word, number, colour or place binds to the effect nearest to it.
Negations exclude the effect they stand before. Opposites are named, never guessed, and every
word the reader did not use is listed in the recipe. All of it is one pass over the tokens.
"""

from __future__ import annotations

from typing import cast

from remixer.engine.effects.captions import check_caption, clean, undrawable
from remixer.engine.effects.recipe import Caption, Recipe
from remixer.engine.effects.spans import Span
from remixer.engine.effects.spec import RecipeError, Value
from remixer.engine.effects.steps import STEPS
from remixer.engine.prompt import beyond, context, fills, languages, moments, typos
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
        ("fill", dict(fills.FILLS)),
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


def _items(toks: list[str], spans: list[Span]) -> list[list[Item]]:
    """The prompt's clauses, each a list of recognised items (unknown words included)."""
    clauses: list[list[Item]] = [[]]
    index = 0
    while index < len(toks):
        token = toks[index]
        found = TRIE.longest(toks, index)
        if token in BREAKS or (found and cast(tuple[str, object], found[1])[0] == "separator"):
            # "with" goes on with the clause before: its moment holds for what it adds.
            clauses.append([Item("with", None, "", index)] if token == "with" else [])
            index += found[0] if found and token not in BREAKS else 1
            continue
        if token == CAPTION:
            item = Item("caption", None, "", index)
        elif token.startswith(moments.MARK):
            span = spans[int(token.removeprefix(moments.MARK))]
            item = Item("span", span, span.describe(), index)
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
        elif item.kind == "place" and item.value == "middle":
            item.kind, item.value = "span", Span(1 / 3, 2 / 3, True)
        elif item.kind in MODIFIERS:
            _modify(item, _closest(item, before[position], after[position]), named)
    for item in clause:
        if item.kind == "moment" and not item.used:  # "slow motion at the end": its last third
            span = Span(0.0, 1 / 3, True) if item.value == "first" else Span(2 / 3, None, True)
            item.kind, item.value = "span", span
        if item.kind == "span":
            _hold_for(item, clause, named, carry)
    return place


def _hold_for(item: Item, clause: list[Item], named: dict[int, Named], carry: Item | None) -> None:
    """A moment holds for the effects of its clause, or for the one before it ("slow motion,
    only the first 2 seconds"); in a caption's clause without effects, for the caption."""
    effects = [i for i in clause if i.kind == "effect"]
    if not effects and any(i.kind == "caption" for i in clause):
        return  # the caption's own (see _caption_moment)
    effects = effects or ([carry] if carry else [])
    for effect in effects:
        target = named[effect.at]
        step = target.effect.step
        # "the middle part, like from 5 to 10 s": the moment in numbers says it exactly.
        vaguer = target.span is not None and target.span.share and not item.value.share  # type: ignore[attr-defined]
        if (step in STEPS or step == "mute" or target.effect.look) and (
            target.span is None or vaguer
        ):
            target.span, item.used = item.value, True  # type: ignore[assignment]
            target.bound.append(item)


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
    """A colour with no tint or fade beside it is a tint of that colour ("make it pink"), unless
    it describes a thing ("a golden retriever")."""
    takers = {"tint", "fade_in", "fade_out"}
    if any(i.kind == "effect" and i.value.step in takers for i in clause):  # type: ignore[attr-defined]
        return
    for item, after in zip(clause, [*clause[1:], None], strict=True):
        thing = after is not None and after.kind == "unknown"
        if item.kind == "colour" and item.value not in ("black", "white") and not thing:
            item.kind = "effect"
            item.value = v.Effect(step="tint", params={"colour": str(item.value)})


def _caption(prompt: str) -> tuple[str | None, str, list[str]]:
    """The caption, the prompt without it, and a remark on what no font here draws."""
    quoted, rest = split_quotes(prompt)
    texts = [text for text in (clean(q.text) for q in quoted) if text]
    if len(texts) > 1:
        shown = ", ".join(f'"{text[:30]}"' for text in texts[:3])
        raise RecipeError(
            f"A remix takes one caption, and this prompt quotes {len(texts)}: {shown}. "
            "Keep one in quotes."
        )
    if not texts:
        return None, rest, []
    check_caption(texts[0])
    missing = undrawable(texts[0])
    them = "them" if len(missing) > 1 else "it"
    left_out = f"Left out of the caption: {' '.join(missing)} (no font here draws {them})."
    return texts[0], rest, [left_out] if missing else []


def read_prompt(prompt: str) -> Recipe:
    caption_text, rest, remarks = _caption(prompt)
    reading = languages.read(rest)
    text, impossible = beyond.set_apart(reading.text)
    # Words a language's table left are not English words misspelt ("mach" is not "much").
    toks, corrected = (
        typos.correct(tokens(text)) if reading.language is None else (tokens(text), [])
    )
    remarks += [f"Read as {reading.language}."] if reading.language else []
    remarks += [
        f"Read '{written}' as '{meant}'." for written, meant in [*reading.corrected, *corrected]
    ]
    toks, spans = moments.find_moments(toks, caption_text is not None)
    clauses = _items(toks, spans)
    named: dict[int, Named] = {}
    fills.read_alone(clauses)
    context.settle(clauses)
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
        if carry and (clause[0].kind == "with" or clause[0].words == "like"):
            for item in clause:
                if item.kind == "effect" and named[item.at].span is None:
                    named[item.at].span = named[carry.at].span
        carry = next((i for i in reversed(clause) if i.kind == "effect"), carry)
    caption = (
        Caption(caption_text, place or "bottom", _caption_moment(clauses)) if caption_text else None
    )
    return assemble(list(named.values()), clauses, caption, remarks, impossible)


def _caption_moment(clauses: list[list[Item]]) -> Span | None:
    """The moment a caption shows for: one said in its clause and bound to nothing else."""
    for clause in clauses:
        if any(item.kind == "caption" for item in clause):
            for item in clause:
                if item.kind == "span" and not item.used:
                    item.used = True
                    return item.value  # type: ignore[return-value]
    return None


def _preset(effect: v.Effect) -> dict[str, Value]:
    if effect.step in STEPS:
        return {**STEPS[effect.step].defaults(), **effect.params}
    return {}

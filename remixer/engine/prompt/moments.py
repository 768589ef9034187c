"""Moments in a prompt: "the first 2 seconds", "the last second", "from 1 s to 3 s", "the
middle", "until 2 s", "after 3 seconds". Found in one pass over the tokens, before clauses
are split (so "between 1 and 3 seconds" stays whole); each becomes one token the reader
binds to the steps of its clause."""

from __future__ import annotations

from remixer.engine.effects.spans import Span
from remixer.engine.prompt.vocabulary import NUMBER_WORDS
from remixer.engine.prompt.words import number

MARK = "\x00moment"  # a moment's token is MARK followed by its index
UNIT = frozenset(("s", "sec", "secs", "second", "seconds"))
FIRST, LAST = frozenset(("first", "opening")), frozenset(("last", "final", "closing"))
SHARES = {"half": 0.5, "third": 1 / 3, "quarter": 0.25}
FROM = frozenset(("from", "between", "starting", "start", "beginning"))
UNTIL = frozenset(("until", "till", "til", "before", "up", "through", "upto"))
AFTER = frozenset(("after", "past", "beyond", "from", "starting", "since"))
JOIN = frozenset(("to", "and", "until", "till", "through", "-"))
PART = frozenset(("part", "section", "bit", "portion", "third", "of"))
SKIP = frozenset(("the", "at", "a", "second", "sec", "to", "with", "in", "on", "around"))
LATER = frozenset(("on", "onwards", "onward", "in", "forward", "forwards"))


ASPECTS = frozenset(("9:16", "16:9", "1:1", "4:3", "3:4", "4:5", "5:4", "21:9", "2:1"))


def clock(token: str) -> float | None:
    """A time on a player's clock, "0:04" or "1:30", in seconds (never a shape like 9:16)."""
    minutes, colon, seconds = token.removeprefix("-").partition(":")
    if not colon or token.removeprefix("-") in ASPECTS or len(seconds) != 2:
        return None
    if not (minutes.isdigit() and seconds.isdigit()) or int(seconds) >= 60:
        return None
    return int(minutes) * 60 + int(seconds)


def _quantity(toks: list[str], at: int) -> tuple[float, int] | None:
    """A number at `at` ("2", "two", "1.5") and the position after it."""
    if at >= len(toks):
        return None
    value = number(toks[at])
    if value is None:
        value = NUMBER_WORDS.get(toks[at])
    return (value, at + 1) if value is not None else None


def _seconds(toks: list[str], at: int, ordinal: bool = True) -> tuple[float, int] | None:
    """A length in seconds at `at`: "2 seconds", "2 s", "a second", and with `ordinal` a
    point in time: "second 2"."""
    ordinal_found = ordinal and toks[at : at + 1] in (["second"], ["sec"])
    if ordinal_found and (found := _quantity(toks, at + 1)):
        return found
    if at < len(toks) and (time := clock(toks[at])) is not None:
        return time, at + 1
    found = _quantity(toks, at)
    if found is None and at < len(toks) and toks[at] in ("a", "one"):
        found = (1.0, at + 1)
    if found and found[1] < len(toks) and toks[found[1]] in UNIT:
        end = found[1] + 1
        return found[0], end + (toks[end : end + 1] in (["mark"], ["point"], ["timestamp"]))
    return None


def _edge(toks: list[str], at: int) -> tuple[Span, int] | None:
    """ "first 2 seconds", "last second", "first half", "second half"."""
    word = toks[at]
    if word == "second" and at + 1 < len(toks) and toks[at + 1] == "half":
        return Span(0.5, None, share=True), at + 2
    if word not in FIRST and word not in LAST:
        return None
    after = at + 1
    if after < len(toks) and toks[after] in SHARES:
        share = SHARES[toks[after]]
        span = Span(0.0, share, True) if word in FIRST else Span(1 - share, None, True)
        return span, after + 1
    found = _seconds(toks, after, ordinal=False)
    if found is None and after < len(toks) and toks[after] in UNIT:
        found = (1.0, after + 1)
    if found is None or found[0] <= 0:
        return None
    length, end = found
    return (Span(0.0, length) if word in FIRST else Span(-length, None)), end


def _between(toks: list[str], at: int) -> tuple[Span, int] | None:
    """ "from 1 s to 3 s", "between 1 and 3 seconds", "from second 1 to 3", "0:04-0:07",
    "5 to 10 seconds" (a bare start needs its unit said at the end)."""
    bare = toks[at] not in FROM and clock(toks[at]) is None
    if bare and _quantity(toks, at) is None:
        return None
    cursor = at + (toks[at] in FROM)
    while cursor < len(toks) and toks[cursor] in ("at", "the"):
        cursor += 1
    start = _seconds(toks, cursor) or _quantity(toks, cursor)
    if start is None or start[1] >= len(toks):
        return None
    after = start[1] + 1
    if toks[start[1]] not in JOIN:  # "from 0:04-0:07", "from 3 seconds 6 seconds"
        said = toks[start[1] - 1] in UNIT and _seconds(toks, start[1]) is not None
        if clock(toks[start[1]]) is None and not (said and not bare):
            return None
        after = start[1]
    while after < len(toks) and toks[after] in ("at", "the"):
        after += 1
    end = _seconds(toks, after) or _quantity(toks, after)
    if end is None:
        return None
    said_unit = any(t in UNIT or clock(t) is not None for t in toks[at : end[1]])
    if bare:
        said_unit = toks[end[1] - 1] in UNIT
    if not said_unit or end[0] <= start[0]:
        return None
    return Span(start[0], end[0]), end[1]


def _open(toks: list[str], at: int) -> tuple[Span, int] | None:
    """ "until 2 s", "until the drop at 2 s", "after 3 seconds", "after the first 2 s",
    "from 3 s on"."""
    word = toks[at]
    if (
        word not in UNTIL
        and word not in AFTER
        or (word == "up" and toks[at + 1 : at + 2] != ["to"])
    ):
        return None
    cursor = at + 1 + (word == "up" and at + 1 < len(toks) and toks[at + 1] == "to")
    for reach in range(cursor, min(cursor + 5, len(toks))):
        if word in AFTER and toks[reach] in FIRST and (edge := _edge(toks, reach)):
            span, end = edge
            if span.end is not None and not span.share:
                return Span(span.end, None), end
        found = _seconds(toks, reach)
        if found:
            if word in UNTIL:
                return Span(0.0, found[0]), found[1]
            if (
                toks[found[1] : found[1] + 1] and toks[found[1]] in JOIN
            ):  # "from half from 1 s and 3 s"
                then = _seconds(toks, found[1] + 1) or _quantity(toks, found[1] + 1)
                if then and then[0] > found[0]:
                    return Span(found[0], then[0]), then[1]
            end = found[1] + (found[1] < len(toks) and toks[found[1]] in LATER)
            if toks[end : end + 1] in (["to"], ["at"], ["until"], ["till"]) and toks[
                end + 1 : end + 3
            ] == ["the", "end"]:
                end += 3  # "from 4 s to the end"
            return Span(found[0], None), end
        if toks[reach] not in SKIP and number(toks[reach]) is None and reach > cursor + 2:
            return None
    return None


def _middle(toks: list[str], at: int, caption: bool) -> tuple[Span, int] | None:
    """ "the middle", "the middle part"; beside a caption, "in the middle" is its place."""
    if toks[at] != "middle":
        return None
    follows = at + 1 < len(toks) and toks[at + 1] in PART
    if caption and not follows:
        return None
    end = at + 1
    while end < len(toks) and toks[end] in PART | {"the", "clip", "video"}:
        end += 1
    return Span(1 / 3, 2 / 3, True), end


def find_moments(toks: list[str], caption: bool) -> tuple[list[str], list[Span]]:
    """The tokens with each moment replaced by its mark, and the moments in order."""
    out: list[str] = []
    spans: list[Span] = []
    at = 0
    while at < len(toks):
        found = (
            _between(toks, at) or _open(toks, at) or _edge(toks, at) or _middle(toks, at, caption)
        )
        if found is None:
            out.append(toks[at])
            at += 1
            continue
        span, at = found
        out.append(f"{MARK}{len(spans)}")
        spans.append(span)
    return out, spans

"""Asks that need a generative model ("remove the music", "change the voice"): named back to
the creator in a sentence, and taken out of the text before it is read, so that no part of
them is mistaken for something the engine can do ("remove the music" is not a mute: the
engine cannot tell music from the rest of the sound).

Each ask is a pattern of a few words with no nested repeats, so matching stays linear in the
prompt's length."""

from __future__ import annotations

import re

from remixer.engine.prompt import suggest, typos
from remixer.engine.prompt import vocabulary as v
from remixer.engine.prompt.words import tokens

_REMOVE = (
    r"(?:remove|take out|take away|get rid of|cut out|strip out|strip|erase|delete|filter out)"
)
_THE = r"(?:(?:all|of|the|that|this|any|its|his|her|their)\s+)*"
_VOICE = r"(?:voices?|vocals?|singing|singer|lyrics|speech|speaking|talking|dialogue|narration)"
_MUSIC = r"(?:music|songs?|soundtrack|instrumental|backing track|beat)"
_WHO = (
    r"(?:woman|women|man|men|girl|boy|lady|guy|female|male|child|kid|robot|celebrity"
    r"|someone else|somebody else|different person|another person)"
)
# What a voice can sound like with the engine's own steps: "like an old telephone".
_SOUNDS_LIKE = (
    r"(?:(?!\b(?:and|but|then)\b)[^,.;:!?\x00])*\b(?:phone|telephone|radio|underwater|wall|tunnel"
    r"|muffled|echo|cave|chipmunk|helium|cathedral|church|hall|deeper|higher|lower|squeaky)"
)
# Sound steps of the engine's own: "add an echo sound" is one of them.
_OURS = r"(?:an?\s+)?(?:echo|echoey|reverb|radio|phone|telephone|muffled|underwater|louder|quieter)"
_ADD = r"(?:add|put in|put on|include|insert|overlay|lay|layer)"
_KIND = r"(?:(?:some|a|an|the|new|nice|cool|epic|sad|happy|upbeat|calm|dramatic|background)\s+)*"
# The rest of the clause, up to a separator and never into a caption.
_CLAUSE_REST = r"(?:(?!\b(?:and|but|then)\b)[^,.;:!?\x00])*"

MUTE_INSTEAD = "the local engine can mute all the sound (write “mute”)"
KEEP_INSTEAD = "the local engine can only change the sound the video already has"
ASKS: list[tuple[str, str]] = [
    (
        rf"\b{_REMOVE}\s+{_THE}(?:background\s+)?{_MUSIC}\b"
        rf"|\b(?:no|without)\s+{_THE}background music\b",
        f"Removing only the music needs a generative model; {MUTE_INSTEAD}.",
    ),
    (
        rf"\b(?:{_REMOVE}|mute|silence)\s+{_THE}{_VOICE}\b|\bkaraoke(?:\s+version)?\b"
        rf"|\b(?:isolate|separate|extract|keep only)\s+{_THE}(?:{_VOICE}|{_MUSIC})\b"
        rf"|\b(?:only\s+{_THE}{_VOICE}|{_VOICE}\s+only|a\s*cappella|acapella)\b",
        f"Separating voices from music needs a generative model; {MUTE_INSTEAD}.",
    ),
    (
        rf"\b(?:change|swap|replace|switch|transform|convert)\s+{_THE}voices?\b"
        rf"(?:\s+(?:to|into|with|for)\s+(?:an?\s+)?{_WHO}(?:['’]?s)?(?:\s+voices?)?)?"
        rf"|\b(?:an?\s+)?{_WHO}(?:['’]?s)?\s+voices?\b"
        rf"|\bsounds?\s+like\s+(?:an?\s+)?{_WHO}\b|\bvoice\s+(?:changer|swap|clone|cloning)\b"
        rf"|\bclone\s+{_THE}voices?\b"
        rf"|\b(?:change|swap|replace|disguise)\s+(?:my|his|her|our|their|your)\s+voices?\b"
        rf"|\bvoices?\s+(?:sound\s+)?like\b(?!{_SOUNDS_LIKE}){_CLAUSE_REST}",
        "Changing the voice into someone else's needs a generative model; the local engine "
        "can only make it higher or lower (write “higher pitch” or “deeper voice”).",
    ),
    (
        rf"\b{_ADD}\s+{_KIND}{_MUSIC}\b|\bset\s+(?:it\s+)?to\s+music\b"
        rf"|\b{_ADD}\s+{_KIND}music in the background\b",
        f"Adding music needs a generative model; {KEEP_INSTEAD}.",
    ),
    (
        rf"(?:\b{_ADD}\s+{_KIND})?\b(?:sound effects?|sfx|foley|laugh track|canned laughter"
        r"|applause|explosion sounds?|whooshe?s?)\b"
        rf"|\b{_ADD}\s+{_KIND}(?:the\s+)?(?:sounds?|noises?)\s+of\b{_CLAUSE_REST}"
        rf"|\b{_ADD}\s+{_KIND}(?!{_OURS}\b)[a-z]+(?:\s+[a-z]+)?\s+(?:sounds?|chirping|singing|barking"
        r"|crashing|crackling|ambience|ambiance)\b",
        f"Adding sound effects needs a generative model; {KEEP_INSTEAD}.",
    ),
    (
        rf"\bmake\s+(?:it|him|her|them|someone|people|the\s+\w+)\s+"
        rf"(?:say|says|saying|speak|talk|sing){_CLAUSE_REST}"
        r"|\b(?:narrate|text to speech|tts|dub|dubbed|dubbing|lip\s*sync)\b"
        rf"|\b(?:add|record|generate|write|make)\s+{_KIND}(?:voice\s*over|narration|voice|narrator"
        r"|speech)\b",
        "Making it speak needs a generative model; the local engine can show words as a "
        "caption in quotes instead.",
    ),
    (
        rf"\btranslat(?:e|ed|ing|ion)\b{_CLAUSE_REST}|\bsubtitles?\s+in\s+[a-z]+\b",
        "Translating what is said needs a generative model; the local engine can show your "
        "own translation as a caption in quotes.",
    ),
]
_PATTERNS = [(re.compile(pattern, re.IGNORECASE), sentence) for pattern, sentence in ASKS]


def _known() -> frozenset[str]:
    """Every word of the reader's phrases, but the ones that only join them."""
    tables = (v.EFFECTS, v.COLOUR_WORDS, v.STRENGTH, v.CAPTION_WORDS, v.PLACES, v.UNITS)
    words = {word for table in tables for phrase in table for word in tokens(phrase)}
    return frozenset(words - v.STOP_WORDS)


KNOWN = _known()
THINGS = (
    "Adding, removing or replacing things in the picture needs a generative model; the local "
    "engine changes the whole picture (its colour, light, shape and time) and its sound."
)
# Each ask's sentence, and one thing the engine can do instead where the sentence does not
# say what to write.
SENTENCES = (*(sentence for _, sentence in ASKS), THINGS)
TRY_INSTEAD = {
    THINGS: suggest.EXAMPLE,
    **{s: "louder, with an echo" for s in SENTENCES if s.endswith(f"{KEEP_INSTEAD}.")},
}
_THING_ASK = re.compile(
    rf"\b(?:{_REMOVE}|add|put|insert|replace|swap|turn)\s+(?:(?:the|that|this|a|an|some|those"
    rf"|these|him|her|them|it)\s+)?{_CLAUSE_REST}",
    re.IGNORECASE,
)


def _unknown_thing(ask: str) -> bool:
    """Whether an ask to add or remove names a thing: a word of its own and no word the
    reader knows ("remove the guy behind us", not "remove the grain" or "add an echo")."""
    verb, _, rest = ask.partition(" ")
    if verb.casefold() in ("replace", "swap") and " with " in f" {rest.casefold()} ":
        return True
    if verb.casefold() == "turn" and " into " not in f" {rest.casefold()} ":
        return False
    words = typos.correct([word for word in tokens(rest) if word.isalpha()])[0]  # "some ecco"
    things = [word for word in words if word not in ("the", "a", "an", "this", "that")]
    if things[:1] == ["background"] and things[1:2] not in (["music"], ["noise"], ["sound"]):
        return True  # "remove the background"
    known = [word for word in words if word in KNOWN]
    return bool(words) and not known and any(word not in v.STOP_WORDS for word in words)


def set_apart(text: str) -> tuple[str, list[str]]:
    """The text without the asks beyond the engine, and one sentence for each of them."""
    sentences: list[str] = []
    for pattern, sentence in _PATTERNS:
        text, found = pattern.subn(", ", text)
        if found:
            sentences.append(sentence)
    things = [
        m
        for m in _THING_ASK.finditer(text)
        if _unknown_thing(m.group(0)) and "\x00" not in text[m.end() : m.end() + 2]
    ]
    for match in reversed(things):
        text = f"{text[: match.start()]}, {text[match.end() :]}"
    return text, [*sentences, THINGS] if things else sentences

"""How much of a prompt is English, to tell English from other languages: the words of the
vocabulary's phrases, and common English words it does not know ("die hard" is English)."""

from __future__ import annotations

from remixer.engine.prompt.languages.table import is_word
from remixer.engine.prompt.suggest import EVERYDAY
from remixer.engine.prompt.typos import COMMON, PHRASE_TRIE

COMMON_ENGLISH = COMMON | EVERYDAY.keys()


def explained(words: list[str]) -> int:
    """How many of the words are English (the vocabulary's phrases matched longest first)."""
    count, index = 0, 0
    while index < len(words):
        found = PHRASE_TRIE.longest(words, index)
        step = found[0] if found else 1
        if found:
            count += sum(1 for word in words[index : index + step] if is_word(word))
        elif words[index] in COMMON_ENGLISH:
            count += 1
        index += step
    return count

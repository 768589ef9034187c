"""Words misspelt by a letter or two, read as the vocabulary word they are nearest to.

A word of four letters or more that the reader does not know is read as the known word one
edit away (a letter added, dropped, changed, or two neighbours swapped; for words of eight
letters or more, two edits that change no letter: "begginning") when exactly one known word
is that near and it starts the same way. A word that means something only inside a phrase
is read only where it completes one ("slow moiton"). Common English words and the everyday
words the hints know are never corrected: "snow" is not "slow". Candidates come from an
index of the known words with a letter or two deleted, so the time to read a prompt grows
with its length only.

The known words are gathered from the vocabulary's and the moments' tables themselves (not
from the reader, which imports this module), so a table added there is known here too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from difflib import SequenceMatcher
from types import ModuleType

from remixer.engine.prompt import fills, moments, suggest
from remixer.engine.prompt import vocabulary as v
from remixer.engine.prompt.words import Trie, tokens


def _phrases(*modules: ModuleType) -> frozenset[str]:
    found: set[str] = set()
    for module in modules:
        for name, table in vars(module).items():
            if name.isupper() and isinstance(table, dict | frozenset):
                found.update(key for key in table if isinstance(key, str))
    return frozenset(found)


PHRASES = _phrases(v, moments, fills)  # every English phrase the reader knows
WORDS = frozenset(word for phrase in PHRASES for word in tokens(phrase))
# Words a misspelling is read as: those that carry meaning, so "would" is never "world".
# (Nor an abbreviation: "sets" is not "secs".)
MEANINGFUL = WORDS - v.STOP_WORDS - v.SEPARATORS - {"secs", "sec", "deg", "pct", "fold", "mono"}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Real words near a vocabulary word, read as themselves (then listed as not followed).
COMMON = _words(
    """
    able about above after again against also always another any anything around away back
    band bank bark base bead bear beat been before being belt bend best bike bird blade blame
    blank blind blood blow boat body bold bone book both bowl brain bread break brick bride
    bring brown build bump burn bush busy cake call calm came camp card care case cash cast
    cave cell chair chat cheap cheer child chin city class clean clear cliff climb clock close
    cloud club coal coat code coin come cook cool copy cord core corn cost could count crew
    crop cross crowd cute dance dare darn dart data date dawn dead deal dear deep desk diet
    dirt dish does done door down draw dream dress drink drive drop drum dust each early earn
    east easy edge else even ever every face fact fail fair fake fall fame farm fast fate fear
    feed feel fell felt field fight fill find fine fire fish five flag flat fled flew floor
    flow foam fold folk food fool foot form fort four free frog from front fuel full fund gain
    game gate gave gift girl give glad glue goal goat gold golf gone good grab gray great grew
    grow hair half hall hand hang hard hate have head heal hear heat held hell help here hero
    high hill hint hire hold hole home hook hope horn host hour huge hurt idea into iron item
    join joke jump just keen keep kept kick kind king kiss knee know lack lady laid lake lamp
    land lane large last late lead leaf left lend less lift like line link lion list live load
    loan lock long look lord lose loss lost loud love luck made mail main make male mall many
    mark mask mass meal mean meat meet melt menu mess mild milk mind mine miss mode moon more
    most move much must name near neck need next nice nine none nose note once only open over
    pace pack page paid pain pair palm park part pass past path peak pick pile pine pink pipe
    plan plus poem pole poll pond pool poor port post pour pull pure push race rain rank rare
    rate read real rest rice rich ride ring rise risk road rock role roll roof room root rope
    rule rush safe said sail salt same sand save seat seed seek seem seen self sell send ship
    shoe shop shot show shut sick side sign sing site size skin slip slot snow soap soft soil
    sold sole some song soon sort soul spot star stay step stop such suit sure swim tail take
    tale talk tall tank tape task team tear tell tend tent term test than that them then they
    thin this tide tile till tilt time tiny told tone took tool tour town tree trip true tube
    tune turn type unit upon used user vast very view vote wage wait wake walk wall want ward
    warn wash wave weak wear week well went were west what when whom wide wife wild will wind
    wine wing wire wise wish with wood wool word wore work worm yard year your zone
    blend blush border brink cage complete deer doll drip father file flame float fringe
    glory grace grave heart invest lens model mule patch pave property quote rally ready
    rebel remind rust share shirt short sight smart spend sport stark storm thrive verb wasp
    die dies alive
    """
)


def _deletions(word: str, depth: int) -> set[str]:
    found, frontier = {word}, {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def _distance(a: str, b: str, bound: int, change: int = 1) -> int:
    """Damerau-Levenshtein distance (a swap of neighbours is one edit; changing a letter
    costs `change`), or bound + 1 past the bound."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    before, row = [0] * (len(b) + 1), list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = change if a[i - 1] != b[j - 1] else 0
            current[j] = min(current[j - 1] + 1, row[j] + 1, row[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        before, row = row, current
    return min(row[-1], bound + 1)


def _within(word: str, candidate: str) -> bool:
    """One edit; two for words of eight letters or more when neither changes a letter
    ("begginning"), since two changed letters make another word ("village", "vintage")."""
    if _distance(word, candidate, 1) <= 1:
        return True
    return len(word) >= 8 and _distance(word, candidate, 2, change=3) <= 2


class Speller:
    """Reads unknown words as the one known word a letter or two away.

    With `phrases`, a word that means something only inside a phrase ("motion" in "slow
    motion") is read only where it completes one with the words around it, and only
    `targets` are read as (common words are not worth correcting, but they make a tie).
    `meaning` gives what a word means alone: a tie between words that mean the same
    ("calido", "calidos": warmer) is no tie."""

    def __init__(
        self,
        known: Iterable[str],
        keep: Iterable[str] = (),
        targets: Iterable[str] | None = None,
        meaning: Mapping[str, str] | None = None,
        phrases: Trie | None = None,
    ) -> None:
        self.known = frozenset(known)
        self.keep = frozenset(keep) | self.known
        self.targets = self.known if targets is None else frozenset(targets)
        self.meaning = meaning or {}
        self.phrases = phrases
        self.index: dict[str, set[str]] = {}
        for word in self.known:
            if len(word) >= 3 and word.isalpha():
                for deleted in _deletions(word, 2 if len(word) >= 6 else 1):
                    self.index.setdefault(deleted, set()).add(word)

    def nearest(self, word: str) -> list[str]:
        """The known words nearest to an unknown one, all at the same distance."""
        if len(word) < 4 or not word.isalpha() or word in self.keep:
            return []
        depth = 1 if len(word) < 8 else 2
        candidates = {c for d in _deletions(word, depth) for c in self.index.get(d, ())}
        starts = {word[:1], word[1::-1]}
        near = [c for c in candidates if (c[:1] in starts or c[:2] in starts) and _within(word, c)]
        ones = [c for c in near if _distance(word, c, 1) <= 1]
        return sorted(ones or near)

    def read_as(self, words: list[str], at: int, near: list[str]) -> str | None:
        """The one word `words[at]` is read as, if there is exactly one: the one that completes
        a phrase with its neighbours ("upside donw"), else the one that means something alone
        ("mirorr"). A common word as near is a reading too: "colr" may be "color" or "cold"."""
        if self.phrases is None:
            return self._one(words[at], near)
        completing = [word for word in near if self._completes(words, at, word)]
        if len(completing) > 1:  # "spped up": "speed up" rather than "sped up", a letter off
            completing = [word for word in completing if len(word) == len(words[at])] or completing
        if len(completing) == 1:
            return completing[0]
        if completing or any(word not in self.targets for word in near):
            return None
        return self._one(words[at], [word for word in near if word in self.meaning])

    def _pair(self, following: str, near: list[str]) -> str | None:
        """The one reading of a word that makes a phrase with a reading of the misspelt word
        after it; that word is then read in its turn."""
        if self.phrases is None:
            return None
        after = self.nearest(following) or [following]
        found = [
            word
            for word in near
            for other in after
            if (hit := self.phrases.longest([word, other], 0)) and hit[0] == 2
        ]
        return found[0] if len(set(found)) == 1 else None

    def _one(self, written: str, tied: list[str]) -> str | None:
        """The one word, or the closest-looking of words that all mean the same."""
        if len(tied) == 1:
            return tied[0]
        meant = [word for word in tied if word in self.meaning]
        if not meant or len({self.meaning[word] for word in meant}) > 1:
            return None
        return max(meant, key=lambda word: (SequenceMatcher(None, written, word).ratio(), word))

    def _completes(self, words: list[str], at: int, word: str) -> bool:
        """Whether `word` at `at` makes a phrase of two words or more with its neighbours."""
        assert self.phrases is not None
        depth = self.phrases.depth
        window = [*words[max(0, at - depth + 1) : at], word, *words[at + 1 : at + depth]]
        here = min(at, depth - 1)
        for start in range(here + 1):
            found = self.phrases.longest(window, start)
            if found and found[0] > 1 and start + found[0] > here:
                return True
        return False

    def correct(self, words: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
        """The words with each misspelling replaced, and (as written, read as) for each."""
        out, corrected, near = list(words), [], {}
        for at, word in enumerate(words):
            if word not in near:
                near[word] = self.nearest(word)
            meant = self.read_as(out, at, near[word]) if near[word] else None
            if meant is None and at + 1 < len(words) and near[word]:
                meant = self._pair(words[at + 1], near[word])  # "blury backround"
            if meant:
                out[at] = meant
                # A plural is the word itself ("sounds"), not a misspelling to point out.
                if (word, meant) not in corrected and word not in (f"{meant}s", f"{meant}es"):
                    corrected.append((word, meant))
        return out, corrected


def _alone() -> dict[str, str]:
    """Each meaningful word that is a phrase by itself ("black", "second"), as itself."""
    return {phrase: phrase for phrase in PHRASES if phrase in MEANINGFUL}


PHRASE_TRIE = Trie()
for _phrase in PHRASES:
    PHRASE_TRIE.add(_phrase, True)
ENGLISH = Speller(
    WORDS,
    keep=COMMON | suggest.EVERYDAY.keys(),
    targets=MEANINGFUL,
    meaning=_alone(),
    phrases=PHRASE_TRIE,
)


def correct(tokens: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The tokens with each misspelt word replaced, and (as written, read as) for each."""
    return ENGLISH.correct(tokens)

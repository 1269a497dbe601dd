"""The matcher's vocabulary compiled once per catalog: phrases to concepts, typing slips, measures.

The catalog's ``concepts`` (scenarios/catalog/concepts.yaml) give every term; fact synonyms and the
catalog's synonym groups become concepts of their own (``fact:<id>``, ``syn:<n>``). Reading a
question finds, left to right, the longest term at each word, after replacing a word that is not in
the vocabulary by the one vocabulary word a single typing slip away (two for long words), and turns
ages, durations and temperatures into the concepts whose ``measure`` they meet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._text import STOPWORDS, Quantity, Token, quantities, tokenize

__all__ = ["ATTACHED_KINDS", "ConceptInfo", "Lexicon", "Occurrence"]

#: Kinds that attach to the nearest other concept of their clause.
ATTACHED_KINDS = frozenset(("site", "time"))
#: A typed word this long may be read as a vocabulary word one slip away...
MIN_TYPO = 4
#: ... of at least this length; from TWO_SLIPS letters on, two slips are allowed.
MIN_TARGET, TWO_SLIPS = 5, 9
#: Words whose reading is remembered between questions (the memory is emptied when full).
SLIP_CACHE = 4096


@dataclass(frozen=True)
class ConceptInfo:
    """What the matcher needs to know of one concept."""

    id: str
    kind: str
    label: str
    modifier: str = ""
    direction: str = "forward"
    reach: int = 0
    #: For a negation: it carries over commas into a list ("denies fever, chills, weight loss").
    lists: bool = False
    #: A word that states a finding on its own ("febrile"): never one more item of a negated list.
    stands_alone: bool = False
    #: This concept and every concept it implies, transitively.
    closure: frozenset[str] = frozenset()


@dataclass
class Occurrence:
    """Concepts found at tokens ``first``..``last`` (characters ``start``..``end`` of the question)."""

    own: tuple[str, ...]
    first: int
    last: int
    start: int
    end: int
    clause: int
    sentence: int
    #: Own concepts and all they imply.
    concepts: frozenset[str] = frozenset()
    #: Found through a word that says the concept is absent (afebrile).
    absent: bool = False
    #: Vocabulary words read in place of what was typed: (typed, read).
    slips: tuple[tuple[str, str], ...] = ()
    quantity: Quantity | None = None
    #: Modifiers found on it: kind -> index of the trigger occurrence.
    status: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Measure:
    concept: str
    quantity: str
    at_least: float | None
    below: float | None

    def holds(self, q: Quantity) -> bool:
        return (
            q.kind == self.quantity
            and (self.at_least is None or q.value >= self.at_least)
            and (self.below is None or q.value < self.below)
        )


def _key(term: str) -> tuple[str, ...]:
    return tuple(t.text for t in tokenize(term))


def _one_slip(a: str, b: str) -> bool:
    """True when b is a with one letter changed, added or dropped, or two neighbours swapped."""
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if len(long) - len(short) != 1:
        return False
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]


def _distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (optimal string alignment), stopping early above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


class Lexicon:
    """Phrases, typing-slip index and measures of one catalog."""

    def __init__(self, catalog: Mapping[str, Any]) -> None:
        entries = [*catalog.get("concepts", []), *_implicit(catalog)]
        self.info: dict[str, ConceptInfo] = {}
        self.phrases: dict[tuple[str, ...], list[tuple[str, bool]]] = {}
        self.measures: list[_Measure] = []
        #: Guesses for words the vocabulary lacks: endings, the words that follow a sign's name, capitals.
        self.endings: list[tuple[str, str]] = []
        self.before: dict[tuple[str, ...], str] = {}
        self.capitals = ""
        implies: dict[str, list[str]] = {}
        plain: set[str] = set(STOPWORDS)
        targets: set[str] = set()  # words a slip may be read as: terms, not listed misspellings
        for c in entries:
            cid = c["id"]
            implies[cid] = list(c.get("implies", []))
            self.info[cid] = ConceptInfo(
                cid,
                c.get("kind", "symptom"),
                c.get("label", cid),
                c.get("modifier", ""),
                c.get("direction", "forward"),
                int(c.get("reach", 0)),
                bool(c.get("lists", False)),
                bool(c.get("stands_alone", False)),
            )
            if c.get("kind") == "word":
                plain.update(w for term in c.get("terms", []) for w in _key(term))
                continue
            for term in c.get("misspellings", []):
                self._add(term, cid, False)
            for term in c.get("terms", []):
                targets.update(self._add(term, cid, False))
            for term in c.get("absent_terms", []):
                targets.update(self._add(term, cid, True))
            m = c.get("measure")
            if m:
                self.measures.append(_Measure(cid, m["quantity"], m.get("at_least"), m.get("below")))
            g = c.get("guess")
            if g:
                self.endings += [(e.casefold(), cid) for e in g.get("endings", [])]
                self.before.update({_key(w): cid for w in g.get("before", [])})
                self.capitals = cid if g.get("capitals") else self.capitals
        for cid, info in self.info.items():
            object.__setattr__(info, "closure", frozenset(_closure(cid, implies)))
        self.longest = max((len(k) for k in self.phrases), default=1)
        words = {w for key in self.phrases for w in key}
        #: Words taken as typed: the vocabulary's, ordinary words and stopwords.
        self.known = frozenset(words | plain)
        # the words a slip may be read as, by first letter (a slip rarely changes the first letter)
        by_start: dict[str, list[str]] = {}
        for w in sorted(targets):
            if len(w) >= MIN_TARGET and w.isalpha():
                by_start.setdefault(w[0], []).append(w)
        self._by_start = {k: tuple(v) for k, v in by_start.items()}
        self._slips: dict[str, str] = {}

    def _add(self, term: str, cid: str, absent: bool) -> tuple[str, ...]:
        key = _key(term)
        if key and (cid, absent) not in self.phrases.setdefault(key, []):
            self.phrases[key].append((cid, absent))
        return key

    def correct(self, word: str) -> str:
        """The vocabulary word one slip (two for long words) away from ``word``, or ``word`` itself."""
        if len(word) < MIN_TYPO or word in self.known or not word.isalpha():
            return word
        if word not in self._slips:
            if len(self._slips) >= SLIP_CACHE:
                self._slips.clear()
            self._slips[word] = self._correct(word)
        return self._slips[word]

    def _correct(self, word: str) -> str:
        # same first letter, or the first two swapped
        cands = [
            *self._by_start.get(word[0], ()),
            *(w for w in self._by_start.get(word[1], ()) if w[:2] == word[1::-1]),
        ]
        one = sorted(
            (len(w) != len(word), w) for w in cands if abs(len(w) - len(word)) <= 1 and _one_slip(word, w)
        )
        if one:
            return one[0][1]
        if len(word) < TWO_SLIPS - 1:
            return word
        two = sorted(
            w
            for w in cands
            if len(w) >= TWO_SLIPS and abs(len(w) - len(word)) <= 2 and _distance(word, w, 2) <= 2
        )
        return two[0] if len(two) == 1 else word  # two equally close long words: too uncertain to choose

    def read(self, text: str) -> tuple[list[Token], list[Occurrence]]:
        """The question's tokens and every concept occurrence in it, in text order."""
        tokens = tokenize(text)
        found: list[Occurrence] = []
        for q in quantities(tokens):
            own = tuple(m.concept for m in self.measures if m.holds(q))
            if own:
                found.append(self._occurrence(tokens, own, q.first, q.last, quantity=q))
        texts = [t.text if t.used or t.kind != "word" else self.correct(t.text) for t in tokens]
        i = 0
        while i < len(tokens):
            if tokens[i].used:
                i += 1
                continue
            for n in range(min(self.longest, len(tokens) - i), 0, -1):
                span = tokens[i : i + n]
                if n > 1 and any(t.used or t.clause != span[0].clause for t in span):
                    continue
                hits = self.phrases.get(tuple(texts[i : i + n]))
                if hits:
                    slips = tuple(
                        (t.text, r) for t, r in zip(span, texts[i : i + n], strict=True) if t.text != r
                    )
                    own = tuple(dict.fromkeys(cid for cid, _ in hits))
                    absent = all(a for _, a in hits)
                    found.append(self._occurrence(tokens, own, i, i + n - 1, absent=absent, slips=slips))
                    i += n
                    break
            else:
                i += 1
        found += self._guesses(text, tokens, texts, found)
        found.sort(key=lambda o: (o.first, o.last))
        return tokens, found

    def _guesses(
        self, text: str, tokens: list[Token], texts: list[str], found: list[Occurrence]
    ) -> list[Occurrence]:
        """Words the vocabulary lacks that look like the name of a sign or finding, read as such so
        that an unknown sign never passes for the absence of one."""
        covered = {t for o in found for t in range(o.first, o.last + 1)}
        out = []
        for i, t in enumerate(tokens):
            word = texts[i]
            if t.kind != "word" or t.used or i in covered or word in self.known or not word.isalpha():
                continue
            cid = next((c for e, c in self.endings if word.endswith(e) and len(word) >= len(e) + 3), "")
            for key, c in self.before.items():
                after = tokens[i + 1 : i + 1 + len(key)]
                same = all(x.clause == t.clause for x in after)
                if not cid and same and tuple(x.text for x in after) == key:
                    cid = c
            typed = text[t.start : t.end]
            if not cid and self.capitals and 2 <= len(typed) <= 5 and typed.isupper():
                cid = self.capitals
            if cid:
                out.append(self._occurrence(tokens, (cid,), i, i))
        return out

    def _occurrence(
        self, tokens: list[Token], own: tuple[str, ...], first: int, last: int, **extra: Any
    ) -> Occurrence:
        a, b = tokens[first], tokens[last]
        closure = frozenset().union(*(self.info[c].closure for c in own))
        return Occurrence(own, first, last, a.start, b.end, a.clause, a.sentence, closure, **extra)

    def words_of(self, text: str) -> list[str]:
        """Normalised words of ``text`` that are not in the vocabulary (for keyword matching)."""
        return [t.text for t in tokenize(text) if t.kind == "word" and t.text not in self.known]


def _closure(cid: str, implies: Mapping[str, list[str]]) -> set[str]:
    seen, todo = {cid}, list(implies.get(cid, []))
    while todo:
        nxt = todo.pop()
        if nxt not in seen and nxt in implies:
            seen.add(nxt)
            todo.extend(implies[nxt])
    return seen


def _implicit(catalog: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Fact synonyms and synonym groups, as concepts of their own."""
    out: list[dict[str, Any]] = [
        {"id": f"fact:{f['id']}", "kind": "symptom", "label": f.get("label", f["id"]), "terms": f["synonyms"]}
        for f in catalog.get("facts", [])
        if f.get("synonyms")
    ]
    for n, group in enumerate(catalog.get("synonyms", [])):
        if group:
            out.append({"id": f"syn:{n}", "kind": "synonym", "label": group[0], "terms": list(group)})
    return out

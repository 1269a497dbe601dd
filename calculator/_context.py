"""ConText for the matcher: which concepts are negated, historical, hypothetical, suspected, or about
someone else (a family member or another person).

A pure-Python port of the trigger-and-scope approach of ConText (Chapman WW, Dowling JN, Chu DL,
BioNLP 2007:81-88; Harkema H et al., J Biomed Inform 2009;42:839-851), itself a generalisation of NegEx
(Chapman WW et al., J Biomed Inform 2001;34:301-310). The trigger terms are data: concepts of kind
``modifier`` in scenarios/catalog/concepts.yaml. A trigger's scope runs forward (or backward) from it
to the end of its clause, to a terminating term (``end``), to its ``reach`` in words, or to the first
concept of another family that is not joined to the previous one by "or", "nor" or a comma (so that
"no trauma neck pain" negates only the trauma). A negation that takes a list ("denies", "negative
for") or whose list is closed by "or" ("no fever, chills or sweats") carries over commas into short
clauses of findings of the same family, never into a clause with a number; a plain "no" does not, so
that "no fever, IVDU" keeps the injection drug use, and a clause with a trigger of its own
("denies trauma, hx breast ca") starts a new statement.
Pseudo-triggers ("no change", "not improving") hold a trigger word and trigger nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._lexicon import ConceptInfo, Occurrence
from ._text import STOPWORDS, Token

__all__ = ["FAMILIES", "apply_context", "family_of", "trigger_of"]

#: Concept kinds that are findings of one family for the scope rule; others do not end a scope.
FAMILIES = {
    "cancer": "finding",
    "lesion": "finding",
    "condition": "finding",
    "red-flag": "finding",
    "symptom": "symptom",
    "imaging": "imaging",
    "treatment": "treatment",
    "synonym": "",
}
#: Without its own reach, a forward trigger looks at most this many words ahead.
DEFAULT_REACH = 8
#: A clause a negation carries over into has at most this many words.
LIST_ITEM_WORDS = 4
_JOINERS = frozenset(("or", "nor", "/", "&"))
_STATUS_KINDS = ("negated", "historical", "hypothetical", "suspected", "family", "other")


def trigger_of(
    o: Occurrence, info: Mapping[str, ConceptInfo], tokens: list[Token], follows: bool = False
) -> ConceptInfo | None:
    """The modifier an occurrence stands for. A term listed both ways ("ruled out", "suspected") looks
    towards the nearer finding of its clause, forward on a tie (``follows``); a mark ("?") points the
    way it is glued ("?PNS", "PNS?")."""
    mods = [info[c] for c in o.own if info[c].kind == "modifier"]
    if not mods:
        return None
    if len(mods) > 1:
        forward = tokens[o.last].glued_after if tokens[o.last].kind == "mark" else follows
        mods.sort(key=lambda m: (m.direction != ("forward" if forward else "backward"), m.id))
    return mods[0]


def family_of(o: Occurrence, info: Mapping[str, ConceptInfo]) -> str:
    """The family of an occurrence for scopes and attachment ("" for sites, times and modifiers)."""
    for c in o.own:
        fam = FAMILIES.get(info[c].kind, "")
        if fam:
            return fam
    return ""


def apply_context(tokens: list[Token], found: list[Occurrence], info: Mapping[str, ConceptInfo]) -> None:
    """Set ``status`` on every concept occurrence (in place): modifier kind -> trigger index."""
    ctx = _Scopes(tokens, found, info)
    for i in ctx.targets:
        if found[i].absent:
            found[i].status["negated"] = i
    for ti, trig in ctx.triggers:
        if trig.modifier not in _STATUS_KINDS:
            continue
        inside = []
        if trig.direction in ("forward", "both"):
            inside += ctx.forward(ti, trig)
        if trig.direction in ("backward", "both"):
            inside += ctx.backward(ti, trig)
        for j in inside:
            found[j].status.setdefault(trig.modifier, ti)


def _looks_forward(found: list[Occurrence], info: Mapping[str, ConceptInfo]) -> list[bool]:
    """For each occurrence: is the nearest finding of its clause (not a site, a time or a trigger) after
    it, at most as far as the nearest before? "cancer excluded on PET" looks back, "excluded cancer" on."""
    plain = [family_of(o, info) != "" for o in found]

    def gaps(order: range, forward: bool) -> list[int | None]:
        out: list[int | None] = [None] * len(found)
        last = None
        for i in order:
            o = found[i]
            if last is not None and found[last].clause == o.clause:
                out[i] = found[last].first - o.last if forward else o.first - found[last].last
            last = i if plain[i] else last
        return out

    after, before = gaps(range(len(found) - 1, -1, -1), True), gaps(range(len(found)), False)
    return [a is not None and (b is None or a <= b) for a, b in zip(after, before, strict=True)]


class _Scopes:
    """The triggers of one question and the scope of each."""

    def __init__(self, tokens: list[Token], found: list[Occurrence], info: Mapping[str, ConceptInfo]) -> None:
        self.tokens, self.found, self.info = tokens, found, info
        follows = _looks_forward(found, info)
        kinds = [trigger_of(o, info, tokens, follows[i]) for i, o in enumerate(found)]
        self.triggers = [(i, t) for i, t in enumerate(kinds) if t is not None]
        self.targets = [i for i, t in enumerate(kinds) if t is None]
        self.ends = {found[i].first for i, t in self.triggers if t.modifier == "end"}
        self._items: dict[tuple[int, str], bool] = {}

    def _words(self, a: int, b: int) -> int:
        """Content words strictly between token indexes a and b."""
        return sum(1 for t in self.tokens[a + 1 : b] if t.kind != "mark" and t.text not in STOPWORDS)

    def forward(self, ti: int, trig: ConceptInfo) -> list[int]:
        found, t = self.found, self.found[ti]
        reach = trig.reach or DEFAULT_REACH
        clause, family, last = t.clause, "", t.last
        out: list[int] = []
        for j in (j for j in self.targets if found[j].first > t.last):
            o = found[j]
            if any(t.last < e < o.first for e in self.ends) or o.sentence != t.sentence:
                break
            if o.clause != clause:
                if not self._carries(trig, t) or not self._list_item(o.clause, family):
                    break
                clause = o.clause
            elif self._words(t.last, o.first) >= reach:
                break
            fam = family_of(o, self.info)
            if fam and family and fam != family and not self._joined(last, o.first):
                break
            if out and any(self.info[c].stands_alone for c in o.own):
                break  # "denies trauma and febrile": the adjective states a finding of its own
            if trig.modifier == "negated" and any(x.text == "with" for x in self.tokens[last + 1 : o.first]):
                break  # "no fever with rigors" is read with care: the rigors may be the patient's
            family = family or fam
            last = o.last
            out.append(j)
        return out

    def backward(self, ti: int, trig: ConceptInfo) -> list[int]:
        found, t = self.found, self.found[ti]
        reach = trig.reach or DEFAULT_REACH
        out: list[int] = []
        for j in sorted((j for j in self.targets if found[j].last < t.first), reverse=True):
            o = found[j]
            if o.clause != t.clause or any(o.last < e < t.first for e in self.ends):
                break
            if self._words(o.last, t.first) >= reach:
                break
            out.append(j)
        return out

    def _carries(self, trig: ConceptInfo, t: Occurrence) -> bool:
        """A negation carries over commas when it takes a list ("denies") or the list is closed by "or"."""
        if trig.modifier != "negated":
            return False
        rest = (x for x in self.tokens[t.last + 1 :] if x.sentence == t.sentence)
        return trig.lists or any(x.text in ("or", "nor") for x in rest)

    def _joined(self, a: int, b: int) -> bool:
        """True when "or", "nor", "/" or a clause break lies between tokens a and b."""
        tokens = self.tokens
        return any(x.text in _JOINERS for x in tokens[a + 1 : b]) or tokens[a].clause != tokens[b].clause

    def _list_item(self, clause: int, family: str) -> bool:
        """A short clause of same-family findings with no number: one more item of a negated list."""
        key = (clause, family)
        if key not in self._items:
            self._items[key] = self._is_item(clause, family)
        return self._items[key]

    def _is_item(self, clause: int, family: str) -> bool:
        inside = [o for o in self.found if o.clause == clause]
        # the sites of a list item do not make it longer ("or any arm or leg symptoms")
        sited = {t for o in inside if self.info[o.own[0]].kind == "site" for t in range(o.first, o.last + 1)}
        words = [x for x in self.tokens if x.clause == clause and x.index not in sited]
        families = {family_of(o, self.info) for o in inside} - {""}
        info = self.info
        return (
            0 < len([w for w in words if w.text not in STOPWORDS]) <= LIST_ITEM_WORDS
            and not any(w.kind == "num" for w in words)
            and bool(inside)
            and families <= {family or "finding"}
            and not any(
                info[c].modifier not in ("", "negated", "pseudo")
                or info[c].kind == "time"
                or info[c].stands_alone
                for o in inside
                for c in o.own
            )
        )

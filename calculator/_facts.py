"""Patient facts read from concepts: the rules of scenarios/catalog/facts.yaml, evaluated in order.

A rule holds when its first concept is found with a status the fact counts, every other concept of
the rule is found with such a status in the same clause (or anywhere, with ``scope: question``), none
of its ``without`` concepts is, and its facts already hold. Sites and times must moreover *attach* to
the first concept: they must be the ones nearest to it in its clause (with those joined to them by
"and", "or" or a comma-free list), at most ``near`` content words away, and not behind a term that
ends a scope. So "numbness over the cheek" is a sensory symptom in a face territory, while in
"neck mass and facial pain" the pain belongs to the face and not to the neck.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._context import family_of
from ._lexicon import ATTACHED_KINDS, ConceptInfo, Occurrence
from ._text import COORDINATORS, STOPWORDS, Token

__all__ = ["Evidence", "FactBook", "Rule"]

DEFAULT_COUNTS = ("affirmed", "historical", "suspected")
#: Families whose concepts own the sites next to them: a site never attaches across one of another family
#: (treatments and imaging words do not own sites: "SCC removed from the temple").
_OWNERS = frozenset(("symptom", "finding"))


@dataclass(frozen=True)
class Rule:
    concepts: tuple[str, ...]
    facts: tuple[str, ...]
    without: tuple[str, ...]
    scope: str
    near: int
    status: frozenset[str] | None
    assumed: str = ""


@dataclass
class Evidence:
    """Why a fact is present: selected, or read from these occurrences (and these facts)."""

    via: str  # selected, text, implied
    occurrences: list[int] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    #: What the text implies rather than says, shown instead of the fact's label.
    assumed: str = ""


@dataclass(frozen=True)
class _Fact:
    id: str
    rules: tuple[Rule, ...]
    unless: tuple[str, ...]
    counts: frozenset[str]


def _status(o: Occurrence) -> frozenset[str]:
    return frozenset(o.status) or frozenset(("affirmed",))


class FactBook:
    """The facts of one catalog with their rules, in an order where every rule's facts come first."""

    def __init__(self, catalog: Mapping[str, Any], info: Mapping[str, ConceptInfo]) -> None:
        self.info = info
        facts: dict[str, _Fact] = {}
        for f in catalog.get("facts", []):
            rules = [_rule(r) for r in f.get("when", [])]
            if f.get("synonyms"):
                rules.append(Rule((f"fact:{f['id']}",), (), (), "clause", 0, None))
            facts[f["id"]] = _Fact(
                f["id"], tuple(rules), tuple(f.get("unless", [])), frozenset(f.get("counts", DEFAULT_COUNTS))
            )
        self.facts = facts
        self.order = _order(facts)
        edges = _edges(facts)
        #: The facts each fact implies, transitively: what selecting it brings, and how specific it is.
        self.requires = {fid: _reach(fid, edges) for fid in facts}

    def read(
        self, tokens: list[Token], found: list[Occurrence], selected: Iterable[str]
    ) -> dict[str, Evidence]:
        """Every fact present, with its evidence; selected facts bring the facts they imply."""
        present: dict[str, Evidence] = {}
        for fid in selected:
            present[fid] = Evidence("selected")
        for fid in list(present):
            for req in self.requires.get(fid, ()):
                present.setdefault(req, Evidence("implied", facts=[fid]))
        q = _Question(tokens, found, self.info)
        for fid in self.order:
            if fid in present:
                continue
            fact = self.facts[fid]
            for rule in fact.rules:
                hit = self._match(rule, fact, q, present)
                if hit is not None:
                    if not any(u in present for u in fact.unless):
                        # a fact read from other facts quotes what made them
                        more = [j for f in rule.facts for j in present[f].occurrences]
                        present[fid] = Evidence("text", sorted({*hit, *more}), list(rule.facts), rule.assumed)
                    break
        return present

    def _match(self, rule: Rule, fact: _Fact, q: _Question, present: Mapping[str, Any]) -> list[int] | None:
        if any(f not in present for f in rule.facts):
            return None
        if not rule.concepts:
            return []
        accepted, counted = rule.status or fact.counts, fact.counts
        found = q.found
        for h in q.having(rule.concepts[0]):
            occ = found[h]
            if not _status(occ) <= accepted:
                continue
            scope, held = q.scope(counted, None if rule.scope == "question" else occ.clause)
            if not held.isdisjoint(rule.without):
                continue
            used = [h]
            for c in rule.concepts[1:]:
                if c in occ.concepts:
                    continue
                kind = self.info[c].kind if c in self.info else ""
                if kind in ATTACHED_KINDS and rule.scope == "clause":
                    pick = [
                        j for j in q.attached(h, kind, rule.near) if c in found[j].concepts and j in scope
                    ]
                else:
                    pick = [j for j in q.having(c) if j != h and j in scope]
                if not pick:
                    break
                used.append(pick[0])
            else:
                return sorted(set(used))
        return None


class _Question:
    """One question's occurrences with what rule evaluation asks of them, each computed once."""

    def __init__(self, tokens: list[Token], found: list[Occurrence], info: Mapping[str, ConceptInfo]) -> None:
        self.tokens, self.found, self.info = tokens, found, info
        owner: dict[int, int] = {t: j for j, o in enumerate(found) for t in range(o.first, o.last + 1)}
        self.kinds = [frozenset(info[c].kind for c in o.concepts if c in info) for o in found]
        # the family of each occurrence that can own a site (a symptom, a finding, a treatment …)
        self.families = [family_of(o, info) for o in found]
        self.ends = sorted(
            o.first for o in found if any(info[c].modifier == "end" for c in o.own if c in info)
        )
        self._having: dict[str, list[int]] = {}
        for j, o in enumerate(found):
            for c in o.concepts:
                self._having.setdefault(c, []).append(j)
        self._scopes: dict[tuple[frozenset[str], int | None], tuple[set[int], frozenset[str]]] = {}
        self._attached: dict[tuple[int, str, int], list[int]] = {}
        # per attached kind: its occurrences by clause, and running counts of the words that count in a
        # distance (content words outside that kind's own occurrences), joiners apart for listed sites
        self._places: dict[str, dict[int, list[int]]] = {}
        self._words: dict[str, tuple[list[int], list[int]]] = {}
        for kind in ATTACHED_KINDS:
            places: dict[int, list[int]] = {}
            for j, o in enumerate(found):
                if kind in self.kinds[j]:
                    places.setdefault(o.clause, []).append(j)
            self._places[kind] = places
            content, strict = [0], [0]
            for t in tokens:
                own = owner.get(t.index)
                counts = (
                    t.kind != "mark"
                    and t.text not in STOPWORDS
                    and (own is None or kind not in self.kinds[own])
                )
                content.append(content[-1] + counts)
                strict.append(strict[-1] + (counts and t.text not in COORDINATORS))
            self._words[kind] = (content, strict)

    def having(self, concept: str) -> list[int]:
        return self._having.get(concept, [])

    def scope(self, accepted: frozenset[str], clause: int | None) -> tuple[set[int], frozenset[str]]:
        """Occurrences with an accepted status (in one clause, or anywhere) and the concepts they hold."""
        key = (accepted, clause)
        if key not in self._scopes:
            ids = {
                j
                for j, o in enumerate(self.found)
                if (clause is None or o.clause == clause) and _status(o) <= accepted
            }
            self._scopes[key] = (ids, frozenset().union(*(self.found[j].concepts for j in ids)))
        return self._scopes[key]

    def attached(self, h: int, kind: str, near: int) -> list[int]:
        """Sites (or times) attached to occurrence ``h``: the nearest, with those listed together."""
        key = (h, kind, near)
        if key not in self._attached:
            self._attached[key] = self._attach(h, kind, near)
        return self._attached[key]

    def _gap(self, a: int, b: int, kind: str, strict: bool = False) -> int:
        """Words that count between occurrences a and b (a before b)."""
        counts = self._words[kind][strict]
        return counts[self.found[b].first] - counts[self.found[a].last + 1]

    def _attach(self, h: int, kind: str, near: int) -> list[int]:
        if kind in self.kinds[h]:
            return [h]
        head = self.found[h]
        places = self._places[kind].get(head.clause, [])
        at = bisect.bisect_left(places, h)
        dist: dict[int, int] = {}
        # outwards from the head, until the words between are more than `near`
        for step, seq in ((1, places[at:]), (-1, places[:at][::-1])):
            for j in seq:
                if j == h:
                    continue
                a, b = (h, j) if step == 1 else (j, h)
                d = self._gap(a, b, kind)
                if d > near:
                    break
                lo, hi = self.found[a].last, self.found[b].first
                if bisect.bisect_right(self.ends, lo) < bisect.bisect_left(self.ends, hi):
                    break  # a term that ends a scope lies between
                if any(self.families[k] in _OWNERS - {self.families[h]} for k in range(a + 1, b)):
                    break  # "chin numbness in a lymphoma pt": the chin is the numbness's, not the cancer's
                dist[j] = d
        if not dist:
            return []
        best = min(dist.values())
        group = [j for j, d in dist.items() if d == best]
        # sites listed together ("lower lip and chin") attach together
        for seq in (places[places.index(max(group)) + 1 :], places[: places.index(min(group))][::-1]):
            edge = max(group) if seq and seq[0] > max(group) else min(group)
            for j in seq:
                if j == h or self._gap(min(edge, j), max(edge, j), kind, strict=True):
                    break
                group.append(j)
                edge = j
        return sorted(group)


def _rule(r: Mapping[str, Any]) -> Rule:
    status = frozenset(r["status"]) if r.get("status") else None
    return Rule(
        tuple(r.get("concepts", [])),
        tuple(r.get("facts", [])),
        tuple(r.get("without", [])),
        r.get("scope", "clause"),
        int(r.get("near", 3)),
        status,
        str(r.get("assumed", "")),
    )


def _order(facts: Mapping[str, _Fact]) -> list[str]:
    """Facts so that every fact comes after the facts its rules and ``unless`` need (stable by id)."""
    needs = {fid: {x for r in f.rules for x in r.facts} | set(f.unless) for fid, f in facts.items()}
    done: list[str] = []
    placed: set[str] = set()
    pending = sorted(facts)
    while pending:
        ready = [fid for fid in pending if needs[fid] <= placed | (needs[fid] - facts.keys())]
        if not ready:  # a circle (validation refuses it): keep the rest in id order
            ready = pending
        for fid in ready:
            done.append(fid)
            placed.add(fid)
        pending = [fid for fid in pending if fid not in placed]
    return done


def _edges(facts: Mapping[str, _Fact]) -> dict[str, set[str]]:
    """fact -> facts it implies directly: those every rule of it needs, and those read from it alone."""
    edges: dict[str, set[str]] = {fid: set() for fid in facts}
    for fid, f in facts.items():
        if f.rules:
            edges[fid] |= set.intersection(*(set(r.facts) for r in f.rules)) & facts.keys()
        for r in f.rules:
            if not r.concepts and len(r.facts) == 1 and not f.unless and r.facts[0] in edges:
                edges[r.facts[0]].add(fid)
    return edges


def _reach(fid: str, edges: Mapping[str, set[str]]) -> tuple[str, ...]:
    seen: list[str] = []
    todo = sorted(edges.get(fid, ()))
    while todo:
        g = todo.pop(0)
        if g != fid and g not in seen:
            seen.append(g)
            todo.extend(sorted(edges.get(g, ())))
    return tuple(seen)

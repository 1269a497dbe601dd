"""Scenario ranking for the matcher: the catalog's scenarios indexed once, a question read into facts
and counted concepts, every candidate scored, exclusions applied and redirected, the best listed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import _explain as ex
from ._context import apply_context
from ._contract import Trail
from ._explain import NO_FIT
from ._facts import Evidence, FactBook
from ._lexicon import Lexicon
from ._text import STOPWORDS

__all__ = ["COUNTED", "MIN_SCORE", "Index", "Reading", "build", "label", "rank"]

#: Points: required facts met = 10 pro rata, plus 5 per criterion met and 2 more per fact that the
#: criterion's fact implies (a more specific fact counts more), 4 per keyword (at most 3), 3 per concept
#: of the scenario named (at most 3), 5 for being the target of a triggered exclusion.
FACT_POINTS, CRITERION_POINTS, SPECIFIC_POINTS = 10.0, 5.0, 2.0
KEYWORD_POINTS, CONCEPT_POINTS, REDIRECT_POINTS = 4.0, 3.0, 5.0
#: A scenario fits only with all its required facts and at least this score.
MIN_SCORE = 4.0
#: Fact groups never offered in the form (helpers and presentations answered instead of a scenario).
_UNSHOWN = frozenset(("internal", "outside", "emergency"))
#: The statuses under which a concept counts towards keywords and concepts of scenarios.
COUNTED = frozenset(("affirmed", "historical", "suspected"))


@dataclass(frozen=True)
class _Entry:
    data: Mapping[str, Any]
    facts_all: tuple[str, ...]
    facts_any: tuple[str, ...]
    keywords: tuple[tuple[str, frozenset[str]], ...]
    concepts: frozenset[str]
    exclusions: tuple[tuple[Mapping[str, Any], frozenset[str]], ...]

    def gap(self, have: Mapping[str, Any]) -> int:
        """Number of fact criteria not met."""
        missing = sum(1 for f in self.facts_all if f not in have)
        return missing + (1 if self.facts_any and not any(f in have for f in self.facts_any) else 0)


@dataclass(frozen=True)
class Index:
    lexicon: Lexicon
    book: FactBook
    entries: tuple[_Entry, ...]
    by_id: dict[str, int]
    by_unit: dict[str, frozenset[int]]
    facts: dict[str, Mapping[str, Any]]
    #: How specific each fact is: the facts a clinician could tick that it implies.
    specificity: dict[str, int]


def _units(lexicon: Lexicon, text: str) -> frozenset[str]:
    """What a keyword needs: its concepts (as listed) and its words outside the vocabulary."""
    tokens, found = lexicon.read(text)
    covered = {i for o in found for i in range(o.first, o.last + 1)}
    units = {c for o in found for c in o.own if lexicon.info[c].kind not in ("modifier", "word")}
    units |= {
        "w:" + t.text
        for t in tokens
        if t.index not in covered and t.kind == "word" and t.text not in STOPWORDS
    }
    return frozenset(units)


def build(catalog: Mapping[str, Any]) -> Index:
    lexicon = Lexicon(catalog)
    book = FactBook(catalog, lexicon.info)
    entries, by_unit = [], {}  # type: ignore[var-annotated]
    for n, s in enumerate(sorted(catalog.get("scenarios", []), key=lambda s: s["id"])):
        kws: dict[frozenset[str], str] = {}
        for k in s.get("keywords", []):
            kws.setdefault(_units(lexicon, k), k)  # keywords that read the same count once
        keywords = tuple((k, u) for u, k in kws.items() if u)
        excl = tuple((e, frozenset(e.get("facts", []))) for e in s.get("exclusions", []))
        entry = _Entry(
            s,
            tuple(s.get("facts_all", [])),
            tuple(s.get("facts_any", [])),
            keywords,
            frozenset(s.get("concepts", [])),
            excl,
        )
        entries.append(entry)
        for unit in {*entry.concepts, *(u for _, us in keywords for u in us)}:
            by_unit.setdefault(unit, set()).add(n)
        for fact in (*entry.facts_all, *entry.facts_any, *(f for _, fs in excl for f in fs)):
            by_unit.setdefault("f:" + fact, set()).add(n)
    facts = {f["id"]: f for f in catalog.get("facts", [])}
    # helpers and not-covered answers that a fact implies make it no more specific
    shown = {fid for fid, f in facts.items() if f.get("group") not in _UNSHOWN}
    specificity = {fid: len(set(book.requires[fid]) & shown) for fid in book.requires}
    return Index(
        lexicon,
        book,
        tuple(entries),
        {e.data["id"]: i for i, e in enumerate(entries)},
        {k: frozenset(v) for k, v in by_unit.items()},
        facts,
        specificity,
    )


@dataclass
class _Score:
    points: float
    missing: int
    keywords: list[str]
    concepts: list[str]
    triggered: list[tuple[Mapping[str, Any], frozenset[str]]]
    redirected_from: list[str]


class Reading:
    """One question read: its occurrences, the facts present, and what counts per clause."""

    def __init__(self, index: Index, text: str, selected: list[str]) -> None:
        self.text = text
        self.tokens, self.found = index.lexicon.read(text)
        apply_context(self.tokens, self.found, index.lexicon.info)
        self.present: dict[str, Evidence] = index.book.read(self.tokens, self.found, selected)
        counted = [o for o in self.found if (frozenset(o.status) or {"affirmed"}) <= COUNTED]
        self.concepts = frozenset(c for o in counted for c in o.concepts)
        clauses: dict[int, set[str]] = {}
        for o in counted:
            clauses.setdefault(o.clause, set()).update(o.concepts)
        covered = {i for o in self.found for i in range(o.first, o.last + 1)}
        for t in self.tokens:
            if t.index not in covered and t.kind == "word" and t.text not in STOPWORDS:
                clauses.setdefault(t.clause, set()).add("w:" + t.text)
        self.clauses = [frozenset(u) for u in clauses.values()]
        self.units = frozenset().union(*self.clauses) if self.clauses else frozenset()


def _score(index: Index, e: _Entry, r: Reading) -> _Score:
    total = len(e.facts_all) + bool(e.facts_any)
    missing = e.gap(r.present)
    met = [f for f in e.facts_all if f in r.present]
    hits = sorted((f for f in e.facts_any if f in r.present), key=lambda f: -index.specificity[f])
    met += hits[:1]
    points = (FACT_POINTS * (total - missing) / total if total else 0.0) + sum(
        CRITERION_POINTS + SPECIFIC_POINTS * index.specificity[f] for f in met
    )
    keywords = [k for k, units in e.keywords if any(units <= c for c in r.clauses)]
    concepts = sorted(e.concepts & r.concepts)
    points += KEYWORD_POINTS * min(len(keywords), 3) + CONCEPT_POINTS * min(len(concepts), 3)
    triggered = [(x, fs) for x, fs in e.exclusions if any(f in r.present for f in fs)]
    return _Score(points, missing, keywords, concepts, triggered, [])


def label(index: Index, fid: str, r: Reading | None = None) -> str:
    """The fact's label, or what the text implies of it when the text does not say it outright."""
    ev = r.present.get(fid) if r is not None else None
    if ev is not None and ev.assumed:
        return ev.assumed
    fact = index.facts.get(fid)
    return str(fact["label"]) if fact else fid


def _via(r: Reading, fid: str) -> str:
    ev = r.present[fid]
    return "selected" if ev.via == "selected" else "text" if ev.via == "text" else "implied"


def _criteria(index: Index, e: _Entry, r: Reading) -> tuple[list[Any], list[Any]]:
    met: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    for fid in e.facts_all:
        crit = {"facts": [fid], "label": label(index, fid, r)}
        (met if fid in r.present else missing).append(
            {**crit, "via": _via(r, fid)} if fid in r.present else crit
        )
    if e.facts_any:
        hits = [f for f in e.facts_any if f in r.present]
        crit = {
            "facts": list(e.facts_any),
            "label": "one of: " + ", ".join(label(index, f) for f in e.facts_any),
        }
        if hits:
            met.append({**crit, "label": label(index, hits[0], r), "via": _via(r, hits[0])})
        else:
            missing.append(crit)
    return met, missing


def _item(index: Index, e: _Entry, sc: _Score, fits: bool, r: Reading) -> dict[str, Any]:
    d = e.data
    met, missing = _criteria(index, e, r)
    return {
        "id": d["id"],
        "kind": d.get("kind", ""),
        "title": d["title"],
        "topic": d.get("topic", ""),
        "topic_title": d.get("topic_title", ""),
        "acr_variant": d.get("acr_variant", ""),
        "url": d.get("url", ""),
        "score": round(sc.points, 2),
        "fits": fits,
        "criteria_met": met,
        "criteria_missing": missing,
        "keywords_matched": sc.keywords,
        "concepts_matched": [index.lexicon.info[c].label for c in sc.concepts if c in index.lexicon.info],
        "excluded": bool(sc.triggered),
        "redirected_from": sc.redirected_from,
        "adults_only": bool(d.get("adults_only", False)),
        "top": d.get("top"),
        "source": d.get("source", ""),
        "confidence": d.get("confidence", ""),
    }


def _rank(scored: dict[int, _Score], index: Index, fitting_only: bool) -> list[int]:
    """Candidates best first: fitting ones, then by points, then by id (deterministic)."""
    ranked = []
    for n, sc in scored.items():
        fits = not sc.missing and sc.points >= MIN_SCORE and not sc.triggered
        if fits or (not fitting_only and not sc.triggered):
            ranked.append((not fits, -round(sc.points, 6), index.entries[n].data["id"], n))
    return [n for *_, n in sorted(ranked)]


def _shares_a_fact(e: _Entry, r: Reading) -> bool:
    return any(f in r.present for f in (*e.facts_all, *e.facts_any))


def _because(index: Index, r: Reading, facts: frozenset[str]) -> list[dict[str, str]]:
    out = []
    for fid in sorted(facts & r.present.keys()):
        ev = r.present[fid]
        said = ex.phrase(r.text, r.found, ev.occurrences) if ev.via == "text" else ""
        out.append({"fact": fid, "label": label(index, fid, r), "phrase": said})
    return out


def rank(index: Index, r: Reading, limit: int, trail: Trail) -> dict[str, Any]:
    cands = set().union(
        *(index.by_unit.get(u, ()) for u in r.units), *(index.by_unit.get("f:" + f, ()) for f in r.present)
    )
    scored = {n: _score(index, index.entries[n], r) for n in cands if not index.entries[n].gap(r.present)}
    redirects: list[dict[str, Any]] = []
    bonus: dict[int, list[str]] = {}
    for n in sorted(scored):
        sc, e = scored[n], index.entries[n]
        for excl, fs in sc.triggered:
            target = excl.get("redirect") or {}
            because = _because(index, r, fs)
            redirects.append(
                {"from": e.data["id"], "from_title": e.data["title"], "text": excl.get("text", ""),
                 "facts": [b["fact"] for b in because], "because": because, "to": target}
            )  # fmt: skip
            said = "; ".join(
                f"{b['label']}" + (f" ('{b['phrase']}')" if b["phrase"] else "") for b in because
            )
            trail.add(
                "exclusion",
                "flagged",
                f"{e.data['title']}: {excl.get('text', '')} Because: {said}.",
                (e.data.get("source", ""),),
                "facts",
            )
            tn = index.by_id.get(target.get("id", ""))
            if tn is not None:
                bonus.setdefault(tn, []).append(e.data["id"])
    for tn, sources in bonus.items():
        if tn not in scored:
            scored[tn] = _score(index, index.entries[tn], r)
        scored[tn].points += REDIRECT_POINTS
        scored[tn].redirected_from = sorted(set(sources))
    fit_ids = _rank(scored, index, fitting_only=True)[:limit]
    near_ids: list[int] = []
    if not fit_ids:
        scored.update({n: _score(index, index.entries[n], r) for n in cands if n not in scored})
        # a closest scenario shares at least one required fact with the question, not a word only
        near_ids = [
            n
            for n in _rank(scored, index, fitting_only=False)
            if scored[n].points > 0 and _shares_a_fact(index.entries[n], r)
        ][:3]
    trail.add(
        "ranking",
        "decided",
        f"{len(fit_ids)} scenario(s) fit; ranking by required facts met (more specific facts first), then by "
        f"the concepts and keywords of your question (a fit needs every required fact, no exclusion, and a "
        f"score of at least {MIN_SCORE:g}).",
    )
    return {
        "fits": bool(fit_ids),
        "message": "" if fit_ids else NO_FIT,
        "matches": [_item(index, index.entries[n], scored[n], True, r) for n in fit_ids],
        "closest": [_item(index, index.entries[n], scored[n], False, r) for n in near_ids],
        "redirects": redirects,
    }

"""Scenario matching: patient facts and/or free text in, ranked ACR scenarios out.

Deterministic scoring over the exported catalog (no model): required facts met, keywords and title
words found, exclusions that redirect elsewhere. The index is built once per catalog object.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._cache import per_catalog
from ._contract import Calculator, Field, FieldError, InputError, Trail, field_error, item_ok
from ._text import ABBREVIATIONS, Analysis, Vocabulary

__all__ = ["CALCULATOR", "MIN_SCORE"]

#: Points: required facts met = 10 pro rata, plus 5 per criterion met (a scenario that asks for more and
#: gets it is more specific), 4 per keyword (at most 3), 1 per title term (at most 4), 5 for being the
#: target of a triggered redirect.
FACT_POINTS, CRITERION_POINTS, KEYWORD_POINTS, TITLE_POINTS, REDIRECT_POINTS = 10.0, 5.0, 4.0, 1.0, 5.0
#: A scenario fits only with all its required facts and at least this score.
MIN_SCORE = 4.0
NO_FIT = (
    "No scenario fits these facts. Consult radiology: a radiologist can advise which study, if any, "
    "answers the clinical question."
)

FIELDS: tuple[Field, ...] = (
    Field(
        "facts",
        "list",
        "Patient facts",
        "Facts that apply to the patient (ids from the facts list).",
        default=[],
        values_from="facts",
        max_items=30,
    ),
    Field(
        "text",
        "string",
        "Clinical question",
        "Free text, as you would write it on a request.",
        default="",
        max_length=1000,
    ),
    Field(
        "limit",
        "integer",
        "Number of results",
        "How many fitting scenarios to list.",
        default=5,
        minimum=1,
        maximum=20,
    ),
)

_NO_CATALOG = field_error(
    "", "a scenario catalog", None, "scenario-match: the scenario catalog is not available", found="nothing"
)


@dataclass(frozen=True)
class _Entry:
    data: Mapping[str, Any]
    facts_all: tuple[str, ...]
    facts_any: tuple[str, ...]
    keywords: tuple[tuple[str, tuple[str, ...]], ...]
    title: frozenset[str]
    exclusions: tuple[tuple[Mapping[str, Any], frozenset[str]], ...]
    all_set: frozenset[str]
    any_set: frozenset[str]

    def gap(self, have: frozenset[str]) -> int:
        """Number of fact criteria not met (set operations only: this runs for every candidate)."""
        return len(self.all_set - have) + (1 if self.any_set and self.any_set.isdisjoint(have) else 0)


@dataclass(frozen=True)
class _Index:
    vocab: Vocabulary
    entries: tuple[_Entry, ...]
    by_id: dict[str, int]
    by_term: dict[str, frozenset[int]]
    by_fact: dict[str, frozenset[int]]
    facts: dict[str, Mapping[str, Any]]
    fact_phrases: tuple[tuple[str, str, tuple[str, ...]], ...]  # (fact id, phrase, required units)


def _build(catalog: Mapping[str, Any]) -> _Index:
    facts = {f["id"]: f for f in catalog.get("facts", [])}
    # Fact synonyms are not synonym groups: two facts sharing a word must not merge.
    vocab = Vocabulary.build([*ABBREVIATIONS, *catalog.get("synonyms", [])])
    entries, by_term, by_fact = [], {}, {}  # type: ignore[var-annotated]
    for n, s in enumerate(sorted(catalog.get("scenarios", []), key=lambda s: s["id"])):
        # Keywords that reduce to the same units (synonyms) count once.
        unique: dict[tuple[str, ...], str] = {}
        for k in s.get("keywords", []):
            unique.setdefault(vocab.required(k), k)
        kws = tuple((k, req) for req, k in unique.items())
        title = frozenset(vocab.required(s["title"]))
        excl = tuple((e, frozenset(e.get("facts", []))) for e in s.get("exclusions", []))
        entries.append(
            _Entry(
                s,
                tuple(s.get("facts_all", [])),
                tuple(s.get("facts_any", [])),
                kws,
                title,
                excl,
                frozenset(s.get("facts_all", [])),
                frozenset(s.get("facts_any", [])),
            )
        )
        for term in title.union(*(r for _, r in kws)):
            by_term.setdefault(term, set()).add(n)
        for fact in (*s.get("facts_all", []), *s.get("facts_any", []), *(f for _, fs in excl for f in fs)):
            by_fact.setdefault(fact, set()).add(n)
    phrases = tuple(
        sorted(
            (fid, p, vocab.required(p))
            for fid, f in facts.items()
            for p in {fid.replace("-", " "), *f.get("synonyms", [])}
        )
    )
    return _Index(
        vocab,
        tuple(entries),
        {e.data["id"]: i for i, e in enumerate(entries)},
        {k: frozenset(v) for k, v in by_term.items()},
        {k: frozenset(v) for k, v in by_fact.items()},
        facts,
        phrases,
    )


def _check(clean: dict[str, Any], catalog: Mapping[str, Any] | None, bad: frozenset[str]) -> list[FieldError]:
    """Unknown fact ids (with the closest valid one), an empty query, a missing catalog."""
    if catalog is None:
        return [_NO_CATALOG]
    errors: list[FieldError] = []
    ids, text = clean["facts"], clean["text"]
    if ids is not None and text is not None and not ids and not text.strip():
        msg = "give at least one fact or some text"
        errors.append(field_error("", "at least one fact or some text", None, msg, found="nothing"))
    index = per_catalog(catalog, "match", _build)
    for i, fid in enumerate(ids or []):
        if item_ok(bad, f"facts[{i}]") and fid not in index.facts:
            close = difflib.get_close_matches(fid, sorted(index.facts), n=1, cutoff=0.5)
            tail = f"; did you mean {close[0]!r}?" if close else "; see the facts list"
            errors.append(
                field_error(
                    f"facts[{i}]",
                    "a fact id from the catalog",
                    fid,
                    f"facts[{i}]: unknown fact {fid!r}{tail}",
                )
            )
    return errors


def _label(index: _Index, fid: str) -> str:
    fact = index.facts.get(fid)
    return str(fact["label"]) if fact else fid


@dataclass
class _Score:
    """Cheap numbers for ranking every candidate; details are built only for the ones shown."""

    points: float
    met: int
    missing: int
    keywords: list[str]
    title: list[str]
    triggered: list[tuple[Mapping[str, Any], frozenset[str]]]
    redirected_from: list[str]


def _score(e: _Entry, have: frozenset[str], text: Analysis) -> _Score:
    total = len(e.all_set) + bool(e.any_set)
    missing = e.gap(have)
    met = total - missing
    keywords = [k for k, req in e.keywords if text.has(req)]
    title = sorted(e.title & text.terms)
    points = (
        (FACT_POINTS * met / total if total else 0.0)
        + CRITERION_POINTS * met
        + KEYWORD_POINTS * min(len(keywords), 3)
        + TITLE_POINTS * min(len(title), 4)
    )
    triggered = [(x, fs) for x, fs in e.exclusions if not fs.isdisjoint(have)]
    return _Score(points, met, missing, keywords, title, triggered, [])


def _criteria(e: _Entry, present: dict[str, str], index: _Index) -> tuple[list[Any], list[Any]]:
    met: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    for fid in e.facts_all:
        crit = {"facts": [fid], "label": _label(index, fid)}
        if fid in present:
            met.append({**crit, "via": present[fid]})
        else:
            missing.append(crit)
    if e.facts_any:
        hits = [f for f in e.facts_any if f in present]
        label = "one of: " + ", ".join(_label(index, f) for f in e.facts_any)
        crit = {"facts": list(e.facts_any), "label": label}
        if hits:
            met.append({**crit, "via": present[hits[0]]})
        else:
            missing.append(crit)
    return met, missing


def _item(e: _Entry, sc: _Score, fits: bool, present: dict[str, str], index: _Index) -> dict[str, Any]:
    d = e.data
    met, missing = _criteria(e, present, index)
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
        "title_terms_matched": [t.lstrip("~") for t in sc.title],
        "excluded": bool(sc.triggered),
        "redirected_from": sc.redirected_from,
        "top": d.get("top"),
        "source": d.get("source", ""),
        "confidence": d.get("confidence", ""),
    }


def _rank(scored: dict[int, _Score], index: _Index, fitting_only: bool) -> list[int]:
    """Candidates best first: fitting ones, then by points, then by id (deterministic)."""
    ranked = []
    for n, sc in scored.items():
        fits = not sc.missing and sc.points >= MIN_SCORE and not sc.triggered
        if fits or not fitting_only:
            ranked.append((not fits, -round(sc.points, 6), index.entries[n].data["id"], n))
    return [n for *_, n in sorted(ranked)]


def _compute(clean: dict[str, Any], catalog: Mapping[str, Any] | None) -> dict[str, Any]:
    if catalog is None:
        raise InputError([_NO_CATALOG])
    selected: list[str] = clean["facts"] or []
    text: str = clean["text"] or ""
    index = per_catalog(catalog, "match", _build)
    trail = Trail()
    analysis = index.vocab.analyse(text)
    terms, negated = analysis.terms, analysis.negated
    present = {f: "selected" for f in selected}
    from_text: list[dict[str, str]] = []
    for fid, phrase, req in index.fact_phrases:
        if fid not in present and analysis.has(req):
            present[fid] = "text"
            from_text.append({"fact": fid, "label": _label(index, fid), "phrase": phrase})
    for fid in sorted(selected):
        trail.add("fact-selected", "counted", f"Fact selected: {_label(index, fid)}.", (), "facts")
    for hit in from_text:
        trail.add(
            "fact-from-text",
            "counted",
            f"Fact read from the text: {hit['label']} ('{hit['phrase']}').",
            (),
            "text",
        )
    if negated:
        trail.add(
            "negation",
            "set-aside",
            "Ignored after a negation: " + ", ".join(sorted(t.lstrip("~") for t in negated)) + ".",
            (),
            "text",
        )
    cands = set().union(
        *(index.by_term.get(t, ()) for t in terms), *(index.by_fact.get(f, ()) for f in present)
    )
    have = frozenset(present)
    # Only scenarios with every required fact can fit: score those first, the rest only if none fits.
    scored = {n: _score(index.entries[n], have, analysis) for n in cands if not index.entries[n].gap(have)}
    redirects: list[dict[str, Any]] = []
    bonus: dict[int, list[str]] = {}
    for n in sorted(scored):
        sc, e = scored[n], index.entries[n]
        # An exclusion only redirects from a scenario the patient would otherwise fit.
        if not sc.triggered or sc.missing or sc.points <= 0:
            continue
        for excl, fs in sc.triggered:
            target = excl.get("redirect") or {}
            redirects.append(
                {
                    "from": e.data["id"],
                    "from_title": e.data["title"],
                    "text": excl.get("text", ""),
                    "facts": sorted(fs & present.keys()),
                    "to": target,
                }
            )
            trail.add(
                "exclusion",
                "flagged",
                f"{e.data['title']}: {excl.get('text', '')}",
                (e.data.get("source", ""),),
                "facts",
            )
            tn = index.by_id.get(target.get("id", ""))
            if tn is not None:
                bonus.setdefault(tn, []).append(e.data["id"])
    for tn, sources in bonus.items():
        if tn not in scored:
            scored[tn] = _score(index.entries[tn], have, analysis)
        scored[tn].points += REDIRECT_POINTS
        scored[tn].redirected_from = sorted(set(sources))
    fit_ids = _rank(scored, index, fitting_only=True)[: clean["limit"]]
    near_ids: list[int] = []
    if not fit_ids:
        scored.update({n: _score(index.entries[n], have, analysis) for n in cands if n not in scored})
        near_ids = [n for n in _rank(scored, index, fitting_only=False) if scored[n].points > 0][:3]
    fitting = [_item(index.entries[n], scored[n], True, present, index) for n in fit_ids]
    closest = [_item(index.entries[n], scored[n], False, present, index) for n in near_ids]
    trail.add(
        "ranking",
        "decided",
        f"{len(fitting)} scenario(s) fit; ranking by required facts met, keywords "
        f"and title words (fit needs every required fact and a score of at least {MIN_SCORE:g}).",
    )
    result = {
        "fits": bool(fitting),
        "message": "" if fitting else NO_FIT,
        "matches": fitting,
        "closest": closest,
        "redirects": redirects,
        "query": {
            "facts": sorted(selected),
            "facts_from_text": from_text,
            "terms": sorted(t.lstrip("~") for t in terms),
            "negated": sorted(t.lstrip("~") for t in negated),
        },
    }
    return {"result": result, "trail": trail.entries, "report": _report(result)}


#: ACR category ids as the site prints them (the site takes them from here: one wording everywhere).
CATEGORY_LABELS = {
    "usually-appropriate": "Usually appropriate",
    "may-be-appropriate": "May be appropriate",
    "may-be-appropriate-disagreement": "May be appropriate (Disagreement)",
    "usually-not-appropriate": "Usually not appropriate",
}


def _report(result: dict[str, Any]) -> str:
    parts = []
    for r in result["redirects"]:
        to = (r["to"].get("title") or r["to"].get("id") or "another pathway").rstrip(".")
        parts.append(f"Excluded from '{r['from_title']}' ({r['text'].rstrip('.')}): see '{to}'.")
    if not result["fits"]:
        return " ".join([NO_FIT, *parts])
    best = result["matches"][0]
    met = "; ".join(c["label"] for c in best["criteria_met"]) or "keywords only"
    line = f"Best-fitting ACR scenario: {best['title'].rstrip('.')}"
    line += f" ({best['topic_title']})." if best["topic_title"] else "."
    line += f" Criteria met: {met}."
    if best["top"]:
        label = CATEGORY_LABELS.get(best["top"]["category"], best["top"]["category"])
        line += f" Top-rated study: {best['top']['procedure_name']} ({label})."
    others = [f"'{m['title'].rstrip('.')}'" for m in result["matches"][1:]]
    if others:
        line += " Also considered: " + "; ".join(others) + "."
    return " ".join([line, *parts])


CALCULATOR = Calculator(
    name="scenario-match",
    title="Which ACR scenario fits?",
    summary="Ranks the ACR scenarios that fit a patient's facts and clinical question.",
    fields=FIELDS,
    compute=_compute,
    check=_check,
    needs_catalog=True,
    examples=({"facts": ["known-cancer", "neck-pain"], "text": "new neck pain, no fever"},),
)

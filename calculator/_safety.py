"""What the matcher says beside (or instead of) a scenario: presentations this site does not cover,
warnings that red flags carry, the red flags a plain variant assumes absent (and which of them the
question ruled out), and where the ticked facts and the text disagree.

Everything here is read from the catalog: a fact's ``not_covered`` answer (group ``emergency``:
always; group ``outside``: when no scenario fits), its ``caution``, and the facts a scenario's
exclusions name, which are exactly the red flags whose absence the scenario presumes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import _explain as ex
from ._rank import Index, Reading, label

__all__ = ["URGENCY", "cautions", "checks", "conflicts", "not_covered", "ruled_out"]

#: How pressing a not-covered answer is, most pressing first, and the headline each gives.
URGENCY = {
    "emergency": ex.NOT_COVERED,
    "urgent": "Not covered here: discuss urgent imaging with radiology.",
    "consult": "Not covered here: consult radiology about the first study.",
}
#: The fact read when the text denies red flags as a whole ("no red flags", "no worrying features").
DENIED_ALL = "red-flags-denied"
#: Fact groups whose absence a plain scenario presumes (the others are helpers or symptoms).
PRESUMED_ABSENT = frozenset(("cancer", "red-flag"))


def _page(index: Index, ident: str) -> dict[str, str] | None:
    """The title and address of a scenario or variant named by the catalog."""
    n = index.by_id.get(ident)
    if n is None:
        return None
    d = index.entries[n].data
    return {"id": ident, "title": str(d["title"]), "url": str(d.get("url", ""))}


def _urgency(group: str, nc: Mapping[str, Any]) -> str:
    return "emergency" if group == "emergency" else "urgent" if nc.get("urgent") else "consult"


def not_covered(index: Index, r: Reading, groups: Iterable[str]) -> list[dict[str, Any]]:
    """The not-covered answers of the facts present in these groups, most pressing first."""
    out = []
    for fid, ev in sorted(r.present.items()):
        fact = index.facts[fid]
        nc = fact.get("not_covered")
        if not nc or str(fact.get("group")) not in groups:
            continue
        out.append(
            {
                "fact": fid,
                "label": label(index, fid, r),
                "phrase": ex.phrase(r.text, r.found, ev.occurrences),
                **nc,
                "urgency": _urgency(str(fact.get("group")), nc),
                "see": _page(index, nc.get("see", "")),
            }
        )
    order = list(URGENCY)
    return sorted(out, key=lambda n: order.index(n["urgency"]))


def cautions(index: Index, r: Reading) -> list[dict[str, Any]]:
    """The warnings of the facts present, urgent ones first."""
    out = []
    for fid, ev in sorted(r.present.items()):
        c = index.facts[fid].get("caution")
        if c:
            out.append(
                {
                    "fact": fid,
                    "label": label(index, fid, r),
                    "phrase": ex.phrase(r.text, r.found, ev.occurrences),
                    **c,
                    "see": _page(index, c.get("see", "")),
                }
            )
    return sorted(out, key=lambda c: not c["urgent"])


def ruled_out(index: Index, r: Reading, fid: str, seen: frozenset[str] = frozenset()) -> list[int]:
    """The occurrences that deny a fact in the text ("no fever", "denies trauma"), or [] if none do.

    A fact is denied when the first concept of one of its rules is found negated, or when a fact it is
    read from is itself denied ("no hx of cancer" denies a cancer of any kind)."""
    if fid in seen or fid not in index.book.facts:
        return []
    for rule in index.book.facts[fid].rules:
        if rule.concepts:
            for j, o in enumerate(r.found):
                if rule.concepts[0] in o.concepts and "negated" in o.status:
                    return sorted({o.status["negated"], j})  # the trigger and what it denies
        elif len(rule.facts) == 1:
            hits = ruled_out(index, r, rule.facts[0], seen | {fid})
            if hits:
                return hits
    return []


def checks(index: Index, r: Reading, scenario: str) -> dict[str, Any] | None:
    """For the top scenario: the red flags it presumes absent, those the text denies and the rest."""
    n = index.by_id.get(scenario)
    if n is None:
        return None
    presumed = sorted(
        f
        for f in {f for _, fs in index.entries[n].exclusions for f in fs} - r.present.keys()
        # a status read only when its opposite is absent ("untreated") is a sibling's criterion, not a flag
        if index.facts[f].get("group") in PRESUMED_ABSENT and not index.facts[f].get("unless")
    )
    if not presumed:
        return None
    # "no red flags" written out denies them all
    everything = []
    if DENIED_ALL in r.present:
        said = r.present[DENIED_ALL].occurrences
        everything = sorted({*said, *(r.found[j].status.get("negated", j) for j in said)})
    denied, unknown = [], []
    for fid in presumed:
        hits = ruled_out(index, r, fid) or everything
        item = {"fact": fid, "label": label(index, fid)}
        if hits:
            denied.append({**item, "phrase": ex.phrase(r.text, r.found, hits)})
        else:
            unknown.append(item)
    return {"id": scenario, "ruled_out": denied, "not_mentioned": unknown}


def conflicts(index: Index, r: Reading) -> list[dict[str, str]]:
    """Facts ticked in the form that the text denies: said, never resolved silently."""
    out = []
    for fid, ev in sorted(r.present.items()):
        if ev.via != "selected":
            continue
        hits = ruled_out(index, r, fid)
        if hits:
            said = ex.phrase(r.text, r.found, hits)
            out.append(
                {
                    "fact": fid,
                    "label": label(index, fid),
                    "phrase": said,
                    "text": f"'{label(index, fid)}' is ticked, but the text says '{said}': the ticked fact "
                    "was used; check which is right.",
                }
            )
    return out

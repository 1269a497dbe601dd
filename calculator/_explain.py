"""What the matcher tells the reader: the words it read (quoted exactly as typed, with their spans and
modifiers), the words it set aside and why, each scenario's criteria, and the report text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._facts import Evidence
from ._lexicon import ConceptInfo, Occurrence

__all__ = [
    "CATEGORY_LABELS",
    "MODIFIER_WORDS",
    "NOT_COVERED",
    "NO_FIT",
    "phrase",
    "quotes",
    "report",
    "set_aside",
]

NO_FIT = (
    "No scenario fits these facts. Consult radiology: a radiologist can advise which study, if any, "
    "answers the clinical question."
)
NOT_COVERED = "Not covered here: follow your emergency pathway."
#: How each modifier reads in an explanation.
MODIFIER_WORDS = {
    "negated": "negated",
    "historical": "in the history",
    "hypothetical": "hypothetical",
    "suspected": "suspected",
    "family": "about a relative",
    "other": "about another person",
}
#: ACR category ids as the site prints them (the site takes them from here: one wording everywhere).
CATEGORY_LABELS = {
    "usually-appropriate": "Usually appropriate",
    "may-be-appropriate": "May be appropriate",
    "may-be-appropriate-disagreement": "May be appropriate (Disagreement)",
    "usually-not-appropriate": "Usually not appropriate",
}
#: A phrase longer than this is quoted as its parts instead of as one stretch of the text.
MAX_PHRASE = 60


def _label(o: Occurrence, info: Mapping[str, ConceptInfo]) -> str:
    own = [c for c in o.own if not c.startswith("syn:")] or list(o.own)
    return info[own[0]].label if own and own[0] in info else ""


def quotes(
    text: str, found: Sequence[Occurrence], ids: Sequence[int], info: Mapping[str, ConceptInfo]
) -> list[dict[str, Any]]:
    """Each occurrence as typed: its text and span, what it was read as, and its modifiers."""
    out = []
    for j in ids:
        o = found[j]
        q: dict[str, Any] = {
            "text": text[o.start : o.end],
            "start": o.start,
            "end": o.end,
            "label": _label(o, info),
        }
        if o.slips:
            q["read_as"] = " ".join(read for _, read in o.slips)
        mods = []
        for kind, t in sorted(o.status.items()):
            trig = found[t]
            mods.append(
                {"kind": kind, "text": text[trig.start : trig.end], "start": trig.start, "end": trig.end}
            )
        q["modifiers"] = mods
        out.append(q)
    return out


def phrase(text: str, found: Sequence[Occurrence], ids: Sequence[int]) -> str:
    """The stretch of the question that the occurrences span, as typed (or their quotes joined)."""
    if not ids:
        return ""
    occ = [found[j] for j in sorted(ids, key=lambda j: found[j].start)]
    start, end = occ[0].start, max(o.end for o in occ)
    if len({o.clause for o in occ}) == 1 and end - start <= MAX_PHRASE:
        return text[start:end]
    return " … ".join(text[o.start : o.end] for o in occ)


def set_aside(
    text: str, found: Sequence[Occurrence], info: Mapping[str, ConceptInfo], counted: frozenset[str]
) -> list[dict[str, Any]]:
    """Concepts the question names that count for nothing: negated, hypothetical, about someone else."""
    out = []
    for o in found:
        kinds = [k for k in o.status if k not in counted]
        if not kinds or any(info[c].kind in ("modifier", "word") for c in o.own if c in info):
            continue
        kind = sorted(kinds)[0]
        trig = found[o.status[kind]]
        out.append(
            {
                "text": text[o.start : o.end],
                "start": o.start,
                "end": o.end,
                "label": _label(o, info),
                "modifier": kind,
                "trigger": text[trig.start : trig.end],
            }
        )
    return out


def fact_quote(
    text: str, found: Sequence[Occurrence], ev: Evidence, info: Mapping[str, ConceptInfo]
) -> tuple[str, list[dict[str, Any]]]:
    """The phrase and the quotes that made a fact."""
    return phrase(text, found, ev.occurrences), quotes(text, found, ev.occurrences, info)


def _see(item: Mapping[str, Any], words: str) -> str:
    see = item.get("see")
    return f" {words}: '{see['title'].rstrip('.')}'." if see else ""


def _checks(checks: Mapping[str, Any] | None) -> str:
    if not checks:
        return ""
    line = "This scenario presumes none of these red flags."
    if checks["ruled_out"]:
        # flags ruled out by the same words ("no red flags") are named together
        by: dict[str, list[str]] = {}
        for c in checks["ruled_out"]:
            by.setdefault(c["phrase"], []).append(c["label"])
        said = "; ".join(f"{', '.join(labels)} ('{words}')" for words, labels in by.items())
        line += f" Ruled out in the question: {said}."
    if checks["not_mentioned"]:
        unknown = "; ".join(c["label"] for c in checks["not_mentioned"])
        line += f" Not mentioned, so check them: {unknown}."
    return line


def report(result: Mapping[str, Any]) -> str:
    """The result as a paragraph to paste into a request or a note: urgent warnings first."""
    cautions = result.get("cautions", [])
    first = [
        f"Urgent: {c['label']}. {c['text'].rstrip('.')}." + _see(c, "Article on this site")
        for c in cautions
        if c["urgent"]
    ]
    later = [f"{c['label']}: {c['text'].rstrip('.')}." for c in cautions if not c["urgent"]]
    later += [c["text"] for c in result.get("conflicts", [])]
    child = result["child"]
    if result["not_covered"]:
        parts = [result.get("message") or NOT_COVERED]
        for nc in result["not_covered"]:
            line = nc["text"].rstrip(".") + "."
            if nc["acr_topic"]:
                line += f" ACR Appropriateness Criteria topic to consult: {nc['acr_topic']}."
            parts.append(line + _see(nc, "Closest article on this site"))
        return " ".join([*first, *parts, *later, *([child["text"]] if child else [])])
    parts = []
    for r in result["redirects"]:
        to = (r["to"].get("title") or r["to"].get("id") or "another pathway").rstrip(".")
        said = [b["phrase"] for b in r.get("because", []) if b["phrase"]]
        you = f"; you wrote '{' … '.join(said)}'" if said else ""
        parts.append(f"Excluded from '{r['from_title']}' ({r['text'].rstrip('.')}{you}): see '{to}'.")
    if not result["fits"]:
        return " ".join([*first, NO_FIT, *parts, *later, *([child["text"]] if child else [])])
    best = result["matches"][0]
    met = "; ".join(c["label"] for c in best["criteria_met"]) or "keywords only"
    line = f"Best-fitting ACR scenario: {best['title'].rstrip('.')}"
    line += f" ({best['topic_title']})." if best["topic_title"] else "."
    line += f" Criteria met: {met}."
    if best["top"]:
        label = CATEGORY_LABELS.get(best["top"]["category"], best["top"]["category"])
        # the rating's mark travels with it: a study rated only in a summary must not read as checked
        sure = best["top"].get("confidence_words", "")
        line += f" Top-rated study: {best['top']['procedure_name']} ({label})."
        line += f" How sure: {sure}." if sure else ""
    others = [f"'{m['title'].rstrip('.')}'" for m in result["matches"][1:]]
    if others:
        line += " Also considered: " + "; ".join(others) + "."
    if child:
        line += " " + child["text"]
        if best["adults_only"]:
            line += " This scenario is written for adults."
    checks = _checks(result.get("checks"))
    return " ".join([*first, line, *([checks] if checks else []), *later, *parts])

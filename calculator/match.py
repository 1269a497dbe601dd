"""Scenario matching: patient facts and/or free text in, ranked ACR scenarios out.

Deterministic, no model. The question is read into concepts (``_lexicon``), their modifiers are set
(``_context``: negated, historical, suspected …) and facts are read from them (``_facts``). Then:

1. a fact of group ``emergency`` (acute stroke, thunderclap headache, cauda equina …) answers "not
   covered here" with the ACR topic to consult, and no scenario is offered;
2. a scenario fits when every fact it requires is present and none of its exclusions is triggered: a
   red flag named by a plain variant's exclusion removes that variant whatever else it scores, and
   sends its points to the exclusion's target;
3. fitting scenarios are ranked by required facts met (a more specific fact weighs more), then by the
   concepts and keywords of the question they name.

A child is flagged, and scenarios written for adults say so. Everything is indexed once per catalog.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from . import _explain as ex
from ._cache import per_catalog
from ._contract import Calculator, Field, FieldError, InputError, Trail, field_error, item_ok
from ._explain import CATEGORY_LABELS, NO_FIT
from ._lexicon import Occurrence
from ._rank import COUNTED, MIN_SCORE, Reading, build, label, rank

__all__ = ["CALCULATOR", "CATEGORY_LABELS", "MIN_SCORE", "NO_FIT"]

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


def _check(clean: dict[str, Any], catalog: Mapping[str, Any] | None, bad: frozenset[str]) -> list[FieldError]:
    """Unknown fact ids (with the closest valid one), an empty query, a missing catalog."""
    if catalog is None:
        return [_NO_CATALOG]
    errors: list[FieldError] = []
    ids, text = clean["facts"], clean["text"]
    if ids is not None and text is not None and not ids and not text.strip():
        msg = "give at least one fact or some text"
        errors.append(field_error("", "at least one fact or some text", None, msg, found="nothing"))
    index = per_catalog(catalog, "match", build)
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


def _compute(clean: dict[str, Any], catalog: Mapping[str, Any] | None) -> dict[str, Any]:
    if catalog is None:
        raise InputError([_NO_CATALOG])
    selected: list[str] = clean["facts"] or []
    index = per_catalog(catalog, "match", build)
    r = Reading(index, clean["text"] or "", selected)
    trail = Trail()
    info = index.lexicon.info
    from_text = []
    for fid in sorted(selected):
        trail.add("fact-selected", "counted", f"Fact selected: {label(index, fid)}.", (), "facts")
    for fid, ev in sorted(r.present.items()):
        if ev.via != "text" or index.facts[fid].get("group") == "internal":
            continue
        said, quoted = ex.fact_quote(r.text, r.found, ev, info)
        mods = sorted(
            {f"{ex.MODIFIER_WORDS[m['kind']]} ('{m['text']}')" for q in quoted for m in q["modifiers"]}
        )
        from_text.append({"fact": fid, "label": label(index, fid), "phrase": said, "quotes": quoted})
        note = f"; {', '.join(mods)}" if mods else ""
        trail.add(
            "fact-from-text",
            "counted",
            f"Fact read from the text: {label(index, fid)} ('{said}'{note}).",
            (),
            "text",
        )
    aside = ex.set_aside(r.text, r.found, info, COUNTED)
    for a in aside:
        trail.add(
            "set-aside",
            "set-aside",
            f"Set aside, {ex.MODIFIER_WORDS[a['modifier']]} by '{a['trigger']}': '{a['text']}'.",
            (),
            "text",
        )
    child = None
    if "pediatric" in r.present:
        child = {
            "text": "Patient is a child: ACR pediatric ratings and radiation levels may differ.",
            "phrase": ex.phrase(r.text, r.found, r.present["pediatric"].occurrences),
        }
        trail.add("child", "flagged", child["text"], (), "text")
    not_covered = []
    for fid, ev in sorted(r.present.items()):
        nc = index.facts[fid].get("not_covered")
        if nc:
            not_covered.append(
                {
                    "fact": fid,
                    "label": label(index, fid),
                    "phrase": ex.phrase(r.text, r.found, ev.occurrences),
                    **nc,
                }
            )
            trail.add(
                "not-covered",
                "decided",
                f"{label(index, fid)}: {nc['text']}",
                (nc.get("source", ""),),
                "text",
            )
    if not_covered:
        result: dict[str, Any] = {
            "fits": False,
            "message": ex.NOT_COVERED,
            "matches": [],
            "closest": [],
            "redirects": [],
        }
    else:
        result = rank(index, r, clean["limit"], trail)
    result["not_covered"] = not_covered
    result["child"] = child
    result["query"] = {
        "facts": sorted(selected),
        "facts_from_text": from_text,
        "set_aside": aside,
        "terms": sorted({r.text[o.start : o.end] for o in _counted(r)}),
        "negated": sorted({a["text"] for a in aside if a["modifier"] == "negated"}),
    }
    return {"result": result, "trail": trail.entries, "report": ex.report(result)}


def _counted(r: Reading) -> list[Occurrence]:
    return [
        o
        for o in r.found
        if o.concepts and (frozenset(o.status) or {"affirmed"}) <= COUNTED and not o.own[0].startswith("syn:")
    ]


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

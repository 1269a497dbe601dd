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
from . import _safety as sf
from ._cache import per_catalog
from ._contract import Calculator, Field, FieldError, InputError, Trail, field_error, item_ok
from ._explain import CATEGORY_LABELS, NO_FIT
from ._lexicon import Occurrence
from ._rank import COUNTED, MIN_SCORE, Index, Reading, build, label, rank

__all__ = ["CALCULATOR", "CATEGORY_LABELS", "MIN_SCORE", "NO_FIT"]

FIELDS: tuple[Field, ...] = (
    # the question in words first: the quickest entry on a phone; the facts to tick after it
    Field(
        "text",
        "string",
        "Clinical question",
        "Free text, as you would write it on a request.",
        default="",
        max_length=1000,
    ),
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
    from_text, aside = _read(index, r, selected, trail)
    child = None
    if "pediatric" in r.present:
        child = {
            "text": "Patient is a child: ACR pediatric ratings and radiation levels may differ.",
            "phrase": ex.phrase(r.text, r.found, r.present["pediatric"].occurrences),
        }
        trail.add("child", "flagged", child["text"], (), "text")
    # an emergency answers instead of any scenario; an outside presentation when none fits
    not_covered = sf.not_covered(index, r, ("emergency",))
    if not_covered:
        result: dict[str, Any] = {"fits": False, "matches": [], "closest": [], "redirects": []}
    else:
        result = rank(index, r, clean["limit"], trail)
        if not result["fits"]:
            not_covered = sf.not_covered(index, r, ("outside",))
    for nc in not_covered:
        trail.add("not-covered", "decided", f"{nc['label']}: {nc['text']}", (nc.get("source", ""),), "text")
    if not_covered:
        result["message"] = sf.URGENCY[not_covered[0]["urgency"]]
    # a fact that answered "not covered" says it there, not twice; after an emergency, the advice for a
    # presentation outside the catalogue gives way to the emergency pathway
    answered = {n["fact"] for n in not_covered}
    emergency = any(n["urgency"] == "emergency" for n in not_covered)
    cautions = [
        c
        for c in sf.cautions(index, r)
        if c["fact"] not in answered and not (emergency and index.facts[c["fact"]].get("group") == "outside")
    ]
    for c in cautions:
        head = "Urgent: " if c["urgent"] else ""
        trail.add("caution", "flagged", f"{head}{c['label']}: {c['text']}", (c.get("source", ""),), "text")
    result["not_covered"] = not_covered
    result["cautions"] = cautions
    result["urgent"] = any(c["urgent"] for c in cautions) or any(
        n["urgency"] != "consult" for n in not_covered
    )
    result["checks"] = sf.checks(index, r, result["matches"][0]["id"]) if result["matches"] else None
    result["conflicts"] = sf.conflicts(index, r)
    for conflict in result["conflicts"]:
        trail.add("conflict", "flagged", conflict["text"], (), "facts")
    result["child"] = child
    result["query"] = {
        "facts": sorted(selected),
        "facts_from_text": from_text,
        "set_aside": aside,
        "terms": sorted({r.text[o.start : o.end] for o in _counted(r)}),
        "negated": sorted({a["text"] for a in aside if a["modifier"] == "negated"}),
    }
    return {"result": result, "trail": trail.entries, "report": ex.report(result)}


def _read(
    index: Index, r: Reading, selected: list[str], trail: Trail
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The facts read from the text (with the words typed) and the words set aside, into the trail."""
    info = index.lexicon.info
    from_text = []
    for fid in sorted(selected):
        trail.add("fact-selected", "counted", f"Fact selected: {label(index, fid)}.", (), "facts")
    for fid, ev in sorted(r.present.items()):
        # facts read from the text only: not those that follow from ticked facts alone
        if ev.via != "text" or not ev.occurrences or index.facts[fid].get("group") == "internal":
            continue
        said, quoted = ex.fact_quote(r.text, r.found, ev, info)
        mods = sorted(
            {f"{ex.MODIFIER_WORDS[m['kind']]} ('{m['text']}')" for q in quoted for m in q["modifiers"]}
        )
        name = label(index, fid, r)
        from_text.append({"fact": fid, "label": name, "phrase": said, "quotes": quoted})
        note = f"; {', '.join(mods)}" if mods else ""
        line = f"Fact read from the text: {name} ('{said}'{note})."
        trail.add("fact-from-text", "counted", line, (), "text")
    aside = ex.set_aside(r.text, r.found, info, COUNTED)
    for a in aside:
        trail.add(
            "set-aside",
            "set-aside",
            f"Set aside, {ex.MODIFIER_WORDS[a['modifier']]} by '{a['trigger']}': '{a['text']}'.",
            (),
            "text",
        )
    return from_text, aside


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

"""Checks of the cites across files: each names a known source whose kind supports its mark
(``sitegen.data.provenance``), quoted wording is the ACR's, claims sit on texts of their scenario.

Called by ``sitegen.data.validate`` with its checker, which locates and collects every issue.
"""

from __future__ import annotations

import typing
from typing import Any, Protocol

from sitegen.data import model, provenance

__all__ = ["Reporter", "answer_card", "cite", "claims", "recommendation", "variant", "wording"]

_SOURCE = "a source id from catalog/sources.yaml"
_PROCEDURE = "a procedure id from catalog/procedures.yaml"


class Reporter(Protocol):
    """What the checks need of the validator's checker: known source kinds, and where issues go."""

    kinds: dict[str, str]

    def add(self, file: str, path: str, expected: str, found: str) -> None: ...

    def ref(self, file: str, path: str, value: str, known: typing.Container[str], what: str) -> None: ...


def cite(
    c: Reporter, file: str, path: str, given: model.Cite | None, sources: typing.Container[str], fact: str
) -> None:
    """The cite's source exists, those it disagrees with too, and its kind supports its mark."""
    if given is None:
        return
    c.ref(file, f"{path}.source", given.source, sources, _SOURCE)
    for k, other in enumerate(given.disagrees):
        c.ref(file, f"{path}.disagrees[{k}]", other, sources, _SOURCE)
        if other == given.source:
            c.add(file, f"{path}.disagrees[{k}]", "a source other than the cite's own", repr(other))
    kind = c.kinds.get(given.source)
    if kind is None:  # unknown or broken source: reported elsewhere
        return
    for name, expected, found in provenance.check_cite(
        fact, kind, given.confidence, given.note, given.disagrees
    ):
        c.add(file, f"{path}.{name}", expected, found)


def wording(c: Reporter, file: str, path: str, value: str, given: model.Cite) -> None:
    """Verbatim variant wording only from a verified ACR document: otherwise it is a paraphrase."""
    kind = c.kinds.get(given.source)
    if value == "verbatim" and kind is not None and (kind != "acr" or given.confidence != "verified"):
        expected = "'paraphrase' unless the wording was read, and marked 'verified', in an ACR document"
        found = f"'verbatim' with a cite marked '{given.confidence}' from {provenance.KIND_NAMES[kind]}"
        c.add(file, path, expected, found)


def recommendation(
    c: Reporter, file: str, rec: model.Recommendation, rated: dict[str, tuple[int, str]], known: Any
) -> None:
    """The add-on is another Usually appropriate study; the choice names whose first choice it is."""
    cite(c, file, "recommendation.cite", rec.cite, known["sources"], "claim")
    if not rec.add_on:
        return
    c.ref(file, "recommendation.add_on", rec.add_on, known["procedures"], _PROCEDURE)
    if rec.add_on in known["procedures"] and (
        rec.add_on == rec.procedure or rated.get(rec.add_on, (0, ""))[1] != "usually-appropriate"
    ):
        same = rec.add_on == rec.procedure
        how = "the recommended study itself" if same else "not rated 'usually-appropriate'"
        expected = "another procedure rated 'usually-appropriate'"
        c.add(file, "recommendation.add_on", expected, f"{rec.add_on!r}, {how}")


def claims(c: Reporter, file: str, s: model.Scenario, sources: typing.Container[str]) -> None:
    """Each claim sits on a text of its scenario that can carry a citation, and its cite holds."""
    for k, claim in enumerate(s.claims):
        if provenance.claim_field(claim.at) not in provenance.CLAIM_FIELDS:
            expected = "the path of a text that can carry a citation: " + ", ".join(provenance.CLAIM_FIELDS)
            c.add(file, f"claims[{k}].at", expected, repr(claim.at))
        elif provenance.text_at(s, claim.at) is None:
            found = f"{claim.at!r}, which is not in this scenario"
            c.add(file, f"claims[{k}].at", "the path of a text in this scenario", found)
        cite(c, file, f"claims[{k}].cite", claim.cite, sources, "claim")


def variant(c: Reporter, file: str, where: str, v: model.SiblingVariant, known: Any) -> None:
    """The variant's wording and its top rating are two facts: one cite each, or one cite for both."""
    if v.top_cite is not None and not v.top_procedure:
        c.add(file, f"{where}.top_cite", "top_cite only beside top_procedure", "top_cite alone")
    one_cite = bool(v.top_procedure) and v.top_cite is None
    cite(c, file, f"{where}.cite", v.cite, known["sources"], "rating" if one_cite else "variant")
    cite(c, file, f"{where}.top_cite", v.top_cite, known["sources"], "rating")
    wording(c, file, f"{where}.wording", v.wording, v.cite)


def answer_card(
    c: Reporter,
    file: str,
    s: model.Scenario,
    rated: typing.Container[str],
    known: Any,
    links: typing.Container[str],
) -> None:
    """The answer card's fallbacks, red flags and redirects: one fallback per case, each study rated in this
    article, red flags ordered by urgency, each destination a known scenario or variant (``links``), every
    cite one its source supports."""
    seen: dict[str, int] = {}
    for i, f in enumerate(s.fallbacks):
        where = f"fallbacks[{i}]"
        if f.when in seen:
            expected = f"one entry per case (already given at fallbacks[{seen[f.when]}])"
            c.add(file, f"{where}.when", expected, repr(f.when))
        seen.setdefault(f.when, i)
        if f.procedure:
            c.ref(file, f"{where}.procedure", f.procedure, known["procedures"], _PROCEDURE)
            if f.procedure in known["procedures"] and f.procedure not in rated:
                expected = "a procedure rated in this scenario's ratings"
                c.add(file, f"{where}.procedure", expected, repr(f.procedure))
        cite(c, file, f"{where}.cite", f.cite, known["sources"], "claim")
    found: list[tuple[str, model.RedFlag | model.NotThisScenario]] = [
        *((f"red_flags[{i}]", r) for i, r in enumerate(s.red_flags)),
        *((f"not_this_scenario[{i}]", r) for i, r in enumerate(s.not_this_scenario)),
    ]
    for where, item in found:
        if item.goes_to:
            c.ref(file, f"{where}.goes_to", item.goes_to, links, "the id of a scenario or of a topic variant")
        cite(c, file, f"{where}.cite", item.cite, known["sources"], "claim")
    _urgency_order(c, file, s.red_flags)


def _urgency_order(c: Reporter, file: str, flags: list[model.RedFlag]) -> None:
    """Red flags run emergency, then urgent, then the rest: each is no more urgent than the one above."""
    rank: dict[str | None, int] = {u: k for k, u in enumerate(model.URGENCIES)}
    for i in range(1, len(flags)):
        above, here = flags[i - 1].urgency, flags[i].urgency
        if rank.get(here, len(rank)) < rank.get(above, len(rank)):
            what = f"is marked {above!r}" if above else "has no urgency"
            expected = "red flags ordered emergency, then urgent, then the rest"
            expected += f" (red_flags[{i - 1}] above it {what})"
            c.add(file, f"red_flags[{i}].urgency", expected, repr(here))

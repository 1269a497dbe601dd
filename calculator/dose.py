"""Cumulative effective dose of a series of studies, its RRL band and its background equivalent.

Procedures and their doses come from the exported catalog (``catalog["procedures"]`` and
``catalog["rrl"]``), never from a copy here. No cancer-risk figure is ever produced.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ._cache import per_catalog
from ._contract import Calculator, Field, FieldError, InputError, Trail, field_error, item_ok
from ._dose_parts import (
    BACKGROUND_MSV_PER_YEAR,
    MAX_STUDY_MSV,
    MAX_TOTAL_MSV,
    background_time,
    band_of,
    band_words,
    build_index,
    fmt,
)
from ._dose_study import K_FACTORS, REGIONS, resolve

__all__ = ["BACKGROUND_MSV_PER_YEAR", "CALCULATOR", "MAX_STUDY_MSV", "background_time"]

MAX_COUNT = 1000
_BG_SOURCES = ("radiologyinfo-safety", "ncrp-160")
_RISK_SOURCES = ("aapm-pp25c",)
#: What a report adds after a band whose limits are not checked.
_BAND_NOTES = {
    "recalled": "its limits were not read on an ACR page and are to be checked",
    "unresolved": "sources disagree on its limits",
}
#: Marks whose reason a reader needs beside the figure.
_UNCHECKED = ("recalled", "unresolved")
#: The basis of a catalogue figure measured as a mean, its low and high one standard deviation either side.
_SD_BASIS = "mean adult dose measured in one series (low and high: ± 1 SD)"
#: Said when a total adds up such figures: ends of ± 1 SD do not add up to a range.
_SD_SUM = (
    "Some figures are a measured mean ± 1 standard deviation, not a range: the low and high ends of the "
    "total simply add up those ends, so they show the spread only roughly."
)

FIELDS: tuple[Field, ...] = (
    Field(
        "population",
        "enum",
        "Patient",
        "Adult bands and typical doses, or pediatric bands.",
        values=("adult", "pediatric"),
        value_labels=("Adult", "Child"),
        default="adult",
    ),
    Field(
        "studies",
        "list",
        "Studies",
        "Each study: a catalog procedure, or a custom study with its dose.",
        required=True,
        min_items=1,
        max_items=100,
        items=(
            Field(
                "procedure",
                "string",
                "Procedure",
                "Id of a procedure from the catalog.",
                values_from="procedures",
                max_length=100,
            ),
            Field("custom", "string", "Custom study", "Name of a study not in the catalog.", max_length=80),
            Field(
                "dose_msv",
                "number",
                "Dose of the custom study",
                f"Effective dose of one custom study (0 to {MAX_STUDY_MSV:g}), if its report gives one; "
                "else its DLP.",
                unit="mSv",
            ),
            Field(
                "dlp_mgycm",
                "number",
                "DLP of the custom CT",
                "Dose-length product of a custom CT, from its dose report; converted to mSv with the adult "
                "coefficient of its body region. Give this or the dose, not both.",
                unit="mGy·cm",
            ),
            Field(
                "region",
                "enum",
                "Body region of the custom CT",
                "The region the CT covered, which sets the coefficient that converts its DLP.",
                values=REGIONS,
                value_labels=tuple(K_FACTORS[r]["label"] for r in REGIONS),
            ),
            Field(
                "count",
                "integer",
                "How many times",
                "Number of times the study was done.",
                default=1,
                minimum=1,
                maximum=MAX_COUNT,
            ),
        ),
    ),
)


def _sum(values: list[float]) -> float:
    # fsum is exactly rounded, so the total does not depend on the order of the studies.
    return round(math.fsum(values), 6)


_NO_CATALOG = field_error(
    "", "a procedures catalog", None, "dose: the procedures catalog is not available", found="nothing"
)


def _check(clean: dict[str, Any], catalog: Mapping[str, Any] | None, bad: frozenset[str]) -> list[FieldError]:
    """Errors that need the catalog or several fields of a study, besides those already found."""
    if catalog is None:
        return [_NO_CATALOG]
    errors: list[FieldError] = []
    if clean["studies"] is None or clean["population"] is None:
        return errors
    index = per_catalog(catalog, "dose", build_index)
    for i, study in enumerate(clean["studies"]):
        if not isinstance(study, dict) or f"studies[{i}]" in bad:
            continue
        found: list[FieldError] = []
        resolve(i, study, clean["population"], index, found)
        # a field that already failed its type check is not reported twice
        errors += [e for e in found if item_ok(bad, e["path"])]
    return errors


def _compute(clean: dict[str, Any], catalog: Mapping[str, Any] | None) -> dict[str, Any]:
    if catalog is None:
        raise InputError([_NO_CATALOG])
    index = per_catalog(catalog, "dose", build_index)
    population: str = clean["population"]
    errors: list[FieldError] = []
    rows: list[tuple[int, dict[str, Any]]] = []
    for i, study in enumerate(clean["studies"]):
        row = resolve(i, study, population, index, errors)
        if row is not None:
            rows.append((i, row))
    if errors:
        raise InputError(errors)
    trail, breakdown = Trail(), []
    for i, row in rows:
        n = clean["studies"][i]["count"]
        per = {k: row[k] for k in ("typical", "low", "high")}
        # a catalogue figure measured as mean ± 1 SD (adult typical doses only) says so
        sd = row["basis"] == "typical adult dose" and _spread(index, row["procedure"]) == "sd"
        sub = {k: None if v is None else round(v * n, 6) for k, v in per.items()}
        breakdown.append(
            {
                "path": f"studies[{i}]",
                "label": row["label"],
                "procedure": row["procedure"],
                "count": n,
                "basis": _SD_BASIS if sd else row["basis"],
                "per_study_msv": per,
                "subtotal_msv": sub,
                "source": row["source"],
                "confidence": row["confidence"],
                "how_sure": row["how_sure"],
                "note": row["note"] if row["confidence"] in _UNCHECKED else "",
                "spread": "sd" if sd else "range",
            }
        )
        src = (row["source"],) if row["source"] else ()
        trail.add("study-dose", "counted", f"{row['label']} x{n}: {row['basis']}.", src, f"studies[{i}]")
    typical_known = all(b["subtotal_msv"]["typical"] is not None for b in breakdown)
    typical = _sum([b["subtotal_msv"]["typical"] for b in breakdown]) if typical_known else None
    low = _sum([b["subtotal_msv"]["low"] for b in breakdown])
    high = _sum([b["subtotal_msv"]["high"] for b in breakdown])
    if high > MAX_TOTAL_MSV:
        # each study may be plausible while counts multiply them past anything a patient receives
        raise InputError(
            [
                field_error(
                    "studies",
                    f"a total <= {MAX_TOTAL_MSV:g} mSv",
                    high,
                    f"studies: a total of {high:g} mSv is not plausible (limit {MAX_TOTAL_MSV:g} mSv); "
                    "check the counts and the units",
                )
            ]
        )
    total = {"typical": typical, "low": low, "high": high}
    basis = "typical total" if typical_known else "upper end of the range"
    band = band_of(high if typical is None else typical, population, index["rrl"], typical is None)
    if band is not None:
        band["basis"] = basis
        # a band whose limits were not read on an ACR page says so
        band["note"] = _BAND_NOTES.get(band["confidence"], "")
        band["words"] = band_words(band)
        trail.add(
            "rrl-band",
            "decided",
            f"As a guide only, the {basis} falls in the range of {band['words']}; RRL bands describe "
            "single examinations.",
            ("acr-rrl",),
        )
    background = {
        "rate_msv_per_year": BACKGROUND_MSV_PER_YEAR,
        "typical": None if typical is None else background_time(typical),
        "low": background_time(low),
        "high": background_time(high),
    }
    trail.add("background", "noted", "Background equivalent at about 3 mSv a year.", _BG_SOURCES)
    risk = _risk_text(high)
    trail.add("no-risk-estimate", "noted", risk, _RISK_SOURCES)
    result = {
        "population": population,
        "total_msv": total,
        "studies": breakdown,
        "band": band,
        "background": background,
        "risk": risk,
        "caveats": _caveats(population, typical_known, any(b["spread"] == "sd" for b in breakdown)),
    }
    return {"result": result, "trail": trail.entries, "report": _report(result)}


def _spread(index: dict[str, Any], procedure: str) -> str:
    """What a catalogue dose's low and high are: ``range`` (as reported) or ``sd`` (mean ± 1 SD)."""
    return str((index["procedures"][procedure].get("dose") or {}).get("spread", "range"))


#: What is known of the statement the risk text follows: its date, its sunset date, no renewal found.
_PP25C = (
    "the AAPM position statement PP 25-C (April 2018; its page gives a sunset date of 31 December 2023, "
    "and no renewal or replacement was found)"
)


def _risk_text(high: float) -> str:
    # AAPM PP 25-C (2018); the 2011 "too low to be detectable" wording is superseded; its currency is unknown.
    if high < 100:
        return (
            f"No cancer-risk estimate is given. Following {_PP25C}: the evidence for more cancers or "
            "cancer deaths after doses below 100 mSv is inconclusive, and predictions of hypothetical "
            "cancers from diagnostic imaging are highly speculative and discouraged. When a study is "
            "medically appropriate, its expected benefit very probably outweighs any small potential risk."
        )
    return (
        "No cancer-risk estimate is given. This total, or its high end, is 100 mSv or more. The "
        f"conclusion of {_PP25C}, that the evidence is inconclusive, covers doses below 100 mSv only: it "
        "offers no reassurance at this level. It also discourages predictions of hypothetical cancers from "
        "diagnostic imaging. Ask a radiologist or medical physicist to review the imaging history and the "
        "need for further studies."
    )


def _caveats(population: str, typical_known: bool, any_sd: bool) -> list[str]:
    out = [
        "Effective dose describes a typical patient, not this patient: size, scanner and protocol change "
        "the real dose."
    ]
    if population == "pediatric" and not typical_known:
        out.append(
            "The catalog holds typical doses for adults only. For children each catalog study is "
            "given the range of its pediatric RRL band, with no typical value; custom studies are "
            "taken as entered."
        )
    if any_sd:
        out.append(_SD_SUM)
    return out


def _uncertain(studies: list[dict[str, Any]]) -> list[str]:
    """Sentences naming the figures not read in their source, with the reason where sources disagree."""
    out: list[str] = []
    # a study entered twice is named once
    rows = {b["label"]: b for b in studies if b["confidence"] in _UNCHECKED}.values()
    unchecked = [b["label"] for b in rows if b["confidence"] == "recalled"]
    if unchecked:
        out.append(f"Dose figures not re-read in their source, to be checked: {'; '.join(unchecked)}.")
    out += [f"Sources disagree on {b['label']}: {b['note']}" for b in rows if b["confidence"] == "unresolved"]
    return out


def _band_sentence(band: dict[str, Any], who: str) -> str:
    """Where the total sits among the RRL bands, said as a guide: the bands describe one examination."""
    words = band_words(band, dash="-")
    note = f"; {band['note']}" if band["note"] else ""
    where = (
        f"is above the highest {who} band, {words}"
        if band["above_top"]
        else f"falls in the range of {who} {words}"
    )
    return (
        f"As a guide only, the {band['basis']} {where}{note}. RRL bands describe the dose of a single "
        "examination; a total is set against them only for scale."
    )


def _item(b: dict[str, Any]) -> str:
    """One study in the report's list: its name and count, and how a custom CT's dose was estimated."""
    how = " (estimated from its DLP)" if b["basis"].startswith("from a DLP") else ""
    return f"{b['label']} x{b['count']}{how}"


def _report(result: dict[str, Any]) -> str:
    total, who = result["total_msv"], result["population"]
    n = sum(b["count"] for b in result["studies"])
    items = "; ".join(_item(b) for b in result["studies"])
    studies = f"{n} {'study' if n == 1 else 'studies'} ({items})"
    if total["high"] == 0:
        return (
            f"Cumulative effective dose ({who}) from {studies}: 0 mSv; none of them uses ionising radiation."
        )
    lead = f"Estimated cumulative effective dose ({who}) from {studies}:"
    span = f"{fmt(total['low'])}-{fmt(total['high'])} mSv"
    if total["typical"] is None:
        head, bg = (
            f"{lead} {span}.",
            "{} to {}".format(result["background"]["low"]["text"], result["background"]["high"]["text"]),
        )
    else:
        word = "low and high ends added up:" if _SD_SUM in result["caveats"] else "range"
        ranged = f" ({word} {span})" if total["low"] != total["high"] else ""
        head, bg = (
            f"{lead} about {fmt(total['typical'])} mSv{ranged}.",
            result["background"]["typical"]["text"],
        )
    parts = [head]
    band = result["band"]
    if band is not None:
        parts.append(_band_sentence(band, who))
    parts.append(f"Natural background radiation (about 3 mSv a year) gives the same dose in {bg}.")
    parts += _uncertain(result["studies"])
    parts += [c for c in result["caveats"] if c == _SD_SUM]
    parts.append(result["risk"])
    return " ".join(parts)


CALCULATOR = Calculator(
    name="dose",
    title="Cumulative radiation dose",
    summary="Adds up the typical effective dose of a series of studies and sets it against background.",
    fields=FIELDS,
    compute=_compute,
    check=_check,
    needs_catalog=True,
    examples=(
        {
            "population": "adult",
            "studies": [
                {"procedure": "ct-neck-with", "count": 2},
                {"procedure": "fdg-petct-skull-base-to-mid-thigh", "count": 1},
                {"custom": "Outside CT chest", "dose_msv": 7, "count": 1},
            ],
        },
    ),
)

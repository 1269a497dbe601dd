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
    SPREAD_WORDS,
    background_time,
    band_of,
    band_words,
    build_index,
)
from ._dose_report import HEADING, SD_SUM, TYPICAL, UNCHECKED, report, risk_text, study_text, total_text
from ._dose_study import K_FACTORS, REGIONS, resolve

__all__ = ["BACKGROUND_MSV_PER_YEAR", "CALCULATOR", "HEADING", "MAX_STUDY_MSV", "background_time"]

MAX_COUNT = 1000
_BG_SOURCES = ("radiologyinfo-safety", "ncrp-160")
_RISK_SOURCES = ("aapm-pp25c",)
TYPICAL_SOURCES = ("radiologyinfo-dose-chart-older",)
#: What a report adds after a band whose limits are not checked.
_BAND_NOTES = {
    "recalled": "the calculator's figures for these band limits are not yet checked against an ACR page",
    "unresolved": "the calculator's sources disagree on these band limits",
}
#: The basis of a catalogue figure measured as a mean, its low and high one standard deviation either side.
_SD_BASIS = "mean adult dose measured in one series (low and high: ± 1 SD)"
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
        spread = _kind(index, row)
        sd = row["basis"] == "typical adult dose" and spread == "sd"
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
                "note": row["note"] if row["confidence"] in UNCHECKED else "",
                "spread": spread,
                # for readers: the figures rounded as the report rounds them, and what low and high are
                "spread_words": SPREAD_WORDS[spread],
                "calculation": row.get("calculation", ""),
            }
        )
        b = breakdown[-1]
        b["per_study_text"] = study_text(per, b)
        b["subtotal_text"] = study_text(sub, b, words=False)
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
    risk = risk_text(high)
    trail.add("no-risk-estimate", "noted", risk, _RISK_SOURCES)
    trail.add("typical-patient", "noted", TYPICAL, TYPICAL_SOURCES)
    result = {
        "report_heading": HEADING,
        "population": population,
        "total_msv": total,
        "total_text": total_text(total, breakdown),
        "studies": breakdown,
        "band": band,
        "background": background,
        "risk": risk,
        "caveats": _caveats(population, typical_known, any(b["spread"] == "sd" for b in breakdown)),
    }
    return {"result": result, "trail": trail.entries, "report": report(result)}


def _kind(index: dict[str, Any], row: dict[str, Any]) -> str:
    """What a study's low and high are (a key of SPREAD_WORDS): the catalog's kind for its doses, the
    coefficients' span for a DLP, a pediatric band's range, or ``none`` for a single figure."""
    if row["low"] == row["high"]:
        return "none"
    if row["typical"] is None:
        return "band"
    if row["procedure"] is None:
        return "coefficients"
    return str((index["procedures"][row["procedure"]].get("dose") or {}).get("spread", "range"))


def _caveats(population: str, typical_known: bool, any_sd: bool) -> list[str]:
    out = [TYPICAL]
    if population == "pediatric" and not typical_known:
        out.append(
            "The catalog holds typical doses for adults only. For children each catalog study is "
            "given the range of its pediatric RRL band, with no typical value; custom studies are "
            "taken as entered."
        )
    if any_sd:
        out.append(SD_SUM)
    return out


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

"""Dose building blocks: catalog index, per-study resolution, RRL band and background time.

Pure functions over the exported catalog; ``dose.py`` wires them into the calculator.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from ._contract import FieldError, field_error, found_text

__all__ = [
    "BACKGROUND_MSV_PER_YEAR",
    "HOW_SURE",
    "MAX_STUDY_MSV",
    "background_time",
    "band_of",
    "build_index",
    "fmt",
    "how_sure",
    "resolve",
]

#: Natural background as RadiologyInfo rounds it (NCRP 160: about 3.1 mSv a year in the US).
BACKGROUND_MSV_PER_YEAR = 3.0
#: Largest plausible dose for one study. The top ACR RRL band ends at 100 mSv and diagnostic studies
#: sit far below it; 1000 mSv (1 Sv) is ten times that band, so a larger entry is almost surely a unit
#: slip (µSv, or mGy·cm from the scanner) rather than a real study.
MAX_STUDY_MSV = 1000.0
#: The site's confidence marks in words, for a catalog that does not carry its own ``confidence_words``
#: (the site's export does; the wording follows the pages').
HOW_SURE: dict[str, str] = {
    "verified": "Checked in the source",
    "seed": "As stated in the source article; not checked in another source",
    "recalled": "Not yet checked: taken from the source without re-reading it",
    "unresolved": "Unresolved: the sources disagree",
}


def how_sure(cite: Mapping[str, Any]) -> str:
    """How sure a catalog figure is, in words: the catalog's own wording, or ours."""
    return str(cite.get("confidence_words") or HOW_SURE.get(cite.get("confidence") or "", ""))


def build_index(catalog: Mapping[str, Any]) -> dict[str, Any]:
    procs = {p["id"]: p for p in catalog.get("procedures", [])}
    aliases: dict[str, str] = {}
    for p in procs.values():
        for alias in (p["name"], *p.get("synonyms", [])):
            aliases.setdefault(alias.casefold(), p["id"])
    return {
        "procedures": procs,
        "aliases": aliases,
        "ids": sorted(procs),
        "rrl": sorted(catalog.get("rrl", []), key=lambda b: b["level"]),
    }


def _suggest(name: str, index: dict[str, Any]) -> str:
    exact = index["aliases"].get(name.casefold())
    if exact:
        return str(exact)
    close = difflib.get_close_matches(name.lower(), index["ids"], n=1, cutoff=0.5)
    return close[0] if close else ""


def fmt(x: float) -> str:
    # Human-friendly mSv figures without exponent notation.
    if x == 0:
        return "0"
    return f"{x:.0f}" if x >= 100 else f"{x:.3g}" if x >= 0.001 else f"{x:.6f}".rstrip("0")


def background_time(msv: float) -> dict[str, Any]:
    """Time natural background (about 3 mSv a year) takes to give ``msv``, rounded as people say it."""
    days = msv * 365.0 / BACKGROUND_MSV_PER_YEAR
    hours, months = days * 24.0, days / (365.0 / 12.0)
    if msv == 0:
        return {"days": 0.0, "value": 0, "unit": "none", "text": "no added radiation"}
    if hours < 0.5:
        return {"days": round(days, 4), "value": 0, "unit": "hours", "text": "less than an hour"}
    for value, unit in ((hours, "hour"), (days, "day"), (days / 7.0, "week"), (months, "month")):
        limit = {"hour": 23.5, "day": 13.5, "week": 8.5, "month": 23.5}[unit]
        if value < limit:
            break
    else:
        value, unit = days / 365.0, "year"
    n = max(1, round(value))
    word = unit if n == 1 else unit + "s"
    return {"days": round(days, 4), "value": n, "unit": word, "text": f"about {n} {word}"}


def band_of(
    total: float, population: str, bands: list[dict[str, Any]], upper_inclusive: bool = False
) -> dict[str, Any] | None:
    key = "adult_msv" if population == "adult" else "pediatric_msv"
    # Bands share their edges: a typical value at an edge opens the next band, while the upper end of
    # a range built from band edges (pediatric) stays in the band it closes.
    chosen, above = None, False
    for b in bands:
        lo, hi = b[key]
        inside = lo < total <= hi if upper_inclusive else lo <= total < hi
        if (total == 0 and b["level"] == 0) or (b["level"] > 0 and total > 0 and inside):
            chosen = b
            break
    if chosen is None and bands and total >= bands[-1][key][1]:
        chosen, above = bands[-1], True
    if chosen is None:
        return None
    return {
        "level": chosen["level"],
        "symbol": chosen["symbol"],
        "population": population,
        "range_msv": list(chosen[key]),
        "above_top": above,
        "source": chosen.get("source", "acr-rrl"),
        "confidence": chosen.get("confidence"),
    }


def resolve(
    i: int, study: dict[str, Any], population: str, index: dict[str, Any], errors: list[FieldError]
) -> dict[str, Any] | None:
    """Per-study dose: {label, procedure, typical, low, high, basis, source, confidence, how_sure, note}
    or None on error (``note``: the catalog's word on the figure)."""
    path = f"studies[{i}]"
    proc_id, custom, dose = study["procedure"], study["custom"], study["dose_msv"]
    if proc_id is not None and custom is not None:
        errors.append(
            field_error(
                path,
                "either 'procedure' or 'custom'",
                None,
                f"{path}: give either 'procedure' or 'custom', not both",
                found="both",
            )
        )
        return None
    if proc_id is None and custom is None:
        errors.append(
            field_error(
                path,
                "'procedure' or 'custom'",
                None,
                f"{path}: give 'procedure' (a catalog id) or 'custom' with 'dose_msv'",
                found="neither",
            )
        )
        return None
    if custom is not None:
        if not custom.strip():
            errors.append(
                field_error(
                    f"{path}.custom",
                    "a non-empty name",
                    custom,
                    f"{path}.custom: expected a non-empty name, found {found_text(custom)}",
                )
            )
            return None
        if dose is None:
            errors.append(
                field_error(
                    f"{path}.dose_msv",
                    "a dose in mSv",
                    None,
                    f"{path}.dose_msv: required for a custom study",
                    found="nothing",
                )
            )
            return None
        if dose < 0:
            errors.append(
                field_error(
                    f"{path}.dose_msv",
                    "a dose >= 0 mSv",
                    dose,
                    f"{path}.dose_msv: expected a dose >= 0 mSv, found {dose:g}",
                )
            )
            return None
        if dose > MAX_STUDY_MSV:
            errors.append(
                field_error(
                    f"{path}.dose_msv",
                    f"a dose <= {MAX_STUDY_MSV:g} mSv",
                    dose,
                    f"{path}.dose_msv: {dose:g} mSv is not plausible for one study "
                    f"(limit {MAX_STUDY_MSV:g} mSv); check the unit: µSv or mGy·cm are not mSv",
                )
            )
            return None
        d = float(dose)
        return {
            "label": custom.strip(),
            "procedure": None,
            "typical": d,
            "low": d,
            "high": d,
            "basis": "custom dose as entered",
            "source": None,
            "confidence": None,
            "how_sure": "",
            "note": "",
        }
    if dose is not None:
        errors.append(
            field_error(
                f"{path}.dose_msv",
                "no dose for a catalog procedure",
                dose,
                f"{path}.dose_msv: only used with 'custom'; the catalog gives the dose of a procedure",
            )
        )
        return None
    proc = index["procedures"].get(proc_id)
    if proc is None:
        hint = _suggest(proc_id, index)
        tail = f"; did you mean {hint!r}?" if hint else "; see the procedure list"
        errors.append(
            field_error(
                f"{path}.procedure",
                "a procedure id from the catalog",
                proc_id,
                f"{path}.procedure: unknown procedure {proc_id!r}{tail}",
            )
        )
        return None
    base = {"label": proc["name"], "procedure": proc_id}
    level = proc["rrl_adult"] if population == "adult" else proc.get("rrl_pediatric")
    if level == 0:
        return {
            **base,
            "typical": 0.0,
            "low": 0.0,
            "high": 0.0,
            "basis": "no ionising radiation (RRL O)",
            "source": "acr-rrl",
            "confidence": "verified",
            "how_sure": HOW_SURE["verified"],
            "note": "",
        }
    if population == "adult":
        if proc.get("dose") is None:
            errors.append(
                field_error(
                    f"{path}.procedure",
                    "a procedure with a typical dose",
                    proc_id,
                    f"{path}.procedure: {proc_id!r} has no typical dose in the catalog; enter it as a custom "
                    "study with its dose in mSv",
                )
            )
            return None
        d = proc["dose"]
        return {
            **base,
            "typical": float(d["typical_msv"]),
            "low": float(d["low_msv"]),
            "high": float(d["high_msv"]),
            "basis": "typical adult dose",
            "source": d["source"],
            "confidence": d["confidence"],
            "how_sure": how_sure(d),
            "note": d.get("note", ""),
        }
    band = next((b for b in index["rrl"] if b["level"] == level), None)
    if band is None:
        errors.append(
            field_error(
                f"{path}.procedure",
                "a procedure with a pediatric RRL",
                proc_id,
                f"{path}.procedure: {proc_id!r} has no pediatric RRL in the catalog; enter it as a custom "
                "study with its dose in mSv",
            )
        )
        return None
    lo, hi = band["pediatric_msv"]
    return {
        **base,
        "typical": None,
        "low": float(lo),
        "high": float(hi),
        "basis": f"pediatric RRL band {band['symbol']} ({fmt(lo)}-{fmt(hi)} mSv)",
        "source": band.get("source", "acr-rrl"),
        "confidence": band.get("confidence"),
        "how_sure": how_sure(band),
        "note": "",
    }

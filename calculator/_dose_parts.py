"""Dose building blocks: catalog index, RRL band and background time (per-study doses: ``_dose_study``).

Pure functions over the exported catalog; ``dose.py`` wires them into the calculator.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "BACKGROUND_MSV_PER_YEAR",
    "HOW_SURE",
    "MAX_STUDY_MSV",
    "MAX_TOTAL_MSV",
    "SPREAD_WORDS",
    "background_time",
    "band_of",
    "band_words",
    "build_index",
    "figure_text",
    "fmt",
    "how_sure",
]

#: Natural background as RadiologyInfo rounds it (NCRP 160: about 3.1 mSv a year in the US).
BACKGROUND_MSV_PER_YEAR = 3.0
#: Largest plausible dose for one study. The top ACR RRL band ends at 100 mSv and diagnostic studies
#: sit far below it; 1000 mSv (1 Sv) is ten times that band, so a larger entry is almost surely a unit
#: slip (µSv, or mGy·cm from the scanner) rather than a real study.
MAX_STUDY_MSV = 1000.0
#: A cumulative total above this is a slip in the counts or units, not a patient's history.
MAX_TOTAL_MSV = 10000.0
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


def fmt(x: float) -> str:
    # Human-friendly mSv figures without exponent notation.
    if x == 0:
        return "0"
    if x < 0.000001:
        return "less than 0.000001"
    return f"{x:.0f}" if x >= 100 else f"{x:.3g}" if x >= 0.001 else f"{x:.6f}".rstrip("0")


#: What a study's low and high are, by the ``spread`` of its row, in the words results and reports use:
#: the catalog's kinds (range, sd, editions, sources, activity) and those the calculator makes.
SPREAD_WORDS: dict[str, str] = {
    "range": "the range reported by the source",
    "sd": "mean ± 1 SD in one measured series, not a range",
    "editions": "the figures of the older and newer ACR–RSNA chart editions only, not the full spread",
    "sources": "the figures of two sources only, not the full spread",
    "activity": "over the usual range of administered activity",
    "coefficients": "from the span of published coefficients for the region",
    "band": "the range of its pediatric RRL band, no typical value",
    "none": "",
}


def figure_text(t: Mapping[str, float | None], spread: str, dash: str = "–", each: str = "") -> str:
    """A dose as results and reports say it: rounded by ``fmt``, its low and high with what they are."""
    lo, hi, typical = float(t["low"] or 0), float(t["high"] or 0), t["typical"]
    span = f"{fmt(lo)}{dash}{fmt(hi)} mSv"
    if typical is None:
        words = f" ({SPREAD_WORDS[spread]})" if SPREAD_WORDS[spread] else ""
        return f"{span}{each}{words}" if lo != hi else f"{fmt(lo)} mSv{each}"
    head = f"about {fmt(typical)} mSv{each}" if typical else f"0 mSv{each}"
    words = f", {SPREAD_WORDS[spread]}" if SPREAD_WORDS[spread] else ""
    return head if lo == hi else f"{head} ({span}{words})"


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


def band_words(band: Mapping[str, Any], dash: str = "–") -> str:
    """A band in words, no symbols: ``RRL 4 (10–30 mSv)``, ``RRL 1 (below 0.1 mSv)``, ``RRL 0 (0 mSv)``."""
    lo, hi = band["range_msv"]
    if band["level"] == 0:
        return "RRL 0 (0 mSv)"
    limits = f"below {fmt(hi)} mSv" if lo == 0 else f"{fmt(lo)}{dash}{fmt(hi)} mSv"
    return f"RRL {band['level']} ({limits})"


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

"""The dose calculator's words: the report, the total and the risk statement (the sums: ``dose.py``).

Pure functions of a computed result; every figure is rounded by ``fmt`` as the result's texts are.
"""

from __future__ import annotations

from typing import Any

from ._dose_parts import band_words, figure_text, fmt

__all__ = ["HEADING", "SD_SUM", "TYPICAL", "UNCHECKED", "report", "risk_text", "study_text", "total_text"]

#: The report's first line: where it comes from and what it is, with the key caveat (the page adds the
#: date of calculation); the older ACR–RSNA chart says the same of its figures.
HEADING = (
    "Imaging Appropriateness calculators: cumulative radiation dose (typical effective doses from published "
    "sources; ACR Relative Radiation Levels) — an estimate for a typical patient, not a measurement of this "
    "patient: body size, the scanner and the protocol change the real dose (as the ACR–RSNA adult dose "
    "chart notes)."
)
#: The same caveat as the page's first (the report says it in its first line).
TYPICAL = (
    "Effective dose is an estimate for a typical patient, not a measurement of this patient: body size, "
    "the scanner and the protocol change the real dose (as the ACR–RSNA adult dose chart notes)."
)

#: Marks whose reason a reader needs beside the figure.
UNCHECKED = ("recalled", "unresolved")

#: Said when a total adds up such figures: ends of ± 1 SD do not add up to a range.
SD_SUM = (
    "Some figures are a measured mean ± 1 standard deviation, not a range: the low and high ends of the "
    "total simply add up those ends, so they show the spread only roughly."
)


def total_text(total: dict[str, Any], rows: list[dict[str, Any]], dash: str = "–") -> str:
    """The total as results and reports say it: a single study's kind of range; a range when every
    study's is a reported range; else its ends added up (ends of ± 1 SD or of two figures are no range)."""
    if len(rows) == 1 and rows[0]["count"] == 1:
        return figure_text(total, rows[0]["spread"], dash)
    span = f"{fmt(total['low'])}{dash}{fmt(total['high'])} mSv"
    if total["typical"] is None:
        return span
    summed = not {b["spread"] for b in rows} <= {"range", "none"}
    word = "low and high ends added up:" if summed else "range"
    ranged = f" ({word} {span})" if total["low"] != total["high"] else ""
    return f"about {fmt(total['typical'])} mSv{ranged}"


#: What is known of the statement the risk text follows: its date, its sunset date, no renewal found.
_PP25C = (
    "the AAPM position statement PP 25-C (April 2018; sunset date 31 December 2023 on its page; no renewal "
    "or replacement found)"
)


def risk_text(high: float) -> str:
    # AAPM PP 25-C (2018); the 2011 "too low to be detectable" wording is superseded; its currency is unknown.
    if high < 100:
        return (
            f"No cancer-risk estimate is given, following {_PP25C}: below 100 mSv the evidence of more "
            "cancers or cancer deaths is inconclusive, and predicting hypothetical cancers from diagnostic "
            "imaging is highly speculative and discouraged; a medically appropriate study's expected benefit "
            "very probably outweighs any small potential risk."
        )
    return (
        "No cancer-risk estimate is given. This total, or its high end, is 100 mSv or more: "
        f"{_PP25C} calls the evidence inconclusive below 100 mSv only, so it offers no reassurance at this "
        "level, and it discourages predicting hypothetical cancers from diagnostic imaging. Ask a "
        "radiologist or medical physicist to review the imaging history and the need for further studies."
    )


def _uncertain(studies: list[dict[str, Any]]) -> list[str]:
    """Sentences naming the figures not read in their source, with the reason where sources disagree."""
    out: list[str] = []
    # a study entered twice is named once
    rows = {b["label"]: b for b in studies if b["confidence"] in UNCHECKED}.values()
    unchecked = [b["label"] for b in rows if b["confidence"] == "recalled"]
    if unchecked:
        out.append(
            "The calculator's figures behind these doses were not re-read in their source and are still to "
            f"be checked: {'; '.join(unchecked)}."
        )
    out += [
        f"The calculator's sources disagree on {b['label']}: {b['note']}"
        for b in rows
        if b["confidence"] == "unresolved"
    ]
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


def study_text(
    t: dict[str, Any], b: dict[str, Any], dash: str = "–", each: str = "", words: bool = True
) -> str:
    """One study's dose ``t`` (per study or subtotal) as results and reports say it."""
    if b["basis"] == "custom dose as entered":
        return f"{fmt(t['typical'])} mSv{each} as entered"
    if t["high"] == 0:
        return f"0 mSv{each} (no ionising radiation)"
    return figure_text(t, b["spread"] if words else "none", dash, each)


def _item(b: dict[str, Any]) -> str:
    """One study in the report: name, count and dose with what its low and high are; for a DLP, the
    figures it was worked out from, so that a wrong region can be caught."""
    each = " each" if b["count"] > 1 else ""
    dose = study_text(b["per_study_msv"], b, "-", each)
    return f"{b['label']} x{b['count']}: " + (f"{b['calculation']} = {dose}" if b["calculation"] else dose)


def report(result: dict[str, Any]) -> str:
    """The report: its heading on a line of its own, then one paragraph."""
    total, who, rows = result["total_msv"], result["population"], result["studies"]
    n = sum(b["count"] for b in rows)
    studies = f"{n} {'study' if n == 1 else 'studies'}"
    if total["high"] == 0:
        names = "; ".join(f"{b['label']} x{b['count']}" for b in rows)
        return (
            f"{HEADING}\nCumulative effective dose ({who}) from {studies} ({names}): 0 mSv; none of them "
            "uses ionising radiation."
        )
    if len(rows) == 1 and n == 1:
        # one study: its line is the whole sum
        head, listed = f"Estimated effective dose ({who}) of one study, {_item(rows[0])}.", []
    else:
        head = f"Estimated cumulative effective dose ({who}) from {studies}: {total_text(total, rows, '-')}."
        listed = ["Studies: " + "; ".join(_item(b) for b in rows) + "."]
    bg = result["background"]
    when = (
        bg["typical"]["text"]
        if total["typical"] is not None
        else f"{bg['low']['text']} to {bg['high']['text']}"
    )
    parts = [head, *listed]
    band = result["band"]
    if band is not None:
        parts.append(_band_sentence(band, who))
    parts.append(f"Natural background radiation (about 3 mSv a year) gives the same dose in {when}.")
    parts += _uncertain(rows)
    parts += [c for c in result["caveats"] if c == SD_SUM]
    parts.append(result["risk"])
    return HEADING + "\n" + " ".join(parts)

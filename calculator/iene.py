"""iENE grading (HNCIG 2024 with the AOSNHNR-ASHNR-ESHNR refinements): findings in, grade out.

The grade is the highest grade proved by an unequivocal finding. Equivocal findings, findings that
never count (necrosis, capsular thickening) and look-alikes that fall short of a criterion are set
aside, each with its reason. The rules live in ``_iene_rules``, the N-category statements in
``_iene_staging`` and the input declaration in ``_iene_fields``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._contract import Calculator, Trail
from ._iene_fields import FIELDS, check
from ._iene_rules import (
    ARTERIES,
    ARTERY_NAMES,
    ARTERY_POINTERS,
    ARTERY_SIGNS,
    BIFURCATION,
    CAUTIONS,
    CRITERIA,
    ENCASEMENT_DEG,
    EXACTLY_270,
    FINDINGS,
    FLARE_CAUTION,
    INDETERMINATE_DEG,
    MOBILE,
    ONE_SECTION,
    SECTIONS_NOT_GIVEN,
    SIGNS_OF_INVASION,
    UNSETTLED_TAILS,
    Finding,
    original_hncig_note,
)
from ._iene_staging import staging_for

__all__ = ["CALCULATOR", "HEADING", "grade_findings"]

_BY_KIND: dict[str, Finding] = {f.kind: f for f in FINDINGS}
_ORDER: dict[str, int] = {f.kind: i for i, f in enumerate(FINDINGS)}
_CRITERIA = (
    ("fat_planes_lost", "loss of the intervening fat planes"),
    ("convexity_lost", "loss of convexity at the point of contact"),
    ("boundaries_merged", "merging of the nodal boundaries (loss of the acute angle)"),
)
_GRADE_LABELS = (
    "Grade 0: no unequivocal iENE",
    "Grade 1: extension confined to the perinodal fat",
    "Grade 2: coalescent (matted) nodes",
    "Grade 3: extension into adjacent structures",
)
_EQUIVOCAL = "equivocal findings never raise the grade: only unequivocal evidence counts"
_REVIEW = ("kuno-2025",)
#: The report's first line: where it comes from and what it is (the page adds the date of calculation).
HEADING = (
    "Imaging Appropriateness calculators: iENE grade (HNCIG 2024 as refined by the task force) — an aid, "
    "not a diagnosis; check against the images."
)
#: How the result says whether the node is iENE-positive: by ``ene``, or when the two criteria sets differ.
_ENE_LABELS = {
    "positive": "iENE-positive (Grade 1 to 3)",
    "negative": "iENE-negative (Grade 0)",
    "not-settled": "Not settled: neither iENE-negative nor iENE-positive can be stated",
    "conflict": (
        "iENE-negative under the task-force refinement, iENE-positive under the original HNCIG wording"
    ),
}


def _lower(label: str) -> str:
    # Lower-case a label for use inside a sentence, keeping acronyms such as "MRI".
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def _label(spec: Finding, item: dict[str, Any]) -> str:
    """The finding as a report names it: an artery with its name and angle of contact."""
    if spec.kind != "artery-contact" or item["artery"] is None or item["degrees"] is None:
        return spec.label
    what = "Encasement of" if float(item["degrees"]) >= ENCASEMENT_DEG else "Contact with"
    return f"{what} {ARTERY_NAMES[item['artery']]} ({float(item['degrees']):g}°)"


def _signs(item: dict[str, Any]) -> list[str]:
    return [text for key, text in ARTERY_SIGNS.items() if item[key]]


def _artery(item: dict[str, Any]) -> tuple[int, str, str, bool]:
    """Grade one unequivocal artery contact: (grade, reason if set aside, text for review or '', whether
    the grade is left unsettled)."""
    artery, deg = item["artery"], float(item["degrees"])
    if artery == "other":
        reason = (
            "only major arteries (common and internal carotid, external carotid origin, vertebral) "
            "are assessed; smaller arteries are not"
        )
        return 0, reason, "", False
    name, signs = ARTERIES[artery].capitalize(), _signs(item)
    moves = [MOBILE] if item["moves_on_ultrasound"] else []
    also = "".join(f" Also entered: {m}." for m in moves)
    if deg < INDETERMINATE_DEG:
        reason = f"contact of {deg:g}° (under 180°) usually means no arterial invasion"
        if not signs:
            return 0, reason, "", False
        flag = (
            f"{name}: contact of {deg:g}° (under 180°), which the review says usually means no invasion, "
            f"but other signs of invasion were entered: {'; '.join(signs)}. {SIGNS_OF_INVASION}{also}"
        )
        return 0, reason, flag, True
    if deg < ENCASEMENT_DEG:
        reason = f"contact of {deg:g}° (180° to under 270°) is indeterminate"
        if not signs:
            flag = f"{name}: {reason}: not Grade 3; the review advises multidisciplinary review.{also}"
            return 0, reason, flag, False
        flag = (
            f"{name}: contact of {deg:g}° (180° to under 270°), which the review calls indeterminate, with "
            f"other signs of invasion entered: {'; '.join(signs)}. {SIGNS_OF_INVASION}{also}"
        )
        return 0, reason, flag, True
    if item["moves_on_ultrasound"]:
        flag = (
            f"{name}: encasement of {deg:g}° counts as Grade 3 under the grading criteria, but {MOBILE}: "
            "discuss at multidisciplinary review."
        )
        return 3, "", flag, False
    return 3, "", "", False


def _assess(item: dict[str, Any]) -> tuple[int, str, str, bool]:
    """Grade one unequivocal finding: (grade proved, reason if set aside, text for review or '', whether
    it leaves the grade unsettled)."""
    spec = _BY_KIND[item["finding"]]
    if spec.kind == "carotid-bifurcation":
        return 0, spec.reason, BIFURCATION, True
    if spec.grade == 0:
        return 0, spec.reason, "", False
    if spec.kind == "coalescent-nodes":
        missing = [text for key, text in _CRITERIA if not item[key]]
        if missing:
            return (
                0,
                "Grade 2 needs all three coalescence criteria; missing: " + "; ".join(missing),
                "",
                False,
            )
        if item["single_node_possible"]:
            reason = (
                "a single large necrotic or lobulated node has not been excluded "
                "(multiplanar images may settle it)"
            )
            return 0, reason, "", False
    if spec.kind == "muscle-infiltration" and item["sections"] == "one":
        return 0, "it was seen on one section only", ONE_SECTION, True
    if spec.kind == "artery-contact":
        return _artery(item)
    return spec.grade, "", "", False


def _notes(item: dict[str, Any], spec: Finding, grade: int, certainty: str) -> list[str]:
    """Notes one finding adds to the result, whatever its grade."""
    if spec.kind == "carotid-bifurcation" and certainty == "equivocal":
        return [
            "Possible involvement of the carotid bifurcation: equivocal, so it does not change the grade; "
            "the review regards definite involvement as unresectable whatever the angle of contact."
        ]
    if not grade:
        return []
    if spec.kind == "flare-sign":
        return [FLARE_CAUTION]
    if spec.kind == "muscle-infiltration" and item["sections"] is None:
        return [SECTIONS_NOT_GIVEN]
    if spec.kind == "artery-contact" and float(item["degrees"]) == ENCASEMENT_DEG:
        return [EXACTLY_270]
    return []


def _assessed(findings: list[dict[str, Any]]) -> list[tuple[int, str, str, bool]]:
    """(grade, reason, flag, unsettles) of every finding entered (absent ones included, as zeros)."""
    out = []
    for item in findings:
        certainty = item["certainty"]
        if certainty == "unequivocal":
            out.append(_assess(item))
        else:
            out.append((0, _EQUIVOCAL if certainty == "equivocal" else "", "", False))
    return out


def _verdict(top: int, unsettled: bool, original: int) -> tuple[str, str]:
    """(ene, grade label): positive, negative, not settled, or graded differently by the two criteria sets."""
    if unsettled and top == 0:
        return "not-settled", (
            "Grade not settled: no grading criterion is met, but a finding suggests invasion "
            "(see the findings for multidisciplinary review)"
        )
    if unsettled:
        return "positive", f"{_GRADE_LABELS[top]}; a higher grade is not settled"
    if original != top:
        return "conflict", (
            f"{_GRADE_LABELS[top]} under the task-force refinement (Grade {original} under the original "
            "HNCIG 2024 wording)"
        )
    return ("positive" if top else "negative"), _GRADE_LABELS[top]


def grade_findings(clean: dict[str, Any]) -> dict[str, Any]:
    """Grade validated input; returns the result, trail and report (pure, order-independent)."""
    findings: list[dict[str, Any]] = clean["findings"] or []
    assessed = _assessed(findings)
    top = max((a[0] for a in assessed), default=0)
    # a finding the criteria do not cover unsettles the grade only below Grade 3
    unsettled = top < 3 and any(a[3] for a in assessed)
    trail = Trail()
    counted: list[tuple[int, int, int, str]] = []  # (grade, kind order, index, label)
    set_aside: list[dict[str, Any]] = []
    review: list[dict[str, str]] = []
    notes: set[str] = set()
    irregular = arterial = False
    for i, (item, (grade, reason, flag, unsettles)) in enumerate(zip(findings, assessed, strict=True)):
        path, spec = f"findings[{i}]", _BY_KIND[item["finding"]]
        certainty = item["certainty"]
        if certainty == "absent":
            trail.add(spec.rule, "noted", f"{spec.label}: entered as absent.", (), path)
            continue
        irregular |= spec.kind == "irregular-capsule" and certainty == "unequivocal"
        for note in _notes(item, spec, grade, certainty):
            notes.add(note)
            trail.add(spec.rule, "noted", note, spec.sources, path)
        if flag:
            flag += UNSETTLED_TAILS[spec.kind][top == 3] if unsettles else ""
            arterial |= spec.kind != "muscle-infiltration"
            review.append({"path": path, "text": flag})
            trail.add(f"{spec.rule}-review", "flagged", flag, spec.sources, path)
        if spec.kind == "carotid-bifurcation":
            continue
        label = _label(spec, item)
        if grade:
            counted.append((grade, _ORDER[spec.kind], i, label))
            text = f"{label}: unequivocal, supports Grade {grade}."
            trail.add(spec.rule, "counted", text, spec.sources, path)
            continue
        aside = {"path": path, "finding": spec.kind, "label": label, "certainty": certainty}
        set_aside.append({**aside, "reason": reason, "sources": list(spec.sources)})
        trail.add(spec.rule, "set-aside", f"{label}: set aside because {reason}.", spec.sources, path)
    deciding = [
        {"path": f"findings[{i}]", "finding": FINDINGS[o].kind, "label": label}
        for g, o, i, label in sorted(counted, key=lambda c: (c[1], c[2]))
        if g == top
    ]
    trail.add(
        "highest-unequivocal-grade",
        "decided",
        f"The grade is the highest grade with unequivocal evidence: Grade {top}."
        + (" It is not settled: see the findings sent for multidisciplinary review." if unsettled else ""),
        ("kuno-2025", "henson-2024"),
    )
    # The original HNCIG wording counts unequivocally irregular margins alone as Grade 1.
    original = max(top, 1 if irregular else 0)
    if original != top:
        note = original_hncig_note(top)
        notes.add(note)
        trail.add("task-force-refinement", "noted", note, _BY_KIND["irregular-capsule"].sources)
    structures = frozenset(_BY_KIND[d["finding"]].structure for d in deciding)
    staging = staging_for(
        clean["subsite"],
        top,
        structures,
        clean["post_treatment"],
        unsettled=unsettled,
        original_grade=original,
    )
    if staging:
        trail.add(f"tnm9-{staging['subsite']}", "noted", staging["text"], tuple(staging["sources"]))
    set_aside.sort(key=lambda s: (_ORDER[s["finding"]], s["reason"], s["certainty"]))
    ene, grade_label = _verdict(top, unsettled, original)
    result = {
        "grade": top,
        "settled": not unsettled,
        "ene": "negative" if ene == "conflict" else ene,
        "ene_label": _ENE_LABELS[ene],
        "grade_label": grade_label,
        "criteria": CRITERIA,
        "original_hncig_grade": original,
        "deciding": deciding,
        "set_aside": set_aside,
        "review": sorted(review, key=lambda r: r["text"]),
        "pointers": list(ARTERY_POINTERS) if arterial else [],
        "notes": sorted(notes),
        "cautions": _cautions(clean),
        "staging": staging,
        "report_heading": HEADING,
    }
    if arterial:
        trail.add("artery-pointers", "noted", " ".join(ARTERY_POINTERS), _REVIEW)
    return {"result": result, "trail": trail.entries, "report": _report(result)}


def _cautions(clean: dict[str, Any]) -> list[str]:
    keys = [f"recent_biopsy_{clean['recent_biopsy']}"]
    keys += [k for k in ("post_treatment", "inflammatory_change") if clean[k]]
    return [CAUTIONS[k] for k in keys if k in CAUTIONS]


def _headline(result: dict[str, Any]) -> str:
    """The report's first sentence: the grade, and whether the node is iENE-positive, in words."""
    grade, lead = result["grade"], f"Imaging-detected extranodal extension (iENE), {result['criteria']}:"
    if not result["settled"] and grade == 0:
        return (
            f"{lead} grade not settled. No grading criterion is met, but a finding entered suggests "
            "invasion of an adjacent structure (see below), so neither iENE-negative nor iENE-positive "
            "is stated."
        )
    if not result["settled"]:
        return f"{lead} Grade {grade} at least, iENE-positive; a higher grade is not settled (see below)."
    original = result["original_hncig_grade"]
    if original != grade:
        return (
            f"{lead} Grade {grade}, iENE-negative under the task-force refinement; Grade {original}, "
            "iENE-positive, under the original HNCIG 2024 wording."
        )
    return f"{lead} Grade {grade}, iENE-{result['ene']}."


def _report(result: dict[str, Any]) -> str:
    """The report: its heading on a line of its own, then one paragraph."""
    parts = [_headline(result)]
    if result["deciding"]:
        labels = "; ".join(_lower(d["label"]) for d in result["deciding"])
        parts.append(f"Deciding finding: {labels}.")
    elif any(s["certainty"] == "unequivocal" for s in result["set_aside"]) or result["review"]:
        # unequivocal findings that fall short of a criterion are not "no feature of ENE"
        parts.append("No unequivocal finding meets a grading criterion.")
    else:
        parts.append("No unequivocal feature of extranodal extension.")
    equivocal = [_lower(s["label"]) for s in result["set_aside"] if s["certainty"] == "equivocal"]
    if equivocal:
        parts.append(f"Equivocal, so not counted: {'; '.join(equivocal)}.")
    reviewed = {r["path"] for r in result["review"]}
    for item in result["set_aside"]:
        # a finding sent for review is explained once, by its review sentence below
        if item["certainty"] == "unequivocal" and item["path"] not in reviewed:
            parts.append(f"Not counted: {_lower(item['label'])}, as {item['reason']}.")
    parts += [r["text"] for r in result["review"]]
    if result["pointers"]:
        parts.append("Pointers from the review: " + " ".join(result["pointers"]))
    parts += result["notes"]
    staging = result["staging"]
    if staging:
        parts.append(
            f"TNM 9th edition, {staging['subsite_label']}: {staging['summary']}. {staging['text']} "
            f"How sure: {_lower(staging['how_sure'])}"
        )
    parts += result["cautions"]
    return f"{HEADING}\n{' '.join(parts)}"


def _compute(payload: dict[str, Any], catalog: Mapping[str, Any] | None) -> dict[str, Any]:
    return grade_findings(payload)


CALCULATOR = Calculator(
    name="iene",
    title="iENE grade (HNCIG 2024, task-force refinement)",
    summary="Grades imaging-detected extranodal extension from findings entered with their certainty.",
    fields=FIELDS,
    compute=_compute,
    check=check,
    examples=(
        {
            "findings": [
                {"finding": "fat-projections", "certainty": "unequivocal"},
                {"finding": "muscle-infiltration", "certainty": "equivocal"},
            ],
            "subsite": "hpv-oropharynx",
            "recent_biopsy": "no",
        },
    ),
)

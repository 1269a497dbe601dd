"""iENE grading (HNCIG 2024 with the AOSNHNR-ASHNR-ESHNR refinements): findings in, grade out.

The grade is the highest grade proved by an unequivocal finding. Equivocal findings, findings that
never count (necrosis, capsular thickening) and look-alikes that fall short of a criterion are set
aside, each with its reason. The rules themselves live in ``_iene_rules``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._contract import Calculator, Field, FieldError, Trail, field_error, item_ok
from ._iene_rules import (
    ARTERIES,
    CAUTIONS,
    ENCASEMENT_DEG,
    EXACTLY_270,
    FINDINGS,
    INDETERMINATE_DEG,
    STAGING,
    SUBSITES,
    Finding,
)

__all__ = ["CALCULATOR", "grade_findings"]

_BY_KIND: dict[str, Finding] = {f.kind: f for f in FINDINGS}
_ORDER: dict[str, int] = {f.kind: i for i, f in enumerate(FINDINGS)}
_CRITERIA = (
    ("fat_planes_lost", "loss of the intervening fat planes"),
    ("convexity_lost", "loss of convexity at the point of contact"),
    ("boundaries_merged", "merging of the nodal boundaries (loss of the acute angle)"),
)
_DETAILS: dict[str, tuple[str, ...]] = {
    "artery-contact": ("artery", "degrees"),
    "coalescent-nodes": ("fat_planes_lost", "convexity_lost", "boundaries_merged", "single_node_possible"),
}
_GRADE_LABELS = (
    "Grade 0: no unequivocal iENE",
    "Grade 1: extension confined to the perinodal fat",
    "Grade 2: coalescent (matted) nodes",
    "Grade 3: extension into adjacent structures",
)
_EQUIVOCAL = "equivocal findings never raise the grade: only unequivocal evidence counts"
_TASK_FORCE = ("kuno-2025", "ashnr-iene-2025")

FIELDS: tuple[Field, ...] = (
    Field(
        "findings",
        "list",
        "Findings",
        "Each imaging finding with how certain it is. An empty list means no finding of ENE.",
        default=[],
        max_items=40,
        items=(
            Field(
                "finding",
                "enum",
                "Finding",
                "What was seen.",
                required=True,
                values=tuple(f.kind for f in FINDINGS),
                value_labels=tuple(f.label for f in FINDINGS),
            ),
            Field(
                "certainty",
                "enum",
                "Certainty",
                "How sure the reader is that the finding is present.",
                required=True,
                values=("absent", "equivocal", "unequivocal"),
                value_labels=("Absent", "Equivocal (possible)", "Unequivocal (definite)"),
            ),
            Field(
                "artery",
                "enum",
                "Artery",
                "Only for artery contact: which artery.",
                values=tuple(ARTERIES),
                value_labels=tuple(a.capitalize() for a in ARTERIES.values()),
            ),
            Field(
                "degrees",
                "number",
                "Degrees of contact",
                "Only for artery contact: how much of the circumference the tumour touches.",
                unit="degrees",
                minimum=0,
                maximum=360,
            ),
            Field(
                "fat_planes_lost",
                "boolean",
                "Intervening fat planes lost",
                "Only for coalescent nodes.",
                default=False,
            ),
            Field(
                "convexity_lost",
                "boolean",
                "Convexity lost at the contact point",
                "Only for coalescent nodes.",
                default=False,
            ),
            Field(
                "boundaries_merged",
                "boolean",
                "Nodal boundaries merged (acute angle lost)",
                "Only for coalescent nodes.",
                default=False,
            ),
            Field(
                "single_node_possible",
                "boolean",
                "Could be one large necrotic or lobulated node",
                "Only for coalescent nodes: tick if a single node has not been excluded.",
                default=False,
            ),
        ),
    ),
    Field(
        "subsite",
        "enum",
        "Primary subsite",
        "Optional: adds what the TNM 9th edition implies for the N category.",
        values=tuple(SUBSITES),
        value_labels=(
            "Nasopharynx",
            "HPV-associated oropharynx",
            "Major salivary gland",
            "Other head and neck subsite",
        ),
    ),
    Field(
        "recent_biopsy",
        "enum",
        "Recent core biopsy of the node",
        "Post-biopsy change can mimic Grade 1.",
        values=("no", "yes", "unknown"),
        value_labels=("No", "Yes", "Unknown"),
        default="unknown",
    ),
    Field(
        "post_treatment",
        "boolean",
        "Imaging after surgery or radiotherapy",
        "Treatment change can mimic Grade 1.",
        default=False,
    ),
    Field(
        "inflammatory_change",
        "boolean",
        "Inflammation or infection in the neck",
        "Inflammatory change can mimic Grade 1.",
        default=False,
    ),
)


def _lower(label: str) -> str:
    # Lower-case a label for use inside a sentence, keeping acronyms such as "MRI".
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def _check(clean: dict[str, Any], catalog: Mapping[str, Any] | None, bad: frozenset[str]) -> list[FieldError]:
    """Details given for the wrong finding, or missing artery details; skips findings whose kind failed."""
    errors: list[FieldError] = []
    for i, item in enumerate(clean["findings"] or []):
        # without a valid finding kind its details cannot be checked; other bad fields don't matter here
        if not isinstance(item, dict) or {f"findings[{i}]", f"findings[{i}].finding"} & bad:
            continue
        kind = item["finding"]
        for key in ("artery", "degrees", *(c for c, _ in _CRITERIA), "single_node_possible"):
            given = item[key] not in (None, False)
            if given and key not in _DETAILS.get(kind, ()):
                owner = "artery-contact" if key in ("artery", "degrees") else "coalescent-nodes"
                errors.append(
                    field_error(
                        f"findings[{i}].{key}",
                        f"only with finding {owner!r}",
                        item[key],
                        f"findings[{i}].{key}: only used with finding {owner!r}",
                    )
                )
        if kind == "artery-contact" and item["certainty"] != "absent":
            for key, what in (
                ("artery", "one of " + ", ".join(repr(a) for a in ARTERIES)),
                ("degrees", "a number of degrees from 0 to 360"),
            ):
                if item[key] is None and item_ok(bad, f"findings[{i}].{key}"):
                    errors.append(
                        field_error(
                            f"findings[{i}].{key}",
                            what,
                            None,
                            f"findings[{i}].{key}: required for artery contact",
                            found="nothing",
                        )
                    )
    return errors


def _assess(item: dict[str, Any]) -> tuple[int, str, tuple[str, ...]]:
    """Grade one unequivocal finding: (grade proved, reason if 0, sources of the deciding rule)."""
    spec = _BY_KIND[item["finding"]]
    if spec.grade == 0:
        return 0, spec.reason, spec.sources
    if spec.kind == "coalescent-nodes":
        missing = [text for key, text in _CRITERIA if not item[key]]
        if missing:
            return (
                0,
                "Grade 2 needs all three coalescence criteria; missing: " + "; ".join(missing),
                spec.sources,
            )
        if item["single_node_possible"]:
            return (
                0,
                (
                    "a single large necrotic or lobulated node has not been excluded "
                    "(multiplanar images may settle it)"
                ),
                spec.sources,
            )
    if spec.kind == "artery-contact":
        artery, deg = item["artery"], float(item["degrees"])
        if artery == "other":
            return (
                0,
                "only major arteries (common and internal carotid, external carotid origin, vertebral) "
                "are assessed; smaller arteries are not",
                spec.sources,
            )
        if deg < INDETERMINATE_DEG:
            return 0, f"contact of {deg:g}° (under 180°) usually means no arterial invasion", spec.sources
        if deg < ENCASEMENT_DEG:
            return (
                0,
                f"contact of {deg:g}° (180° to under 270°) is indeterminate: not Grade 3, refer for "
                "multidisciplinary review",
                spec.sources,
            )
    return spec.grade, "", spec.sources


def _staging(subsite: str | None, grade: int) -> dict[str, Any] | None:
    if subsite is None:
        return None
    rule = next(s for s in STAGING if s.subsite == subsite and grade in s.grades)
    return {
        "subsite": subsite,
        "subsite_label": SUBSITES[subsite],
        "n_category": rule.n_category,
        "text": rule.text,
        "sources": list(rule.sources),
        "confidence": rule.confidence,
    }


def grade_findings(clean: dict[str, Any]) -> dict[str, Any]:
    """Grade validated input; returns the result, trail and report (pure, order-independent)."""
    findings: list[dict[str, Any]] = clean["findings"] or []
    trail = Trail()
    counted: list[tuple[int, int, int]] = []  # (grade, kind order, index)
    set_aside: list[dict[str, Any]] = []
    review: list[dict[str, str]] = []
    notes: list[str] = []
    for i, item in enumerate(findings):
        path, spec = f"findings[{i}]", _BY_KIND[item["finding"]]
        certainty = item["certainty"]
        if certainty == "absent":
            trail.add(spec.rule, "noted", f"{spec.label}: entered as absent.", (), path)
            continue
        if spec.kind == "carotid-bifurcation":
            word = "Possible" if certainty == "equivocal" else "Definite"
            note = (
                f"{word} involvement of the carotid bifurcation: the review regards bifurcation "
                "involvement as unresectable whatever the angle of contact; this does not change the grade."
            )
            notes.append(note)
            trail.add(spec.rule, "noted", note, spec.sources, path)
            continue
        grade, reason, sources = (
            (0, _EQUIVOCAL, ("kuno-2025",)) if certainty == "equivocal" else _assess(item)
        )
        if spec.kind == "artery-contact" and certainty == "unequivocal":
            if "indeterminate" in reason:
                review.append({"path": path, "text": f"{ARTERIES[item['artery']].capitalize()}: {reason}."})
                trail.add("artery-indeterminate", "flagged", reason, sources, path)
            if grade and float(item["degrees"]) == ENCASEMENT_DEG:
                notes.append(EXACTLY_270)
        if grade:
            counted.append((grade, _ORDER[spec.kind], i))
            trail.add(
                spec.rule, "counted", f"{spec.label}: unequivocal, supports Grade {grade}.", sources, path
            )
        else:
            set_aside.append(
                {
                    "path": path,
                    "finding": spec.kind,
                    "label": spec.label,
                    "certainty": certainty,
                    "reason": reason,
                    "sources": list(sources),
                }
            )
            trail.add(spec.rule, "set-aside", f"{spec.label}: set aside because {reason}.", sources, path)
    top = max((g for g, _, _ in counted), default=0)
    deciding = [
        {"path": f"findings[{i}]", "finding": FINDINGS[o].kind, "label": FINDINGS[o].label}
        for g, o, i in sorted(counted, key=lambda c: (c[1], c[2]))
        if g == top
    ]
    trail.add(
        "highest-unequivocal-grade",
        "decided",
        f"The grade is the highest grade with unequivocal evidence: Grade {top}.",
        ("kuno-2025", "henson-2024"),
    )
    cautions = _cautions(clean)
    staging = _staging(clean["subsite"], top)
    if staging:
        trail.add(f"tnm9-{staging['subsite']}", "noted", staging["text"], tuple(staging["sources"]))
    set_aside.sort(key=lambda s: (_ORDER[s["finding"]], s["reason"], s["certainty"]))
    result = {
        "grade": top,
        "ene": "positive" if top else "negative",
        "grade_label": _GRADE_LABELS[top],
        "deciding": deciding,
        "set_aside": set_aside,
        "review": sorted(review, key=lambda r: r["text"]),
        "notes": sorted(notes),
        "cautions": cautions,
        "staging": staging,
    }
    return {"result": result, "trail": trail.entries, "report": _report(result)}


def _cautions(clean: dict[str, Any]) -> list[str]:
    keys = [f"recent_biopsy_{clean['recent_biopsy']}"]
    keys += [k for k in ("post_treatment", "inflammatory_change") if clean[k]]
    return [CAUTIONS[k] for k in keys if k in CAUTIONS]


def _report(result: dict[str, Any]) -> str:
    grade = result["grade"]
    parts = [
        f"Imaging-detected extranodal extension (iENE, HNCIG 2024 grading): Grade {grade}, "
        f"iENE-{result['ene']}."
    ]
    if result["deciding"]:
        labels = "; ".join(_lower(d["label"]) for d in result["deciding"])
        parts.append(f"Deciding finding: {labels}.")
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
    parts += [r["text"] for r in result["review"]] + result["notes"]
    staging = result["staging"]
    if staging:
        parts.append(
            f"TNM 9th edition, {staging['subsite_label']}. {staging['text']} "
            f"(Confidence: {staging['confidence']}.)"
        )
    parts += result["cautions"]
    return " ".join(parts)


def _compute(payload: dict[str, Any], catalog: Mapping[str, Any] | None) -> dict[str, Any]:
    return grade_findings(payload)


CALCULATOR = Calculator(
    name="iene",
    title="iENE grade (HNCIG 2024)",
    summary="Grades imaging-detected extranodal extension from findings entered with their certainty.",
    fields=FIELDS,
    compute=_compute,
    check=_check,
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

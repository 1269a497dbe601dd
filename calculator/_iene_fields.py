"""The iENE helper's input: its field declaration and the checks that need several fields at once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._contract import Field, FieldError, field_error, item_ok
from ._iene_rules import ARTERIES, DETAILS, FINDINGS, SECTIONS
from ._iene_staging import SUBSITES

__all__ = ["FIELDS", "check"]


def _only_for(kind: str, name: str, label: str, help: str) -> Field:
    # A yes/no detail of one finding kind (shown in the form only for that finding).
    return Field(name, "boolean", label, f"Only for {kind}: {help}", default=False)


_CRITERION = "one of the three criteria, all needed for Grade 2."

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
                "How sure the reader is that the finding is present. Only unequivocal findings count.",
                required=True,
                values=("absent", "equivocal", "unequivocal"),
                value_labels=("Absent", "Equivocal (possible)", "Unequivocal (definite)"),
            ),
            Field(
                "artery",
                "enum",
                "Artery",
                "Only for artery contact: which artery. Smaller arteries are not assessed.",
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
            _only_for(
                "artery contact",
                "adventitia_lost",
                "Fat or adventitial plane around the artery lost",
                "focal loss of the plane between tumour and artery wall.",
            ),
            _only_for("artery contact", "lumen_narrowed", "Lumen narrowed or deformed", "seen on CT or MRI."),
            _only_for(
                "artery contact",
                "moves_on_ultrasound",
                "Tumour moves freely against the artery on ultrasound",
                "preserved mobility seen on real-time ultrasound.",
            ),
            _only_for("coalescent nodes", "fat_planes_lost", "Intervening fat planes lost", _CRITERION),
            _only_for(
                "coalescent nodes", "convexity_lost", "Convexity lost at the contact point", _CRITERION
            ),
            _only_for(
                "coalescent nodes",
                "boundaries_merged",
                "Nodal boundaries merged (acute angle lost)",
                _CRITERION,
            ),
            _only_for(
                "coalescent nodes",
                "single_node_possible",
                "Could be one large necrotic or lobulated node",
                "tick if a single node has not been excluded.",
            ),
            Field(
                "sections",
                "enum",
                "Sections showing infiltration",
                "Only for muscle infiltration: the review advises requiring infiltration on at least two "
                "contiguous sections.",
                values=tuple(SECTIONS),
                value_labels=tuple(SECTIONS.values()),
            ),
        ),
    ),
    Field(
        "subsite",
        "enum",
        "Primary subsite",
        "Optional: adds what the calculator's sources say about the TNM 9th-edition N category (an N "
        "category for Grade 3 only). An unknown primary is staged as nasopharynx when EBV-positive and as "
        "HPV-associated oropharynx when HPV/p16-positive (TNM 8th-edition rule); for any other cancer, such "
        "as thyroid or skin, these sources give no N category.",
        values=tuple(SUBSITES),
        value_labels=(
            "Nasopharynx",
            "HPV-associated oropharynx",
            "Major salivary gland",
            "Squamous cell carcinoma: oral cavity, p16-negative oropharynx, larynx, hypopharynx, "
            "unknown primary (EBV- and p16-negative)",
            "Other head and neck cancer (not settled)",
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
        "Treatment change can mimic iENE, and the TNM clinical N category is for staging before "
        "treatment: no N category is given.",
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

#: The finding kind each detail field belongs to.
_OWNER = {key: kind for kind, keys in DETAILS.items() for key in keys}


def check(clean: dict[str, Any], catalog: Mapping[str, Any] | None, bad: frozenset[str]) -> list[FieldError]:
    """Details given for the wrong finding, or missing artery details; skips findings whose kind failed."""
    errors: list[FieldError] = []
    for i, item in enumerate(clean["findings"] or []):
        # without a valid finding kind its details cannot be checked; other bad fields don't matter here
        if not isinstance(item, dict) or {f"findings[{i}]", f"findings[{i}].finding"} & bad:
            continue
        kind = item["finding"]
        for key, owner in _OWNER.items():
            if item[key] not in (None, False) and owner != kind:
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

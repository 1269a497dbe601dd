"""Which sources can support which confidence mark, and how each mark reads to a clinician.

Rules are data (the tables below) plus small pure functions. ``sitegen.data.validate`` applies
``check_cite`` to every cite in the data; the pages and the calculators' catalog print ``mark_words``.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

__all__ = [
    "ACR_FACTS",
    "CAPS",
    "CLAIM_FIELDS",
    "EXPLAINED",
    "FACTS",
    "KIND_NAMES",
    "VERIFIED_BY",
    "allowed_marks",
    "check_cite",
    "claim_field",
    "mark_words",
    "marks_table",
    "text_at",
]

#: The kinds of fact a cite can support, as error messages name them.
FACTS: dict[str, str] = {
    "rating": "a rating",
    "variant": "variant wording",
    "topic": "an ACR topic",
    "rrl": "a radiation level",
    "dose": "a dose figure",
    "claim": "a clinical statement",
}
#: Facts only the ACR itself settles: a seed or a summary reports them, the ACR's own table confirms them.
ACR_FACTS = frozenset({"rating", "variant", "topic", "rrl"})
#: Source kinds (model.SOURCE_KINDS) as error messages name them.
KIND_NAMES: dict[str, str] = {
    "acr": "an ACR document",
    "paper": "a peer-reviewed paper",
    "report": "a report or guideline",
    "seed": "a seed article",
    "secondary": "a secondary summary",
    "superseded": "a superseded document",
}
#: The source kinds that can make each kind of fact 'verified'.
VERIFIED_BY: dict[str, tuple[str, ...]] = {
    "rating": ("acr",),
    "variant": ("acr",),
    "topic": ("acr",),
    "rrl": ("acr",),
    "dose": ("acr", "paper", "report"),
    "claim": ("acr", "paper", "report"),
}
#: The only marks a source of these kinds can carry, whatever the fact.
CAPS: dict[str, tuple[str, ...]] = {
    "seed": ("seed", "unresolved"),
    "secondary": ("recalled", "unresolved"),
    "superseded": ("recalled", "unresolved"),
}
#: Marks whose reason readers must see beside them: such a cite needs a note.
EXPLAINED = ("recalled", "unresolved")
#: The texts of a scenario a claim can be attached to (``[]`` stands for any item of a list).
CLAIM_FIELDS = (
    "summary",
    "vignette",
    "fits",
    "inclusion[].text",
    "differential[].text",
    "recommendation.why",
    "recommendation.points[]",
    "workflow.positive[]",
    "workflow.negative[]",
    "workflow.indeterminate[]",
    "pitfalls[].text",
    "escalation",
    "faq[].answer",
    "fallbacks[].text",
    "red_flags[].then",
    "not_this_scenario[].then",
)


def allowed_marks(fact: str, kind: str, disputed: bool) -> tuple[str, ...]:
    """The confidence marks a source of ``kind`` can support for ``fact``; only 'unresolved' if disputed."""
    if disputed:
        return ("unresolved",)
    if kind in CAPS:
        return CAPS[kind]
    verified = ("verified",) if kind in VERIFIED_BY[fact] else ()
    return (*verified, "recalled", "unresolved")


def _either(words: tuple[str, ...]) -> str:
    quoted = [repr(w) for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def check_cite(
    fact: str, kind: str, confidence: str, note: str, disagrees: list[str]
) -> list[tuple[str, str, str]]:
    """(field, expected, found) for each rule a cite breaks; empty when the source supports its mark."""
    problems: list[tuple[str, str, str]] = []
    allowed = allowed_marks(fact, kind, bool(disagrees))
    if disagrees and confidence not in allowed:
        expected = f"'unresolved' for a cite whose sources disagree (disagrees: {', '.join(disagrees)})"
        problems.append(("confidence", expected, repr(confidence)))
    elif confidence not in allowed:
        why = ""
        if confidence == "verified" and kind not in CAPS:
            verifiers = " or ".join(KIND_NAMES[k] for k in VERIFIED_BY[fact])
            why = f" (only {verifiers} can verify {FACTS[fact]})"
        elif confidence == "seed":
            why = " ('seed' is for seed articles only)"
        expected = f"{_either(allowed)} for {FACTS[fact]} from {KIND_NAMES[kind]}{why}"
        problems.append(("confidence", expected, repr(confidence)))
    if confidence in EXPLAINED and not note.strip():
        expected = f"the reason for the mark '{confidence}', shown to readers beside it"
        problems.append(("note", expected, "no note"))
    return problems


def mark_words(fact: str, kind: str, confidence: str, disputed: bool = False) -> str:
    """How sure we are, in a clinician's words: what was checked, and against what."""
    acr = fact in ACR_FACTS
    if confidence == "verified":
        return "Checked against the ACR publication" if acr else "Checked in the source"
    if confidence == "seed":
        if acr:
            return "As reported by the source article; not yet checked against the ACR table"
        return "As stated in the source article; not checked in another source"
    if confidence == "recalled":
        if kind == "secondary":
            against = "the ACR table" if acr else "the original"
            return f"Read only in a secondary summary; not yet checked against {against}"
        if kind == "superseded":
            return "Read only in an older, superseded version; not checked against the current one"
        return "Not yet checked: taken from the source without re-reading it"
    if disputed:
        return "Unresolved: the sources disagree"
    return "Unresolved: not confirmed in the sources"


def marks_table() -> dict[str, dict[str, dict[str, str]]]:
    """Every wording by fact, source kind and mark ('unresolved-disputed' when sources disagree)."""
    table: dict[str, dict[str, dict[str, str]]] = {}
    for fact in FACTS:
        for kind in KIND_NAMES:
            marks = {mark: mark_words(fact, kind, mark) for mark in allowed_marks(fact, kind, False)}
            marks["unresolved-disputed"] = mark_words(fact, kind, "unresolved", True)
            table.setdefault(fact, {})[kind] = marks
    return table


_STEP = re.compile(r"([a-z_]+)(?:\[(\d+)\])?")
_INDEX = re.compile(r"\[\d+\]")


def claim_field(path: str) -> str:
    """The form of a field path with its list positions left out: ``faq[2].answer`` -> ``faq[].answer``."""
    return _INDEX.sub("[]", path)


def text_at(obj: Any, path: str) -> str | None:
    """The text at a field path such as ``workflow.positive[1]`` or ``faq[0].answer``; None if none is."""
    for part in path.split("."):
        step = _STEP.fullmatch(part)
        names = {f.name for f in dataclasses.fields(obj)} if dataclasses.is_dataclass(obj) else set()
        if step is None or step.group(1) not in names:
            return None
        obj = getattr(obj, step.group(1))
        if step.group(2) is not None:
            if not isinstance(obj, list) or int(step.group(2)) >= len(obj):
                return None
            obj = obj[int(step.group(2))]
    return obj if isinstance(obj, str) else None

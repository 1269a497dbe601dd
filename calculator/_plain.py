"""Plain words for the envelope's errors: the sentence a form shows next to its field.

An error's ``message`` names the field path and the rule (``findings[1].degrees: expected a finite
number >= 0 and <= 360``), for programs and the command line. ``plain`` says the same to a clinician
in the words of the form's own labels ("Degrees of contact must be between 0 and 360."). Rules are
data (the tables below) plus one pure function over the calculator's field declaration.
"""

from __future__ import annotations

import re

from ._contract import Field, FieldError

__all__ = ["plain", "with_plain"]

#: What some calculator-specific expectations mean to a reader, word for word (``expected`` -> words).
PHRASES: dict[str, str] = {
    "'procedure' or 'custom'": "Choose a study, or choose “Another study” and give its name and dose.",
    "either 'procedure' or 'custom'": "Choose a study from the list or another study, not both.",
    "a dose in mSv": "Enter the dose of this study in mSv, or for a CT its DLP and the body region.",
    "a dose >= 0 mSv": "The dose cannot be below 0 mSv.",
    "a total <= 10000 mSv": (
        "More than 10,000 mSv in all is not plausible for one patient: check how many times each study "
        "was done and the units of any dose entered."
    ),
    "a DLP >= 1 mGy·cm": (
        "A CT's DLP is at least 1 mGy·cm (dose reports give tens to thousands): "
        "check the figure and its unit."
    ),
    "a dose or a DLP, not both": "Enter either the dose in mSv or the DLP, not both.",
    "a body region with its DLP": "Choose the body region the CT covered, so that its DLP can be converted.",
    "a DLP with its body region": "Enter the DLP from the CT dose report, or remove the body region.",
    "a procedure id from the catalog": "Choose a study from the list.",
    "a procedure with a typical dose": (
        "This site has no typical dose for this study: choose “Another study” and enter the dose from "
        "its report."
    ),
    "a procedure with a pediatric RRL": (
        "This site gives no radiation level for this study in children: choose “Another study” and enter "
        "the dose from its report."
    ),
    "no dose for a catalog procedure": "A dose is entered only for another study; the list gives this one's.",
    "a non-empty name": "Give the study a name.",
    "at least one fact or some text": "Tick at least one fact or describe the patient in words.",
    "a fact id from the catalog": "Choose the patient's facts from the list.",
    "no such field": "This input holds an entry the calculator does not use.",
    "an adult patient for a DLP": (
        "The DLP is converted with adult coefficients only: for a child, enter the dose in mSv from the "
        "report, or ask the radiology department."
    ),
    "no DLP for a catalog procedure": "A DLP is entered only for another study, not for one from the list.",
    "valid input": "The calculator met an internal error and gave no result. Please report it.",
    "an object": "This entry could not be read: it should be a set of fields, as the form sends them.",
    "text without lone surrogates": "This text holds a character that cannot be read: type it again.",
    "a JSON object": "The input could not be read: it should be one JSON object.",
    'a JSON object {"calculator": NAME, "input": {...}}': "The request could not be read.",
}
#: Expectations with a figure in them: pattern -> words (``{0}`` is the figure, ``{label}`` the field).
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"a dose <= ([\d.]+) mSv"),
        "More than {0} mSv for one study is not plausible: check the unit (µSv, and the DLP in mGy·cm, "
        "are not mSv).",
    ),
    (re.compile(r"at most (\d+) characters"), "{label} can be at most {0} characters long."),
    (re.compile(r"lists and objects nested at most (\d+) deep"), "This input is nested too deeply."),
    (re.compile(r"at most (\d+) problems at once"), "Only the first {0} problems are listed here."),
    (re.compile(r"at most (\d+) items"), "{label} can hold at most {0} entries."),
    (re.compile(r"at least (1) item"), "Add an entry under “{label}”."),
    (re.compile(r"at least (\d+) items"), "Add at least {0} entries under “{label}”."),
)
_STEP = re.compile(r"\[\d+\]")


def _field_at(fields: tuple[Field, ...], path: str) -> tuple[Field | None, tuple[Field, ...]]:
    """The declared field at ``path`` (``studies[2].count``) and the fields beside it."""
    found: Field | None = None
    here = fields
    for name in _STEP.sub("", path).split(".") if path else []:
        found = next((f for f in here if f.name == name), None)
        if found is None:
            return None, here
        if found.items and name != _STEP.sub("", path).split(".")[-1]:
            here = found.items
    return found, here


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def _value_label(siblings: tuple[Field, ...], name: str, value: str) -> str:
    """The form's label of ``value`` for the sibling field ``name`` (an enum), else the value itself."""
    owner = next((f for f in siblings if f.name == name), None)
    if owner is not None and value in owner.values:
        labels = owner.value_labels or owner.values
        return labels[owner.values.index(value)]
    return value


def _range_words(f: Field, found: str) -> str:
    lo, hi = _num(f.minimum), _num(f.maximum)
    # a unit already named by the label is not said twice ("Degrees of contact ... 360 degrees")
    unit = f" {f.unit}" if f.unit and f.unit.lower().rstrip("s") not in f.label.lower() else ""
    whole = f.type == "integer"
    what = "a whole number" if whole else "a number"
    number = re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", found) is not None
    if lo and hi:
        if whole or not number:
            return f"{f.label} must be {what} from {lo} to {hi}{unit}."
        return f"{f.label} must be between {lo} and {hi}{unit}."
    if lo:
        return f"{f.label} must be {what} of at least {lo}{unit}."
    if hi:
        return f"{f.label} must be {what} of at most {hi}{unit}."
    return f"{f.label} must be {what}."


def plain(fields: tuple[Field, ...], error: FieldError) -> str:
    """The error of ``fields``' input as a reader of the form should read it."""
    expected, found, message = error["expected"], error["found"], error["message"]
    if expected in PHRASES:
        return PHRASES[expected]
    if error["path"] == "calculator" and not fields:
        return "There is no such calculator on this site."
    f, siblings = _field_at(fields, error["path"])
    label = f.label if f is not None else "This entry"
    for pattern, words in PATTERNS:
        m = pattern.fullmatch(expected)
        if m:
            return words.format(*m.groups(), label=label)
    owner = re.fullmatch(r"only with (\w+) '([^']+)'", expected)
    if owner:
        return f"{label} applies only to the finding “{_value_label(siblings, *owner.groups())}”."
    if found == "nothing" and f is not None and f.type == "list":
        return f"Add an entry under “{label}”."
    if found == "nothing":
        why = re.search(r"required for (.+)$", message)
        return f"{label} is needed" + (f" for {why.group(1)}." if why else ".")
    if f is None:
        return "This entry could not be read: check it and try again."
    if f.type in ("number", "integer"):
        return _range_words(f, found)
    if f.type == "enum" or f.values_from:
        return f"Choose one of the listed options for {label[:1].lower() + label[1:]}."
    if f.type == "boolean":
        return f"{label} must be ticked or left empty."
    if f.type == "list":
        return f"{label} could not be read: it should be a list, as the form sends it."
    return f"{label} must be text."


def with_plain(fields: tuple[Field, ...], errors: list[FieldError]) -> list[FieldError]:
    """The errors, each with its ``plain`` words added (one that has them keeps its own)."""
    return [e if "plain" in e else {**e, "plain": plain(fields, e)} for e in errors]

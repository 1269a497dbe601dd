"""Pure-Python calculators for the imaging appropriateness site (standard library only).

Every calculator takes a JSON-compatible dict and returns a JSON-compatible *envelope*:

* success: ``{"ok": true, "calculator": NAME, "version": 1, "result": {...}, "trail": [...],
  "report": "..."}`` where each trail entry is ``{"rule", "path", "effect", "text", "sources"}``
  (``effect`` is one of counted, set-aside, noted, flagged, decided);
* failure: ``{"ok": false, "calculator": NAME, "version": 1, "errors": [{"path", "expected",
  "found", "message", "plain"}, ...]}`` listing every bad field at once (``message`` names the field
  path, for programs; ``plain`` says the same in the form's words, for people).

``run`` never raises: bad input, an unknown calculator or an internal fault all come back as an
error envelope. The rules use no I/O, clock, randomness or environment; the catalog is passed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import dose, iene, match
from ._contract import (
    Calculator,
    FieldError,
    InputError,
    check_fields,
    field_error,
    found_text,
    path_key,
    spec_as_dict,
)
from ._input import check_input, safe_text
from ._plain import with_plain
from .match import CATEGORY_LABELS

__all__ = ["CALCULATORS", "CATEGORY_LABELS", "ENVELOPE_VERSION", "Calculator", "run", "schema", "specs"]

#: Version of the envelope format; bump when a field changes meaning.
ENVELOPE_VERSION = 1
#: Every calculator by name, in the order the site lists them.
CALCULATORS: dict[str, Calculator] = {c.name: c for c in (match.CALCULATOR, iene.CALCULATOR, dose.CALCULATOR)}


#: Most errors one envelope lists; a form cannot show thousands (an object with 100,000 unknown keys).
MAX_ERRORS = 50


def _error(name: str, errors: list[Any]) -> dict[str, Any]:
    return {"ok": False, "calculator": name, "version": ENVELOPE_VERSION, "errors": errors}


def _at_most(errors: list[FieldError]) -> list[FieldError]:
    if len(errors) <= MAX_ERRORS:
        return errors
    more = len(errors) - MAX_ERRORS + 1
    last = field_error("", f"at most {MAX_ERRORS} problems at once", None, found=f"{more:,} more")
    return [*errors[: MAX_ERRORS - 1], {**last, "message": f"input: {more:,} more problems not listed"}]


def run(name: str, payload: Any, catalog: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Run calculator ``name`` on ``payload``; return the success or error envelope (never raises)."""
    calc = CALCULATORS.get(name) if isinstance(name, str) else None
    if calc is None:
        known = ", ".join(repr(n) for n in CALCULATORS)
        # the name as given, shortened: a name of a million characters is not echoed back whole
        text = str(name) if len(str(name)) <= 40 else str(name)[:37] + "..."
        message = f"calculator: unknown calculator {text!r} (known: {known})"
        error = field_error("calculator", f"one of {known}", None, message, found=safe_text(found_text(name)))
        return _error(safe_text(text), with_plain((), [error]))
    try:
        # nesting past the limit and lone surrogates first: nothing below has to expect them
        errors = check_input(payload)
        if errors:
            return _error(name, with_plain(calc.fields, sorted(errors, key=path_key)))
        clean, errors = check_fields(calc.fields, payload)
        if calc.check is not None and isinstance(payload, dict):
            errors += calc.check(clean, catalog, frozenset(e["path"] for e in errors))
        if errors:
            return _error(name, with_plain(calc.fields, _at_most(sorted(errors, key=path_key))))
        out = calc.compute(clean, catalog)
    except InputError as exc:
        return _error(name, with_plain(calc.fields, exc.errors))
    except Exception as exc:  # a bug must still not escape the browser boundary
        msg = f"internal error: {type(exc).__name__}: {exc}"
        return _error(
            name,
            with_plain(calc.fields, [field_error("", "valid input", None, msg, found=type(exc).__name__)]),
        )
    return {"ok": True, "calculator": name, "version": ENVELOPE_VERSION, **out}


def schema(name: str) -> dict[str, Any]:
    """JSON Schema of one calculator's input (KeyError for an unknown name)."""
    return CALCULATORS[name].schema()


def specs() -> list[dict[str, Any]]:
    """Every calculator's declaration as plain data, for generating the browser forms."""
    return [
        {
            "name": c.name,
            "title": c.title,
            "summary": c.summary,
            "needs_catalog": c.needs_catalog,
            "fields": spec_as_dict(c.fields),
            "examples": list(c.examples),
        }
        for c in CALCULATORS.values()
    ]

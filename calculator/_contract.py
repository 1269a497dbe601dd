"""The shared contract: input field declarations, the validator, JSON Schema and the result envelope.

Every calculator declares its input as a tuple of :class:`Field` objects. The same declaration
drives three things: validation (all field errors collected in one pass), the JSON Schema printed
by ``python -m calculator NAME --schema``, and the browser forms generated at build time.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NotRequired, TypedDict

__all__ = [
    "Calculator",
    "Field",
    "FieldError",
    "InputError",
    "Trail",
    "check_fields",
    "field_error",
    "item_ok",
    "json_schema",
    "long_number",
    "path_key",
    "spec_as_dict",
    "validate",
]

FieldType = Literal["boolean", "integer", "number", "string", "enum", "list"]
#: The largest whole number a float can hold: past it, a number would overflow every calculation.
_LARGEST = int(1.7976931348623157e308)


class FieldError(TypedDict):
    """One bad input field: where it is, what was expected, what was given, and a sentence."""

    path: str
    expected: str
    found: str
    message: str
    #: The same in the words of the form's labels, for people (``calculator._plain``); added on the way out.
    plain: NotRequired[str]


class InputError(ValueError):
    """Raised inside a calculator for bad input; ``run`` turns it into an error envelope."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(e["message"] for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class Field:
    """Declaration of one input field."""

    name: str
    type: FieldType
    label: str
    help: str = ""
    required: bool = False
    default: Any = None
    #: Allowed values of an enum (or of the strings in a list of strings).
    values: tuple[str, ...] = ()
    #: Human labels for ``values``, same order.
    value_labels: tuple[str, ...] = ()
    #: Name of the catalog list the allowed values come from at run time (e.g. "facts").
    values_from: str = ""
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    #: Fields of each object in a list of objects; empty for a list of strings.
    items: tuple[Field, ...] = ()
    min_items: int = 0
    max_items: int | None = None


def long_number(digits: int | None) -> str:
    """How a message names a number too long to show: ``a number 401 digits long``."""
    return f"a number {digits:,} digits long" if digits else "a number thousands of digits long"


def found_text(value: Any) -> str:
    """Show a received value the way JSON would, shortened to keep messages readable."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**20:
        # Python refuses to write out more than 4,300 digits (about 14,000 bits)
        return long_number(len(str(abs(value))) if value.bit_length() < 14_000 else None)
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def field_error(path: str, expected: str, value: Any, message: str = "", *, found: str = "") -> FieldError:
    """Build one error; the default message reads ``path: expected X, found Y``."""
    shown = found or found_text(value)
    where = path or "input"
    return {
        "path": path,
        "expected": expected,
        "found": shown,
        "message": message or f"{where}: expected {expected}, found {shown}",
    }


def _expected(f: Field) -> str:
    # The phrase used in messages and JSON Schema descriptions.
    if f.type == "enum":
        return "one of " + ", ".join(repr(v) for v in f.values)
    if f.type == "integer":
        lo = "" if f.minimum is None else f" >= {f.minimum:g}"
        hi = "" if f.maximum is None else f" <= {f.maximum:g}"
        return "a whole number" + (f"{lo} and{hi}" if lo and hi else lo or hi)
    if f.type == "number":
        lo = "" if f.minimum is None else f" >= {f.minimum:g}"
        hi = "" if f.maximum is None else f" <= {f.maximum:g}"
        return "a finite number" + (f"{lo} and{hi}" if lo and hi else lo or hi)
    if f.type == "list":
        return "a list of objects" if f.items else "a list of strings"
    return {"boolean": "true or false", "string": "a string"}[f.type]


def _check_scalar(f: Field, value: Any, path: str) -> tuple[Any, FieldError | None]:
    # Returns the cleaned value or an error; bool is never accepted as a number (JSON true != 1).
    bad = field_error(path, _expected(f), value)
    if f.type == "boolean":
        return (value, None) if isinstance(value, bool) else (None, bad)
    if f.type == "string":
        if not isinstance(value, str):
            return None, bad
        if f.max_length is not None and len(value) > f.max_length:
            msg = f"{path}: expected at most {f.max_length} characters, found {len(value)}"
            return None, field_error(path, f"at most {f.max_length} characters", value, msg)
        return value, None
    if f.type == "enum":
        return (value, None) if isinstance(value, str) and value in f.values else (None, bad)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None, bad
    # not finite, or a whole number past a float's range (10**400): no number a calculator can use
    if not (math.isfinite(value) if isinstance(value, float) else abs(value) <= _LARGEST):
        return None, bad
    if f.type == "integer":
        if value != int(value):
            return None, bad
        value = int(value)
    if (f.minimum is not None and value < f.minimum) or (f.maximum is not None and value > f.maximum):
        return None, bad
    return value, None


def _check_list(f: Field, value: Any, path: str, errors: list[FieldError]) -> list[Any] | None:
    if not isinstance(value, list):
        errors.append(field_error(path, _expected(f), value))
        return None
    if len(value) < f.min_items:
        what = "item" if f.min_items == 1 else "items"
        errors.append(
            field_error(
                path,
                f"at least {f.min_items} {what}",
                value,
                f"{path}: expected at least {f.min_items} {what}, found an empty list" if not value else "",
            )
        )
        return None
    if f.max_items is not None and len(value) > f.max_items:
        errors.append(
            field_error(
                path,
                f"at most {f.max_items} items",
                value,
                f"{path}: expected at most {f.max_items} items, found {len(value)}",
            )
        )
        return None
    out: list[Any] = []
    for i, item in enumerate(value):
        ipath = f"{path}[{i}]"
        if f.items:
            cleaned = _check_object(f.items, item, ipath, errors)
            out.append(cleaned)
        elif not isinstance(item, str):
            errors.append(field_error(ipath, "a string", item))
        else:
            out.append(item)
    return out


def _check_object(
    fields: tuple[Field, ...], value: Any, path: str, errors: list[FieldError]
) -> dict[str, Any]:
    if not isinstance(value, dict):
        errors.append(field_error(path, "an object", value))
        return {}
    known = {f.name for f in fields}
    for key in value:
        if key not in known:
            name = str(key) if len(str(key)) <= 40 else str(key)[:37] + "..."
            kpath = f"{path}.{name}" if path else name
            errors.append(
                field_error(
                    kpath,
                    "no such field",
                    value[key],
                    f"{kpath}: unknown field (known: {', '.join(sorted(known))})",
                )
            )
    clean: dict[str, Any] = {}
    for f in fields:
        fpath = f"{path}.{f.name}" if path else f.name
        if f.name not in value or value[f.name] is None:
            if f.required:
                errors.append(
                    field_error(
                        fpath, _expected(f), None, f"{fpath}: required field is missing", found="nothing"
                    )
                )
            clean[f.name] = f.default
            continue
        if f.type == "list":
            clean[f.name] = _check_list(f, value[f.name], fpath, errors)
            continue
        cleaned, err = _check_scalar(f, value[f.name], fpath)
        if err is not None:
            errors.append(err)
        clean[f.name] = cleaned
    return clean


def check_fields(fields: tuple[Field, ...], payload: Any) -> tuple[dict[str, Any], list[FieldError]]:
    """Check ``payload`` against ``fields``: the cleaned dict (bad fields set to None) and every error."""
    errors: list[FieldError] = []
    clean = _check_object(fields, payload, "", errors)
    return clean, errors


def validate(fields: tuple[Field, ...], payload: Any) -> dict[str, Any]:
    """Check ``payload`` against ``fields``; return the cleaned dict or raise InputError with ALL errors."""
    clean, errors = check_fields(fields, payload)
    if errors:
        raise InputError(errors)
    return clean


def item_ok(bad_paths: frozenset[str], path: str) -> bool:
    """True when no field error was reported at or below ``path`` (e.g. ``studies[2]``)."""
    return not any(p == path or p.startswith(path + ".") or p.startswith(path + "[") for p in bad_paths)


def path_key(error: FieldError) -> tuple[Any, ...]:
    """Sort key putting errors in input order (``studies[2]`` before ``studies[10]``)."""
    # ASCII digits only: str.isdigit() also accepts characters such as '²' that int() refuses
    return tuple(int(t) if t.isascii() and t.isdigit() else t for t in re.split(r"([0-9]+)", error["path"]))


def _schema_of(f: Field) -> dict[str, Any]:
    desc = f.help + (f" Unit: {f.unit}." if f.unit else "")
    out: dict[str, Any] = {"title": f.label}
    if desc:
        out["description"] = desc.strip()
    if f.type == "enum":
        out.update(type="string", enum=list(f.values))
    elif f.type == "list":
        out["type"] = "array"
        if f.items:
            out["items"] = _object_schema(f.items)
        else:
            out["items"] = {"type": "string"}
        if f.min_items:
            out["minItems"] = f.min_items
        if f.max_items is not None:
            out["maxItems"] = f.max_items
    else:
        out["type"] = f.type
    if f.values_from:
        out["x-values-from"] = f.values_from
    if f.unit:
        out["x-unit"] = f.unit
    if f.minimum is not None:
        out["minimum"] = f.minimum
    if f.maximum is not None:
        out["maximum"] = f.maximum
    if f.max_length is not None:
        out["maxLength"] = f.max_length
    if f.default is not None:
        out["default"] = f.default
    return out


def _object_schema(fields: tuple[Field, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {f.name: _schema_of(f) for f in fields},
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }


def json_schema(name: str, title: str, fields: tuple[Field, ...]) -> dict[str, Any]:
    """The input declaration as a JSON Schema (draft 2020-12) document."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"calculator:{name}",
        "title": title,
    }
    schema.update(_object_schema(fields))
    return schema


def _field_dict(f: Field) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": f.name,
        "type": f.type,
        "label": f.label,
        "help": f.help,
        "required": f.required,
        "default": f.default,
    }
    if f.values:
        out["values"] = [
            {"value": v, "label": lab} for v, lab in zip(f.values, f.value_labels or f.values, strict=True)
        ]
    for key in ("values_from", "unit", "minimum", "maximum", "max_length", "max_items"):
        val = getattr(f, key)
        if val not in ("", None):
            out[key] = val
    if f.min_items:
        out["min_items"] = f.min_items
    if f.items:
        out["items"] = [_field_dict(i) for i in f.items]
    return out


def spec_as_dict(fields: tuple[Field, ...]) -> list[dict[str, Any]]:
    """The declaration as plain JSON data, in form order (used to generate the browser forms)."""
    return [_field_dict(f) for f in fields]


class Trail:
    """Collects the explanation of a result: one entry per rule applied or input considered."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []

    def add(self, rule: str, effect: str, text: str, sources: tuple[str, ...] = (), path: str = "") -> None:
        """Record one step. ``effect``: counted, set-aside, noted, flagged or decided."""
        self.entries.append(
            {"rule": rule, "path": path, "effect": effect, "text": text, "sources": list(sources)}
        )


Runner = Callable[[dict[str, Any], Mapping[str, Any] | None], dict[str, Any]]
#: Cross-field check: (clean input, catalog, paths that already failed) -> more errors.
Checker = Callable[[dict[str, Any], Mapping[str, Any] | None, frozenset[str]], list[FieldError]]


@dataclass(frozen=True)
class Calculator:
    """One calculator: its name, title, input declaration and pure entry point.

    ``compute(clean_input, catalog)`` receives validated input and returns
    ``{"result": ..., "trail": [...], "report": "..."}``; it raises InputError for errors that
    need the catalog (unknown ids) or several fields together.
    """

    name: str
    title: str
    summary: str
    fields: tuple[Field, ...]
    compute: Runner
    #: Checks needing several fields or the catalog; runs even when some fields failed, so that one
    #: response lists every error.
    check: Checker | None = None
    needs_catalog: bool = False
    examples: tuple[dict[str, Any], ...] = field(default=())

    def schema(self) -> dict[str, Any]:
        """JSON Schema of the input."""
        return json_schema(self.name, self.title, self.fields)

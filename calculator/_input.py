"""JSON text in, checked before any calculator sees it: the edges' (command line, browser module) parser
and the input checks ``run`` applies to every payload.

Limits that no real input comes near, refused with a field error instead of a crash: nesting deeper
than ``MAX_DEPTH`` (counted in the text, before the parser recurses), numbers JSON can write but no
float can hold (kept as written, so that the message shows them), and text with lone surrogates,
which no UTF-8 output can carry.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate, repeat
from typing import Any

from ._contract import FieldError, InputError, field_error, long_number

__all__ = ["MAX_DEPTH", "Unreadable", "check_input", "nesting", "parse_json", "safe_text"]

#: Deepest nesting of lists and objects an input may have; the calculators' own inputs need three.
MAX_DEPTH = 20
#: Longest whole number read as a number; Python refuses to read longer ones (4,300 digits) anyway.
MAX_DIGITS = 400
_DEPTH_EXPECTED = f"lists and objects nested at most {MAX_DEPTH} deep"
_TEXT_EXPECTED = "text without lone surrogates"
# Read left to right, each match where the last ended: a string whole (to the end of the text if it is
# never closed, so that no quote is scanned twice) or a bracket. Linear in the text, whatever it holds.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.S)
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_SURROGATE = re.compile("[\ud800-\udfff]")


class Unreadable:
    """A number as written in the JSON text when no float can hold it (``1e400``, ``NaN``, 5,000 digits)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return long_number(len(self.text.lstrip("-"))) if len(self.text) > 20 else self.text


def _int(text: str) -> Any:
    return int(text) if len(text.lstrip("-")) <= MAX_DIGITS else Unreadable(text)


def _float(text: str) -> Any:
    value = float(text)
    return value if value - value == 0 else Unreadable(text)  # inf - inf and nan - nan are nan


def nesting(text: str) -> int:
    """How deep lists and objects nest in JSON ``text`` (strings skipped; the text need not be valid)."""
    steps = map(_STEP.get, _TOKENS.findall(text), repeat(0))  # a string is a step of 0
    return max(accumulate(steps, initial=0))


def parse_json(text: str, what: str, expected: str, extra_depth: int = 0) -> Any:
    """Parse ``text``; InputError, with ``what`` ("input" or "request") and ``expected`` for the
    message, when it is not JSON or nests too deep. ``extra_depth``: levels wrapped around the input
    (a request wraps it in one object)."""
    if nesting(text) > MAX_DEPTH + extra_depth:
        raise InputError([field_error("", _DEPTH_EXPECTED, None, found="deeper nesting")])
    try:
        return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=Unreadable)
    except (ValueError, RecursionError) as exc:
        message = f"{what}: not valid JSON ({safe_text(str(exc))})"
        raise InputError([field_error("", expected, None, message, found="malformed JSON")]) from None


def _shown(text: str) -> str:
    """``text`` as JSON would write it with every non-ASCII character escaped, shortened."""
    shown = json.dumps(text)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def check_input(payload: Any) -> list[FieldError]:
    """Nesting past ``MAX_DEPTH`` and strings (keys included) with lone surrogates, at their paths."""
    errors: list[FieldError] = []
    stack: list[tuple[Any, str, int]] = [(payload, "", 0)]
    while stack and len(errors) < 20:
        value, path, depth = stack.pop()
        if isinstance(value, str) and _SURROGATE.search(value):
            errors.append(field_error(path, _TEXT_EXPECTED, None, found=_shown(value)))
        if not isinstance(value, dict | list):
            continue
        if depth >= MAX_DEPTH:
            errors.append(field_error(path, _DEPTH_EXPECTED, None, found="deeper nesting"))
            continue
        if isinstance(value, list):
            stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))
            continue
        for key, item in value.items():
            name = safe_text(str(key) if len(str(key)) <= 40 else str(key)[:37] + "...")
            where = f"{path}.{name}" if path else name
            if _SURROGATE.search(str(key)):
                errors.append(field_error(where, _TEXT_EXPECTED, None, found=_shown(str(key))))
            stack.append((item, where, depth + 1))
    return errors


def safe_text(text: str) -> str:
    """``text`` with each lone surrogate written as its JSON escape (``\\ud800``): printable as UTF-8."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")

"""Arbitrary and hostile JSON for the calculators, as Hypothesis strategies (issue 9, finding 5).

``requests()`` draws the text a page or a script could send ``calculator.browser.handle``: a calculator's
name and an input that is shaped like that calculator's fields (so that validation is reached deep
inside) or like nothing at all, with hostile values anywhere: huge and non-finite numbers, lone
surrogates, control characters, long strings, unknown keys, nesting far deeper than any input needs,
and text that is not JSON at all. ``examples()`` draws a fixed list of them, for the Pyodide replay.
Standard library and Hypothesis only.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import calculator

__all__ = ["examples", "input_value", "requests"]

NAMES = [*calculator.CALCULATORS, "bmi", "", "\ud800"]
#: Numbers no calculator can take: past a float's range, past its whole numbers, not finite.
HUGE = [10**400, -(10**400), 2**53 + 1, 10**20, 1e308, -0.0]
SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
strings = st.one_of(
    st.text(max_size=12),
    st.text(st.one_of(st.characters(), SURROGATES), max_size=6),
    st.sampled_from(["", " ", "\x00", "\u202e", "<script>", "ct-head-with", "unequivocal", "x" * 5000]),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(HUGE),
    st.floats(allow_nan=True, allow_infinity=True),
    strings,
)
anything = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(strings, inner, max_size=4),
    max_leaves=12,
)


def _field_value(spec: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A value for one declared field: often a plausible one, often a hostile one."""
    plausible: list[st.SearchStrategy[Any]] = [anything]
    if spec.get("values"):
        plausible.append(st.sampled_from([v["value"] for v in spec["values"]]))
    if spec["type"] in ("integer", "number"):
        plausible.append(st.sampled_from([0, 1, 2, 99, 101, -1, 2.5, *HUGE]))
    if spec["type"] == "list" and spec.get("items"):
        plausible.append(st.lists(_object(spec["items"]), max_size=3))
        plausible.append(st.just([{}] * 101))  # one more row than any list allows
    return st.one_of(plausible)


def _object(fields: list[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    known = st.fixed_dictionaries({}, optional={f["name"]: _field_value(f) for f in fields})
    unknown_key = known.map(lambda d: {**d, "x": 1})
    return st.one_of(known, st.dictionaries(strings, anything, max_size=3), unknown_key)


def input_value(name: str) -> st.SearchStrategy[Any]:
    """An input for calculator ``name``: shaped like its fields, or anything at all."""
    spec = next((s for s in calculator.specs() if s["name"] == name), None)
    return anything if spec is None else st.one_of(_object(spec["fields"]), anything)


def _encode(value: Any, ascii_only: bool) -> str:
    return json.dumps(value, ensure_ascii=ascii_only, allow_nan=True)


def _nested(depth: int, opener: str) -> str:
    """The number 1 nested ``depth`` lists (opener "[") or objects deep."""
    if opener == "[":
        return "[" * depth + "1" + "]" * depth
    return '{"a": ' * depth + "1" + "}" * depth


@st.composite
def _input_text(draw: st.DrawFn, name: str) -> str:
    kind = draw(st.sampled_from(["json", "json", "json", "deep", "raw"]))
    if kind == "deep":
        return _nested(draw(st.sampled_from([19, 21, 1000, 100_000])), draw(st.sampled_from(["[", "{"])))
    if kind == "raw":
        return draw(st.sampled_from(["{not json", "", "[1,", '{"a": NaN}', "1e400", '"\\ud800"', "\x00"]))
    return _encode(draw(input_value(name)), draw(st.booleans()))


@st.composite
def requests(draw: st.DrawFn) -> str:
    """The text of one request to ``calculator.browser.handle``."""
    name = draw(st.sampled_from(NAMES))
    if draw(st.integers(0, 9)) == 0:  # now and then a request that is not even an object
        return draw(st.sampled_from(["", "[]", "null", '{"calculator": 1}', "{", _nested(100_000, "[")]))
    return f'{{"calculator": {_encode(name, True)}, "input": {draw(_input_text(name))}}}'


def examples(count: int) -> list[str]:
    """``count`` requests, the same ones on every run (for the Pyodide replay)."""
    out: list[str] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )
    @given(requests())
    def collect(request: str) -> None:
        out.append(request)

    collect()
    return out

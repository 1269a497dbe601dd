"""Replay the JSON case tables in tests/cases/ (standard library only, so Pyodide can run it too).

A case file is ``{"calculator": NAME, "catalog": null | "fixture_catalog.json", "cases": [...]}``;
each case is ``{"name", "source", "input", "expect"}``. ``expect`` is a *partial* envelope: every
key it names must match; lists must have the same length and match item by item.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CASES_DIR = Path(__file__).resolve().parent.parent / "cases"


def mismatches(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Differences between a partial expectation and an actual value, as readable lines."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path or '.'}: expected an object, got {actual!r}"]
        out: list[str] = []
        for key, value in expected.items():
            if key not in actual:
                out.append(f"{path}.{key}: missing")
            else:
                out += mismatches(value, actual[key], f"{path}.{key}")
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{path}: expected {expected!r}, got {actual!r}"]
        pairs = enumerate(zip(expected, actual, strict=True))
        return [m for i, (e, a) in pairs for m in mismatches(e, a, f"{path}[{i}]")]
    # true must not pass for 1 (JSON keeps them apart); 2 and 2.0 are the same number.
    if expected != actual or isinstance(expected, bool) != isinstance(actual, bool):
        return [f"{path}: expected {expected!r}, got {actual!r}"]
    return []


def load(name: str) -> dict[str, Any]:
    """One case file, with its catalog (if any) loaded in place of the file name."""
    data: dict[str, Any] = json.loads((CASES_DIR / name).read_text(encoding="utf-8"))
    if data.get("catalog"):
        data["catalog"] = json.loads((CASES_DIR / data["catalog"]).read_text(encoding="utf-8"))
    return data


def replay(data: dict[str, Any], run: Any) -> dict[str, list[str]]:
    """Run every case through ``run(name, input, catalog)``; return {case name: mismatches} for failures."""
    failures: dict[str, list[str]] = {}
    for case in data["cases"]:
        got = run(data["calculator"], case["input"], data["catalog"])
        problems = mismatches(case["expect"], got)
        if problems:
            failures[case["name"]] = problems
    return failures

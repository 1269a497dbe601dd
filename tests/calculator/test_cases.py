"""Replay every JSON case table under CPython (the browser issue replays the same files in Pyodide)."""

from __future__ import annotations

import pytest
from replay import load, mismatches

import calculator

FILES = ("iene.json", "dose.json", "match.json")


def _cases() -> list[tuple[str, str]]:
    return [(f, c["name"]) for f in FILES for c in load(f)["cases"]]


@pytest.mark.parametrize(("file", "case"), _cases())
def test_case(file: str, case: str) -> None:
    data = load(file)
    item = next(c for c in data["cases"] if c["name"] == case)
    got = calculator.run(data["calculator"], item["input"], data["catalog"])
    assert mismatches(item["expect"], got) == []


@pytest.mark.parametrize("file", FILES)
def test_case_names_unique(file: str) -> None:
    names = [c["name"] for c in load(file)["cases"]]
    assert len(names) == len(set(names))

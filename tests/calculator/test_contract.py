"""The shared contract: envelope, schema, specs, purity of the rules, and small building blocks."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path
from typing import Any

import pytest

import calculator
from calculator._contract import path_key
from calculator._dose_parts import background_time

PKG = Path(calculator.__file__).parent
FIXTURE = json.loads((Path(__file__).parent.parent / "cases" / "fixture_catalog.json").read_text("utf-8"))
# Modules that hold rules: no I/O, clock, randomness, environment or interpreter state.
FORBIDDEN = {
    "os",
    "sys",
    "time",
    "datetime",
    "random",
    "io",
    "pathlib",
    "importlib",
    "socket",
    "subprocess",
    "urllib",
    "secrets",
    "uuid",
    "tempfile",
    "shutil",
    "locale",
}
EDGES = {"browser.py", "__main__.py", "__init__.py"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted(PKG.glob("*.py")), ids=lambda p: p.name)
def test_standard_library_only(path: Path) -> None:
    outside = {n for n in _imports(path) if n not in sys.stdlib_module_names and n != "__future__"}
    assert outside == set()


@pytest.mark.parametrize(
    "path", sorted(p for p in PKG.glob("*.py") if p.name not in EDGES), ids=lambda p: p.name
)
def test_rules_are_pure(path: Path) -> None:
    assert _imports(path) & FORBIDDEN == set()


def test_modules_stay_small() -> None:
    sizes = {p.name: len(p.read_text("utf-8").splitlines()) for p in PKG.glob("*.py")}
    assert {n: s for n, s in sizes.items() if s > 400} == {}


def test_unknown_calculator() -> None:
    out = calculator.run("bmi", {})
    assert out == {
        "ok": False,
        "calculator": "bmi",
        "version": 1,
        "errors": [
            {
                "path": "calculator",
                "expected": "one of 'scenario-match', 'iene', 'dose'",
                "found": '"bmi"',
                "message": "calculator: unknown calculator 'bmi' (known: 'scenario-match', 'iene', 'dose')",
                "plain": "There is no such calculator on this site.",
            }
        ],
    }


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("dose", "dose: the procedures catalog is not available"),
        ("scenario-match", "scenario-match: the scenario catalog is not available"),
    ],
)
def test_catalog_needed(name: str, message: str) -> None:
    payload: dict[str, Any] = (
        {"studies": [{"custom": "x", "dose_msv": 1}]} if name == "dose" else {"text": "x"}
    )
    assert calculator.run(name, payload)["errors"][0]["message"] == message


def test_success_envelope_shape() -> None:
    out = calculator.run("iene", {"findings": []})
    assert set(out) == {"ok", "calculator", "version", "result", "trail", "report"}
    for entry in out["trail"]:
        assert set(entry) == {"rule", "path", "effect", "text", "sources"}
        assert entry["effect"] in {"counted", "set-aside", "noted", "flagged", "decided"}
    json.dumps(out, allow_nan=False)


def test_every_cited_source_has_a_citation() -> None:
    from calculator._iene_rules import FINDINGS, SOURCES
    from calculator._iene_staging import CONFLICT, POST_TREATMENT, STAGING, UNSETTLED
    from calculator.dose import _BG_SOURCES, _RISK_SOURCES

    cited = {s for f in FINDINGS for s in f.sources} | {
        s for st in (*STAGING, POST_TREATMENT, UNSETTLED, CONFLICT) for s in st.sources
    }
    cited |= {*_BG_SOURCES, *_RISK_SOURCES, "acr-rrl"}
    assert cited <= set(SOURCES)


@pytest.mark.parametrize(
    ("subsite", "grade", "structures"),
    [
        (s, g, frozenset({x}))
        for s in ("nasopharynx", "hpv-oropharynx", "salivary-gland", "squamous-other", "other")
        for g in range(4)
        for x in ("muscle", "skin", "artery", "vein", "nerve", "gland")
    ],
)
def test_an_n_category_only_from_grade_3(subsite: str, grade: int, structures: frozenset[str]) -> None:
    from calculator._iene_staging import staging_for

    before = staging_for(subsite, grade, structures, post_treatment=False)
    after = staging_for(subsite, grade, structures, post_treatment=True)
    assert before is not None and after is not None
    # none for another cancer, for gland-only nasopharynx, or where the sources conflict (HPV oropharynx)
    assert (before["n_category"] is not None) == (
        grade == 3
        and subsite not in ("other", "hpv-oropharynx")
        and (subsite, *structures) != ("nasopharynx", "gland")
    )
    assert after["n_category"] is None
    # a statement without an N category below Grade 3 says why, marked as not settled
    assert before["confidence"] == (
        "seed" if grade == 0 else "unresolved" if grade < 3 else before["confidence"]
    )


def test_json_schema_of_dose() -> None:
    schema = calculator.schema("dose")
    assert schema["required"] == ["studies"]
    studies = schema["properties"]["studies"]
    assert studies["minItems"] == 1
    item = studies["items"]["properties"]
    assert item["dose_msv"]["x-unit"] == "mSv"
    assert item["count"] == {
        "title": "How many times",
        "description": "Number of times the study was done.",
        "type": "integer",
        "minimum": 1,
        "maximum": 1000,
        "default": 1,
    }


def test_specs_match_schema() -> None:
    for spec in calculator.specs():
        schema = calculator.schema(spec["name"])
        assert [f["name"] for f in spec["fields"]] == list(schema["properties"])


@pytest.mark.parametrize(
    ("msv", "text"),
    [
        (0, "no added radiation"),
        (0.00001, "less than an hour"),
        (0.001, "about 3 hours"),
        (0.1, "about 12 days"),
        (0.4, "about 7 weeks"),
        (2, "about 8 months"),
        (6, "about 2 years"),
        (10, "about 3 years"),
        (25, "about 8 years"),
        (0.0082, "about 1 day"),
    ],
)
def test_background_time(msv: float, text: str) -> None:
    assert background_time(msv)["text"] == text


@pytest.mark.parametrize(
    ("paths", "ordered"),
    [
        (["studies[10]", "studies[2]"], ["studies[2]", "studies[10]"]),
        (["b", "a[1].x", "a[1]"], ["a[1]", "a[1].x", "b"]),
        # superscript digits are digits to str.isdigit() but not to int(): found by hypothesis
        (["²", "x"], ["x", "²"]),
    ],
)
def test_error_paths_sort_in_input_order(paths: list[str], ordered: list[str]) -> None:
    errors = [{"path": p} for p in paths]
    assert [e["path"] for e in sorted(errors, key=path_key)] == ordered  # type: ignore[arg-type]


#: Modules that could send input off the machine; none may appear anywhere in the package.
NETWORK = {"socket", "ssl", "urllib", "http", "ftplib", "smtplib", "xmlrpc", "asyncio", "js", "pyodide"}


@pytest.mark.parametrize("path", sorted(PKG.glob("*.py")), ids=lambda p: p.name)
def test_no_module_can_reach_the_network(path: Path) -> None:
    assert _imports(path) & NETWORK == set()

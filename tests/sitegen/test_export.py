"""The calculator catalog (format 1): exact output, determinism, freshness of the committed copy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sitegen.data.export import calculator_catalog, catalog_text, rrl_symbol, write_catalog
from sitegen.data.validate import load_dataset

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "fixtures" / "valid"
GOLDEN = Path(__file__).parent / "fixtures" / "catalog.json"
#: The words the pages print for two marks, carried in the catalog for the calculators' reports.
SEED = "As reported by the source article; not yet checked against the ACR table"
RECALLED = "Not yet checked: taken from the source without re-reading it"


@pytest.fixture(scope="module")
def catalog() -> dict[str, Any]:
    return calculator_catalog(load_dataset(FIXTURE))


def test_fixture_catalog_matches_golden_file() -> None:
    # To accept a deliberate change: write_catalog(load_dataset(FIXTURE), GOLDEN), then review the diff.
    assert catalog_text(load_dataset(FIXTURE)) == GOLDEN.read_text(encoding="utf-8")


@pytest.mark.parametrize(("level", "symbol"), [(0, "○"), (1, "☢"), (3, "☢☢☢"), (5, "☢☢☢☢☢")])
def test_rrl_symbol(level: int, symbol: str) -> None:
    assert rrl_symbol(level) == symbol


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("format",), 1),
        (("sources", "seed-a"), {"title": "Fixture seed article A", "url": "", "kind": "seed"}),
        (("rrl", 2, "symbol"), "☢☢☢"),
        (("rrl", 2, "adult_msv"), [1.0, 10.0]),
        (("procedures", 0, "id"), "ct-head-without"),
        (("procedures", 0, "rrl_pediatric"), None),
        (
            ("procedures", 0, "dose"),
            {
                "typical_msv": 2.0,
                "low_msv": 0.9,
                "high_msv": 4.0,
                "spread": "range",
                "source": "paper-a",
                "confidence": "recalled",
                "note": "fixture figure",
                "confidence_words": RECALLED,
            },
        ),
        (("procedures", 1, "dose"), None),
        (("facts", 1, "synonyms"), ["febrile", "pyrexia"]),
        (("synonyms",), [["numbness", "paresthesia", "tingling"]]),
        (("scenarios", 0, "id"), "facial-numbness"),
        (("scenarios", 0, "url"), "scenarios/facial-numbness/"),
        (
            ("scenarios", 0, "top"),
            {
                "procedure": "mri-head-without-and-with",
                "procedure_name": "MRI head without and with IV contrast",
                "category": "usually-appropriate",
                "confidence_words": SEED,
            },
        ),
        (
            ("scenarios", 0, "exclusions", 1, "redirect"),
            {
                "kind": "variant",
                "id": "facial-palsy-variant",
                "title": "Placeholder variant for facial palsy.",
                "url": "topics/cranial-neuropathy/#facial-palsy-variant",
            },
        ),
        (
            ("scenarios", 0, "exclusions", 2, "redirect"),
            {"kind": "external", "id": "", "title": "Placeholder ACR pathway", "url": ""},
        ),
        (("scenarios", 1, "kind"), "variant"),
        (("scenarios", 1, "summary"), ""),
        (("scenarios", 1, "url"), "topics/cranial-neuropathy/#facial-palsy-variant"),
        (("scenarios", 2, "topic_title"), "Cranial Neuropathy"),
        (("scenarios", 2, "confidence"), "recalled"),
        (("scenarios", 2, "confidence_words"), RECALLED),
        (("scenarios", 1, "confidence_words"), SEED),
        (("rrl", 0, "confidence_words"), "Checked against the ACR publication"),
    ],
)
def test_catalog_parts(catalog: dict[str, Any], path: tuple[str | int, ...], expected: object) -> None:
    node: Any = catalog
    for step in path:
        node = node[step]
    assert node == expected


def test_write_catalog_reports_change_only_once(tmp_path: Path) -> None:
    ds = load_dataset(FIXTURE)
    target = tmp_path / "data" / "catalog.json"
    assert write_catalog(ds, target) is True
    assert write_catalog(ds, target) is False
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == 1
    target.write_text("{}\n", encoding="utf-8")
    assert write_catalog(ds, target) is True
    assert target.read_text(encoding="utf-8") == GOLDEN.read_text(encoding="utf-8")


def test_committed_calculator_catalog_is_fresh() -> None:
    committed = ROOT / "calculator" / "data" / "catalog.json"
    assert committed.read_text(encoding="utf-8") == catalog_text(load_dataset(ROOT)), (
        "calculator/data/catalog.json is stale: run python -m sitegen.data.export"
    )

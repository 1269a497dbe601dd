"""The JSON Schemas that editors use: generated from the model, committed, and kept fresh."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from sitegen.data import model
from sitegen.data.schema import catalog_schema, json_schema, schema_files, write_schemas

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "fixtures" / "valid"


def test_committed_schemas_are_up_to_date() -> None:
    expected = schema_files()
    on_disk = {
        f"scenarios/schema/{p.name}": p.read_text(encoding="utf-8")
        for p in (ROOT / "scenarios/schema").glob("*.json")
    }
    stale = sorted(rel for rel in expected if on_disk.get(rel) != expected[rel])
    extra = sorted(set(on_disk) - set(expected))
    assert (stale, extra) == ([], []), "scenarios/schema/ is stale: run python -m sitegen.data.schema"


def test_cite_schema_exactly() -> None:
    assert json_schema(model.Cite) == {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "cite.schema.json",
        "title": "Cite",
        "type": "object",
        "description": "Where a fact comes from and how sure we are of it.",
        "properties": {
            "source": {
                "description": "Id of an entry in catalog/sources.yaml.",
                "type": "string",
                "pattern": "^[a-z0-9][a-z0-9-]*$",
            },
            "confidence": {
                "description": "verified | seed | recalled | unresolved (see methodology); must be one the"
                " source's kind supports.",
                "enum": ["verified", "seed", "recalled", "unresolved"],
            },
            "note": {
                "description": "What exactly the source says, or why it is uncertain; required (and shown to"
                " readers) for recalled and unresolved.",
                "type": "string",
                "default": "",
            },
            "disagrees": {
                "description": "Ids of sources that say otherwise; a cite with any must be marked"
                " unresolved.",
                "type": "array",
                "items": {"type": "string"},
                "default": [],
            },
        },
        "required": ["source", "confidence"],
        "additionalProperties": False,
    }


def test_synonyms_catalog_schema_exactly() -> None:
    assert catalog_schema("synonyms") == {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "synonyms.schema.json",
        "title": "catalog/synonyms.yaml",
        "type": "object",
        "properties": {
            "synonyms": {
                "description": "catalog/synonyms.yaml: groups of words that mean the same.",
                "type": "array",
                "items": {"type": "array", "items": {"type": "string"}},
            }
        },
        "required": ["synonyms"],
        "additionalProperties": False,
    }


def _objects(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [schema, *schema.get("$defs", {}).values()]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("properties", "ratings", "items", "$ref"), "#/$defs/Rating"),
        (("$defs", "Rating", "properties", "category", "enum"), list(model.CATEGORIES)),
        (("$defs", "Rating", "properties", "category", "description"), "ACR appropriateness category."),
        (("$defs", "Review", "properties", "date", "format"), "date"),
        (("$defs", "Matching", "properties", "facts_all", "default"), []),
        (("properties", "related_tools", "items", "enum"), list(model.TOOLS)),
        (("properties", "related_tools", "default"), []),
        (("properties", "id", "pattern"), "^(?!index$)[a-z0-9][a-z0-9-]*$"),
        (("$defs", "Redirect", "required"), None),
    ],
)
def test_scenario_schema_parts(path: tuple[str | int, ...], expected: object) -> None:
    node: Any = json_schema(model.Scenario)
    for step in path:
        node = node.get(step) if isinstance(node, dict) else node[step]
    assert node == expected


def test_scenario_schema_requires_what_the_model_requires() -> None:
    schema = json_schema(model.Scenario)
    assert schema["required"][:3] == ["id", "title", "topic"]
    assert "related_scenarios" not in schema["required"]
    assert all(obj["additionalProperties"] is False for obj in _objects(schema))


def test_procedure_schema_carries_minimum_and_rrl_levels() -> None:
    procedure = catalog_schema("procedures")["$defs"]["Procedure"]["properties"]
    dose = catalog_schema("procedures")["$defs"]["Dose"]["properties"]
    assert procedure["rrl_adult"]["enum"] == [0, 1, 2, 3, 4, 5]
    assert procedure["rrl_pediatric"]["anyOf"] == [{"enum": [0, 1, 2, 3, 4, 5]}, {"type": "null"}]
    # what a dose's low and high are: the calculator says each kind in words
    assert dose["spread"]["enum"] == ["range", "sd", "editions", "sources", "activity"]
    assert dose["typical_msv"] == {
        "description": "Typical effective dose in mSv (the mean, when spread is sd).",
        "type": "number",
        "minimum": 0,
    }


def test_write_schemas_is_deterministic(tmp_path: Path) -> None:
    first = write_schemas(tmp_path)
    data = {p.name: p.read_bytes() for p in first}
    assert sorted(data) == [
        "concepts.schema.json",
        "facts.schema.json",
        "procedures.schema.json",
        "rrl.schema.json",
        "scenario.schema.json",
        "sources.schema.json",
        "synonyms.schema.json",
        "topics.schema.json",
    ]
    assert {p.name: p.read_bytes() for p in write_schemas(tmp_path)} == data
    assert all(json.loads(text) for text in data.values())


DATA_FILES = sorted(FIXTURE.glob("scenarios/**/*.yaml")) + sorted(ROOT.glob("scenarios/**/*.yaml"))


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_data_files_point_at_their_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    target = first.removeprefix("# yaml-language-server: $schema=")
    assert target != first
    assert (path.parent / target).name in {Path(rel).name for rel in schema_files()}


# --- the schemas accept the data the validator accepts ------------------------------------------


def _errors(value: Any, schema: dict[str, Any], root: dict[str, Any], path: str = "$") -> list[str]:
    """A small draft 2020-12 subset (the keywords schema.py emits), enough to cross-check the validator."""
    if "$ref" in schema:
        return _errors(value, root["$defs"][schema["$ref"].rsplit("/", 1)[1]], root, path)
    if "anyOf" in schema:
        options = [_errors(value, option, root, path) for option in schema["anyOf"]]
        return [] if any(not errs for errs in options) else options[0]
    if "enum" in schema:
        return (
            [] if value in schema["enum"] and type(value) is not bool else [f"{path}: {value!r} not in enum"]
        )
    kind = schema.get("type")
    checks = {
        "object": isinstance(value, dict),
        "array": isinstance(value, list),
        "string": isinstance(value, str),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "null": value is None,
        "boolean": isinstance(value, bool),
    }
    if kind is not None and not checks[kind]:
        return [f"{path}: not {kind}"]
    errors: list[str] = []
    if kind == "object":
        props = schema.get("properties", {})
        errors += [f"{path}: missing {name}" for name in schema.get("required", []) if name not in value]
        errors += [
            f"{path}: extra {name}"
            for name in value
            if name not in props and not schema.get("additionalProperties", True)
        ]
        for name, item in value.items():
            if name in props:
                errors += _errors(item, props[name], root, f"{path}.{name}")
    if kind == "array":
        for i, item in enumerate(value):
            errors += _errors(item, schema["items"], root, f"{path}[{i}]")
    if kind == "string" and "pattern" in schema and not re.search(schema["pattern"], value):
        errors.append(f"{path}: {value!r} does not match")
    if kind == "number" and value < schema.get("minimum", value):
        errors.append(f"{path}: below minimum")
    return errors


def _as_json(value: Any) -> Any:
    # Editors read YAML 1.2, where an unquoted date is a string.
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def _schema_for(path: Path) -> dict[str, Any]:
    name = "scenario" if path.parent.name == "scenarios" else path.stem
    return json.loads(schema_files()[f"scenarios/schema/{name}.schema.json"])


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_schema_accepts_valid_data(path: Path) -> None:
    schema = _schema_for(path)
    assert _errors(_as_json(yaml.safe_load(path.read_text(encoding="utf-8"))), schema, schema) == []


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ("category: may-be-appropriate", "category: maybe", "$.ratings[1].category: 'maybe' not in enum"),
        ("related_tools:", "related_tool:", "$: extra related_tool"),
        ("vignette: A placeholder patient.\n", "", "$: missing vignette"),
        ("id: facial-numbness", "id: Facial Numbness", "$.id: 'Facial Numbness' does not match"),
    ],
)
def test_schema_rejects_what_the_validator_rejects(old: str, new: str, error: str) -> None:
    path = FIXTURE / "scenarios" / "facial-numbness.yaml"
    data = _as_json(yaml.safe_load(path.read_text(encoding="utf-8").replace(old, new)))
    schema = _schema_for(path)
    assert _errors(data, schema, schema) == [error]

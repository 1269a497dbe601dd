"""JSON Schemas (draft 2020-12) for the data files, generated from the declarations in ``sitegen.data.model``.

Each YAML file points at its schema in a first-line comment, so editors get completion and hovers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing
from pathlib import Path
from typing import Any, Literal

from sitegen._files import write_if_changed
from sitegen.data import model

__all__ = ["catalog_schema", "json_schema", "schema_files", "write_schemas"]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = "scenarios/schema"


def _type(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """Schema of one type hint; nested dataclasses go to ``defs`` and are referenced."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is str:
        return {"type": "string"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is float:
        return {"type": "number"}
    if tp is int:
        return {"type": "integer"}
    if tp is dt.date:
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    if origin is Literal:
        return {"enum": list(args)}
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        (inner,) = [a for a in args if a is not type(None)]
        return {"anyOf": [_type(inner, defs), {"type": "null"}]}
    if origin is list:
        return {"type": "array", "items": _type(args[0], defs)}
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        if tp.__name__ not in defs:
            defs[tp.__name__] = {}  # placeholder first: guards against recursion
            defs[tp.__name__] = _object(tp, defs)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    raise TypeError(f"no schema for {tp!r}")


def _object(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    """Schema of one dataclass: documented properties, required fields, nothing else allowed."""
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for f in dataclasses.fields(cls):
        prop: dict[str, Any] = {}
        if f.metadata.get("doc"):
            prop["description"] = f.metadata["doc"]
        prop.update(_type(hints[f.name], defs))
        if "pattern" in f.metadata:
            prop["pattern"] = f.metadata["pattern"]
        if "minimum" in f.metadata:
            prop["minimum"] = f.metadata["minimum"]
        if f.default is not dataclasses.MISSING:
            prop["default"] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
            if isinstance(default, list):
                prop["default"] = default
        else:
            required.append(f.name)
        properties[f.name] = prop
    out: dict[str, Any] = {"type": "object", "description": _doc(cls), "properties": properties}
    if required:
        out["required"] = required
    out["additionalProperties"] = False
    return out


def _doc(cls: type) -> str:
    return " ".join((cls.__doc__ or "").split())


def json_schema(cls: type) -> dict[str, Any]:
    """A standalone schema whose root is ``cls`` and whose nested dataclasses are in ``$defs``."""
    defs: dict[str, Any] = {}
    root = _object(cls, defs)
    schema = {"$schema": DIALECT, "$id": f"{cls.__name__.lower()}.schema.json", "title": cls.__name__, **root}
    if defs:
        schema["$defs"] = dict(sorted(defs.items()))
    return schema


def catalog_schema(name: str) -> dict[str, Any]:
    """Schema of ``scenarios/catalog/<name>.yaml``: one top-level key ``<name>`` holding the list."""
    hints = typing.get_type_hints(model.Catalogs)
    declared = {f.name: f for f in dataclasses.fields(model.Catalogs)}[name]
    defs: dict[str, Any] = {}
    prop = {"description": declared.metadata.get("doc", ""), **_type(hints[name], defs)}
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": f"{name}.schema.json",
        "title": f"catalog/{name}.yaml",
        "type": "object",
        "properties": {name: prop},
        "required": [name],
        "additionalProperties": False,
    }
    if defs:
        schema["$defs"] = dict(sorted(defs.items()))
    return schema


def _dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def schema_files() -> dict[str, str]:
    """Every schema file as it should be on disk: path relative to the project root -> text."""
    files = {f"{SCHEMA_DIR}/scenario.schema.json": _dump(json_schema(model.Scenario))}
    for f in dataclasses.fields(model.Catalogs):
        files[f"{SCHEMA_DIR}/{f.name}.schema.json"] = _dump(catalog_schema(f.name))
    return files


def write_schemas(root: Path) -> list[Path]:
    """Write the schema files under ``root``; returns every schema path (written only when changed)."""
    paths: list[Path] = []
    for rel, text in schema_files().items():
        path = Path(root) / rel
        write_if_changed(path, text)
        paths.append(path)
    return paths


if __name__ == "__main__":  # python -m sitegen.data.schema: regenerate scenarios/schema/ after a model change
    for written in write_schemas(Path(__file__).resolve().parents[2]):
        print(written)

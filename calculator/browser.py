"""The only browser-facing module: JSON string in, JSON string out (called from the Pyodide worker).

Request: ``{"calculator": "dose", "input": {...}}``. Response: the envelope documented in
``calculator/__init__.py``, as a JSON string. The packaged catalog (``calculator/data/catalog.json``,
exported by the site build) is read once, on the first request that needs it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

from . import CALCULATORS, ENVELOPE_VERSION, run, specs
from ._contract import FieldError, InputError, field_error
from ._input import parse_json, safe_text
from ._plain import with_plain

__all__ = ["handle", "packaged_catalog", "specs_json", "warm"]

_UNSET: Any = object()
_REQUEST = 'a JSON object {"calculator": NAME, "input": {...}}'
_catalog: Any = _UNSET


def packaged_catalog() -> dict[str, Any] | None:
    """The exported catalog shipped with the package, loaded lazily once; None when it is absent."""
    global _catalog
    if _catalog is _UNSET:
        try:
            text = resources.files("calculator").joinpath("data/catalog.json").read_text(encoding="utf-8")
            _catalog = json.loads(text)
        except (FileNotFoundError, NotADirectoryError):
            _catalog = None
    result: dict[str, Any] | None = _catalog
    return result


def _dump(envelope: Mapping[str, Any]) -> str:
    # a lone surrogate cannot cross into JavaScript as UTF-8: written as its JSON escape instead
    return safe_text(json.dumps(envelope, ensure_ascii=False, separators=(",", ":")))


def _refused(errors: list[FieldError]) -> str:
    errors = with_plain((), errors)  # a request refused before any calculator: plain words all the same
    return _dump({"ok": False, "calculator": "", "version": ENVELOPE_VERSION, "errors": errors})


def _bad_request(message: str, found: str, path: str = "") -> str:
    return _refused([field_error(path, _REQUEST, None, message, found=found)])


def handle(request_json: str, catalog: Mapping[str, Any] | None = None) -> str:
    """Answer one request. ``catalog`` overrides the packaged one (tests, embeds with their own data)."""
    if not isinstance(request_json, str):
        return _bad_request("request: expected JSON text", type(request_json).__name__)
    try:
        request = parse_json(request_json, "request", _REQUEST, extra_depth=1)  # the input is one level in
    except InputError as err:
        return _refused(err.errors)
    if not isinstance(request, dict):
        return _bad_request("request: expected a JSON object", type(request).__name__)
    name = request.get("calculator")
    if not isinstance(name, str):
        return _bad_request("calculator: expected the name of a calculator", json.dumps(name), "calculator")
    payload = request.get("input", {})
    calc = CALCULATORS.get(name)
    if catalog is None and calc is not None and calc.needs_catalog:
        catalog = packaged_catalog()
    return _dump(run(name, payload, catalog))


def warm() -> None:
    """Answer each calculator's first example once: loads the packaged catalog, builds the matcher's
    index and fills the module caches. The site build calls this before taking Pyodide's memory
    snapshot, so that pages start with all of it done."""
    for calc in CALCULATORS.values():
        for example in calc.examples[:1]:
            handle(_dump({"calculator": calc.name, "input": example}))


def specs_json() -> str:
    """Every calculator's input declaration as JSON, for building the forms."""
    return _dump({"version": ENVELOPE_VERSION, "calculators": specs()})

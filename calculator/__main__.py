"""Command line: ``python -m calculator list | NAME --schema | NAME [--input FILE] [--catalog FILE]``.

Prints JSON. Exit status 0 with a result, 2 with an error object (bad input, malformed JSON, unknown
calculator, unreadable file). Never prints a traceback for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from . import CALCULATORS, ENVELOPE_VERSION, run
from ._contract import field_error
from .browser import packaged_catalog


def _print(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def _fail(name: str, path: str, expected: str, found: str, message: str) -> int:
    _print(
        {
            "ok": False,
            "calculator": name,
            "version": ENVELOPE_VERSION,
            "errors": [field_error(path, expected, None, message, found=found)],
        }
    )
    return 2


def _read_json(path: str | None, what: str) -> tuple[Any, str]:
    """Parse JSON from a file (or stdin when path is None); return (value, error message)."""
    try:
        if path is None:
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
    except OSError as exc:
        return None, f"{what}: cannot read {path}: {exc.strerror}"
    try:
        return json.loads(text), ""
    except ValueError as exc:
        return None, f"{what}: not valid JSON ({exc})"


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m calculator", description="Run a calculator on JSON input."
    )
    parser.add_argument("name", help="'list', or a calculator: " + ", ".join(CALCULATORS))
    parser.add_argument("--schema", action="store_true", help="print the input as JSON Schema and stop")
    parser.add_argument("--input", metavar="FILE", help="read the input object from FILE instead of stdin")
    parser.add_argument(
        "--catalog", metavar="FILE", help="use this exported catalog instead of the packaged one"
    )
    args = parser.parse_args(argv)
    if args.name == "list":
        _print([{"name": c.name, "title": c.title, "summary": c.summary} for c in CALCULATORS.values()])
        return 0
    calc = CALCULATORS.get(args.name)
    if calc is None:
        known = ", ".join(repr(n) for n in CALCULATORS)
        return _fail(
            args.name,
            "calculator",
            f"one of {known}",
            json.dumps(args.name),
            f"calculator: unknown calculator {args.name!r} (known: {known})",
        )
    if args.schema:
        _print(calc.schema())
        return 0
    catalog = None
    if calc.needs_catalog:
        if args.catalog:
            catalog, problem = _read_json(args.catalog, "catalog")
            if problem:
                return _fail(calc.name, "", "a catalog JSON file", args.catalog, problem)
        else:
            catalog = packaged_catalog()
    payload, problem = _read_json(args.input, "input")
    if problem:
        return _fail(calc.name, "", "a JSON object", "malformed JSON", problem)
    envelope = run(calc.name, payload, catalog)
    _print(envelope)
    return 0 if envelope["ok"] else 2


if __name__ == "__main__":
    sys.exit(main())

"""Command line: ``python -m calculator list | NAME --schema | NAME [--input FILE] [--catalog FILE]``.

Prints JSON. Exit status 0 with a result, 2 with an error object (bad input, malformed JSON, unknown
calculator, unreadable file). Never prints a traceback for bad input: the input is read as bytes and
must be UTF-8, it may nest lists and objects only so deep, and the output is always UTF-8 (a lone
surrogate in a message is written as its JSON escape).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, BinaryIO

from . import CALCULATORS, ENVELOPE_VERSION, run
from ._contract import FieldError, InputError, field_error
from ._input import parse_json
from ._plain import with_plain
from .browser import packaged_catalog

#: Largest input or catalog read: a catalog of every ACR variant is a few megabytes.
MAX_BYTES = 50_000_000


def _print(data: Any, out: BinaryIO) -> None:
    # backslashreplace writes a lone surrogate as \udxxx: inside a JSON string, its valid escape
    out.write((json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8", "backslashreplace"))
    out.flush()


def _fail(name: str, errors: list[FieldError], out: BinaryIO) -> int:
    errors = with_plain((), errors)
    _print({"ok": False, "calculator": name, "version": ENVELOPE_VERSION, "errors": errors}, out)
    return 2


def _one(path: str, expected: str, found: str, message: str) -> list[FieldError]:
    return [field_error(path, expected, None, message, found=found)]


def _read_json(path: str | None, what: str, stdin: BinaryIO) -> Any:
    """Parse JSON from a file (or ``stdin`` when path is None); InputError when it cannot be read."""
    try:
        if path is None:
            data = stdin.read(MAX_BYTES + 1)
        else:
            with open(path, "rb") as fh:
                data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        message = f"{what}: cannot read {path}: {exc.strerror}"
        raise InputError(_one("", "a JSON object", str(path), message)) from None
    if len(data) > MAX_BYTES:  # /dev/zero, a log file by mistake: read no further
        message = f"{what}: more than {MAX_BYTES:,} bytes"
        raise InputError(_one("", f"at most {MAX_BYTES:,} bytes", "more", message))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"{what}: not UTF-8 text ({exc.reason} at byte {exc.start + 1})"
        raise InputError(_one("", "UTF-8 text", "other bytes", message)) from None
    return parse_json(text, what, "a JSON object")


def main(argv: list[str] | None = None, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> int:
    """Entry point; returns the exit status. ``stdin``/``stdout``: binary streams (default: the process's)."""
    source = stdin if stdin is not None else sys.stdin.buffer
    out = stdout if stdout is not None else sys.stdout.buffer
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
        _print([{"name": c.name, "title": c.title, "summary": c.summary} for c in CALCULATORS.values()], out)
        return 0
    calc = CALCULATORS.get(args.name)
    if calc is None:
        envelope = run(args.name, {})  # the unknown-calculator envelope, the name shown safely
        _print(envelope, out)
        return 2
    if args.schema:
        _print(calc.schema(), out)
        return 0
    try:
        catalog = None
        if calc.needs_catalog:
            catalog = _read_json(args.catalog, "catalog", source) if args.catalog else packaged_catalog()
        payload = _read_json(args.input, "input", source)
    except InputError as err:
        return _fail(calc.name, err.errors, out)
    envelope = run(calc.name, payload, catalog)
    _print(envelope, out)
    return 0 if envelope["ok"] else 2


if __name__ == "__main__":
    sys.exit(main())

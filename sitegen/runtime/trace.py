"""Which zip entries the calculators need: found by running them, not by a list kept by hand.

This module runs *inside Pyodide* (``sitegen/runtime/node/make_runtime.mjs`` reads its source) on the
full compiled zip: ``exercise`` imports every module our packages name anywhere (lazy imports inside
functions included), warms the calculators, answers every case of the case tables and each
calculator's examples; ``needed`` then lists the zip entries of every module imported by then (Pyodide's
own start-up included) plus our packages' data files. The trimmed zip holds exactly those. Standard
library only, and it runs under CPython too (tests).
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from types import ModuleType
from typing import Any

__all__ = ["exercise", "imported_names", "module_names", "needed", "replay_cases"]


def _sources(directory: str) -> Iterator[tuple[str, str]]:
    """(module name, path) of every ``.py`` file of the packages under ``directory``."""
    for top, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(top, name)
                parts = os.path.relpath(path, directory)[:-3].split(os.sep)
                if parts[-1] == "__init__":
                    parts.pop()
                yield ".".join(parts), path


def imported_names(directory: str) -> list[str]:
    """Every module our packages under ``directory`` import anywhere (absolute names, sorted), themselves
    included: importing them all runs each module-level and function-level import at least once."""
    names: set[str] = set()
    for module, path in _sources(directory):
        names.add(module)
        with open(path, "rb") as f:
            tree = ast.parse(f.read(), path)
        package = module if path.endswith("__init__.py") else module.rpartition(".")[0]
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                names.add(base)
                # ``from package import module`` imports a submodule when there is one
                names.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return sorted(n for n in names if n and not n.startswith("."))


def _import_all(names: Iterable[str]) -> None:
    for name in names:
        # ``from x import function`` names no module; an optional import may be absent
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def replay_cases(handle: Any, cases_dir: str | None) -> int:
    """Answer every case of ``cases_dir``/*.json (the layout of tests/cases) through ``handle(request,
    catalog)``; returns the number answered. A missing directory answers none."""
    if not cases_dir or not os.path.isdir(cases_dir):
        return 0
    count = 0
    for name in sorted(os.listdir(cases_dir)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(cases_dir, name), encoding="utf-8") as f:
            table = json.load(f)
        if not isinstance(table, dict) or "cases" not in table or "calculator" not in table:
            continue  # a catalog the tables name, not a table
        catalog = None
        if table.get("catalog"):
            with open(os.path.join(cases_dir, table["catalog"]), encoding="utf-8") as f:
                catalog = json.load(f)
        for case in table["cases"]:
            request = json.dumps({"calculator": table["calculator"], "input": case["input"]})
            handle(request, catalog)
            count += 1
    return count


def exercise(package_dir: str, cases_dir: str | None) -> dict[str, int]:
    """Import what our packages name, warm the calculators, answer the case tables, every example and a
    malformed request. Returns counts for the build's facts."""
    names = imported_names(package_dir)
    _import_all(names)
    browser = importlib.import_module("calculator.browser")
    browser.warm()
    calculators = importlib.import_module("calculator").CALCULATORS
    examples = 0
    for calc in calculators.values():
        for example in calc.examples:
            browser.handle(json.dumps({"calculator": calc.name, "input": example}))
            examples += 1
    browser.handle("{not json")
    cases = replay_cases(browser.handle, cases_dir)
    return {"named": len(names), "examples": examples, "cases": cases}


def _entry(module: ModuleType, mount: str) -> str | None:
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None)
    if isinstance(origin, str) and origin.startswith(mount + "/"):
        return origin[len(mount) + 1 :]
    return None


def needed(
    modules: Mapping[str, ModuleType], mount: str, entries: Iterable[str], packages: Iterable[str]
) -> list[str]:
    """The zip entries to keep: the file of every module in ``modules`` that came from the zip mounted at
    ``mount``, and every entry of ``packages`` (our own: their data files too). ``entries`` are the full
    zip's names."""
    keep = {e for e in (_entry(m, mount) for m in list(modules.values())) if e is not None}
    tops = tuple(f"{p}/" for p in packages) + tuple(f"{p}.pyc" for p in packages)
    keep.update(e for e in entries if e.startswith(tops))
    return sorted(keep)


def module_names(entries: Iterable[str]) -> list[str]:
    """Module names of the ``.pyc`` entries among ``entries``: what is imported before the snapshot."""
    out = []
    for entry in entries:
        if entry.endswith(".pyc"):
            name = entry[:-4].replace("/", ".")
            out.append(name[: -len(".__init__")] if name.endswith(".__init__") else name)
    return sorted(out)

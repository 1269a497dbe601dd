"""The calculators' own start-up inside Pyodide, shipped in the runtime's zip as ``_calc_runtime``.

The zip carries only the standard-library modules the build saw the calculators import
(``sitegen.runtime.trace``). ``LeftOut``, last on ``sys.meta_path``, turns an import of any other module
into an immediate ``ModuleNotFoundError`` that names it and says why, instead of a bare "No module
named". ``before_snapshot`` runs in the build just before the memory snapshot is taken; ``after_start``
runs in the browser after every start, from the snapshot or not. Standard library only.
"""

from __future__ import annotations

import gc
import importlib
import random
import sys
from collections.abc import Iterable
from typing import Any

__all__ = ["LeftOut", "after_start", "before_snapshot"]


class LeftOut:
    """A meta path finder of last resort: every module no other finder found was left out of the build."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        err = ModuleNotFoundError(
            f"No module named {fullname!r}: the calculators' runtime carries only the standard-library "
            "modules its build saw them import; rebuild the site after a change that imports a new one",
            name=fullname,
        )
        # Pyodide would add that the module is missing from its own distribution, which is not why
        err._PYODIDE_ADDED_NOTE = True  # type: ignore[attr-defined]
        raise err


def _install() -> None:
    if not any(isinstance(finder, LeftOut) for finder in sys.meta_path):
        sys.meta_path.append(LeftOut())


def before_snapshot(modules: Iterable[str]) -> None:
    """Import every module the trimmed zip holds (then nothing is read from the zip after a start from
    the snapshot), warm the calculators, and collect the garbage so the snapshot holds less."""
    for name in modules:
        importlib.import_module(name)
    importlib.import_module("calculator.browser").warm()
    _install()
    gc.collect()


def after_start() -> Any:
    """Reseed ``random`` (the snapshot froze its state), make sure of the guard, and return the calculators'
    browser entry point ``calculator.browser.handle``."""
    random.seed()
    _install()
    return importlib.import_module("calculator.browser").handle

"""Make ``import calculator`` resolve to the source tree even if the editable install predates it."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# A namespace-package shell from a stale editable install would hide the real package.
_mod = sys.modules.get("calculator")
if _mod is not None and getattr(_mod, "__file__", None) is None:
    for name in [m for m in sys.modules if m == "calculator" or m.startswith("calculator.")]:
        del sys.modules[name]

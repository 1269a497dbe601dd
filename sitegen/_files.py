"""Generated files in the source tree and the site: written only when their bytes change."""

from __future__ import annotations

from pathlib import Path

__all__ = ["is_current", "write_if_changed"]


def is_current(path: Path, text: str) -> bool:
    """True when ``path`` already holds exactly ``text`` (UTF-8)."""
    path = Path(path)
    return path.is_file() and path.read_bytes() == text.encode("utf-8")


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` unless it holds those bytes already (mtimes stay put); True if written."""
    if is_current(path, text):
        return False
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return True

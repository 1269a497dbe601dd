"""Generated files in the source tree and the site: written only when their bytes change."""

from __future__ import annotations

from pathlib import Path

__all__ = ["is_current", "write_if_changed"]


def _bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def is_current(path: Path, content: str | bytes) -> bool:
    """True when ``path`` already holds exactly ``content`` (text as UTF-8)."""
    path = Path(path)
    return path.is_file() and path.read_bytes() == _bytes(content)


def write_if_changed(path: Path, content: str | bytes) -> bool:
    """Write ``content`` unless ``path`` holds those bytes already (mtimes stay put); True if written."""
    if is_current(path, content):
        return False
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_bytes(content))
    return True

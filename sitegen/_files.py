"""Generated files in the source tree and the site: written only when their bytes change."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["is_current", "write_if_changed"]


def _bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def is_current(path: Path, content: str | bytes) -> bool:
    """True when ``path`` already holds exactly ``content`` (text as UTF-8)."""
    path = Path(path)
    return path.is_file() and path.read_bytes() == _bytes(content)


def write_if_changed(path: Path, content: str | bytes) -> bool:
    """Write ``content`` unless ``path`` holds those bytes already (mtimes stay put); True if written.

    Written whole or not at all: into a temporary sibling first, then renamed over ``path``, so that
    no reader (another build, an editor) ever sees half a file.
    """
    if is_current(path, content):
        return False
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_bytes(_bytes(content))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return True

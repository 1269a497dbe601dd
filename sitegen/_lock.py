"""One build at a time: an exclusive lock on a file, held for a block; the second waits and says so."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

try:  # POSIX; elsewhere builds are not serialised
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["held", "is_running"]


@contextlib.contextmanager
def held(path: Path, say: Callable[[str], None], what: str) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) for the block. When another process
    holds it, ``say`` that this one waits for ``what``, then wait. The lock goes with the process:
    a killed build leaves none behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                say(f"Waiting for {what} to finish (it holds {path})…")
                fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)


def is_running(pid: int) -> bool:
    """True if a process ``pid`` exists on this machine (ours or another user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OverflowError, ValueError):
        return False
    return True

"""Share the generator's work with a forked copy of the process, for the second core of a build machine.

Parsing YAML and rendering pages are pure and CPU-bound, so the child needs nothing but a copy of
memory, and hands back its result pickled. Wherever forking is missing or unsafe, the work simply
runs here instead; a failed child changes nothing either: its share is then done here.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable
from typing import TypeVar

__all__ = ["MIN_ITEMS", "in_child"]

T = TypeVar("T")

#: Below this many items a fork (tens of milliseconds with a large heap) costs more than it saves.
MIN_ITEMS = 200


def _can_fork() -> bool:
    # A fork copies only the calling thread: with others running (`mkdocs serve`) a lock may stay held.
    return hasattr(os, "fork") and threading.active_count() == 1 and (os.cpu_count() or 1) > 1


def in_child(work: Callable[[], T], items: int) -> Callable[[], T]:
    """Start ``work()`` in a forked child; the function returned waits for the child and returns its result.

    ``items`` is how many pieces ``work`` handles: small jobs run here, on the first call of the waiter.
    """
    if items < MIN_ITEMS or not _can_fork():
        return work
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: do the work, send it, and leave without running any of the parent's exit code
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                pickle.dump(work(), out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)

    def wait() -> T:
        try:
            with os.fdopen(read_end, "rb") as pipe:
                data = pipe.read()
        finally:
            _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            return work()  # the child failed: redo its share here, where any error shows as usual
        result: T = pickle.loads(data)
        return result

    return wait

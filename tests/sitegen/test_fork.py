"""Work shared with a forked child: the result comes back whole, and a failed child changes nothing."""

from __future__ import annotations

import os

import pytest

from sitegen import _fork

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


@pytest.fixture()
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork even for one item, and even with a test server's thread running in this process."""
    monkeypatch.setattr(_fork, "MIN_ITEMS", 1)
    monkeypatch.setattr(_fork, "_can_fork", lambda: True)


@needs_fork
def test_the_childs_result_comes_back_whole(forking: None) -> None:
    here = os.getpid()
    pid, value = _fork.in_child(lambda: (os.getpid(), {"a": [1, 2.5, None, "é"]}), 1)()
    assert pid != here
    assert value == {"a": [1, 2.5, None, "é"]}


@needs_fork
def test_a_failed_child_has_its_share_done_here(forking: None) -> None:
    here = os.getpid()

    def work() -> str:
        if os.getpid() != here:
            raise RuntimeError("only in the child")
        return "done here"

    assert _fork.in_child(work, 1)() == "done here"


@needs_fork
def test_an_error_of_the_work_itself_shows_here(forking: None) -> None:
    with pytest.raises(ZeroDivisionError):
        _fork.in_child(lambda: 1 / 0, 1)()


def test_small_jobs_stay_here() -> None:
    here = os.getpid()
    assert _fork.in_child(os.getpid, _fork.MIN_ITEMS - 1)() == here

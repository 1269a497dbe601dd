"""One build never touches another's files (issue 9, findings 6, 7 and 12).

6: the runtime cache belongs to the project being built, even when its node_modules is a link to
another project's. 7: nothing shipped (the snapshot and the zips unpacked) holds the build machine's
directories. 12: two builds of one project take turns (the second says it waits), and what a killed
build leaves behind is removed by the next one.
"""

# ruff: noqa: F811 - the fixtures home and fake_node come from test_runtime by name

from __future__ import annotations

import fcntl
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from shipped import shipped_bytes
from test_runtime import FakeNode, fake_node, home  # noqa: F401 - fixtures used by name

from sitegen import make
from sitegen.runtime import pyodide as runtime
from sitegen.runtime.pyodide import prepare_runtime

ROOT = Path(__file__).resolve().parents[2]
#: ``build.py build`` of the project (and into the site folder) named on the command line.
BUILD = (
    "import sys; from pathlib import Path; from sitegen import make; "
    "sys.exit(make.build(*map(Path, sys.argv[1:]), refresh_sources=False))"
)


# --- finding 6: the runtime cache is the project's own ---------------------------------------------


def test_finding_6_a_copy_whose_node_modules_is_a_link_keeps_its_own_cache(
    home: Path, fake_node: FakeNode, tmp_path: Path
) -> None:
    original = home
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "node_modules").symlink_to(original / "node_modules", target_is_directory=True)
    first = prepare_runtime(copy, "{}\n", offline=False)
    assert (copy / ".cache" / "runtime" / first.key / "info.json").is_file()
    assert not (original / ".cache").exists()  # nothing written beside the linked node_modules
    # the original's own build makes its own entry, which the copy's builds then leave alone
    prepare_runtime(original, "{}\n", offline=False)
    entry = original / ".cache" / "runtime" / first.key
    before = entry.stat().st_mtime_ns, (entry / "info.json").stat().st_mtime_ns
    assert fake_node.runs == 2
    prepare_runtime(copy, "{}\n", offline=False)
    assert (entry.stat().st_mtime_ns, (entry / "info.json").stat().st_mtime_ns) == before


def test_the_cache_can_be_named_and_shared(
    home: Path, fake_node: FakeNode, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(runtime.CACHE_VARIABLE, str(tmp_path / "shared"))
    rt = prepare_runtime(home, "{}\n", offline=False)
    assert (tmp_path / "shared" / rt.key / "info.json").is_file()
    assert not (home / ".cache").exists()


# --- finding 7: no directory of the build machine in anything shipped ------------------------------


@pytest.mark.parametrize("which", ["built_site", "offline_site"])
def test_finding_7_nothing_shipped_names_a_build_directory(
    which: str, request: pytest.FixtureRequest, project_root: Path
) -> None:
    site: Path = request.getfixturevalue(which)
    directories = {str(project_root).encode(), str(site).encode(), str(site.parent).encode()}
    names = []
    for name, data in shipped_bytes(site):
        names.append(name)
        found = [d.decode() for d in directories if d in data]
        assert found == [], f"{name} holds {found}"
    # the search reached inside the runtime: the snapshot unpacked and the zip's modules
    assert any(n.endswith("snapshot.pages.gz (unpacked)") for n in names)
    assert any(n.endswith("stdlib.zip/calculator/browser.pyc") for n in names)


# --- finding 12: builds take turns; a killed build's leftovers go -----------------------------------


def _build_process(root: Path, site: Path | None = None) -> subprocess.Popen[str]:
    args = [sys.executable, "-c", BUILD, str(root), *([str(site)] if site else [])]
    return subprocess.Popen(args, cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)


def test_finding_12_a_second_build_waits_for_the_first_and_says_so(tmp_project: Path) -> None:
    lock = tmp_project / ".cache" / "build.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # as a build of this project under way holds it
        second = _build_process(tmp_project)
        assert second.stderr is not None
        waiting = f"Waiting for another build of this project to finish (it holds {lock})…\n"
        assert second.stderr.readline() == waiting
        assert second.poll() is None and not (tmp_project / "site").exists()
        fcntl.flock(handle, fcntl.LOCK_UN)
    _, rest = second.communicate(timeout=300)
    assert second.returncode == 0, rest
    assert (tmp_project / "site" / "index.html").is_file()


def test_finding_12_two_builds_into_one_folder_both_succeed(tmp_project: Path, tmp_path: Path) -> None:
    site = tmp_path / "out" / "site"
    builds = [_build_process(tmp_project, site) for _ in range(2)]
    results = [(b.wait(timeout=600), b.stderr.read() if b.stderr else "") for b in builds]
    assert [code for code, _ in results] == [0, 0], results
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]
    assert (site / "index.html").is_file()


def test_finding_12_a_killed_builds_leftovers_are_removed_by_the_next(
    tmp_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build = _build_process(tmp_project)
    deadline = time.monotonic() + 120
    while not list(tmp_project.glob("site.tmp-*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    left = sorted(p.name for p in tmp_project.glob("site.*"))
    assert left == [f"site.tmp-{build.pid}"]
    (tmp_project / f"site.old-{build.pid}").mkdir()  # as if killed while swapping
    (tmp_project / f"site.tmp-{os.getppid()}").mkdir()  # a live process's: not ours to remove
    assert make.build(tmp_project, refresh_sources=False) == 0
    assert sorted(p.name for p in tmp_project.glob("site.*")) == [f"site.tmp-{os.getppid()}"]
    assert (tmp_project / "site" / "index.html").is_file()
    err = capsys.readouterr().err
    assert f"[site] removed site.old-{build.pid}, left by a build that was stopped\n" in err
    assert f"[site] removed site.tmp-{build.pid}, left by a build that was stopped\n" in err


def test_finding_12_a_killed_runtime_builds_temporary_entry_is_removed(
    home: Path, fake_node: FakeNode, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.sitegen.runtime.pyodide")
    left = home / ".cache" / "runtime" / "0123456789ab.tmp-x1y2z3"
    (left / "pkg").mkdir(parents=True)
    rt = prepare_runtime(home, "{}\n", offline=False)
    cache = home / ".cache" / "runtime"
    # besides the entry, only the npm files' compressed copies, kept apart for the next catalog
    assert sorted(p.name for p in cache.iterdir() if p.is_dir() and not p.name.startswith("npm-")) == [rt.key]
    assert caplog.records[0].getMessage() == (
        "[runtime] removed 0123456789ab.tmp-x1y2z3, left by a build that was stopped"
    )


@pytest.mark.parametrize("where", ["project", "parent", "other-files", "a-file"])
def test_a_build_never_replaces_a_folder_that_is_not_a_site(
    tmp_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    others = tmp_path / "documents"
    others.mkdir()
    (others / "letter.txt").write_text("keep me", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("keep me too", encoding="utf-8")
    site = {"project": tmp_project, "parent": tmp_project.parent, "other-files": others}.get(
        where, tmp_path / "notes.txt"
    )
    why = {
        "project": "is the project folder or holds it",
        "parent": "is the project folder or holds it",
        "other-files": "holds files that are not a site built before",
        "a-file": "is a file",
    }[where]
    assert make.build(tmp_project, site, refresh_sources=False) == 1
    err = capsys.readouterr().err
    stopped = f"Build stopped: {site} {why}; a build replaces its whole site folder (nothing was written).\n"
    assert err.endswith(stopped)
    assert (others / "letter.txt").read_text(encoding="utf-8") == "keep me"
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep me too"
    assert (tmp_project / "mkdocs.yml").is_file()


def test_a_site_folder_that_is_a_link_is_replaced_not_followed(tmp_project: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "keep.txt").write_text("not the site's", encoding="utf-8")
    link = tmp_path / "site"
    link.symlink_to(target, target_is_directory=True)
    assert make.build(tmp_project, link, refresh_sources=False) == 0
    assert not link.is_symlink() and (link / "index.html").is_file()
    assert (target / "keep.txt").read_text(encoding="utf-8") == "not the site's"

"""Issue 4, items 4 and 6: the offline bundle, unzipped to a temporary folder and opened from disk
(file://): navigation, search and every calculator, with no server, no other host and no console error.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect
from shipped import shipped_bytes

import calculator
from calculator import browser
from sitegen.bundle import LIMIT, bundle
from sitegen.runtime.offline import payload_script

from .conftest import PageWatch, is_local
from .test_site import ARTICLE_TITLE, SEARCH_RESULT, search

pytestmark = pytest.mark.e2e

#: A cold start on a busy machine (ms).
READY_TIMEOUT = 60_000
FOLDER = "offline-site"


@pytest.fixture(scope="session")
def bundle_zip(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Path:
    """``build.py bundle`` of the real project, once per session."""
    out = tmp_path_factory.mktemp("bundle") / f"{FOLDER}.zip"
    code = bundle(project_root, out, refresh_sources=False)
    assert code == 0, "the bundle does not build: run `python build.py bundle` to see why"
    return out


@pytest.fixture(scope="session")
def unzipped(bundle_zip: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundle unzipped as a user would: the folder holding index.html."""
    dest = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(bundle_zip) as z:
        z.extractall(dest)
    return dest / FOLDER


@pytest.fixture
def infos(page: Page) -> Iterator[list[str]]:
    """Every console.info line of ``page`` (the runtime says there when it could not use its snapshot)."""
    lines: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "info":
            lines.append(msg.text)

    page.on("console", on_console)
    yield lines


def test_the_zip_is_under_the_limit_and_carries_only_the_file_runtime(bundle_zip: Path) -> None:
    assert bundle_zip.stat().st_size < LIMIT
    with zipfile.ZipFile(bundle_zip) as z:
        names = z.namelist()
    assert f"{FOLDER}/index.html" in names
    runtime = sorted(n.split("/", 3)[3] for n in names if n.startswith(f"{FOLDER}/assets/pyodide/"))
    assert [n.split("/", 1)[1] for n in runtime] == [
        "file/pyodide.asm.js",
        "file/pyodide.asm.wasm.js",
        "file/pyodide.js",
        "file/snapshot.pages.gz.js",
        "file/stdlib.zip.js",
    ]
    assert len({n.split("/", 1)[0] for n in runtime}) == 1  # one content-hashed directory


def test_the_bundle_names_no_directory_of_the_build_machine(
    unzipped: Path, bundle_zip: Path, project_root: Path
) -> None:
    # issue 9, finding 7: the payload scripts decoded, the snapshot unpacked, the zips opened
    directories = [str(project_root).encode(), str(bundle_zip.parent).encode()]
    searched = 0
    for name, data in shipped_bytes(unzipped):
        searched += 1
        assert not [d for d in directories if d in data], name
    assert searched > 200  # the modules of the trimmed standard library (about 155), each on its own


def test_navigation_and_search_from_disk(page: Page, page_watch: PageWatch, unzipped: Path) -> None:
    page.goto((unzipped / "index.html").as_uri())
    search(page, "pseudoprogression")
    page.locator(SEARCH_RESULT).first.click()
    expect(page).to_have_url(re.compile(r"/scenarios/brain-tumor-recurrence-vs-treatment-effect\.html(\?|$)"))
    expect(page.locator(ARTICLE_TITLE)).to_be_visible()
    assert [url for url in page_watch.requests if not is_local(url)] == []


def _example(name: str) -> dict[str, Any]:
    return dict(calculator.CALCULATORS[name].examples[0])


@pytest.mark.parametrize("name", sorted(calculator.CALCULATORS))
def test_every_calculator_from_its_page_on_disk(
    page: Page, page_watch: PageWatch, infos: list[str], unzipped: Path, name: str
) -> None:
    # a deep link fills the form and computes once the runtime is ready: the widget's whole path
    payload = _example(name)
    fragment = f"#{name}=" + quote(json.dumps(payload, separators=(",", ":")), safe="")
    page.goto((unzipped / "calculators" / name / "index.html").as_uri() + fragment)
    w = page.locator(f"[data-testid='calc-{name}']")
    want = calculator.run(name, payload, browser.packaged_catalog())
    expect(w.locator("[data-testid='calc-report']")).to_have_text(want["report"], timeout=READY_TIMEOUT)
    expect(w).to_have_attribute("data-state", "ready")
    # and the runtime's own answer is byte for byte CPython's
    request = json.dumps({"calculator": name, "input": payload})
    assert page.evaluate("r => window.CalcRuntime.call(r)", request) == browser.handle(request)
    assert not [line for line in infos if "snapshot" in line], infos  # a healthy build uses its snapshot
    assert all(u.startswith("file://") for u in page_watch.requests if not u.startswith(("data:", "blob:")))


def test_the_runtime_reports_its_progress_and_runs_on_the_page(page: Page, unzipped: Path) -> None:
    # file:// refuses workers: the runtime runs on the page; its phases come in order, each once at most.
    # An article: its dose widget waits to be opened (a calculator page starts the runtime at load).
    page.goto((unzipped / "scenarios" / "new-neck-pain-known-cancer.html").as_uri())
    assert page.evaluate("() => window.CalcRuntime.state") == "idle"
    phases = page.evaluate(
        """() => new Promise((resolve) => {
            const seen = [];
            window.CalcRuntime.onProgress((p) => {
                if (seen[seen.length - 1] !== p.phase) seen.push(p.phase);
                if (p.phase === "ready" || p.phase === "failed") resolve(seen);
            });
            window.CalcRuntime.start();
        })"""
    )
    assert phases[-2:] == ["start", "ready"]
    assert set(phases[:-2]) <= {"download"}
    assert page.evaluate("() => window.CalcRuntime.state") == "ready"
    assert page.evaluate("() => typeof window.Worker === 'function' && !!window.loadPyodide")


def test_a_refused_snapshot_falls_back_to_a_normal_start(
    page: Page, infos: list[str], unzipped: Path, tmp_path: Path
) -> None:
    # a snapshot of another build (here: garbage) must not fail the widget, only cost start-up time
    copy = tmp_path / "copy"
    shutil.copytree(unzipped, copy)
    (payload,) = copy.glob("assets/pyodide/*/file/snapshot.pages.gz.js")
    payload.write_text(payload_script("snapshot.pages.gz", b"not a snapshot"), encoding="ascii")
    page.goto((copy / "calculators" / "dose" / "index.html").as_uri())
    page.evaluate("() => window.CalcRuntime.start()")
    assert page.evaluate("() => window.CalcRuntime.state") == "ready"
    request = json.dumps({"calculator": "dose", "input": _example("dose")})
    assert page.evaluate("r => window.CalcRuntime.call(r)", request) == browser.handle(request)
    assert [line for line in infos if "snapshot" in line] == [
        "Calculator: the start-up snapshot was refused (the calculator's start-up snapshot "
        "(snapshot.pages.gz) did not load or is damaged: not a packed snapshot); starting without it."
    ]

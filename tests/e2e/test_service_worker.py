"""Issue 12, "Repeat visits from cache": the service worker (sitegen/runtime/web/sw.js).

A copy of the built site is served, so that a test can publish "the next build" in it. Once a
calculator has started, the worker keeps this build's runtime and the page: a visit without a network
starts the calculator from them. Pages still come from the network first, and a new build's worker
deletes the older cache when it takes over.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from calculator import browser

from .conftest import serve

pytestmark = pytest.mark.e2e

READY_TIMEOUT = 60_000
DOSE = {"studies": [{"procedure": "ct-head-with", "count": 3}]}
CACHES = """() => caches.keys().then((keys) => Promise.all(keys.map((key) =>
  caches.open(key).then((c) => c.keys()).then((rs) => [key, rs.map((r) => new URL(r.url).pathname)]))))"""


@pytest.fixture
def site_copy(built_site: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    return copy


@pytest.fixture
def served_copy(site_copy: Path) -> Iterator[str]:
    with serve(site_copy) as port:
        yield f"http://127.0.0.1:{port}/"


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(service_workers="allow")
    yield context
    context.close()


def ready_with_worker(page: Page, url: str) -> None:
    """Open ``url``, wait for the calculator and for the worker to control the page with its copies."""
    page.goto(url)
    expect(page.locator("[data-calculator]").first).to_have_attribute(
        "data-state", "ready", timeout=READY_TIMEOUT
    )
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=READY_TIMEOUT)
    wait_until_kept(page, "/dose/")


def wait_until_kept(page: Page, suffix: str) -> None:
    """Wait until the worker's one cache holds a copy of a page whose address ends with ``suffix``."""
    kept = f"(all) => all.length === 1 && all[0][1].some((p) => p.endsWith('{suffix}'))"
    page.wait_for_function(f"() => ({CACHES})().then({kept})", timeout=READY_TIMEOUT)


def test_the_runtime_of_this_build_is_kept_and_a_visit_without_network_starts_from_it(
    context: BrowserContext, served_copy: str, site_copy: Path
) -> None:
    page = context.new_page()
    ready_with_worker(page, served_copy + "calculators/dose/")
    ((name, paths),) = page.evaluate(CACHES)
    sw = (site_copy / "sw.js").read_text(encoding="utf-8")
    build = re.search(r'const BUILD = "([0-9a-f]{8})";', sw)
    # named after the worker's scope and the build
    assert build is not None and re.fullmatch(rf"calc-[0-9a-f]{{8}}-{build.group(1)}", name), name
    (runtime,) = site_copy.glob("assets/pyodide/*/pyodide.asm.wasm")
    for kept in ("pyodide.asm.wasm", "snapshot.pages.gz", "pyodide.asm.mjs", "pyodide.mjs"):
        assert f"/assets/pyodide/{runtime.parent.name}/{kept}" in paths
    # Python's plain server sent snapshot.pages unencoded: the runtime took the gzip copy, kept instead
    assert f"/assets/pyodide/{runtime.parent.name}/snapshot.pages" not in paths
    assert "/calculators/dose/" in paths  # the page that started it, for use offline
    context.set_offline(True)
    page.goto("about:blank")
    link = served_copy + "calculators/dose/#dose=" + quote(json.dumps(DOSE, separators=(",", ":")), safe="")
    page.goto(link)
    w = page.locator("[data-testid='calc-dose']")
    expect(w).to_have_attribute("data-state", "ready", timeout=READY_TIMEOUT)
    request = json.dumps({"calculator": "dose", "input": DOSE})
    assert page.evaluate("r => window.CalcRuntime.call(r)", request) == browser.handle(request)
    expect(w.locator("[data-testid='calc-report']")).not_to_be_empty()


def test_a_snapshot_sent_with_brotli_is_kept_decoded_and_a_visit_without_network_starts_from_it(
    context: BrowserContext, site_copy: Path
) -> None:
    # a server set up as the hosting page says sends snapshot.pages with Content-Encoding: the worker
    # keeps that copy (decoded), not the gzip one, and the next start takes it without decompressing
    with serve(site_copy, encodings=("br", "gzip")) as port:
        base = f"http://127.0.0.1:{port}/"
        page = context.new_page()
        infos: list[str] = []
        page.on("console", lambda msg: infos.append(msg.text) if msg.type == "info" else None)
        ready_with_worker(page, base + "calculators/dose/")
        ((_, paths),) = page.evaluate(CACHES)
        (runtime,) = site_copy.glob("assets/pyodide/*/pyodide.asm.wasm")
        directory = f"/assets/pyodide/{runtime.parent.name}/"
        assert directory + "snapshot.pages" in paths and directory + "snapshot.pages.gz" not in paths
        context.set_offline(True)
        page.goto("about:blank")
        link = base + "calculators/dose/#dose=" + quote(json.dumps(DOSE, separators=(",", ":")), safe="")
        page.goto(link)
        expect(page.locator("[data-testid='calc-dose']")).to_have_attribute(
            "data-state", "ready", timeout=READY_TIMEOUT
        )
        request = json.dumps({"calculator": "dose", "input": DOSE})
        assert page.evaluate("r => window.CalcRuntime.call(r)", request) == browser.handle(request)
        assert not [line for line in infos if "snapshot" in line], infos


def test_pages_come_from_the_network_first(
    context: BrowserContext, served_copy: str, site_copy: Path
) -> None:
    page = context.new_page()
    ready_with_worker(page, served_copy + "calculators/dose/")
    index = site_copy / "calculators" / "dose" / "index.html"
    index.write_text(
        index.read_text(encoding="utf-8").replace("<head>", '<head><meta name="x-next" content="2">')
    )
    page.reload()
    assert page.locator("meta[name='x-next']").count() == 1


def test_a_new_build_takes_over_and_deletes_the_older_cache(
    context: BrowserContext, served_copy: str, site_copy: Path
) -> None:
    page = context.new_page()
    ready_with_worker(page, served_copy + "calculators/dose/")
    ((old, _),) = page.evaluate(CACHES)
    prefix, build = old.rsplit("-", 1)
    worker = site_copy / "sw.js"
    worker.write_text(worker.read_text(encoding="utf-8").replace(build, "0next000"), encoding="utf-8")
    page.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => r.update())")
    page.wait_for_function(
        f"() => caches.keys().then((keys) => keys.length === 1 && keys[0] === '{prefix}-0next000')",
        timeout=READY_TIMEOUT,
    )


def test_two_copies_on_one_host_keep_their_own_caches(
    context: BrowserContext, built_site: Path, tmp_path: Path
) -> None:
    # production and staging side by side (/a/ and /b/, two builds): Cache Storage is the origin's, so a
    # worker that deleted every older "calc-" cache took the other copy's offline calculator away
    for name, build in (("a", None), ("b", "0other00")):
        shutil.copytree(built_site, tmp_path / name)
        if build:
            worker = tmp_path / name / "sw.js"
            text = worker.read_text(encoding="utf-8")
            worker.write_text(re.sub(r'const BUILD = "[0-9a-f]{8}";', f'const BUILD = "{build}";', text))
    with serve(tmp_path) as port:
        page = context.new_page()
        ready_with_worker(page, f"http://127.0.0.1:{port}/a/calculators/dose/")
        ((a_cache, _),) = page.evaluate(CACHES)
        other = context.new_page()
        other.goto(f"http://127.0.0.1:{port}/b/calculators/dose/")
        expect(other.locator("[data-calculator]").first).to_have_attribute(
            "data-state", "ready", timeout=READY_TIMEOUT
        )
        other.wait_for_function(
            "() => caches.keys().then((ks) => ks.length === 2 && ks.some((k) => k.endsWith('-0other00')))",
            timeout=READY_TIMEOUT,
        )
        names = [name for name, _ in other.evaluate(CACHES)]
        assert a_cache in names and len({n.rsplit("-", 1)[0] for n in names}) == 2, names


def test_only_pages_of_this_build_with_a_calculator_are_kept(
    context: BrowserContext, served_copy: str, site_copy: Path
) -> None:
    # another build's page, a page without a calculator (or another application's page on the same
    # origin) are served from the network but never kept
    page = context.new_page()
    ready_with_worker(page, served_copy + "calculators/dose/")
    iene = site_copy / "calculators" / "iene" / "index.html"
    html = iene.read_text(encoding="utf-8")
    iene.write_text(re.sub(r"runtime\.[0-9a-f]{8}\.js", "runtime.00000000.js", html), encoding="utf-8")
    page.goto(served_copy + "calculators/iene/")
    page.goto(served_copy + "about/")
    page.goto(served_copy + "calculators/scenario-match/")  # of this build: kept, after the two above
    wait_until_kept(page, "/scenario-match/")
    ((_, paths),) = page.evaluate(CACHES)
    assert "/calculators/iene/" not in paths and "/about/" not in paths

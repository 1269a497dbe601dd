"""Issue 12: when the runtime starts, how it shows its progress, and that it never hangs.

The built site is served by a server that can replace one of the runtime's files by damaged bytes (or
a 404) and send files slowly; each damaged program file or library must end the start with a message
naming it within 10 s of the navigation, a damaged snapshot only costs a normal start. Inline widgets
(home, articles) start the runtime after the page has loaded, or when the reader uses the form; deep
links at once.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote

import brotli  # type: ignore[import-untyped]
import pytest
from playwright.sync_api import Page, expect

from calculator import browser

from .conftest import PageWatch

pytestmark = pytest.mark.e2e

#: What the issue allows from navigation to the message about a damaged file (ms).
FAIL_WITHIN = 10_000
READY_TIMEOUT = 60_000
DOSE = {"studies": [{"procedure": "ct-head-with", "count": 2}]}
#: Marks on the page: when the widget leaves "idle" (the runtime starts) and when the page had loaded.
MARKS = """(() => {
  const marks = window.__marks = {};
  new MutationObserver(() => {
    const calc = document.querySelector("[data-calculator]");
    if (calc && marks.start === undefined && calc.dataset.state !== "idle") marks.start = performance.now();
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-state"], childList: true});
  addEventListener("load", () => { marks.load = performance.now(); });
})();"""


class _Handler(SimpleHTTPRequestHandler):
    #: File name -> bytes to send instead (None: a 404).
    replace: ClassVar[dict[str, bytes | None]] = {}
    #: File names sent slowly, a chunk at a time.
    slow: ClassVar[frozenset[str]] = frozenset()
    #: File name -> the Content-Encoding its replacement is sent with.
    encoding: ClassVar[dict[str, str]] = {}
    #: Names of the runtime's files asked for, in order.
    asked: ClassVar[list[str]] = []

    def send_head(self) -> Any:
        name = self.path.split("?")[0].rsplit("/", 1)[-1]
        if "/assets/pyodide/" in self.path:
            self.asked.append(name)
        if name in self.replace and "/assets/pyodide/" in self.path:
            body = self.replace[name]
            if body is None:
                self.send_error(404)
                return None
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(name))
            if name in self.encoding:
                self.send_header("Content-Encoding", self.encoding[name])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        return super().send_head()

    def copyfile(self, source: Any, outputfile: Any) -> None:
        name = self.path.split("?")[0].rsplit("/", 1)[-1]
        if name not in self.slow:
            super().copyfile(source, outputfile)
            return
        while chunk := source.read(256 * 1024):
            outputfile.write(chunk)
            time.sleep(0.05)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server(built_site: Path) -> Iterator[tuple[str, type[_Handler]]]:
    """``built_site`` on 127.0.0.1 through a handler whose ``replace`` and ``slow`` a test sets."""
    attributes = {"replace": {}, "slow": frozenset(), "encoding": {}, "asked": []}
    handler_class = type("_Broken", (_Handler,), attributes)
    handler = functools.partial(handler_class, directory=str(built_site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", handler_class
    finally:
        httpd.shutdown()
        httpd.server_close()


def runtime_file(site: Path, name: str) -> bytes:
    (path,) = site.glob(f"assets/pyodide/*/{name}")
    return path.read_bytes()


def dose_link(base: str) -> str:
    return base + "calculators/dose/#dose=" + quote(json.dumps(DOSE, separators=(",", ":")), safe="")


def _damaged(site: Path) -> dict[str, tuple[dict[str, bytes | None], str]]:
    wasm, stdlib = runtime_file(site, "pyodide.asm.wasm"), runtime_file(site, "stdlib.zip")
    program = "the calculator's program file (pyodide.asm.wasm) did not load or is damaged: "
    library = "the calculator's Python library (stdlib.zip) did not load or is damaged: "
    return {
        "wasm-garbage": ({"pyodide.asm.wasm": b"<html>a proxy's login page</html>" * 300}, program),
        "wasm-cut-short": ({"pyodide.asm.wasm": wasm[: len(wasm) // 2]}, program),
        "wasm-missing": ({"pyodide.asm.wasm": None}, program + "HTTP 404"),
        "zip-cut-short": (
            {"snapshot.pages.gz": b"not a snapshot", "stdlib.zip": stdlib[: len(stdlib) // 3]},
            library + f"{len(stdlib) // 3} bytes, expected {len(stdlib)}",
        ),
        "zip-missing": ({"snapshot.pages.gz": None, "stdlib.zip": None}, library + "HTTP 404"),
    }


@pytest.mark.parametrize(
    "case", ["wasm-garbage", "wasm-cut-short", "wasm-missing", "zip-cut-short", "zip-missing"]
)
def test_a_damaged_file_ends_the_start_with_a_message_naming_it(
    page: Page, page_watch: PageWatch, server: tuple[str, type[_Handler]], built_site: Path, case: str
) -> None:
    base, handler = server
    handler.replace, text = _damaged(built_site)[case]
    # what the browser and Pyodide say about it on the console is expected here
    for noise in ("Failed to load resource", "installing the standard library", "Error", "error"):
        page_watch.allow_error(noise)
    page.add_init_script(MARKS)
    page.goto(base + "calculators/dose/", wait_until="commit")
    w = page.locator("[data-testid='calc-dose']")
    expect(w).to_have_attribute("data-state", "failed", timeout=FAIL_WITHIN)
    status = w.locator("[data-testid='calc-status']")
    expect(status).to_contain_text("The calculator could not start: " + text)
    expect(status).to_contain_text("Reload the page to try again.")
    assert page.evaluate("() => performance.now()") < FAIL_WITHIN + 2_000


def _flipped(data: bytes) -> bytes:
    """``data`` with 64 bytes in its middle inverted."""
    middle = len(data) // 2
    return data[:middle] + bytes(b ^ 0xFF for b in data[middle : middle + 64]) + data[middle + 64 :]


def _encoded(data: bytes, encoding: str) -> bytes:
    return brotli.compress(data) if encoding == "br" else gzip.compress(data)


def _started(page: Page, base: str) -> list[str]:
    """Open the dose calculator's deep link, check its answer; returns what the runtime said on the
    console (console.info)."""
    infos: list[str] = []
    page.on("console", lambda msg: infos.append(msg.text) if msg.type == "info" else None)
    page.goto(dose_link(base))
    w = page.locator("[data-testid='calc-dose']")
    expect(w).to_have_attribute("data-state", "ready", timeout=READY_TIMEOUT)
    request = json.dumps({"calculator": "dose", "input": DOSE})
    assert page.evaluate("r => window.CalcRuntime.call(r)", request) == browser.handle(request)
    return infos


@pytest.mark.parametrize("damage", ["flipped", "cut-short", "missing"])
def test_a_damaged_snapshot_costs_only_a_normal_start(
    page: Page, page_watch: PageWatch, server: tuple[str, type[_Handler]], built_site: Path, damage: str
) -> None:
    base, handler = server
    packed = runtime_file(built_site, "snapshot.pages.gz")
    middle = len(packed) // 2
    handler.replace = {
        "snapshot.pages.gz": {
            "flipped": _flipped(packed),
            "cut-short": packed[:middle],
            "missing": None,
        }[damage]
    }
    page_watch.allow_error("Failed to load resource")
    infos = _started(page, base)
    refused = [line for line in infos if "snapshot was refused" in line]
    assert len(refused) == 1 and "(snapshot.pages.gz) did not load or is damaged" in refused[0], infos


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_a_snapshot_sent_with_content_encoding_is_taken_as_the_browser_decoded_it(
    page: Page, server: tuple[str, type[_Handler]], built_site: Path, encoding: str
) -> None:
    base, handler = server
    handler.replace = {"snapshot.pages": _encoded(runtime_file(built_site, "snapshot.pages"), encoding)}
    handler.encoding = {"snapshot.pages": encoding}
    infos = _started(page, base)
    assert not [line for line in infos if "snapshot" in line], infos
    assert "snapshot.pages" in handler.asked and "snapshot.pages.gz" not in handler.asked, handler.asked
    assert "stdlib.zip" not in handler.asked  # started from the snapshot


def test_a_snapshot_sent_unencoded_is_left_for_its_gzip_copy(
    page: Page, server: tuple[str, type[_Handler]]
) -> None:
    # Python's plain server sends snapshot.pages as it is (10 MB): the runtime takes the gzip copy instead
    base, handler = server
    infos = _started(page, base)
    assert not [line for line in infos if "snapshot" in line], infos
    assert handler.asked.index("snapshot.pages") < handler.asked.index("snapshot.pages.gz"), handler.asked
    assert "stdlib.zip" not in handler.asked


@pytest.mark.parametrize("damage", ["flipped", "cut-short"])
def test_a_damaged_snapshot_sent_with_content_encoding_costs_only_a_normal_start(
    page: Page, page_watch: PageWatch, server: tuple[str, type[_Handler]], built_site: Path, damage: str
) -> None:
    # the browser decodes it, so its size and CRC-32 (from the build) are what catch the damage
    base, handler = server
    raw = runtime_file(built_site, "snapshot.pages")
    middle = len(raw) // 2
    damaged = {
        "flipped": _flipped(raw),
        "cut-short": raw[:middle],
    }[damage]
    handler.replace = {"snapshot.pages": _encoded(damaged, "br")}
    handler.encoding = {"snapshot.pages": "br"}
    infos = _started(page, base)
    why = {
        "flipped": "its CRC-32 differs from the build's",
        "cut-short": f"{middle} bytes, expected {len(raw)}",
    }
    assert [line for line in infos if "snapshot" in line] == [
        "Calculator: the start-up snapshot was refused (the calculator's start-up snapshot "
        f"(snapshot.pages) did not load or is damaged: {why[damage]}); starting without it."
    ]


def test_inline_widgets_start_the_runtime_only_after_the_page_has_loaded(page: Page, site_url: str) -> None:
    page.add_init_script(MARKS)
    page.goto(site_url)
    w = page.locator("[data-testid='calc-scenario-match']")
    expect(w).to_have_attribute("data-state", "ready", timeout=READY_TIMEOUT)  # when idle, form in view
    marks = page.evaluate("() => window.__marks")
    assert marks["start"] >= marks["load"], marks


def test_with_data_scarce_the_runtime_waits_for_the_reader_to_use_the_form(page: Page, site_url: str) -> None:
    page.add_init_script("Object.defineProperty(navigator, 'connection', {value: {saveData: true}});")
    page.goto(site_url, wait_until="load")
    w = page.locator("[data-testid='calc-scenario-match']")
    page.wait_for_timeout(2_500)  # an idle-time start would have come by now
    expect(w).to_have_attribute("data-state", "idle")
    w.locator("[data-path='text']").focus()
    expect(w).not_to_have_attribute("data-state", "idle")
    expect(w).to_have_attribute("data-state", "ready", timeout=READY_TIMEOUT)


def test_a_deep_link_into_an_article_starts_the_runtime_at_once(page: Page, site_url: str) -> None:
    page.add_init_script(MARKS)
    link = "scenarios/new-neck-pain-known-cancer/#dose=" + quote(
        json.dumps(DOSE, separators=(",", ":")), safe=""
    )
    page.goto(site_url + link)
    w = page.locator("[data-testid='calc-dose']")
    expect(w.locator("[data-testid='calc-report']")).not_to_be_empty(timeout=READY_TIMEOUT)
    marks = page.evaluate("() => window.__marks")
    assert marks["start"] <= marks["load"], marks


def test_a_slow_download_shows_its_progress_in_megabytes(
    page: Page, server: tuple[str, type[_Handler]]
) -> None:
    base, handler = server
    handler.slow = frozenset({"pyodide.asm.wasm", "snapshot.pages.gz"})
    page.goto(base + "calculators/dose/", wait_until="commit")
    status = page.locator("[data-testid='calc-dose'] [data-testid='calc-status']")
    expect(status).to_have_text(
        re.compile(r"^Loading the calculator… \d+\.\d of \d+\.\d MB$"), timeout=READY_TIMEOUT
    )
    expect(status).to_have_text(re.compile(r"^Ready: fill in the form"), timeout=READY_TIMEOUT)

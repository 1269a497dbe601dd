"""Calculator start-up benchmark (issues 4 and 12): stock Pyodide against our calculator pages.

In one run, in headless Chromium (the flags of tests/e2e), our pages served as content/pages/hosting.md
says (precompressed copies, a year of cache for hashed files: bench/_local.py), it measures:

- the bytes a first visit to the home page whose matcher is used receives, from a server with Brotli
  and gzip copies and from one with gzip only, and the seconds to the matcher's first answer on a
  phone profile (bench/_phone.py);

- stock Pyodide "hello" from node_modules/pyodide (the anchor): a tiny local page that calls
  ``loadPyodide()`` and runs ``1+1``, cold (a fresh browser profile) and warm (same profile, reload);
- our calculator page over http, cold and warm: time to ``data-state="ready"`` and to the first
  result (a deep link whose URL fragment holds a case, which the widget runs once ready);
- the offline bundle (``python build.py bundle``) unzipped and opened from file://, cold;
- click-to-result latency on a ready page, median and p95 over 20 different inputs;
- bytes and requests under ``assets/pyodide/`` on pages without a widget (must be none);
- the size of the offline bundle.

It prints every figure with its target and PASS/FAIL, and the load average before and after (figures
taken while the machine is busy are noisy); it asserts nothing and exits 0.

    .venv/bin/python bench/calculator_startup.py                  # builds a site into a temp dir
    .venv/bin/python bench/calculator_startup.py --site site --bundle dist/imaging-appropriateness-offline.zip
    .venv/bin/python bench/calculator_startup.py --runs 3 --no-bundle
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from _local import CHROMIUM, CHROMIUM_ARGS, served  # bench/ is on sys.path when run as a script
from _phone import Fetched, first_visit, phone_answer, report_visit
from playwright.sync_api import BrowserContext, Page, Playwright, Request, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_NPM = ROOT / "node_modules" / "pyodide"
#: Targets of issue 12 (which tightened those of issue 4).
COLD_SHARE = 1 / 3  # our cold ready at most this share of stock cold ready, same run (aim: 1/4)
MAX_WARM_READY_S = 0.5
MAX_FILE_READY_S = 1.5
MAX_CLICK_P95_MS = 50.0
MAX_FIRST_VISIT_BYTES = 6_000_000  # bytes received, from a server with Brotli and from one with gzip only
MAX_PHONE_ANSWER_S = 6.0
MAX_BUNDLE_BYTES = 15_000_000
TIMEOUT_MS = 120_000

#: The anchor: stock Pyodide from the npm package, as its README shows it, timed in the page.
HELLO_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Stock Pyodide hello</title>
<script src="pyodide/pyodide.js"></script></head>
<body><p id="out">loading</p>
<script>
window.__bench = {start: performance.now()};
loadPyodide({indexURL: "pyodide/"}).then((py) => {
  window.__bench.ready = performance.now();
  const value = py.runPython("1+1");
  window.__bench.first = performance.now();
  document.getElementById("out").textContent = String(value);
}, (err) => { window.__bench.failed = String(err); });
</script></body></html>
"""


#: The calculator page timed, and the case its deep link carries (restored and run once ready).
CALCULATOR = "iene"
DEEP_LINK_CASE = {
    "findings": [{"finding": "fat-projections", "certainty": "unequivocal"}],
    "recent_biopsy": "no",
}
#: Click-to-result: the dose calculator, 20 different (procedure, count) inputs, no two in a row alike.
LATENCY_PROCEDURES = ["ct-head-with", "ct-neck-with", "ct-cervical-spine-with", "xr-cervical-spine"]
LATENCY_INPUTS = [(procedure, count) for count in range(1, 6) for procedure in LATENCY_PROCEDURES]
#: Pages checked for Pyodide downloads, opened without scrolling or touching anything. Every article
#: has an inline widget (started when scrolled into view); FAQ pages are article-like pages without one.
BYTE_PAGES = ["about/", "lookup/", "procedures/", "topics/", "faq/", "topics/brain-tumors/faq/",
              "scenarios/new-neck-pain-known-cancer/"]  # fmt: skip
PYODIDE_PATH = "/assets/pyodide/"
GLUE_PATH = "/assets/calc/"
#: Page-side marks for our pages (an init script, so it runs before any of the page's own code):
#: when the widget's section leaves data-state="idle" (the runtime starts), says "ready", and when a
#: report first has text.
MARKS_SCRIPT = """(() => {
  const marks = window.__bench = {};
  const check = () => {
    const calc = document.querySelector("[data-calculator][data-state]");
    if (!calc) return;
    const now = performance.now();
    if (marks.start === undefined && calc.dataset.state !== "idle") marks.start = now;
    if (marks.ready === undefined && calc.dataset.state === "ready") marks.ready = now;
    if (calc.dataset.state === "failed") marks.failed = "data-state=failed";
    const report = calc.querySelector("[data-testid='calc-report']");
    if (marks.first === undefined && report && report.textContent.trim()) marks.first = now;
  };
  const options = {subtree: true, childList: true, attributes: true, characterData: true};
  new MutationObserver(check).observe(document, options);
})();"""
#: Click-to-result stopwatch: the next pointerdown starts it; a report with new text stops it.
STOPWATCH = """() => { window.__lap = new Promise((resolve) => {
  const result = document.querySelector("[data-testid='calc-result']");
  const text = () => (result.querySelector("[data-testid='calc-report']") || {textContent: ""}).textContent;
  const before = text();
  let start = null;
  document.addEventListener("pointerdown", () => { start = performance.now(); }, {capture: true, once: true});
  const observer = new MutationObserver(() => {
    if (start !== null && text().trim() && text() !== before) {
      observer.disconnect();
      resolve(performance.now() - start);
    }
  });
  observer.observe(result, {subtree: true, childList: true, characterData: true});
}); }"""


@dataclass(frozen=True)
class Timing:
    """Seconds from navigation start to the runtime starting, being ready, and the first result."""

    start: float
    ready: float
    first: float


@dataclass
class ColdWarm:
    cold: list[Timing]
    warm: list[Timing]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# --- serving ------------------------------------------------------------------------------------


# --- browser ------------------------------------------------------------------------------------


@contextlib.contextmanager
def fresh_profile(pw: Playwright, init_script: str | None = None) -> Iterator[BrowserContext]:
    """A browser on a new, empty profile directory: nothing in its HTTP or code cache (truly cold). A
    service worker may register, as on any visit: a warm reload then starts from its cache."""
    profile = Path(tempfile.mkdtemp(prefix="calc-bench-profile-"))
    context = pw.chromium.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        service_workers="allow",
        viewport={"width": 1280, "height": 900},
    )
    try:
        if init_script:
            context.add_init_script(init_script)
        yield context
    finally:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)


def read_marks(page: Page) -> Timing:
    """Wait until the page recorded its first result in ``window.__bench``, then read the marks."""
    page.wait_for_function(
        "() => window.__bench && (window.__bench.first !== undefined || window.__bench.failed)",
        timeout=TIMEOUT_MS,
    )
    marks = page.evaluate("() => window.__bench")
    if marks.get("failed"):
        raise RuntimeError(f"{page.url}: the runtime failed: {marks['failed']}")
    return Timing(marks["start"] / 1000, marks["ready"] / 1000, marks["first"] / 1000)


def cold_and_warm(
    pw: Playwright, url: str, runs: int, init_script: str | None = None, warm: bool = True
) -> ColdWarm:
    """``runs`` fresh profiles: each opens ``url`` cold, then reloads it once (warm)."""
    result = ColdWarm([], [])
    for _ in range(runs):
        with fresh_profile(pw, init_script) as context:
            page = context.new_page()
            page.goto(url)
            result.cold.append(read_marks(page))
            if warm:
                page.wait_for_timeout(1_000)  # the service worker, registered once ready, keeps its copies
                page.reload()
                result.warm.append(read_marks(page))
    return result


def stock_hello(pw: Playwright, runs: int) -> ColdWarm:
    """Stock Pyodide from the npm package, served with the hello page from a temporary folder by the same
    server as our pages."""
    with tempfile.TemporaryDirectory(prefix="calc-bench-stock-") as tmp:
        (Path(tmp) / "index.html").write_text(HELLO_HTML, encoding="utf-8")
        (Path(tmp) / "pyodide").symlink_to(PYODIDE_NPM, target_is_directory=True)
        with served(Path(tmp), deployed=True) as url:
            return cold_and_warm(pw, url, runs)


# --- our pages ----------------------------------------------------------------------------------


def deep_link(base: str, name: str, case: dict[str, Any]) -> str:
    """The calculator page under ``base`` with ``case`` in its fragment, as the widget keeps it."""
    return f"{base}calculators/{name}/index.html#{name}={quote(json.dumps(case), safe='')}"


def build_site(into: Path) -> Path:
    """Build the project's site into ``into``/site with ``build.py build --site-dir``."""
    site = into / "site"
    print(f"building the site into {site} …", flush=True)
    cmd = [sys.executable, str(ROOT / "build.py"), "build", "--site-dir", str(site)]
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return site


def offline_bundle(into: Path, archive: Path | None) -> tuple[Path, int] | None:
    """``archive`` (default: a fresh ``build.py bundle``) unzipped into ``into``: the folder holding its
    index.html and the zip's size, or None (after saying why) when the bundle could not be built."""
    if archive is None:
        archive = into / "bundle.zip"
        print("building the offline bundle …", flush=True)
        cmd = [sys.executable, str(ROOT / "build.py"), "bundle", "--out", str(archive)]
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0 or not archive.is_file():
            tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
            print(f"  not measured: build.py bundle exited with {done.returncode}:", *tail, sep="\n  ")
            return None
    with zipfile.ZipFile(archive) as z:
        z.extractall(into)
    return min(into.rglob("index.html"), key=lambda path: len(path.parts)).parent, archive.stat().st_size


def click_latency(pw: Playwright, base: str) -> list[float]:
    """Milliseconds from pointerdown on the submit button to a new report, one per LATENCY_INPUTS."""
    laps = []
    with fresh_profile(pw) as context:
        page = context.new_page()
        page.goto(base + "calculators/dose/")
        page.locator("[data-testid='calc-dose'][data-state='ready']").wait_for(timeout=TIMEOUT_MS)
        for procedure, count in LATENCY_INPUTS:
            page.locator("[data-path='studies[0].procedure']").select_option(procedure)
            page.locator("[data-path='studies[0].count']").fill(str(count))
            page.evaluate(STOPWATCH)
            page.locator("[data-testid='calc-submit']").click()
            laps.append(page.evaluate("() => window.__lap"))
    return laps


@dataclass(frozen=True)
class Downloads:
    """What one page fetched, untouched, under assets/pyodide/ and assets/calc/."""

    path: str
    widget: bool  # its HTML holds a calculator widget (the byte target is for pages without one)
    pyodide_bytes: int
    pyodide_requests: int
    glue_bytes: int


def downloads(pw: Playwright, site: Path, base: str) -> list[Downloads]:
    """Each of BYTE_PAGES in a fresh profile, waited on 2 s past network idle, never scrolled."""
    found = []
    for path in BYTE_PAGES:
        sizes: dict[str, int] = {}
        with fresh_profile(pw) as context:
            page = context.new_page()
            page.on("requestfinished", functools.partial(_record_size, sizes))
            page.goto(base + path, wait_until="networkidle")
            page.wait_for_timeout(2_000)  # an idle-time start (requestIdleCallback, 2 s at most) would show
        pyodide = [n for url, n in sizes.items() if PYODIDE_PATH in url]
        glue = sum(n for url, n in sizes.items() if GLUE_PATH in url)
        widget = "data-calculator=" in (site / path / "index.html").read_text(encoding="utf-8")
        found.append(Downloads(path, widget, sum(pyodide), len(pyodide), glue))
    return found


def _record_size(sizes: dict[str, int], request: Request) -> None:
    sizes[request.url] = request.sizes()["responseBodySize"]


# --- report -------------------------------------------------------------------------------------


@dataclass
class Figures:
    stock: ColdWarm
    ours: ColdWarm
    offline: list[Timing]
    laps: list[float]
    pages: list[Downloads]
    visits: dict[str, list[Fetched]]  # server's encodings -> the first visit's responses
    phone: list[float]
    bundle: int | None


def row(label: str, timings: list[Timing]) -> str:
    if not timings:
        return f"  {label:<38} not measured"
    start, first = median([t.start for t in timings]), median([t.first for t in timings])
    each = ", ".join(f"{t.ready:.2f}" for t in timings)
    return (
        f"  {label:<38} start {start:5.2f} s  ready {ready_of(timings):5.2f} s  first result {first:5.2f} s"
        f"  (ready per run: {each})"
    )


def ready_of(timings: list[Timing]) -> float:
    return median([t.ready for t in timings])


def targets(f: Figures) -> list[tuple[bool, str, str]]:
    """(met, target, figure) for each target that was measured."""
    found = []
    for server, visit in f.visits.items():
        total = sum(x.wire for x in visit)
        limit = f"first visit ≤ {MAX_FIRST_VISIT_BYTES / 1e6:g} MB received, server with {server}"
        found.append((total <= MAX_FIRST_VISIT_BYTES, limit, f"{total / 1e6:.2f} MB"))
    if f.phone:
        answer = median(f.phone)
        limit = f"phone: page load to first matcher answer ≤ {MAX_PHONE_ANSWER_S:g} s"
        found.append((answer <= MAX_PHONE_ANSWER_S, limit, f"{answer:.2f} s"))
    if f.stock.cold and f.ours.cold:
        cold = COLD_SHARE * ready_of(f.stock.cold)
        share = ready_of(f.ours.cold) / ready_of(f.stock.cold)
        found.append((ready_of(f.ours.cold) <= cold, f"cold ready ≤ 1/3 of stock ({cold:.2f} s; aim 1/4)",
                      f"{ready_of(f.ours.cold):.2f} s = {share:.2f} of stock"))  # fmt: skip
    if f.ours.warm:
        warm = ready_of(f.ours.warm)
        found.append((warm <= MAX_WARM_READY_S, f"warm ready ≤ {MAX_WARM_READY_S} s", f"{warm:.2f} s"))
    if f.offline:
        cold = ready_of(f.offline)
        found.append(
            (cold <= MAX_FILE_READY_S, f"file:// cold ready ≤ {MAX_FILE_READY_S:g} s", f"{cold:.2f} s")
        )
    if f.laps:
        slow = p95(f.laps)
        found.append(
            (slow <= MAX_CLICK_P95_MS, f"click-to-result p95 ≤ {MAX_CLICK_P95_MS:g} ms", f"{slow:.1f} ms")
        )
    if f.bundle is not None:
        found.append((f.bundle <= MAX_BUNDLE_BYTES, f"offline bundle ≤ {MAX_BUNDLE_BYTES / 1e6:g} MB",
                      f"{f.bundle / 1e6:.2f} MB"))  # fmt: skip
    for page in f.pages:
        if not page.widget:
            none = page.pyodide_bytes == 0 and page.pyodide_requests == 0
            found.append((none, f"no Pyodide bytes on {page.path}", f"{page.pyodide_bytes} bytes"))
    return found


def report(f: Figures, runs: int) -> None:
    report_visit(f.visits, f.phone)
    print(f"navigation → runtime ready / first result, median of {runs} run(s); {CHROMIUM}, "
          f"{os.cpu_count()} cores")  # fmt: skip
    print(row("stock Pyodide hello, cold", f.stock.cold))
    print(row("stock Pyodide hello, warm", f.stock.warm))
    print(row(f"calculators/{CALCULATOR}/ http, cold", f.ours.cold))
    print(row(f"calculators/{CALCULATOR}/ http, warm", f.ours.warm))
    print(row("offline bundle file://, cold", f.offline))
    if f.laps:
        print(f"  click-to-result (dose, {len(f.laps)} inputs): median {median(f.laps):.1f} ms, "
              f"p95 {p95(f.laps):.1f} ms, max {max(f.laps):.1f} ms")  # fmt: skip
    for page in f.pages:
        kind = "widget" if page.widget else "no widget"
        print(f"  {page.path:<38} {kind:<9}  assets/pyodide/: {page.pyodide_bytes:,} bytes in "
              f"{page.pyodide_requests} requests; assets/calc/: {page.glue_bytes:,} bytes")  # fmt: skip
    if f.bundle is not None:
        print(f"  offline bundle: {f.bundle / 1e6:.2f} MB zipped")
    print("targets (issue 12):")
    for met, target, figure in targets(f):
        print(f"  {'PASS' if met else 'FAIL'}  {target}: {figure}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=None, help="an existing build (else one is built)")
    parser.add_argument("--runs", type=int, default=1, help="cold/warm repetitions (medians are shown)")
    parser.add_argument(
        "--bundle", type=Path, default=None, help="an existing bundle zip (else one is built)"
    )
    parser.add_argument("--no-bundle", action="store_true", help="skip the offline bundle (file://)")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"not measured: no browser at {CHROMIUM}")
        return 0
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    with tempfile.TemporaryDirectory(prefix="calc-bench-") as tmp:
        site = args.site.resolve() if args.site else build_site(Path(tmp))
        bundle = None if args.no_bundle else offline_bundle(Path(tmp) / "bundle", args.bundle)
        with sync_playwright() as pw, served(site, deployed=True) as base:
            print("measuring …", flush=True)
            visits = {"Brotli and gzip": first_visit(pw, site, base)}
            with served(site, deployed=True, encodings=("gzip",)) as gzip_only:
                visits["gzip only"] = first_visit(pw, site, gzip_only)
            phone = [phone_answer(pw, base) for _ in range(args.runs)]
            stock = stock_hello(pw, args.runs)
            link = deep_link(base, CALCULATOR, DEEP_LINK_CASE)
            ours = cold_and_warm(pw, link, args.runs, MARKS_SCRIPT)
            offline = ColdWarm([], [])
            if bundle is not None:
                link = deep_link(bundle[0].as_uri() + "/", CALCULATOR, DEEP_LINK_CASE)
                offline = cold_and_warm(pw, link, args.runs, MARKS_SCRIPT, warm=False)
            laps, pages = click_latency(pw, base), downloads(pw, site, base)
            size = bundle[1] if bundle else None
            figures = Figures(stock, ours, offline.cold, laps, pages, visits, phone, size)
    report(figures, args.runs)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

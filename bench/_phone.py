"""The phone side of bench/calculator_startup.py: what a first visit downloads, and how long a phone on
hospital Wi-Fi waits for its first answer.

- ``first_visit``: every request of one first visit (fresh profile, the documented server), each file
  counted at the size of its gzip copy (what a server set up as content/pages/hosting.md sends; files
  compressed already count as they are), and at its Brotli copy for comparison;
- ``phone_answer``: the home page on a phone profile set through the Chrome DevTools Protocol (4x CPU
  slowdown, 10 Mbit/s down, 40 ms round trip), a question typed into the matcher as soon as the page
  can take it; seconds from navigation to the matcher's answer.
"""

from __future__ import annotations

import gzip
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import brotli  # type: ignore[import-untyped]
from _local import CHROMIUM, CHROMIUM_ARGS
from playwright.sync_api import BrowserContext, CDPSession, Page, Playwright

#: The phone profile of issue 12.
CPU_SLOWDOWN = 4
DOWN_BITS = 10_000_000
ROUND_TRIP_MS = 40
QUESTION = "perineural spread facial numbness after skin cancer"
TIMEOUT_MS = 120_000
#: Files that are compressed already: they travel as they are.
COMPRESSED = (".gz", ".png", ".jpg", ".ico", ".woff2", ".zip")


@dataclass(frozen=True)
class Fetched:
    """One file of a first visit: its site path, its size, and its size as a server sends it."""

    path: str
    raw: int
    gzip: int
    brotli: int


def _wire_sizes(site: Path, path: str) -> Fetched | None:
    rel = path.lstrip("/")
    file = site / rel
    if file.is_dir() or rel == "" or rel.endswith("/"):
        file = file / "index.html"
    if not file.is_file():
        return None
    data = file.read_bytes()
    if file.suffix in COMPRESSED:
        return Fetched(path, len(data), len(data), len(data))
    gz, br = file.with_name(file.name + ".gz"), file.with_name(file.name + ".br")
    size_gz = gz.stat().st_size if gz.is_file() else len(gzip.compress(data, 9))
    size_br = br.stat().st_size if br.is_file() else len(brotli.compress(data))
    return Fetched(path, len(data), size_gz, size_br)


def _use_matcher(page: Page) -> None:
    """Type the question into the home page's matcher and submit it, as soon as the form is there."""
    w = page.locator("[data-testid='calc-scenario-match']")
    field = w.locator("[data-path='text']")
    field.wait_for(timeout=TIMEOUT_MS)
    field.fill(QUESTION)
    w.locator("[data-testid='calc-submit']").click()


def _answer(page: Page) -> float:
    """Seconds from navigation to the matcher's answer (its headline shown)."""
    headline = page.locator("[data-testid='calc-scenario-match'] [data-testid='calc-headline']")
    headline.wait_for(timeout=TIMEOUT_MS)
    return float(page.evaluate("() => performance.now()")) / 1000


def _fresh(pw: Playwright) -> tuple[BrowserContext, Path]:
    profile = Path(tempfile.mkdtemp(prefix="calc-bench-phone-"))
    context = pw.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
    )  # fmt: skip
    return context, profile


def first_visit(pw: Playwright, site: Path, base: str) -> list[Fetched]:
    """Every file of a first visit to the home page whose matcher is used, with its sizes."""
    context, profile = _fresh(pw)
    paths: list[str] = []
    try:
        page = context.new_page()
        context.on("request", lambda request: paths.append(urlsplit(request.url).path))
        page.goto(base)
        _use_matcher(page)
        _answer(page)
        page.wait_for_timeout(500)  # whatever the page fetches right after its answer counts too
    finally:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)
    found = [_wire_sizes(site, path) for path in dict.fromkeys(paths)]
    return [f for f in found if f is not None]


def _throttle(session: CDPSession) -> None:
    session.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    session.send("Network.enable")
    rate = DOWN_BITS / 8
    # the page's network conditions hold for its calculator worker too (measured: a throttled first
    # visit takes as long as its bytes at this rate)
    conditions = {"latency": ROUND_TRIP_MS, "downloadThroughput": rate, "uploadThroughput": rate / 2}
    session.send("Network.emulateNetworkConditions", {"offline": False, **conditions})


def phone_answer(pw: Playwright, base: str) -> float:
    """Seconds from navigation to the first matcher answer on the phone profile, cold."""
    context, profile = _fresh(pw)
    try:
        page = context.new_page()
        session = context.new_cdp_session(page)
        _throttle(session)
        page.goto(base, wait_until="commit")
        _use_matcher(page)
        return _answer(page)
    finally:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)


def report_visit(visit: list[Fetched], phone: list[float]) -> None:
    """The first visit, file by file, and the phone's waits."""
    if visit:
        print(f"first visit to the home page, matcher used: {len(visit)} files, at gzip (Brotli) size")
        for x in sorted(visit, key=lambda x: -x.gzip):
            if x.gzip >= 10_000:
                print(f"  {x.path:<58} {x.gzip / 1e6:6.2f} MB ({x.brotli / 1e6:.2f}; file {x.raw / 1e6:.2f})")
        rest = [x for x in visit if x.gzip < 10_000]
        print(f"  {len(rest)} files under 10 kB{'':<38} {sum(x.gzip for x in rest) / 1e6:6.2f} MB")
        print(f"  total{'':<53} {sum(x.gzip for x in visit) / 1e6:6.2f} MB "
              f"({sum(x.brotli for x in visit) / 1e6:.2f} MB with Brotli)")  # fmt: skip
    if phone:
        each = ", ".join(f"{s:.2f}" for s in phone)
        print(f"phone profile ({CPU_SLOWDOWN}x CPU, {DOWN_BITS / 1e6:g} Mbit/s, {ROUND_TRIP_MS} ms RTT): "
              f"navigation → first matcher answer, per run: {each} s")  # fmt: skip

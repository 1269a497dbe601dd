"""The phone side of bench/calculator_startup.py: what a first visit downloads, and how long a phone on
hospital Wi-Fi waits for its first answer.

- ``first_visit``: every request of one first visit (fresh profile, the documented server), each file
  counted at the bytes its response body brought as the browser received it (``Content-Encoding``
  applied); run once against a server that sends Brotli and gzip copies, once against one with gzip only;
- ``phone_answer``: the home page on a phone profile set through the Chrome DevTools Protocol (4x CPU
  slowdown, 10 Mbit/s down, 40 ms round trip), a question typed into the matcher as soon as the page
  can take it; seconds from navigation to the matcher's answer.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from _local import CHROMIUM, CHROMIUM_ARGS
from playwright.sync_api import BrowserContext, CDPSession, Page, Playwright, Request

#: The phone profile of issue 12.
CPU_SLOWDOWN = 4
DOWN_BITS = 10_000_000
ROUND_TRIP_MS = 40
QUESTION = "perineural spread facial numbness after skin cancer"
TIMEOUT_MS = 120_000


@dataclass(frozen=True)
class Fetched:
    """One response of a first visit: its site path, its file's size, and the bytes its body brought
    as the browser received them, with the Content-Encoding it came with."""

    path: str
    raw: int
    wire: int
    encoding: str


def _file_size(site: Path, path: str) -> int:
    rel = path.lstrip("/")
    file = site / rel
    if file.is_dir() or rel == "" or rel.endswith("/"):
        file = file / "index.html"
    return file.stat().st_size if file.is_file() else 0


def _received(site: Path, found: list[Fetched], request: Request) -> None:
    response = request.response()
    if response is None:
        return
    path = urlsplit(request.url).path
    encoding = response.headers.get("content-encoding", "")
    found.append(Fetched(path, _file_size(site, path), request.sizes()["responseBodySize"], encoding))


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
    """Every response of a first visit to the home page whose matcher is used, with its bytes received
    (its calculator worker's downloads included)."""
    context, profile = _fresh(pw)
    found: list[Fetched] = []
    try:
        page = context.new_page()
        page.on("requestfinished", lambda request: _received(site, found, request))
        page.goto(base)
        _use_matcher(page)
        _answer(page)
        page.wait_for_timeout(1_000)  # whatever the page fetches right after its answer counts too
    finally:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)
    return found


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


def report_visit(visits: dict[str, list[Fetched]], phone: list[float]) -> None:
    """Each first visit (by the server's encodings), response by response, and the phone's waits."""
    for server, visit in visits.items():
        print(f"first visit to the home page, matcher used, from a server with {server}: {len(visit)} "
              "responses, bytes received (Content-Encoding)")  # fmt: skip
        for x in sorted(visit, key=lambda x: -x.wire):
            if x.wire >= 10_000:
                how = x.encoding or "unencoded"
                print(f"  {x.path:<58} {x.wire / 1e6:6.2f} MB ({how}; file {x.raw / 1e6:.2f})")
        rest = [x for x in visit if x.wire < 10_000]
        print(f"  {len(rest)} responses under 10 kB{'':<34} {sum(x.wire for x in rest) / 1e6:6.2f} MB")
        print(f"  total{'':<53} {sum(x.wire for x in visit) / 1e6:6.2f} MB")
    if phone:
        each = ", ".join(f"{s:.2f}" for s in phone)
        print(f"phone profile ({CPU_SLOWDOWN}x CPU, {DOWN_BITS / 1e6:g} Mbit/s, {ROUND_TRIP_MS} ms RTT): "
              f"navigation → first matcher answer, per run: {each} s")  # fmt: skip

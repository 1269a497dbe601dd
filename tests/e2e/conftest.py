"""Browser fixtures: the built site on a local static server, driven by headless Chromium.

Every test that uses ``page`` fails on a console error, an uncaught page error, a violation of the
pages' Content-Security-Policy, or a request to a host other than this machine (such requests are
also aborted, so none ever leaves).
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Request, Route, sync_playwright

#: Debian's chromium; $CHROMIUM names another Chromium-based browser (Google Chrome on GitHub's images).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# No background traffic of the browser's own (updates, sync, field trials) may count as the site's.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
#: In every frame of every page, before its own scripts: each Content-Security-Policy violation becomes a
#: console error (which fails the test, see ``page``) and is kept in ``window.__csp`` for the tests that
#: provoke one on purpose.
CSP_WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push({directive: e.violatedDirective, blocked: e.blockedURI, policy: e.originalPolicy});
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline code"}`);
}, true);
"""
#: Run in a page or frame (``evaluate``): an inline script and an inline style, which its policy refuses.
PROVOKE = """() => {
  const script = document.createElement("script");
  script.textContent = "window.__inlineRan = true;";
  document.head.append(script);
  document.body.setAttribute("style", "outline: 1px solid red");
}"""
_WATCH = pytest.StashKey["PageWatch"]()


@dataclass
class PageWatch:
    """What a page did that a test must not allow, plus every address it requested."""

    requests: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: Console errors a test provokes on purpose (a negative control), which it checks itself.
    provoked: list[re.Pattern[str]] = field(default_factory=list)

    def allow_error(self, pattern: str) -> None:
        """Let console errors matching ``pattern`` (a regular expression) pass the after-test check."""
        self.provoked.append(re.compile(pattern))

    def problems(self) -> list[str]:
        errors = [e for e in self.errors if not any(p.search(e) for p in self.provoked)]
        return [f"request to another host: {url}" for url in self.outside] + errors


def is_local(url: str) -> bool:
    """True for this machine's addresses and for schemes that reach no host (data:, blob:, about:)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "ws", "wss"):
        return True
    return parts.hostname in LOCAL_HOSTS


class _QuietHandler(SimpleHTTPRequestHandler):
    #: Response headers sent with every file (the CSP of the embed tests); none by default.
    extra_headers: Mapping[str, str] = {}
    #: Content-Encoding tokens ("br", "gzip") whose precompressed copy (``name.br``, ``name.gz``) is sent
    #: instead of a file when the browser accepts it, as content/pages/hosting.md sets servers up.
    encodings: tuple[str, ...] = ()

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        accepted = self.headers.get("Accept-Encoding", "")
        for token in self.encodings:
            copy = path.with_name(path.name + {"br": ".br", "gzip": ".gz"}[token])
            if token in accepted and path.is_file() and copy.is_file():
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(str(path)))
                self.send_header("Content-Encoding", token)
                self.send_header("Content-Length", str(copy.stat().st_size))
                self.end_headers()
                return copy.open("rb")
        return super().send_head()

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keeps the test output readable; Playwright records every request instead


@contextlib.contextmanager
def serve(
    directory: Path, headers: Mapping[str, str] | None = None, encodings: tuple[str, ...] = ()
) -> Iterator[int]:
    """Serve ``directory`` on 127.0.0.1 at a free port (yielded), adding ``headers`` to every response
    and sending the precompressed copies of ``encodings`` (see ``_QuietHandler.encodings``).

    The same server answers as http://127.0.0.1:PORT and http://localhost:PORT, which browsers treat
    as two origins: the embed tests put the site on one and the embedding page on the other.
    """
    attributes = {"extra_headers": dict(headers or {}), "encodings": encodings}
    handler_class = type("_Handler", (_QuietHandler,), attributes)
    handler = functools.partial(handler_class, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """Base address (with trailing slash) of ``built_site`` served on 127.0.0.1 at a free port."""
    with serve(built_site) as port:
        yield f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no browser at {CHROMIUM}: run ./scripts/test, which installs Debian's chromium")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page_watch(request: pytest.FixtureRequest) -> PageWatch:
    """The record of what ``page`` requested and reported; checked after every test that uses it."""
    watch = PageWatch()
    request.node.stash[_WATCH] = watch
    return watch


@pytest.fixture
def page(browser: Browser, page_watch: PageWatch) -> Iterator[Page]:
    """A fresh page whose console errors, page errors and outside requests fail the test."""
    watch = page_watch
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")

    def on_request(req: Request) -> None:
        watch.requests.append(req.url)

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            where = msg.location.get("url", "")
            watch.errors.append(f"console error: {msg.text}" + (f" ({where})" if where else ""))

    def guard(route: Route) -> None:
        # Abort instead of letting the request try to leave; the test fails on it below.
        if is_local(route.request.url):
            route.continue_()
        else:
            watch.outside.append(route.request.url)
            route.abort("blockedbyclient")

    context.on("request", on_request)
    context.route("**/*", guard)
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    page.on("console", on_console)
    page.on("pageerror", lambda exc: watch.errors.append(f"uncaught page error: {exc}"))
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    # Checked after the test body so that a misbehaving page fails the test itself, not its teardown.
    result = yield
    watch = item.stash.get(_WATCH, None)
    if watch is not None and watch.problems():
        pytest.fail("the page misbehaved:\n  " + "\n  ".join(watch.problems()), pytrace=False)
    return result

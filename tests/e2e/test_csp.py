"""Issue 9, finding 3: every page works under its Content-Security-Policy, served and from disk.

The page fixture fails a test on any policy violation (tests/e2e/conftest.py), so every other browser
test checks its pages too; here every page of both sites is opened once, the policy is shown to be
applied (an injected inline script is refused), the server headers of hosting.md refuse framing,
and the hostile data of ``hostile_site`` runs no script even with the policy switched off.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import PROVOKE, PageWatch, serve

pytestmark = pytest.mark.e2e

HOSTING_DOC = Path(__file__).resolve().parents[2] / "content" / "pages" / "hosting.md"
REFUSED = r"violates the following Content Security Policy directive|CSP violation: "


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_every_served_page_loads_without_a_violation(page: Page, site_url: str, built_site: Path) -> None:
    for rel in _pages(built_site):
        page.goto(site_url + rel, wait_until="load")
        assert page.evaluate("() => window.__csp.length") == 0, rel


def test_every_page_from_disk_loads_without_a_violation(page: Page, offline_site: Path) -> None:
    # 404.html is for servers (it links the site root absolutely); no link leads to it from disk
    for rel in [r for r in _pages(offline_site) if r != "404.html"]:
        page.goto((offline_site / rel).as_uri(), wait_until="load")
        assert page.evaluate("() => window.__csp.length") == 0, rel


@pytest.mark.parametrize("where", ["served", "disk"])
def test_the_policy_is_applied(
    page: Page, page_watch: PageWatch, site_url: str, offline_site: Path, where: str
) -> None:
    # Negative control: an inline script and an inline style put into a page are refused.
    page_watch.allow_error(REFUSED)
    page.goto(site_url + "about/" if where == "served" else (offline_site / "about.html").as_uri())
    page.evaluate(PROVOKE)
    page.wait_for_function("() => window.__csp.length >= 2")
    assert page.evaluate("() => window.__inlineRan === true") is False
    directives = sorted(v["directive"] for v in page.evaluate("() => window.__csp"))
    assert directives == ["script-src-elem", "style-src-attr"]


def documented_headers() -> dict[str, str]:
    text = HOSTING_DOC.read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"^```text\n(.*?)^```", text, re.M | re.S) if "frame-ancestors" in b]
    return dict(line.split(": ", 1) for line in block.strip().splitlines())


def test_the_documented_headers_refuse_framing_and_keep_pages_working(
    page: Page, page_watch: PageWatch, built_site: Path, tmp_path: Path
) -> None:
    page_watch.allow_error(r"(Framing|Refused to (display|frame)) .*(frame-ancestors|X-Frame-Options)")
    with serve(built_site, documented_headers()) as site_port:
        page.goto(f"http://127.0.0.1:{site_port}/about/")
        expect(page.locator("h1")).to_have_text(re.compile("About"))
        (tmp_path / "frame.html").write_text(
            f'<!doctype html><title>x</title><iframe src="http://127.0.0.1:{site_port}/about/"></iframe>',
            encoding="utf-8",
        )
        with serve(tmp_path) as other_port:  # another origin: localhost, another port
            page.goto(f"http://localhost:{other_port}/frame.html")
            frame = page.locator("iframe").element_handle().content_frame()
            assert frame is not None
            frame.wait_for_load_state()
            assert frame.locator("[data-md-component=header]").count() == 0  # the browser's error page
    assert any(re.search("frame-ancestors|X-Frame-Options", e) for e in page_watch.errors), page_watch.errors


def test_hostile_text_runs_no_script_even_without_the_policy(browser: Browser, hostile_site: Path) -> None:
    # The text policy alone must hold: the browser here ignores the pages' Content-Security-Policy.
    context = browser.new_context(bypass_csp=True, service_workers="block")
    dialogs: list[str] = []
    context.on("page", lambda p: p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss())))
    try:
        with serve(hostile_site) as port:
            page = context.new_page()
            for rel in _pages(hostile_site):
                page.goto(f"http://127.0.0.1:{port}/{rel}", wait_until="load")
                page.wait_for_timeout(50)  # room for an onerror handler of a broken image to fire
    finally:
        context.close()
    assert dialogs == []

"""Issue 11: the embed page builds a pre-filled snippet with the host's policy line, and that snippet
works on an intranet page with its own strict Content-Security-Policy (default-src 'self', no inline
script or style) once the page names the site in frame-src and script-src, as embed.md says; a
negative control shows the frame refused without frame-src.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from .conftest import PageWatch, serve
from .test_embed import CSP, REFUSED

pytestmark = pytest.mark.e2e

EMBED_DOC = Path(__file__).resolve().parents[2] / "content" / "pages" / "embed.md"
IENE_INPUT = {"findings": [{"finding": "fat-projections", "certainty": "unequivocal"}], "recent_biopsy": "no"}


@dataclass(frozen=True)
class Strict:
    site: str  # the site, served with the embed pages' documented policy naming ``host``
    host: str  # the intranet, whose page carries its own strict policy (a meta tag)
    host_dir: Path


@pytest.fixture(scope="module")
def strict(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Strict]:
    host_dir = tmp_path_factory.mktemp("strict-intranet")
    (host_dir / "favicon.ico").write_bytes(b"")  # from 'self': the strict policy refuses a data: icon
    with serve(host_dir) as host_port:
        host = f"http://127.0.0.1:{host_port}"
        with serve(built_site, {"Content-Security-Policy": CSP.format(intranet=host)}) as site_port:
            yield Strict(f"http://localhost:{site_port}", host, host_dir)


def builder_output(page: Page, site: str, host: str, calculator: str, prefill: str) -> dict[str, str]:
    page.locator("[data-testid='builder-calculator']").select_option(calculator)
    page.locator("[data-testid='builder-site']").fill(site)
    page.locator("[data-testid='builder-host']").fill(host)
    page.locator("[data-testid='builder-prefill']").fill(prefill)
    return {
        key: page.locator(f"[data-testid='builder-{key}']").inner_text()
        for key in ("snippet", "host-csp", "site-csp", "status")
    }


def host_page(snippet: str, policy: str) -> str:
    """An intranet page holding the snippet under its own policy, and nothing inline."""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        '<title>Ward tools</title><link rel="icon" href="favicon.ico"></head>\n'
        f"<body><h1>Ward tools</h1>\n{snippet}\n</body></html>\n"
    )


def test_the_builder_makes_the_snippet_and_both_policy_lines(page: Page, site_url: str) -> None:
    page.goto(site_url + "embed/")
    builder = page.locator("[data-testid='embed-builder']")
    expect(builder).to_be_visible()
    # served, it offers this very site's address
    expect(page.locator("[data-testid='builder-site']")).to_have_value(site_url)
    link = f"{site_url}calculators/iene/#iene=" + quote(json.dumps(IENE_INPUT), safe="")
    out = builder_output(
        page, "https://imaging.example.org/tools/", "https://intranet.example.org/ward", "dose", link
    )
    # the link names its calculator: the builder follows it
    expect(page.locator("[data-testid='builder-calculator']")).to_have_value("iene")
    fragment = "#iene=" + quote(json.dumps(IENE_INPUT, separators=(",", ":")), safe="")
    site = "https://imaging.example.org/tools/"
    assert out["snippet"] == (
        f'<iframe src="{site}embed/iene/{fragment}" title="iENE grade (HNCIG 2024, task-force refinement)"'
        ' data-calc-embed\n        height="700" loading="lazy" allow="clipboard-write"></iframe>\n'
        f'<script src="{site}assets/js/embed-host.js" defer></script>'
    )
    assert out["host-csp"] == (
        "Content-Security-Policy: frame-src https://imaging.example.org; script-src 'self' https://imaging.example.org"
    )
    assert out["site-csp"] == "Content-Security-Policy: " + CSP.format(
        intranet="https://intranet.example.org"
    )
    assert out["status"].startswith("Ready to copy")
    bad = builder_output(page, "imaging.example.org", "https://intranet.example.org", "dose", "{not json")
    assert "must be a plain web address starting with https:// or http://" in bad["status"]
    assert "could not be read as JSON" in bad["status"]
    # the documented host line is the builder's, for the placeholder addresses
    documented = re.search(r"^Content-Security-Policy: frame-src .*$", EMBED_DOC.read_text("utf-8"), re.M)
    assert documented and documented.group(0) == (
        "Content-Security-Policy: frame-src https://YOUR-SITE; script-src 'self' https://YOUR-SITE"
    )


def test_a_strict_host_page_runs_the_built_snippet(
    page: Page, page_watch: PageWatch, site_url: str, strict: Strict
) -> None:
    page.goto(site_url + "embed/")
    out = builder_output(page, strict.site + "/", strict.host, "iene", json.dumps(IENE_INPUT))
    policy = "default-src 'self'; " + out["host-csp"].removeprefix("Content-Security-Policy: ")
    (strict.host_dir / "ward.html").write_text(host_page(out["snippet"], policy), encoding="utf-8")
    page.goto(f"{strict.host}/ward.html")
    embed = page.frame_locator("iframe")
    # pre-filled: the result comes without a click, and the host's script sizes the frame to it
    expect(embed.locator("[data-testid='calc-headline']")).to_have_text(
        "Grade 1: extension confined to the perinodal fat", timeout=60_000
    )
    page.wait_for_function(
        "() => { const f = document.querySelector('iframe');"
        " return f.style.height && f.style.height !== '700px'"
        " && f.getBoundingClientRect().width === document.body.getBoundingClientRect().width; }",
        timeout=30_000,
    )
    assert page.evaluate("() => window.__csp") == []


def test_a_strict_host_page_without_frame_src_refuses_the_frame(
    page: Page, page_watch: PageWatch, site_url: str, strict: Strict
) -> None:
    page_watch.allow_error(REFUSED)
    page.goto(site_url + "embed/")
    out = builder_output(page, strict.site + "/", strict.host, "dose", "")
    (strict.host_dir / "no-frame-src.html").write_text(
        host_page(out["snippet"], "default-src 'self'"), encoding="utf-8"
    )
    page.goto(f"{strict.host}/no-frame-src.html")
    page.wait_for_function("() => window.__csp.length >= 2")
    directives = sorted({v["directive"] for v in page.evaluate("() => window.__csp")})
    assert directives == ["frame-src", "script-src-elem"]


# (site address, intranet address, inputs, the exact message the status gives)
PLAIN = "must be a plain web address starting with https:// or http://."
SITE_WORDS = "The address of your copy of this site " + PLAIN
HOST_WORDS = "The address of your intranet " + PLAIN
HOSTILE = [
    pytest.param('https://a"onload="alert(1)"x="/', "https://b.example", "", SITE_WORDS, id="quote-in-host"),
    pytest.param("https://imaging.example.org/", "https://a;sandbox", "", HOST_WORDS, id="directive-in-host"),
    pytest.param("https://imaging.example.org/", "https://a,b", "", HOST_WORDS, id="second-policy-in-host"),
    pytest.param("https://user:pw@imaging.example.org/", "https://b.example", "", SITE_WORDS, id="login"),
    pytest.param(
        "https://imaging.example.org/",
        "https://intranet.example.org",
        "https://imaging.example.org/#bogus=%7B%7D",
        "The link holds no inputs of a calculator this site offers.",
        id="unknown-calculator",
    ),
]


@pytest.mark.parametrize(("site", "host", "prefill", "message"), HOSTILE)
def test_the_builder_refuses_addresses_that_would_break_the_snippet(
    page: Page, site_url: str, site: str, host: str, prefill: str, message: str
) -> None:
    page.goto(site_url + "embed/")
    out = builder_output(page, site, host, "dose", prefill)
    assert out["status"] == message
    expect(page.locator("[data-testid='embed-builder']")).to_have_attribute("data-state", "error")
    # the calculator chosen stays, and nothing typed reaches the snippet or the policy lines
    expect(page.locator("[data-testid='builder-calculator']")).to_have_value("dose")
    for text in (out["snippet"], out["host-csp"], out["site-csp"]):
        assert not re.search(r"onload|alert|sandbox|,b|user:pw|bogus", text)

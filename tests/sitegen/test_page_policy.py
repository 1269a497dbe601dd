"""The Content-Security-Policy of every page (issue 9, finding 3), as the built HTML carries it.

Every page of the served and of the offline site sets the policy that content/pages/hosting.md
documents in a ``<meta>`` tag before any style or script, with ``'wasm-unsafe-eval'`` exactly on the
pages that run a calculator, and holds nothing the policy would refuse: no inline script (JSON data
blocks are not run), no inline style, no inline event handler. tests/e2e/test_csp.py loads them.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

HOSTING_DOC = Path(__file__).resolve().parents[2] / "content" / "pages" / "hosting.md"
#: Script types a browser does not run, which the policy therefore does not concern.
DATA_SCRIPTS = frozenset({"application/json", "application/ld+json"})


def documented_policy(wasm: bool) -> str:
    """The pages' policy as hosting.md states it (one line), with 'wasm-unsafe-eval' where asked."""
    text = HOSTING_DOC.read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"^```text\n(.*?)^```", text, re.M | re.S) if b.startswith("default-src")]
    assert len(blocks) == 1, f"{HOSTING_DOC.name}: expected one text block with the page policy"
    policy = " ".join(blocks[0].split())
    return policy.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'") if wasm else policy


class _Page(HTMLParser):
    """What the policy concerns in one page, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.policies: list[str] = []
        self.before_policy: list[str] = []  # scripts and styles met before the policy
        self.inline_scripts: list[str] = []
        self.inline_styles: list[str] = []
        self.handlers: list[str] = []
        self.calculator = False
        self._script: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            self.policies.append(a.get("content", ""))
        if not self.policies and (tag in ("script", "style") or a.get("rel") == "stylesheet"):
            self.before_policy.append(tag)
        if tag == "script":
            self._script = a
            self.calculator |= "/assets/calc/runtime." in "/" + a.get("src", "").lstrip("./")
        if tag == "style" or "style" in a:
            self.inline_styles.append(f"<{tag}>")
        self.handlers += [f"<{tag} {k}>" for k in a if k.startswith("on")]

    def handle_data(self, data: str) -> None:
        script = self._script
        if script is not None and "src" not in script and script.get("type", "") not in DATA_SCRIPTS:
            self.inline_scripts += [data.strip()[:60]] if data.strip() else []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None


@pytest.mark.parametrize("which", ["built_site", "offline_site"])
def test_finding_3_every_page_carries_the_policy_and_nothing_it_refuses(
    which: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(which)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 40
    problems = []
    calculators = 0
    for path in pages:
        page = _Page()
        page.feed(path.read_text(encoding="utf-8"))
        rel = path.relative_to(site).as_posix()
        calculators += page.calculator
        if page.policies != [documented_policy(page.calculator)]:
            problems.append(f"{rel}: policies {page.policies}")
        for what in ("before_policy", "inline_scripts", "inline_styles", "handlers"):
            if getattr(page, what):
                problems.append(f"{rel}: {what} {getattr(page, what)}")
    assert problems == []
    assert calculators >= 10  # home, guides, articles, calculator and embed pages


def test_the_documented_headers_add_what_a_meta_tag_cannot() -> None:
    text = HOSTING_DOC.read_text(encoding="utf-8")
    (headers,) = [b for b in re.findall(r"^```text\n(.*?)^```", text, re.M | re.S) if "frame-ancestors" in b]
    assert headers.splitlines()[0] == "Content-Security-Policy: frame-ancestors 'none'"

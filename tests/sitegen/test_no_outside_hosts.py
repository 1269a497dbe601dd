"""No page of the built site may make the browser contact another host (issue 2, item 5).

A *request* is anything the browser fetches by itself: a script, style sheet, font, image, frame,
preconnect, CSS ``url()``/``@import``, or a JavaScript ``fetch``/``import()``/``importScripts``/worker
of an absolute address. A *link* (``<a href="https://...">`` to a source) is navigation the reader
chooses: it is allowed and only reported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

#: Hosts that are not "another host": the page's own server when tests serve the site.
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
#: Attributes whose value the browser fetches (on the tags where it does), beside data-* ones.
FETCHED_ATTRIBUTES = frozenset({"src", "srcset", "poster", "data", "background", "xlink:href"})
#: <link rel=...> values that make the browser fetch or connect; others (canonical, alternate) do not.
FETCHING_RELS = frozenset(
    {"stylesheet", "preconnect", "dns-prefetch", "preload", "prefetch", "prerender", "modulepreload",
     "icon", "shortcut", "apple-touch-icon", "manifest", "mask-icon"}
)  # fmt: skip
_ABSOLUTE = r"(?:(?:https?|wss?):)?//[^\s'\"`)]+"
_CSS_PATTERNS = (
    ("css url()", re.compile(r"url\(\s*['\"]?(" + _ABSOLUTE + ")", re.I)),
    ("css @import", re.compile(r"@import\s+(?:url\(\s*)?['\"]?(" + _ABSOLUTE + ")", re.I)),
)
# Inert strings in Material's loaders never request (test_no_loader_trigger): only literal URLs in APIs.
_JS_CALL = r"\(\s*['\"`](" + _ABSOLUTE + ")"
_JS_PATTERNS = (
    *(
        (f"js {name}", re.compile(pattern + _JS_CALL))
        for name, pattern in (
            ("import()", r"\bimport"),
            ("fetch()", r"\bfetch"),
            ("importScripts()", r"\bimportScripts"),
            ("Worker()", r"\bnew\s+(?:Shared)?Worker"),
            ("WebSocket()", r"\bnew\s+WebSocket"),
            ("EventSource()", r"\bnew\s+EventSource"),
            ("sendBeacon()", r"\bsendBeacon"),
        )
    ),
    ("js import from", re.compile(r"\bimport\b[^;()]*?\bfrom\s*['\"](" + _ABSOLUTE + ")")),
)


@dataclass(frozen=True)
class Finding:
    """One absolute address in a file: a request the browser would make, or a link the reader may follow."""

    kind: str  # "request" | "link"
    where: str
    url: str


def is_outside(url: str) -> bool:
    """True if ``url`` is absolute (or protocol-relative) and names a host other than this machine."""
    url = url.strip()
    if not re.match(r"^(?:(?:https?|wss?):)?//", url, re.I):
        return False
    return urlsplit(url if "://" in url else "http:" + url).hostname not in LOCAL_HOSTS


def scan_css(text: str) -> list[Finding]:
    """Requests a style sheet (file, <style> block or style attribute) would make."""
    return [
        Finding("request", where, m.group(1))
        for where, pattern in _CSS_PATTERNS
        for m in pattern.finditer(text)
        if is_outside(m.group(1))
    ]


def scan_js(text: str) -> list[Finding]:
    """Requests a script would make with a literal outside address."""
    return [
        Finding("request", where, m.group(1))
        for where, pattern in _JS_PATTERNS
        for m in pattern.finditer(text)
        if is_outside(m.group(1))
    ]


class _HtmlScanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[Finding] = []
        self._raw: str | None = None  # "css" or "js" while inside <style> or <script>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            for url in _urls_of(name, value):
                kind = self._kind(tag, name, values)
                if kind:
                    self.findings.append(Finding(kind, f"<{tag} {name}>", url))
        if "style" in values:
            self.findings += scan_css(values["style"])
        # JSON-LD and other data blocks are never executed, so their addresses are inert.
        script_type = values.get("type", "").lower()
        is_code = script_type in ("", "module", "text/javascript", "application/javascript")
        self._raw = {"style": "css", "script": "js" if is_code else None}.get(tag)

    def _kind(self, tag: str, name: str, values: dict[str, str]) -> str | None:
        if tag == "a" and name in ("href", "xlink:href"):
            return "link"
        if tag == "link" and name == "href":
            rels = set(values.get("rel", "").lower().split())
            return "request" if rels & FETCHING_RELS else "link"
        if name in FETCHED_ATTRIBUTES or name.startswith("data-"):
            return "request"
        if name == "href" and tag in ("image", "use", "feimage"):  # SVG references
            return "request"
        return None

    def handle_endtag(self, tag: str) -> None:
        self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw == "css":
            self.findings += scan_css(data)
        elif self._raw == "js":
            self.findings += scan_js(data)


def _urls_of(name: str, value: str) -> list[str]:
    # srcset holds "url width, url width"; every other attribute holds one address.
    if name != "srcset":
        return [value] if is_outside(value) else []
    candidates = [part.split()[0] for part in value.split(",") if part.split()]
    return [url for url in candidates if is_outside(url)]


def scan_html(text: str) -> list[Finding]:
    """Requests and links of an HTML (or SVG) document, including its inline styles and scripts."""
    scanner = _HtmlScanner()
    scanner.feed(text)
    scanner.close()
    return scanner.findings


def _strings(value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                yield key, item
            else:
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from ((("", item),) if isinstance(item, str) else _strings(item))


def scan_json(text: str) -> list[Finding]:
    """Requests hidden in JSON: HTML fragments the search shows as markup, and manifest icons."""
    findings: list[Finding] = []
    for key, value in _strings(json.loads(text)):
        if "<" in value:
            findings += scan_html(value)
        elif key in ("src", "start_url", "scope") and is_outside(value):
            findings.append(Finding("request", f"json {key}", value))
    return findings


SCANNERS = {
    ".html": scan_html, ".htm": scan_html, ".svg": scan_html,
    ".css": scan_css, ".js": scan_js, ".mjs": scan_js,
    ".json": scan_json, ".webmanifest": scan_json,
}  # fmt: skip
# sitemap.xml(.gz) lists page addresses for crawlers, the browser never fetches them; *.map files are read
# only by developer tools; images, fonts and wheels are not parsed for addresses by the browser; the
# Pyodide runtime's wasm, bytecode zip and snapshot (.pages) are run only through its loader (.mjs,
# scanned) and the calculator imports no networking module (tests/calculator/test_contract.py checks
# it). The precompressed copies (.br, .gz) hold the bytes of the file beside them, which is scanned
# (tests/sitegen/test_trace.py checks that they decode to it).
UNSCANNED = frozenset(
    {".xml", ".gz", ".br", ".map", ".png", ".jpg", ".ico", ".woff", ".woff2", ".ttf", ".whl", ".wasm", ".zip"}
    | {".pages"}
)


def scan_site(site: Path) -> tuple[dict[str, list[Finding]], list[str]]:
    """Findings per file (relative path), and files of a type nobody decided about."""
    found: dict[str, list[Finding]] = {}
    unknown: list[str] = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        scanner = SCANNERS.get(path.suffix.lower())
        if scanner is None:
            if path.suffix.lower() not in UNSCANNED:
                unknown.append(rel)
            continue
        findings = scanner(path.read_text(encoding="utf-8", errors="replace"))
        if findings:
            found[rel] = findings
    return found, unknown


# --- the detector itself ---------------------------------------------------------------------

R, L = "request", "link"


@pytest.mark.parametrize(
    ("scanner", "snippet", "expected"),
    [
        # HTML attributes that fetch
        (scan_html, '<script src="https://cdn.example.org/a.js"></script>',
         [(R, "<script src>", "https://cdn.example.org/a.js")]),
        (scan_html, '<img src="//img.example.org/x.png">', [(R, "<img src>", "//img.example.org/x.png")]),
        (scan_html, '<img srcset="a.png 1x, https://e.example/b.png 2x">',
         [(R, "<img srcset>", "https://e.example/b.png")]),
        (scan_html, '<video poster="http://e.example/p.jpg"></video>',
         [(R, "<video poster>", "http://e.example/p.jpg")]),
        (scan_html, '<object data="https://e.example/o.swf"></object>',
         [(R, "<object data>", "https://e.example/o.swf")]),
        (scan_html, '<iframe src="https://e.example/embed"></iframe>',
         [(R, "<iframe src>", "https://e.example/embed")]),
        (scan_html, '<div data-src="https://e.example/lazy.png"></div>',
         [(R, "<div data-src>", "https://e.example/lazy.png")]),
        (scan_html, '<svg><image href="https://e.example/i.png"/></svg>',
         [(R, "<image href>", "https://e.example/i.png")]),
        # <link>: fetching rels are requests, canonical/alternate are not
        (scan_html, '<link rel="stylesheet" href="https://fonts.example.org/css?family=Roboto">',
         [(R, "<link href>", "https://fonts.example.org/css?family=Roboto")]),
        (scan_html, '<link rel="preconnect" href="https://fonts.example.org">',
         [(R, "<link href>", "https://fonts.example.org")]),
        (scan_html, '<link rel="dns-prefetch" href="//fonts.example.org">',
         [(R, "<link href>", "//fonts.example.org")]),
        (scan_html, '<link rel="preload" as="font" href="https://e.example/f.woff2">',
         [(R, "<link href>", "https://e.example/f.woff2")]),
        (scan_html, '<link rel="canonical" href="https://site.example/page/">',
         [(L, "<link href>", "https://site.example/page/")]),
        # plain hyperlinks are navigation: reported as links
        (scan_html, '<a href="https://www.acr.org/ac">ACR</a>', [(L, "<a href>", "https://www.acr.org/ac")]),
        # inline style and script
        (scan_html, "<style>@import url('https://e.example/x.css');</style>",
         [(R, "css url()", "https://e.example/x.css"), (R, "css @import", "https://e.example/x.css")]),
        (scan_html, '<p style="background:url(https://e.example/bg.png)">x</p>',
         [(R, "css url()", "https://e.example/bg.png")]),
        (scan_html, "<script>fetch('https://api.example.org/v1')</script>",
         [(R, "js fetch()", "https://api.example.org/v1")]),
        # not requests: local, relative, data URIs, JSON-LD data, text
        (scan_html, '<script src="../assets/a.js"></script><img src="data:image/png;base64,AA">', []),
        (scan_html, '<script src="http://127.0.0.1:8000/a.js"></script><img src="//localhost/x.png">', []),
        (scan_html, '<script type="application/ld+json">{"url": "https://www.acr.org/"}</script>', []),
        (scan_html, "<p>See https://www.acr.org/ for the criteria.</p>", []),
        # CSS
        (scan_css, '@font-face{src:url("https://fonts.example.org/r.woff2")}',
         [(R, "css url()", "https://fonts.example.org/r.woff2")]),
        (scan_css, '@import "//e.example/t.css";', [(R, "css @import", "//e.example/t.css")]),
        (scan_css, 'a{background:url("data:image/svg+xml;charset=utf-8,<svg/>")} b{x:url(../i.svg)}', []),
        # JS: literal addresses handed to request APIs
        (scan_js, 'import("https://e.example/m.js")', [(R, "js import()", "https://e.example/m.js")]),
        (scan_js, "importScripts('https://e.example/w.js')",
         [(R, "js importScripts()", "https://e.example/w.js")]),
        (scan_js, "new Worker(`//e.example/w.js`)", [(R, "js Worker()", "//e.example/w.js")]),
        (scan_js, 'import {x} from "https://e.example/x.mjs";',
         [(R, "js import from", "https://e.example/x.mjs")]),
        (scan_js, "navigator.sendBeacon('https://stats.example.org/c')",
         [(R, "js sendBeacon()", "https://stats.example.org/c")]),
        # JS: inert strings (a loader only used when triggered), relative fetches, regexes
        (scan_js, 'function l(){return t("https://cdn.example.org/mermaid.min.js")}', []),
        (scan_js, 'fetch("search/search_index.json");const r=/^(?:[a-z]+:)?\\/\\//i', []),
        # JSON: HTML fragments shown by the search, manifest icons; plain strings are data
        (scan_json, '{"docs": [{"text": "<p><img src=\\"https://e.example/i.png\\"></p>"}]}',
         [(R, "<img src>", "https://e.example/i.png")]),
        (scan_json, '{"icons": [{"src": "https://e.example/icon.png"}]}',
         [(R, "json src", "https://e.example/icon.png")]),
        (scan_json, '{"sources": {"acr": {"url": "https://www.acr.org/"}}}', []),
    ],
)  # fmt: skip
def test_detector(scanner: Any, snippet: str, expected: list[tuple[str, str, str]]) -> None:
    assert [(f.kind, f.where, f.url) for f in scanner(snippet)] == expected


@pytest.mark.parametrize(
    ("url", "outside"),
    [
        ("https://www.acr.org/x", True),
        ("//cdn.example.org/x", True),
        ("wss://e.example/socket", True),
        ("http://127.0.0.1:8000/x", False),
        ("http://localhost/x", False),
        ("http://[::1]:8000/x", False),
        ("/assets/x.js", False),
        ("data:text/plain,https://e.example", False),
        ("mailto:editor@example.org", False),
    ],
)
def test_is_outside(url: str, outside: bool) -> None:
    assert is_outside(url) is outside


# --- the real site ---------------------------------------------------------------------------


def test_built_site_requests_nothing_from_another_host(built_site: Path) -> None:
    found, unknown = scan_site(built_site)
    requests = [f"{rel}: {f.where} {f.url}" for rel, fs in found.items() for f in fs if f.kind == "request"]
    assert requests == []
    assert unknown == [], "files of a type this test does not scan yet: decide how to treat them"


#: Our shim, in place of the one Material's offline plugin would load from a CDN.
SHIM = "assets/javascripts/iframe-worker-shim.js"


def test_offline_build_requests_nothing_from_another_host(offline_site: Path, project_root: Path) -> None:
    found, unknown = scan_site(offline_site)
    requests = [f"{rel}: {f.where} {f.url}" for rel, fs in found.items() for f in fs if f.kind == "request"]
    assert requests == []
    assert unknown == [], "files of a type this test does not scan yet: decide how to treat them"
    # Search from file:// needs the inlined index and the shim, loaded from this site by every page.
    assert (offline_site / "search" / "search_index.js").read_text(encoding="utf-8").startswith("var __index")
    assert '<script src="assets/javascripts/iframe-worker-shim.js">' in (
        offline_site / "index.html"
    ).read_text(encoding="utf-8")
    ours = project_root / "content" / "overrides" / "hooks" / "iframe-worker.js"
    assert (offline_site / SHIM).read_bytes() == ours.read_bytes()
    assert not (offline_site / "hooks").exists()


def test_served_build_has_no_offline_parts(built_site: Path) -> None:
    # The offline plugin is off unless SITEGEN_OFFLINE is set: directory URLs, no shim, no inlined index.
    assert (built_site / "scenarios" / "new-neck-pain-known-cancer" / "index.html").is_file()
    assert not (built_site / SHIM).exists()
    assert not (built_site / "hooks").exists()
    assert not (built_site / "search" / "search_index.js").exists()
    assert "iframe-worker" not in (built_site / "index.html").read_text(encoding="utf-8")


def test_no_loader_trigger(built_site: Path) -> None:
    # Material's bundle loads Mermaid from outside when a page has a .mermaid block, and calls the
    # GitHub/GitLab API when the header shows a repository (repo_url): no page may have either trigger.
    triggers = re.compile(r'class="[^"]*\bmermaid\b|data-md-component="source"')
    pages = [p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")]
    assert pages, "the built site has no HTML page"
    hits = [rel for rel in pages if triggers.search((built_site / rel).read_text(encoding="utf-8"))]
    assert hits == []


def test_outside_links_are_reported(built_site: Path, record_property: Any) -> None:
    found, _ = scan_site(built_site)
    links = sorted({f.url for fs in found.values() for f in fs if f.kind == "link"})
    record_property("outside_links", len(links))
    print(f"{len(links)} outside links (navigation, allowed):", *links, sep="\n  ")
    # Links to sources must not downgrade a reader to plain http.
    assert [url for url in links if url.startswith("http://")] == []

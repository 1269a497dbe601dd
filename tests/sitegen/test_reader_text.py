"""Every page of the built site speaks to clinicians: no internal label in what a reader sees (issue 8).

What a reader sees: the text of every page outside scripts, styles and code samples (``code``, ``pre``,
``kbd``, ``samp``: commands and JSON meant to be copied), the attributes a browser shows or reads out
(``title``, ``alt``, ``aria-label``, ``placeholder``), and every string of the pages' JSON-LD. Internal
labels are derived from the data, not listed: every id the data defines (sources, procedures, topics,
variants, scenarios, facts) and every value of the data's vocabularies (categories, contrast, tools),
raw confidence marks and source kinds used as labels, data and code file names, and placeholder text.
"""

# ruff: noqa: E501 - the exact findings are clearer unbroken

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sitegen.data import model
from sitegen.data.validate import load_dataset

#: Elements whose text a reader does not read as prose: scripts, styles and code meant to be copied.
SKIPPED = frozenset({"script", "style", "code", "pre", "kbd", "samp", "textarea"})
#: Attributes a browser shows (tooltips, placeholders) or reads out (labels, image text).
SHOWN_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")
#: Text that only a template, a build or an unfinished page would leave behind.
PLACEHOLDERS = (
    r"\bnot sourced\b",
    r"\bno page here\b",
    r"\bnot yet reviewed\b",
    r"\bnot yet written up\b",
    r"\b(?:TODO|TBD|FIXME|XXX)\b",
    r"\bplaceholder\b",
    r"\blorem ipsum\b",
    r"\bundefined\b",
    r"\bNaN\b",
    r"\{\{|\}\}|\{%|%\}",
    # the project's words for its own data: readers meet "the source article" and an ACR topic's number
    r"\bseed articles?\b",
    r"\bTopicId\b",
)
#: A data or code file named in the text.
FILE_NAME = re.compile(r"[\w./*-]*\w\.(?:ya?ml|py|j2|json)\b")
#: The calculators' input and output reference documents their JSON, whose values include the marks and
#: the calculators' own names: there, and only there, the data's vocabularies may be named as values.
API_REFERENCE = "calculators/index.html"


@dataclass
class _Reader(HTMLParser):
    """Collects what a reader sees of one page, and its JSON-LD strings."""

    texts: list[str] = field(default_factory=list)
    jsonld: list[str] = field(default_factory=list)
    skip: int = 0
    ld: bool = False

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.texts.extend(v for k in SHOWN_ATTRIBUTES if (v := values.get(k)))
        if tag in SKIPPED:
            self.skip += 1
            self.ld = tag == "script" and values.get("type") == "application/ld+json"

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skip -= 1
            self.ld = False

    def handle_data(self, data: str) -> None:
        if self.ld:
            self.jsonld.append(data)
        elif not self.skip and data.strip():
            self.texts.append(data)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def reader_text(html: str) -> list[str]:
    """The pieces of text a reader sees on a page, its JSON-LD strings included."""
    reader = _Reader()
    reader.feed(html)
    return reader.texts + [s for block in reader.jsonld for s in _strings(json.loads(block))]


def _slugs(ids: set[str]) -> re.Pattern[str]:
    # a one-word id ("fever") is an ordinary word in prose; an id with a hyphen is a label
    slugs = sorted((i for i in ids if "-" in i), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, slugs)) + r")(?![\w-])")


@cache
def labels(project: Path, api_reference: bool = False) -> tuple[re.Pattern[str], ...]:
    """The patterns of every internal label of this project's data (fewer on the API reference)."""
    ds = load_dataset(project)
    cat = ds.catalogs
    ids = {s.id for s in cat.sources} | {p.id for p in cat.procedures} | {f.id for f in cat.facts}
    ids |= {t.id for t in cat.topics} | {v.id for t in cat.topics for v in t.variants}
    ids |= {s.id for s in ds.scenarios}
    common = (_slugs(ids), FILE_NAME, *(re.compile(p, re.I) for p in PLACEHOLDERS))
    if api_reference:
        return common
    words = "|".join(map(re.escape, (*model.CONFIDENCES, *model.SOURCE_KINDS)))
    return (
        *common,
        _slugs(set(model.CATEGORIES) | set(model.CONTRASTS) | set(model.TOOLS)),
        # a mark or a source kind standing as a label: alone, after a separator, or in brackets
        re.compile(r"(?:^|[·(\[|:]\s*)(?:" + words + r")\s*(?:$|[)\].,;·|])"),
    )


def findings(html: str, project: Path, api_reference: bool = False) -> list[str]:
    """Each internal label found in what a reader sees, with the text around it."""
    found = []
    for text in reader_text(html):
        for pattern in labels(project, api_reference):
            found += [f"{m.group(0).strip()!r} in {text.strip()[:120]!r}" for m in pattern.finditer(text)]
    return found


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ("<p>MRI head · seed</p>", ["'· seed' in 'MRI head · seed'"]),
        ("<td>recalled</td>", ["'recalled' in 'recalled'"]),
        ("<p>As reported by the source article</p>", []),
        ("<p>As reported by the seed article</p>", ["'seed article' in 'As reported by the seed article'"]),
        ("<p>ACR appendix (TopicId=307)</p>", ["'TopicId' in 'ACR appendix (TopicId=307)'"]),
        ("<p>Source: seed-004-brain-tumor-recurrence</p>", ["'seed-004-brain-tumor-recurrence' in 'Source: seed-004-brain-tumor-recurrence'"]),
        ('<span title="acr-rrl">ACR</span>', ["'acr-rrl' in 'acr-rrl'"]),
        ("<p>Generated from scenarios/x.yaml</p>", ["'scenarios/x.yaml' in 'Generated from scenarios/x.yaml'"]),
        ("<p>Rules and data: calculator/dose.py</p>", ["'calculator/dose.py' in 'Rules and data: calculator/dose.py'"]),
        ("<p>Top rating: not sourced yet.</p>", ["'not sourced' in 'Top rating: not sourced yet.'"]),
        ("<li>Trauma (no page here yet)</li>", ["'no page here' in 'Trauma (no page here yet)'"]),
        ("<p>contrast: without-and-with</p>", ["'without-and-with' in 'contrast: without-and-with'"]),
        ("<p>reviewed not yet reviewed</p>", ["'not yet reviewed' in 'reviewed not yet reviewed'"]),
        ("<p>Ask for <code>python build.py fingerprint new-neck-pain-known-cancer</code></p>", []),
        ('<script type="application/ld+json">{"citation": [{"name": "kuno-2025"}]}</script>', ["'kuno-2025' in 'kuno-2025'"]),
        ("<p>An MRI without and with IV contrast; fever and neck pain.</p>", []),
    ],
)
def test_findings(project_root: Path, html: str, found: list[str]) -> None:
    assert findings(html, project_root) == found


def test_no_page_of_the_built_site_shows_an_internal_label(built_site: Path, project_root: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 40, "the built site is missing pages"
    report = [
        f"{name}: {finding}"
        for page in pages
        for name in [page.relative_to(built_site).as_posix()]
        for finding in findings(page.read_text(encoding="utf-8"), project_root, name == API_REFERENCE)
    ]
    assert report == []


def test_json_ld_claims_a_review_only_for_a_current_review(built_site: Path, project_root: Path) -> None:
    # today nobody has reviewed this site's text: no page may name a reviewer or a review date
    ds = load_dataset(project_root)
    reviewed = {s.id for s in ds.scenarios if s.review is not None}
    for page in sorted((built_site / "scenarios").rglob("index.html")):
        html = page.read_text(encoding="utf-8")
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        data = [json.loads(b) for b in blocks]
        assert data, page
        if page.parent.name not in reviewed:
            assert all("reviewedBy" not in d and "lastReviewed" not in d for d in data), page
            assert "Not yet clinically reviewed." in html, page

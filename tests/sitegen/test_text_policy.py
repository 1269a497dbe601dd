"""The text policy (issue 9, findings 1 and 2): editors' text is plain text on every page.

``hostile_site`` is the validation fixture with markup of every kind in every text field, built for
real (MkDocs, Material, the hook): the text must come out as the very characters written, in titles,
meta tags, headers, headings, lists, tables, JSON-LD and the search index, and never as an element,
an attribute, an event handler or a link.
"""

# ruff: noqa: E501 - the exact texts are clearer unbroken

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hostile import HOSTILE, hostile_text

from sitegen.pages.render import TEMPLATES

TITLE = hostile_text("title")
SITE_NAME = "Imaging Appropriateness"


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        """The text a reader sees, one line, without the headings' permalink sign."""
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return " ".join("".join(parts).replace("¶", "").split())

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def find(self, tag: str, **attrs: str) -> list[Node]:
        return [n for n in self.walk() if n.tag == tag and all(n.attrs.get(k) == v for k, v in attrs.items())]


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(path: Path) -> Node:
    tree = _Tree()
    tree.feed(path.read_text(encoding="utf-8"))
    return tree.root


def one(nodes: list[Node]) -> Node:
    assert len(nodes) == 1, f"expected one element, found {len(nodes)}"
    return nodes[0]


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# --- finding 1: titles, meta tags, header -----------------------------------------------------------

ARTICLE = "scenarios/facial-numbness/index.html"
PAGE_TITLES = [
    pytest.param(ARTICLE, TITLE, hostile_text("summary"), id="article"),
    pytest.param("topics/cranial-neuropathy/index.html", TITLE, hostile_text("summary"), id="guide"),
    pytest.param(
        "procedures/ct-head-without/index.html",
        hostile_text("name"),
        f"Where {hostile_text('name')} is rated and how.",
        id="procedure",
    ),
    pytest.param(
        "topics/cranial-neuropathy/faq/index.html", f"{TITLE}: frequently asked questions", None, id="topic-faq"
    ),
]


@pytest.mark.parametrize(("page", "title", "description"), PAGE_TITLES)
def test_finding_1_titles_and_descriptions_are_text_in_title_meta_and_header(
    hostile_site: Path, page: str, title: str, description: str | None
) -> None:
    doc = parse(hostile_site / page)
    assert one(doc.find("title")).text() == f"{title} - {SITE_NAME}"
    header = one(doc.find("div", **{"data-md-component": "header-topic"}))
    assert header.text() == title
    metas = [m.attrs["content"] for m in doc.find("meta", name="description")]
    assert metas == [description] if description else len(metas) == 1
    head = one(doc.find("head"))
    assert [n.tag for n in head.walk() if n.tag in ("script", "meta", "link", "title")].count("title") == 1


def test_finding_1_the_search_index_and_json_ld_carry_the_text(hostile_site: Path) -> None:
    index = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    titles = {d["location"]: d["title"] for d in index["docs"]}
    # the index holds HTML, as the theme renders it: unescaped once, it is the title as written
    assert html.unescape(titles["scenarios/facial-numbness/"]) == TITLE
    doc = parse(hostile_site / ARTICLE)
    blocks = [json.loads(s.text()) for s in doc.find("script", type="application/ld+json")]
    assert blocks[0]["name"] == TITLE and blocks[0]["description"] == hostile_text("summary")
    assert blocks[1]["mainEntity"][0]["name"] == hostile_text("question")


# --- finding 2: Markdown contexts --------------------------------------------------------------------

#: (page, element, its attributes, the text it must show exactly)
MARKDOWN_TEXTS = [
    (ARTICLE, "h1", {"data-testid": "article-title"}, TITLE),
    (ARTICLE, "h3", {"id": "faq-1"}, hostile_text("question")),
    (ARTICLE, "h2", {"id": "why"}, f"Why {hostile_text('name')}"),
    ("topics/cranial-neuropathy/index.html", "h1", {}, TITLE),
    ("topics/cranial-neuropathy/index.html", "h3", {"id": "facial-palsy-variant"}, hostile_text("acr_variant")),
    ("topics/index.html", "h2", {}, hostile_text("panel")),
    ("faq/index.html", "h2", {"id": "cranial-neuropathy"}, TITLE),
    ("procedures/us-neck/index.html", "h1", {}, hostile_text("name")),
]


@pytest.mark.parametrize(("page", "tag", "attrs", "expected"), MARKDOWN_TEXTS)
def test_finding_2_markdown_headings_show_the_text_and_keep_their_anchor(
    hostile_site: Path, page: str, tag: str, attrs: dict[str, str], expected: str
) -> None:
    found = [n for n in parse(hostile_site / page).find(tag, **attrs) if n.text() == expected]
    assert len(found) == 1, [n.text() for n in parse(hostile_site / page).find(tag)]
    assert found[0].attrs.get("id"), "the heading lost its anchor"


def test_finding_2_lists_and_links_show_the_text(hostile_site: Path) -> None:
    article = parse(hostile_site / ARTICLE)
    items = [li.text() for li in article.walk() if li.tag == "li"]
    exclusion = hostile_text("text")
    assert f"{exclusion} → {TITLE}" in items  # the redirect to the other scenario, by its title
    assert f"{exclusion} → {hostile_text('external')} (not covered on this site)" in items
    assert f"Parent guide: {TITLE}" in items
    procedure = parse(hostile_site / "procedures/mri-head-without-and-with/index.html")
    line = f"MRI · {hostile_text('region')} · without and with IV contrast · also called {hostile_text('synonyms')}"
    assert line in [p.text() for p in procedure.find("p")]


def test_finding_2_no_page_has_markup_from_the_data(hostile_site: Path) -> None:
    for path in pages(hostile_site):
        doc = parse(path)
        where = path.relative_to(hostile_site)
        for node in doc.walk():
            handlers = [a for a in node.attrs if a.startswith("on")]
            assert not handlers, f"{where}: <{node.tag}> has {handlers}"
            for attr in ("href", "src", "action", "formaction"):
                value = node.attrs.get(attr, "").strip().lower()
                assert not value.startswith(("javascript:", "data:")), f"{where}: {attr}={value!r}"
            assert node.tag not in ("img", "iframe", "object", "embed"), f"{where}: <{node.tag}>"
            if node.tag == "script":
                assert "alert(" not in node.text() or node.attrs.get("type", "").endswith("json"), where
        # every heading keeps an anchor whatever its text
        headings = [n for n in doc.walk() if re.fullmatch(r"h[2-6]", n.tag) and HOSTILE in n.text()]
        assert all(h.attrs.get("id") for h in headings), where


# --- every template ---------------------------------------------------------------------------

#: Values the generator makes (ids, links, numbers, HTML from numbers and enums, literals), not editors'
#: text. No macro that writes data into HTML (m.cite) may stand in a Markdown line: Markdown reads links
#: and images even inside an inline tag's attributes. m.provenance is a block of its own.
GENERATED = re.compile(
    r"(^|\.)(id|md|\w+_md|url|num|key|label|n_faq|articles|variants|(badge|adult|pediatric|dose)\.html)$"
    r'|^m\.provenance\(|^"[^"]*" if '
)


def _markdown_outputs() -> Iterator[tuple[str, int, str]]:
    for path in sorted(TEMPLATES.glob("*.md.j2")):
        if path.name == "macros.md.j2":  # HTML pieces only: what they output is autoescaped
            continue
        in_html = False
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip() in ("<!-- sitegen:html -->", "<!-- /sitegen:html -->"):
                in_html = line.strip() == "<!-- sitegen:html -->"
                continue
            if not in_html:
                for expr in re.findall(r"\{\{-?\s*(.*?)\s*-?\}\}", line):
                    yield path.name, number, expr


def test_every_value_in_a_markdown_line_of_a_template_goes_through_md() -> None:
    unfiltered = [
        f"{name}:{number}: {{{{ {expr} }}}}"
        for name, number, expr in _markdown_outputs()
        if not re.search(r"\|\s*(md|href|map\(\"md\"\)\s*\|\s*join\(.*\))\s*$", expr)
        and not GENERATED.search(expr.split("|")[0].strip())
    ]
    assert unfiltered == []

"""The MkDocs hook and what the built site holds: links, JSON-LD, a lean search index, the catalog."""

from __future__ import annotations

import json
import logging
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import get_files

from sitegen.data.export import catalog_text
from sitegen.data.validate import load_dataset


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")


@cache
def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _target(site: Path, page: Path, href: str) -> tuple[Path, str] | None:
    """The file and fragment a relative link of ``page`` points to; None for outside links."""
    parts = urlsplit(href)
    if parts.scheme or href.startswith("//"):
        return None
    base = "/" + page.relative_to(site).as_posix()
    path = unquote(urlsplit(urljoin(base, parts.path)).path) if parts.path else base
    file = site / path.lstrip("/")
    if path.endswith("/") or file.is_dir():
        file = file / "index.html"
    return file, parts.fragment


@pytest.mark.parametrize("which", ["built_site", "offline_site"])
def test_every_internal_link_and_anchor_resolves(which: str, request: pytest.FixtureRequest) -> None:
    # the offline build writes page.html files instead of page/index.html: links must follow
    built_site: Path = request.getfixturevalue(which)
    broken = []
    for page in sorted(built_site.rglob("*.html")):
        for href in _parse(page).hrefs:
            target = _target(built_site, page, href)
            if target is None:
                continue
            file, fragment = target
            if not file.is_file():
                broken.append(f"{page.relative_to(built_site)}: {href} (no file)")
            elif fragment and file.suffix == ".html" and fragment not in _parse(file).ids:
                broken.append(f"{page.relative_to(built_site)}: {href} (no anchor)")
    assert broken == []


def _json_ld(html: str) -> list[dict]:
    return [
        json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def test_articles_carry_json_ld_in_the_head(built_site: Path, project_root: Path) -> None:
    ids = sorted(p.stem for p in (project_root / "scenarios").glob("*.yaml"))
    assert ids
    for sid in ids:
        html = (built_site / "scenarios" / sid / "index.html").read_text(encoding="utf-8")
        head = html.split("</head>")[0]
        types = [item["@type"] for item in _json_ld(head)]
        assert types[0] == "MedicalWebPage", sid
        assert set(types) <= {"MedicalWebPage", "FAQPage"}


def test_search_index_is_lean(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [doc["location"] for doc in index["docs"]]
    assert not [loc for loc in locations if loc.startswith(("lookup/", "faq/"))]
    article_docs = [doc for doc in index["docs"] if doc["location"].startswith("scenarios/")]
    assert article_docs
    # long prose stays out: no article section carries more than a short summary's worth of text
    assert max(len(doc["text"]) for doc in article_docs) < 1500
    # two entries per article: its title with the recommended study and keywords, and its FAQ questions
    # (not their answers); a large index is slow to build in the browser, and from file:// on the
    # page's own thread
    pages = [doc["location"] for doc in article_docs if "#" not in doc["location"]]
    assert len(set(pages)) == len(pages)
    assert all("Recommended: " in doc["text"] for doc in article_docs if doc["location"] in pages)
    questions = [doc for doc in article_docs if doc["location"] not in pages]
    assert sorted(d["location"] for d in questions) == sorted(f"{loc}#faq" for loc in pages)
    assert all(d["title"] == "Frequently asked questions" and "?" in d["text"] for d in questions)
    # the developers' reference is ranked below the clinicians' pages, the calculators above
    boosts = {doc["location"]: doc.get("boost") for doc in index["docs"]}
    assert boosts["calculators/"] == 0.1 and boosts["calculators/dose/"] == 3


def test_calculator_catalog_is_published_with_the_site(built_site: Path, project_root: Path) -> None:
    published = (built_site / "assets" / "data" / "catalog.json").read_text(encoding="utf-8")
    assert published == catalog_text(load_dataset(project_root))


def test_mkdocs_yml_requests_nothing_from_another_host(project_root: Path) -> None:
    text = (project_root / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.load(text, Loader=yaml.BaseLoader)  # BaseLoader: no !!python tags needed
    assert config["theme"]["font"] == "false"
    assert config["extra"]["generator"] == "false"
    assert "site_url" not in config and "repo_url" not in config
    assert config["hooks"] == ["sitegen/hook.py", "content/overrides/hooks/offline_shim.py"]
    # pruned navigation: sections only, never one entry per scenario
    assert not re.search(r"^\s*-.*scenarios/", text.split("\nnav:")[1].split("\n\n")[0], re.M)


def _hook(config):
    return config.hooks["sitegen/hook.py"]


def test_on_config_turns_data_errors_into_one_plugin_error(tmp_project: Path) -> None:
    bad = tmp_project / "scenarios" / "neck-lump.yaml"
    bad.write_text(bad.read_text(encoding="utf-8") + "surprise: 1\n", encoding="utf-8")
    config = load_config(str(tmp_project / "mkdocs.yml"))
    with pytest.raises(PluginError) as err:
        _hook(config).on_config(config)
    assert "scenarios/neck-lump.yaml" in str(err.value)
    assert "surprise" in str(err.value)


def test_on_serve_watches_the_data(tmp_project: Path) -> None:
    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    config = load_config(str(tmp_project / "mkdocs.yml"))
    server = Server()
    assert _hook(config).on_serve(server, config=config, builder=None) is server
    assert str(tmp_project / "scenarios") in server.watched


def test_plain_html_regions_skip_the_markdown_converter_intact(tmp_project: Path) -> None:
    config = load_config(str(tmp_project / "mkdocs.yml"))
    hook = _hook(config)

    class File:
        src_uri = "x.md"

    class Page:
        file = File()

    markdown = "# T\n\n<!-- sitegen:html -->\n<p>a &amp; b</p>\n<!-- /sitegen:html -->\n\nafter\n"
    stashed = hook.on_page_markdown(markdown, page=Page(), config=config, files=None)
    assert stashed == "# T\n\n<!-- sitegen:stash 0 -->\n\nafter\n"
    html = hook.on_page_content(
        "<h1>T</h1>\n<!-- sitegen:stash 0 -->\n<p>after</p>", page=Page(), config=config, files=None
    )
    assert html == "<h1>T</h1>\n<p>a &amp; b</p>\n<p>after</p>"


def test_no_stand_in_for_a_missing_hand_written_page(tmp_project: Path) -> None:
    # A missing hand-written page is MkDocs' own error (a broken link in strict mode), not ours to hide.
    (tmp_project / "content" / "pages" / "calculators" / "index.md").unlink()
    config = load_config(str(tmp_project / "mkdocs.yml"))
    _hook(config).on_config(config)
    files = config.plugins.on_files(get_files(config), config=config)
    assert files.get_file_from_path("calculators/index.md") is None
    assert files.get_file_from_path("scenarios/neck-lump.md") is not None


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_the_time_line_counts_every_event_of_ours(tmp_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # bench/build_scale.py reads "<N> pages generated in <s> s": the last line, per-page events included.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # read when the hook loads: this test sets no date
    config = load_config(str(tmp_project / "mkdocs.yml"), site_dir=str(tmp_project / "out"))
    handler, logger = _Lines(), logging.getLogger("mkdocs.plugins.sitegen")
    logger.addHandler(handler)
    monkeypatch.setattr(logger, "level", logging.INFO)
    try:
        hook = _hook(config)
        hook.on_config(config)
        hook.on_post_build(config=config)
    finally:
        logger.removeHandler(handler)
    first, last = [line for line in handler.lines if line.startswith("[generate]")]
    assert re.fullmatch(r"\[generate\] 2 scenarios, \d+ pages prepared in \d+\.\d\d s", first)
    found = re.fullmatch(
        r"\[generate\] 2 scenarios, \d+ pages generated in (\S+) s"
        r" \((\S+) s before the build, (\S+) s during it\)",
        last,
    )
    assert found
    total, before, during = (float(x) for x in found.groups())
    assert total == pytest.approx(before + during, abs=0.011)
    assert (tmp_project / "out" / "assets" / "data" / "catalog.json").is_file()

"""The calculator pages, the embed pages and the widgets placed on other pages: which page carries
which widget, how the runtime starts there, and (in the built site) that only pages with a widget load
the calculator's files and that embed pages have no site chrome and nothing inline."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
import yaml

from sitegen.data.model import DataSet
from sitegen.pages.articles import TOOL_LINKS
from sitegen.pages.build import build_pages
from sitegen.runtime.assets import WebRefs, hashed_name

CALCULATORS = ["scenario-match", "iene", "dose"]


def _pages(ds: DataSet, **kwargs: object) -> dict[str, str]:
    return {p.src_uri: p.markdown for p in build_pages(ds, **kwargs)}  # type: ignore[arg-type]


def _meta(markdown: str) -> dict:
    match = re.match(r"---\n(.*?)\n---\n", markdown, re.S)
    assert match
    return yaml.safe_load(match.group(1))


def _starts(markdown: str) -> list[tuple[str, str]]:
    """(calculator, start policy) of every widget on a page, in page order."""
    return re.findall(
        r'<section class="calc" [^>]*data-calculator="([^"]+)"[^>]*data-start="([^"]+)"', markdown
    )


def _with_tools(ds: DataSet, tools: list[str]) -> DataSet:
    first = dataclasses.replace(ds.scenarios[0], related_tools=tools)  # type: ignore[arg-type]
    return dataclasses.replace(ds, scenarios=[first, *ds.scenarios[1:]])


#: page -> the widgets it carries, with their start policy (idle: calculator and embed pages; visible:
#: inline widgets, which start the runtime when seen, focused or pointed at).
WIDGETS = [
    ("index.md", [("scenario-match", "visible")]),
    ("topics/headache/index.md", [("scenario-match", "visible")]),
    ("scenarios/headache-cancer.md", [("dose", "visible")]),
    *((f"calculators/{n}/index.md", [(n, "load")]) for n in CALCULATORS),
    *((f"embed/{n}/index.md", [(n, "load")]) for n in CALCULATORS),
    ("lookup/index.md", []),
    ("procedures/ct-head.md", []),
    ("procedures/index.md", []),
    ("topics/index.md", []),
    ("faq/index.md", []),
    ("topics/headache/faq.md", []),
]


@pytest.mark.parametrize(("src_uri", "widgets"), WIDGETS)
def test_which_pages_carry_a_widget(tiny: DataSet, src_uri: str, widgets: list[tuple[str, str]]) -> None:
    pages = _pages(tiny)
    page = pages[src_uri]
    assert _starts(page) == widgets
    # the glue files go with the widgets, and only with them; inline widgets also load the shared forms
    (forms,) = [uri for uri in pages if uri.startswith("assets/calc/forms.")]
    shared = [forms] if any(start == "visible" for _, start in widgets) else []
    assert _meta(page).get("calc_assets") == (
        [
            "assets/calc/widget.css",
            "assets/calc/runtime.js",
            "assets/calc/chart.js",
            "assets/calc/answers.js",
            "assets/calc/matcher.js",
            "assets/calc/form.js",
            "assets/calc/links.js",
            *shared,
            "assets/calc/widget.js",
        ]
        if widgets
        else None
    )


def test_glue_files_are_the_hashed_ones_the_build_gives(tiny: DataSet) -> None:
    web = WebRefs({"widget.css": "assets/calc/widget.1.css", "runtime.js": "assets/calc/runtime.2.js"})
    meta = _meta(_pages(tiny, web=web)["calculators/iene/index.md"])
    assert meta["calc_assets"] == [
        "assets/calc/widget.1.css",
        "assets/calc/runtime.2.js",
        "assets/calc/chart.js",
        "assets/calc/answers.js",
        "assets/calc/matcher.js",
        "assets/calc/form.js",
        "assets/calc/links.js",
        "assets/calc/widget.js",
    ]


def test_iene_widget_only_in_articles_of_the_iene_tool(tiny: DataSet) -> None:
    pages = _pages(_with_tools(tiny, ["dose", "iene"]))
    assert _starts(pages["scenarios/headache-cancer.md"]) == [("dose", "visible"), ("iene", "visible")]
    assert (
        "## Grade extranodal extension of a node (iENE) { #iene-grading data-search-exclude }"
        in (pages["scenarios/headache-cancer.md"])
    )
    assert _starts(pages["scenarios/headache-cancer-two.md"]) == [("dose", "visible")]


@pytest.mark.parametrize(
    ("phase", "prefill", "said"),
    [
        ("after-treatment", 'data-prefill="{&#34;post_treatment&#34;:true}"', True),
        ("before-treatment", None, False),
        ("any", None, False),
    ],
)
def test_iene_widget_starts_as_imaging_after_treatment_in_such_articles(
    tiny: DataSet, phase: str, prefill: str | None, said: bool
) -> None:
    first = dataclasses.replace(tiny.scenarios[0], related_tools=["iene"], imaging_phase=phase)  # type: ignore[arg-type]
    article = _pages(dataclasses.replace(tiny, scenarios=[first, *tiny.scenarios[1:]]))[
        "scenarios/headache-cancer.md"
    ]
    widget = article.split('data-calculator="iene"')[1].split(">")[0]
    assert ("data-prefill" in widget) == (prefill is not None)
    if prefill:
        assert prefill in widget
    assert ("This article is about imaging after treatment, so the helper starts with" in article) == said


def test_article_dose_widget_starts_from_the_recommended_study(tiny: DataSet) -> None:
    article = _pages(tiny)["scenarios/headache-cancer.md"]
    # the studies the article rates come first, in the order of its ratings table
    assert 'data-featured="mri-head ct-head pet-ct"' in article
    assert (
        'data-prefill="{&#34;studies&#34;:[{&#34;count&#34;:1,&#34;procedure&#34;:&#34;mri-head&#34;}]}"'
        in article
    )
    assert '<details class="calc-details" data-testid="calc-details-dose">' in article


def test_tool_links_lead_to_the_calculator_pages(tiny: DataSet) -> None:
    assert TOOL_LINKS["dose"] == ("Radiation dose calculator", "calculators/dose/index.md")
    assert TOOL_LINKS["iene"] == ("iENE grading helper", "calculators/iene/index.md")
    assert TOOL_LINKS["scenario-match"] == ("Scenario matcher", "calculators/scenario-match/index.md")
    article = _pages(tiny)["scenarios/headache-cancer.md"]
    assert "- [Radiation dose calculator](../calculators/dose/index.md)" in article


@pytest.mark.parametrize(
    ("name", "texts"),
    [
        (
            "iene",
            [
                "# iENE grade (HNCIG 2024, task-force refinement)",
                '<a href="../../calculators/#iene-grade-iene">calculators\' reference</a>',
                '<a href="../../embed/">Embedding the calculators</a>',
                # the snippet: the frame and the host script as files, nothing inline for a strict host
                '<code id="calc-snippet-iene">&lt;iframe src=&#34;https://YOUR-SITE/embed/iene/&#34; '
                "title=&#34;iENE grade (HNCIG 2024, task-force refinement)&#34; data-calc-embed",
                "loading=&#34;lazy&#34; allow=&#34;clipboard-write&#34;&gt;&lt;/iframe&gt;\n&lt;script "
                "src=&#34;https://YOUR-SITE/assets/js/embed-host.js&#34; defer&gt;&lt;/script&gt;</code>",
                '<button type="button" class="calc-button" data-calc-copy="calc-snippet-iene"',
                '<a href="../../embed/iene/">the embed page of this calculator</a>',
                "<!-- rules and data: calculator/iene.py, calculator/_iene_rules.py,"
                " calculator/_iene_staging.py, calculator/_iene_fields.py; results pinned by the test cases"
                " in tests/cases/iene.json -->",
            ],
        ),
        ("dose", ["# Cumulative radiation dose", '"../../calculators/#cumulative-dose-dose"']),
        (
            "scenario-match",
            ["# Which ACR scenario fits?", '"../../calculators/#scenario-matcher-scenario-match"'],
        ),
    ],
)
def test_calculator_page_says(tiny: DataSet, name: str, texts: list[str]) -> None:
    page = _pages(tiny)[f"calculators/{name}/index.md"]
    for text in texts:
        assert text in page
    # the form first: only the title and a one-line summary above it; what it rests on folded below
    assert page.index('<section class="calc"') < page.index('<details class="calc-about sg-noprint"')
    above = page[page.index("\n# ") : page.index('<section class="calc"')]
    assert '<p class="sg-lede sg-noprint">' in above and "Sources:" not in above


@pytest.mark.parametrize("name", CALCULATORS)
def test_embed_page_is_the_widget_alone(tiny: DataSet, name: str) -> None:
    page = _pages(tiny)[f"embed/{name}/index.md"]
    meta = _meta(page)
    assert meta["template"] == "embed.html"
    assert meta["search"] == {"exclude": True}
    body = page.split("\n---\n", 1)[1]
    assert 'data-embed="true"' in body
    assert '<a href="../../calculators/' + name + '/" target="_blank" rel="noopener">' in body
    # the strict policy of embed.md: no inline script, style attribute or style block
    assert not re.search(r"<script|\sstyle=|<style", body)


# --- the built site ------------------------------------------------------------------------------


def _html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


def test_built_pages_load_the_calculator_only_with_a_widget(built_site: Path) -> None:
    with_widget = []
    for page in _html_pages(built_site):
        html = page.read_text(encoding="utf-8")
        scripts = re.findall(r'<script src="([^"]*assets/calc/[^"]+)"', html)
        rel = page.relative_to(built_site).as_posix()
        if 'data-calculator="' in html:
            with_widget.append(rel)
            # inline widgets take their forms from the shared file; calculator and embed pages carry theirs
            inline = not rel.startswith(("calculators/", "embed/"))
            forms = ["forms"] if inline else []
            expected = ["runtime", "chart", "answers", "matcher", "form", "links", *forms, "widget"]
            assert [Path(s).name.split(".")[0] for s in scripts] == expected, rel
            assert all((page.parent / s).resolve().is_file() for s in scripts), rel
            assert re.search(r'<script src="[^"]+" defer></script>', html), rel
        else:
            assert not re.search(r'(src|href)="[^"]*assets/(calc|pyodide)/', html), rel  # prose may name them
    assert "calculators/iene/index.html" in with_widget and "index.html" in with_widget
    assert "lookup/index.html" not in with_widget


@pytest.mark.parametrize("name", CALCULATORS)
def test_built_embed_page_has_no_chrome_and_nothing_inline(built_site: Path, name: str) -> None:
    html = (built_site / "embed" / name / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\ssrc=)", html), "inline script"
    assert not re.search(r"\sstyle=|<style", html), "inline style"
    for chrome in ("md-header", "md-nav", "md-footer", "md-search", "sg-footer-note"):
        assert chrome not in html
    assert re.search(r'<link rel="stylesheet" href="\.\./\.\./assets/calc/widget\.[0-9a-f]{8}\.css">', html)


def test_built_embed_pages_stay_out_of_search_and_navigation(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert not {f"embed/{name}/" for name in CALCULATORS} & locations
    assert {f"calculators/{name}/" for name in CALCULATORS} <= locations
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert not re.search(r'href="embed/[a-z]', home)
    assert 'href="calculators/iene/"' in home  # in the navigation


def test_inline_widgets_take_their_forms_from_one_shared_script(tiny: DataSet) -> None:
    generated = {p.src_uri: p.markdown for p in build_pages(tiny)}
    (uri,) = [u for u in generated if u.startswith("assets/calc/forms.")]
    script = generated[uri]
    assert uri == f"assets/calc/{hashed_name('forms.js', script.encode('utf-8'))}"
    prefix = "globalThis.CalcForms = "
    assert script.startswith(prefix) and script.endswith(";\n")
    forms = json.loads(script[len(prefix) : -2])
    assert sorted(forms) == sorted(CALCULATORS)
    article = generated["scenarios/headache-cancer.md"]
    # the article carries the section and a no-script note, not the form; the shared file has the form
    assert 'data-calculator="dose"' in article and 'data-testid="calc-form-dose"' not in article
    assert "needs JavaScript" in article and "data-sources=" not in article
    assert 'data-testid="calc-form-dose"' in forms["dose"]["html"]
    assert forms["dose"]["sources"]["acr-test"]["title"]
    # calculator pages keep their form in the page (they work under the embed CSP and start at load)
    assert 'data-testid="calc-form-dose"' in generated["calculators/dose/index.md"]

"""The generator's pages from a tiny hand-made data set: which pages, what they say, same bytes twice."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import jinja2
import markupsafe
import pytest
import yaml

from sitegen import _fork
from sitegen.data import provenance
from sitegen.data.model import Cite, Claim, DataSet
from sitegen.pages import render
from sitegen.pages.build import build_pages
from sitegen.pages.render import GeneratedPage, page_url


def _pages(ds: DataSet) -> dict[str, str]:
    """The generated Markdown pages (build_pages also gives the inline widgets' shared forms script)."""
    return {p.src_uri: p.markdown for p in build_pages(ds) if p.src_uri.endswith(".md")}


def _front_matter(markdown: str) -> dict:
    match = re.match(r"---\n(.*?)\n---\n", markdown, re.S)
    assert match, "page has no front matter"
    return yaml.safe_load(match.group(1))


def test_every_page_of_the_site(tiny: DataSet) -> None:
    assert list(_pages(tiny)) == [
        "calculators/dose/index.md",
        "calculators/iene/index.md",
        "calculators/scenario-match/index.md",
        "embed/dose/index.md",
        "embed/iene/index.md",
        "embed/scenario-match/index.md",
        "faq/index.md",
        "index.md",
        "lookup/index.md",
        "procedures/ct-head.md",
        "procedures/index.md",
        "procedures/mri-head.md",
        "procedures/pet-ct.md",
        "scenarios/headache-cancer-two.md",
        "scenarios/headache-cancer.md",
        "topics/headache/faq.md",
        "topics/headache/index.md",
        "topics/index.md",
    ]


def test_same_data_same_bytes_whatever_the_input_order(tiny: DataSet) -> None:
    shuffled = dataclasses.replace(tiny, scenarios=list(reversed(tiny.scenarios)))
    assert build_pages(tiny) == build_pages(tiny) == build_pages(shuffled)


@pytest.mark.parametrize(
    ("day", "text"),
    [(dt.date(2026, 5, 29), "29 May 2026"), (dt.date(2025, 1, 1), "1 January 2025")],
)
def test_dates_are_spelled_out(day: dt.date, text: str) -> None:
    assert render.format_date(day) == text


@pytest.mark.parametrize(
    ("low", "high", "text"),
    [
        (0, 0, "0 mSv"),
        (0, 0.1, "<0.1 mSv"),
        (0.1, 1, "0.1–1 mSv"),
        (1, 10, "1–10 mSv"),
        (30, 100, "30–100 mSv"),
    ],
)
def test_msv_bands_use_an_en_dash(low: float, high: float, text: str) -> None:
    assert render.msv_band(low, high) == text


@pytest.mark.parametrize(("level", "symbol"), [(0, "○"), (1, "☢"), (3, "☢☢☢"), (5, "☢☢☢☢☢")])
def test_rrl_symbols(level: int, symbol: str) -> None:
    assert render.rrl_symbol(level) == symbol


@pytest.mark.parametrize(
    ("src_uri", "url"),
    [
        ("index.md", ""),
        ("lookup/index.md", "lookup/"),
        ("scenarios/x.md", "scenarios/x/"),
        ("topics/t/faq.md", "topics/t/faq/"),
    ],
)
def test_page_urls(src_uri: str, url: str) -> None:
    assert page_url(src_uri) == url


ARTICLE_TEXTS = [
    "# Which imaging for a new headache in a patient with cancer?",
    "<strong>Recommended: MRI head without and with IV contrast</strong>",
    '<span class="sg-badge__icon" aria-hidden="true">✔</span> Usually appropriate</span>',
    "</span> May be appropriate (Disagreement)</span>",
    "</span> Usually not appropriate</span>",
    '<span class="sg-rrl__symbol" aria-hidden="true">☢☢☢</span> RRL 3 (adult 1–10 mSv)',
    "RRL 3 (pediatric 0.3–3 mSv)",
    "RRL 4 (adult 10–30 mSv)",
    "No pediatric RRL given",
    "2 mSv (range 0.9–4 mSv)",
    # the answer card: the order text with its copy button (shown by site.js), fallbacks, red flags
    '<p class="sg-answer__order-text" id="sg-order-text" data-testid="order-text">MRI brain w/wo</p>',
    '<p class="sg-answer__copy" hidden><button type="button" class="sg-copy" data-copy-from="sg-order-text"',
    '<li><strong>If MRI is not possible:</strong> <a href="../../procedures/ct-head/">CT head without IV'
    ' contrast</a> <span class="sg-badge sg-badge--may-be-appropriate-disagreement"',
    'It misses lesions &lt; 5 mm &amp; small ones. <span class="sg-cite"><a href="#src-2">[2]</a>',
    # a case the data does not cover says so, and never guesses
    "<li><strong>If IV contrast cannot be given:</strong> this page's sources name no alternative: ask the"
    " radiologist.</li>",
    # findings that change the answer, an emergency named in words; then, plainly, who belongs elsewhere
    '<p class="sg-answer__section" data-search-exclude>Findings that change the answer</p>',
    '<li class="sg-answer__urgent"><strong>Emergency:</strong> <strong>Papilloedema:</strong> Image the same'
    ' day. <span class="sg-cite">',
    '<li><strong>Known brain metastases:</strong> Compare with the last MRI. <span class="sg-cite">',
    '<p class="sg-answer__section" data-search-exclude>Not this patient?</p>\n'
    '<ul class="sg-answer__list" data-search-exclude data-testid="answer-not-this">\n'
    '<li><strong>A child:</strong> Another variant. → <a href="../../topics/headache/#headache-child">'
    'Headache: Variant 2: Headache in a child.</a> <span class="sg-cite">',
    "### Positive { #workflow-positive data-search-exclude }",
    "### Negative { #workflow-negative data-search-exclude }",
    "### Indeterminate { #workflow-indeterminate data-search-exclude }",
    "<!-- generated from: scenarios/headache-cancer.yaml -->",
    "Clinically reviewed by Dr Test Reviewer, Neuroradiologist, on 29 May 2026.",
    "- Children. → [Headache: Variant 2: Headache in a child.](../topics/headache/index.md#headache-child)",
    "- Thunderclap onset. → ACR Cerebrovascular Disease (not covered on this site)",
    "- Parent guide: [Headache](../topics/headache/index.md)",
    "- [Lookup table of every rating](../lookup/index.md)",
    # the questions are searchable together (for the index only), the answers not
    '<p class="sg-faq-index" hidden data-testid="faq-index">Why not CT? Is PET useful?</p>',
    "### Why not CT? { #faq-1 data-search-exclude }",
    '<li id="src-1"><a href="https://acsearch.acr.org/list">ACR Appropriateness Criteria: Test Topic.</a>',
    '<a href="#src-2">[2]</a> As reported by the source article; not yet checked against the ACR table.',
    'Rating: <span class="sg-cite"><a href="#src-1">[1]</a> Checked against the ACR publication.</span>',
    "“Recommended” is not an ACR category: it is the first choice, among the studies rated Usually"
    " appropriate, of this page.",
    "variant, in our words: Variant 1: Which imaging",
    '<span class="sg-kind">(source article by one publisher, not an ACR document)</span>',
    '<th scope="col">Radiation (adult / pediatric)</th>',
    # data text is HTML-escaped, in Markdown and in HTML alike
    "A 54-year-old with a new headache &amp; a known cancer &lt;stage IV&gt;.",
]


@pytest.mark.parametrize("text", ARTICLE_TEXTS)
def test_article_says(tiny: DataSet, text: str) -> None:
    assert text in _pages(tiny)["scenarios/headache-cancer.md"]


def test_ratings_are_ordered_most_appropriate_first(tiny: DataSet) -> None:
    article = _pages(tiny)["scenarios/headache-cancer.md"]
    names = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', article)
    assert names == [
        "MRI head without and with IV contrast",
        "CT head without IV contrast",
        "FDG-PET/CT skull base to mid-thigh",
    ]


def test_article_json_ld(tiny: DataSet) -> None:
    meta = _front_matter(_pages(tiny)["scenarios/headache-cancer.md"])
    page, faq = meta["jsonld"]
    assert page["@type"] == "MedicalWebPage"
    assert page["lastReviewed"] == "2026-05-29"
    reviewer = {"@type": "Person", "name": "Dr Test Reviewer", "jobTitle": "Neuroradiologist"}
    assert page["reviewedBy"] == reviewer
    assert [c["name"] for c in page["citation"]] == [
        "ACR Appropriateness Criteria: Test Topic.",
        "Seed article on headache, 2026.",
        "Mettler FA Jr et al. Radiology 2008;248:254–263.",
    ]
    assert faq["@type"] == "FAQPage"
    assert faq["mainEntity"][0] == {
        "@type": "Question",
        "name": "Why not CT?",
        "acceptedAnswer": {"@type": "Answer", "text": "It's less sensitive."},
    }


@pytest.mark.parametrize(
    ("src_uri", "texts"),
    [
        (
            "topics/headache/index.md",
            [
                "### Variant 1: A second headache article? { #headache-cancer-two data-search-exclude }",
                "[A second headache article?](../../scenarios/headache-cancer-two.md)",
                "### Variant 3: Other headache. { #headache-other }",
                "No article on this site yet: read this variant and its ratings in the"
                ' <a href="https://acsearch.acr.org/list">ACR Appropriateness Criteria</a>.',
                'Top-rated study: MRI head without and with IV contrast <span class="sg-badge',
                '<a href="https://acsearch.acr.org/list">ACR Appropriateness Criteria: Test Topic.</a>'
                " · Checked against the ACR publication.",
                'Variant listed in: <span class="sg-cite" title="Seed article on headache, 2026.">'
                '<a href="https://example.org/s">Seed article on headache, 2026.</a> · As reported by'
                " the source article; not yet checked against the ACR table.</span>",
            ],
        ),
        (
            "topics/headache/faq.md",
            ["### Why not CT?", '<a href="../../../scenarios/headache-cancer/#faq-1">'],
        ),
        ("faq/index.md", ['<a href="../scenarios/headache-cancer-two/#faq-2">Is PET useful?</a>']),
        (
            "procedures/ct-head.md",
            [
                "# CT head without IV contrast",
                "May be appropriate (Disagreement)",
                '<a href="../../scenarios/headache-cancer/">Which imaging for a new headache',
                'Typical adult effective dose: <span class="sg-dose">2 mSv (range 0.9–4 mSv)</span> — ',
            ],
        ),
        (
            "procedures/mri-head.md",
            [
                "MRI · head · without and with IV contrast · also called brain MRI",
                '<a href="../../topics/headache/#headache-child">Headache: Variant 2: Headache in a child.',
            ],
        ),
        (
            "index.md",
            [
                '<form class="sg-search" action="index.html" method="get" role="search"',
                'name="q"',
                '<a href="scenarios/headache-cancer/">',
            ],
        ),
    ],
)
def test_page_says(tiny: DataSet, src_uri: str, texts: list[str]) -> None:
    page = _pages(tiny)[src_uri]
    for text in texts:
        assert text in page


def test_lookup_has_one_row_per_rating_plus_sourced_sibling_tops(tiny: DataSet) -> None:
    lookup = _pages(tiny)["lookup/index.md"]
    assert lookup.count('<tr><th scope="row">') == 3 + 3 + 1
    assert "(top-rated study only)" in lookup
    assert '<p class="sg-lookup__controls" hidden>' in lookup  # the filter box only appears with JavaScript


def test_every_page_names_its_data_files_for_editors_in_a_comment_only(tiny: DataSet) -> None:
    # calculator pages name their rules and test cases instead; embed pages are the widget alone
    for src_uri, markdown in _pages(tiny).items():
        if src_uri.startswith("embed/"):
            continue
        if src_uri.startswith("calculators/"):
            pattern = r"<!-- rules and data: calculator/\S+\.py.*; results pinned by the test cases in tests/"
        else:
            pattern = r"<!-- generated from: scenarios/[^>]+ -->"
        assert re.search(pattern, markdown), src_uri
        # outside HTML comments, no page names a data or code file
        visible = re.sub(r"<!--.*?-->", "", markdown, flags=re.S)
        assert not re.search(r"\.(ya?ml|py)\b", visible), src_uri


def test_only_articles_speak_of_review_and_none_gives_a_date_elsewhere(tiny: DataSet) -> None:
    # site-wide pages cover many articles: a review date there would vouch for data nobody reviewed
    for src_uri, markdown in _pages(tiny).items():
        if src_uri.startswith("scenarios/"):
            continue
        review_date = r"[Rr]eviewed (by|on|\d)|lastReviewed|\b\d{1,2} [A-Z][a-z]+ 20\d\d\b"
        assert not re.search(review_date, markdown), src_uri


@pytest.mark.parametrize(
    ("src_uri", "excluded"),
    [
        ("lookup/index.md", True),
        ("faq/index.md", True),
        ("topics/headache/faq.md", True),
        ("index.md", True),
        ("scenarios/headache-cancer.md", False),
        ("topics/headache/index.md", False),
        ("procedures/ct-head.md", False),
    ],
)
def test_bulky_or_duplicate_pages_stay_out_of_the_search_index(
    tiny: DataSet, src_uri: str, excluded: bool
) -> None:
    meta = _front_matter(_pages(tiny)[src_uri])
    assert bool(meta.get("search", {}).get("exclude")) is excluded


def test_templates_refuse_undefined_values() -> None:
    with pytest.raises(jinja2.UndefinedError):
        render.render("topics_index.md.j2", panels=[("Panel", [{"title": "T"}])], reviewed="x")


def test_generated_page_is_a_plain_record() -> None:
    assert GeneratedPage("a.md", "# A\n") == GeneratedPage(src_uri="a.md", markdown="# A\n")


@pytest.mark.skipif(not hasattr(_fork.os, "fork"), reason="no fork on this platform")
def test_pages_rendered_in_a_forked_child_are_the_same(
    tiny: DataSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Large sites render half their articles in a child; the tiny data set is far below that size.
    serial = build_pages(tiny)
    monkeypatch.setattr(_fork, "MIN_ITEMS", 1)
    monkeypatch.setattr(_fork, "_can_fork", lambda: True)
    assert build_pages(tiny) == serial


@pytest.mark.parametrize(
    "value",
    ["", "plain", "<b>\"Tom\" & 'Jerry'</b>", "é ☢ –", 3, 2.5, None, True, markupsafe.Markup("<i>ok</i>")],
)
def test_template_output_is_escaped_exactly_as_markupsafe_does(value: object) -> None:
    assert render._escape(value) == str(markupsafe.escape(value))
    assert render._replace(str(value)) == str(markupsafe.escape(str(value)))


def _with(ds: DataSet, **fields: object) -> DataSet:
    """The tiny data set with fields of its first article replaced."""
    first = dataclasses.replace(ds.scenarios[0], **fields)  # type: ignore[arg-type]
    return dataclasses.replace(ds, scenarios=[first, *ds.scenarios[1:]])


def _claim(at: str, source: str = "mettler", mark: str = "verified", note: str = "") -> Claim:
    cite = Cite(source=source, confidence=mark, note=note)  # type: ignore[arg-type]
    return Claim(at=at, statement="A statement.", cite=cite)


# one text of each kind a claim can sit on, and the text the cite must follow
CLAIM_TEXTS = {
    "summary": "CT only if MRI can&#39;t be done.",
    "vignette": "a known cancer &lt;stage IV&gt;.",
    "fits": "whose cancer is known.",
    "inclusion[].text": "Known cancer.",
    "differential[].text": "The main concern.",
    "recommendation.why": "MRI shows small metastases.",
    "recommendation.points[]": "Enhancing lesions.",
    "workflow.positive[]": "Tumor board.",
    "workflow.negative[]": "Follow up.",
    "workflow.indeterminate[]": "Repeat MRI.",
    "pitfalls[].text": "Misses lesions.",
    "escalation": "Call neuroradiology.",
    "faq[].answer": "It&#39;s less sensitive.",
    # the answer card's texts: a claim's cite follows the entry's own
    "fallbacks[].text": "small ones. {own}",
    "red_flags[].then": "Image the same day. {own}",
    "not_this_scenario[].then": 'Another variant. → <a href="../../topics/headache/#headache-child">Headache:'
    " Variant 2: Headache in a child.</a> {own}",
}
#: The answer card's own citation of its first fallback, red flag and redirect, which a claim's cite follows.
CARD_CITE = (
    '<span class="sg-cite"><a href="#src-2">[2]</a> As stated in the source article; not checked in another'
    " source.</span>"
)


def test_claim_texts_cover_every_field_a_claim_can_sit_on() -> None:
    assert set(CLAIM_TEXTS) == set(provenance.CLAIM_FIELDS)


@pytest.mark.parametrize("form", provenance.CLAIM_FIELDS)
def test_a_claim_is_cited_right_after_its_text(tiny: DataSet, form: str) -> None:
    page = _pages(_with(tiny, claims=[_claim(form.replace("[]", "[0]"))]))["scenarios/headache-cancer.md"]
    cite = '<span class="sg-cite"><a href="#src-{n}">[{n}]</a> Checked in the source.</span>'
    number = re.findall(r'<li id="src-(\d+)">Mettler', page)[0]
    assert CLAIM_TEXTS[form].format(own=CARD_CITE) + " " + cite.format(n=number) in page


def test_unsettled_marks_say_why_and_name_the_other_source(tiny: DataSet) -> None:
    rating = dataclasses.replace(
        tiny.scenarios[0].ratings[1],
        cite=Cite("acr-test", "unresolved", note="The two disagree.", disagrees=["mettler"]),
    )
    ratings = [tiny.scenarios[0].ratings[0], rating, tiny.scenarios[0].ratings[2]]
    claim = _claim("escalation", "seed-test", "unresolved", "Not found in the source.")
    page = _pages(_with(tiny, ratings=ratings, claims=[claim]))["scenarios/headache-cancer.md"]
    assert (
        '<a href="#src-1">[1]</a> Unresolved: the sources disagree (see also <a href="#src-3">[3]</a>).'
        ' <span class="sg-why">Source note: The two disagree.</span>' in page
    )
    why = (
        'Unresolved: not confirmed in the sources. <span class="sg-why">Source note: Not found in the source.'
    )
    assert why in page


@pytest.mark.parametrize(
    ("wording", "text"),
    [
        ("verbatim", "variant “Variant 1: Which imaging for a new headache in a patient with cancer?”"),
        ("paraphrase", "variant, in our words: Variant 1: Which imaging"),
    ],
)
def test_variant_wording_is_quoted_only_when_verbatim(tiny: DataSet, wording: str, text: str) -> None:
    page = _pages(_with(tiny, acr_variant_wording=wording))["scenarios/headache-cancer.md"]
    assert text in page
    assert page.count("“Variant 1") == (1 if wording == "verbatim" else 0)


def test_adult_variants_show_no_pediatric_levels(tiny: DataSet) -> None:
    pages = _pages(_with(tiny, population="adult"))
    article = pages["scenarios/headache-cancer.md"]
    assert '<th scope="col">Radiation (adult)</th>' in article
    assert (
        "pediatric"
        not in article.split("## Studies the source article rates")[1].split("## What happens next")[0]
    )
    assert "(pediatric 0 mSv)" not in article.split('<section class="sg-answer"')[1].split("</section>")[0]
    # the lookup says so in the pediatric column; the procedure page keeps the study's own levels
    no_level = '<span class="sg-rrl sg-rrl--none">No pediatric level given</span>'
    assert pages["lookup/index.md"].count(no_level) == 3 + 3 + 1
    assert "Adults only" not in pages["lookup/index.md"]
    assert "RRL 3 (pediatric 0.3–3 mSv)" in pages["procedures/ct-head.md"]


def test_an_add_on_is_named_with_the_recommended_study(tiny: DataSet) -> None:
    s = tiny.scenarios[0]
    ratings = [dataclasses.replace(r, category="usually-appropriate") for r in s.ratings]
    rec = dataclasses.replace(s.recommendation, add_on="ct-head")
    pages = _pages(_with(tiny, ratings=ratings, recommendation=rec))
    name = "MRI head without and with IV contrast, with CT head without IV contrast in the same examination"
    assert f"<strong>Recommended: {name}</strong>" in pages["scenarios/headache-cancer.md"]
    heading = "## Why MRI head without and with IV contrast plus CT head without IV contrast"
    assert heading in pages["scenarios/headache-cancer.md"]
    assert f'Recommended: {name} <span class="sg-badge' in pages["topics/headache/index.md"]


def test_a_measured_mean_with_its_sd_is_not_called_a_range(tiny: DataSet) -> None:
    cat = tiny.catalogs
    procs = [
        dataclasses.replace(p, dose=dataclasses.replace(p.dose, spread="sd"))
        if p.id == "ct-head" and p.dose
        else p
        for p in cat.procedures
    ]
    pages = _pages(dataclasses.replace(tiny, catalogs=dataclasses.replace(cat, procedures=procs)))
    dose = '<span class="sg-dose">2 mSv (mean ± 1 SD: 0.9–4 mSv)</span>'
    assert dose in pages["procedures/ct-head.md"]
    assert dose in pages["scenarios/headache-cancer.md"]
    assert "(range 0.9–4 mSv)" not in pages["lookup/index.md"]

"""The calculator widgets on the site: one page per calculator, one chrome-less embed page per
calculator, and the widget HTML the other pages place (home, guides, articles).

A page with a widget names its glue files in ``page.meta.calc_assets`` (site-root-relative); the
theme templates (``content/overrides/main.html`` and ``embed.html``) turn them into ``<link>`` and
deferred ``<script>`` tags with relative addresses. Pages without a widget carry none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from sitegen.pages.forms import Placement, calculator_specs
from sitegen.pages.render import GeneratedPage, front_matter, render, up_to_root
from sitegen.pages.site import Site
from sitegen.runtime.assets import CALC_DIR, hashed_name

__all__ = [
    "CALCULATOR_PAGES",
    "HOST_SCRIPT",
    "SNIPPET_HOST",
    "calculator_page",
    "calculator_src",
    "embed_page",
    "embed_src",
    "shared_forms",
    "widget",
    "with_assets",
]

#: The glue files every page with a widget loads, in order: widget.js uses the scripts before it.
ASSETS = (
    "widget.css",
    "runtime.js",
    "chart.js",
    "answers.js",
    "matcher.js",
    "form.js",
    "links.js",
    "widget.js",
)
#: What an inline widget shows without JavaScript: its form comes from the shared forms file.
NO_SCRIPT = Markup(
    '<noscript><p class="calc__noscript">This calculator runs in your browser and needs JavaScript, '
    "which is off or blocked here.</p></noscript>"
)


@dataclass(frozen=True)
class CalculatorText:
    """What the calculator's page says about it, beside what its declaration says."""

    #: Its name in links and the navigation.
    label: str
    #: What it does and on what it rests, in our words.
    intro: str
    #: Source ids (catalog/sources.yaml) the intro names, in the order it names them.
    sources: tuple[str, ...]
    #: Its section of the I/O reference (calculators/index.md).
    reference_anchor: str
    #: Where its rules and data live, for the editors' note in the page source (the rules first).
    files: tuple[str, ...]
    #: The test cases that pin its results.
    cases: str


CALCULATOR_PAGES: dict[str, CalculatorText] = {
    "scenario-match": CalculatorText(
        "Scenario matcher",
        "Tick the facts that apply to your patient, or type the clinical question as you would on a "
        "request form. The matcher compares them with every scenario written up on this site and every "
        "ACR variant our topic guides list, and ranks those that fit, each with the study its page starts "
        "with (an article's recommended study, or the top-rated study a guide lists for a variant). It "
        "is a fixed set of rules over our scenario data, not a language model: the same input always "
        "gives the same answer. The ratings are the ACR's as reported in the source each result names; "
        "most have not yet been checked against the ACR's own tables, and each linked page says which.",
        ("acr-methodology",),
        "scenario-matcher-scenario-match",
        (
            "calculator/match.py",
            "scenarios/*.yaml",
            "scenarios/catalog/facts.yaml",
            "scenarios/catalog/synonyms.yaml",
        ),
        "tests/cases/match.json",
    ),
    "iene": CalculatorText(
        "iENE grading helper",
        "Enter each nodal finding seen on CT or MRI and how certain you are of it. The helper grades "
        "imaging-detected extranodal extension with the four-grade system of the Head and Neck Cancer "
        "International Group (HNCIG, 2024) as refined by the AOSNHNR-ASHNR-ESHNR task force, following "
        "the review by Kuno et al. (2025): only an unequivocal finding raises the grade. Where the two "
        "differ it follows the task force (an irregular margin without projections into the fat is "
        "Grade 0, where the original HNCIG wording counts clearly irregular margins as Grade 1) and says "
        "so, naming both. Arterial contact of 180° to under 270° is sent for multidisciplinary review with "
        "the review's pointers; when a finding the review treats as a sign of invasion falls outside its "
        "grading criteria (other arterial signs under 270°, definite carotid bifurcation involvement, "
        "muscle infiltration on one section) the grade is reported as not settled. Given the primary "
        "subsite, it says what our sources state about the TNM 9th edition N category: a category for "
        "Grade 3 only, none for Grades 1 and 2, which our sources leave unsettled, none where the grade "
        "itself or the two criteria sets leave it open, and none for imaging after surgery or radiotherapy. "
        "The review was read; the consensus paper, the task-force guide and the TNM 9 book were not, and "
        "are cited as the review cites them.",
        (
            "henson-2024",
            "kuno-2025",
            "ashnr-iene-2025",
            "icon-n-2025",
            "npc9-2024",
            "ndrs-salivary-tnm9",
            "glastonbury-2017",
            "uicc-tnm8-unknown-primary",
            "uicc-tnm9",
        ),
        "iene-grade-iene",
        (
            "calculator/iene.py",
            "calculator/_iene_rules.py",
            "calculator/_iene_staging.py",
            "calculator/_iene_fields.py",
        ),
        "tests/cases/iene.json",
    ),
    "dose": CalculatorText(
        "Radiation dose calculator",
        "Add up the typical effective dose of a series of imaging studies and compare it with natural "
        "background radiation. Typical doses come from this site's procedure catalogue (Mettler et al. "
        "2008 for most CT, measured values for FDG-PET/CT), each marked with how sure we are of it and, "
        "where sources disagree, why; the bands come from the ACR Relative Radiation Levels, and "
        "background is taken at about 3 mSv a year (NCRP Report 160). It gives no cancer-risk estimate, "
        "following the AAPM position statement PP 25-C (2018): the evidence of harm below 100 mSv is "
        "inconclusive, and predictions of hypothetical cancers from diagnostic imaging are discouraged. "
        "That statement's page gives a sunset date at the end of 2023; no renewal or replacement was "
        "found.",
        (
            "mettler-2008",
            "marti-climent-2017",
            "quinn-2016",
            "radiologyinfo-dose-chart",
            "acr-rrl",
            "ncrp-160",
            "radiologyinfo-safety",
            "aapm-pp25c",
        ),
        "cumulative-dose-dose",
        ("calculator/dose.py", "scenarios/catalog/procedures.yaml", "scenarios/catalog/rrl.yaml"),
        "tests/cases/dose.json",
    ),
}

#: Where the snippet points until widget.js puts in this site's own address (served pages only).
SNIPPET_HOST = "https://YOUR-SITE/"
#: The host-page script of the embed snippet (content/pages/assets/js/embed-host.js): sizes every
#: ``<iframe data-calc-embed>`` from its embed page's height messages. A file, so that a host page
#: with a strict Content-Security-Policy runs it without allowing inline scripts.
HOST_SCRIPT = "assets/js/embed-host.js"


def calculator_src(name: str) -> str:
    return f"calculators/{name}/index.md"


def embed_src(name: str) -> str:
    return f"embed/{name}/index.md"


def site_root(frm: str, directory_urls: bool) -> str:
    """The relative way from page ``frm`` back to the site root: ``./`` or ``../../``."""
    return up_to_root(frm, directory_urls) or "./"


def with_assets(site: Site, meta: dict[str, Any], *, start_at_load: bool = False) -> dict[str, Any]:
    """``meta`` plus the glue files of a page that carries a widget. ``start_at_load`` (calculator and
    embed pages, whose forms are in the page) has runtime.js start the runtime while the rest of the
    page still loads; the other pages' inline widgets take their forms from the shared forms file."""
    assets = [site.web.url(name) for name in ASSETS]
    if start_at_load:
        return {**meta, "calc_assets": assets, "calc_start": "load"}
    return {**meta, "calc_assets": [*assets[:-1], shared_forms(site).src_uri, assets[-1]]}


def shared_forms(site: Site) -> GeneratedPage:
    """``assets/calc/forms.<hash>.js``: every calculator's form and cited sources, which inline widgets
    (articles, guides, home) take from one cached download instead of repeating them in every page.
    Made once per site."""
    if site.shared_forms is None:
        site.shared_forms = _shared_forms(site)
    return site.shared_forms


def _shared_forms(site: Site) -> GeneratedPage:
    forms = {
        name: {"html": str(site.forms.body(name)), "sources": site.forms.sources_of(cited(site, name))}
        for name in calculator_specs()
    }
    # ensure_ascii: no U+2028 or other character a script would mistake
    text = f"globalThis.CalcForms = {json.dumps(forms, sort_keys=True, ensure_ascii=True)};\n"
    return GeneratedPage(f"{CALC_DIR}/{hashed_name('forms.js', text.encode('utf-8'))}", text)


def cited(site: Site, name: str) -> tuple[str, ...]:
    """The sources whose titles a result of ``name`` may name: its page's; for the dose the catalogue's
    dose and band sources; for the matcher the sources of every scenario's and variant's wording and of
    its cautions and not-covered answers."""
    ids = CALCULATOR_PAGES[name].sources
    if name == "scenario-match":
        ids += tuple(s.acr_cite.source for s in site.scenarios) + tuple(
            v.cite.source for t in site.topics.values() for v in t.variants
        )
        facts = site.ds.catalogs.facts
        ids += tuple(f.caution.cite.source for f in facts if f.caution and f.caution.cite)
        ids += tuple(f.not_covered.cite.source for f in facts if f.not_covered)
    if name == "dose":
        cat = site.ds.catalogs
        ids += tuple(p.dose.cite.source for p in cat.procedures if p.dose) + tuple(
            b.cite.source for b in cat.rrl
        )
    return tuple(sorted(set(ids)))


def widget(site: Site, name: str, frm: str, **placement: Any) -> Markup:
    """The HTML of calculator ``name``'s widget on page ``frm`` (see ``sitegen.forms.Placement``)."""
    where = Placement(site_root=site_root(frm, site.directory_urls), sources=cited(site, name), **placement)
    inline = where.start != "load"  # its form and sources come from the shared forms file
    view = site.forms.section_view(name, where, with_sources=not inline)
    html = render("widget.html.j2", w=view, body=NO_SCRIPT if inline else site.forms.body(name))
    return Markup(html)


def snippet(name: str, title: str) -> str:
    """The copy-paste HTML for an intranet page: the frame, and the script that sizes it (no inline
    script or style, so that it also works on a host page with a strict Content-Security-Policy)."""
    frame = (
        f'<iframe src="{SNIPPET_HOST}embed/{name}/" title="{title}" data-calc-embed\n'
        '        height="700" loading="lazy" allow="clipboard-write"></iframe>'
    )
    return f'{frame}\n<script src="{SNIPPET_HOST}{HOST_SCRIPT}" defer></script>'


def calculator_page(site: Site, name: str) -> GeneratedPage:
    me = calculator_src(name)
    spec, text = calculator_specs()[name], CALCULATOR_PAGES[name]
    view = {
        "spec": spec,
        "text": text,
        "sources": [site.fmt.source(sid, n) for n, sid in enumerate(text.sources, 1)],
        # its name in the first line, where the site search reads it ("dose calculator")
        "lede": spec["summary"][:1].lower() + spec["summary"][1:],
        "widget": widget(site, name, me, start="load", heading=2),
        "snippet": snippet(name, spec["title"]),
        "snippet_id": f"calc-snippet-{name}",
        "reference_url": site.link(me, "calculators/index.md", text.reference_anchor),
        "embed_doc_url": site.link(me, "embed.md"),
        "embed_url": site.link(me, embed_src(name)),
    }
    # ranked above the pages that only mention it (embedding, the developers' reference)
    meta = {"title": spec["title"], "description": spec["summary"], "search": {"boost": 3}}
    meta = with_assets(site, meta, start_at_load=True)
    return GeneratedPage(me, front_matter(meta) + render("calculator.md.j2", **view))


def embed_page(site: Site, name: str) -> GeneratedPage:
    me = embed_src(name)
    spec = calculator_specs()[name]
    view = {
        "spec": spec,
        "widget": widget(site, name, me, start="load", embed=True, heading=2),
        "page_url": site.link(me, calculator_src(name)),
    }
    # the embed.html template: the widget alone, no header, navigation, search or footer
    meta = {"title": spec["title"], "template": "embed.html", "search": {"exclude": True}}
    meta = with_assets(site, meta, start_at_load=True)
    return GeneratedPage(me, front_matter(meta) + render("embed.md.j2", **view))


def pages(site: Site) -> list[GeneratedPage]:
    """The calculator and embed page of every calculator."""
    return [
        page for name in calculator_specs() for page in (calculator_page(site, name), embed_page(site, name))
    ]

"""Build-time calculator forms (sitegen/pages/forms.py, widget.html.j2): every declared field becomes a
labelled control with its help and error slot, catalog choices come from the catalog, and the ids
and ARIA references of a page are unique and resolve."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import calculator
from sitegen.data.model import DataSet
from sitegen.pages import calcpages
from sitegen.pages.build import build_pages
from sitegen.pages.forms import OTHER_STUDY, PLACEHOLDER_INDEX, Forms, Placement, calculator_specs
from sitegen.pages.render import render
from sitegen.pages.site import Site

ANSWERS_JS = Path(__file__).resolve().parents[2] / "sitegen" / "runtime" / "web" / "answers.js"


def widget_html(ds: DataSet, name: str, **placement: Any) -> str:
    """The widget as a page at depth 2 carries it: the section and the form."""
    forms = Forms(ds.catalogs)
    where = Placement(site_root="../../", **placement)
    return render("widget.html.j2", w=forms.section_view(name, where), body=forms.body(name))


class _Page(HTMLParser):
    """Ids, label targets, ARIA references and controls of one HTML fragment (template rows included)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.label_for: list[str] = []
        self.described: list[str] = []
        self.controls: list[dict[str, str]] = []
        self.open_labels = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "label" and "for" in a:
            self.label_for.append(a["for"])
        if "aria-describedby" in a:
            self.described += a["aria-describedby"].split()
        if tag in ("input", "select", "textarea"):
            self.controls.append(a)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _paths(fields: list[dict[str, Any]], prefix: str = "") -> list[str]:
    """Every field path of a declaration, list items at the row template's placeholder index."""
    out = []
    for f in fields:
        path = f"{prefix}{f['name']}"
        out.append(path)
        if f.get("items"):
            out += _paths(f["items"], f"{path}[{PLACEHOLDER_INDEX}].")
    return out


NAMES = list(calculator_specs())


def test_the_forms_cover_every_calculator() -> None:
    assert NAMES == [c["name"] for c in calculator.specs()] == ["scenario-match", "iene", "dose"]


@pytest.mark.parametrize("name", NAMES)
def test_every_declared_field_has_a_control_and_an_error_slot(tiny: DataSet, name: str) -> None:
    html = widget_html(tiny, name)
    for path in _paths(calculator_specs()[name]["fields"]):
        assert f'data-path="{path}"' in html, path
        assert f'data-testid="calc-error-{path}"' in html, path


@pytest.mark.parametrize("name", NAMES)
def test_every_control_is_labelled_and_every_reference_resolves(tiny: DataSet, name: str) -> None:
    page = parse(widget_html(tiny, name))
    ids = set(page.ids)
    assert len(page.ids) == len(ids), [i for i in page.ids if page.ids.count(i) > 1]
    assert set(page.label_for) <= ids
    assert set(page.described) <= ids
    for control in page.controls:
        assert control["id"] in page.label_for, control["id"]


def test_ids_stay_unique_on_a_page_with_two_widgets(tiny: DataSet) -> None:
    # an article of the iENE tool carries the dose and the iENE widget
    import dataclasses

    s = dataclasses.replace(tiny.scenarios[0], related_tools=["dose", "iene"])
    ds = dataclasses.replace(tiny, scenarios=[s, tiny.scenarios[1]])
    article = next(p for p in build_pages(ds) if p.src_uri == f"scenarios/{s.id}.md").markdown
    page = parse(article)
    assert article.count('<section class="calc"') == 2
    assert len(page.ids) == len(set(page.ids))
    assert set(page.described) <= set(page.ids)


#: calculator, placement, exact pieces of HTML the form must contain.
CONTROLS = [
    (
        "iene",
        {},
        [
            # a number is a text box: what was typed reaches the calculator, whose message explains
            '<input type="text" id="calc-iene-findings-__i__-degrees" data-field="degrees" '
            'data-kind="number" data-path="findings[__i__].degrees" value="" inputmode="decimal" '
            'autocomplete="off" aria-describedby="calc-iene-findings-__i__-degrees-help '
            'calc-iene-findings-__i__-degrees-error">',
            '<label for="calc-iene-findings-__i__-degrees">Degrees of contact <span class="calc-field__unit">'
            "(degrees)</span></label>",
            # shown only for artery contact
            '<div class="calc-field calc-field--number" data-wrap="degrees" data-show-if-field="finding" '
            'data-show-if="artery-contact" hidden>',
            '<p class="calc-field__error" id="calc-iene-findings-__i__-degrees-error" '
            'data-testid="calc-error-findings[__i__].degrees" hidden></p>',
            '<label for="calc-iene-findings-__i__-finding">Finding <span class="calc-field__required">'
            "(required)</span></label>",
            '<option value="" selected>Choose…</option>',
            '<option value="flare-sign">MRI flare sign</option>',
            # an enumeration of three with a default: radio buttons, the default checked
            '<input type="radio" id="calc-iene-recent_biopsy-unknown" name="calc-iene-recent_biopsy" '
            'value="unknown" checked> <label for="calc-iene-recent_biopsy-unknown">Unknown</label>',
            # an optional enumeration without a default: a select that can be left "Not given"
            '<option value="" selected>Not given</option>',
            '<input type="checkbox" id="calc-iene-post_treatment" data-field="post_treatment" '
            'data-kind="checkbox" data-path="post_treatment" aria-describedby="calc-iene-post_treatment-help '
            'calc-iene-post_treatment-error"> <label for="calc-iene-post_treatment">',
            # a repeatable row: legend, row error slot, keyboard buttons, template for new rows
            "<legend>Finding <span data-row-number>__n__</span></legend>",
            '<p class="calc-field__error" id="calc-iene-findings-__i__-error" '
            'data-testid="calc-error-findings[__i__]" hidden></p>',
            '<button type="button" class="calc-button calc-button--quiet" data-remove-row>Remove finding '
            "<span data-row-number>__n__</span></button>",
            '<button type="button" class="calc-button" data-add-row>Add a finding</button>',
            '<template data-row-template>\n<li class="calc-row" data-row data-path="findings[__i__]">',
            'data-max-items="40"',
            # nothing is submitted without JavaScript
            '<button type="submit" class="calc-button calc-button--primary" data-testid="calc-submit" '
            "disabled>Grade</button>",
            '<p class="calc__status" data-testid="calc-status" role="status">',
            # not a live region: the status announces the headline only
            '<div class="calc__result" data-testid="calc-result"></div>',
            'data-start="visible" data-heading="3" data-site-root="../../" data-url-style="directory"',
        ],
    ),
    (
        "scenario-match",
        {"start": "load"},
        [
            '<fieldset class="calc-field calc-field--checkboxes" data-wrap="facts" data-field="facts" '
            'data-kind="checkboxes" data-path="facts" aria-describedby="calc-scenario-match-facts-help '
            'calc-scenario-match-facts-error">',
            '<p class="calc-field__help" id="calc-scenario-match-facts-help">Tick every fact that applies to '
            "the patient.</p>",
            '<li><input type="checkbox" id="calc-scenario-match-facts-known-cancer" value="known-cancer"> '
            '<label for="calc-scenario-match-facts-known-cancer">Known cancer</label></li>',
            '<textarea id="calc-scenario-match-text" data-field="text" data-kind="textarea" data-path="text" '
            'rows="3" maxlength="1000"',
            'data-kind="integer" data-path="limit" value="5" inputmode="numeric"',
            "disabled>Find matching scenarios</button>",
            'data-start="load"',
        ],
    ),
    (
        "dose",
        {
            "featured": ("ct-head", "mri-head"),
            "prefill": {"studies": [{"custom": "Old CT", "dose_msv": 2.5}]},
            "sources": ("mettler", "acr-test", "unknown-id"),
        },
        [
            # what differs between pages is on the section, for widget.js to apply
            'data-featured="ct-head mri-head" '
            'data-prefill="{&#34;studies&#34;:[{&#34;custom&#34;:&#34;Old CT&#34;,&#34;dose_msv&#34;:2.5}]}"',
            'data-sources="{&#34;acr-test&#34;:{&#34;title&#34;:&#34;ACR Appropriateness Criteria: '
            "Test Topic.&#34;,&#34;url&#34;:&#34;https://acsearch.acr.org/list&#34;},&#34;mettler&#34;:{&#34;title&#34;:"
            '&#34;Mettler FA Jr et al. Radiology 2008;248:254–263.&#34;,&#34;url&#34;:&#34;&#34;}}"',
            # every study of the catalogue by modality, with what it adds; then "another study"
            '<select id="calc-dose-studies-__i__-procedure" data-field="procedure" data-kind="select" '
            'data-path="studies[__i__].procedure" data-choices="procedures"',
            '<option value="" selected>Choose a study…</option>\n<optgroup label="CT">\n'
            '<option value="ct-head" data-child="CT head without IV contrast (child: RRL 3, 0.3–3 mSv)">'
            "CT head without IV contrast (about 2 mSv)</option>\n</optgroup>",
            '<option value="mri-head">MRI head without and with IV contrast (no ionising radiation)</option>',
            # a study the calculator would refuse is offered disabled, with the reason, adult and child
            '<optgroup label="PET/CT">\n'
            '<option value="pet-ct" disabled data-adult-off data-child="FDG-PET/CT skull base to mid-thigh'
            ' — no pediatric level on this site: enter it as another study" data-child-off>FDG-PET/CT skull'
            " base to mid-thigh — no typical dose on this site: enter it as another study</option>\n"
            "</optgroup>",
            f'<optgroup label="Not in the list">\n<option value="{OTHER_STUDY}" data-omit>Another study: '
            "enter its name and dose</option>",
            # the name and dose of another study show only when it is chosen
            '<div class="calc-field calc-field--text" data-wrap="custom" data-show-if-field="procedure" '
            'data-show-if="other" hidden>',
            'data-path="studies[__i__].dose_msv" value="" inputmode="decimal"',
            'data-path="studies[__i__].count" value="1" inputmode="numeric"',
            '<input type="radio" id="calc-dose-population-adult" name="calc-dose-population" value="adult" '
            'checked> <label for="calc-dose-population-adult">Adult</label>',
            '<label for="calc-dose-population-pediatric">Child</label>',
            '<ol class="calc-rows" data-rows></ol>',
        ],
    ),
    ("dose", {"embed": True}, ['data-embed="true"', 'data-sources="{}"']),
]


@pytest.mark.parametrize(("name", "placement", "pieces"), CONTROLS)
def test_form_html(tiny: DataSet, name: str, placement: dict[str, Any], pieces: list[str]) -> None:
    html = widget_html(tiny, name, **placement)
    for piece in pieces:
        assert piece in html


def test_fact_choices_are_the_catalog_facts(tiny: DataSet) -> None:
    html = widget_html(tiny, "scenario-match")
    values = re.findall(r'id="calc-scenario-match-facts-[^"]+" value="([^"]+)"', html)
    assert values == sorted(f.id for f in tiny.catalogs.facts)


def test_procedure_choices_are_the_catalog_procedures_once_each(tiny: DataSet) -> None:
    html = widget_html(tiny, "dose", featured=("ct-head",))
    select = html.split('data-path="studies[__i__].procedure"')[1].split("</select>")[0]
    values = re.findall(r'<option value="([^"]*)"', select)
    assert values == ["", "ct-head", "mri-head", "pet-ct", OTHER_STUDY]


def test_the_form_is_the_same_on_every_page(tiny: DataSet) -> None:
    # rendered once per build: placements change only the section's attributes
    forms = Forms(tiny.catalogs)
    assert forms.body("dose") is forms.body("dose")
    one = widget_html(tiny, "dose", featured=("ct-head",), prefill={"studies": [{"procedure": "ct-head"}]})
    two = widget_html(tiny, "dose", start="load")
    assert one.split(">", 1)[1] == two.split(">", 1)[1]
    assert one.split(">", 1)[0] != two.split(">", 1)[0]


def test_real_catalog_choices(project_root: Path) -> None:
    from sitegen.data.validate import load_dataset

    ds = load_dataset(project_root)
    facts = re.findall(
        r'id="calc-scenario-match-facts-[^"]+" value="([^"]+)"', widget_html(ds, "scenario-match")
    )
    # the facts a clinician can tick: every fact but emergencies, outside presentations and helpers
    assert sorted(facts) == sorted(
        f.id for f in ds.catalogs.facts if f.group not in ("emergency", "outside", "internal")
    )
    html = widget_html(ds, "scenario-match")
    assert re.findall(r'<fieldset class="calc-choice-group">\n<legend>([^<]+)</legend>', html) == [
        "Cancer history",
        "Symptoms",
        "Imaging findings and known conditions",
        "Red flags",
        "Age",
    ]
    dose = widget_html(ds, "dose")
    for p in ds.catalogs.procedures:
        label = rf'<option value="{p.id}"[^>]*>{re.escape(p.name)} (\(|— no typical dose)'
        assert re.search(label, dose), p.id
    # the studies without a sourced dose are there, but cannot be chosen
    assert '<option value="ct-maxillofacial-with" disabled data-adult-off' in dose


def test_finding_details_show_only_with_their_finding(tiny: DataSet) -> None:
    # the form's SHOW_IF table and the calculator's table of details per finding say the same thing
    from calculator._iene_rules import DETAILS
    from sitegen.pages.forms import SHOW_IF

    shown = {key: values for (calc, _, key), (_, values) in SHOW_IF.items() if calc == "iene"}
    assert shown == {key: (kind,) for kind, keys in DETAILS.items() for key in keys}
    html = widget_html(tiny, "iene")
    for key, (kind,) in shown.items():
        wrap = re.search(rf'<[a-z]+ class="calc-field[^"]*" data-wrap="{key}"[^>]*>', html)
        assert wrap is not None, key
        assert f'data-show-if-field="finding" data-show-if="{kind}" hidden' in wrap.group(0)


def test_new_finding_details_in_clinicians_words(tiny: DataSet) -> None:
    html = widget_html(tiny, "iene")
    for text in (
        "Fat or adventitial plane around the artery lost",
        "Lumen narrowed or deformed",
        "Tumour moves freely against the artery on ultrasound",
        "Sections showing infiltration",
        '<option value="two-or-more">At least two contiguous sections</option>',
        '<option value="one">One section only</option>',
    ):
        assert text in html


def test_widget_script_knows_every_category_and_trail_effect() -> None:
    script = ANSWERS_JS.read_text(encoding="utf-8")
    for key, label in calculator.CATEGORY_LABELS.items():
        assert f'"{key}": ["' in script and f'"{label}"]' in script, key
    for effect in ("counted", "set-aside", "noted", "flagged", "decided"):
        assert re.search(rf'"?{effect}"?: "', script), effect


@pytest.mark.parametrize(
    ("frm", "directory_urls", "root"),
    [
        ("index.md", True, "./"),
        ("scenarios/x.md", True, "../../"),
        ("topics/t/index.md", True, "../../"),
        ("calculators/iene/index.md", True, "../../"),
        ("index.md", False, "./"),
        ("scenarios/x.md", False, "../"),
        ("embed/iene/index.md", False, "../../"),
    ],
)
def test_site_root_of_a_page(frm: str, directory_urls: bool, root: str) -> None:
    assert calcpages.site_root(frm, directory_urls) == root


def test_offline_builds_say_so_to_the_widget(tiny: DataSet) -> None:
    site = Site(tiny, directory_urls=False)
    html = calcpages.widget(site, "scenario-match", "scenarios/x.md")
    assert 'data-site-root="../" data-url-style="file"' in html

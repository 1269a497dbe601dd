"""Issue 4, items 2 and 6: each calculator used from its page and where it helps (an article, the home
page, a head and neck article), field errors beside their field, deep links, the copy button and the
runtime's status line.

The forms are driven as a keyboard user would (focus, type, Enter, Space, choose an option); the
expected results are computed by the same calculator under CPython, so the browser must agree with it
exactly. Elements are selected by the widget's data-testid / data-path attributes
(sitegen/pages/templates/widget.html.j2).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Locator, Page, expect

import calculator
from calculator.browser import packaged_catalog
from sitegen.data.model import CONFIDENCES

from .conftest import PageWatch

pytestmark = pytest.mark.e2e

#: The runtime may start cold on a busy machine: results get this long (ms).
RESULT_TIMEOUT = 60_000
CASES = Path(__file__).resolve().parents[1] / "cases"
ARTICLE = "scenarios/new-neck-pain-known-cancer/"
HN_ARTICLE = "scenarios/perineural-spread-head-neck-cancer/"
#: An article about imaging after treatment: its iENE helper starts as such.
AFTER_TREATMENT_ARTICLE = "scenarios/treated-salivary-gland-cancer-follow-up/"


def expected(name: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The envelope CPython gives for ``payload``: what the browser must show."""
    return calculator.run(name, payload, packaged_catalog())


def widget(page: Page, name: str) -> Locator:
    return page.locator(f"[data-testid='calc-{name}']")


def control(w: Locator, path: str) -> Locator:
    return w.locator(f"[data-path='{path}']")


def press(locator: Locator, key: str = "Enter") -> None:
    """Activate a control from the keyboard."""
    locator.focus()
    locator.press(key)


def submit(w: Locator) -> None:
    press(w.locator("[data-testid='calc-submit']"))


def report(w: Locator) -> Locator:
    return w.locator("[data-testid='calc-report']")


def ready(w: Locator) -> None:
    expect(w).to_have_attribute("data-state", "ready", timeout=RESULT_TIMEOUT)


def finding(w: Locator, i: int, kind: str, certainty: str = "unequivocal") -> None:
    """Choose finding ``i`` of the iENE form and its certainty (the row must exist)."""
    control(w, f"findings[{i}].finding").select_option(kind)
    control(w, f"findings[{i}].certainty").select_option(certainty)


def deep_link(name: str, payload: dict[str, Any]) -> str:
    return f"#{name}=" + quote(json.dumps(payload, separators=(",", ":")), safe="")


# --- each calculator from its page ---------------------------------------------------------------


def test_iene_from_its_page(page: Page, site_url: str) -> None:
    payload = {
        "findings": [
            {"finding": "fat-projections", "certainty": "unequivocal"},
            {"finding": "muscle-infiltration", "certainty": "equivocal"},
        ],
        "subsite": "hpv-oropharynx",
        "recent_biopsy": "no",
    }
    page.goto(site_url + "calculators/iene/")
    w = widget(page, "iene")
    finding(w, 0, "fat-projections")
    press(w.locator("[data-add-row]"))
    # the new row's first control has the focus, numbered and labelled as the second finding
    expect(control(w, "findings[1].finding")).to_be_focused()
    expect(w.locator("label[for='calc-iene-findings-1-finding']")).to_have_text("Finding (required)")
    finding(w, 1, "muscle-infiltration", "equivocal")
    control(w, "subsite").select_option("hpv-oropharynx")
    press(w.locator("#calc-iene-recent_biopsy-no"), "Space")
    submit(w)
    want = expected("iene", payload)
    expect(report(w)).to_have_text(want["report"], timeout=RESULT_TIMEOUT)
    expect(w.locator("[data-testid='calc-headline']")).to_have_text(
        "Grade 1: extension confined to the perinodal fat"
    )
    expect(w).to_have_attribute("data-state", "ready")
    # the status says what happened: the headline only, which is a heading
    expect(w.locator("[data-testid='calc-status']")).to_have_text(
        "Result: Grade 1: extension confined to the perinodal fat"
    )
    expect(w.get_by_role("heading", name="Grade 1: extension confined to the perinodal fat")).to_be_visible()


def test_iene_known_case_grade(page: Page, site_url: str) -> None:
    # tests/cases/iene.json "fig11-eca-origin-encased": external carotid origin encircled over 270°
    cases = json.loads((CASES / "iene.json").read_text(encoding="utf-8"))["cases"]
    case = next(c for c in cases if c["name"] == "fig11-eca-origin-encased")
    page.goto(site_url + "calculators/iene/")
    w = widget(page, "iene")
    first = case["input"]["findings"][0]
    control(w, "findings[0].finding").select_option(first["finding"])
    control(w, "findings[0].certainty").select_option(first["certainty"])
    # the artery details appear only for artery contact
    expect(control(w, "findings[0].artery")).to_be_visible()
    control(w, "findings[0].artery").select_option(first["artery"])
    control(w, "findings[0].degrees").fill(str(first["degrees"]))
    for i, finding in enumerate(case["input"]["findings"][1:], 1):
        press(w.locator("[data-add-row]"))
        control(w, f"findings[{i}].finding").select_option(finding["finding"])
        control(w, f"findings[{i}].certainty").select_option(finding["certainty"])
    control(w, "subsite").select_option(case["input"]["subsite"])
    press(w.locator(f"#calc-iene-recent_biopsy-{case['input']['recent_biopsy']}"), "Space")
    submit(w)
    grade = case["expect"]["result"]["grade"]
    expect(w.locator("[data-testid='calc-headline']")).to_have_text(
        re.compile(f"^Grade {grade}:"), timeout=RESULT_TIMEOUT
    )
    expect(report(w)).to_have_text(expected("iene", case["input"])["report"])


def test_rows_are_added_and_removed_from_the_keyboard(page: Page, site_url: str) -> None:
    page.goto(site_url + "calculators/iene/")
    w = widget(page, "iene")
    control(w, "findings[0].finding").select_option("necrosis")
    press(w.locator("[data-add-row]"))
    control(w, "findings[1].finding").select_option("flare-sign")
    press(w.locator("[data-remove-row]").first)
    # the second finding is now the first: renumbered, and the focus is on it
    rows = w.locator("[data-row]")
    expect(rows).to_have_count(1)
    expect(rows.locator("legend").first).to_have_text("Finding 1")
    expect(control(w, "findings[0].finding")).to_have_value("flare-sign")
    expect(control(w, "findings[0].finding")).to_be_focused()
    expect(w.locator("[data-testid='calc-error-findings[0].finding']")).to_have_count(1)
    press(w.locator("[data-remove-row]"))
    expect(rows).to_have_count(0)
    expect(w.locator("[data-add-row]")).to_be_focused()


def test_dose_from_its_page(page: Page, site_url: str) -> None:
    payload = {
        "population": "adult",
        "studies": [
            {"procedure": "ct-neck-with", "count": 2},
            {"custom": "Outside CT chest", "dose_msv": 7, "count": 1},
        ],
    }
    page.goto(site_url + "calculators/dose/")
    w = widget(page, "dose")
    control(w, "studies[0].procedure").select_option("ct-neck-with")
    control(w, "studies[0].count").fill("2")
    press(w.locator("[data-add-row]"))
    control(w, "studies[1].procedure").select_option("other")
    control(w, "studies[1].custom").fill("Outside CT chest")
    control(w, "studies[1].dose_msv").fill("7")
    submit(w)
    want = expected("dose", payload)
    expect(report(w)).to_have_text(want["report"], timeout=RESULT_TIMEOUT)
    expect(w.locator("[data-testid='calc-headline']")).to_have_text("Total: about 13 mSv (range 9.4–13 mSv)")


def test_matcher_from_its_page(page: Page, site_url: str) -> None:
    payload = {"facts": ["known-cancer", "neck-pain"], "text": "new neck pain, no fever", "limit": 5}
    page.goto(site_url + "calculators/scenario-match/")
    w = widget(page, "scenario-match")
    for fact in payload["facts"]:
        press(w.locator(f"#calc-scenario-match-facts-{fact}"), "Space")
    control(w, "text").fill(payload["text"])
    submit(w)
    expect(report(w)).to_have_text(expected("scenario-match", payload)["report"], timeout=RESULT_TIMEOUT)


# --- where the widgets help ------------------------------------------------------------------------


def test_dose_from_an_article_starts_from_the_recommended_study(
    page: Page, page_watch: PageWatch, site_url: str
) -> None:
    page.goto(site_url + ARTICLE)
    w = widget(page, "dose")
    # closed under the ratings: the runtime has not been asked for yet
    expect(w).to_be_hidden()
    assert not [u for u in page_watch.requests if "/assets/pyodide/" in u]
    press(page.locator("[data-testid='calc-details-dose'] > summary"))
    first = control(w, "studies[0].procedure")
    expect(first).to_have_value("mri-cervical-spine-without-and-with")
    press(w.locator("[data-add-row]"))
    control(w, "studies[1].procedure").select_option("ct-cervical-spine-without")
    submit(w)
    payload = {
        "population": "adult",
        "studies": [
            {"procedure": "mri-cervical-spine-without-and-with", "count": 1},
            {"procedure": "ct-cervical-spine-without", "count": 1},
        ],
    }
    expect(report(w)).to_have_text(expected("dose", payload)["report"], timeout=RESULT_TIMEOUT)
    # calculating never writes the inputs into the address (they would stay in the browser's history)
    assert "#" not in page.url


def test_matcher_facts_are_grouped(page: Page, site_url: str) -> None:
    page.goto(site_url + "calculators/scenario-match/")
    w = widget(page, "scenario-match")
    expect(w.locator(".calc-choice-group > legend")).to_have_text(
        ["Cancer history", "Symptoms", "Imaging findings and known conditions", "Red flags", "Age"]
    )


def test_matcher_keeps_the_question_text_out_of_a_copied_link_unless_asked(page: Page, site_url: str) -> None:
    page.goto(site_url + "calculators/scenario-match/")
    w = widget(page, "scenario-match")
    press(w.locator("#calc-scenario-match-facts-known-cancer"), "Space")
    control(w, "text").fill("72F breast ca, new neck pain")
    submit(w)
    expect(report(w)).not_to_be_empty(timeout=RESULT_TIMEOUT)
    assert "#" not in page.url
    # the link the reader asks for holds the ticked facts, not the text
    press(w.locator("[data-testid='calc-share']"))
    shared = w.locator("[data-testid='calc-share-link']")
    facts_only = deep_link("scenario-match", {"facts": ["known-cancer"], "limit": 5})
    expect(shared).to_have_value(site_url + "calculators/scenario-match/" + facts_only)
    # ticking the box puts the text in the copied link too, as its label says; the address stays as it was
    press(w.locator("#calc-scenario-match-text-share"), "Space")
    press(w.locator("[data-testid='calc-share']"))
    expect(shared).to_have_value(re.compile(r"%22text%22%3A%2272F%20breast%20ca"))
    assert "#" not in page.url


def test_matcher_on_a_phone_brings_the_answer_into_view(page: Page, site_url: str) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site_url + "calculators/scenario-match/")
    w = widget(page, "scenario-match")
    ready(w)
    control(w, "text").fill("numb chin after tongue SCC")
    submit(w)
    headline = w.locator("[data-testid='calc-headline']")
    expect(headline).to_be_focused(timeout=RESULT_TIMEOUT)
    expect(headline).to_be_in_viewport()
    expect(headline.locator("a")).to_have_attribute("href", re.compile("perineural-spread-head-neck-cancer"))
    # the status says the answer is there, in its headline's words (the one line a screen reader hears)
    expect(w.locator("[data-testid='calc-status']")).to_have_text(re.compile(r"^Result: Best fit: "))


def test_matcher_says_not_covered_for_a_stroke(page: Page, site_url: str) -> None:
    page.goto(site_url + "calculators/scenario-match/")
    w = widget(page, "scenario-match")
    control(w, "text").fill("sudden R facial droop and R arm weakness")
    submit(w)
    expect(w.locator("[data-testid='calc-headline']")).to_have_text(
        "Not covered here: follow your emergency pathway.", timeout=RESULT_TIMEOUT
    )
    expect(w.locator("[data-testid='calc-answer']")).to_contain_text("Cerebrovascular Diseases")
    expect(w.locator("[data-testid='calc-answer'] a")).to_have_count(0)


def test_matcher_from_the_home_page_links_the_article(page: Page, site_url: str) -> None:
    page.goto(site_url)
    w = widget(page, "scenario-match")
    press(w.locator("#calc-scenario-match-facts-known-cancer"), "Space")
    control(w, "text").fill("new neck pain, no fever")
    submit(w)
    best = w.locator("[data-testid='calc-headline'] a")
    expect(best).to_have_attribute("href", "./scenarios/new-neck-pain-known-cancer/", timeout=RESULT_TIMEOUT)
    press(best)
    expect(page).to_have_url(site_url + ARTICLE)


def test_iene_in_a_head_and_neck_article(page: Page, site_url: str) -> None:
    page.goto(site_url + HN_ARTICLE)
    w = widget(page, "iene")
    control(w, "findings[0].finding").select_option("skin-invasion")
    control(w, "findings[0].certainty").select_option("unequivocal")
    submit(w)
    expect(w.locator("[data-testid='calc-headline']")).to_have_text(
        "Grade 3: extension into adjacent structures", timeout=RESULT_TIMEOUT
    )


def test_iene_after_treatment_article_starts_as_imaging_after_treatment(page: Page, site_url: str) -> None:
    page.goto(site_url + AFTER_TREATMENT_ARTICLE)
    w = widget(page, "iene")
    expect(control(w, "post_treatment")).to_be_checked()
    control(w, "findings[0].finding").select_option("skin-invasion")
    control(w, "findings[0].certainty").select_option("unequivocal")
    control(w, "subsite").select_option("salivary-gland")
    submit(w)
    payload = {
        "findings": [{"finding": "skin-invasion", "certainty": "unequivocal"}],
        "subsite": "salivary-gland",
        "post_treatment": True,
    }
    want = expected("iene", payload)
    expect(w.locator("[data-testid='calc-n-category']")).to_have_text(
        "No TNM statement for imaging after treatment. " + want["result"]["staging"]["text"],
        timeout=RESULT_TIMEOUT,
    )


def test_iene_unsettled_grade_is_never_shown_as_negative(page: Page, site_url: str) -> None:
    payload = {
        "findings": [{"finding": "carotid-bifurcation", "certainty": "unequivocal"}],
        "subsite": "squamous-other",
    }
    page.goto(site_url + "calculators/iene/" + deep_link("iene", payload))
    w = widget(page, "iene")
    want = expected("iene", payload)
    expect(report(w)).to_have_text(want["report"], timeout=RESULT_TIMEOUT)
    answer = w.locator("[data-testid='calc-answer']")
    expect(answer.locator(".calc-answer__sub")).to_have_text(want["result"]["ene_label"])
    expect(w.locator("[data-testid='calc-n-category']")).to_contain_text("N category not settled.")
    assert "iENE-negative (Grade 0)" not in answer.inner_text()


def internal_labels(text: str) -> list[str]:
    """Source ids and raw confidence marks in text a reader sees (the packaged catalog's ids); the
    site's wording may say "seed article" and open an explanation with "Unresolved:"."""
    text = re.sub(r"\bseed articles?\b|\bUnresolved: (?=\w)", "", text)
    ids = set(packaged_catalog()["sources"]) | set(CONFIDENCES)
    return sorted(i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text, re.IGNORECASE))


def test_iene_new_findings_and_staging_in_words(page: Page, site_url: str) -> None:
    payload = {
        "findings": [
            {"finding": "muscle-infiltration", "certainty": "unequivocal", "sections": "one"},
            {
                "finding": "artery-contact",
                "certainty": "unequivocal",
                "artery": "internal-carotid",
                "degrees": 200,
                "adventitia_lost": True,
            },
            {"finding": "gland-invasion", "certainty": "unequivocal"},
        ],
        "subsite": "nasopharynx",
        "recent_biopsy": "no",
    }
    page.goto(site_url + "calculators/iene/")
    w = widget(page, "iene")
    finding(w, 0, "muscle-infiltration")
    # the muscle detail shows for muscle only, the artery signs for artery contact only
    expect(control(w, "findings[0].sections")).to_be_visible()
    expect(control(w, "findings[0].adventitia_lost")).to_be_hidden()
    control(w, "findings[0].sections").select_option("one")
    press(w.locator("[data-add-row]"))
    finding(w, 1, "artery-contact")
    expect(control(w, "findings[1].sections")).to_be_hidden()
    control(w, "findings[1].artery").select_option("internal-carotid")
    control(w, "findings[1].degrees").fill("200")
    press(control(w, "findings[1].adventitia_lost"), "Space")
    press(w.locator("[data-add-row]"))
    finding(w, 2, "gland-invasion")
    control(w, "subsite").select_option("nasopharynx")
    press(w.locator("#calc-iene-recent_biopsy-no"), "Space")
    submit(w)
    want = expected("iene", payload)
    expect(report(w)).to_have_text(want["report"], timeout=RESULT_TIMEOUT)
    answer = w.locator("[data-testid='calc-answer']")
    expect(answer).to_contain_text("Pointers from the review")
    # gland invasion alone gives no nasopharyngeal N3, and the page says why in words
    expect(w.locator("[data-testid='calc-n-category']")).to_have_text(
        "No N category given. " + want["result"]["staging"]["text"]
    )
    expect(answer).to_contain_text("How sure: Not settled by the calculator's sources")
    assert internal_labels(answer.inner_text() + w.locator(".calc-trail").inner_text()) == []


def test_dose_says_why_a_figure_is_uncertain(page: Page, site_url: str) -> None:
    payload = {"studies": [{"procedure": "ct-neck-with", "count": 1}]}
    page.goto(site_url + "calculators/dose/" + deep_link("dose", payload))
    w = widget(page, "dose")
    want = expected("dose", payload)
    expect(report(w)).to_have_text(want["report"], timeout=RESULT_TIMEOUT)
    row = want["result"]["studies"][0]
    answer = w.locator("[data-testid='calc-answer']")
    expect(answer).to_contain_text(f"CT neck with IV contrast — {row['how_sure']}. {row['note']}")
    expect(answer).to_contain_text("PP 25-C")
    assert internal_labels(answer.inner_text() + w.locator(".calc-trail").inner_text()) == []


# --- errors, deep links, copying, status -----------------------------------------------------------


def test_field_error_is_shown_next_to_its_field(page: Page, site_url: str) -> None:
    payload = {
        "findings": [
            {
                "finding": "artery-contact",
                "certainty": "unequivocal",
                "artery": "internal-carotid",
                "degrees": 999,
            }
        ]
    }
    want = expected("iene", payload)
    assert not want["ok"]
    message = next(e["plain"] for e in want["errors"] if e["path"] == "findings[0].degrees")
    assert message == "Degrees of contact must be between 0 and 360."
    page.goto(site_url + "calculators/iene/")
    w = widget(page, "iene")
    control(w, "findings[0].finding").select_option("artery-contact")
    control(w, "findings[0].certainty").select_option("unequivocal")
    control(w, "findings[0].artery").select_option("internal-carotid")
    control(w, "findings[0].degrees").fill("999")
    submit(w)
    slot = w.locator("[data-testid='calc-error-findings[0].degrees']")
    expect(slot).to_have_text(message, timeout=RESULT_TIMEOUT)
    expect(slot).to_be_visible()
    degrees = control(w, "findings[0].degrees")
    expect(degrees).to_have_attribute("aria-invalid", "true")
    expect(degrees).to_have_attribute(
        "aria-describedby", re.compile(r"\bcalc-iene-findings-0-degrees-error\b")
    )
    # the summary at the top lists it and leads to the field
    summary = w.locator("[data-testid='calc-errors']")
    expect(summary).to_be_focused()
    press(summary.get_by_role("link", name=message))
    expect(degrees).to_be_focused()
    assert "#iene=" not in page.url  # no result, no inputs kept


@pytest.mark.parametrize(
    ("path", "name", "payload"),
    [
        (
            "calculators/dose/",
            "dose",
            {
                "population": "pediatric",
                "studies": [
                    {"procedure": "ct-head-with", "count": 3},
                    {"custom": "Outside CT", "dose_msv": 2.5, "count": 1},
                ],
            },
        ),
        (
            "embed/iene/",
            "iene",
            {
                "findings": [
                    {
                        "finding": "coalescent-nodes",
                        "certainty": "unequivocal",
                        "fat_planes_lost": True,
                        "convexity_lost": True,
                        "boundaries_merged": True,
                    }
                ],
                "recent_biopsy": "no",
            },
        ),
        (ARTICLE, "dose", {"studies": [{"procedure": "fdg-petct-whole-body", "count": 2}]}),
    ],
)
def test_deep_link_restores_inputs_and_result(
    page: Page, site_url: str, path: str, name: str, payload: dict[str, Any]
) -> None:
    page.goto(site_url + path + deep_link(name, payload))
    w = widget(page, name)
    expect(report(w)).to_have_text(expected(name, payload)["report"], timeout=RESULT_TIMEOUT)
    rows = payload.get("studies") or payload.get("findings")
    expect(w.locator("[data-row]")).to_have_count(len(rows))
    if name == "dose":
        expect(control(w, "studies[0].procedure")).to_have_value(rows[0]["procedure"])
        expect(control(w, "studies[0].count")).to_have_value(str(rows[0]["count"]))
    if name == "dose" and len(rows) > 1:
        expect(control(w, "studies[1].procedure")).to_have_value("other")
        expect(control(w, "studies[1].dose_msv")).to_have_value("2.5")
        expect(w.locator("#calc-dose-population-pediatric")).to_be_checked()
    if name == "iene":
        expect(control(w, "findings[0].boundaries_merged")).to_be_checked()
        expect(control(w, "findings[0].single_node_possible")).not_to_be_checked()


def test_copy_report(page: Page, site_url: str) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    payload = {"findings": [{"finding": "flare-sign", "certainty": "unequivocal"}], "recent_biopsy": "no"}
    page.goto(site_url + "calculators/iene/" + deep_link("iene", payload))
    w = widget(page, "iene")
    text = expected("iene", payload)["report"]
    expect(report(w)).to_have_text(text, timeout=RESULT_TIMEOUT)
    press(w.locator("[data-testid='calc-copy']"))
    expect(w.locator("[data-testid='calc-copy-status']")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == text


def test_status_reaches_ready_without_a_click(page: Page, site_url: str) -> None:
    # calculator pages start the runtime once the page is idle
    page.goto(site_url + "calculators/scenario-match/")
    w = widget(page, "scenario-match")
    expect(w.locator("[data-testid='calc-status']")).to_have_text(
        "Ready: fill in the form, then press “Find matching scenarios”.", timeout=RESULT_TIMEOUT
    )
    expect(w).to_have_attribute("data-state", "ready")


def test_submitting_before_ready_waits_for_the_runtime(page: Page, site_url: str) -> None:
    page.goto(site_url)
    w = widget(page, "scenario-match")
    control(w, "text").fill("perineural spread facial numbness")
    submit(w)
    expect(w.locator("[data-testid='calc-status']")).to_contain_text(
        re.compile("Starting the calculator…|Calculating…|Result: ")
    )
    expect(w.locator("[data-testid='calc-headline']")).to_be_visible(timeout=RESULT_TIMEOUT)


def test_pages_without_a_widget_load_no_calculator(page: Page, page_watch: PageWatch, site_url: str) -> None:
    for path in ("lookup/", "procedures/", "faq/", "about/"):
        page.goto(site_url + path)
        expect(page.locator("[data-testid^='calc-']")).to_have_count(0)
    assert not [u for u in page_watch.requests if "/assets/calc/" in u or "/assets/pyodide/" in u]

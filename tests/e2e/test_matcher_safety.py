"""The matcher's safety notes on the page (h10fix's result keys): urgent cautions first, in words and
above the best fit, with the article as a link; the closest article of a not-covered emergency as a
link; a ticked fact the text denies, and the red flags a scenario presumes absent, as notes.

The questions come from tests/cases/match_questions.json (q188, q268, q002) and the calculator's own
test (tests/calculator/test_match_answers.py, the conflict); the texts are the calculator's, taken
from CPython, so the page must show them exactly.
"""

# ruff: noqa: E501 - the exact texts are clearer unbroken

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Locator, Page, expect

from .test_a11y import assert_accessible
from .test_widgets import RESULT_TIMEOUT, control, expected, press, ready, submit, widget

pytestmark = pytest.mark.e2e

MATCHER = "calculators/scenario-match/"
SOURCES = Path(__file__).resolve().parents[2] / "scenarios" / "catalog" / "sources.yaml"


def cited(source: str) -> str:
    """The title the page names a source by (answers.js sourceText)."""
    sources = yaml.safe_load(SOURCES.read_text(encoding="utf-8"))["sources"]
    return next(str(s["title"]) for s in sources if s["id"] == source).rstrip(".")


def ask(page: Page, text: str, facts: tuple[str, ...] = ()) -> tuple[Locator, dict[str, Any]]:
    """Ask the matcher on its open page, from the keyboard; the result CPython gives for the same input."""
    w = widget(page, "scenario-match")
    ready(w)
    for fact in facts:
        press(w.locator(f"#calc-scenario-match-facts-{fact}"), "Space")
    control(w, "text").fill(text)
    submit(w)
    payload: dict[str, Any] = {"text": text, **({"facts": list(facts)} if facts else {})}
    want = expected("scenario-match", payload)
    expect(w.locator("[data-testid='calc-report']")).to_have_text(want["report"], timeout=RESULT_TIMEOUT)
    return w, want["result"]


def open_matcher(page: Page, site_url: str) -> None:
    page.goto(site_url + MATCHER)


def test_an_urgent_caution_comes_first_in_words_with_its_article(page: Page, site_url: str) -> None:
    # q188: the article fits, and metastatic cord compression is flagged urgent
    open_matcher(page, site_url)
    w, result = ask(
        page, "known breast ca, neck pain, new bilateral leg weakness and urinary retention ?cord compression"
    )
    (caution,) = result["cautions"]
    assert caution["urgent"] and result["fits"]
    headline = w.locator("[data-testid='calc-headline']")
    expect(headline).to_have_text("Urgent: Suspected metastatic spinal cord compression")
    # the status announces the headline only, which says it is urgent
    expect(w.locator("[data-testid='calc-status']")).to_have_text(
        "Result: Urgent: Suspected metastatic spinal cord compression"
    )
    urgent = w.locator("[data-testid='calc-urgent']")
    expect(urgent).to_have_text(
        "Urgent: Suspected metastatic spinal cord compression. "
        + caution["text"]
        + f" (Source: {cited('iatrox-mscc-referral')}.)"
        + " Article on this site: Which imaging first for new neck pain in a patient with cancer?"
    )
    expect(urgent.get_by_role("link")).to_have_attribute(
        "href", "../../scenarios/new-neck-pain-known-cancer/"
    )
    # above the best fit, which still follows, linked
    answer = w.locator("[data-testid='calc-answer']")
    expect(answer.locator(":scope > *").nth(1)).to_have_attribute("data-testid", "calc-urgent")
    best = answer.locator("p.calc-answer__sub")
    expect(best).to_have_text("Best fit: Which imaging first for new neck pain in a patient with cancer?")
    expect(best.get_by_role("link")).to_have_attribute("href", "../../scenarios/new-neck-pain-known-cancer/")
    # the box says "Urgent" in words: colour is not the only signal
    expect(urgent.locator("strong")).to_have_text("Urgent: Suspected metastatic spinal cord compression. ")
    assert_accessible(page)


def test_a_not_covered_emergency_links_its_closest_article(page: Page, site_url: str) -> None:
    # q268: suspected epidural abscess with a deficit, an emergency this site does not cover
    open_matcher(page, site_url)
    w, result = ask(page, "IVDU, fever, neck pain, now weak both arms")
    (nc,) = result["not_covered"]
    assert nc["urgency"] == "emergency"
    expect(w.locator("[data-testid='calc-headline']")).to_have_text(
        "Not covered here: follow your emergency pathway."
    )
    expect(w.locator("[data-testid='calc-status']")).to_have_text(
        "Result: Not covered here: follow your emergency pathway."
    )
    item = w.locator("[data-testid='calc-answer'] ul.calc-answer__list").first.locator("li")
    expect(item).to_have_text(
        "Suspected spinal infection with a neurological deficit. "
        + nc["text"]
        + " ACR Appropriateness Criteria topic to consult: Myelopathy. From your words: “fever … weak … both … arms”."
        + " Closest article on this site: Neck pain or radiculopathy with suspected infection (2019 version)."
    )
    expect(item.get_by_role("link")).to_have_attribute(
        "href", "../../topics/cervical-pain-radiculopathy/#cervical-suspected-infection"
    )


def test_a_ticked_fact_the_text_denies_and_the_red_flags_to_check_are_noted(
    page: Page, site_url: str
) -> None:
    # the calculator's own conflict case: "Known or suspected cancer" ticked, "no hx of cancer" typed
    open_matcher(page, site_url)
    w, result = ask(page, "neck pain, no hx of cancer", ("known-cancer",))
    assert [c["fact"] for c in result["conflicts"]] == ["known-cancer"]
    expect(w.locator("[data-testid='calc-headline']")).to_have_text(
        "Best fit: Which imaging first for new neck pain in a patient with cancer?"
    )
    expect(w.locator("[data-testid='calc-conflict']")).to_have_text(
        "Check: 'Known or suspected cancer' is ticked, but the text says 'no hx of cancer': the ticked fact was used; check which is right."
    )
    expect(w.locator("[data-testid='calc-checks']")).to_have_text(
        "This scenario presumes none of these red flags. Not mentioned, so check them: Fever, signs of infection or a risk for it; Prior cervical spine surgery; Recent significant trauma."
    )
    expect(w.locator("[data-testid='calc-urgent']")).to_have_count(0)


def test_a_caution_that_is_not_urgent_stays_beside_the_answer(page: Page, site_url: str) -> None:
    # q002: the perineural-spread article fits; the numb chin carries its caution, not urgent
    open_matcher(page, site_url)
    w, result = ask(page, "numb chin after tongue SCC")
    (caution,) = result["cautions"]
    assert not caution["urgent"]
    expect(w.locator("[data-testid='calc-headline']")).to_have_text(
        "Best fit: Which first imaging test shows perineural spread of head and neck cancer?"
    )
    expect(w.locator("[data-testid='calc-status']")).to_have_text(
        "Result: Best fit: Which first imaging test shows perineural spread of head and neck cancer?"
    )
    expect(w.locator("[data-testid='calc-urgent']")).to_have_count(0)
    expect(w.locator("[data-testid='calc-cautions'] > li")).to_have_text(
        [f"Numb chin or lower lip. {caution['text']} (Source: {cited('mental-neuropathy-2000')}.)"]
    )


def test_a_top_rated_study_says_how_sure_its_rating_is(page: Page, site_url: str) -> None:
    # a variant's top rating read only in a superseded summary says so beside its badge, as the report does
    open_matcher(page, site_url)
    w, result = ask(page, "neck pain for a week, no red flags")
    top = next(m["top"] for m in result["matches"] if m.get("top"))
    assert top["confidence_words"]
    expect(w.locator("[data-testid='calc-result']")).to_contain_text(
        f"Top-rated study: {top['procedure_name']}"
    )
    expect(w.locator("[data-testid='calc-top-how-sure']").first).to_have_text(
        f"How sure: {top['confidence_words']}. "
    )

"""Deep links nobody should trust (issue 9, findings 4 and 13).

A link's inputs are checked against the form's own limits before any reaches the form: a link that
cannot be used says why, next to the form, which keeps its starting values; the page never throws,
never freezes, and saving new inputs afterwards still works. Every test here also fails on any page
error or console error (tests/e2e/conftest.py).
"""

# ruff: noqa: E501 - the exact messages are clearer unbroken

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

import calculator
from calculator.browser import packaged_catalog

from .test_a11y import assert_accessible
from .test_widgets import RESULT_TIMEOUT, control, deep_link, ready, report, submit, widget

pytestmark = pytest.mark.e2e

REFUSED = "The inputs in this link could not be used: {}. The form shows its usual starting values."


def _raw(name: str, text: str) -> str:
    """A fragment entry with ``text`` URL-encoded as the widget would, whatever it holds."""
    return f"#{name}=" + quote(text, safe="")


#: calculator, the fragment, why the link cannot be used (exactly as the page says it)
BAD_LINKS = [
    pytest.param("dose", "#dose=%E0", "the address is damaged (it is not valid URL encoding)", id="undecodable"),
    pytest.param("dose", _raw("dose", "{not json"), "they are not valid JSON", id="not-json"),
    pytest.param("dose", _raw("dose", "[]"), "they are not a set of this form's entries", id="not-an-object"),
    pytest.param("dose", _raw("dose", "null"), "they are not a set of this form's entries", id="null"),
    pytest.param("dose", _raw("dose", '{"studies": 5}'), "Studies: must be a list", id="rows-not-a-list"),
    pytest.param("dose", _raw("dose", json.dumps({"studies": [{}] * 600})), "Studies: at most 100 can be entered, the link has 600", id="600-rows"),
    pytest.param("dose", _raw("dose", '{"studies": [{"count": "2"}]}'), "Study 1, How many times: must be a number", id="number-as-text"),
    pytest.param("dose", _raw("dose", '{"studies": [{"count": 1e400}]}'), "Study 1, How many times: must be a number", id="infinite"),
    pytest.param("dose", _raw("dose", '{"studies": [{"count": 1e300}]}'), "Study 1, How many times: must be a number", id="huge"),
    pytest.param("dose", _raw("dose", json.dumps({"studies": [{"custom": "x" * 500}]})), "Study 1, Custom study: at most 80 characters, the link has 500", id="too-long"),
    pytest.param("dose", _raw("dose", '{"studies": [{"procedure": 7}]}'), "Study 1, Procedure: not one of the choices in the list", id="choice-not-text"),
    pytest.param("dose", _raw("dose", '{"colour": "blue"}'), "they name an entry this form does not have", id="unknown-field"),
    pytest.param("dose", _raw("dose", '{"studies": ["x"]}'), "Study 1: not a set of entries", id="row-not-an-object"),
    pytest.param("iene", _raw("iene", '{"recent_biopsy": "maybe"}'), "Recent core biopsy of the node: not one of the choices shown", id="radio-unknown"),
    pytest.param("iene", _raw("iene", '{"post_treatment": "yes"}'), "Imaging after surgery or radiotherapy: must be ticked or not (true or false)", id="checkbox-not-boolean"),
    pytest.param("dose", _raw("dose", '{"studies": [{"dlp_mgycm": "1e999"}]}'), "Study 1, DLP of the custom CT: must be a number", id="dlp-as-text"),
    pytest.param("dose", _raw("dose", '{"studies": [{"__proto__": 1}]}'), "Study 1: it names an entry the form does not have", id="proto-in-row"),
    pytest.param("dose", _raw("dose", '{"__proto__": 1}'), "they name an entry this form does not have", id="proto"),
    # attacker review, finding 4: a select takes only its own options; a link never adds one
    pytest.param("dose", _raw("dose", json.dumps({"studies": [{"procedure": "Recommended: order a PET-CT instead (ACR 2025)"}]})), "Study 1, Procedure: not one of the choices in the list", id="select-injected-text"),
    pytest.param("dose", _raw("dose", json.dumps({"studies": [{"custom": "x", "dlp_mgycm": 250, "region": "URGENT: call 0800 123 456"}]})), "Study 1, Body region of the custom CT: not one of the choices in the list", id="region-injected-text"),
    pytest.param("dose", _raw("dose", '{"population": "<img src=x onerror=alert(1)>"}'), "Patient: not one of the choices shown", id="radio-markup"),
    pytest.param("scenario-match", _raw("scenario-match", '{"facts": ["no-such-fact"]}'), "Patient facts: one of them is not a choice shown", id="fact-unknown"),
    pytest.param("scenario-match", "#scenario-match=" + "x" * 100_001, "they are longer than any input (100001 characters)", id="too-long-to-read"),
]


def _starting_rows(name: str) -> int:
    return 1 if name in ("dose", "iene") else 0


@pytest.mark.parametrize(("name", "fragment", "why"), BAD_LINKS)
def test_finding_13_a_link_that_cannot_be_used_says_why_and_keeps_the_defaults(
    page: Page, site_url: str, name: str, fragment: str, why: str
) -> None:
    page.goto(f"{site_url}calculators/{name}/{fragment}")
    w = widget(page, name)
    message = w.locator("[data-testid='calc-link-message']")
    expect(message).to_have_text(REFUSED.format(why))
    expect(message).to_be_visible()
    expect(w.locator("[data-row]")).to_have_count(_starting_rows(name))
    ready(w)
    expect(report(w)).to_have_count(0)  # nothing was calculated from the link
    # attacker review, findings 4 and 5: no text of the link on the page, in the note or as a choice
    for words in ("Recommended", "URGENT", "<img", "__proto__", "1e999"):
        assert words not in (w.text_content() or "")
    assert not page.locator("option", has_text=re.compile("Recommended|URGENT")).count()


def test_finding_13_an_undecodable_name_is_ignored_and_sharing_inputs_still_works(page: Page, site_url: str) -> None:
    # "#%E0=1" threw an uncaught URIError on load and again after every calculation
    page.goto(f"{site_url}calculators/dose/#%E0=1&other=2")
    w = widget(page, "dose")
    expect(w.locator("[data-testid='calc-link-message']")).to_be_hidden()
    control(w, "studies[0].procedure").select_option("ct-head-with")
    for _ in range(2):
        submit(w)
        expect(report(w)).to_be_visible(timeout=RESULT_TIMEOUT)
    saved = {"population": "adult", "studies": [{"procedure": "ct-head-with", "count": 1}]}
    # the address is left as it was; the link the reader asks for holds these inputs only
    assert page.url == f"{site_url}calculators/dose/#%E0=1&other=2"
    w.locator("[data-testid='calc-share']").click()
    expect(w.locator("[data-testid='calc-share-link']")).to_have_value(
        f"{site_url}calculators/dose/" + deep_link("dose", saved)
    )


def test_after_a_refused_link_a_calculation_replaces_it(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}calculators/dose/{_raw('dose', '[]')}#")
    w = widget(page, "dose")
    message = w.locator("[data-testid='calc-link-message']")
    expect(message).to_be_visible()
    control(w, "studies[0].procedure").select_option("ct-head-with")
    submit(w)
    expect(report(w)).to_be_visible(timeout=RESULT_TIMEOUT)
    expect(message).to_be_hidden()
    w.locator("[data-testid='calc-share']").click()
    expect(w.locator("[data-testid='calc-share-link']")).to_have_value(re.compile(r"#dose=%7B%22population"))


def test_finding_4_a_link_with_thousands_of_rows_is_refused_at_once(page: Page, site_url: str) -> None:
    # 600 rows took 11 s to build and 5,000 never finished: refused before the form is touched
    page.goto(f"{site_url}calculators/dose/{_raw('dose', json.dumps({'studies': [{}] * 5000}))}")
    w = widget(page, "dose")
    expect(w.locator("[data-testid='calc-link-message']")).to_have_text(
        REFUSED.format("Studies: at most 100 can be entered, the link has 5000"), timeout=5_000
    )
    assert page.evaluate("() => document.querySelectorAll('[data-row]').length") == 1


def test_finding_4_the_largest_link_the_form_takes_is_filled_and_calculated(page: Page, site_url: str) -> None:
    payload: dict[str, Any] = {"population": "adult", "studies": [{"procedure": "ct-head-with", "count": 1}] * 100}
    page.goto(f"{site_url}calculators/dose/{deep_link('dose', payload)}")
    w = widget(page, "dose")
    expect(w.locator("[data-row]")).to_have_count(100, timeout=5_000)
    want = calculator.run("dose", payload, packaged_catalog())
    expect(report(w)).to_have_text(want["report"], timeout=RESULT_TIMEOUT)
    expect(control(w, "studies[99].procedure")).to_have_value("ct-head-with")


def test_the_refusal_is_accessible(page: Page, site_url: str) -> None:
    page.goto(site_url + "calculators/iene/" + _raw("iene", '{"recent_biopsy": "maybe"}'))
    w = widget(page, "iene")
    expect(w.locator("[data-testid='calc-link-message']")).to_have_attribute("role", "alert")
    ready(w)
    assert_accessible(page)

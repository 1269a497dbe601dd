"""Phone review (review2) of calculator results: the headline clears Material's sticky header after a
submit and after a deep link, on a phone and a desktop; the dose result's studies read as cards on a
phone, nothing in the result wider than its box; the calculators' buttons and choice rows are at least
44 px tall on a phone; an out-of-date report cannot be selected and says that it is out of date.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from . import test_phone
from .test_phone import DEVICES, DOSE_INPUT, RESULT_TIMEOUT, link

pytestmark = pytest.mark.e2e

#: phones and desktops, light or dark, with the page checks (tests/e2e/test_phone.py)
open_page = test_phone.open_page

#: Once the page has stopped scrolling (a smooth scroll takes a while): where the headline and the
#: sticky header are.
SETTLED = """async (head) => {
  let last = -1;
  for (let i = 0; i < 50 && window.scrollY !== last; i++) {
    last = window.scrollY;
    await new Promise((done) => setTimeout(done, 150));
  }
  const header = document.querySelector(".md-header");
  return {
    top: head.getBoundingClientRect().top,
    bottom: head.getBoundingClientRect().bottom,
    header: header ? header.getBoundingClientRect().bottom : 0,
    height: window.innerHeight,
  };
}"""


def assert_headline_clear(page: Page, head: Locator) -> None:
    expect(head).to_be_visible(timeout=RESULT_TIMEOUT)
    where = head.evaluate(SETTLED)
    assert where["header"] >= 40, where  # the site's own pages have the sticky header
    assert where["header"] <= where["top"] and where["bottom"] <= where["height"], where


@pytest.mark.parametrize("device", DEVICES)
def test_the_headline_clears_the_sticky_header_after_a_deep_link(
    open_page: Callable[..., Page], site_url: str, device: str
) -> None:
    page = open_page(device)
    page.goto(site_url + "calculators/dose/" + link("dose", DOSE_INPUT))
    assert_headline_clear(page, page.locator("[data-testid='calc-dose'] [data-testid='calc-headline']"))
    page.goto(site_url + "scenarios/new-neck-pain-known-cancer/" + link("dose", DOSE_INPUT))
    assert_headline_clear(page, page.locator("[data-testid='calc-dose'] [data-testid='calc-headline']"))


@pytest.mark.parametrize("device", DEVICES)
def test_the_headline_clears_the_sticky_header_after_a_submit(
    open_page: Callable[..., Page], site_url: str, device: str
) -> None:
    page = open_page(device)
    page.goto(site_url + "calculators/dose/")
    w = page.locator("[data-testid='calc-dose']")
    w.locator("[data-path='studies[0].procedure']").select_option("ct-head-with")
    w.locator("[data-testid='calc-submit']").click()
    assert_headline_clear(page, w.locator("[data-testid='calc-headline']"))
    # the home page's matcher: the best fit's name is read whole
    page.goto(site_url)
    w = page.locator("[data-testid='calc-scenario-match']")
    w.locator("[data-path='text']").fill("new neck pain, known breast cancer")
    w.locator("[data-testid='calc-submit']").click()
    assert_headline_clear(page, w.locator("[data-testid='calc-headline']"))


def test_dose_studies_are_cards_on_a_phone_and_nothing_is_clipped(
    open_page: Callable[..., Page], site_url: str
) -> None:
    page = open_page("phone")
    page.goto(site_url + "calculators/dose/" + link("dose", DOSE_INPUT))
    w = page.locator("[data-testid='calc-dose']")
    expect(w.locator("[data-testid='calc-chart']")).to_be_visible(timeout=RESULT_TIMEOUT)
    table = w.locator(".calc-answer__table")
    assert table.evaluate("t => getComputedStyle(t.querySelector('tbody tr')).display") == "block"
    labels = table.evaluate(
        "t => [...t.querySelector('tbody tr').querySelectorAll('td')]"
        ".map(td => getComputedStyle(td, '::before').content)"
    )
    assert labels == ['"Times: "', '"Per study: "', '"Subtotal: "', '"Basis and source: "']
    # every element of the result inside the result's box; no box scrolls sideways
    found = w.locator("[data-testid='calc-result']").evaluate(
        """(box) => {
          const edge = box.getBoundingClientRect().right + 1;
          // the cards' header row is kept for screen readers, visually hidden (1 px, clipped)
          const out = [...box.querySelectorAll("*")].filter((el) => !el.closest("thead")).filter((el) => {
            const r = el.getBoundingClientRect();
            return r.width > 0 && (r.right > edge || el.scrollWidth > el.clientWidth + 1);
          }).map((el) => el.tagName + "." + el.className);
          return out.filter((name) => !name.startsWith("INPUT")).slice(0, 5);
        }"""
    )
    assert found == []
    desktop = open_page("desktop")
    desktop.goto(site_url + "calculators/dose/" + link("dose", DOSE_INPUT))
    row = desktop.locator("[data-testid='calc-dose'] .calc-answer__table tbody tr").first
    expect(row).to_be_visible(timeout=RESULT_TIMEOUT)
    assert row.evaluate("r => getComputedStyle(r).display") == "table-row"


#: (page, the controls a thumb must hit): at least 44 px tall on a phone
TARGETS = [
    (
        "calculators/dose/" + link("dose", {"studies": [{"procedure": "ct-head-with"}]}),
        [
            "[data-testid='calc-submit']",
            "[data-add-row]",
            "[data-remove-row]",
            "[data-testid='calc-copy']",
            "[data-testid='calc-print']",
            "[data-testid='calc-share']",
            "[data-field='population'] label",
        ],
    ),
    (
        "calculators/iene/",
        [
            "[data-testid='calc-submit']",
            "[data-add-row]",
            "[data-remove-row]",
            ".calc-field--radios label",
            ".calc-field--checkbox:not([hidden]) > label",
        ],
    ),
    ("", ["[data-testid='calc-submit']", ".calc-choices > li > label", ".calc-field__share > label"]),
]


@pytest.mark.parametrize(("path", "selectors"), TARGETS)
def test_calculator_controls_are_big_enough_for_a_thumb(
    open_page: Callable[..., Page], site_url: str, path: str, selectors: list[str]
) -> None:
    page = open_page("phone")
    page.goto(site_url + path)
    for selector in selectors:
        controls = page.locator(f".calc {selector}")
        expect(controls.first).to_be_visible(timeout=RESULT_TIMEOUT)
        heights = controls.evaluate_all(
            "els => els.filter(e => e.getClientRects().length).map(e => e.getBoundingClientRect().height)"
        )
        assert heights and min(heights) >= 44, (selector, heights)


def test_an_out_of_date_report_cannot_be_selected_and_says_so(
    open_page: Callable[..., Page], site_url: str
) -> None:
    page = open_page("phone")
    page.goto(site_url + "calculators/dose/" + link("dose", {"studies": [{"procedure": "ct-head-without"}]}))
    w = page.locator("[data-testid='calc-dose']")
    report = w.locator("[data-testid='calc-report']")
    expect(report).to_be_visible(timeout=RESULT_TIMEOUT)
    text = report.text_content() or ""
    assert not text.startswith("OUT OF DATE")
    assert report.evaluate("r => getComputedStyle(r).userSelect") != "none"
    count = w.locator("[data-path='studies[0].count']")
    count.fill("3")
    expect(w.locator("[data-testid='calc-stale']")).to_be_visible()
    expect(report).to_have_text("OUT OF DATE — " + text)
    assert report.evaluate("r => getComputedStyle(r).userSelect") == "none"
    # a selection over the page leaves the stale report out
    page.evaluate("() => getSelection().selectAllChildren(document.querySelector('.calc__result'))")
    assert "OUT OF DATE — " not in page.evaluate("() => getSelection().toString()")
    count.fill("1")
    expect(report).to_have_text(text)

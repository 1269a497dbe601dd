"""Issue 11: phone first. Every page at 360×740 (mobile emulation) and at 1366×900 is no wider than the
screen, calculators started and showing a result; article ratings read as cards on a phone and fit as
a table on a desktop; the lookup table scrolls in its own box with the study in view and shows its
Source column at 1366 px; results go out of date visibly when the form changes; the dose chart is drawn;
print shows no embed code and no empty box; the dark scheme follows the system; axe finds no serious
or critical violation in either scheme.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect

from sitegen.data.validate import load_dataset

from .conftest import CSP_WATCH, PageWatch, is_local
from .test_a11y import assert_accessible

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
RESULT_TIMEOUT = 60_000
DEVICES: dict[str, dict[str, Any]] = {
    "phone": {
        "viewport": {"width": 360, "height": 740},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}
#: Elements sticking out of the screen, other than those inside a box that scrolls them (or hides them).
WIDER_THAN_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  const boxed = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const x = getComputedStyle(a).overflowX;
      if (x === "auto" || x === "scroll" || x === "hidden" || x === "clip") return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    const name = `${el.tagName.toLowerCase()}.${el.className}`;
    if (r.width > 0 && r.right > width + 1 && !boxed(el)) out.push(`${name} (${Math.round(r.right)} px)`);
  }
  return {scroll: document.documentElement.scrollWidth, width, out: out.slice(0, 5)};
}"""
DOSE_INPUT = {
    "studies": [
        {"procedure": "ct-neck-with", "count": 2},
        {"procedure": "fdg-petct-skull-base-to-mid-thigh"},
        {"custom": "Outside CT chest", "dlp_mgycm": 400, "region": "chest"},
        {"procedure": "mri-head-without-and-with"},
    ]
}


def link(name: str, data: dict[str, Any]) -> str:
    return f"#{name}=" + quote(json.dumps(data, separators=(",", ":")), safe="")


def _pages() -> list[str]:
    ds = load_dataset(ROOT)
    return [
        "",
        "lookup/",
        "embed/",
        *(f"scenarios/{s.id}/" for s in ds.scenarios),
        *(f"topics/{t.id}/" for t in ds.catalogs.topics),
    ]


@pytest.fixture
def open_page(browser: Browser, page_watch: PageWatch) -> Iterator[Callable[..., Page]]:
    """Open pages as a phone or a desktop, light or dark, with the checks of the ``page`` fixture: a
    console error, an uncaught error or a request to another host fails the test."""
    contexts = []

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            page_watch.errors.append(f"console error: {msg.text}")

    def guard(route: Route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            page_watch.outside.append(route.request.url)
            route.abort("blockedbyclient")

    def make(device: str, scheme: str = "light") -> Page:
        context = browser.new_context(**DEVICES[device], color_scheme=scheme, service_workers="block")
        contexts.append(context)
        context.route("**/*", guard)
        context.add_init_script(CSP_WATCH)  # a policy violation is a console error, which fails the test
        page = context.new_page()
        page.on("console", on_console)
        page.on("pageerror", lambda exc: page_watch.errors.append(f"uncaught page error: {exc}"))
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


def assert_fits(page: Page) -> None:
    found = page.evaluate(WIDER_THAN_SCREEN)
    assert found["scroll"] <= found["width"] and not found["out"], (
        f"{page.url} is wider than the screen: {found}"
    )


# --- nothing wider than the screen ----------------------------------------------------------------


@pytest.mark.parametrize("device", DEVICES)
def test_no_page_is_wider_than_the_screen(open_page: Callable[..., Page], site_url: str, device: str) -> None:
    page = open_page(device)
    for path in _pages():
        page.goto(site_url + path)
        assert_fits(page)
    # every calculator page and embed page, started, and showing a result
    for name, data in (
        ("dose", DOSE_INPUT),
        (
            "iene",
            {
                "findings": [
                    {
                        "finding": "artery-contact",
                        "certainty": "unequivocal",
                        "artery": "internal-carotid",
                        "degrees": 200,
                    }
                ]
            },
        ),
        ("scenario-match", {"text": "new neck pain, known breast cancer"}),
    ):
        for path in (f"calculators/{name}/", f"embed/{name}/"):
            page.goto(site_url + path)
            expect(page.locator(f"[data-testid='calc-{name}']")).to_have_attribute(
                "data-state", "ready", timeout=RESULT_TIMEOUT
            )
            assert_fits(page)
            page.goto(site_url + path + link(name, data))
            page.reload()
            expect(page.locator("[data-testid='calc-headline']")).to_be_visible(timeout=RESULT_TIMEOUT)
            assert_fits(page)


def test_article_ratings_are_cards_on_a_phone_and_a_fitting_table_on_a_desktop(
    open_page: Callable[..., Page], site_url: str
) -> None:
    path = site_url + "scenarios/perineural-spread-head-neck-cancer/"
    phone = open_page("phone")
    phone.goto(path)
    table = phone.locator("[data-testid='ratings-table']")
    rows = table.locator("tbody tr")
    assert rows.count() == 4
    # one card per study: the header row hidden, each value under its label, the badge in words
    assert phone.evaluate("getComputedStyle(document.querySelector('.sg-cards tr')).display") == "block"
    label = phone.evaluate(
        "getComputedStyle(document.querySelector('.sg-cards td[data-label]'), '::before').content"
    )
    assert label == '"Rating"'
    expect(rows.first).to_contain_text("Usually appropriate")
    box = table.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    desktop = open_page("desktop")
    desktop.goto(path)
    wrap = desktop.locator(".sg-table-wrap--cards")
    assert desktop.evaluate("(w) => w.scrollWidth <= w.clientWidth", wrap.element_handle())
    assert desktop.evaluate("getComputedStyle(document.querySelector('.sg-cards tr')).display") == "table-row"


def test_lookup_scrolls_in_its_box_with_the_study_in_view(
    open_page: Callable[..., Page], site_url: str
) -> None:
    desktop = open_page("desktop")
    desktop.goto(site_url + "lookup/")
    box = desktop.locator("[data-testid='lookup-scroll']")
    # at 1366 px every column fits, the source included
    assert desktop.evaluate("(w) => w.scrollWidth <= w.clientWidth + 1", box.element_handle())
    source = desktop.locator("[data-testid='lookup-table'] thead th").last
    expect(source).to_have_text(re.compile("Source"))
    edge = box.bounding_box()
    cell = source.bounding_box()
    assert edge and cell and cell["x"] + cell["width"] <= edge["x"] + edge["width"] + 1
    phone = open_page("phone")
    phone.goto(site_url + "lookup/")
    box = phone.locator("[data-testid='lookup-scroll']")
    assert phone.evaluate("(w) => w.scrollWidth > w.clientWidth", box.element_handle()), (
        "it scrolls in its box"
    )
    study = phone.locator("[data-testid='lookup-table'] tbody th[scope='row']").first
    before = study.bounding_box()
    phone.evaluate("(w) => { w.scrollLeft = 400; }", box.element_handle())
    after = study.bounding_box()
    assert before and after and abs(before["x"] - after["x"]) < 1, "the study column stays in view"
    assert_fits(phone)


# --- calculators you can trust --------------------------------------------------------------------


def test_deep_link_lands_on_its_result(open_page: Callable[..., Page], site_url: str) -> None:
    page = open_page("phone")
    page.goto(site_url + "scenarios/new-neck-pain-known-cancer/" + link("dose", DOSE_INPUT))
    headline = page.locator("[data-testid='calc-dose'] [data-testid='calc-headline']")
    expect(headline).to_be_in_viewport(timeout=RESULT_TIMEOUT)
    # FDG-PET/CT is a measured mean ± 1 SD: the ends of the total are added up, not called a range
    expect(headline).to_have_text("Total: about 28.1 mSv (low and high ends added up: 20–35.4 mSv)")


def test_a_changed_input_marks_the_result_out_of_date(open_page: Callable[..., Page], site_url: str) -> None:
    page = open_page("phone")
    page.goto(
        site_url
        + "calculators/dose/"
        + link("dose", {"studies": [{"procedure": "ct-head-without", "count": 2}]})
    )
    w = page.locator("[data-testid='calc-dose']")
    expect(w.locator("[data-testid='calc-headline']")).to_have_text(
        "Total: about 4 mSv (range 1.8–8 mSv)", timeout=RESULT_TIMEOUT
    )
    copy = w.locator("[data-testid='calc-copy']")
    status = w.locator("[data-testid='calc-status']")
    expect(copy).to_be_enabled()
    count = w.locator("[data-path='studies[0].count']")
    count.fill("3")
    stale = w.locator("[data-testid='calc-stale']")
    expect(stale).to_be_visible()
    expect(stale).to_contain_text("Out of date")
    expect(copy).to_be_disabled()
    expect(w.locator("[data-testid='calc-print']")).to_be_disabled()
    expect(status).to_have_text("The entries changed: the result below is out of date.")
    # undoing the change makes the result current again
    count.fill("2")
    expect(stale).to_have_count(0)
    expect(copy).to_be_enabled()
    # a new calculation replaces it
    count.fill("3")
    w.locator("[data-testid='calc-submit']").click()
    expect(w.locator("[data-testid='calc-headline']")).to_have_text("Total: about 6 mSv (range 2.7–12 mSv)")
    expect(stale).to_have_count(0)
    expect(status).to_have_text("Result: Total: about 6 mSv (range 2.7–12 mSv)")


def test_errors_are_said_in_plain_words(open_page: Callable[..., Page], site_url: str) -> None:
    page = open_page("phone")
    page.goto(site_url + "calculators/dose/")
    w = page.locator("[data-testid='calc-dose']")
    expect(w).to_have_attribute("data-state", "ready", timeout=RESULT_TIMEOUT)
    w.locator("[data-path='studies[0].procedure']").select_option("other")
    w.locator("[data-path='studies[0].custom']").fill("Outside CT")
    w.locator("[data-path='studies[0].dose_msv']").fill("-3")
    w.locator("[data-testid='calc-submit']").click()
    slot = w.locator("[data-testid='calc-error-studies[0].dose_msv']")
    expect(slot).to_have_text("The dose cannot be below 0 mSv.")
    expect(w.locator("[data-testid='calc-errors']")).not_to_contain_text("studies[0]")
    expect(w.locator("[data-testid='calc-status']")).to_have_text(
        "No result: one entry needs checking, marked above."
    )


def test_dose_chart_and_studies_that_cannot_be_chosen(open_page: Callable[..., Page], site_url: str) -> None:
    page = open_page("desktop")
    page.goto(site_url + "calculators/dose/" + link("dose", DOSE_INPUT))
    w = page.locator("[data-testid='calc-dose']")
    chart = w.locator("[data-testid='calc-chart']")
    expect(chart).to_be_visible(timeout=RESULT_TIMEOUT)
    # one numbered segment per study that adds radiation; the legend names all four, in words
    expect(chart.locator("rect.calc-chart__seg")).to_have_count(3)
    expect(chart.locator(".calc-chart__legend li")).to_have_count(4)
    expect(chart).to_contain_text("FDG-PET/CT skull base to mid-thigh: 16.5 mSv (59 %)")
    expect(chart.locator("svg title")).to_contain_text("years of natural background radiation")
    # drawn with classes only: nothing for a strict style-src to refuse
    assert w.locator("[data-testid='calc-result'] [style]").count() == 0
    band = w.locator("[data-testid='calc-band']")
    expect(band).to_contain_text(
        "As a guide only, the typical total falls in the range of adult RRL 4 (10–30 mSv)."
    )
    expect(band).to_contain_text("describe the dose of one examination")
    expect(w.locator("[data-testid='calc-report']")).not_to_contain_text("☢")
    # a study without a sourced dose is offered disabled, with the reason; for a child, its level
    option = w.locator("[data-path='studies[0].procedure'] option[value='ct-maxillofacial-with']")
    expect(option).to_be_disabled()
    expect(option).to_contain_text("no typical dose on this site")
    w.locator("#calc-dose-population-pediatric").check()
    expect(w.locator("[data-path='studies[0].procedure'] option[value='ct-neck-with']")).to_be_disabled()
    expect(w.locator("[data-path='studies[0].procedure'] option[value='ct-head-without']")).to_have_text(
        "CT head without IV contrast (child: RRL 3, 0.3–3 mSv)"
    )


# each axis row's labels: none may touch the next, and the last carries the unit
TICKS_APART = """() => {
  const rows = {};
  for (const t of document.querySelectorAll('.calc-chart__tick')) {
    const b = t.getBoundingClientRect();
    (rows[Math.round(b.top)] ||= []).push({left: b.left, right: b.right, text: t.textContent});
  }
  return Object.values(rows).map(r => r.sort((a, b) => a.left - b.left)).map(r => ({
    touching: r.slice(1).filter((t, i) => t.left < r[i].right + 2).map(t => t.text),
    last: r[r.length - 1].text,
  }));
}"""


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_chart_labels_never_run_together(open_page: Callable[..., Page], site_url: str, device: str) -> None:
    # four PET/CTs: about 66 mSv, a scale of 0 to 25 years, whose "20" and "25 years" touched at 360 px
    page = open_page(device)
    studies = {"studies": [{"procedure": "fdg-petct-skull-base-to-mid-thigh", "count": 4}]}
    page.goto(site_url + "calculators/dose/" + link("dose", studies))
    expect(page.locator("[data-testid='calc-chart']")).to_be_visible(timeout=RESULT_TIMEOUT)
    rows = page.evaluate(TICKS_APART)
    assert [r["touching"] for r in rows] == [[], []], rows
    assert [r["last"].split(" ")[1] for r in rows] == ["mSv", "years"], rows


def test_answer_card_copies_the_order_text(open_page: Callable[..., Page], site_url: str) -> None:
    page = open_page("phone")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page.goto(site_url + "scenarios/treated-salivary-gland-cancer-follow-up/")
    card = page.locator("[data-testid='recommended-study']")
    expect(card.locator("[data-testid='answer-fallbacks']")).to_contain_text(
        "If MRI is not possible: CT neck with IV contrast"
    )
    # the finding that changes the answer, then, apart from it, the patient who belongs elsewhere
    expect(card.locator("[data-testid='answer-flags'] li")).to_have_count(1)
    expect(card.locator("[data-testid='answer-not-this'] li")).to_have_text(
        "A new, untreated salivary gland cancer: Initial staging has its own variant and different imaging"
        " goals. → Staging and Post-Therapy Assessment of Head and Neck Cancer: Major salivary gland cancer."
        " Initial staging."
    )
    card.locator("[data-testid='copy-order']").click()
    expect(card.locator("[data-testid='copy-order-status']")).to_have_text("Copied")
    assert (
        page.evaluate("navigator.clipboard.readText()")
        == card.locator("[data-testid='order-text']").inner_text()
    )


# --- print, dark mode, accessibility ---------------------------------------------------------------


def visible(page: Page, selector: str) -> int:
    return page.evaluate(
        "(s) => [...document.querySelectorAll(s)].filter((e) => e.getClientRects().length > 0).length",
        selector,
    )


def test_print_has_no_embed_code_and_no_empty_box(open_page: Callable[..., Page], site_url: str) -> None:
    page = open_page("desktop")
    page.emulate_media(media="print")
    page.goto(site_url + "scenarios/perineural-spread-head-neck-cancer/")
    assert visible(page, ".calc") == 0 and visible(page, "details.calc-details") == 0
    wrap = page.locator(".sg-table-wrap--cards")
    assert page.evaluate("(w) => w.scrollWidth <= w.clientWidth + 1", wrap.element_handle()), "the table fits"
    page.goto(site_url + "calculators/dose/" + link("dose", DOSE_INPUT))
    page.reload()
    expect(page.locator("[data-testid='calc-report']")).to_be_attached(timeout=RESULT_TIMEOUT)
    expect(page.locator("[data-testid='calc-chart']")).to_be_visible()
    assert visible(page, ".calc-snippet") == 0, "no embed code on paper"
    assert (
        visible(page, ".calc-trail") == 0 and visible(page, "form") == 0 and visible(page, ".calc-about") == 0
    )
    expect(page.locator(".calc-print__label")).to_be_visible()
    expect(page.locator(".calc-print__title")).to_contain_text("calculated")
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1, "the dose result prints on one page"


def test_dark_scheme_follows_the_system(open_page: Callable[..., Page], site_url: str) -> None:
    page = open_page("phone", "dark")
    page.goto(site_url + "scenarios/perineural-spread-head-neck-cancer/")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    light = open_page("phone", "light")
    light.goto(site_url)
    expect(light.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    # the header toggle is there: automatic, light, dark
    assert light.locator("form[data-md-component='palette'] input").count() == 3


A11Y_PAGES = [
    "",
    "scenarios/perineural-spread-head-neck-cancer/",
    "lookup/",
    "embed/",
    "calculators/dose/" + link("dose", DOSE_INPUT),
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_violation_in_either_scheme(
    open_page: Callable[..., Page], site_url: str, scheme: str
) -> None:
    for device in DEVICES:
        page = open_page(device, scheme)
        for path in A11Y_PAGES:
            page.goto(site_url + path)
            if "#dose=" in path:
                expect(page.locator("[data-testid='calc-chart']")).to_be_visible(timeout=RESULT_TIMEOUT)
            assert_accessible(page)


# (page, the controls a thumb must hit): at least 44 px tall on a phone
TARGETS = [
    ("", ["[data-testid='home-search']", ".sg-search .md-button"]),
    ("scenarios/new-neck-pain-known-cancer/", ["[data-testid='copy-order']"]),
    ("lookup/", [".sg-lookup__controls input", "th .sg-sort"]),
]


@pytest.mark.parametrize(("path", "selectors"), TARGETS)
def test_main_controls_are_big_enough_for_a_thumb(
    open_page: Callable[..., Page], site_url: str, path: str, selectors: list[str]
) -> None:
    page = open_page("phone")
    page.goto(site_url + path)
    for selector in selectors:
        first = page.locator(selector).first
        expect(first).to_be_visible()
        heights = page.locator(selector).evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
        assert heights and min(heights) >= 44, (selector, heights)


def test_the_home_page_says_what_it_covers_on_the_first_phone_screen(
    open_page: Callable[..., Page], site_url: str
) -> None:
    page = open_page("phone")
    page.goto(site_url)
    short = page.locator("[data-testid='home-coverage-short']")
    expect(short).to_contain_text("Written up so far: 4 scenarios in 4 ACR topics")
    for selector in ("[data-testid='home-search']", "[data-testid='home-coverage-short']"):
        box = page.locator(selector).bounding_box()
        assert box and box["y"] + box["height"] <= 740, (selector, box)
    # the matcher asks for the question in words before the facts to tick
    first = page.evaluate(
        "() => document.querySelector('.calc textarea, .calc input[type=checkbox]').tagName.toLowerCase()"
    )
    assert first == "textarea"

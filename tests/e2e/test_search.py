"""Issue 11: the site search serves clinicians first. The developers' reference comes after the
calculator a clinician wants, FAQ questions are found by their words, and an article's result shows
its recommended study.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

SEARCH_INPUT = "input[data-md-component='search-query']"
RESULT = "li.md-search-result__item"


def search(page: Page, site_url: str, term: str) -> None:
    page.goto(site_url)
    page.locator(SEARCH_INPUT).click()
    page.locator(SEARCH_INPUT).press_sequentially(term)
    expect(page.locator(RESULT).first).to_be_visible()


def result_links(page: Page) -> list[str]:
    return [str(a.get_attribute("href")) for a in page.locator(f"{RESULT} > a.md-search-result__link").all()]


def test_the_calculator_comes_before_the_developers_reference(page: Page, site_url: str) -> None:
    search(page, site_url, "dose calculator")
    links = result_links(page)
    paths = [re.sub(r"\?[^#]*", "", href) for href in links]  # Material adds ?h=<the words searched>
    assert paths and paths[0].endswith("/calculators/dose/"), links
    reference = [i for i, path in enumerate(paths) if re.search(r"/calculators/(#.*)?$", path)]
    assert not reference or reference[0] > 0


def test_faq_questions_are_found_by_their_words(page: Page, site_url: str) -> None:
    search(page, site_url, "pacemaker")
    article = page.locator(RESULT).first
    expect(article).to_contain_text("MRI or CT to follow up a treated salivary gland cancer?")
    # the matching question is shown, and the result leads to the article's questions
    faq = page.locator("li.md-search-result__item a[href*='#faq']").first
    expect(faq).to_contain_text(re.compile("pacemaker", re.I))
    faq.click()
    expect(page).to_have_url(re.compile(r"treated-salivary-gland-cancer-follow-up/.*#faq$"))


def test_an_article_result_shows_its_recommended_study(page: Page, site_url: str) -> None:
    search(page, site_url, "perineural")
    first = page.locator(RESULT).first
    expect(first).to_contain_text("Recommended: MRI head without and with IV contrast")


@pytest.mark.parametrize("term", ["cord compression", "numb chin"])
def test_clinical_words_lead_to_clinical_pages_before_the_admin_pages(
    page: Page, site_url: str, term: str
) -> None:
    # the hosting, embedding and offline pages share words with clinical ones ("compression", "number")
    page.goto(site_url)
    box, meta = page.locator(SEARCH_INPUT), page.locator(".md-search-result__meta")
    box.click()
    box.fill(term)  # one input event: one list of results, not one per letter
    # a query typed before the search index is ready is not searched: type its last key again until it is
    for _ in range(40):
        if "matching" in meta.inner_text():
            break
        box.press("Backspace")
        box.press(term[-1])
        page.wait_for_timeout(250)
    expect(meta).to_contain_text("matching")
    hrefs = page.eval_on_selector_all(f"{RESULT} > a.md-search-result__link", "els => els.map(e => e.href)")
    paths = [re.sub(r"\?[^#]*", "", href) for href in hrefs]
    admin = [i for i, path in enumerate(paths) if re.search(r"/(hosting|embed|offline)/", path)]
    clinical = [i for i, path in enumerate(paths) if re.search(r"/(scenarios|topics)/", path)]
    assert clinical and (not admin or clinical[0] < admin[0]), paths

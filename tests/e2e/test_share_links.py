"""Clinical review finding G36: no patient input lands in a URL unless the reader asks. Calculating
never changes the address; "Copy a link to this result" makes a link with the inputs in its fragment,
says so in words, and that link restores the inputs and the result (on a calculator page, on an
article, and from an embed, whose link opens the calculator's page on the site).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from .test_widgets import (
    ARTICLE,
    RESULT_TIMEOUT,
    control,
    deep_link,
    expected,
    finding,
    press,
    ready,
    report,
    submit,
    widget,
)

pytestmark = pytest.mark.e2e

IENE = {"findings": [{"finding": "flare-sign", "certainty": "unequivocal"}], "recent_biopsy": "no"}
HELP = "The link contains the details entered above. Share it only where patient details may go."


def shared_inputs(link: str, name: str) -> dict[str, Any]:
    """The inputs a copied link holds for ``name``."""
    fragment = urlsplit(link).fragment
    key, _, value = fragment.partition("=")
    assert key == name, fragment
    data: dict[str, Any] = json.loads(unquote(value))
    return data


def share(page: Page, site_url: str, w: Locator) -> str:
    """Press "Copy a link to this result": the link shown (and copied), said to hold the inputs."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    button = w.locator("[data-testid='calc-share']")
    expect(button).to_have_text("Copy a link to this result")
    expect(button).to_have_accessible_description(HELP)
    press(button)
    expect(w.locator("[data-testid='calc-share-status']")).to_have_text(
        "Link copied: it contains the details entered above"
    )
    link = w.locator("[data-testid='calc-share-link']").input_value()
    assert page.evaluate("navigator.clipboard.readText()") == link
    return link


def test_calculating_leaves_the_address_and_the_copied_link_restores_it(page: Page, site_url: str) -> None:
    page.goto(site_url + "calculators/iene/")
    w = widget(page, "iene")
    ready(w)
    finding(w, 0, "flare-sign")
    press(w.locator("#calc-iene-recent_biopsy-no"), "Space")
    submit(w)
    want = expected("iene", IENE)["report"]
    expect(report(w)).to_have_text(want, timeout=RESULT_TIMEOUT)
    assert page.url == site_url + "calculators/iene/"
    # the link is made only when asked for
    expect(w.locator("[data-testid='calc-share-link']")).to_be_hidden()
    link = share(page, site_url, w)
    assert link.startswith(site_url + "calculators/iene/#iene=")
    assert shared_inputs(link, "iene")["findings"] == IENE["findings"]
    assert page.url == site_url + "calculators/iene/"  # copying does not change the address either
    page.goto("about:blank")
    page.goto(link)
    w = widget(page, "iene")
    expect(report(w)).to_have_text(want, timeout=RESULT_TIMEOUT)
    expect(control(w, "findings[0].finding")).to_have_value("flare-sign")


def test_an_article_widget_shares_a_link_to_the_article(page: Page, site_url: str) -> None:
    page.goto(site_url + ARTICLE)
    press(page.locator("[data-testid='calc-details-dose'] > summary"))
    w = widget(page, "dose")
    submit(w)
    study = {"procedure": "mri-cervical-spine-without-and-with", "count": 1}
    payload = {"population": "adult", "studies": [study]}
    want = expected("dose", payload)["report"]
    expect(report(w)).to_have_text(want, timeout=RESULT_TIMEOUT)
    assert "#" not in page.url
    link = share(page, site_url, w)
    assert link == site_url + ARTICLE + deep_link("dose", payload)
    page.goto("about:blank")
    page.goto(link)
    expect(report(widget(page, "dose"))).to_have_text(want, timeout=RESULT_TIMEOUT)


def test_an_embed_shares_a_link_to_the_calculator_page(page: Page, site_url: str) -> None:
    page.goto(site_url + "embed/iene/" + deep_link("iene", IENE))
    w = widget(page, "iene")
    want = expected("iene", IENE)["report"]
    expect(report(w)).to_have_text(want, timeout=RESULT_TIMEOUT)
    link = share(page, site_url, w)
    assert link.startswith(site_url + "calculators/iene/#iene=")
    assert shared_inputs(link, "iene")["findings"] == IENE["findings"]
    page.goto("about:blank")
    page.goto(link)
    expect(report(widget(page, "iene"))).to_have_text(want, timeout=RESULT_TIMEOUT)


def test_a_stale_result_cannot_be_shared(page: Page, site_url: str) -> None:
    page.goto(site_url + "calculators/iene/" + deep_link("iene", IENE))
    w = widget(page, "iene")
    expect(report(w)).to_have_text(expected("iene", IENE)["report"], timeout=RESULT_TIMEOUT)
    press(w.locator("#calc-iene-recent_biopsy-yes"), "Space")
    expect(w.locator("[data-testid='calc-share']")).to_be_disabled()

"""Review as data: what the fingerprint covers, the three review states, and how each page shows them."""

# ruff: noqa: E501 - one case per row reads better than wrapped lambdas

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from sitegen.data import model as m
from sitegen.data.review import Fingerprints
from sitegen.data.validate import load_dataset
from sitegen.pages.build import build_pages

FIXTURE = Path(__file__).parent / "fixtures" / "valid"


def test_fixture_has_one_current_and_one_stale_review() -> None:
    ds = load_dataset(FIXTURE)
    prints = Fingerprints(ds.catalogs)
    assert {s.id: prints.state(s) for s in ds.scenarios} == {"facial-numbness": "current", "neck-lump": "stale"}
    assert prints.state(dataclasses.replace(ds.scenarios[0], review=None)) == "none"


def test_fingerprint_is_sha256_of_the_content_and_the_same_every_time(tiny: m.DataSet) -> None:
    s = tiny.scenarios[1]
    first = Fingerprints(tiny.catalogs).of(s)
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", first)
    assert Fingerprints(tiny.catalogs).of(s) == first


def _scenario(change: Callable[[m.Scenario], m.Scenario]) -> Callable[[m.DataSet], m.DataSet]:
    def apply(ds: m.DataSet) -> m.DataSet:
        return dataclasses.replace(ds, scenarios=[change(ds.scenarios[0]), *ds.scenarios[1:]])

    return apply


def _catalogs(**change: Callable[[Any], Any]) -> Callable[[m.DataSet], m.DataSet]:
    def apply(ds: m.DataSet) -> m.DataSet:
        fields = {name: fn(getattr(ds.catalogs, name)) for name, fn in change.items()}
        return dataclasses.replace(ds, catalogs=dataclasses.replace(ds.catalogs, **fields))

    return apply


def _first(items: list[Any], **fields: Any) -> list[Any]:
    return [dataclasses.replace(items[0], **fields), *items[1:]]


# (what changes, whether the reviewed content changed)
CHANGES = [
    pytest.param(_scenario(lambda s: dataclasses.replace(s, summary=s.summary + " More.")), True, id="summary"),
    pytest.param(
        _scenario(lambda s: dataclasses.replace(s, faq=_first(s.faq, answer="Another answer."))), True, id="faq-answer"
    ),
    pytest.param(
        _scenario(lambda s: dataclasses.replace(s, ratings=_first(s.ratings, category="may-be-appropriate"))),
        True,
        id="rating-category",
    ),
    pytest.param(
        _scenario(
            lambda s: dataclasses.replace(
                s, ratings=_first(s.ratings, cite=dataclasses.replace(s.ratings[0].cite, confidence="recalled"))
            )
        ),
        True,
        id="confidence-mark",
    ),
    pytest.param(_catalogs(procedures=lambda ps: _first(ps, rrl_adult=1)), True, id="rated-study-rrl"),
    pytest.param(_catalogs(sources=lambda ss: _first(ss, title="Retitled.")), True, id="cited-source-title"),
    pytest.param(_catalogs(topics=lambda ts: _first(ts, panel="Another panel")), True, id="topic-panel"),
    pytest.param(
        _scenario(lambda s: dataclasses.replace(s, matching=m.Matching(keywords=["new words"]))),
        False,
        id="matcher-keywords",
    ),
    pytest.param(_scenario(lambda s: dataclasses.replace(s, related_scenarios=[])), False, id="related-links"),
    pytest.param(_scenario(lambda s: dataclasses.replace(s, review=None)), False, id="the-review-itself"),
    pytest.param(_catalogs(procedures=lambda ps: _first(ps, synonyms=["mri"])), False, id="study-synonyms"),
    pytest.param(_catalogs(topics=lambda ts: _first(ts, summary="Another summary.")), False, id="topic-summary"),
]


@pytest.mark.parametrize(("change", "stale"), CHANGES)
def test_what_the_fingerprint_covers(
    tiny: m.DataSet, change: Callable[[m.DataSet], m.DataSet], stale: bool
) -> None:
    before = Fingerprints(tiny.catalogs).of(tiny.scenarios[0])
    changed = change(tiny)
    after = Fingerprints(changed.catalogs).of(changed.scenarios[0])
    assert (after != before) is stale


@pytest.mark.parametrize(
    ("fields", "covered"),
    [
        pytest.param({}, False, id="at-its-default"),
        pytest.param({"imaging_phase": "after-treatment"}, True, id="filled-in"),
    ],
)
def test_a_field_left_at_its_default_is_not_covered(tiny: m.DataSet, fields: dict[str, Any], covered: bool) -> None:
    # so a field added to the model later makes no existing review stale until an editor fills it in
    s = dataclasses.replace(tiny.scenarios[0], **{"imaging_phase": "any", **fields})
    assert ("imaging_phase" in Fingerprints(tiny.catalogs).content(s)["scenario"]) is covered


def test_the_answer_cards_newer_fields_left_empty_stale_no_review(tiny: m.DataSet) -> None:
    # phone review 9 added redirects and urgency: a scenario without them keeps its fingerprint
    first = tiny.scenarios[0]
    flags = [dataclasses.replace(r, urgency=None) for r in first.red_flags]
    changed = dataclasses.replace(first, red_flags=flags, not_this_scenario=[])
    content = Fingerprints(tiny.catalogs).content(changed)["scenario"]
    assert "not_this_scenario" not in content
    assert [sorted(r) for r in content["red_flags"]] == [["cite", "flag", "then"]] * 2


def _article(ds: m.DataSet, sid: str) -> tuple[str, dict[str, Any]]:
    page = next(p.markdown for p in build_pages(ds) if p.src_uri == f"scenarios/{sid}.md")
    meta = yaml.safe_load(re.match(r"---\n(.*?)\n---\n", page, re.S).group(1))  # type: ignore[union-attr]
    return page, meta["jsonld"][0]


def _no_review(ds: m.DataSet) -> m.DataSet:
    return dataclasses.replace(ds, scenarios=[dataclasses.replace(s, review=None) for s in ds.scenarios])


# (scenario, data set change, status line near the title, JSON-LD review fields)
STATES = [
    pytest.param(
        "headache-cancer",
        lambda ds: ds,
        '<p class="sg-review sg-review--current" data-testid="review-status" data-search-exclude>Clinically reviewed by Dr Test'
        " Reviewer, Neuroradiologist, on 29 May 2026.</p>",
        {
            "lastReviewed": "2026-05-29",
            "reviewedBy": {"@type": "Person", "name": "Dr Test Reviewer", "jobTitle": "Neuroradiologist"},
        },
        id="current",
    ),
    pytest.param(
        "headache-cancer-two",
        lambda ds: ds,
        '<p class="sg-review sg-review--stale" data-testid="review-status" data-search-exclude>Dr Test Reviewer, Neuroradiologist,'
        " reviewed an earlier version on 29 May 2026; this version has not been reviewed."
        ' <a href="../../about/#clinical-review">How review works</a></p>',
        {},
        id="stale",
    ),
    pytest.param(
        "headache-cancer",
        _no_review,
        '<p class="sg-review sg-review--none" data-testid="review-status" data-search-exclude>Not yet clinically reviewed.'
        ' <a href="../../about/#clinical-review">How review works</a></p>',
        {},
        id="none",
    ),
]


@pytest.mark.parametrize(("sid", "change", "status", "jsonld"), STATES)
def test_review_state_near_the_title_and_in_json_ld(
    tiny: m.DataSet, sid: str, change: Callable[[m.DataSet], m.DataSet], status: str, jsonld: dict[str, Any]
) -> None:
    page, data = _article(change(tiny), sid)
    title = page.index("# ")
    assert page.index(status) - title < 200, "the review state stands right under the title"
    assert page.count('data-testid="review-status"') == 1
    assert {k: data[k] for k in ("lastReviewed", "reviewedBy") if k in data} == jsonld

"""The provenance rules: which source kinds can support which confidence mark, and the words pages print."""

# ruff: noqa: E501 - the exact messages are clearer unbroken

from __future__ import annotations

import pytest

from sitegen.data import model, provenance

# (fact, source kind, mark, note, disagrees) -> the exact problems (field, expected, found)
CASES = [
    pytest.param("rating", "acr", "verified", "", [], [], id="acr-verifies-a-rating"),
    pytest.param(
        "rating",
        "paper",
        "verified",
        "",
        [],
        [("confidence", "'recalled' or 'unresolved' for a rating from a peer-reviewed paper (only an ACR document can verify a rating)", "'verified'")],
        id="only-the-acr-verifies-a-rating",
    ),
    pytest.param(
        "rrl",
        "report",
        "verified",
        "",
        [],
        [("confidence", "'recalled' or 'unresolved' for a radiation level from a report or guideline (only an ACR document can verify a radiation level)", "'verified'")],
        id="only-the-acr-verifies-a-radiation-level",
    ),
    pytest.param(
        "variant",
        "seed",
        "verified",
        "",
        [],
        [("confidence", "'seed' or 'unresolved' for variant wording from a seed article", "'verified'")],
        id="a-seed-never-verifies",
    ),
    pytest.param(
        "rating",
        "secondary",
        "verified",
        "",
        [],
        [("confidence", "'recalled' or 'unresolved' for a rating from a secondary summary", "'verified'")],
        id="a-secondary-summary-is-at-most-recalled",
    ),
    pytest.param(
        "dose",
        "superseded",
        "verified",
        "",
        [],
        [("confidence", "'recalled' or 'unresolved' for a dose figure from a superseded document", "'verified'")],
        id="a-superseded-document-is-at-most-recalled",
    ),
    pytest.param(
        "rating",
        "acr",
        "seed",
        "",
        [],
        [("confidence", "'verified', 'recalled' or 'unresolved' for a rating from an ACR document ('seed' is for seed articles only)", "'seed'")],
        id="seed-mark-needs-a-seed-article",
    ),
    pytest.param(
        "claim",
        "secondary",
        "seed",
        "",
        [],
        [("confidence", "'recalled' or 'unresolved' for a clinical statement from a secondary summary ('seed' is for seed articles only)", "'seed'")],
        id="seed-mark-from-a-summary",
    ),
    pytest.param("dose", "paper", "verified", "", [], [], id="a-paper-verifies-a-dose"),
    pytest.param("claim", "report", "verified", "", [], [], id="a-guideline-verifies-a-statement"),
    pytest.param("rating", "seed", "seed", "", [], [], id="seed-article-reports-a-rating"),
    pytest.param(
        "rating",
        "seed",
        "seed",
        "",
        ["other"],
        [("confidence", "'unresolved' for a cite whose sources disagree (disagrees: other)", "'seed'")],
        id="a-recorded-conflict-means-unresolved",
    ),
    pytest.param("rrl", "seed", "unresolved", "The sources differ.", ["other"], [], id="unresolved-conflict"),
    pytest.param(
        "rating",
        "superseded",
        "recalled",
        " ",
        [],
        [("note", "the reason for the mark 'recalled', shown to readers beside it", "no note")],
        id="recalled-needs-its-reason",
    ),
    pytest.param(
        "claim",
        "paper",
        "unresolved",
        "",
        ["a", "b"],
        [("note", "the reason for the mark 'unresolved', shown to readers beside it", "no note")],
        id="unresolved-needs-its-reason",
    ),
]


@pytest.mark.parametrize(("fact", "kind", "mark", "note", "disagrees", "problems"), CASES)
def test_check_cite(
    fact: str, kind: str, mark: str, note: str, disagrees: list[str], problems: list[tuple[str, str, str]]
) -> None:
    assert provenance.check_cite(fact, kind, mark, note, disagrees) == problems


def test_every_kind_and_fact_is_covered() -> None:
    assert set(provenance.KIND_NAMES) == set(model.SOURCE_KINDS)
    assert set(provenance.VERIFIED_BY) == set(provenance.FACTS)
    for fact in provenance.FACTS:
        for kind in model.SOURCE_KINDS:
            marks = provenance.allowed_marks(fact, kind, False)
            assert "unresolved" in marks and set(marks) <= set(model.CONFIDENCES), (fact, kind)


@pytest.mark.parametrize(
    ("fact", "kind", "mark", "disputed", "words"),
    [
        ("rating", "acr", "verified", False, "Checked against the ACR publication"),
        ("dose", "paper", "verified", False, "Checked in the source"),
        ("rating", "seed", "seed", False, "As reported by the source article; not yet checked against the ACR table"),
        ("claim", "seed", "seed", False, "As stated in the source article; not checked in another source"),
        ("rating", "secondary", "recalled", False, "Read only in a secondary summary; not yet checked against the ACR table"),
        ("claim", "secondary", "recalled", False, "Read only in a secondary summary; not yet checked against the original"),
        ("variant", "superseded", "recalled", False, "Read only in an older, superseded version; not checked against the current one"),
        ("dose", "paper", "recalled", False, "Not yet checked: taken from the source without re-reading it"),
        ("rrl", "seed", "unresolved", True, "Unresolved: the sources disagree"),
        ("variant", "acr", "unresolved", False, "Unresolved: not confirmed in the sources"),
    ],
)
def test_mark_words(fact: str, kind: str, mark: str, disputed: bool, words: str) -> None:
    assert provenance.mark_words(fact, kind, mark, disputed) == words


@pytest.mark.parametrize(
    ("path", "form"),
    [("faq[2].answer", "faq[].answer"), ("workflow.positive[10]", "workflow.positive[]"), ("summary", "summary")],
)
def test_claim_field(path: str, form: str) -> None:
    assert provenance.claim_field(path) == form

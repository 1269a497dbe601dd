"""Safety properties of the matcher on the packaged catalog: a red flag, however it is written and
wherever it sits among other words, never leaves the patient on a plain variant that excludes it; a
negated red flag never counts; an emergency presentation never gets a scenario; quotes are exact."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import calculator
from calculator.browser import packaged_catalog

CATALOG = packaged_catalog()
assert CATALOG is not None
EXCLUDED_BY = {s["id"]: {f for e in s["exclusions"] for f in e["facts"]} for s in CATALOG["scenarios"]}

#: Questions that alone land on a plain variant of the cervical spine topic.
PLAIN = [
    "neck pain 2 wks",
    "C6 radiculopathy",
    "neck pain radiating to the R arm",
    "chronic neck pain",
    "chronic neck pain with radiculopathy",
    "cervicalgia, no neuro deficit",
    "pinched nerve in the neck, tingling L thumb",
]
#: Red flags as clinicians write them, with the fact each must raise.
RED_FLAGS = {
    "known-cancer": [
        "hx breast ca",
        "known myeloma",
        "NHL in remission",
        "metastatic RCC",
        "?malignancy",
        "CLL",
    ],
    "fever": ["febrile", "T 38.6", "IVDU", "raised CRP", "immunosuppressed", "r/o discitis"],
    "prior-spine-surgery": ["s/p ACDF", "prior C5-6 fusion", "previous laminectomy"],
    "red-flags": ["weight loss", "night sweats"],
    "myelopathy": ["brisk reflexes", "clumsy hands", "unsteady gait", "urinary retention", "Hoffmann +"],
    "neuro-signs": ["vertigo", "slurred speech", "nystagmus"],
}
#: Negated red flags (with the fact each negates): words around the question that must change nothing.
NEGATED_FACTS = {
    "no fever": "fever",
    "afebrile": "fever",
    "denies trauma": "recent-trauma",
    "no hx of cancer": "known-cancer",
    "no weight loss": "red-flags",
    "no myelopathic signs": "myelopathy",
    "no clonus or Hoffmann sign": "myelopathy",
    "neuro intact": "neuro-signs",
    "denies bladder or bowel symptoms": "myelopathy",
}
NEGATED = sorted(NEGATED_FACTS)
JOINERS = [", ", ". ", " w/ ", " and ", "; ", " - "]


def _run(text: str) -> Any:
    out = calculator.run("scenario-match", {"text": text}, CATALOG)
    assert out["ok"], out
    return out["result"]


@st.composite
def question(draw: Any) -> tuple[str, str]:
    fact = draw(st.sampled_from(sorted(RED_FLAGS)))
    parts = [draw(st.sampled_from(PLAIN)), draw(st.sampled_from(RED_FLAGS[fact]))]
    others = [n for n in NEGATED if NEGATED_FACTS[n] != fact]  # never "febrile, no fever"
    parts += draw(st.lists(st.sampled_from(others), max_size=2, unique=True))
    order = draw(st.permutations(parts))
    text = order[0]
    for before, part in itertools.pairwise(order):
        # after a negated list a new statement starts a sentence: "denies trauma, weight loss" denies both
        joiner = ". " if before in NEGATED else draw(st.sampled_from(JOINERS))
        text += joiner + part
    return fact, text


@settings(max_examples=150, deadline=None)
@given(question())
def test_a_red_flag_never_leaves_the_patient_on_a_plain_variant(case: tuple[str, str]) -> None:
    fact, text = case
    result = _run(text)
    read = {f["fact"] for f in result["query"]["facts_from_text"]}
    assert fact in read, text
    for match in result["matches"]:
        assert fact not in EXCLUDED_BY[match["id"]], (text, match["id"])


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(PLAIN), st.lists(st.sampled_from(NEGATED), min_size=1, max_size=3, unique=True))
def test_negated_red_flags_change_nothing(plain: str, negated: list[str]) -> None:
    alone = [m["id"] for m in _run(plain)["matches"]]
    assert [m["id"] for m in _run(", ".join([plain, *negated]))["matches"]] == alone


EMERGENCIES = [
    "sudden facial droop and arm weakness",
    "worst headache of my life",
    "saddle anaesthesia",
    "fever, photophobia",
    "neck pain after MVC",
    "Horner syndrome and neck pain",
    "ascending weakness and areflexia",
    "IVDU, fever, weak legs",
    "neck pain after chiropractic manipulation, now vertigo",
]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(EMERGENCIES), st.sampled_from([*PLAIN, "numb chin after tongue SCC", "Bell's palsy"]))
def test_an_emergency_is_never_given_a_scenario(emergency: str, other: str) -> None:
    result = _run(f"{other}. {emergency}")
    assert result["matches"] == [] and result["not_covered"] != []


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from([*PLAIN, *EMERGENCIES, *NEGATED, "numb chin after tongue SCC", "72F"]), max_size=4
    )
)
def test_every_quote_is_exactly_what_was_typed(parts: list[str]) -> None:
    text = " ; ".join(parts) or "x"
    result = _run(text)
    for fact in result["query"]["facts_from_text"]:
        for q in fact["quotes"]:
            assert text[q["start"] : q["end"]] == q["text"]
            for m in q["modifiers"]:
                assert text[m["start"] : m["end"]] == m["text"]
    for aside in result["query"]["set_aside"]:
        assert text[aside["start"] : aside["end"]] == aside["text"]


#: Signs of the spinal cord as clinicians write them, and cancers of any kind.
CORD_SIGNS = [
    "?cord compression",
    "brisk reflexes",
    "Hoffmann positive",
    "clumsy hands",
    "unsteady gait",
    "upgoing plantars",
    "new urinary retention",
    "numbness in both hands",
    "L'hermitte sign",
    "weak legs",
]
CANCERS = ["hx breast ca", "known myeloma", "NHL in remission", "metastatic RCC", "prostate ca w/ bone mets"]


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(CORD_SIGNS),
    st.sampled_from(PLAIN),
    st.one_of(st.none(), st.sampled_from(CANCERS)),
    st.permutations([0, 1, 2]),
)
def test_cord_signs_are_urgent_and_never_plain(sign: str, plain: str, cancer: str | None, order: Any) -> None:
    parts = [sign, plain, cancer or ""]
    text = ", ".join(p for p in (parts[i] for i in order) if p)
    result = _run(text)
    assert result["urgent"], text
    ids = [m["id"] for m in result["matches"]]
    assert not any("myelopathy" in EXCLUDED_BY[i] for i in ids), (text, ids)
    if cancer:
        # metastatic cord compression: the article on neck pain in cancer, flagged urgent
        assert ids[:1] == ["new-neck-pain-known-cancer"], (text, ids)
    else:
        assert ids == [] and result["not_covered"] != [], (text, ids)

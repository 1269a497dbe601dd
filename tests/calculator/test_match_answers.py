"""What the matcher says beside or instead of a scenario (packaged catalog): urgent warnings, answers for
presentations the site does not cover (with their urgency, ACR topic and closest article), the red flags
a plain variant presumes absent, ticked facts the text denies, and criterion labels that never claim
more than the text says."""

# ruff: noqa: E501 - the exact messages are clearer unbroken

from __future__ import annotations

from typing import Any

import pytest

import calculator
from calculator.browser import packaged_catalog

CATALOG = packaged_catalog()
NNP = "new-neck-pain-known-cancer"
MSCC = (
    "Urgent: Suspected metastatic spinal cord compression. In a patient with cancer, radicular pain, limb "
    "weakness, difficulty walking, numbness or bladder or bowel disturbance can mean metastatic spinal cord "
    "compression, an oncological emergency: NICE NG234, as summarised, advises immediate referral and MRI as "
    "soon as possible and within 24 hours. The article on neck pain in a patient with cancer covers the "
    "imaging (MRI of the whole spine). Article on this site: 'Which imaging first for new neck pain in a "
    "patient with cancer?'."
)


def _run(text: str, facts: tuple[str, ...] = ()) -> dict[str, Any]:
    out = calculator.run("scenario-match", {"text": text, "facts": list(facts)}, CATALOG)
    assert out["ok"], out
    return out


@pytest.mark.parametrize(
    "text",
    [
        "myeloma, neck pain, brisk reflexes",
        "breast ca w/ bone mets, cervical pain and unsteady gait",
        "lymphoma, new paraparesis",
        "prostate ca, ?MSCC",
    ],
)
def test_cord_signs_with_cancer_give_the_article_and_say_it_is_urgent_first(text: str) -> None:
    out = _run(text)
    result = out["result"]
    assert [m["id"] for m in result["matches"][:1]] == [NNP]
    assert result["urgent"] is True
    assert [(c["fact"], c["urgent"], c["see"]["id"]) for c in result["cautions"]] == [
        ("metastatic-cord-compression", True, NNP)
    ]
    assert out["report"].startswith(MSCC)


@pytest.mark.parametrize(
    ("text", "fact", "urgency", "message", "topic", "see"),
    [
        (
            "neck pain and myelopathy",
            "myelopathy-outside",
            "urgent",
            "Not covered here: discuss urgent imaging with radiology.",
            "Myelopathy",
            None,
        ),
        (
            "?cord compression",
            "cord-compression",
            "emergency",
            "Not covered here: follow your emergency pathway.",
            "Myelopathy",
            NNP,
        ),
        (
            "IVDU, febrile, neck pain, weak both arms",
            "epidural-abscess-deficit",
            "emergency",
            "Not covered here: follow your emergency pathway.",
            "Myelopathy",
            "cervical-suspected-infection",
        ),
        (
            "numb lower lip, known breast cancer",
            "cranial-deficit-outside",
            "consult",
            "Not covered here: consult radiology about the first study.",
            "Cranial Neuropathy",
            None,
        ),
        (
            "SCC of the tongue, staging",
            "head-neck-staging-outside",
            "consult",
            "Not covered here: consult radiology about the first study.",
            "Staging and Post-Therapy Assessment of Head and Neck Cancer",
            None,
        ),
        (
            "neck pain, night sweats",
            "constitutional-outside",
            "consult",
            "Not covered here: consult radiology about the first study.",
            "Cervical Pain or Cervical Radiculopathy",
            NNP,
        ),
    ],
)
def test_presentations_outside_the_catalogue_say_how_pressing_they_are(
    text: str, fact: str, urgency: str, message: str, topic: str, see: str | None
) -> None:
    result = _run(text)["result"]
    assert result["matches"] == []
    assert result["message"] == message
    first = result["not_covered"][0]
    assert (first["fact"], first["urgency"], first["acr_topic"]) == (fact, urgency, topic)
    assert (first["see"] or {}).get("id") == see
    assert result["urgent"] is (urgency != "consult")


def test_a_plain_variant_lists_the_red_flags_it_presumes_absent_and_those_ruled_out() -> None:
    out = _run("35M neck pain x5d. no fever, no wt loss, no hx ca, no trauma")
    checks = out["result"]["checks"]
    assert checks["id"] == "cervical-no-red-flags"
    assert [(c["fact"], c["phrase"]) for c in checks["ruled_out"]] == [
        ("fever", "no fever"),
        ("known-cancer", "no hx ca"),
        ("recent-trauma", "no trauma"),
        ("red-flags", "no wt loss"),
    ]
    assert [c["fact"] for c in checks["not_mentioned"]] == [
        "inflammatory-arthritis",
        "myelopathy",
        "neuro-signs",
        "prior-spine-surgery",
    ]
    expected = (
        "This scenario presumes none of these red flags. Ruled out in the question: Fever, signs of infection or "
        "a risk for it ('no fever'); Known or suspected cancer ('no hx ca'); Recent significant trauma ('no "
        "trauma'); Constitutional red flags ('no wt loss'). Not mentioned, so check them: Inflammatory arthritis "
        "of the spine; Signs of myelopathy or spinal cord compression; Other neurological signs (vertigo, vision, "
        "speech, balance); Prior cervical spine surgery."
    )
    assert expected in out["report"]


def test_no_red_flags_written_out_rules_them_all_out() -> None:
    checks = _run("neck pain, no red flags")["result"]["checks"]
    assert checks["not_mentioned"] == []
    assert {c["phrase"] for c in checks["ruled_out"]} == {"no red flags"}


@pytest.mark.parametrize(
    "text",
    ["neck pain, Froment sign", "neck ache with bradykinesia", "neck pain, XYZ positive"],
)
def test_an_unknown_sign_never_counts_as_no_red_flags(text: str) -> None:
    out = _run(text)
    result = out["result"]
    assert "cervical-no-red-flags" not in [m["id"] for m in result["matches"]]
    assert [(d["from"], [b["fact"] for b in d["because"]]) for d in result["redirects"]] == [
        ("cervical-no-red-flags", ["unrecognised-finding"])
    ]


def test_a_ticked_fact_the_text_denies_is_said_not_resolved_silently() -> None:
    result = _run("neck pain, no hx of cancer", ("known-cancer",))["result"]
    assert result["conflicts"] == [
        {
            "fact": "known-cancer",
            "label": "Known or suspected cancer",
            "phrase": "no hx of cancer",
            "text": "'Known or suspected cancer' is ticked, but the text says 'no hx of cancer': the ticked "
            "fact was used; check which is right.",
        }
    ]


@pytest.mark.parametrize(
    ("facts", "excluded"),
    [
        (("facial-weakness", "known-cancer"), "cn-facial-weakness"),
        (("trigeminal-symptoms", "known-cancer"), "cn-trigeminal"),
        (("facial-weakness", "trigeminal-symptoms", "known-cancer"), "cn-multiple-middle"),
    ],
)
def test_ticked_cancer_and_cranial_deficit_never_give_an_isolated_palsy(
    facts: tuple[str, ...], excluded: str
) -> None:
    result = _run("", facts)["result"]
    assert result["matches"] == []
    assert excluded in {d["from"] for d in result["redirects"]}
    assert [n["fact"] for n in result["not_covered"]] == ["cranial-deficit-outside"]
    assert [c["fact"] for c in result["cautions"]] == ["cancer-cranial-deficit"]


@pytest.mark.parametrize(
    ("text", "scenario", "labels"),
    [
        (
            "parotid mucoepidermoid ca",
            "hn-salivary-initial-staging",
            ["Salivary gland cancer, no treatment mentioned"],
        ),
        (
            "parotid mucoepidermoid ca, untreated, staging",
            "hn-salivary-initial-staging",
            ["Newly diagnosed, untreated salivary gland cancer"],
        ),
        (
            "?recurrence, parotid ACC",
            "treated-salivary-gland-cancer-follow-up",
            ["Salivary gland cancer taken as treated (a recurrence is asked about)"],
        ),
        (
            "radiation necrosis vs progression GBM",
            "brain-tumor-recurrence-vs-treatment-effect",
            [
                "Brain tumor taken as treated (radiation necrosis is asked about)",
                "New or enlarging enhancing lesion on follow-up MRI",
            ],
        ),
        (
            "new ring enhancing mass, ?glioma",
            "brain-tumor-pretreatment-intra-axial",
            ["Suspected brain tumor, no treatment mentioned"],
        ),
        (
            "new dx GBM, not yet operated, pre-op MRI",
            "brain-tumor-pretreatment-intra-axial",
            ["Suspected brain tumor, not yet treated"],
        ),
    ],
)
def test_criterion_labels_say_what_the_text_implies_and_no_more(
    text: str, scenario: str, labels: list[str]
) -> None:
    best = _run(text)["result"]["matches"][0]
    assert best["id"] == scenario
    assert [c["label"] for c in best["criteria_met"]] == labels


def test_a_cancer_said_to_be_not_yet_treated_is_never_read_as_treated() -> None:
    result = _run("parotid ca, facial nerve palsy, not yet treated")["result"]
    read = [f["fact"] for f in result["query"]["facts_from_text"]]
    assert "salivary-cancer-treated" not in read
    assert "salivary-cancer-untreated" in read


def test_treated_and_untreated_in_one_question_is_said() -> None:
    result = _run("newly diagnosed parotid ACC, s/p parotidectomy")["result"]
    assert [m["id"] for m in result["matches"][:1]] == ["treated-salivary-gland-cancer-follow-up"]
    assert [c["fact"] for c in result["cautions"]] == ["treatment-status-unclear"]


def test_a_lower_cranial_nerve_deficit_with_cancer_keeps_its_variant_with_the_caveat() -> None:
    # the lower cranial nerve variants image the nerve's whole course, skull base to mediastinum
    result = _run("lung adenocarcinoma, hoarse voice, L vocal cord palsy")["result"]
    assert [m["id"] for m in result["matches"][:1]] == ["cn-vagus"]
    assert [c["fact"] for c in result["cautions"]] == ["cancer-cranial-deficit"]


@pytest.mark.parametrize(
    ("text", "top"),
    [
        # phone review 10: a rating read only in a summary says so beside its category
        (
            "treated glioblastoma routine surveillance MRI",
            "Top-rated study: MRI head perfusion with IV contrast (Usually appropriate). How sure: Read only"
            " in a secondary summary; not yet checked against the ACR table.",
        ),
        (
            "known breast cancer with new neck pain",
            "Top-rated study: MRI cervical spine without and with IV contrast (Usually appropriate). How"
            " sure: As reported by the source article; not yet checked against the ACR table.",
        ),
    ],
)
def test_the_top_rated_study_carries_its_mark_in_the_report(text: str, top: str) -> None:
    assert top in _run(text)["report"]

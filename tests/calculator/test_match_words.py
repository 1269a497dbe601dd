"""Clinicians' own words for what they see (packaged catalog): each cranial nerve's deficit said the way a
patient or a clinician notices it, negations of the "nothing / none / never" kind, where a brain mass
sits, and the urgency of a suspected spinal infection or of a brain mass with seizures or a deficit.
None of these questions is in tests/cases/match_questions.json."""

# ruff: noqa: E501 - the exact messages are clearer unbroken

from __future__ import annotations

from typing import Any

import pytest

import calculator
from calculator.browser import packaged_catalog

CATALOG = packaged_catalog()
INFECTION = (
    "Urgent: Neck pain with signs of infection, a recent infection or injection drug use. Neck pain with fever, "
    "raised inflammatory markers, a recent infection or bacteraemia, or injection drug use can mean a spinal "
    "infection (epidural abscess, discitis, osteomyelitis). Its outcome depends most on diagnosis before a "
    "neurological deficit appears, and the diagnosis is often delayed: do not wait for a deficit; discuss MRI "
    "with radiology without delay."
)
BRAIN = (
    "Urgent: A newly found brain mass with a seizure or a new deficit. A brain mass found after a first seizure "
    "or with a focal neurological deficit calls for urgent evaluation by a neurosurgeon or neurologist, "
    "alongside the imaging for planning."
)


def _run(text: str) -> dict[str, Any]:
    out = calculator.run("scenario-match", {"text": text}, CATALOG)
    assert out["ok"], out
    return out


def _top(result: dict[str, Any]) -> str:
    if any(n["urgency"] != "consult" for n in result["not_covered"]):
        return "not-covered"
    return str(result["matches"][0]["id"]) if result["fits"] else "none"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("can't smell coffee any more since the flu, 6 months", "cn-anosmia"),
        ("his jaw goes to the left when he opens his mouth", "cn-trigeminal"),
        ("electric shocks in the right cheek when brushing teeth", "cn-trigeminal"),
        ("she can't whistle or raise the right eyebrow since yesterday", "cn-facial-weakness"),
        ("the right side of her face won't move and the eye does not blink", "cn-facial-weakness"),
        ("spasms of the left side of the face for two years, eye shuts by itself", "cn-facial-weakness"),
        ("food goes the wrong way and she coughs when drinking", "cn-glossopharyngeal"),
        ("left vocal cord not moving on scope", "cn-vagus"),
        ("croaky voice for ten weeks, never smoked", "cn-vagus"),
        ("his left shoulder hangs lower and the trapezius is wasted", "cn-accessory"),
        ("scapular winging and weak head turning to the right", "cn-accessory"),
        ("tongue sticks out to one side and is thin on the left", "cn-hypoglossal"),
        # two lower nerves said by their deficits, none of them named
        ("nasal speech and the tongue points to the left", "cn-multiple-lower"),
        ("choking on liquids with a deviated uvula and a weak shrug", "cn-multiple-lower"),
        ("hard to swallow and the voice is weak, no cancer known", "cn-multiple-lower"),
        ("numb cheek and weak face on the same side for four weeks", "cn-multiple-middle"),
    ],
)
def test_a_cranial_nerve_is_recognised_by_what_the_patient_notices(text: str, expected: str) -> None:
    assert _top(_run(text)["result"]) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("neck pain 2 weeks, no fever, nothing down the arms, never had cancer", "cervical-no-red-flags"),
        ("never any arm symptoms, neck ache for five days", "cervical-no-red-flags"),
        ("neck pain for a week; there is no numbness, there was no fall", "cervical-no-red-flags"),
        ("stiff sore neck, had no fever, had nothing in the arms", "cervical-no-red-flags"),
        # "nothing" that negates nothing after it
        ("neck pain 3 weeks, tingling in the left thumb, nothing helps", "cervical-radiculopathy"),
        ("neck pain with tingling down the left arm, nothing else", "cervical-radiculopathy"),
    ],
)
def test_nothing_none_and_never_deny_what_follows(text: str, expected: str) -> None:
    assert _top(_run(text)["result"]) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mass within the brain tissue on CT, no cancer history", "brain-tumor-pretreatment-intra-axial"),
        (
            "enhancing mass in the left frontal lobe with oedema, no cancer",
            "brain-tumor-pretreatment-intra-axial",
        ),
        ("mass centred in the thalamus, new, not treated", "brain-tumor-pretreatment-intra-axial"),
        (
            "lesion attached to the dura over the right convexity, pre-op",
            "brain-tumor-pretreatment-extra-axial",
        ),
        ("lesion arising from the meninges along the falx", "brain-tumor-pretreatment-extra-axial"),
        (
            "mass on the surface of the brain pressing on it, before surgery",
            "brain-tumor-pretreatment-extra-axial",
        ),
    ],
)
def test_where_a_brain_mass_sits_chooses_intra_or_extra_axial(text: str, expected: str) -> None:
    assert _top(_run(text)["result"]) == expected


@pytest.mark.parametrize(
    ("text", "expected", "report"),
    [
        ("neck pain, T 38.5, CRP 120", "cervical-suspected-infection", INFECTION),
        ("haemodialysis, bacteraemia last month, neck pain", "cervical-suspected-infection", INFECTION),
        ("IVDU with neck pain for a week, neuro intact", "cervical-suspected-infection", INFECTION),
        # a weak limb with neck pain and signs of infection: the epidural abscess emergency
        ("IVDU, fever, neck pain and now a weak left hand", "not-covered", "Not covered here"),
        ("new seizure, CT: mass in the right temporal lobe", "brain-tumor-pretreatment-intra-axial", BRAIN),
        (
            "left arm weak, CT shows a mass inside the brain, no cancer",
            "brain-tumor-pretreatment-intra-axial",
            BRAIN,
        ),
    ],
)
def test_suspected_spinal_infection_and_a_brain_mass_with_neurology_are_urgent(
    text: str, expected: str, report: str
) -> None:
    out = _run(text)
    assert _top(out["result"]) == expected
    assert out["result"]["urgent"] is True
    assert out["report"].startswith(report)


@pytest.mark.parametrize(
    "text",
    [
        "neck pain, afebrile, CRP normal, no trauma",
        "neck pain 3 days in a man on long-term steroids for asthma",
        "mass in the left frontal lobe found on a scan for headache, no deficit",
    ],
)
def test_no_urgency_without_signs_of_infection_or_neurology(text: str) -> None:
    assert _run(text)["result"]["urgent"] is False

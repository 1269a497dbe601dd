"""Issue 11: every error comes with plain words for the form (``plain``) beside the technical message,
which keeps the field path for programs and the command line."""

from __future__ import annotations

from typing import Any

import pytest

import calculator
from calculator.browser import packaged_catalog

#: calculator, input, error path, the words a clinician reads next to the field.
CASES = [
    (
        "iene",
        {"findings": [{"finding": "artery-contact", "certainty": "unequivocal", "artery": "internal-carotid",
                       "degrees": 400}]},
        "findings[0].degrees",
        "Degrees of contact must be between 0 and 360.",
    ),
    (
        "iene",
        {"findings": [{"finding": "artery-contact", "certainty": "unequivocal", "degrees": "wide"}]},
        "findings[0].degrees",
        "Degrees of contact must be a number from 0 to 360.",
    ),
    (
        "iene",
        {"findings": [{"finding": "artery-contact", "certainty": "unequivocal", "degrees": 200}]},
        "findings[0].artery",
        "Artery is needed for artery contact.",
    ),
    (
        "iene",
        {"findings": [{"finding": "necrosis", "certainty": "unequivocal", "lumen_narrowed": True}]},
        "findings[0].lumen_narrowed",
        "Lumen narrowed or deformed applies only to the finding “Contact with or encasement of an artery”.",
    ),
    (
        "iene",
        {"findings": [{"finding": "necrosis", "certainty": "maybe"}]},
        "findings[0].certainty",
        "Choose one of the listed options for certainty.",
    ),
    ("dose", {"studies": []}, "studies", "Add an entry under “Studies”."),
    ("dose", {}, "studies", "Add an entry under “Studies”."),
    (
        "dose",
        {"studies": [{}]},
        "studies[0]",
        "Choose a study, or choose “Another study” and give its name and dose.",
    ),
    ("dose", {"studies": [{"procedure": "ct-haed"}]}, "studies[0].procedure",
     "Choose a study from the list."),
    (
        "dose",
        {"studies": [{"procedure": "ct-maxillofacial-with"}]},
        "studies[0].procedure",
        "This site has no typical dose for this study: choose “Another study” and enter the dose from its "
        "report.",
    ),
    (
        "dose",
        {"studies": [{"procedure": "xr-cervical-spine", "count": 0}]},
        "studies[0].count",
        "How many times must be a whole number from 1 to 1000.",
    ),
    ("dose", {"studies": [{"custom": "Outside CT", "dose_msv": -1}]}, "studies[0].dose_msv",
     "The dose cannot be below 0 mSv."),
    (
        "dose",
        {"studies": [{"custom": "Outside CT", "dose_msv": 4000}]},
        "studies[0].dose_msv",
        "More than 1000 mSv for one study is not plausible: check the unit (µSv, and the DLP in mGy·cm, are "
        "not mSv).",
    ),
    (
        "dose",
        {"studies": [{"custom": "Outside CT"}]},
        "studies[0].dose_msv",
        "Enter the dose of this study in mSv, or for a CT its DLP and the body region.",
    ),
    (
        "dose",
        {"studies": [{"custom": "Outside CT", "dlp_mgycm": 300}]},
        "studies[0].region",
        "Choose the body region the CT covered, so that its DLP can be converted.",
    ),
    (
        "dose",
        {"population": "pediatric",
         "studies": [{"custom": "Outside CT", "dlp_mgycm": 300, "region": "head"}]},
        "studies[0].dlp_mgycm",
        "The DLP is converted with adult coefficients only: for a child, enter the dose in mSv from the "
        "report, or ask the radiology department.",
    ),
    ("dose", {"studies": [{"procedure": "xr-cervical-spine"}], "extra": 1}, "extra",
     "This input holds an entry the calculator does not use."),
    ("scenario-match", {}, "", "Tick at least one fact or describe the patient in words."),
    ("scenario-match", {"text": "neck pain", "limit": 99}, "limit",
     "Number of results must be a whole number from 1 to 20."),
    ("scenario-match", {"text": "x" * 1001}, "text",
     "Clinical question can be at most 1000 characters long."),
    ("scenario-match", {"facts": ["no-such-fact"]}, "facts[0]", "Choose the patient's facts from the list."),
]  # fmt: skip


@pytest.mark.parametrize(("name", "payload", "path", "words"), CASES)
def test_plain_words(name: str, payload: dict[str, Any], path: str, words: str) -> None:
    envelope = calculator.run(name, payload, packaged_catalog())
    assert not envelope["ok"]
    found = {e["path"]: e for e in envelope["errors"]}
    assert found[path]["plain"] == words
    # the technical message keeps naming the field for programs
    assert found[path]["message"].startswith(f"{path}:" if path else "")


@pytest.mark.parametrize("name", list(calculator.CALCULATORS))
def test_every_error_has_plain_words_without_paths(name: str) -> None:
    hostile: list[Any] = [None, [], "x", {"a": {"b": 1}}, {"findings": [1], "studies": [1], "facts": [1]}]
    for payload in hostile:
        for e in calculator.run(name, payload, packaged_catalog()).get("errors", []):
            assert e["plain"] and "[" not in e["plain"] and "_" not in e["plain"], e

"""The matcher on clinicians' own questions (tests/cases/match_questions.json), judged as
bench/match_eval.py judges them: the test half must be right at the top at least 90 % of the time,
with no unsafe route and every child flagged. The matcher is tuned on the development half only."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import calculator
from calculator.browser import packaged_catalog

ROOT = Path(__file__).resolve().parents[2]


def _eval_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("match_eval", ROOT / "bench" / "match_eval.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["match_eval"] = module
    spec.loader.exec_module(module)
    return module


EVAL = _eval_module()
QUESTIONS = EVAL.load_questions()
CATALOG = packaged_catalog()


def _run(text: str) -> Any:
    out = calculator.run("scenario-match", {"text": text, "limit": 5}, CATALOG)
    assert out["ok"], out
    return out["result"]


def _summary(half: str) -> Any:
    assert CATALOG is not None
    return EVAL.evaluate([q for q in QUESTIONS if q["split"] == half], _run, CATALOG)


def test_the_question_set_is_large_varied_and_split_once() -> None:
    assert len(QUESTIONS) >= 150
    assert len({q["id"] for q in QUESTIONS}) == len(QUESTIONS)
    assert Counter(q["split"] for q in QUESTIONS).keys() == {"dev", "test"}
    # every scenario and sibling variant of the catalogue is asked about, in both halves
    assert CATALOG is not None
    ids = {s["id"] for s in CATALOG["scenarios"]}
    for half in ("dev", "test"):
        expected = {q["expect"] for q in QUESTIONS if q["split"] == half}
        assert ids <= expected, sorted(ids - expected)
        assert {"none", "not-covered"} <= expected
        assert any(q["child"] for q in QUESTIONS if q["split"] == half)


def test_every_expected_answer_exists() -> None:
    assert CATALOG is not None
    ids = {s["id"] for s in CATALOG["scenarios"]} | {"none", "not-covered"}
    assert [q["id"] for q in QUESTIONS if {q["expect"], *q["accept"]} - ids] == []


@pytest.mark.parametrize("half", ["test"])
def test_the_held_in_half_is_answered_safely_and_well(half: str) -> None:
    s = _summary(half)
    failures = [(o.question["id"], o.question["text"], o.ranked[:2]) for o in s.outcomes if not o.top1]
    assert s.top1 >= 0.90, failures
    assert [o.unsafe for o in s.unsafe] == []
    assert [o.question["id"] for o in s.children_missed] == []


FLAGSHIP = [
    "?PNS along V2",
    "numb chin after tongue SCC",
    "path shows large-nerve PNI",
    "perineural spread?",
    "r/o perineural tumour spread, known cSCC of the scalp",
    "V3 numbness in a patient treated for oral cavity SCC",
    "new facial nerve palsy, hx parotid adenoid cystic carcinoma",
    "named-nerve PNI on excision of a forehead SCC, now numb forehead",
    "HNSCC s/p chemoRT, new trigeminal neuralgia",
    "cheek paraesthesia x 6 wks after BCC excision from the nose",
    "query perineural disease along V2 - previous melanoma of the cheek",
    "L CN VII weakness in a pt with prior SCC of the ear",
]


@pytest.mark.parametrize("text", FLAGSHIP)
def test_the_flagship_question_reaches_its_article_in_every_phrasing(text: str) -> None:
    result = _run(text)
    assert [m["id"] for m in result["matches"][:1]] == ["perineural-spread-head-neck-cancer"]

"""Per-call time of each calculator under CPython: median over many calls (a benchmark, not a test).

    .venv/bin/python bench/calculator_core.py [--calls N]

Targets (issues 3 and 10): iENE and dose under 1 ms a call; scenario matching under 10 ms a call
against a synthetic catalog of 1,200 scenarios built here on the real vocabulary (concepts, facts and
their rules from the packaged catalog), for a plain question and for each question of
tests/cases/match_questions.json (median and slowest are printed). The matcher's index is built once
per catalog object; its one-off build time is printed separately.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without relying on the editable install

import calculator  # noqa: E402

FIXTURE = json.loads((ROOT / "tests" / "cases" / "fixture_catalog.json").read_text("utf-8"))
PACKAGED = json.loads((ROOT / "calculator" / "data" / "catalog.json").read_text("utf-8"))
QUESTIONS = json.loads((ROOT / "tests" / "cases" / "match_questions.json").read_text("utf-8"))["questions"]
WORDS = tuple(
    [
        "neck",
        "pain",
        "radiculopathy",
        "fever",
        "trauma",
        "cancer",
        "glioma",
        "tumor",
        "lesion",
        "enhancing",
        "numbness",
        "facial",
        "weakness",
        "palsy",
        "parotid",
        "salivary",
        "lump",
        "mass",
        "surveillance",
        "staging",
        "recurrence",
        "perfusion",
        "spine",
        "cervical",
        "thoracic",
        "lumbar",
        "headache",
        "seizure",
        "vision",
        "hearing",
        "vertigo",
        "sinus",
        "orbit",
        "thyroid",
        "lymph",
        "node",
        "abscess",
        "infection",
        "fracture",
        "surgery",
        "fusion",
        "hardware",
        "child",
        "adult",
        "elderly",
        "pregnant",
        "acute",
        "chronic",
        "new",
        "known",
        "suspected",
    ]
)


def synthetic_catalog(n: int = 1200, seed: int = 7) -> dict[str, Any]:
    """A catalog like the exported one with ``n`` scenarios of random facts, keywords, concepts and
    exclusions, on the packaged catalog's vocabulary (concepts, facts and their rules)."""
    rnd = random.Random(seed)
    facts = [f["id"] for f in PACKAGED["facts"] if f["group"] not in ("internal", "emergency")]
    concepts = [c["id"] for c in PACKAGED["concepts"] if c["kind"] not in ("modifier", "word")]
    scenarios = []
    for i in range(n):
        sid = f"scenario-{i:04d}"
        scenarios.append(
            {
                "id": sid,
                "kind": "variant",
                "title": " ".join(rnd.sample(WORDS, 6)).capitalize(),
                "topic": f"topic-{i % 40}",
                "topic_title": f"Topic {i % 40}",
                "acr_variant": "",
                "summary": "",
                "url": f"topics/topic-{i % 40}/#{sid}",
                "facts_all": rnd.sample(facts, rnd.randint(0, 2)),
                "facts_any": rnd.sample(facts, rnd.randint(0, 3)),
                "keywords": [
                    " ".join(rnd.sample(WORDS, rnd.randint(1, 3))) for _ in range(rnd.randint(2, 6))
                ],
                "concepts": rnd.sample(concepts, rnd.randint(0, 3)),
                "adults_only": rnd.random() < 0.3,
                "exclusions": [
                    {
                        "text": "Excluded.",
                        "facts": [rnd.choice(facts)],
                        "redirect": {
                            "kind": "variant",
                            "id": f"scenario-{rnd.randrange(n):04d}",
                            "title": "x",
                            "url": "",
                        },
                    }
                    for _ in range(rnd.randint(0, 2))
                ],
                "top": None,
                "source": "synthetic",
                "confidence": "seed",
            }
        )
    return {**PACKAGED, "scenarios": scenarios}


def median_ms(call: Callable[[], dict[str, Any]], calls: int) -> float:
    assert call()["ok"]  # warm-up, and a check that the payload is valid
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--calls", type=int, default=2000, help="calls per calculator (matching uses a fifth)"
    )
    calls = parser.parse_args().calls
    iene_input = {
        "findings": [
            {"finding": "fat-projections", "certainty": "unequivocal"},
            {"finding": "necrosis", "certainty": "unequivocal"},
            {
                "finding": "coalescent-nodes",
                "certainty": "unequivocal",
                "fat_planes_lost": True,
                "convexity_lost": True,
                "boundaries_merged": True,
            },
            {
                "finding": "artery-contact",
                "certainty": "unequivocal",
                "artery": "internal-carotid",
                "degrees": 200,
            },
            {"finding": "muscle-infiltration", "certainty": "equivocal"},
        ],
        "subsite": "hpv-oropharynx",
        "recent_biopsy": "no",
    }
    dose_input = {
        "studies": [
            {"procedure": "ct-head-without", "count": 3},
            {"procedure": "xr-chest", "count": 2},
            {"procedure": "ct-abdomen-pelvis-with"},
            {"procedure": "mri-head-without-and-with"},
            {"custom": "Outside PET/CT", "dose_msv": 14.5},
        ]
    }
    big = synthetic_catalog()
    start = time.perf_counter()
    calculator.run("scenario-match", {"text": "x"}, big)  # builds the index once
    build_ms = (time.perf_counter() - start) * 1000
    match_input = {
        "facts": ["known-cancer", "neck-pain"],
        "text": "known breast cancer with new neck pain and arm numbness, no fever, prior fusion",
    }
    rows = [
        ("iene", median_ms(lambda: calculator.run("iene", iene_input), calls), 1.0),
        ("dose", median_ms(lambda: calculator.run("dose", dose_input, FIXTURE), calls), 1.0),
        (
            "scenario-match (1,200 scenarios)",
            median_ms(lambda: calculator.run("scenario-match", match_input, big), max(calls // 5, 20)),
            10.0,
        ),
    ]
    per_question = []
    for q in QUESTIONS:
        text = {"text": q["text"]}
        per_question.append(median_ms(lambda text=text: calculator.run("scenario-match", text, big), 5))
    per_question.sort()
    rows.append(("  each question, median", statistics.median(per_question), 10.0))
    rows.append(("  each question, slowest", per_question[-1], 10.0))
    print(
        f"Python {sys.version.split()[0]}; median per call over {calls} calls "
        f"(matching: {max(calls // 5, 20)}; each of the {len(QUESTIONS)} questions: 5)"
    )
    for name, ms, target in rows:
        print(f"  {name:34s} {ms:8.3f} ms   target < {target:g} ms   {'ok' if ms < target else 'SLOW'}")
    print(f"  {'match index build (once/catalog)':34s} {build_ms:8.3f} ms")


if __name__ == "__main__":
    main()

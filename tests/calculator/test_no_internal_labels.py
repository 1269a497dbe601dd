"""Readers see clinical language, not our internals: every report, headline and explanation the
calculators give, for every case of tests/cases/*.json and every declared example, is scanned for
source ids, raw confidence marks, rule and option ids, file paths, module names and placeholders.

The forbidden ids are taken from the data (the catalogs, the calculators' declarations and the ids
their own trails cite), so a new source or option is covered without touching this file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
from replay import CASES_DIR, load

import calculator
from calculator.browser import packaged_catalog
from sitegen.data.model import CONFIDENCES

#: The matcher's question set: its answers to clinicians' questions are scanned too.
QUESTIONS = "match_questions.json"
FILES = tuple(
    sorted(p.name for p in CASES_DIR.glob("*.json") if p.name not in ("fixture_catalog.json", QUESTIONS))
)
#: Result fields whose values are codes for programs (ids, paths, enum values), never shown as prose.
MACHINE_KEYS = frozenset(
    {
        "path",
        "rule",
        "effect",
        "id",
        "source",
        "sources",
        "confidence",
        "finding",
        "procedure",
        "subsite",
        "kind",
        "url",
        "topic",
        "fact",
        "facts",
        "category",
        "from",
        "via",
        "population",
        "ene",
        "unit",
        "certainty",
        "redirected_from",
        "terms",
        "negated",
    }
)
#: Words that mark unfinished or machine text wherever they stand.
PLACEHOLDERS = (
    "not sourced yet",
    "no page here yet",
    "not yet reviewed",
    "lorem ipsum",
    "TODO",
    "TBD",
    "FIXME",
)
_MACHINE_TEXT = re.compile(
    r"\b(?:None|null|undefined|NaN|True|False)\b"  # Python or JavaScript values printed as text
    r"|[{}]"  # unfilled format fields or dumped objects
    r"|\b[\w/.-]+\.(?:py|ya?ml|json|js|j2|md|html)\b"  # file paths
    r"|\bcalculator\.|\bsitegen\b|\b_\w+|__\w+"  # module names and private names
)


_WORDED = re.compile(r"\bseed articles?\b|\bUnresolved: (?=\w)")


def _runs() -> Iterator[tuple[str, str, Any, Any]]:
    """(case id, calculator, input, catalog) for every case and every declared example."""
    for file in FILES:
        data = load(file)
        for case in data["cases"]:
            yield f"{file}:{case['name']}", data["calculator"], case["input"], data["catalog"]
    for calc in calculator.CALCULATORS.values():
        for n, example in enumerate(calc.examples):
            yield f"example:{calc.name}[{n}]", calc.name, example, packaged_catalog()
    for q in json.loads((CASES_DIR / QUESTIONS).read_text(encoding="utf-8"))["questions"]:
        yield f"{QUESTIONS}:{q['id']}", "scenario-match", {"text": q["text"]}, packaged_catalog()


def _enum_values(fields: list[dict[str, Any]]) -> Iterator[str]:
    for f in fields:
        yield from (v["value"] for v in f.get("values", []))
        yield from _enum_values(f.get("items", []))


@cache
def _answers() -> dict[str, dict[str, Any]]:
    return {cid: calculator.run(name, payload, cat) for cid, name, payload, cat in _runs()}


@cache
def _forbidden_ids() -> frozenset[str]:
    """Every id a reader must not meet: from the catalogs, the declarations and the trails."""
    ids: set[str] = set()
    catalogs = [load(f)["catalog"] for f in FILES] + [packaged_catalog()]
    for cat in filter(None, catalogs):
        ids |= set(cat.get("sources", {}))
        for key in ("procedures", "scenarios", "facts"):
            ids |= {entry["id"] for entry in cat.get(key, [])}
        ids |= {entry["topic"] for entry in cat.get("scenarios", [])}
    for spec in calculator.specs():
        ids |= set(_enum_values(spec["fields"]))
    for out in _answers().values():
        for step in out.get("trail", []):
            ids |= {step["rule"], *step["sources"]}
    # a one-word id ("fever") is also an ordinary word; compound ids never are
    return frozenset(i for i in ids if "-" in i)


def _texts(node: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """(where, text) for every reader-facing string in a result."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in MACHINE_KEYS:
                yield from _texts(v, f"{key}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _texts(v, f"{key}[{i}]")
    elif isinstance(node, str):
        yield key, node


def internal_labels(text: str, ids: frozenset[str]) -> list[str]:
    """The internal labels found in one reader-facing string."""
    found = [m.group(0) for m in _MACHINE_TEXT.finditer(text)]
    found += [p for p in PLACEHOLDERS if p.lower() in text.lower()]
    # a mark is never shown as its code; the site's wording may still say "seed article" (a kind of
    # source) and open an explanation with "Unresolved:"
    bare = _WORDED.sub("", text)
    found += [c for c in CONFIDENCES if re.search(rf"\b{c}\b", bare, re.IGNORECASE)]
    words = set(re.findall(r"[\w-]+", text.lower()))
    return found + sorted(ids & words)


def test_every_case_and_example_is_scanned() -> None:
    answers = _answers()
    assert {cid.split(":")[0] for cid in answers} == {*FILES, "example", QUESTIONS}
    # the scan must see successes of all three calculators, not only error envelopes
    assert {cid.split(":")[0] for cid, out in answers.items() if out["ok"]} == {*FILES, "example", QUESTIONS}


def _seen(cid: str, results: bool = True) -> list[tuple[str, str]]:
    """(where, text) for the report, and with ``results`` the trail and result, of a successful run."""
    out = _answers()[cid]
    if not out["ok"]:
        return []
    texts = [("report", out["report"])]
    if results:
        texts += [(f"trail[{i}].text", step["text"]) for i, step in enumerate(out["trail"])]
        texts += list(_texts(out["result"], "result"))
    return texts


@pytest.mark.parametrize("cid", sorted(cid for cid, *_ in _runs()))
def test_no_internal_label_in_what_readers_see(cid: str) -> None:
    texts = _seen(cid)
    ids = _forbidden_ids()
    leaks = {where: labels for where, text in texts if (labels := internal_labels(text, ids))}
    assert leaks == {}


#: First person in a pasted report reads as the note's author: the calculator speaks of its sources in
#: the third person ("the calculator's sources"). Lower-case "us" only: "US" is ultrasound.
_FIRST_PERSON = re.compile(r"\b(?:[Ww]e|[Oo]urs?|us|[Oo]urselves|[Ww]e're|[Ww]e've)\b")


def first_person(text: str) -> list[str]:
    """The first-person words in one reader-facing string."""
    return _FIRST_PERSON.findall(text)


@pytest.mark.parametrize("cid", sorted(cid for cid, *_ in _runs()))
def test_no_first_person_in_reports(cid: str) -> None:
    # the matcher's result and trail quote the reader's own words; its report and the others' do not
    texts = _seen(cid, results=not cid.startswith(("match", QUESTIONS)) and "scenario-match" not in cid)
    assert {where: words for where, text in texts if (words := first_person(text))} == {}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Not settled by our sources.", ["our"]),
        ("We read the bundle as an artery; as we recall it.", ["We", "we"]),
        ("Ask us.", ["us"]),
        ("US neck; focus; thus; the calculator's sources; owe; Ourense", []),
    ],
)
def test_the_first_person_scan_itself(text: str, words: list[str]) -> None:
    assert first_person(text) == words


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("N3b. (Confidence: seed.)", ["seed"]),
        ("Source: kuno-2025.", ["kuno-2025"]),
        ("Rules in calculator/iene.py", ["calculator/iene.py"]),
        ("Top-rated study: not sourced yet.", ["not sourced yet"]),
        ("Grade None", ["None"]),
        ("The figure is Verified", ["verified"]),
        ("Study x1 (unresolved)", ["unresolved"]),
        ("As stated in the seed article; Unresolved: the sources disagree", []),
        ("Unresolved:", ["unresolved"]),
        ("read in the source; not re-read; sources disagree", []),
        ("Stated in the review article; HPV-associated, iENE-positive, 180° to 270°.", []),
    ],
)
def test_the_scan_itself(text: str, labels: list[str]) -> None:
    assert internal_labels(text, frozenset({"kuno-2025", "seed-004-brain"})) == labels

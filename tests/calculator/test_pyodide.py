"""Same answers under Pyodide: every case of tests/cases/*.json, answered by ``calculator.browser.handle``
inside the runtime the site ships (the trimmed, byte-compiled zip and the memory snapshot) under Node,
must be byte for byte the string CPython's ``calculator.browser.handle`` gives for the same request.
From the snapshot it runs with an empty zip, as the browser does: nothing may need the zip after such
a start. A module the trimmed zip left out fails at once with a message naming it.

Needs Node and ``npm ci`` (node_modules/pyodide); without them these tests fail and say so.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path
from typing import Any

import hostile_json
import pytest
from replay import CASES_DIR

import calculator
from calculator import browser
from sitegen.runtime.pyodide import PYODIDE, RuntimeBuildError, prepare_runtime, runtime_home
from sitegen.runtime.snapshot import image_of, unpack

HELPER = Path(__file__).resolve().parent / "pyodide_replay.mjs"
FILES = ("iene.json", "dose.json", "match.json")
QUESTIONS = "match_questions.json"
#: Hostile requests replayed (issue 9, finding 5), the same ones on every run.
HOSTILE_EXAMPLES = 150


def _requests() -> list[tuple[str, str, str | None]]:
    """(case id, request JSON, catalog text or None) for every case, plus each calculator's examples
    against the packaged catalog (read through importlib.resources from the zip)."""
    out: list[tuple[str, str, str | None]] = []
    for file in FILES:
        data = json.loads((CASES_DIR / file).read_text(encoding="utf-8"))
        catalog = (CASES_DIR / data["catalog"]).read_text(encoding="utf-8") if data["catalog"] else None
        for case in data["cases"]:
            request = json.dumps(
                {"calculator": data["calculator"], "input": case["input"]}, ensure_ascii=False
            )
            out.append((f"{file}:{case['name']}", request, catalog))
    # every question of the matcher's question set, against the packaged catalog
    questions = json.loads((CASES_DIR / QUESTIONS).read_text(encoding="utf-8"))["questions"]
    for q in questions:
        request = json.dumps(
            {"calculator": "scenario-match", "input": {"text": q["text"]}}, ensure_ascii=False
        )
        out.append((f"{QUESTIONS}:{q['id']}", request, None))
    for calc in calculator.CALCULATORS.values():
        for n, example in enumerate(calc.examples):
            out.append(
                (f"packaged:{calc.name}[{n}]", json.dumps({"calculator": calc.name, "input": example}), None)
            )
    out.append(("bad-request", "{not json", None))
    # hostile requests (tests/calculator/hostile_json.py), as a page sends them: JSON.stringify writes a
    # lone surrogate as its escape
    for n, request in enumerate(hostile_json.examples(HOSTILE_EXAMPLES)):
        out.append((f"hostile[{n}]", request.encode("utf-8", "backslashreplace").decode("utf-8"), None))
    return out


@pytest.fixture(scope="module")
def runtime_paths(project_root: Path) -> dict[str, Any]:
    """The shipped runtime's stdlib.zip, snapshot and environment (built once and cached, like the site
    build does)."""
    catalog = (project_root / "calculator" / "data" / "catalog.json").read_text(encoding="utf-8")
    try:
        runtime = prepare_runtime(project_root, catalog, offline=False)
    except RuntimeBuildError as err:
        pytest.fail(f"{err}", pytrace=False)
    by_name = {Path(rel).name: path for rel, path in runtime.files.items()}
    return {
        "stdlib": by_name["stdlib.zip"],
        "snapshot": by_name["snapshot.pages.gz"],
        "env": runtime.config["env"],
    }


def _run_pyodide(
    project_root: Path, runtime: dict[str, Any], snapshot: bool, requests: list[dict[str, Any]], tmp: Path
) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("`node` was not found: install Node.js 18 or newer, then run `npm ci`", pytrace=False)
    pyodide = runtime_home(project_root) / PYODIDE
    file = tmp / "requests.json"
    file.write_text(json.dumps(requests), encoding="utf-8")
    empty = tmp / "empty.zip"
    empty.write_bytes(b"")
    stdlib = empty if snapshot else runtime["stdlib"]
    start = str(runtime["snapshot"]) if snapshot else "-"
    command = [node, str(HELPER), str(pyodide), str(stdlib), start, json.dumps(runtime["env"]), str(file)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, "\n".join(line[:300] for line in done.stderr.splitlines()[-30:])
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.fixture(scope="module")
def answers(
    runtime_paths: dict[str, Any], project_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Any]]:
    """Pyodide's answers to every request, from the snapshot and from a plain start."""
    reqs = [{"request": r, "catalog": c} for _, r, c in _requests()]
    tmp = tmp_path_factory.mktemp("pyodide")
    start = time.perf_counter()
    out = {
        "snapshot": _run_pyodide(project_root, runtime_paths, True, reqs, tmp),
        "plain": _run_pyodide(project_root, runtime_paths, False, reqs, tmp),
    }
    print(f"pyodide replay: {len(reqs)} requests twice in {time.perf_counter() - start:.1f} s")
    return out


def _cpython(request: str, catalog: str | None) -> str:
    return browser.handle(request, json.loads(catalog) if catalog is not None else None)


@pytest.mark.parametrize("start", ["snapshot", "plain"])
def test_every_case_answers_exactly_as_under_cpython(answers: dict[str, dict[str, Any]], start: str) -> None:
    requests = _requests()
    got = answers[start]["responses"]
    assert len(got) == len(requests)
    differ = [cid for (cid, req, cat), text in zip(requests, got, strict=True) if text != _cpython(req, cat)]
    assert differ == []


def test_the_calculator_is_imported_from_the_compiled_zip(answers: dict[str, dict[str, Any]]) -> None:
    # the zip Pyodide mounts as its standard library (/lib/python3XY.zip), holding .pyc files only
    assert re.fullmatch(r"/lib/python3\d+\.zip/calculator/browser\.pyc", answers["snapshot"]["module"])
    assert answers["plain"]["module"] == answers["snapshot"]["module"]


def test_snapshot_and_plain_start_agree(answers: dict[str, dict[str, Any]]) -> None:
    assert answers["snapshot"]["responses"] == answers["plain"]["responses"]


@pytest.mark.parametrize("start", ["snapshot", "plain"])
def test_a_module_left_out_fails_at_once_naming_it(answers: dict[str, dict[str, Any]], start: str) -> None:
    assert answers[start]["missing"] == (
        "ModuleNotFoundError: No module named 'xml': the calculators' runtime carries only the "
        "standard-library modules its build saw them import; rebuild the site after a change that "
        "imports a new one"
    )


def test_the_zip_holds_only_what_the_trace_kept(runtime_paths: dict[str, Any]) -> None:
    with zipfile.ZipFile(runtime_paths["stdlib"]) as z:
        names = z.namelist()
    assert "calculator/browser.pyc" in names and "_calc_runtime.pyc" in names
    assert "json/__init__.pyc" in names  # the calculators parse and write JSON
    assert not [n for n in names if n.startswith(("xml/", "email/", "tkinter/", "unittest/"))]
    assert all(i.compress_type == zipfile.ZIP_STORED for i in z.infolist())


def test_the_case_tables_are_all_replayed() -> None:
    # 114 iENE + 36 dose + 22 matcher cases, every question of the question set, the examples, one
    # malformed request and the hostile ones
    ids = [cid for cid, _, _ in _requests()]
    assert sum(cid.split(":")[0] in FILES for cid in ids) == 172
    questions = json.loads((CASES_DIR / QUESTIONS).read_text(encoding="utf-8"))["questions"]
    assert sum(cid.split(":")[0] == QUESTIONS for cid in ids) == len(questions) >= 150
    assert sum(cid.startswith("hostile[") for cid in ids) == HOSTILE_EXAMPLES
    assert len(ids) == len(set(ids))


def test_hostile_requests_reach_every_refusal() -> None:
    # the replayed sample holds each kind of hostile input, so that Pyodide meets every one
    answers = [browser.handle(r) for cid, r, _ in _requests() if cid.startswith("hostile[")]
    kinds = ("nested at most 20 deep", "lone surrogates", "not valid JSON", "unknown field", "digits long")
    for phrase in kinds:
        assert any(phrase in a for a in answers), phrase
    assert any('"ok":true' in a for a in answers)


def test_warm_loads_the_catalog_and_builds_the_matcher_index() -> None:
    # what the snapshot is taken after: the catalog parsed and the matcher's index in its cache
    from calculator import _cache

    browser.warm()
    catalog = browser.packaged_catalog()
    assert catalog is not None
    assert "match" in _cache._CACHE[id(catalog)][1]


def test_the_snapshot_is_stored_against_the_wasms_own_memory_image(
    runtime_paths: dict[str, Any], project_root: Path
) -> None:
    # what engine.js takes from the instantiated memory is what the wasm's data segments write there
    wasm = (runtime_home(project_root) / PYODIDE / "pyodide.asm.wasm").read_bytes()
    packed = gzip.decompress(runtime_paths["snapshot"].read_bytes())
    raw = unpack(packed, image_of(wasm))
    assert len(raw) > 30_000_000

"""Hostile input at the calculators' two edges (issue 9, finding 5): the command line and the browser
module refuse it with the documented error envelope and a plain message naming the field, never with a
traceback: nesting far too deep, lone surrogates, bytes that are not UTF-8, numbers no float can hold.
The Hypothesis strategies of ``hostile_json`` then throw arbitrary and hostile JSON at both.
"""

# ruff: noqa: E501 - the exact messages are clearer unbroken

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hostile_json import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculator import browser
from calculator.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
DEEP = "[" * 10_000 + "]" * 10_000
NESTED = "input: expected lists and objects nested at most 20 deep, found deeper nesting"
BIG = "1" + "0" * 400  # 10**400 as JSON writes it


def cli(name: str, stdin: bytes) -> tuple[int, Any, str]:
    """``python -m calculator NAME`` as a user runs it: exit code, JSON output, stderr."""
    proc = subprocess.run(
        [sys.executable, "-m", "calculator", name], input=stdin, capture_output=True, cwd=ROOT, timeout=60
    )
    out = proc.stdout.decode("utf-8")  # strict: the output must be UTF-8
    return proc.returncode, json.loads(out) if out.strip() else None, proc.stderr.decode("utf-8", "replace")


#: calculator, the input as bytes, every message of the envelope (path: message)
CASES = [
    *(pytest.param(name, DEEP.encode(), [f": {NESTED}"], id=f"nested-{name}") for name in ("scenario-match", "iene", "dose")),
    pytest.param(
        "iene",
        b'{"findings": [{"finding": "\\ud800", "certainty": "absent"}]}',
        ['findings[0].finding: findings[0].finding: expected text without lone surrogates, found "\\ud800"'],
        id="surrogate-value",
    ),
    pytest.param(
        "iene",
        b'{"findings": [], "\\udc00": 1}',
        ['\\udc00: \\udc00: expected text without lone surrogates, found "\\udc00"'],
        id="surrogate-key",
    ),
    pytest.param(
        "dose",
        b'{"studies": [{"custom": "CT \xff"}]}',
        [": input: not UTF-8 text (invalid start byte at byte 29)"],
        id="not-utf8",
    ),
    pytest.param(
        "scenario-match",
        f'{{"text": "neck pain", "limit": {BIG}}}'.encode(),
        ["limit: limit: expected a whole number >= 1 and <= 20, found a number 401 digits long"],
        id="huge-limit",
    ),
    pytest.param(
        "dose",
        f'{{"studies": [{{"procedure": "ct-head-with", "count": {BIG}}}]}}'.encode(),
        ["studies[0].count: studies[0].count: expected a whole number >= 1 and <= 1000, found a number 401 digits long"],
        id="huge-count",
    ),
    pytest.param(
        "dose",
        f'{{"studies": [{{"custom": "Outside CT", "dose_msv": {BIG}}}]}}'.encode(),
        ["studies[0].dose_msv: studies[0].dose_msv: expected a finite number, found a number 401 digits long"],
        id="huge-dose",
    ),
    pytest.param(
        "dose",
        b'{"studies": [{"custom": "Outside CT", "dose_msv": 1e400}]}',
        ["studies[0].dose_msv: studies[0].dose_msv: expected a finite number, found 1e400"],
        id="float-overflow",
    ),
    pytest.param(
        "scenario-match",
        f'{{"text": "neck pain", "limit": 1{"0" * 5000}}}'.encode(),
        ["limit: limit: expected a whole number >= 1 and <= 20, found a number 5,001 digits long"],
        id="past-pythons-digit-limit",
    ),
]


def _messages(envelope: dict[str, Any]) -> list[str]:
    return [f"{e['path']}: {e['message']}" for e in envelope["errors"]]


@pytest.mark.parametrize(("name", "data", "messages"), CASES)
def test_finding_5_the_command_line_refuses_hostile_input_with_the_field_named(
    name: str, data: bytes, messages: list[str]
) -> None:
    code, out, err = cli(name, data)
    assert (code, out["ok"], out["calculator"], _messages(out)) == (2, False, name, messages)
    assert err == ""


@pytest.mark.parametrize(("name", "data", "messages"), [c for c in CASES if c.id != "not-utf8"])
def test_finding_5_the_browser_module_gives_the_same_refusals(name: str, data: bytes, messages: list[str]) -> None:
    text = f'{{"calculator": "{name}", "input": {data.decode("utf-8")}}}'
    out = json.loads(browser.handle(text))
    assert (out["ok"], _messages(out)) == (False, messages)
    browser.handle(text).encode("utf-8")  # strict: a lone surrogate never reaches the output


def test_an_endless_input_is_read_no_further_than_the_limit() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "calculator", "dose", "--input", "/dev/zero"], capture_output=True, cwd=ROOT, timeout=120
    )
    out = json.loads(proc.stdout)
    assert (proc.returncode, _messages(out)) == (2, [": input: more than 50,000,000 bytes"])


def test_a_deep_request_is_refused_before_it_is_parsed() -> None:
    out = json.loads(browser.handle(DEEP))
    assert (out["calculator"], _messages(out)) == ("", [f": {NESTED}"])


def test_a_lone_surrogate_typed_in_a_page_comes_back_escaped() -> None:
    # a JavaScript string may hold one: the request text carries it raw, not as an escape
    out = browser.handle('{"calculator": "dose", "input": {"studies": [{"custom": "CT \ud800"}]}}')
    out.encode("utf-8")
    assert json.loads(out)["errors"][0]["found"] == '"CT \\ud800"'


def test_an_unknown_name_of_a_million_characters_is_not_echoed_whole() -> None:
    out = json.loads(browser.handle(json.dumps({"calculator": "x" * 1_000_000, "input": {}})))
    assert out["calculator"] == "x" * 37 + "..."
    assert len(json.dumps(out)) < 1000


def test_thousands_of_problems_are_listed_as_fifty() -> None:
    many = {f"unknown-{i}": i for i in range(100_000)}
    out = json.loads(browser.handle(json.dumps({"calculator": "iene", "input": many})))
    assert len(out["errors"]) == 50
    assert out["errors"][-1]["message"] == "input: 99,951 more problems not listed"


# --- property: arbitrary and hostile JSON ------------------------------------------------------


def check_envelope(text: str) -> dict[str, Any]:
    """The documented envelope, and nothing that hides an internal fault."""
    text.encode("utf-8")  # strict: no lone surrogate
    out: dict[str, Any] = json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in the output"))
    assert type(out["ok"]) is bool and type(out["calculator"]) is str and out["version"] == 1
    if out["ok"]:
        assert {"result", "trail", "report"} <= out.keys()
    else:
        assert out["errors"] and len(out["errors"]) <= 50
        for e in out["errors"]:
            assert sorted(e) == ["expected", "found", "message", "path", "plain"]
            assert all(type(v) is str for v in e.values())
            assert "internal error" not in e["message"]
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_the_browser_module_answers_any_request_with_the_envelope(request: str) -> None:
    check_envelope(browser.handle(request))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests(), st.booleans())
def test_the_command_line_answers_any_input_with_the_envelope(request: str, raw: bool) -> None:
    # the input part of the request, as bytes a file could hold (lone surrogates as invalid UTF-8)
    name, _, rest = request.partition('"input": ')
    calc = name.removeprefix('{"calculator": ').rstrip(", ") if rest else '"iene"'
    data = (rest[:-1] if rest else request).encode("utf-8", "surrogatepass" if raw else "backslashreplace")
    out = io.BytesIO()
    try:
        code = main([json.loads(calc)] if calc.startswith('"') else ["iene"], io.BytesIO(data), out)
    except SystemExit as exit:  # argparse: a name that looks like an option
        assert exit.code == 2
        return
    envelope = check_envelope(out.getvalue().decode("utf-8"))
    assert code == (0 if envelope["ok"] else 2)

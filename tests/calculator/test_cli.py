"""``python -m calculator`` as a user runs it: JSON out, exit 0 or 2, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "cases" / "fixture_catalog.json"


def cli(*args: str, stdin: str = "") -> tuple[int, Any, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "calculator", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    return proc.returncode, json.loads(proc.stdout) if proc.stdout.strip() else None, proc.stderr


def test_list() -> None:
    code, out, _ = cli("list")
    assert code == 0
    assert [c["name"] for c in out] == ["scenario-match", "iene", "dose"]


@pytest.mark.parametrize("name", ["scenario-match", "iene", "dose"])
def test_schema(name: str) -> None:
    code, out, _ = cli(name, "--schema")
    assert code == 0
    assert out["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert out["type"] == "object" and out["additionalProperties"] is False


def test_result_from_stdin() -> None:
    code, out, err = cli(
        "iene", stdin='{"findings": [{"finding": "skin-invasion", "certainty": "unequivocal"}]}'
    )
    assert (code, out["ok"], out["result"]["grade"], err) == (0, True, 3, "")


def test_result_from_file(tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text('{"studies": [{"procedure": "ct-head-without", "count": 2}]}', encoding="utf-8")
    code, out, _ = cli("dose", "--input", str(path), "--catalog", str(FIXTURE))
    assert (code, out["result"]["total_msv"]["typical"]) == (0, 4.0)


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ("iene",),
            "{not json",
            "input: not valid JSON (Expecting property name enclosed in double quotes: "
            "line 1 column 2 (char 1))",
        ),
        (("iene",), "", "input: not valid JSON (Expecting value: line 1 column 1 (char 0))"),
        (("iene",), '{"findings": 3}', "findings: expected a list of objects, found 3"),
        (("bmi",), "{}", "calculator: unknown calculator 'bmi' (known: 'scenario-match', 'iene', 'dose')"),
        (
            ("iene", "--input", "/nonexistent/x.json"),
            "",
            "input: cannot read /nonexistent/x.json: No such file or directory",
        ),
        (
            ("dose", "--catalog", str(FIXTURE)),
            '{"studies": []}',
            "studies: expected at least 1 item, found an empty list",
        ),
    ],
)
def test_errors_exit_2(args: tuple[str, ...], stdin: str, message: str) -> None:
    code, out, err = cli(*args, stdin=stdin)
    assert code == 2
    assert out["ok"] is False
    assert out["errors"][0]["message"] == message
    assert "Traceback" not in err

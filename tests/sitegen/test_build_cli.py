"""build.py: exit codes, clean messages, the previous site kept on failure, check, determinism."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen import cli
from sitegen.data.validate import load_dataset
from sitegen.errors import DataError


def _tree(path: Path) -> dict[str, str]:
    """Every file under ``path`` with a hash of its bytes."""
    return {
        p.relative_to(path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


def _break(root: Path) -> list[str]:
    """Make the data invalid in two files; return the exact messages the validator gives."""
    scenario = root / "scenarios" / "neck-lump.yaml"
    scenario.write_text(
        scenario.read_text(encoding="utf-8").replace("usually-appropriate", "maybe", 1), encoding="utf-8"
    )
    other = root / "scenarios" / "facial-numbness.yaml"
    other.write_text(other.read_text(encoding="utf-8") + "surprise: 1\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_dataset(root)
    return [str(issue) for issue in err.value.issues]


def test_build_writes_the_site_and_leaves_no_temporary_directory(
    tmp_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.build(tmp_project) == 0
    site = tmp_project / "site"
    for page in [
        "index.html",
        "scenarios/neck-lump/index.html",
        "lookup/index.html",
        "assets/data/catalog.json",
        "search/search_index.json",
    ]:
        assert (site / page).is_file(), page
    assert sorted(
        p.name for p in tmp_project.iterdir() if p.name.startswith("site.") or p.name == "site"
    ) == ["site"]
    err = capsys.readouterr().err
    assert re.search(r"^\[data\] 2 scenarios, 1 topics, \d+ procedures valid \(\d+\.\d\d s\)$", err, re.M)
    assert re.search(r"^\[site\] \d+ HTML pages, \d+\.\d MB in ", err, re.M)
    # the generated sources were refreshed in the tree
    assert (tmp_project / "calculator" / "data" / "catalog.json").is_file()
    assert (tmp_project / "scenarios" / "schema" / "scenario.schema.json").is_file()


def test_bad_data_exits_1_with_every_message_and_keeps_the_previous_site(
    tmp_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.build(tmp_project) == 0
    before = _tree(tmp_project / "site")
    messages = _break(tmp_project)
    capsys.readouterr()
    assert cli.build(tmp_project) == 1
    err = capsys.readouterr().err
    for message in messages:
        assert message in err
    assert "Traceback" not in err
    assert err.rstrip().endswith("Build stopped: the data has errors (nothing was written).")
    assert _tree(tmp_project / "site") == before
    assert sorted(
        p.name for p in tmp_project.iterdir() if p.name.startswith("site.") or p.name == "site"
    ) == ["site"]


def test_bad_data_through_mkdocs_itself_aborts_without_traceback(tmp_project: Path) -> None:
    messages = _break(tmp_project)
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=tmp_project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    for message in messages:
        assert message in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_project / "site").exists()


def test_build_py_is_a_thin_entry_point(project_root: Path) -> None:
    run = subprocess.run(
        [sys.executable, "build.py", "--help"], cwd=project_root, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0
    assert "{build,serve,check,bundle,fingerprint}" in run.stdout


#: The fingerprint the validation fixture's review of facial-numbness names.
FIXTURE_FINGERPRINT = "sha256:29e2a49d8362ac1e1ca98cb54500186a9aa648d297662b658bfa461a3c52d379"


@pytest.mark.parametrize(
    ("scenario", "code", "out", "err"),
    [
        ("facial-numbness", 0, FIXTURE_FINGERPRINT + "\n", ""),
        (
            "facial-numbnes",
            1,
            "",
            "fingerprint: expected the id of a scenario (did you mean 'facial-numbness'?),"
            " found 'facial-numbnes'",
        ),
        ("nothing-like-it", 1, "", "fingerprint: expected the id of a scenario, found 'nothing-like-it'"),
    ],
)
def test_fingerprint_prints_what_a_review_record_names(
    tmp_project: Path, capsys: pytest.CaptureFixture[str], scenario: str, code: int, out: str, err: str
) -> None:
    # the fixture's review of facial-numbness names this very fingerprint: its state is "current"
    assert cli.fingerprint(tmp_project, scenario) == code
    captured = capsys.readouterr()
    assert captured.out == out
    assert err in captured.err


def test_fingerprint_refuses_bad_data_with_every_message(
    tmp_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    messages = _break(tmp_project)
    assert cli.fingerprint(tmp_project, "facial-numbness") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert all(message in captured.err for message in messages)


def test_check_passes_on_fresh_files_and_writes_nothing(
    tmp_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.build(tmp_project) == 0
    before = _tree(tmp_project)
    assert cli.check(tmp_project) == 0
    assert _tree(tmp_project) == before
    assert re.search(r"^\[check\] \d+ generated files are fresh$", capsys.readouterr().err, re.M)


def test_check_names_stale_files(tmp_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.build(tmp_project) == 0
    (tmp_project / "calculator" / "data" / "catalog.json").write_text("{}\n", encoding="utf-8")
    (tmp_project / "scenarios" / "schema" / "rrl.schema.json").unlink()
    capsys.readouterr()
    assert cli.check(tmp_project) == 1
    err = capsys.readouterr().err
    assert (
        "calculator/data/catalog.json: expected the generated content, found a stale or missing file" in err
    )
    assert (
        "scenarios/schema/rrl.schema.json: expected the generated content, found a stale or missing file"
        in err
    )


def test_check_reports_bad_data(tmp_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    messages = _break(tmp_project)
    assert cli.check(tmp_project) == 1
    err = capsys.readouterr().err
    assert all(message in err for message in messages)
    assert "Traceback" not in err


def test_two_builds_give_the_same_bytes(tmp_project: Path, tmp_path: Path) -> None:
    assert cli.build(tmp_project, tmp_path / "one", refresh_sources=False) == 0
    assert cli.build(tmp_project, tmp_path / "two", refresh_sources=False) == 0
    one, two = _tree(tmp_path / "one"), _tree(tmp_path / "two")
    assert one == two

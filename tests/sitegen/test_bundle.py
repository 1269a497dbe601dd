"""``build.py bundle``: a deterministic zip of the offline site, the size limit, clear failures.

The build itself is replaced by a stand-in here; tests/e2e/test_offline_bundle.py zips the real site
and opens it from disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest

from sitegen import bundle as bundle_module
from sitegen import cli, make
from sitegen.bundle import bundle, write_zip


def _site(path: Path) -> Path:
    for rel, text in {"index.html": "home", "b/z.js": "z", "a.css": "a", "b/a/x.html": "x"}.items():
        (path / rel).parent.mkdir(parents=True, exist_ok=True)
        (path / rel).write_text(text, encoding="utf-8")
    return path


def test_the_zip_is_sorted_dated_under_one_folder_and_reproducible(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    assert write_zip(site, tmp_path / "one.zip", "offline") == 4
    os.utime(site / "a.css", (0, 0))  # file times do not reach the zip
    assert write_zip(site, tmp_path / "two.zip", "offline") == 4
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.zip") as z:
        infos = z.infolist()
        assert z.read("offline/b/a/x.html") == b"x"
    assert [i.filename for i in infos] == [
        "offline/a.css",
        "offline/b/a/x.html",
        "offline/b/z.js",
        "offline/index.html",
    ]
    assert {(i.date_time, i.external_attr >> 16, i.compress_type) for i in infos} == {
        ((1980, 1, 1, 0, 0, 0), 0o100644, zipfile.ZIP_DEFLATED)
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.zip", "site", "two.zip"]  # no temporary left


class FakeBuild:
    """Stands in for ``make.build``: records the environment it ran in, writes a tiny site."""

    def __init__(self, code: int = 0, size: int = 10) -> None:
        self.code, self.size = code, size
        self.offline: str | None = None

    def __call__(self, root: Path, site: Path, *, refresh_sources: bool) -> int:
        self.offline = os.environ.get("SITEGEN_OFFLINE")
        if self.code == 0:
            _site(site)
            (site / "big.bin").write_bytes(os.urandom(self.size))
        return self.code


@pytest.fixture
def quiet_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITEGEN_OFFLINE", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780012800")  # 2026-05-29


def test_bundle_builds_offline_and_reports_the_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], quiet_env: None
) -> None:
    fake = FakeBuild(size=1_000_000)
    monkeypatch.setattr(make, "build", fake)
    out = tmp_path / "dist" / "site-offline.zip"
    assert bundle(tmp_path, out, refresh_sources=False) == 0
    assert fake.offline == "true" and "SITEGEN_OFFLINE" not in os.environ
    err = capsys.readouterr().err
    size = out.stat().st_size
    assert err.startswith(f"[bundle] dist/site-offline.zip: {size / 1e6:.1f} MB, 5 files (")
    assert err.endswith(
        " s); unzip it and open site-offline/index.html; its facts for the download page: site-offline.json\n"
    )
    with zipfile.ZipFile(out) as z:
        assert z.namelist()[-1] == "site-offline/index.html"
    facts = json.loads((out.parent / "site-offline.json").read_text(encoding="utf-8"))
    assert facts == {
        "file": "site-offline.zip",
        "bytes": size,
        "sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
        "built": "2026-05-29",  # SOURCE_DATE_EPOCH's date
    }


def test_a_zip_over_the_limit_fails_and_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], quiet_env: None
) -> None:
    monkeypatch.setattr(make, "build", FakeBuild(size=300_000))
    out = tmp_path / "x.zip"
    assert bundle(tmp_path, out, limit=200_000, refresh_sources=False) == 1
    assert not out.exists()
    assert capsys.readouterr().err == "[bundle] x.zip: 0.3 MB is over the 0.2 MB limit; the zip was removed\n"


def test_a_failed_build_writes_no_zip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], quiet_env: None
) -> None:
    monkeypatch.setattr(make, "build", FakeBuild(code=1))
    assert bundle(tmp_path, tmp_path / "x.zip", refresh_sources=False) == 1
    assert not (tmp_path / "x.zip").exists()
    assert capsys.readouterr().err == "Bundle stopped: the offline site did not build (no zip was written).\n"


def test_the_command_line_has_a_bundle_command(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []
    monkeypatch.setattr(bundle_module, "bundle", lambda root, out: seen.append(out) or 0)
    assert cli.main(["bundle", "--out", "x.zip"]) == 0
    assert cli.main(["bundle"]) == 0
    assert seen == [Path("x.zip"), None]


def _dir(p: Path) -> Path:
    p.mkdir()
    return p


def _text(p: Path, text: str = "{}") -> Path:
    p.write_text(text, encoding="utf-8")
    return p


# (what --out names, prepared in tmp_path, and the exact refusal)
REFUSED = [
    pytest.param(lambda d: d / "README.md", "--out must name a .zip file, found '{out}'", id="not-a-zip"),
    pytest.param(lambda d: _dir(d / "x.zip"), "--out '{out}' exists and is not a regular file", id="folder"),
    pytest.param(
        lambda d: _text(d / "x.zip", "not a zip"),
        "--out '{out}' exists and is not a zip file; it was left alone",
        id="a-file-that-is-not-a-zip",
    ),
    pytest.param(
        lambda d: (_text(d / "package.json", '{"name": "x"}'), d / "package.zip")[1],
        "the facts file '{facts}' beside --out exists and was not written by a bundle; it was left alone",
        id="would-overwrite-a-json-file",
    ),
]


@pytest.mark.parametrize(("make_out", "message"), REFUSED)
def test_the_bundle_never_overwrites_what_it_did_not_write(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    make_out: Any,
    message: str,
) -> None:
    fake = FakeBuild()
    monkeypatch.setattr(make, "build", fake)
    out = make_out(tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert bundle(tmp_path, out, refresh_sources=False) == 2
    facts = out.with_suffix(".json")
    assert capsys.readouterr().err == f"Bundle stopped: {message.format(out=out, facts=facts)}.\n"
    assert fake.offline is None  # refused before anything was built
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_a_bundle_replaces_its_own_zip_and_facts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quiet_env: None
) -> None:
    monkeypatch.setattr(make, "build", FakeBuild())
    out = tmp_path / "x.zip"
    assert bundle(tmp_path, out, refresh_sources=False) == 0
    assert bundle(tmp_path, out, refresh_sources=False) == 0
    assert json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))["file"] == "x.zip"

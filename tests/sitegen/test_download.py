"""The offline bundle as a download of the served site (sitegen/download.py and the hook): its facts, the
offline page's section, and a build that publishes it."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml

from sitegen import cli
from sitegen.download import BundleFacts, facts_of, read_facts, section, write_facts

FACTS = BundleFacts("site.zip", 8_430_000, "ab" * 32, "2026-05-29")


def _zip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780012800")
    out = tmp_path / "dist" / "site.zip"
    out.parent.mkdir()
    out.write_bytes(b"PK not really a zip")
    return out


def test_the_facts_name_size_checksum_and_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _zip(tmp_path, monkeypatch)
    assert facts_of(out) == BundleFacts(
        "site.zip", 19, hashlib.sha256(b"PK not really a zip").hexdigest(), "2026-05-29"
    )
    written = write_facts(out)
    assert written.name == "site.json"
    assert read_facts(written) == facts_of(out)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("changed", "{json}: site.zip has changed since its facts were written; run the bundle again"),
        ("missing", "{json}: names site.zip, which is not beside it"),
    ],
)
def test_facts_that_do_not_match_their_zip_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str, message: str
) -> None:
    out = _zip(tmp_path, monkeypatch)
    written = write_facts(out)
    if damage == "changed":
        out.write_bytes(b"PK another")
    else:
        out.unlink()
    with pytest.raises(ValueError) as err:
        read_facts(written)
    assert str(err.value) == message.format(json=written)


def test_the_section_links_the_zip_with_its_facts_or_says_how_to_get_it() -> None:
    assert section(FACTS, "downloads/site.zip") == (
        "**[Download the offline bundle](downloads/site.zip)** (site.zip, 8.4 MB, built 2026-05-29).\n\n"
        "Before you unzip it, you can check that it arrived whole: its SHA-256 checksum is\n\n"
        f"`{'ab' * 32}`\n\n"
        "(`sha256sum` on Linux, `shasum -a 256` on macOS, `Get-FileHash` in Windows PowerShell)."
    )
    assert section(None, "").startswith("The published site offers the bundle for download on this page.")


def test_a_build_given_the_bundle_publishes_it_on_the_offline_page(
    tmp_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    facts_file = write_facts(_zip(tmp_path, monkeypatch))
    monkeypatch.setenv("SITEGEN_BUNDLE", str(facts_file))
    site = tmp_path / "site"
    assert cli.build(tmp_project, site, refresh_sources=False) == 0
    assert (site / "downloads" / "site.zip").read_bytes() == b"PK not really a zip"
    html = (site / "offline" / "index.html").read_text(encoding="utf-8")
    facts = json.loads(facts_file.read_text(encoding="utf-8"))
    assert re.search(r'<a href="\.\./downloads/site\.zip">Download the offline bundle</a>', html)
    assert facts["sha256"] in html and "built 2026-05-29" in html


def test_a_build_without_it_says_how_to_get_it(
    tmp_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SITEGEN_BUNDLE", raising=False)
    site = tmp_path / "site"
    assert cli.build(tmp_project, site, refresh_sources=False) == 0
    html = (site / "offline" / "index.html").read_text(encoding="utf-8")
    assert "This copy of the site was built without it" in html
    assert "sitegen:bundle" not in html and not (site / "downloads").exists()


def test_a_bad_bundle_stops_the_build_with_the_reason(
    tmp_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SITEGEN_BUNDLE", str(tmp_path / "none.json"))
    assert cli.build(tmp_project, tmp_path / "site", refresh_sources=False) == 1
    assert (
        f"SITEGEN_BUNDLE={tmp_path / 'none.json'}: [Errno 2] No such file or directory"
        in capsys.readouterr().err
    )


def _steps(project_root: Path, name: str) -> list[dict[str, object]]:
    workflow = yaml.safe_load((project_root / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    (job,) = [j for j in workflow["jobs"].values() if "steps" in j and any("run" in s for s in j["steps"])]
    steps: list[dict[str, object]] = job["steps"]
    return steps


def test_the_pages_workflow_builds_the_bundle_first_and_hands_it_to_the_site(project_root: Path) -> None:
    runs = [(str(s.get("run", "")), s.get("env", {})) for s in _steps(project_root, "pages.yml")]
    bundle = next(i for i, (run, _) in enumerate(runs) if "build.py bundle" in run)
    build = next(i for i, (run, _) in enumerate(runs) if "build.py build" in run)
    assert bundle < build
    assert runs[build][1] == {"SITEGEN_BUNDLE": "dist/imaging-appropriateness-offline.json"}


def test_the_release_workflow_attaches_the_bundle_to_tagged_releases(project_root: Path) -> None:
    workflow = yaml.safe_load(
        (project_root / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    )
    assert workflow[True]["push"] == {"tags": ["v*"]}  # YAML reads the key "on" as true
    runs = "\n".join(str(s.get("run", "")) for s in _steps(project_root, "release.yml"))
    assert "build.py bundle" in runs
    assert "gh release upload" in runs and "dist/imaging-appropriateness-offline.zip" in runs

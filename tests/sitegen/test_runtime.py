"""The runtime build: cache key, cache reuse, atomic entries, clear errors, file:// forms, the zip compiler.

Node is replaced by a stand-in here (the real run is covered by tests/calculator/test_pyodide.py and the
browser tests); the zip compiler runs under CPython, which it supports as well as Pyodide.
"""

from __future__ import annotations

import base64
import gzip
import importlib
import json
import logging
import sys
import threading
import zipfile
import zlib
from pathlib import Path
from typing import Any

import brotli  # type: ignore[import-untyped]
import pytest

from sitegen import cli
from sitegen.runtime import pyodide as runtime
from sitegen.runtime import stdlib_zip as _runtime_zip
from sitegen.runtime.offline import classic_factory, gzip_bytes, payload_script
from sitegen.runtime.pyodide import (
    NPM_FILES,
    PACKAGE_LIST,
    PYODIDE,
    RuntimeBuildError,
    prepare_runtime,
    runtime_key,
)
from sitegen.runtime.snapshot import unpack

ENV = {"PYTHONHASHSEED": "0"}
FACTORY = "async function _createPyodideModule(m={}){return new URL('x', import.meta.url)}"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with a stand-in npm package (tiny files in place of Pyodide's), and its own cache."""
    monkeypatch.delenv("SITEGEN_RUNTIME_CACHE", raising=False)
    npm = tmp_path / "home" / PYODIDE
    npm.mkdir(parents=True)
    for name in (*NPM_FILES, "python_stdlib.zip", "package.json"):
        (npm / name).write_bytes(f"<{name}>".encode())
    (npm / "pyodide.asm.mjs").write_text(FACTORY + "export default _createPyodideModule;", encoding="utf-8")
    (npm / PACKAGE_LIST).write_text(
        json.dumps({"info": {"python": "3.14.2"}, "packages": {"x": {}}}), encoding="utf-8"
    )
    return tmp_path / "home"


class FakeNode:
    """Stands in for ``_run_node``: writes what make_runtime.mjs writes and counts the runs."""

    def __init__(self) -> None:
        self.runs = 0
        self.lock = threading.Lock()

    def __call__(self, node: str, home: Path, work: Path) -> dict[str, Any]:
        with self.lock:
            self.runs += 1
            run = self.runs
        assert (work / "pkg" / "calculator" / "data" / "catalog.json").read_text(encoding="utf-8") == "{}\n"
        assert (work / "pkg" / "_calc_runtime.py").is_file()
        # the case tables the trace replays: every file of this checkout's tests/cases
        tables = sorted(p.name for p in (Path(__file__).resolve().parents[1] / "cases").glob("*.json"))
        assert sorted(p.name for p in (work / "cases").iterdir()) == tables
        (work / "full.zip").write_bytes(b"full")
        (work / "stdlib.zip").write_bytes(b"zip")
        (work / "snapshot.bin").write_bytes(b"head" + bytes([run]) * 1000)  # snapshots differ from run to run
        (work / "image.bin").write_bytes(b"\3" * 10)  # the memory as instantiated
        if not (work / "base.zip").exists():
            (work / "base.zip").write_bytes(b"base")
        return {"modules": 3, "modules_total": 9, "memory_offset": 4, "version": "314.0.7", "env": ENV}


@pytest.fixture
def fake_node(monkeypatch: pytest.MonkeyPatch) -> FakeNode:
    fake = FakeNode()
    monkeypatch.setattr(runtime, "_run_node", fake)
    monkeypatch.setattr(runtime.shutil, "which", lambda name: "/usr/bin/node")
    return fake


def test_the_key_covers_every_input(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = runtime_key(home, "{}\n")
    assert runtime_key(home, "{}\n") == first
    assert runtime_key(home, '{"a": 1}\n') != first
    (home / PYODIDE / "pyodide.asm.wasm").write_bytes(b"another build")
    second = runtime_key(home, "{}\n")
    assert second != first
    source = home / "extra.py"
    source.write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(runtime, "_package_files", lambda: [("calculator/extra.py", source)])
    third = runtime_key(home, "{}\n")
    source.write_text("x = 2\n", encoding="utf-8")
    assert len({second, third, runtime_key(home, "{}\n")}) == 3


def test_the_exported_catalog_on_disk_is_not_shipped_the_builds_text_is() -> None:
    names = [rel for rel, _ in runtime._package_files()]
    assert "calculator/browser.py" in names
    assert "calculator/data/catalog.json" not in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_built_once_then_reused_with_one_log_line_each(
    home: Path, fake_node: FakeNode, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.sitegen.runtime.pyodide")
    first = prepare_runtime(home, "{}\n", offline=False)
    second = prepare_runtime(home, "{}\n", offline=False)
    assert fake_node.runs == 1
    assert first == second
    lines = [r.getMessage() for r in caplog.records]
    key = first.key[:12]
    assert len(lines) == 2
    assert lines[0].startswith("[runtime] Pyodide 314.0.7 runtime built in ")
    assert lines[0].endswith(
        f" s (3 of 9 modules kept; stdlib.zip 0.0 MB, snapshot 0.0 MB gzipped) in .cache/runtime/{key}…"
    )
    assert lines[1].startswith(f"[runtime] reusing the http runtime in .cache/runtime/{key}… (")
    entry = home / ".cache" / "runtime" / first.key
    assert sorted(p.name for p in entry.iterdir()) == ["file", "http", "info.json"]
    # the compiled stdlib and the npm files' compressed copies are kept apart for the next catalog;
    # nothing temporary is left behind
    base = runtime._base_key(home)[:16]
    assert sorted(p.name for p in entry.parent.iterdir() if p != entry) == [
        ".lock",
        f"npm-{base}",
        f"stdlib-{base}.zip",
    ]
    assert sorted(p.name for p in (entry.parent / f"npm-{base}").iterdir()) == sorted(
        f"{n}{suffix}" for n in NPM_FILES for suffix in (".br", ".gz")
    )


def test_http_layout_and_config(home: Path, fake_node: FakeNode) -> None:
    rt = prepare_runtime(home, "{}\n", offline=False)
    digest = rt.directory.rsplit("/", 1)[1]
    assert rt.directory == f"assets/pyodide/{digest}" and len(digest) == 12
    compressible = (*NPM_FILES, "stdlib.zip", "snapshot.pages")
    names = (*compressible, *(f"{n}{s}" for n in compressible for s in (".br", ".gz")))
    assert sorted(rt.files) == [f"{rt.directory}/{n}" for n in sorted(names)]
    raw = rt.files[f"{rt.directory}/snapshot.pages"].read_bytes()
    snapshot = rt.files[f"{rt.directory}/snapshot.pages.gz"].read_bytes()
    assert snapshot[4:8] == b"\0\0\0\0"  # gzip's mtime 0
    assert unpack(raw, b"\3" * 10) == b"head" + b"\1" * 1000
    assert gzip.decompress(snapshot) == raw
    assert brotli.decompress(rt.files[f"{rt.directory}/snapshot.pages.br"].read_bytes()) == raw
    wasm = rt.files[f"{rt.directory}/pyodide.asm.wasm.gz"].read_bytes()
    assert gzip.decompress(wasm) == b"<pyodide.asm.wasm>"
    assert rt.config == {
        "version": "314.0.7",
        "env": ENV,
        "base": f"../pyodide/{digest}/",
        "lock": {"info": {"python": "3.14.2"}, "packages": {}},
        "mode": "http",
        "files": {
            "pyodide.asm.wasm": {"bytes": 18, "wire": len(wasm)},
            "snapshot.pages": {"bytes": len(raw), "wire": len(snapshot), "crc": zlib.crc32(raw)},
            "snapshot.pages.gz": {"bytes": len(snapshot), "wire": len(snapshot)},
            "stdlib.zip": {"bytes": 3, "wire": len(rt.files[f"{rt.directory}/stdlib.zip.gz"].read_bytes())},
        },
    }


def test_offline_layout_and_config(home: Path, fake_node: FakeNode) -> None:
    rt = prepare_runtime(home, "{}\n", offline=True)
    digest = rt.directory.rsplit("/", 1)[1]
    scripts = ["pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm.js", "snapshot.pages.gz.js"]
    assert sorted(rt.files) == sorted(f"{rt.directory}/file/{n}" for n in [*scripts, "stdlib.zip.js"])
    assert rt.config == {
        "version": "314.0.7",
        "env": ENV,
        "base": f"../pyodide/{digest}/file/",
        "lock": {"info": {"python": "3.14.2"}, "packages": {}},
        "mode": "file",
        "scripts": scripts,
        "fallback": "stdlib.zip.js",
    }
    wasm = rt.files[f"{rt.directory}/file/pyodide.asm.wasm.js"].read_text(encoding="ascii")
    packed = wasm.split('] = "')[1].split('"')[0]
    assert gzip.decompress(base64.b64decode(packed)) == b"<pyodide.asm.wasm>"


def test_concurrent_builds_of_one_key_both_succeed_with_one_entry(home: Path, fake_node: FakeNode) -> None:
    results: list[Any] = []
    threads = [threading.Thread(target=lambda: results.append(prepare_runtime(home, "{}\n", offline=False)))]
    threads.append(
        threading.Thread(target=lambda: results.append(prepare_runtime(home, "{}\n", offline=False)))
    )
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2 and results[0] == results[1]
    cache = home / ".cache" / "runtime"
    assert [p.name for p in cache.iterdir() if p.is_dir() and not p.name.startswith("npm-")] == [
        results[0].key
    ]


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (
            "node",
            "calculator runtime: `node` was not found; install Node.js 18 or newer, then run `npm ci` "
            "(./scripts/serve --setup-only does both)",
        ),
        (
            "npm",
            "calculator runtime: {npm} is missing or incomplete (pyodide.asm.wasm, python_stdlib.zip); run "
            "`npm ci`, which installs the Pyodide version pinned in package-lock.json",
        ),
    ],
)
def test_missing_tools_name_the_command_to_run(
    home: Path, fake_node: FakeNode, monkeypatch: pytest.MonkeyPatch, broken: str, message: str
) -> None:
    if broken == "node":
        monkeypatch.setattr(runtime.shutil, "which", lambda name: None)
    else:
        (home / PYODIDE / "pyodide.asm.wasm").unlink()
        (home / PYODIDE / "python_stdlib.zip").unlink()
    with pytest.raises(RuntimeBuildError) as err:
        prepare_runtime(home, "{}\n", offline=False)
    assert str(err.value) == message.format(npm=home / PYODIDE)


def test_a_failing_node_run_is_reported_and_leaves_nothing(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = home / "fail.mjs"
    script.write_text('console.error("line one"); console.error("Error: boom"); process.exit(3);\n')
    monkeypatch.setattr(runtime, "_SCRIPT", script)
    monkeypatch.setattr(runtime, "HOME", home)
    with pytest.raises(RuntimeBuildError) as err:
        prepare_runtime(home, "{}\n", offline=False)
    assert str(err.value) == "calculator runtime: `node fail.mjs` failed (exit 3):\nline one\nError: boom"
    assert [p.name for p in (home / ".cache" / "runtime").iterdir()] == [".lock"]


def test_the_build_stops_with_the_message_and_no_traceback(
    tmp_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(runtime.shutil, "which", lambda name: None)
    assert cli.build(tmp_project, refresh_sources=False) == 1
    err = capsys.readouterr().err
    assert "calculator runtime: `node` was not found" in err
    assert "Traceback" not in err
    assert not (tmp_project / "site").exists()


def test_install_links_or_copies_and_skips_identical_files(
    home: Path, fake_node: FakeNode, tmp_path: Path
) -> None:
    rt = prepare_runtime(home, "{}\n", offline=False)
    site = tmp_path / "site"
    assert rt.install(site) == 18  # 4 npm files, the zip and the snapshot, each with 2 copies
    assert rt.install(site) == 0
    stdlib = site / rt.directory / "stdlib.zip"
    stdlib.unlink()
    stdlib.write_bytes(b"zip")  # same bytes, another file: left alone
    assert rt.install(site) == 0
    stdlib.unlink()
    stdlib.write_bytes(b"changed")
    assert rt.install(site) == 1
    assert stdlib.read_bytes() == b"zip"


# --- file:// forms ---------------------------------------------------------------------------


def test_classic_factory_replaces_module_syntax() -> None:
    text = classic_factory(FACTORY + "export default _createPyodideModule;")
    assert text == (
        '(function () {\n"use strict";\n'
        "var __calcScriptURL = (globalThis.document && document.currentScript"
        ' && document.currentScript.src) || "";\n'
        "async function _createPyodideModule(m={}){return new URL('x', __calcScriptURL)}\n"
        "globalThis.createPyodideModule = _createPyodideModule;\n"
        "})();\n"
    )


@pytest.mark.parametrize(
    ("module", "message"),
    [
        (FACTORY, "pyodide.asm.mjs: expected one 'export default _createPyodideModule;', found 0"),
        (
            FACTORY + "export default _createPyodideModule;" * 2,
            "pyodide.asm.mjs: expected one 'export default _createPyodideModule;', found 2",
        ),
        (
            "import.meta.resolve('x');export default _createPyodideModule;",
            "pyodide.asm.mjs: import.meta is used for more than its url",
        ),
        (
            "export const x=1;export default _createPyodideModule;",
            "pyodide.asm.mjs: an export other than the default one",
        ),
    ],
)
def test_classic_factory_refuses_an_unexpected_module(module: str, message: str) -> None:
    with pytest.raises(ValueError) as err:
        classic_factory(module)
    assert str(err.value) == message


def test_an_export_inside_a_string_is_not_an_export() -> None:
    assert "bad export type" in classic_factory(
        "throw `bad export type`;export default _createPyodideModule;"
    )


def test_payload_scripts_are_deterministic_and_decode_back() -> None:
    assert gzip_bytes(b"abc") == gzip_bytes(b"abc")
    assert payload_script("x.bin", b"abc") == (
        '(globalThis.CalcPayloads = globalThis.CalcPayloads || {})["x.bin"] = "'
        + base64.b64encode(gzip_bytes(b"abc")).decode()
        + '";\n'
    )
    # already gzipped files go in as they are
    assert (
        payload_script("s.gz", b"\x1f\x8b", compressed=True)
        == '(globalThis.CalcPayloads = globalThis.CalcPayloads || {})["s.gz"] = "H4s=";\n'
    )


# --- the zip compiler (CPython here, Pyodide in the build) -------------------------------------


def _stdlib(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("zz_mod.py", "VALUE = 41 + 1\n")
        z.writestr("aa_pkg/__init__.py", "")
        z.writestr("aa_pkg/data.txt", "kept")
    return path


def test_compile_stdlib_is_sorted_dated_and_pyc_only(tmp_path: Path) -> None:
    src = _stdlib(tmp_path / "python_stdlib.zip")
    for name in ("one.zip", "two.zip"):
        assert _runtime_zip.compile_stdlib(str(src), str(tmp_path / name), "/lib/x.zip") == 2
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.zip") as z:
        infos = z.infolist()
    assert [i.filename for i in infos] == ["aa_pkg/__init__.pyc", "aa_pkg/data.txt", "zz_mod.pyc"]
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


def test_add_packages_imports_through_zipimport_with_resources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = tmp_path / "base.zip"
    _runtime_zip.compile_stdlib(str(_stdlib(tmp_path / "std.zip")), str(base), "/lib/x.zip")
    pkg = tmp_path / "pkg" / "rt_demo_pkg"
    (pkg / "data").mkdir(parents=True)
    (pkg / "__init__.py").write_text(
        "from importlib import resources\n"
        "def data():\n    return resources.files(__name__).joinpath('data/c.json').read_text()\n",
        encoding="utf-8",
    )
    (pkg / "data" / "c.json").write_text('{"format": 1}', encoding="utf-8")
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "junk.pyc").write_bytes(b"junk")
    out = tmp_path / "stdlib.zip"
    assert _runtime_zip.add_packages(str(base), str(tmp_path / "pkg"), str(out), "/lib/x.zip") == 3
    with zipfile.ZipFile(out) as z:
        assert z.namelist()[-2:] == ["rt_demo_pkg/__init__.pyc", "rt_demo_pkg/data/c.json"]
    monkeypatch.syspath_prepend(str(out))
    module = importlib.import_module("rt_demo_pkg")
    try:
        assert module.__file__ == f"{out}/rt_demo_pkg/__init__.pyc"
        assert module.data() == '{"format": 1}'
        assert module.data.__code__.co_filename == "/lib/x.zip/rt_demo_pkg/__init__.py"
    finally:
        sys.modules.pop("rt_demo_pkg", None)


def test_add_packages_refuses_to_shadow_the_standard_library(tmp_path: Path) -> None:
    base = tmp_path / "base.zip"
    _runtime_zip.compile_stdlib(str(_stdlib(tmp_path / "std.zip")), str(base), "/lib/x.zip")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "zz_mod.py").write_text("", encoding="utf-8")
    with pytest.raises(ValueError) as err:
        _runtime_zip.add_packages(str(base), str(tmp_path / "pkg"), str(tmp_path / "o.zip"), "/lib/x.zip")
    assert str(err.value) == f"{tmp_path / 'pkg'}: shadows standard library modules: zz_mod.pyc"


def test_info_json_records_the_facts(home: Path, fake_node: FakeNode) -> None:
    rt = prepare_runtime(home, "{}\n", offline=False)
    info = json.loads((home / ".cache" / "runtime" / rt.key / "info.json").read_text(encoding="utf-8"))
    assert sorted(info) == [
        "env", "file_hash", "http_hash", "lock", "memory_offset", "modules", "modules_total", "sizes",
        "snapshot_crc", "snapshot_pages", "version",
    ]  # fmt: skip
    assert info["snapshot_pages"] == {"all": 1, "image_bytes": 10, "kept": 1}
    assert rt.directory.endswith(info["http_hash"])


def test_the_build_carries_the_runtime_and_the_glue_files(tmp_project: Path, tmp_path: Path) -> None:
    # the real runtime for the fixture data (built once, then cached like any other)
    assert cli.build(tmp_project, tmp_path / "site", refresh_sources=False) == 0
    site = tmp_path / "site"
    (directory,) = (site / "assets" / "pyodide").iterdir()
    served = sorted(p.name for p in directory.iterdir() if not p.name.endswith((".br", ".gz")))
    assert served == sorted((*NPM_FILES, "stdlib.zip", "snapshot.pages"))
    assert (directory / "snapshot.pages.gz").is_file() and (directory / "pyodide.asm.wasm.br").is_file()
    (script,) = (site / "assets" / "calc").glob("runtime.*.js")
    text = script.read_text(encoding="utf-8")
    assert f'"base":"../pyodide/{directory.name}/"' in text
    assert '"mode":"http"' in text

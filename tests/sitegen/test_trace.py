"""Trimming the runtime to what runs: the trace (sitegen/runtime/trace.py), the trimmed zip, the guard
for modules left out (calc_runtime.py) and the precompressed copies. They run inside Pyodide in the
build; here under CPython, which they support as well (the real trace is covered by test_pyodide.py).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import shutil
import sys
import zipfile
from pathlib import Path
from types import ModuleType, SimpleNamespace

import brotli
import pytest

from sitegen.runtime import calc_runtime, trace
from sitegen.runtime import stdlib_zip as zips
from sitegen.runtime.compress import candidates, precompress, precompress_tree


def _package(root: Path) -> Path:
    pkg = root / "demo"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text(
        "import json\nfrom . import sub\nfrom .sub import leaf\n", encoding="utf-8"
    )
    (pkg / "sub" / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "sub" / "leaf.py").write_text(
        "from __future__ import annotations\n"
        "def lazy():\n    import difflib\n    from collections import abc\n    from .. import sub\n",
        encoding="utf-8",
    )
    return root


def test_imported_names_lists_every_import_our_packages_make_lazy_ones_included(tmp_path: Path) -> None:
    assert trace.imported_names(str(_package(tmp_path))) == [
        "__future__", "__future__.annotations", "collections", "collections.abc", "demo", "demo.sub",
        "demo.sub.leaf", "difflib", "json",
    ]  # fmt: skip


def test_needed_keeps_modules_from_the_zip_and_all_of_our_packages() -> None:
    def module(origin: str | None) -> ModuleType:
        m = ModuleType("m")
        m.__spec__ = SimpleNamespace(origin=origin)  # type: ignore[assignment]
        return m

    modules = {
        "json": module("/lib/z.zip/json/__init__.pyc"),
        "json.decoder": module("/lib/z.zip/json/decoder.pyc"),
        "sys": module("built-in"),
        "elsewhere": module("/home/x/elsewhere.py"),
        "namespace": module(None),
    }
    entries = [
        "json/__init__.pyc",
        "json/decoder.pyc",
        "xml/__init__.pyc",
        "calc/__init__.pyc",
        "calc/data/c.json",
    ]
    assert trace.needed(modules, "/lib/z.zip", entries, ["calc"]) == [
        "calc/__init__.pyc", "calc/data/c.json", "json/__init__.pyc", "json/decoder.pyc",
    ]  # fmt: skip


def test_module_names_of_entries() -> None:
    entries = ["json/__init__.pyc", "json/decoder.pyc", "calc/data/c.json", "_calc_runtime.pyc"]
    assert trace.module_names(entries) == ["_calc_runtime", "json", "json.decoder"]


def test_replay_cases_answers_every_case_of_every_table(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text(
        json.dumps(
            {"calculator": "dose", "catalog": "cat.json", "cases": [{"input": {"a": 1}}, {"input": {}}]}
        ),
        encoding="utf-8",
    )
    (tmp_path / "cat.json").write_text('{"procedures": []}', encoding="utf-8")
    seen: list[tuple[str, object]] = []
    assert trace.replay_cases(lambda request, catalog: seen.append((request, catalog)), str(tmp_path)) == 2
    assert seen == [
        ('{"calculator": "dose", "input": {"a": 1}}', {"procedures": []}),
        ('{"calculator": "dose", "input": {}}', {"procedures": []}),
    ]
    assert trace.replay_cases(lambda request, catalog: None, str(tmp_path / "none")) == 0


def test_exercise_runs_the_real_calculators_on_the_real_cases(project_root: Path, tmp_path: Path) -> None:
    shutil.copytree(
        project_root / "calculator", tmp_path / "calculator", ignore=shutil.ignore_patterns("__pycache__")
    )
    counts = trace.exercise(str(tmp_path), str(project_root / "tests" / "cases"))
    tables = [
        json.loads(f.read_text(encoding="utf-8")) for f in (project_root / "tests" / "cases").glob("*.json")
    ]
    every = sum(len(t["cases"]) for t in tables if "cases" in t)
    assert counts["cases"] == every and counts["examples"] >= 3 and counts["named"] > 10


def test_trim_keeps_the_named_entries_stored_and_refuses_unknown_ones(tmp_path: Path) -> None:
    full = tmp_path / "full.zip"
    with zipfile.ZipFile(full, "w") as z:
        for name in ("b.pyc", "a.pyc", "c/d.json"):
            z.writestr(name, name * 50)
    assert zips.trim(str(full), ["c/d.json", "a.pyc", "a.pyc"], str(tmp_path / "out.zip")) == 2
    with zipfile.ZipFile(tmp_path / "out.zip") as z:
        assert [(i.filename, i.compress_type) for i in z.infolist()] == [
            ("a.pyc", zipfile.ZIP_STORED), ("c/d.json", zipfile.ZIP_STORED),
        ]  # fmt: skip
    with pytest.raises(ValueError) as err:
        zips.trim(str(full), ["a.pyc", "x.pyc"], str(tmp_path / "bad.zip"))
    assert str(err.value) == f"{full}: no entry x.pyc"


def test_the_standard_library_is_compiled_without_docstrings_and_asserts_our_packages_with_them() -> None:
    source = b'"""Doc."""\ndef f():\n    """Doc."""\n    assert False, "kept"\n'
    stdlib = zips.compile_source(source, "m.py", zips.STDLIB_OPTIMIZE)
    ours = zips.compile_source(source, "m.py")
    assert b"Doc." not in stdlib and b"kept" not in stdlib
    assert b"Doc." in ours and b"kept" in ours


def test_a_module_left_out_is_refused_at_once_with_a_message_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path])
    calc_runtime._install()
    calc_runtime._install()  # once only
    assert sum(isinstance(f, calc_runtime.LeftOut) for f in sys.meta_path) == 1
    with pytest.raises(ModuleNotFoundError) as err:
        __import__("no_such_module_here")
    assert err.value.name == "no_such_module_here"
    assert str(err.value) == (
        "No module named 'no_such_module_here': the calculators' runtime carries only the standard-library "
        "modules its build saw them import; rebuild the site after a change that imports a new one"
    )
    with contextlib.suppress(ImportError):  # an optional import still falls back as without the guard
        import no_such_module_either  # noqa: F401


def test_precompressed_copies_decode_to_the_file_and_are_made_once(tmp_path: Path) -> None:
    big = tmp_path / "app.js"
    big.write_text("var x = 1;\n" * 500, encoding="utf-8")
    (tmp_path / "small.css").write_text("a{}", encoding="utf-8")
    (tmp_path / "page.html").write_text("<p>x</p>" * 500, encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG" * 500)
    assert [p.name for p in candidates(tmp_path, 1024)] == ["app.js"]
    assert precompress_tree(tmp_path) == 2
    assert gzip.decompress((tmp_path / "app.js.gz").read_bytes()) == big.read_bytes()
    assert brotli.decompress((tmp_path / "app.js.br").read_bytes()) == big.read_bytes()
    assert (tmp_path / "app.js.gz").read_bytes()[4:8] == b"\0\0\0\0"  # no date: the same bytes every build
    assert precompress(big) == []  # fresh copies are left alone
    os.utime(big, (os.path.getmtime(big) + 10,) * 2)
    assert [p.name for p in precompress(big)] == ["app.js.br", "app.js.gz"]

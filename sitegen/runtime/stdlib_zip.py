"""Byte-compile Pyodide's standard library and our packages into one deterministic zip, then trim it.

This module runs *inside Pyodide* (``sitegen/runtime/node/make_runtime.mjs`` reads its source and calls
``compile_stdlib``, ``add_packages`` and ``trim``), so the bytecode matches Pyodide's Python version
exactly. Standard library only.
Unchecked hash-based ``.pyc`` files need no source and no timestamps: the zip holds no ``.py`` at all.
The standard library is compiled as ``python -OO`` would (no docstrings, no asserts: smaller code
objects in the snapshot); our packages keep both, so that they behave exactly as under CPython.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import zipfile
from collections.abc import Iterable, Iterator
from importlib import _bootstrap_external

__all__ = ["STDLIB_OPTIMIZE", "add_packages", "compile_source", "compile_stdlib", "fixed_entry", "trim"]

#: Every entry gets this date: the bytes may not depend on when or where the build ran.
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
#: rw-r--r-- regular file, in the high 16 bits as zip stores Unix modes.
FILE_MODE = 0o100644 << 16
#: The standard library's optimisation level (``-OO``: CPython's own test suite runs under it).
STDLIB_OPTIMIZE = 2


def compile_source(source: bytes, filename: str, optimize: int = 0) -> bytes:
    """An unchecked hash-based ``.pyc`` for ``source`` (PEP 552): loads without the source or a stat."""
    code = compile(source, filename, "exec", dont_inherit=True, optimize=optimize)
    data: bytes = _bootstrap_external._code_to_hash_pyc(  # type: ignore[attr-defined]
        code, importlib.util.source_hash(source), checked=False
    )
    return data


def _package_files(directory: str) -> Iterator[tuple[str, bytes]]:
    """(zip name, bytes) for every file of each package under ``directory``; caches left out."""
    for top, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(top, name)
            rel = os.path.relpath(path, directory).replace(os.sep, "/")
            with open(path, "rb") as f:
                yield rel, f.read()


def _compiled(entries: Iterable[tuple[str, bytes]], mount: str, optimize: int = 0) -> dict[str, bytes]:
    """Entries by name with every ``.py`` replaced by its ``.pyc``; other files kept as they are."""
    files: dict[str, bytes] = {}
    for name, data in entries:
        if name.endswith(".py"):
            # tracebacks name the file where the zip is mounted, like stock Pyodide's
            files[name + "c"] = compile_source(data, f"{mount}/{name}", optimize)
        else:
            files[name] = data
    return files


def fixed_entry(name: str, *, stored: bool = False) -> zipfile.ZipInfo:
    """A deflated (or ``stored``) zip entry whose date and mode do not depend on when or where the
    build ran."""
    info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
    info.external_attr = FILE_MODE
    info.create_system = 3  # Unix, so the mode above means what it says on every platform
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    return info


def _add(dst: zipfile.ZipFile, files: dict[str, bytes], *, stored: bool = False) -> None:
    for name in sorted(files):
        dst.writestr(fixed_entry(name, stored=stored), files[name], compresslevel=None if stored else 9)


def compile_stdlib(stdlib_zip: str, out: str, mount: str) -> int:
    """Write ``out``: every entry of Pyodide's ``stdlib_zip`` compiled for this interpreter, sorted by
    name; ``mount`` is where Pyodide mounts the zip (``/lib/python314.zip``). Returns the module count."""
    with zipfile.ZipFile(stdlib_zip) as src:
        entries = [(i.filename, src.read(i)) for i in src.infolist() if not i.is_dir()]
    files = _compiled(entries, mount, STDLIB_OPTIMIZE)
    with zipfile.ZipFile(out, "w") as dst:
        _add(dst, files)
    return sum(1 for name in files if name.endswith(".pyc"))


def add_packages(base_zip: str, package_dir: str, out: str, mount: str) -> int:
    """Write ``out``: ``base_zip`` (from ``compile_stdlib``) followed by the packages in ``package_dir``,
    compiled; the base entries are copied as they are, not compressed again. Returns the module count."""
    files = _compiled(_package_files(package_dir), mount)
    shutil.copyfile(base_zip, out)
    with zipfile.ZipFile(out, "a") as dst:
        clash = sorted(set(dst.namelist()) & set(files))
        if clash:
            raise ValueError(f"{package_dir}: shadows standard library modules: {', '.join(clash)}")
        _add(dst, files)
        return sum(1 for name in dst.namelist() if name.endswith(".pyc"))


def trim(full_zip: str, keep: Iterable[str], out: str) -> int:
    """Write ``out``: only the entries of ``full_zip`` named in ``keep``, sorted, stored uncompressed (the
    server or the payload script compresses the whole file, which packs better than entry by entry, and
    imports then read without inflating). Returns the entry count; ValueError names a missing entry."""
    wanted = sorted(set(keep))
    with zipfile.ZipFile(full_zip) as src:
        missing = sorted(set(wanted) - set(src.namelist()))
        if missing:
            raise ValueError(f"{full_zip}: no entry {', '.join(missing)}")
        files = {name: src.read(name) for name in wanted}
    with zipfile.ZipFile(out, "w") as dst:
        _add(dst, files, stored=True)
    return len(files)

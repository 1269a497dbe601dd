"""The calculators' Python runtime for the browser: Pyodide from npm, our byte-compiled zip, a snapshot.

``prepare_runtime`` returns which files go where in the site and the configuration ``runtime.js`` gets.
The expensive part (Pyodide run under Node: compile the standard library and the ``calculator``
package, trace which modules the calculators use and trim the zip to them, import and warm them, take a
memory snapshot) runs once per *key* and is cached in ``.cache/runtime/<key>/`` of the project being
built (or ``$SITEGEN_RUNTIME_CACHE``), never beside a ``node_modules`` it links to: the snapshot's bytes
differ a little between runs, so rebuilding from its own cache is what keeps a project's "same data in,
same bytes out". A lock in the cache directory serialises the builds that use it; each entry appears
whole (made in a temporary sibling, then renamed), and temporary siblings a killed build left behind
are removed by the next one. The served files come with precompressed ``.gz`` and ``.br`` copies
(``sitegen.runtime.compress``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import tempfile
import threading
import time
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import calculator
from sitegen._lock import held
from sitegen.runtime.compress import SIBLINGS, compressed
from sitegen.runtime.offline import FALLBACK_PAYLOAD, PAYLOADS, classic_factory, payload_script
from sitegen.runtime.snapshot import pack as pack_snapshot

__all__ = [
    "NPM_FILES",
    "RuntimeBuildError",
    "RuntimeFiles",
    "cache_dir",
    "prepare_runtime",
    "runtime_home",
    "runtime_key",
]

log = logging.getLogger("mkdocs.plugins.sitegen.runtime.pyodide")

#: The checkout this package runs from: its node_modules/ serves projects that have none (tests).
HOME = Path(__file__).resolve().parents[2]
PYODIDE = Path("node_modules") / "pyodide"
CACHE = Path(".cache") / "runtime"
#: Names another cache directory (one shared by several projects, as the tests' throw-away projects do).
CACHE_VARIABLE = "SITEGEN_RUNTIME_CACHE"
#: In the cache directory: held while an entry is looked up, built or pruned.
LOCK = ".lock"
#: The npm package's files the site serves verbatim (the http layout).
NPM_FILES = ("pyodide.mjs", "pyodide.js", "pyodide.asm.mjs", "pyodide.asm.wasm")
#: Pyodide's package list: only its ``info`` is used, passed in (the site loads no package).
PACKAGE_LIST = "pyodide-lock.json"
_HERE = Path(__file__).resolve().parent
_SCRIPT = _HERE / "node" / "make_runtime.mjs"
_ZIP_MODULE = _HERE / "stdlib_zip.py"
#: Run inside Pyodide by the Node script (with stdlib_zip.py), or shipped in the zip (calc_runtime.py).
_INSIDE = (_ZIP_MODULE, _HERE / "trace.py")
_CALC_RUNTIME = _HERE / "calc_runtime.py"
#: Our packages' other build tools: a change to any of them makes a new cache entry.
_TOOLS = (
    _SCRIPT,
    *_INSIDE,
    _CALC_RUNTIME,
    _HERE / "offline.py",
    _HERE / "snapshot.py",
    _HERE / "compress.py",
)
#: The case tables replayed while tracing which modules the calculators import, beside the calculator
#: package the build ships (a checkout's tests/cases).
CASES = Path("tests") / "cases"
#: Bump when the layout of a cache entry changes: old entries are then simply not found.
FORMAT = "2"
#: Cache entries kept; older ones (by last use) are removed after a new one is built.
KEEP = 4
#: Where the site carries the runtime, relative to the site root; ``<H>`` is appended.
SITE_DIR = "assets/pyodide"


class RuntimeBuildError(ValueError):
    """The runtime cannot be built here (Node or the npm package missing, or Node failed)."""


@dataclass(frozen=True)
class RuntimeFiles:
    """The runtime as the site carries it: files to copy and the configuration for ``runtime.js``."""

    key: str
    #: Site-root-relative directory, ``assets/pyodide/<H>``.
    directory: str
    #: Site-root-relative path -> the file to copy there.
    files: Mapping[str, Path] = field(default_factory=dict)
    #: Baked into runtime.js; URLs are relative to runtime.js itself (``assets/calc/``).
    config: Mapping[str, Any] = field(default_factory=dict)

    def install(self, site_dir: Path) -> int:
        """Hard-link (or copy) every file into ``site_dir``; files already identical stay. Returns the count
        written."""
        written = 0
        for rel, source in sorted(self.files.items()):
            target = Path(site_dir) / rel
            if target.is_file() and _same(target, source):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            try:
                os.link(source, target)
            except OSError:  # another file system, or links not allowed
                shutil.copyfile(source, target)
            written += 1
        return written


def _same(a: Path, b: Path) -> bool:
    if a.samefile(b):
        return True
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


def runtime_home(root: Path) -> Path:
    """Whose node_modules/pyodide to read: ``root``'s own (a link there is fine: it is only read), else
    this checkout's (throw-away test projects have none)."""
    root = Path(root).absolute()
    if not (root / PYODIDE).is_dir() and (HOME / PYODIDE).is_dir():
        return HOME
    return root


def cache_dir(root: Path) -> Path:
    """The runtime cache of project ``root``: its own ``.cache/runtime``, wherever its node_modules
    points, unless ``$SITEGEN_RUNTIME_CACHE`` names another."""
    named = os.environ.get(CACHE_VARIABLE)
    return Path(named).absolute() if named else Path(root).absolute() / CACHE


def _package_files() -> list[tuple[str, Path]]:
    """The calculator package's files as shipped: sources and data, no caches, no exported catalog."""
    base = Path(calculator.__file__).resolve().parent
    out = []
    for path in sorted(base.rglob("*")):
        rel = path.relative_to(base.parent).as_posix()
        cached = "__pycache__" in path.parts or rel.endswith((".pyc", ".pyo"))
        # the exported catalog on disk stays out: the build's catalog text goes in instead
        if path.is_file() and not cached and rel != "calculator/data/catalog.json":
            out.append((rel, path))
    return out


def _digest(parts: Iterable[tuple[str, bytes]]) -> str:
    h = hashlib.sha256()
    for name, data in parts:
        h.update(f"{name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def _case_files() -> list[Path]:
    return sorted((Path(calculator.__file__).resolve().parents[1] / CASES).glob("*.json"))


def runtime_key(home: Path, catalog_text: str) -> str:
    """sha256 over everything the cached runtime is made from: the npm files, the calculator sources,
    the catalog text, the case tables the trace replays, and our build tools."""
    npm = Path(home) / PYODIDE
    parts: list[tuple[str, bytes]] = [("format", FORMAT.encode())]
    names = (*NPM_FILES, PACKAGE_LIST, "python_stdlib.zip", "package.json")
    parts += [(f"npm/{n}", (npm / n).read_bytes()) for n in names]
    parts += [(f"pkg/{rel}", p.read_bytes()) for rel, p in _package_files()]
    parts += [("catalog", catalog_text.encode("utf-8"))]
    parts += [(f"cases/{p.name}", p.read_bytes()) for p in _case_files()]
    parts += [(f"tool/{p.name}", p.read_bytes()) for p in (*_TOOLS, Path(__file__))]
    return _digest(parts)


def _base_key(home: Path) -> str:
    """The compiled standard library and the npm files' compressed copies depend only on Pyodide and our
    compilers, not on the calculator."""
    npm = Path(home) / PYODIDE
    parts = [("format", FORMAT.encode())]
    parts += [(f"npm/{n}", (npm / n).read_bytes()) for n in ("python_stdlib.zip", *NPM_FILES)]
    parts += [(f"tool/{p.name}", p.read_bytes()) for p in (_SCRIPT, _ZIP_MODULE, _HERE / "compress.py")]
    return _digest(parts)


def _check_tools(home: Path) -> str:
    node = shutil.which("node")
    if node is None:
        raise RuntimeBuildError(
            "calculator runtime: `node` was not found; install Node.js 18 or newer, then run `npm ci` "
            "(./scripts/serve --setup-only does both)"
        )
    needed = (*NPM_FILES, PACKAGE_LIST, "python_stdlib.zip")
    missing = [n for n in needed if not (home / PYODIDE / n).is_file()]
    if missing:
        raise RuntimeBuildError(
            f"calculator runtime: {home / PYODIDE} is missing or incomplete ({', '.join(missing)}); run "
            "`npm ci`, which installs the Pyodide version pinned in package-lock.json"
        )
    return node


def _tree_hash(directory: Path) -> str:
    """First 12 hex of sha256 over every file (name and bytes) under ``directory``."""
    files = sorted(p for p in directory.rglob("*") if p.is_file())
    return _digest((p.relative_to(directory).as_posix(), p.read_bytes()) for p in files)[:12]


def _run_node(node: str, home: Path, work: Path) -> dict[str, Any]:
    command = [node, str(_SCRIPT), str(home / PYODIDE), str(work), str(_HERE)]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "NODE_OPTIONS": ""})
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise RuntimeBuildError(
            f"calculator runtime: `node {_SCRIPT.relative_to(HOME)}` failed (exit {done.returncode}):\n{tail}"
        )
    facts: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return facts


def _build(home: Path, node: str, catalog_text: str, target: Path) -> None:
    """Make the cache entry ``target`` (in a temporary sibling, renamed into place at the end)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{target.name[:12]}.tmp-", dir=target.parent))
    try:
        for rel, path in _package_files():
            (work / "pkg" / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, work / "pkg" / rel)
        shutil.copyfile(_CALC_RUNTIME, work / "pkg" / "_calc_runtime.py")
        catalog = work / "pkg" / "calculator" / "data" / "catalog.json"
        catalog.parent.mkdir(parents=True, exist_ok=True)
        catalog.write_bytes(catalog_text.encode("utf-8"))
        for case in _case_files():
            (work / "cases").mkdir(exist_ok=True)
            shutil.copyfile(case, work / "cases" / case.name)
        base_key = _base_key(home)[:16]
        base = target.parent / f"stdlib-{base_key}.zip"
        if base.is_file():
            shutil.copyfile(base, work / "base.zip")
        facts = _run_node(node, home, work)
        for temporary in ("pkg", "cases"):
            shutil.rmtree(work / temporary, ignore_errors=True)
        (work / "full.zip").unlink()
        # the slow part, kept apart: a new catalog or calculator change reuses it
        os.replace(work / "base.zip", base)
        http, offline = work / "http", work / "file"
        http.mkdir()
        offline.mkdir()
        _npm_files(home, http, target.parent / f"npm-{base_key}")
        (work / "stdlib.zip").rename(http / "stdlib.zip")
        _siblings(http / "stdlib.zip")
        snapshot, image = work / "snapshot.bin", work / "image.bin"
        packed = pack_snapshot(snapshot.read_bytes(), facts["memory_offset"], image.read_bytes())
        # as it is, for servers that send its Brotli or gzip copy with Content-Encoding; engine.js
        # falls back to the gzip copy itself when a server sends the file unencoded
        (http / "snapshot.pages").write_bytes(packed.data)
        _siblings(http / "snapshot.pages")
        image_length = image.stat().st_size
        snapshot.unlink()
        image.unlink()
        _write_offline(http, offline)
        lock = json.loads((home / PYODIDE / PACKAGE_LIST).read_text(encoding="utf-8"))
        facts.update(
            http_hash=_tree_hash(http),
            file_hash=_tree_hash(offline),
            snapshot_pages={"kept": packed.kept, "all": packed.pages, "image_bytes": image_length},
            snapshot_crc=zlib.crc32(packed.data),
            lock={"info": lock["info"], "packages": {}},
        )
        facts["sizes"] = {p.name: p.stat().st_size for p in sorted(http.iterdir())}
        (work / "info.json").write_text(json.dumps(facts, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        for path in [work, *work.rglob("*")]:  # mkdtemp and Node leave private or odd modes
            path.chmod(0o755 if path.is_dir() else 0o644)
        try:
            work.rename(target)
        except OSError:  # another build made the same entry meanwhile: theirs is as good
            if not (target / "info.json").is_file():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _siblings(path: Path, cached: Path | None = None) -> None:
    """``path.gz`` and ``path.br`` beside ``path``; copied from the directory ``cached`` when made there
    before, and kept there when made now (the wasm's best Brotli takes half a minute)."""
    names = [path.name + suffix for suffix in SIBLINGS]
    if cached is not None and all((cached / n).is_file() for n in names):
        for name in names:
            shutil.copyfile(cached / name, path.with_name(name))
        return
    for suffix, data in compressed(path.read_bytes(), best=cached is not None).items():
        path.with_name(path.name + suffix).write_bytes(data)
        if cached is not None:  # written aside and renamed: a build running meanwhile reads whole files
            cached.mkdir(parents=True, exist_ok=True)
            aside = cached / f"{path.name}{suffix}.tmp-{os.getpid()}-{threading.get_ident()}"
            aside.write_bytes(data)
            os.replace(aside, cached / (path.name + suffix))


def _npm_files(home: Path, http: Path, cached: Path) -> None:
    """The npm files the site serves, each with its compressed copies (made once per Pyodide version)."""
    for name in NPM_FILES:
        shutil.copyfile(home / PYODIDE / name, http / name)
        _siblings(http / name, cached)


def _write_offline(http: Path, offline: Path) -> None:
    """The classic-script forms for file:// (see ``sitegen.runtime.offline``)."""
    shutil.copyfile(http / "pyodide.js", offline / "pyodide.js")
    try:
        factory = classic_factory((http / "pyodide.asm.mjs").read_text(encoding="utf-8"))
    except ValueError as err:
        raise RuntimeBuildError(f"calculator runtime: {err}; the file:// conversion needs updating") from None
    (offline / "pyodide.asm.js").write_text(factory, encoding="utf-8")
    for name in (*PAYLOADS, FALLBACK_PAYLOAD):
        copy = http / f"{name}.gz"  # the server's gzip copy, when there is one, is the payload as is
        source = copy if copy.is_file() else http / name
        text = payload_script(name, source.read_bytes(), compressed=source.name.endswith(".gz"))
        (offline / f"{name}.js").write_text(text, encoding="ascii")


def _clean(cache: Path) -> list[str]:
    """Remove the temporary siblings of killed builds (every live build holds the lock while it writes
    one, so none is live); returns their names."""
    left = sorted(p for p in cache.glob("*.tmp-*") if p.name != LOCK)
    for path in left:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return [p.name for p in left]


def _prune(cache: Path, keep: int) -> None:
    """Remove all but the ``keep`` most recently used entries, and all but the newest compiled stdlib."""
    entries = [p for p in cache.iterdir() if (p / "info.json").is_file()]
    entries.sort(key=lambda p: (p / "info.json").stat().st_mtime, reverse=True)
    for old in entries[keep:]:
        shutil.rmtree(old, ignore_errors=True)
    for pattern in ("stdlib-*.zip", "npm-*"):
        bases = sorted(cache.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in bases[1:]:
            shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)


#: The files engine.js downloads itself over http (stdlib.zip only when it starts without the snapshot;
#: snapshot.pages.gz only from a server that sends snapshot.pages without Content-Encoding).
DOWNLOADS = ("pyodide.asm.wasm", "snapshot.pages", "snapshot.pages.gz", "stdlib.zip")


def _config(facts: Mapping[str, Any], offline: bool, base: str) -> dict[str, Any]:
    # the package list's info only: Pyodide then fetches no pyodide-lock.json
    common = {"version": facts["version"], "env": facts["env"], "base": base, "lock": facts["lock"]}
    if offline:
        scripts = ["pyodide.js", "pyodide.asm.js", *(f"{n}.js" for n in PAYLOADS)]
        return {**common, "mode": "file", "scripts": scripts, "fallback": f"{FALLBACK_PAYLOAD}.js"}
    sizes = facts["sizes"]
    # bytes: what the response body brings (the file); wire: its gzip copy, what a server set up to
    # send it compressed transfers (for the progress in MB until Content-Length says otherwise)
    files = {n: {"bytes": sizes[n], "wire": sizes.get(f"{n}.gz", sizes[n])} for n in DOWNLOADS}
    files["snapshot.pages"]["crc"] = facts["snapshot_crc"]  # checked when a server decoded it
    return {**common, "mode": "http", "files": files}


def prepare_runtime(root: Path, catalog_text: str, *, offline: bool) -> RuntimeFiles:
    """The runtime for a site whose calculator catalog is ``catalog_text``, built unless cached.

    ``offline`` selects the file:// forms (classic scripts with embedded payloads) instead of the
    files served over http. Raises RuntimeBuildError with the command to run when a tool is missing.
    """
    start = time.perf_counter()
    home = runtime_home(root)
    node = _check_tools(home)
    key = runtime_key(home, catalog_text)
    cache = cache_dir(root)
    entry = cache / key
    with held(cache / LOCK, log.info, "another build using this runtime cache"):
        left = _clean(cache)
        if left:
            log.info("[runtime] removed %s, left by a build that was stopped", ", ".join(left))
        built = not (entry / "info.json").is_file()
        if built:
            _build(home, node, catalog_text, entry)
            _prune(cache, KEEP)
        else:
            os.utime(entry / "info.json")  # last use, for pruning
        facts = json.loads((entry / "info.json").read_text(encoding="utf-8"))
    kind = "file" if offline else "http"
    digest = facts[f"{kind}_hash"]
    directory = f"{SITE_DIR}/{digest}" + ("/file" if offline else "")
    files = {f"{directory}/{p.name}": p for p in sorted((entry / kind).iterdir())}
    config = _config(facts, offline, f"../pyodide/{digest}/" + ("file/" if offline else ""))
    shown = cache.relative_to(Path(root).absolute()) if cache.is_relative_to(Path(root).absolute()) else cache
    where = f"{shown.as_posix()}/{key[:12]}…"
    seconds = time.perf_counter() - start
    if built:
        log.info(
            "[runtime] Pyodide %s runtime built in %.1f s (%d of %d modules kept; stdlib.zip %.1f MB, "
            "snapshot %.1f MB gzipped) in %s",
            facts["version"],
            seconds,
            facts["modules"],
            facts["modules_total"],
            facts["sizes"]["stdlib.zip"] / 1e6,
            facts["sizes"]["snapshot.pages.gz"] / 1e6,
            where,
        )
    else:
        log.info("[runtime] reusing the %s runtime in %s (%.2f s)", kind, where, seconds)
    return RuntimeFiles(key=key, directory=f"{SITE_DIR}/{digest}", files=files, config=config)

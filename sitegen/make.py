"""Building and checking the site: the work behind ``build.py build``, ``check`` and ``bundle``.

Only the edges (this module, ``cli``, ``bundle`` and the MkDocs hook) print data errors; everything
below them raises ``DataError``.
"""

from __future__ import annotations

import glob
import logging
import os
import shutil
import sys
import time
from pathlib import Path
from types import ModuleType

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, BuildError, ConfigurationError

from sitegen._files import is_current, write_if_changed
from sitegen._lock import held, is_running
from sitegen.data.export import catalog_text
from sitegen.data.model import DataSet
from sitegen.data.schema import schema_files, write_schemas
from sitegen.data.validate import load_dataset
from sitegen.errors import DataError

__all__ = ["CATALOG", "ROOT", "build", "check", "load", "say", "setup_logging"]

ROOT = Path(__file__).resolve().parent.parent
CATALOG = Path("calculator") / "data" / "catalog.json"
#: Held for the whole of a build, so that two builds of one project never meet.
BUILD_LOCK = Path(".cache") / "build.lock"


class _StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is at the time, so captured test output sees it too."""

    def emit(self, record: logging.LogRecord) -> None:
        level = "" if record.levelno < logging.WARNING else f"{record.levelname}: "
        print(level + record.getMessage(), file=sys.stderr, flush=True)


def setup_logging() -> None:
    logger = logging.getLogger("mkdocs")
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        logger.addHandler(_StderrHandler())
    logger.setLevel(logging.INFO)
    logger.propagate = False  # no duplicate lines through the root logger


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load(root: Path) -> DataSet | None:
    """The validated data set, or None after printing every problem."""
    start = time.perf_counter()
    try:
        ds = load_dataset(root)
    except DataError as err:
        say(str(err))
        return None
    cat = ds.catalogs
    say(
        f"[data] {len(ds.scenarios)} scenarios, {len(cat.topics)} topics, {len(cat.procedures)} procedures "
        f"valid ({time.perf_counter() - start:.2f} s)"
    )
    return ds


def _remove(path: Path) -> None:
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        path.unlink()  # a link goes, never what it points to
    elif path.is_dir():
        shutil.rmtree(path)


def _not_a_site(root: Path, site: Path) -> str:
    """Why ``site`` may not be replaced by a build (it is the project, or holds other files), or ""."""
    real = site.resolve()
    if real == root or root.is_relative_to(real):
        return "is the project folder or holds it"
    if site.is_symlink() or not site.exists():
        return ""
    if not site.is_dir():
        return "is a file"
    built = (site / "index.html").is_file() and (site / "sitemap.xml").is_file()
    return "" if built or not any(site.iterdir()) else "holds files that are not a site built before"


def build(root: Path = ROOT, site_dir: Path | None = None, *, refresh_sources: bool = True) -> int:
    """Validate, refresh the generated source files, build into a sibling directory, then swap it in.

    Returns the exit code. On any failure the previous site is left exactly as it was. One build of a
    project at a time: a second waits for the first (``.cache/build.lock``), saying so.
    ``refresh_sources=False`` leaves the schemas and calculator catalog in the tree alone (tests).
    """
    setup_logging()
    root = Path(root).resolve()
    with held(root / BUILD_LOCK, say, "another build of this project"):
        return _build(root, site_dir, refresh_sources)


def _leftovers(site: Path) -> list[Path]:
    """``site.tmp-<pid>`` and ``site.old-<pid>`` of builds that were stopped (no process <pid> runs)."""
    found = []
    for path in sorted(site.parent.glob(f"{glob.escape(site.name)}.*-*")):
        kind, _, pid = path.name.removeprefix(f"{site.name}.").partition("-")
        # our own number is stale too: it was another process's, before this one got it
        stale = pid.isdecimal() and (int(pid) == os.getpid() or not is_running(int(pid)))
        if kind in ("tmp", "old") and stale:
            found.append(path)
    return found


def _build(root: Path, site_dir: Path | None, refresh_sources: bool) -> int:
    start = time.perf_counter()
    site = Path(site_dir).absolute() if site_dir else root / "site"
    why = _not_a_site(root, site)
    if why:
        say(f"Build stopped: {site} {why}; a build replaces its whole site folder (nothing was written).")
        return 1
    for path in _leftovers(site):
        _remove(path)
        say(f"[site] removed {path.name}, left by a build that was stopped")
    ds = load(root)
    if ds is None:
        say("Build stopped: the data has errors (nothing was written).")
        return 1
    catalog = catalog_text(ds)
    if refresh_sources:
        written = write_schemas(root)
        changed = write_if_changed(root / CATALOG, catalog)
        state = "updated" if changed else "unchanged"
        say(f"[sources] {len(written)} schemas written or unchanged, {CATALOG.as_posix()} {state}")

    tmp = site.with_name(f"{site.name}.tmp-{os.getpid()}")
    old = site.with_name(f"{site.name}.old-{os.getpid()}")
    _remove(tmp)
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp), strict=True)
        # MkDocs types `hooks` as a list, but validation turns it into a mapping of path to module
        hooks: dict[str, ModuleType] = config.hooks  # type: ignore[assignment]
        for hook in hooks.values():  # hand the validated data to our hook: no second load
            if hasattr(hook, "use_dataset"):
                hook.use_dataset(root, ds, catalog)
        mkdocs_build(config)
    except (Abort, BuildError, ConfigurationError) as err:
        _remove(tmp)
        say(f"{err}\nBuild failed; the previous site was left untouched.")
        return 1
    except BaseException:
        _remove(tmp)  # a bug, not bad data: let the traceback through, but leave no half-built site
        raise
    # swap: the old site stays complete until the new one is in place
    if site.exists():
        site.rename(old)
    tmp.rename(site)
    _remove(old)
    pages = sum(1 for _ in site.rglob("*.html"))
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6
    say(f"[site] {pages} HTML pages, {size:.1f} MB in {site} ({time.perf_counter() - start:.1f} s total)")
    return 0


def check(root: Path = ROOT) -> int:
    """Validate the data and check that schemas and catalog are fresh; writes nothing."""
    root = Path(root).resolve()
    ds = load(root)
    if ds is None:
        return 1
    expected = {**schema_files(), CATALOG.as_posix(): catalog_text(ds)}
    stale = [rel for rel, text in sorted(expected.items()) if not is_current(root / rel, text)]
    for rel in stale:
        say(f"{rel}: expected the generated content, found a stale or missing file")
    if stale:
        say("Run `python build.py build` to refresh the generated files.")
        return 1
    say(f"[check] {len(expected)} generated files are fresh")
    return 0

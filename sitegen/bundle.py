"""``python build.py bundle``: the whole site as one zip that works unzipped, opened from disk (file://).

The site is built with ``SITEGEN_OFFLINE=true`` (Material's offline plugin for search, page.html links,
the runtime as classic scripts with embedded payloads), then zipped deterministically: sorted names, one
fixed date, fixed modes, all under one folder named after the zip.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import zipfile
from pathlib import Path
from unittest import mock

from sitegen import make
from sitegen.download import write_facts
from sitegen.runtime.stdlib_zip import fixed_entry

__all__ = ["LIMIT", "bundle", "write_zip"]

#: The issue's size limit for the zipped site.
LIMIT = 20_000_000
DEFAULT_NAME = "imaging-appropriateness-offline.zip"


def write_zip(site: Path, out: Path, folder: str) -> int:
    """Zip every file under ``site`` into ``out`` below ``folder/``; the same files give the same bytes.
    Written beside ``out`` and renamed into place. Returns the number of files."""
    files = sorted((p.relative_to(site).as_posix(), p) for p in site.rglob("*") if p.is_file())
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"{out.name}.tmp-{os.getpid()}")
    try:
        with zipfile.ZipFile(tmp, "w") as z:
            for rel, path in files:
                z.writestr(fixed_entry(f"{folder}/{rel}"), path.read_bytes(), compresslevel=9)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return len(files)


def _ours(facts: Path) -> bool:
    """Whether ``facts`` is a facts file an earlier bundle wrote (so it may be replaced)."""
    try:
        data = json.loads(facts.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(data, dict) and set(data) == {"file", "bytes", "sha256", "built"}


def out_problem(out: Path) -> str | None:
    """Why ``out`` (and the facts file written beside it) must not be written, or None: the bundle replaces
    both, so it never overwrites a folder, a file that is not a zip, or a JSON file it did not write."""
    facts = out.with_suffix(".json")
    if out.suffix != ".zip":
        return f"--out must name a .zip file, found {str(out)!r}"
    if out.is_symlink() or (out.exists() and not out.is_file()):
        return f"--out {str(out)!r} exists and is not a regular file"
    if out.exists() and not zipfile.is_zipfile(out):
        return f"--out {str(out)!r} exists and is not a zip file; it was left alone"
    if facts.is_symlink() or (facts.exists() and not (facts.is_file() and _ours(facts))):
        found = f"the facts file {str(facts)!r} beside --out"
        return f"{found} exists and was not written by a bundle; it was left alone"
    return None


def bundle(root: Path, out: Path | None = None, *, limit: int = LIMIT, refresh_sources: bool = True) -> int:
    """Build the offline site and zip it to ``out`` (default ``dist/imaging-appropriateness-offline.zip``).

    Returns the exit code: 1 when the build fails or the zip is larger than ``limit`` bytes (then no zip
    is left behind). ``refresh_sources`` as for ``sitegen.make.build``.
    """
    start = time.perf_counter()
    root = Path(root).resolve()
    out = Path(out).absolute() if out else root / "dist" / DEFAULT_NAME
    problem = out_problem(out)
    if problem:
        make.say(f"Bundle stopped: {problem}.")
        return 2
    out = out.resolve()
    with tempfile.TemporaryDirectory(prefix="bundle-") as tmp:
        site = Path(tmp) / "site"
        # read by mkdocs.yml (!ENV) when the build loads it; restored afterwards
        with mock.patch.dict(os.environ, {"SITEGEN_OFFLINE": "true"}):
            code = make.build(root, site, refresh_sources=refresh_sources)
        if code != 0:
            make.say("Bundle stopped: the offline site did not build (no zip was written).")
            return code
        count = write_zip(site, out, out.stem)
    size = out.stat().st_size
    shown = out.relative_to(root) if out.is_relative_to(root) else out
    if size > limit:
        out.unlink()
        make.say(
            f"[bundle] {shown}: {size / 1e6:.1f} MB is over the {limit / 1e6:g} MB limit; the zip was removed"
        )
        return 1
    facts = write_facts(out)
    make.say(
        f"[bundle] {shown}: {size / 1e6:.1f} MB, {count} files ({time.perf_counter() - start:.1f} s); "
        f"unzip it and open {out.stem}/index.html; its facts for the download page: {facts.name}"
    )
    return 0

"""``python build.py bundle``: the whole site as one zip that works unzipped, opened from disk (file://).

The site is built with ``SITEGEN_OFFLINE=true`` (Material's offline plugin for search, page.html links,
the runtime as classic scripts with embedded payloads), then zipped deterministically: sorted names, one
fixed date, fixed modes, all under one folder named after the zip.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["LIMIT", "bundle", "write_zip"]

#: The issue's size limit for the zipped site.
LIMIT = 20_000_000
DEFAULT_NAME = "imaging-appropriateness-offline.zip"
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextmanager
def _offline_env() -> Iterator[None]:
    """SITEGEN_OFFLINE=true while the build loads mkdocs.yml (``!ENV``), restored afterwards."""
    before = os.environ.get("SITEGEN_OFFLINE")
    os.environ["SITEGEN_OFFLINE"] = "true"
    try:
        yield
    finally:
        if before is None:
            del os.environ["SITEGEN_OFFLINE"]
        else:
            os.environ["SITEGEN_OFFLINE"] = before


def write_zip(site: Path, out: Path, folder: str) -> int:
    """Zip every file under ``site`` into ``out`` below ``folder/``; the same files give the same bytes.
    Written beside ``out`` and renamed into place. Returns the number of files."""
    files = sorted((p.relative_to(site).as_posix(), p) for p in site.rglob("*") if p.is_file())
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"{out.name}.tmp-{os.getpid()}")
    try:
        with zipfile.ZipFile(tmp, "w") as z:
            for rel, path in files:
                info = zipfile.ZipInfo(f"{folder}/{rel}", date_time=FIXED_DATE)
                info.external_attr = 0o100644 << 16
                info.create_system = 3  # Unix, so the modes above mean what they say everywhere
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, path.read_bytes(), compresslevel=9)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return len(files)


def bundle(root: Path, out: Path | None = None, *, limit: int = LIMIT, refresh_sources: bool = True) -> int:
    """Build the offline site and zip it to ``out`` (default ``dist/imaging-appropriateness-offline.zip``).

    Returns the exit code: 1 when the build fails or the zip is larger than ``limit`` bytes (then no zip
    is left behind). ``refresh_sources`` as for ``sitegen.cli.build``.
    """
    from sitegen.cli import build  # late: the command line imports this module

    start = time.perf_counter()
    root = Path(root).resolve()
    out = Path(out).resolve() if out else root / "dist" / DEFAULT_NAME
    with tempfile.TemporaryDirectory(prefix="bundle-") as tmp:
        site = Path(tmp) / "site"
        with _offline_env():
            code = build(root, site, refresh_sources=refresh_sources)
        if code != 0:
            _say("Bundle stopped: the offline site did not build (no zip was written).")
            return code
        count = write_zip(site, out, out.stem)
    size = out.stat().st_size
    shown = out.relative_to(root) if out.is_relative_to(root) else out
    if size > limit:
        out.unlink()
        _say(
            f"[bundle] {shown}: {size / 1e6:.1f} MB is over the {limit / 1e6:g} MB limit; the zip was removed"
        )
        return 1
    _say(
        f"[bundle] {shown}: {size / 1e6:.1f} MB, {count} files ({time.perf_counter() - start:.1f} s); "
        f"unzip it and open {out.stem}/index.html"
    )
    return 0

"""Precompressed copies for servers: ``name.gz`` and ``name.br`` beside large text-like files and the wasm.

A server set up as content/pages/hosting.md shows (nginx ``gzip_static``/``brotli_static``, Apache
rewrite rules, IIS) sends them with ``Content-Encoding`` instead of the file, so nothing is compressed
per request and the wasm travels at a third of its size. The copies are deterministic (gzip with a zero
date). Files that are already compressed (the snapshot, images) get none.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import brotli  # type: ignore[import-untyped]

__all__ = ["SIBLINGS", "TEXT_LIKE", "candidates", "compressed", "precompress", "precompress_tree"]

#: Suffixes worth compressing: text formats, the wasm, and the runtime's uncompressed (stored) zip.
TEXT_LIKE = frozenset({".js", ".mjs", ".css", ".json", ".svg", ".xml", ".txt", ".map", ".wasm", ".zip"})
#: Suffixes of the copies, in the order servers prefer them.
SIBLINGS = (".br", ".gz")
#: Pages are left to the server: HTML is small, changes with every build and must not be cached long.
SKIP_SUFFIXES = frozenset({".html"})


def compressed(data: bytes, *, best: bool = False) -> dict[str, bytes]:
    """``{".gz": gzip, ".br": Brotli}`` of ``data``. ``best`` spends Brotli's highest quality and largest
    window (about 30 s for the 9.6 MB wasm: kept in the runtime cache, made once per Pyodide version)."""
    quality, window = (11, 24) if best else (9, 22)
    return {
        ".gz": gzip.compress(data, compresslevel=9, mtime=0),
        ".br": brotli.compress(data, quality=quality, lgwin=window),
    }


def precompress(path: Path, *, best: bool = False) -> list[Path]:
    """Write ``path.gz`` and ``path.br`` unless both are as new as ``path``; returns the copies written."""
    siblings = {suffix: path.with_name(path.name + suffix) for suffix in SIBLINGS}
    made = path.stat().st_mtime
    if all(s.is_file() and s.stat().st_mtime >= made for s in siblings.values()):
        return []
    for suffix, data in compressed(path.read_bytes(), best=best).items():
        siblings[suffix].write_bytes(data)
    return list(siblings.values())


def candidates(site: Path, min_size: int) -> Iterator[Path]:
    """Text-like files under ``site`` of at least ``min_size`` bytes (pages and copies excluded), sorted."""
    for path in sorted(site.rglob("*")):
        suffix = path.suffix
        if (
            suffix in TEXT_LIKE
            and suffix not in SKIP_SUFFIXES
            and path.is_file()
            and path.stat().st_size >= min_size
        ):
            yield path


def precompress_tree(site: Path, min_size: int = 1024) -> int:
    """Precompress every candidate under ``site``; returns the number of copies written."""
    return sum(len(precompress(path)) for path in candidates(site, min_size))

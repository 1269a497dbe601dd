"""Every byte a site ships, the packed parts unpacked: for the tests that search it (issue 9, finding 7).

Besides each file as it is, yields the memory snapshot decompressed and unpacked, every entry of the
byte-compiled standard library zip, and, for the offline forms, the payload scripts decoded back to
their files (which are themselves unpacked the same way).
"""

from __future__ import annotations

import base64
import gzip
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from sitegen.runtime.snapshot import image_of, unpack

__all__ = ["shipped_bytes"]

_PAYLOAD = re.compile(rb'\["([^"]+)"\] = "([A-Za-z0-9+/=]*)";')


def _unpacked(name: str, data: bytes, image: bytes) -> Iterator[tuple[str, bytes]]:
    yield name, data
    if name.endswith(("snapshot.pages", "snapshot.pages.gz")):
        # stored against the wasm's own memory image (sitegen/runtime/snapshot.py): the site's wasm gives it
        packed = gzip.decompress(data) if name.endswith(".gz") else data
        yield f"{name} (unpacked)", unpack(packed, image)
    elif name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for entry in z.namelist():
                yield f"{name}/{entry}", z.read(entry)
    elif name.endswith(".js"):
        for match in _PAYLOAD.finditer(data):
            file = match.group(1).decode("ascii")
            packed = base64.b64decode(match.group(2))
            inner = packed if file.endswith(".gz") else gzip.decompress(packed)
            yield from _unpacked(f"{name}: {file}", inner, image)


def shipped_bytes(site: Path) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of every file under ``site`` and of everything packed inside one."""
    image = _image(site)
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        yield from _unpacked(path.relative_to(site).as_posix(), path.read_bytes(), image)


def _image(site: Path) -> bytes:
    """The instantiation image of the site's wasm (served as a file, or in its offline payload script)."""
    for path in site.glob("assets/pyodide/*/pyodide.asm.wasm"):
        return image_of(path.read_bytes())
    for path in site.glob("assets/pyodide/*/file/pyodide.asm.wasm.js"):
        match = _PAYLOAD.search(path.read_bytes())
        if match:
            return image_of(gzip.decompress(base64.b64decode(match.group(2))))
    return b""

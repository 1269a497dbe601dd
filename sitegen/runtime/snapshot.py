"""The memory snapshot as shipped: only the pages that are not all zeros (about 13 of its 31 MB).

Layout, little-endian: ``b"CSN1"``, the page size (u32), the snapshot's length (u32), a bitmap with
one bit per page (bit ``i % 8`` of byte ``i // 8``, set for a page that is kept), then the kept pages
in order (the last one may be short). engine.js rebuilds it into a zero-filled buffer: unpacking is
a copy of the kept pages, and gzip has less than half the bytes to decompress in the browser.
"""

from __future__ import annotations

import struct

__all__ = ["MAGIC", "PAGE", "pack", "unpack"]

MAGIC = b"CSN1"
PAGE = 4096
_HEADER = struct.Struct("<4sII")


def pack(raw: bytes, page: int = PAGE) -> bytes:
    """``raw`` without its all-zero pages, in the layout above."""
    count = -(-len(raw) // page)
    bitmap = bytearray(-(-count // 8))
    kept: list[bytes] = []
    for i in range(count):
        chunk = raw[i * page : (i + 1) * page]
        if chunk.count(0) != len(chunk):
            bitmap[i >> 3] |= 1 << (i & 7)
            kept.append(chunk)
    return _HEADER.pack(MAGIC, page, len(raw)) + bytes(bitmap) + b"".join(kept)


def unpack(packed: bytes) -> bytes:
    """The snapshot ``pack`` was given; ValueError if ``packed`` is not in the layout above."""
    if len(packed) < _HEADER.size:
        raise ValueError("packed snapshot: shorter than its header")
    magic, page, length = _HEADER.unpack_from(packed)
    if magic != MAGIC or page == 0:
        found = f"{magic!r}, {page}"
        raise ValueError(f"packed snapshot: expected magic {MAGIC!r} and a page size, found {found}")
    count = -(-length // page)
    at = _HEADER.size + -(-count // 8)
    out = bytearray(length)
    for i in range(count):
        if packed[_HEADER.size + (i >> 3)] >> (i & 7) & 1:
            size = min(page, length - i * page)
            out[i * page : i * page + size] = packed[at : at + size]
            at += size
    if at != len(packed):
        raise ValueError(f"packed snapshot: expected {at} bytes, found {len(packed)}")
    return bytes(out)

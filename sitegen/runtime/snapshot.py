"""The memory snapshot as shipped: stored relative to the wasm memory as instantiated, zero pages left out.

Pyodide's snapshot is its own header followed by the whole wasm memory (31 MB). About 3.8 MB of that
memory is the module's static data, which the browser has anyway: instantiating the wasm writes its
data segments into memory before anything runs. So the memory's first ``base_length`` bytes are stored
XORed with that instantiation image (nearly all zero then), and only pages that are not all zeros are
kept: the bytes shipped are what Python's start-up and the calculators wrote, no more.

Layout, little-endian: ``b"CSN2"``, page size, snapshot length, ``offset`` (where the memory starts,
after Pyodide's header), ``base_length`` (the image bytes XORed in), ``base_crc`` (CRC-32 of those image
bytes, checked before use: another wasm would give garbage), all u32; a bitmap with one bit per page
(bit ``i % 8`` of byte ``i // 8``, set for a page that is kept), then the kept pages in order (the last
one may be short). engine.js unpacks it into a zero-filled buffer and, once the wasm is instantiated,
XORs the image back in (``CalcEngine.unpackSnapshot``, ``applyImage``).
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

__all__ = ["MAGIC", "PAGE", "Packed", "image_of", "pack", "unpack"]

MAGIC = b"CSN2"
PAGE = 4096
_HEADER = struct.Struct("<4sIIIII")


@dataclass(frozen=True)
class Packed:
    """A packed snapshot and what it took to make it."""

    data: bytes
    #: Pages kept out of all pages.
    kept: int
    pages: int


def _xor(a: bytes, b: bytes) -> bytes:
    """Bytewise XOR of two equal-length byte strings (as big integers: fast for megabytes)."""
    n = len(a)
    return (int.from_bytes(a, "little") ^ int.from_bytes(b, "little")).to_bytes(n, "little")


def _rebase(raw: bytes, offset: int, image: bytes) -> bytes:
    end = offset + len(image)
    return raw[:offset] + _xor(raw[offset:end], image) + raw[end:]


def pack(raw: bytes, offset: int = 0, image: bytes = b"", page: int = PAGE) -> Packed:
    """``raw`` with ``image`` XORed in at ``offset`` and its all-zero pages left out, in the layout above."""
    if offset + len(image) > len(raw):
        raise ValueError(
            f"snapshot: the image ({len(image)} bytes at {offset}) is longer than it ({len(raw)})"
        )
    data = _rebase(raw, offset, image) if image else raw
    count = -(-len(data) // page)
    bitmap = bytearray(-(-count // 8))
    kept: list[bytes] = []
    for i in range(count):
        chunk = data[i * page : (i + 1) * page]
        if chunk.count(0) != len(chunk):
            bitmap[i >> 3] |= 1 << (i & 7)
            kept.append(chunk)
    header = _HEADER.pack(MAGIC, page, len(data), offset, len(image), zlib.crc32(image))
    return Packed(header + bytes(bitmap) + b"".join(kept), len(kept), count)


def unpack(packed: bytes, image: bytes = b"") -> bytes:
    """The snapshot ``pack`` was given, with the ``image`` it was packed against; ValueError if ``packed``
    is not in the layout above or ``image`` is not the one it was packed against."""
    if len(packed) < _HEADER.size:
        raise ValueError("packed snapshot: shorter than its header")
    magic, page, length, offset, base_length, base_crc = _HEADER.unpack_from(packed)
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
    if base_length:
        given = image[:base_length].ljust(base_length, b"\0")  # the image may end before its zeros
        if zlib.crc32(given) != base_crc:
            raise ValueError(
                "packed snapshot: the instantiation image differs from the one it was packed against"
            )
        return _rebase(bytes(out), offset, given)
    return bytes(out)


def _leb(data: bytes, at: int, signed: bool = False) -> tuple[int, int]:
    """The LEB128 number at ``at`` and the position after it."""
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            if signed and byte & 0x40:
                value -= 1 << shift
            return value, at


def image_of(wasm: bytes) -> bytes:
    """The memory a wasm module has once instantiated, before anything runs: its active data segments
    written at their offsets (what engine.js takes from the instantiated memory). ValueError for a
    module this reader does not understand."""
    if wasm[:4] != b"\0asm":
        raise ValueError("not a wasm module")
    memory = bytearray()
    at = 8
    while at < len(wasm):
        section, at = wasm[at], at + 1
        size, at = _leb(wasm, at)
        end = at + size
        if section == 11:  # data
            count, at = _leb(wasm, at)
            for _ in range(count):
                flags, at = _leb(wasm, at)
                if flags == 1:  # passive: written only when the code asks
                    length, at = _leb(wasm, at)
                    at += length
                    continue
                if flags == 2:
                    _, at = _leb(wasm, at)  # memory index
                if wasm[at] != 0x41:  # i32.const
                    raise ValueError("a data segment's offset is not a constant")
                offset, at = _leb(wasm, at + 1, signed=True)
                at += 1  # end
                length, at = _leb(wasm, at)
                if len(memory) < offset + length:
                    memory.extend(bytes(offset + length - len(memory)))
                memory[offset : offset + length] = wasm[at : at + length]
                at += length
        at = end
    return bytes(memory)

"""The packed snapshot layout (sitegen/runtime/snapshot.py); engine.js unpacks it (exercised under Pyodide in
tests/calculator/test_pyodide.py, which starts from the real snapshot)."""

from __future__ import annotations

import pytest

from sitegen.runtime.snapshot import pack, unpack

Z = bytes(4)

# raw snapshot, page size -> the packed bytes
PACKED = [
    (b"", 4, b"CSN1" + bytes([4, 0, 0, 0, 0, 0, 0, 0])),
    (Z, 4, b"CSN1" + bytes([4, 0, 0, 0, 4, 0, 0, 0]) + b"\x00"),
    (b"abcd" + Z + b"ef", 4, b"CSN1" + bytes([4, 0, 0, 0, 10, 0, 0, 0]) + b"\x05" + b"abcdef"),
    (Z * 8 + b"\x01", 4, b"CSN1" + bytes([4, 0, 0, 0, 33, 0, 0, 0]) + b"\x00\x01" + b"\x01"),
]


@pytest.mark.parametrize(("raw", "page", "packed"), PACKED)
def test_pack_keeps_only_pages_that_are_not_zero(raw: bytes, page: int, packed: bytes) -> None:
    assert pack(raw, page) == packed
    assert unpack(packed) == raw


BROKEN = [
    (b"CSN", "packed snapshot: shorter than its header"),
    (b"XXXX" + bytes(8), "packed snapshot: expected magic b'CSN1' and a page size, found b'XXXX', 0"),
    (b"CSN1" + bytes([4, 0, 0, 0, 8, 0, 0, 0]) + b"\x01abc", "packed snapshot: expected 17 bytes, found 16"),
    (b"CSN1" + bytes([4, 0, 0, 0, 4, 0, 0, 0]) + b"\x00!", "packed snapshot: expected 13 bytes, found 14"),
]


@pytest.mark.parametrize(("packed", "message"), BROKEN)
def test_unpack_refuses_what_pack_did_not_make(packed: bytes, message: str) -> None:
    with pytest.raises(ValueError) as err:
        unpack(packed)
    assert str(err.value) == message

"""The packed snapshot layout (sitegen/runtime/snapshot.py); engine.js unpacks it (exercised under Pyodide in
tests/calculator/test_pyodide.py, which starts from the real snapshot)."""

from __future__ import annotations

import json
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from sitegen.runtime.snapshot import image_of, pack, unpack

Z = bytes(4)


def header(length: int, offset: int = 0, image: bytes = b"", page: int = 4) -> bytes:
    return b"CSN2" + struct.pack("<IIIII", page, length, offset, len(image), zlib.crc32(image))


# raw snapshot, offset, image, page size -> the packed bytes
PACKED = [
    (b"", 0, b"", 4, header(0)),
    (Z, 0, b"", 4, header(4) + b"\x00"),
    (b"abcd" + Z + b"ef", 0, b"", 4, header(10) + b"\x05" + b"abcdef"),
    (Z * 8 + b"\x01", 0, b"", 4, header(33) + b"\x00\x01" + b"\x01"),
    # the image XORed in at the offset: a page equal to it is left out like a zero page
    (b"HEAD" + b"stat" + b"ic!!" + b"heap", 4, b"static!!", 4, header(16, 4, b"static!!") + b"\x09HEADheap"),
    # a page that differs from the image a little keeps only the difference (mostly zeros, packs well)
    (b"HEAD" + b"stat", 4, b"stax", 4, header(8, 4, b"stax") + b"\x03HEAD" + b"\x00\x00\x00\x0c"),
]


@pytest.mark.parametrize(("raw", "offset", "image", "page", "packed"), PACKED)
def test_pack_keeps_only_what_differs_from_zero_or_the_image(
    raw: bytes, offset: int, image: bytes, page: int, packed: bytes
) -> None:
    result = pack(raw, offset, image, page)
    assert result.data == packed
    assert unpack(packed, image) == raw


def test_pack_counts_the_pages_it_kept() -> None:
    result = pack(b"HEAD" + b"stat" + b"ic!!" + b"heap", 4, b"static!!", 4)
    assert (result.kept, result.pages) == (2, 4)


BROKEN = [
    (b"CSN", b"", "packed snapshot: shorter than its header"),
    (b"XXXX" + bytes(20), b"", "packed snapshot: expected magic b'CSN2' and a page size, found b'XXXX', 0"),
    (
        b"CSN1" + bytes([4]) + bytes(19),
        b"",
        "packed snapshot: expected magic b'CSN2' and a page size, found b'CSN1', 4",
    ),
    (header(8) + b"\x01abc", b"", "packed snapshot: expected 29 bytes, found 28"),
    (header(4) + b"\x00!", b"", "packed snapshot: expected 25 bytes, found 26"),
    (
        header(8, 4, b"stax") + b"\x01HEAD",
        b"stay",
        "packed snapshot: the instantiation image differs from the one it was packed against",
    ),
    (
        header(8, 4, b"stax") + b"\x01HEAD",
        b"st",
        "packed snapshot: the instantiation image differs from the one it was packed against",
    ),
]


@pytest.mark.parametrize(("packed", "image", "message"), BROKEN)
def test_unpack_refuses_what_pack_did_not_make(packed: bytes, image: bytes, message: str) -> None:
    with pytest.raises(ValueError) as err:
        unpack(packed, image)
    assert str(err.value) == message


def test_an_image_longer_than_the_snapshot_is_refused() -> None:
    with pytest.raises(ValueError) as err:
        pack(b"HEADxy", 4, b"abc")
    assert str(err.value) == "snapshot: the image (3 bytes at 4) is longer than it (6)"


def _wasm(*segments: bytes) -> bytes:
    body = bytes([len(segments)]) + b"".join(segments)
    return b"\0asm\1\0\0\0" + bytes([11, len(body)]) + body


# an active segment: flags 0, i32.const offset, end, length, bytes
IMAGES = [
    (_wasm(b"\x00\x41\x04\x0b\x02hi"), b"\0\0\0\0hi"),
    (_wasm(b"\x00\x41\x02\x0b\x01a", b"\x01\x01z", b"\x02\x00\x41\x00\x0b\x01b"), b"b\0a"),  # passive skipped
]


@pytest.mark.parametrize(("wasm", "image"), IMAGES)
def test_the_instantiation_image_is_the_active_data_segments(wasm: bytes, image: bytes) -> None:
    assert image_of(wasm) == image


@pytest.mark.parametrize(
    ("wasm", "message"),
    [
        (b"\0elf", "not a wasm module"),
        (_wasm(b"\x00\x23\x00\x0b\x01a"), "a data segment's offset is not a constant"),
    ],
)
def test_an_unknown_module_is_refused(wasm: bytes, message: str) -> None:
    with pytest.raises(ValueError) as err:
        image_of(wasm)
    assert str(err.value) == message


def test_an_image_may_stop_before_its_trailing_zeros() -> None:
    packed = pack(b"HEAD" + b"ab\0\0", 4, b"ab\0\0", 4).data
    assert unpack(packed, b"ab") == b"HEAD" + b"ab\0\0"


ENGINE = Path(__file__).resolve().parents[2] / "sitegen" / "runtime" / "web" / "engine.js"
#: engine.js's CRC-32 of each input (hex) on stdout, one a line; it checks the snapshot and the image.
CRC_SCRIPT = """
globalThis.location = {href: "http://localhost/"};
require(process.argv[1]);
const inputs = JSON.parse(process.argv[2]);
for (const hex of inputs) console.log(globalThis.CalcEngine.crc32(Uint8Array.from(Buffer.from(hex, "hex"))));
"""


def test_the_engines_crc32_is_zlibs() -> None:
    # lengths around its eight-byte steps, and bytes with the high bit set (signed shifts in JavaScript)
    inputs = [bytes(range(256))[:n] for n in (0, 1, 7, 8, 9, 15, 16, 17)]
    inputs += [bytes([0xFF] * 4099), bytes(range(256)) * 40 + b"\x80"]
    command = ["node", "-e", CRC_SCRIPT, str(ENGINE), json.dumps([b.hex() for b in inputs])]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    assert [int(line) for line in done.stdout.split()] == [zlib.crc32(b) for b in inputs]

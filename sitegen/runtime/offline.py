"""The ``file://`` forms of the runtime: classic scripts only (module scripts and workers are refused there).

Pyodide's module factory (``pyodide.asm.mjs``) becomes a classic script that sets
``globalThis.createPyodideModule``; every binary (wasm, snapshot, standard library zip) becomes a script
assigning its gzip, base64-encoded, to ``globalThis.CalcPayloads[<file name>]``. The zip's script is
loaded only when the runtime starts without its snapshot: after a start from the snapshot nothing
reads the zip.
"""

from __future__ import annotations

import base64
import gzip
import json
import re

__all__ = ["FALLBACK_PAYLOAD", "PAYLOADS", "classic_factory", "gzip_bytes", "payload_script"]

#: Files served to Pyodide from payload scripts on file://, in the order the page injects them.
PAYLOADS = ("pyodide.asm.wasm", "snapshot.pages.gz")
#: The payload loaded only for a start without the snapshot.
FALLBACK_PAYLOAD = "stdlib.zip"
_EXPORT = "export default _createPyodideModule;"
#: An export statement (not the word in a string such as "bad export type").
_EXPORT_STATEMENT = re.compile(
    r"(?:^|[;}\s])export\s*(?:\{|\*|(?:default|const|let|var|function|class|async)\b)"
)


def gzip_bytes(data: bytes, level: int = 6) -> bytes:
    """gzip with a fixed header (mtime 0): the same bytes on every build."""
    return gzip.compress(data, compresslevel=level, mtime=0)


def classic_factory(module_text: str) -> str:
    """``pyodide.asm.mjs`` as a classic script defining ``globalThis.createPyodideModule``.

    Raises ValueError when the module does not have the shape this conversion was written for
    (one default export of ``_createPyodideModule``, ``import.meta`` used only as ``import.meta.url``).
    """
    if module_text.count(_EXPORT) != 1:
        raise ValueError(f"pyodide.asm.mjs: expected one {_EXPORT!r}, found {module_text.count(_EXPORT)}")
    if module_text.count("import.meta") != module_text.count("import.meta.url"):
        raise ValueError("pyodide.asm.mjs: import.meta is used for more than its url")
    if _EXPORT_STATEMENT.search(module_text.replace(_EXPORT, "")):
        raise ValueError("pyodide.asm.mjs: an export other than the default one")
    body = module_text.replace(_EXPORT, "").replace("import.meta.url", "__calcScriptURL")
    # strict like the module it was; the script's own URL stands in for import.meta.url
    return (
        '(function () {\n"use strict";\n'
        "var __calcScriptURL = (globalThis.document && document.currentScript"
        ' && document.currentScript.src) || "";\n'
        f"{body}\n"
        "globalThis.createPyodideModule = _createPyodideModule;\n"
        "})();\n"
    )


def payload_script(name: str, data: bytes, *, compressed: bool = False) -> str:
    """A classic script adding ``name``'s bytes, gzipped (unless ``compressed``) and base64-encoded."""
    packed = data if compressed else gzip_bytes(data)
    encoded = base64.b64encode(packed).decode("ascii")
    return f'(globalThis.CalcPayloads = globalThis.CalcPayloads || {{}})[{json.dumps(name)}] = "{encoded}";\n'

"""What both browser benchmarks share: the browser they launch and a quiet local static server.

``served(directory, deployed=True)`` behaves like a server set up as content/pages/hosting.md says:
precompressed ``.br``/``.gz`` copies sent with ``Content-Encoding`` when the browser accepts them (only
the ``encodings`` given: ``("gzip",)`` is a server without Brotli), a year of cache for content-hashed
files, ``no-cache`` for pages. Without ``deployed`` it is Python's plain
static server (no compression, no cache headers), as a folder served by hand would be.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import os
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import brotli  # type: ignore[import-untyped]

#: Debian's chromium, or the one $CHROMIUM names; the flags keep its own background traffic out.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
#: Files whose names carry a content hash (ours and Material's): cached for a year, never revalidated.
HASHED = re.compile(
    r"/assets/(pyodide/[0-9a-f]{12}/|calc/[\w-]+\.[0-9a-f]{8}\.|(stylesheets|javascripts)/.*\.[0-9a-f]{8})"
)


class _Quiet(SimpleHTTPRequestHandler):
    deployed = False
    #: Content-Encoding tokens this server sends precompressed copies for, in its order of preference.
    encodings: tuple[str, ...] = ("br", "gzip")
    #: Accept-Encoding values seen (what the browser offered), for the report.
    offered: set[str] = set()  # noqa: RUF012

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the figures are the output, not the request log

    def send_head(self) -> Any:
        if not self.deployed:
            return super().send_head()
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepted = self.headers.get("Accept-Encoding", "")
        self.offered.add(accepted)
        for token in self.encodings:
            copy = path.with_name(path.name + {"br": ".br", "gzip": ".gz"}[token])
            if path.is_file() and token in accepted and (copy.is_file() or path.suffix == ".html"):
                # pages have no copies: compressed per request, as nginx's `gzip on` or Brotli module do
                body = copy.read_bytes() if copy.is_file() else _compress(path.read_bytes(), token)
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(str(path)))
                self.send_header("Content-Encoding", token)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Vary", "Accept-Encoding")
                self.end_headers()
                return _Body(body)
        return super().send_head()

    def end_headers(self) -> None:
        if self.deployed:
            hashed = HASHED.search(self.path.split("?")[0])
            self.send_header("Cache-Control", "public, max-age=31536000, immutable" if hashed else "no-cache")
        super().end_headers()


def _compress(data: bytes, token: str) -> bytes:
    return brotli.compress(data, quality=5) if token == "br" else gzip.compress(data, 6)


class _Body:
    """A response body already in memory, read by SimpleHTTPRequestHandler.copyfile."""

    def __init__(self, data: bytes) -> None:
        self.data: bytes | None = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = self.data or b"", None
        return data

    def close(self) -> None:
        self.data = None


@contextlib.contextmanager
def served(
    directory: Path, *, deployed: bool = False, encodings: tuple[str, ...] = ("br", "gzip")
) -> Iterator[str]:
    """``directory`` on http://127.0.0.1 at a free port; yields the base URL (trailing slash)."""
    attributes = {"deployed": deployed, "offered": set(), "encodings": encodings}
    handler_class = type("_Handler", (_Quiet,), attributes)
    handler = functools.partial(handler_class, directory=str(directory))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()

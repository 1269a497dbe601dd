"""Content-hashed glue files: every file of ``sitegen/runtime/web/`` published as
``assets/calc/<stem>.<h8><ext>``.

Before hashing, text files get two placeholders replaced: ``"__CALC_CONFIG__"`` (quotes included) by
the runtime configuration as JSON, and ``__URL(name)__`` by the published file name of another glue
file (same directory). A file is hashed after the files it names, so any change reaches every page.

The service worker (``sw.js``) is the exception: it must sit at the site root, whose pages it serves,
under a name that does not change (the browser looks for a new version there). It is published as
``sw.js`` with ``__BUILD__`` replaced by its own content hash, which names its cache; served sites only.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen._files import write_if_changed

__all__ = ["CALC_DIR", "WEB_DIR", "WebAssetError", "WebAssets", "WebRefs", "emit_web", "hashed_name"]

#: Where the glue files are published, relative to the site root.
CALC_DIR = "assets/calc"
#: The glue files' sources.
WEB_DIR = Path(__file__).resolve().parent / "web"
CONFIG_PLACEHOLDER = '"__CALC_CONFIG__"'
BUILD_PLACEHOLDER = "__BUILD__"
#: Glue files published at the site root under their own name (served builds only, not file://).
ROOT_FILES = frozenset({"sw.js"})
_URL = re.compile(r"__URL\(([^()\s]*)\)__")
#: Files whose placeholders are replaced; anything else is published byte for byte.
TEXT_SUFFIXES = frozenset({".js", ".mjs", ".css", ".json", ".html", ".svg", ".txt"})


class WebAssetError(ValueError):
    """A placeholder names no glue file, or glue files name each other in a cycle."""


@dataclass(frozen=True)
class WebRefs:
    """Logical name -> site-root-relative path, e.g. ``"widget.js" -> "assets/calc/widget.1a2b3c4d.js"``."""

    urls: Mapping[str, str]

    def url(self, name: str) -> str:
        """The published path of glue file ``name``; unknown names get their plain, unhashed path."""
        return self.urls.get(name, f"{CALC_DIR}/{name}")

    @classmethod
    def plain(cls) -> WebRefs:
        """Unhashed names, for unit tests that render pages without a runtime."""
        return cls({name: f"{CALC_DIR}/{name}" for name in _sources(WEB_DIR)})


@dataclass(frozen=True)
class WebAssets:
    """The published glue files: their references for the pages and their bytes."""

    refs: WebRefs
    #: Site-root-relative path -> bytes.
    files: Mapping[str, bytes] = field(default_factory=dict)

    def install(self, site_dir: Path) -> int:
        """Write every file into ``site_dir`` unless it holds those bytes already; returns the count
        written."""
        return sum(write_if_changed(Path(site_dir) / rel, data) for rel, data in sorted(self.files.items()))


def hashed_name(name: str, data: bytes) -> str:
    """``runtime.js`` + bytes -> ``runtime.<first 8 hex of sha256>.js``."""
    path = Path(name)
    return f"{path.stem}.{hashlib.sha256(data).hexdigest()[:8]}{path.suffix}"


def _sources(web_dir: Path) -> dict[str, bytes]:
    if not web_dir.is_dir():
        return {}
    return {p.name: p.read_bytes() for p in sorted(web_dir.iterdir()) if p.is_file() and p.name[0] != "."}


def emit_web(config: Mapping[str, Any], web_dir: Path = WEB_DIR) -> WebAssets:
    """Every glue file of ``web_dir`` with placeholders replaced and content-hashed names.

    Raises WebAssetError for ``__URL(x)__`` naming no file of ``web_dir``, or files naming each other in
    a cycle.
    """
    sources = _sources(web_dir)
    if config.get("mode") == "file":  # no service worker from file://
        sources = {name: data for name, data in sources.items() if name not in ROOT_FILES}
    config_json = json.dumps(config, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    names: dict[str, str] = {}  # logical name -> hashed file name
    out: dict[str, bytes] = {}

    def publish(name: str, chain: tuple[str, ...]) -> str:
        if name in names:
            return names[name]
        if name in chain:
            raise WebAssetError(
                f"{web_dir.name}/: __URL()__ names form a cycle: {' -> '.join((*chain, name))}"
            )
        data = sources[name]
        if Path(name).suffix in TEXT_SUFFIXES:
            text = data.decode("utf-8").replace(CONFIG_PLACEHOLDER, config_json)

            def link(match: re.Match[str]) -> str:
                target = match.group(1)
                if target not in sources:
                    raise WebAssetError(
                        f"{web_dir.name}/{name}: {match.group(0)} names no file in {web_dir.name}/"
                    )
                return publish(target, (*chain, name))

            data = _URL.sub(link, text).encode("utf-8")
        if name in ROOT_FILES:
            build = hashlib.sha256(data).hexdigest()[:8]
            names[name] = name
            out[name] = data.replace(BUILD_PLACEHOLDER.encode(), build.encode())
            return name
        names[name] = hashed_name(name, data)
        out[f"{CALC_DIR}/{names[name]}"] = data
        return names[name]

    for name in sources:
        publish(name, ())
    urls = {n: names[n] if n in ROOT_FILES else f"{CALC_DIR}/{names[n]}" for n in sorted(names)}
    return WebAssets(WebRefs(urls), out)

"""The offline bundle as a download of the published site: its facts, and the offline page's section.

``python build.py bundle`` writes the zip and, beside it, ``<zip stem>.json`` with its facts (file name,
size, SHA-256, build date). The served site is built after it with ``SITEGEN_BUNDLE=<that json>``: the
MkDocs hook then publishes the zip as ``downloads/<file>`` and puts a link with the facts where
content/pages/offline.md has ``<!-- sitegen:bundle -->``. Without it (a local build, the bundle's own
copy of the page) that place says how to get the bundle instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["DOWNLOADS", "ENV", "MARKER", "BundleFacts", "facts_of", "read_facts", "section", "write_facts"]

#: The environment variable naming the facts file of a bundle to publish.
ENV = "SITEGEN_BUNDLE"
#: Where the offline page takes the download section.
MARKER = "<!-- sitegen:bundle -->"
#: Where the served site carries the bundle, relative to its root.
DOWNLOADS = "downloads"


@dataclass(frozen=True)
class BundleFacts:
    """What a reader checks before unzipping: which file, how big, its SHA-256, when it was built."""

    file: str
    bytes: int
    sha256: str
    built: str  # ISO date (UTC)


def facts_of(zip_path: Path) -> BundleFacts:
    """The facts of ``zip_path``; the date is ``SOURCE_DATE_EPOCH``'s when set (reproducible builds), else
    today's (UTC)."""
    digest = hashlib.sha256()
    with open(zip_path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return BundleFacts(zip_path.name, zip_path.stat().st_size, digest.hexdigest(), when.date().isoformat())


def write_facts(zip_path: Path) -> Path:
    """Write ``<zip>.json`` beside ``zip_path``; returns its path."""
    out = zip_path.with_suffix(".json")
    out.write_text(json.dumps(asdict(facts_of(zip_path)), indent=1) + "\n", encoding="utf-8")
    return out


def read_facts(path: Path) -> BundleFacts:
    """The facts in ``path``, checked against the zip beside it; ValueError says what does not match."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    facts = BundleFacts(**data)
    zip_path = Path(path).with_name(facts.file)
    if not zip_path.is_file():
        raise ValueError(f"{path}: names {facts.file}, which is not beside it")
    actual = facts_of(zip_path)
    if (actual.bytes, actual.sha256) != (facts.bytes, facts.sha256):
        raise ValueError(
            f"{path}: {facts.file} has changed since its facts were written; run the bundle again"
        )
    return facts


def section(facts: BundleFacts | None, link: str) -> str:
    """The offline page's download section (Markdown): the link and its facts, or how to get the bundle.
    ``link`` is the zip's address relative to the page."""
    if facts is None:
        return (
            "The published site offers the bundle for download on this page. This copy of the site was "
            "built without it: make it yourself as shown under *Making the bundle* below."
        )
    size = f"{facts.bytes / 1e6:.1f} MB"
    return (
        f"**[Download the offline bundle]({link})** ({facts.file}, {size}, built {facts.built}).\n\n"
        "Before you unzip it, you can check that it arrived whole: its SHA-256 checksum is\n\n"
        f"`{facts.sha256}`\n\n"
        "(`sha256sum` on Linux, `shasum -a 256` on macOS, `Get-FileHash` in Windows PowerShell)."
    )

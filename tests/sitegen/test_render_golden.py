"""Golden files: the generated Markdown of one scenario's pages, byte for byte.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/sitegen/test_render_golden.py``
and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitegen.data.model import DataSet
from sitegen.pages.build import build_pages

GOLDEN = Path(__file__).parent / "golden"
#: The pages of the tiny data set's first scenario: its article, its guide, its topic FAQ.
PAGES = ["scenarios/headache-cancer.md", "topics/headache/index.md", "topics/headache/faq.md"]


@pytest.mark.parametrize("src_uri", PAGES)
def test_golden(tiny: DataSet, src_uri: str) -> None:
    page = next(p for p in build_pages(tiny) if p.src_uri == src_uri)
    path = GOLDEN / (src_uri.replace("/", "__"))
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(page.markdown.encode("utf-8"))
    assert path.is_file(), f"no golden file {path.name}: run with UPDATE_GOLDEN=1"
    assert page.markdown.encode("utf-8") == path.read_bytes()

"""Every seed fact (tests/sitegen/seed_facts.yaml) appears in the text of its generated article."""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

FACTS_FILE = Path(__file__).parent / "seed_facts.yaml"
FACTS = yaml.safe_load(FACTS_FILE.read_text(encoding="utf-8")) or {}
CASES = [(scenario, fact) for scenario, facts in sorted(FACTS.items()) for fact in facts]


class _Text(HTMLParser):
    """The visible text of the article body: what a reader sees, entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0  # inside <article>
        self.skip = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.parts.append(data)


@cache
def article_text(site: Path, scenario: str) -> str:
    parser = _Text()
    parser.feed((site / "scenarios" / scenario / "index.html").read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", "".join(parser.parts))


@pytest.mark.parametrize(("scenario", "fact"), CASES, ids=[f"{s}:{f[:40]}" for s, f in CASES])
def test_seed_fact_is_on_the_article(built_site: Path, scenario: str, fact: str) -> None:
    assert fact in article_text(built_site, scenario)

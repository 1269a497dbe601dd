"""Clinical review as data: what a review covers (its fingerprint) and whether it still holds.

A review record names the fingerprint of the content the reviewer read. The fingerprint is
``sha256:`` and the hex SHA-256 of the UTF-8 bytes of one JSON text (keys sorted, no spaces, non-ASCII
kept, dates as YYYY-MM-DD) holding everything the article shows as clinical content:

- ``scenario``: every field of the scenario file except ``review`` itself and the editorial fields
  that never reach the text as clinical content (``matching``, ``related_scenarios``, ``related_tools``);
- ``procedures``: the catalog entry of every study the article rates or recommends (name, modality,
  region, contrast, both radiation levels, their cite and the dose with its cite; not the synonyms);
- ``bands``: the radiation level bands those studies fall in;
- ``topic``: the topic's title, panel and ACR publication;
- ``sources``: the title, kind and address of every source the article cites.

Fields (at any depth) left at their declared default are left out, so a field added to the model later
makes no existing review stale until an editor fills it in.

So a reworded answer, a changed rating, mark or dose, or a re-titled source all make the review stale.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from typing import Any, Literal

from sitegen.data import model

__all__ = ["EDITORIAL_FIELDS", "Fingerprints", "ReviewState"]

#: Scenario fields left out of the fingerprint: the review itself and what only the matcher and links use.
EDITORIAL_FIELDS = ("review", "matching", "related_scenarios", "related_tools")
ReviewState = Literal["none", "current", "stale"]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


def _default(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return dataclasses.MISSING


def _declared(value: Any) -> Any:
    """A dataclass value as plain data, leaving out every field (at any depth) still at its default."""
    if isinstance(value, list):
        return [_declared(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _declared(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) != _default(f)
        }
    return value


def _cites(value: Any) -> list[model.Cite]:
    """Every cite inside a dataclass value, however deep."""
    if isinstance(value, model.Cite):
        return [value]
    if isinstance(value, list):
        return [c for item in value for c in _cites(item)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [c for f in dataclasses.fields(value) for c in _cites(getattr(value, f.name))]
    return []


class Fingerprints:
    """Fingerprints of scenarios over one set of catalogs (their lookups are built once)."""

    def __init__(self, catalogs: model.Catalogs) -> None:
        self.procedures = {p.id: p for p in catalogs.procedures}
        self.bands = {b.level: b for b in catalogs.rrl}
        self.topics = {t.id: t for t in catalogs.topics}
        self.sources = {s.id: s for s in catalogs.sources}

    def content(self, s: model.Scenario) -> dict[str, Any]:
        """The clinical content of one scenario's article, as the fingerprint covers it."""
        scenario = {k: v for k, v in _declared(s).items() if k not in EDITORIAL_FIELDS}
        rec = s.recommendation
        pids = sorted({r.procedure for r in s.ratings} | {rec.procedure, rec.add_on})
        procs = [self.procedures[p] for p in pids if p in self.procedures]
        procedures = {
            p.id: {k: v for k, v in _declared(p).items() if k != "synonyms"} for p in procs
        }
        levels = {lv for p in procs for lv in (p.rrl_adult, p.rrl_pediatric) if lv is not None}
        bands = {str(lv): dataclasses.asdict(self.bands[lv]) for lv in sorted(levels) if lv in self.bands}
        cites = _cites(s) + [c for p in procs for c in _cites(p)]
        ids = {*s.sources, *(c.source for c in cites), *(d for c in cites for d in c.disagrees)}
        sources = {
            i: {"title": self.sources[i].title, "kind": self.sources[i].kind, "url": self.sources[i].url}
            for i in sorted(ids)
            if i in self.sources
        }
        topic = self.topics.get(s.topic)
        return {
            "scenario": scenario,
            "procedures": procedures,
            "bands": bands,
            "topic": {"title": topic.title, "panel": topic.panel, "acr_topic": topic.acr_topic}
            if topic
            else {},
            "sources": sources,
        }

    def of(self, s: model.Scenario) -> str:
        """``sha256:<hex>`` of the scenario's clinical content (see the module docstring)."""
        text = json.dumps(
            self.content(s), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_plain
        )
        return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()

    def state(self, s: model.Scenario) -> ReviewState:
        """none: never reviewed; current: the reviewed content is what the page shows; stale: it changed."""
        if s.review is None:
            return "none"
        return "current" if s.review.fingerprint == self.of(s) else "stale"

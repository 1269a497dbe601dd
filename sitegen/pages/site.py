"""The lookup tables every generated page reads: one ``Site`` per build, over one validated data set.

Pure: no I/O, no clock. Everything is sorted so that the same data always gives the same bytes. The
pages themselves are in ``articles`` (per item) and ``indexes`` (site-wide); ``build`` makes them all.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sitegen.data.export import recommended_name
from sitegen.data.model import Cite, DataSet, Scenario, SiblingVariant, Topic
from sitegen.data.review import Fingerprints
from sitegen.pages.forms import Forms
from sitegen.pages.render import Formatter, GeneratedPage, format_date, md_link, page_url, url
from sitegen.runtime.assets import WebRefs

__all__ = ["TOP_READ_IN", "Site"]

#: What a variant's top rating was read in, by source kind, when not in an ACR document.
TOP_READ_IN = {
    "secondary": "a secondary summary",
    "superseded": "an older, superseded summary",
    "seed": "the source article",
    "paper": "a published paper",
    "report": "a published report",
}


class Site:
    """Lookup tables over the data set, built once so that every page is linear to render.

    The pages are functions of it: per item in ``sitegen.pages.articles``, site-wide in
    ``sitegen.pages.indexes``.
    """

    def __init__(self, ds: DataSet, directory_urls: bool = True, web: WebRefs | None = None) -> None:
        cat = ds.catalogs
        self.ds = ds
        self.directory_urls = directory_urls
        self.web = web or WebRefs.plain()
        self.forms = Forms(cat, directory_urls)
        self.procs = {p.id: p for p in cat.procedures}
        self.names = {p.id: p.name for p in cat.procedures}
        self.topics = {t.id: t for t in sorted(cat.topics, key=lambda t: (t.title.lower(), t.id))}
        self.sources = {s.id: s for s in cat.sources}
        self.rrl = {band.level: band for band in cat.rrl}
        self.scenarios = sorted(ds.scenarios, key=lambda s: s.id)
        self.by_id = {s.id: s for s in self.scenarios}
        self.by_topic: dict[str, list[Scenario]] = defaultdict(list)
        for s in sorted(self.scenarios, key=lambda s: (s.acr_variant.lower(), s.id)):
            self.by_topic[s.topic].append(s)
        self.variants = {v.id: (t, v) for t in cat.topics for v in t.variants}
        self.fmt = Formatter(cat)
        self.fingerprints = Fingerprints(cat)
        self._proc_views: dict[tuple[str, int, int], dict[str, Any]] = {}
        self.rated: dict[str, list[tuple[Scenario, Any]]] = defaultdict(list)
        for s in self.scenarios:
            for r in s.ratings:
                self.rated[r.procedure].append((s, r))
        #: The shared forms file, made on first use by ``calcpages.shared_forms``.
        self.shared_forms: GeneratedPage | None = None

    # --- small views ---------------------------------------------------------------------------

    def link(self, frm: str, to: str, anchor: str = "") -> str:
        """Relative URL for raw HTML, in the URL style of this build."""
        return url(frm, to, anchor, self.directory_urls)

    def file_of(self, s: Scenario) -> str:
        return self.ds.files.get(s.id, f"scenarios/{s.id}.yaml")

    def acr_url(self, sid: str) -> str:
        """The address of an ACR document among the sources, where readers can look a variant up."""
        src = self.sources.get(sid)
        return src.url if src is not None and src.kind == "acr" else ""

    def topic_url(self, topic: Topic) -> str:
        """Where the ACR publishes the topic: the address of its cited ACR source, if any."""
        return self.acr_url(topic.cite.source)

    def review(self, s: Scenario, frm: str) -> dict[str, Any]:
        """The review state of an article and what to print about it (none, current or stale)."""
        state = self.fingerprints.state(s)
        view: dict[str, Any] = {"state": state, "about_url": self.link(frm, "about.md", "clinical-review")}
        if s.review is not None:
            view.update(reviewer=s.review.reviewer, role=s.review.role, date=format_date(s.review.date))
        return view

    def proc_view(self, pid: str, frm: str) -> dict[str, Any]:
        """Shared between pages at the same depth: callers copy it and never change it in place."""
        key = (pid, page_url(frm, self.directory_urls).count("/"), frm.count("/"))
        if key not in self._proc_views:
            self._proc_views[key] = self._proc_view(pid, frm)
        return self._proc_views[key]

    def _proc_view(self, pid: str, frm: str) -> dict[str, Any]:
        p = self.procs[pid]
        return {
            "id": p.id,
            "name": p.name,
            "url": self.link(frm, f"procedures/{p.id}.md"),
            "md": md_link(frm, f"procedures/{p.id}.md"),
            "adult": self.fmt.rrl_view(p.rrl_adult, "adult"),
            "pediatric": self.fmt.rrl_view(p.rrl_pediatric, "pediatric"),
            "dose": self.fmt.dose_view(p),
            # marks shown beside the figures where they were not checked (pages without a source list)
            "rrl_mark": self._unchecked(p.rrl_cite, "rrl"),
            "dose_mark": self._unchecked(p.dose.cite if p.dose else None, "dose"),
        }

    def _unchecked(self, c: Cite | None, fact: str) -> dict[str, Any] | None:
        return self.fmt.cite(c, fact) if c is not None and c.confidence != "verified" else None

    def target(self, ref: str, frm: str) -> dict[str, str] | None:
        """A link to a scenario article or to a sibling variant on its guide; None if unknown."""
        if ref in self.by_id:
            s = self.by_id[ref]
            return {
                "text": s.title,
                "md": md_link(frm, f"scenarios/{s.id}.md"),
                "url": self.link(frm, f"scenarios/{s.id}.md"),
            }
        if ref in self.variants:
            topic, v = self.variants[ref]
            to = f"topics/{topic.id}/index.md"
            return {
                "text": f"{topic.title}: {v.acr_variant}",
                "md": md_link(frm, to, v.id),
                "url": self.link(frm, to, v.id),
            }
        return None

    def recommended_name(self, s: Scenario) -> str:
        """The recommended study, with the study done in the same examination when there is one."""
        return recommended_name(s, self.names)

    def top_of(self, s: Scenario) -> dict[str, Any]:
        rating = next(r for r in s.ratings if r.procedure == s.recommendation.procedure)
        return {
            "proc": self.recommended_name(s),
            "badge": self.fmt.badge(rating.category),
            "cite": self.fmt.cite(rating.cite, "rating"),
        }

    def top_label(self, v: SiblingVariant) -> str:
        """How a variant's top study is introduced: plainly when it was read in an ACR document, otherwise
        by what was read instead, so that a confident badge never stands alone."""
        c = v.top_cite or v.cite
        src = self.sources.get(c.source)
        read_in = TOP_READ_IN.get(src.kind, "") if src else ""
        return (
            f"No ACR rating table was read; {read_in} reports as top-rated" if read_in else "Top-rated study"
        )

    def sibling_top(self, v: SiblingVariant) -> dict[str, Any] | None:
        if not v.top_procedure or v.top_category is None or v.top_procedure not in self.procs:
            return None
        return {
            "proc": self.procs[v.top_procedure].name,
            "badge": self.fmt.badge(v.top_category),
            "cite": self.fmt.cite(v.top_cite or v.cite, "rating"),
        }

    def pediatric(self, population: str, pid: str, frm: str) -> dict[str, Any]:
        """The pediatric RRL of a study, or 'No pediatric level given' for a variant recorded as adult."""
        if population == "adult":
            return self.fmt.adult_only()
        view: dict[str, Any] = self.proc_view(pid, frm)["pediatric"]
        return view

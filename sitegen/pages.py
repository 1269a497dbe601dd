"""Turn a validated data set into the generated Markdown pages: view values here, layout in templates.

Pure: no I/O, no clock. Everything is sorted so that the same data always gives the same bytes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sitegen import calcpages, indexes
from sitegen._fork import in_child
from sitegen.forms import Forms
from sitegen.jsonld import article_jsonld
from sitegen.model import Cite, DataSet, Procedure, Scenario, SiblingVariant, Topic
from sitegen.render import (
    CATEGORY_RANK,
    Formatter,
    GeneratedPage,
    format_date,
    front_matter,
    md_link,
    page_url,
    render,
    url,
)
from sitegen.webassets import WebRefs

# GeneratedPage and page_url re-exported for the hook, tests and callers
__all__ = ["GeneratedPage", "Site", "build_pages", "page_url"]

#: Tool id -> (label, page): each calculator has a page of its own.
TOOL_LINKS = {
    **{
        name: (text.label, calcpages.calculator_src(name))
        for name, text in calcpages.CALCULATOR_PAGES.items()
    },
    "lookup": ("Lookup table of every rating", "lookup/index.md"),
}


class Site:
    """Lookup tables over the data set, built once so that every page is linear to render.

    The per-item pages are its methods; the site-wide ones are in ``sitegen.indexes``.
    """

    def __init__(self, ds: DataSet, directory_urls: bool = True, web: WebRefs | None = None) -> None:
        cat = ds.catalogs
        self.ds = ds
        self.directory_urls = directory_urls
        self.web = web or WebRefs.plain()
        self.forms = Forms(cat, directory_urls)
        self.procs = {p.id: p for p in cat.procedures}
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
        self._proc_views: dict[tuple[str, int, int], dict[str, Any]] = {}
        self.rated: dict[str, list[tuple[Scenario, Any]]] = defaultdict(list)
        for s in self.scenarios:
            for r in s.ratings:
                self.rated[r.procedure].append((s, r))
        self.shared_forms = calcpages.shared_forms(self)

    # --- small views ---------------------------------------------------------------------------

    def link(self, frm: str, to: str, anchor: str = "") -> str:
        """Relative URL for raw HTML, in the URL style of this build."""
        return url(frm, to, anchor, self.directory_urls)

    def file_of(self, s: Scenario) -> str:
        return self.ds.files.get(s.id, f"scenarios/{s.id}.yaml")

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
        }

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

    def top_of(self, s: Scenario) -> dict[str, Any]:
        rating = next(r for r in s.ratings if r.procedure == s.recommendation.procedure)
        return {
            "proc": self.procs[rating.procedure].name,
            "badge": self.fmt.badge(rating.category),
            "cite": self.fmt.cite(rating.cite),
        }

    def sibling_top(self, v: SiblingVariant) -> dict[str, Any] | None:
        if not v.top_procedure or v.top_category is None or v.top_procedure not in self.procs:
            return None
        return {
            "proc": self.procs[v.top_procedure].name,
            "badge": self.fmt.badge(v.top_category),
            "cite": self.fmt.cite(v.cite),
        }

    def reviewed(self, scenarios: Iterable[Scenario]) -> str:
        dates = [s.review.date for s in scenarios]
        return format_date(max(dates)) if dates else "not yet reviewed"

    # --- pages ---------------------------------------------------------------------------------

    def article(self, s: Scenario) -> GeneratedPage:
        me = f"scenarios/{s.id}.md"
        topic = self.topics[s.topic]
        rows = sorted(
            s.ratings, key=lambda r: (CATEGORY_RANK[r.category], self.procs[r.procedure].name.lower())
        )
        cited = [s.acr_cite, *(r.cite for r in s.ratings)]
        cited += [c for r in s.ratings for c in self._proc_cites(self.procs[r.procedure])]
        source_ids = sorted({*s.sources, *(c.source for c in cited)})
        view: dict[str, Any] = {
            "s": s,
            "file": self.file_of(s),
            "reviewed": format_date(s.review.date),
            "guide_md": md_link(me, f"topics/{topic.id}/index.md"),
            "guide_url": self.link(me, f"topics/{topic.id}/index.md"),
            "faq_md": md_link(me, f"topics/{topic.id}/faq.md"),
            "topic": topic,
            "acr_cite": self.fmt.cite(s.acr_cite),
            "rec": {**self.proc_view(s.recommendation.procedure, me), **self.top_of(s)},
            "rows": [
                {
                    **self.proc_view(r.procedure, me),
                    "badge": self.fmt.badge(r.category),
                    "rationale": r.rationale,
                    "cite": self.fmt.cite(r.cite),
                }
                for r in rows
            ],
            "exclusions": [
                {
                    "text": e.text,
                    "link": self.target(e.redirect.scenario or e.redirect.variant, me),
                    "external": e.redirect.external,
                }
                for e in s.exclusions
            ],
            "related": [t for t in (self.target(ref, me) for ref in s.related_scenarios) if t],
            "tools": [
                {"text": TOOL_LINKS[t][0], "md": md_link(me, TOOL_LINKS[t][1])} for t in s.related_tools
            ],
            "faq": [{"id": f"faq-{i}", "q": f.question, "a": f.answer} for i, f in enumerate(s.faq, 1)],
            "sources": [self.fmt.source(sid, n) for n, sid in enumerate(source_ids, 1)],
            # the dose widget under the ratings, its first study the recommended one; iENE where relevant
            "dose_widget": calcpages.widget(
                self,
                "dose",
                me,
                featured=tuple(r.procedure for r in rows),
                prefill={"studies": [{"procedure": s.recommendation.procedure, "count": 1}]},
            ),
            "iene_widget": calcpages.widget(self, "iene", me) if "iene" in s.related_tools else None,
            "iene_md": md_link(me, calcpages.calculator_src("iene")),
        }
        numbers = {sid: n for n, sid in enumerate(source_ids, 1)}
        for row in [*view["rows"], view["rec"]]:
            row["cite"]["num"] = numbers[row["cite"]["id"]]
        view["acr_cite"]["num"] = numbers[s.acr_cite.source]
        meta = {
            "title": s.title,
            "description": s.summary,
            "jsonld": article_jsonld(s, topic, source_ids, self.sources),
            # the ratings table needs the width; the sections stay reachable from the header tabs
            "hide": ["navigation"],
        }
        meta = calcpages.with_assets(self, meta)
        return GeneratedPage(me, front_matter(meta) + render("article.md.j2", **view))

    def _proc_cites(self, p: Procedure) -> list[Cite]:
        return [c for c in (p.rrl_cite, p.dose.cite if p.dose else None) if c is not None]

    def guide(self, topic: Topic) -> GeneratedPage:
        me = f"topics/{topic.id}/index.md"
        articles = self.by_topic.get(topic.id, [])
        entries = [
            {
                "id": s.id,
                "variant": s.acr_variant,
                "title": s.title,
                "summary": s.summary,
                "md": md_link(me, f"scenarios/{s.id}.md"),
                "top": self.top_of(s),
                "written": True,
            }
            for s in articles
        ] + [
            {
                "id": v.id,
                "variant": v.acr_variant,
                "title": "",
                "summary": "",
                "md": "",
                "top": self.sibling_top(v),
                "written": False,
            }
            for v in topic.variants
        ]
        entries.sort(key=lambda e: (not e["written"], e["variant"].lower(), e["id"]))
        view = {
            "topic": topic,
            "cite": self.fmt.cite(topic.cite),
            "entries": entries,
            "files": ["scenarios/catalog/topics.yaml", *(self.file_of(s) for s in articles)],
            "reviewed": self.reviewed(articles),
            "faq_md": "faq.md",
            "n_faq": sum(len(s.faq) for s in articles),
            "matcher": calcpages.widget(self, "scenario-match", me),
            "matcher_md": md_link(me, calcpages.calculator_src("scenario-match")),
        }
        meta = calcpages.with_assets(self, {"title": topic.title, "description": topic.summary})
        return GeneratedPage(me, front_matter(meta) + render("guide.md.j2", **view))

    def topic_faq(self, topic: Topic) -> GeneratedPage:
        me = f"topics/{topic.id}/faq.md"
        articles = [s for s in self.by_topic.get(topic.id, []) if s.faq]
        groups = [
            {
                "title": s.title,
                "md": md_link(me, f"scenarios/{s.id}.md"),
                "faq": [
                    {"q": f.question, "a": f.answer, "url": self.link(me, f"scenarios/{s.id}.md", f"faq-{i}")}
                    for i, f in enumerate(s.faq, 1)
                ],
            }
            for s in articles
        ]
        view = {
            "topic": topic,
            "groups": groups,
            "guide_md": "index.md",
            "files": [self.file_of(s) for s in articles],
            "reviewed": self.reviewed(articles),
        }
        meta = {"title": f"{topic.title}: frequently asked questions", "search": {"exclude": True}}
        return GeneratedPage(me, front_matter(meta) + render("topic_faq.md.j2", **view))

    def procedure(self, p: Procedure) -> GeneratedPage:
        me = f"procedures/{p.id}.md"
        uses = sorted(
            self.rated.get(p.id, []), key=lambda sr: (CATEGORY_RANK[sr[1].category], sr[0].title.lower())
        )
        rows = [
            {
                "title": s.title,
                "url": self.link(me, f"scenarios/{s.id}.md"),
                "topic": self.topics[s.topic].title,
                "badge": self.fmt.badge(r.category),
                "rationale": r.rationale,
                "cite": self.fmt.cite(r.cite),
            }
            for s, r in uses
        ]
        tops = [
            {
                "text": f"{t.title}: {v.acr_variant}",
                "url": self.link(me, f"topics/{t.id}/index.md", v.id),
                "badge": self.fmt.badge(v.top_category),
                "cite": self.fmt.cite(v.cite),
            }
            for t in self.topics.values()
            for v in t.variants
            if v.top_procedure == p.id and v.top_category is not None
        ]
        view = {
            "p": p,
            "view": self.proc_view(p.id, me),
            "rows": rows,
            "tops": tops,
            "rrl_cite": self.fmt.cite(p.rrl_cite) if p.rrl_cite else None,
            "reviewed": self.reviewed(s for s, _ in uses),
            "index_md": "index.md",
        }
        meta = {"title": p.name, "description": f"Where {p.name} is rated and how."}
        return GeneratedPage(me, front_matter(meta) + render("procedure.md.j2", **view))


def build_pages(ds: DataSet, directory_urls: bool = True, web: WebRefs | None = None) -> list[GeneratedPage]:
    """Every generated page of the site, sorted by ``src_uri``, linking in the build's URL style.

    ``web`` names the published glue files of the calculator widgets (unhashed names when None).
    """
    site = Site(ds, directory_urls, web)
    # A forked child renders the lookup table and every other article meanwhile: about half the work.
    theirs, mine = site.scenarios[::2], site.scenarios[1::2]
    wait = in_child(lambda: [indexes.lookup(site), *(site.article(s) for s in theirs)], len(theirs))
    pages = [indexes.home(site), indexes.topics_index(site), indexes.faq_index(site)]
    pages += [indexes.procedures_index(site), *(site.article(s) for s in mine)]
    pages += [page for t in site.topics.values() for page in (site.guide(t), site.topic_faq(t))]
    pages += [site.procedure(p) for p in site.procs.values()]
    pages += [*calcpages.pages(site), site.shared_forms]
    return sorted(pages + wait(), key=lambda p: p.src_uri)

"""The per-item pages: an article per scenario, a guide and an FAQ page per topic, a page per procedure.

Pure: no I/O, no clock. Each reads the lookup tables of ``sitegen.pages.site.Site``.
"""

from __future__ import annotations

from typing import Any

from sitegen.data.model import Cite, Procedure, Scenario, Topic
from sitegen.pages import calcpages
from sitegen.pages.jsonld import article_jsonld
from sitegen.pages.render import CATEGORY_RANK, GeneratedPage, format_date, front_matter, md_link, render
from sitegen.pages.site import Site

__all__ = ["TOOL_LINKS", "article", "guide", "procedure", "topic_faq"]

#: Tool id -> (label, page): each calculator has a page of its own.
TOOL_LINKS = {
    **{
        name: (text.label, calcpages.calculator_src(name))
        for name, text in calcpages.CALCULATOR_PAGES.items()
    },
    "lookup": ("Lookup table of every rating", "lookup/index.md"),
}

def article(site: Site, s: Scenario) -> GeneratedPage:
    me = f"scenarios/{s.id}.md"
    topic = site.topics[s.topic]
    rows = sorted(
        s.ratings, key=lambda r: (CATEGORY_RANK[r.category], site.procs[r.procedure].name.lower())
    )
    cited = [s.acr_cite, *(r.cite for r in s.ratings)]
    cited += [c for r in s.ratings for c in _proc_cites(site.procs[r.procedure])]
    source_ids = sorted({*s.sources, *(c.source for c in cited)})
    view: dict[str, Any] = {
        "s": s,
        "file": site.file_of(s),
        "reviewed": format_date(s.review.date),
        "guide_md": md_link(me, f"topics/{topic.id}/index.md"),
        "guide_url": site.link(me, f"topics/{topic.id}/index.md"),
        "faq_md": md_link(me, f"topics/{topic.id}/faq.md"),
        "topic": topic,
        "acr_cite": site.fmt.cite(s.acr_cite),
        "rec": {**site.proc_view(s.recommendation.procedure, me), **site.top_of(s)},
        "rows": [
            {
                **site.proc_view(r.procedure, me),
                "badge": site.fmt.badge(r.category),
                "rationale": r.rationale,
                "cite": site.fmt.cite(r.cite),
            }
            for r in rows
        ],
        "exclusions": [
            {
                "text": e.text,
                "link": site.target(e.redirect.scenario or e.redirect.variant, me),
                "external": e.redirect.external,
            }
            for e in s.exclusions
        ],
        "related": [t for t in (site.target(ref, me) for ref in s.related_scenarios) if t],
        "tools": [
            {"text": TOOL_LINKS[t][0], "md": md_link(me, TOOL_LINKS[t][1])} for t in s.related_tools
        ],
        "faq": [{"id": f"faq-{i}", "q": f.question, "a": f.answer} for i, f in enumerate(s.faq, 1)],
        "sources": [site.fmt.source(sid, n) for n, sid in enumerate(source_ids, 1)],
        # the dose widget under the ratings, its first study the recommended one; iENE where relevant
        "dose_widget": calcpages.widget(
            site,
            "dose",
            me,
            featured=tuple(r.procedure for r in rows),
            prefill={"studies": [{"procedure": s.recommendation.procedure, "count": 1}]},
        ),
        "iene_widget": calcpages.widget(site, "iene", me) if "iene" in s.related_tools else None,
        "iene_md": md_link(me, calcpages.calculator_src("iene")),
    }
    numbers = {sid: n for n, sid in enumerate(source_ids, 1)}
    for row in [*view["rows"], view["rec"]]:
        row["cite"]["num"] = numbers[row["cite"]["id"]]
    view["acr_cite"]["num"] = numbers[s.acr_cite.source]
    meta = {
        "title": s.title,
        "description": s.summary,
        "jsonld": article_jsonld(s, topic, source_ids, site.sources),
        # the ratings table needs the width; the sections stay reachable from the header tabs
        "hide": ["navigation"],
    }
    meta = calcpages.with_assets(site, meta)
    return GeneratedPage(me, front_matter(meta) + render("article.md.j2", **view))

def _proc_cites(p: Procedure) -> list[Cite]:
    return [c for c in (p.rrl_cite, p.dose.cite if p.dose else None) if c is not None]

def guide(site: Site, topic: Topic) -> GeneratedPage:
    me = f"topics/{topic.id}/index.md"
    articles = site.by_topic.get(topic.id, [])
    entries = [
        {
            "id": s.id,
            "variant": s.acr_variant,
            "title": s.title,
            "summary": s.summary,
            "md": md_link(me, f"scenarios/{s.id}.md"),
            "top": site.top_of(s),
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
            "top": site.sibling_top(v),
            "written": False,
        }
        for v in topic.variants
    ]
    entries.sort(key=lambda e: (not e["written"], e["variant"].lower(), e["id"]))
    view = {
        "topic": topic,
        "cite": site.fmt.cite(topic.cite),
        "entries": entries,
        "files": ["scenarios/catalog/topics.yaml", *(site.file_of(s) for s in articles)],
        "reviewed": site.reviewed(articles),
        "faq_md": "faq.md",
        "n_faq": sum(len(s.faq) for s in articles),
        "matcher": calcpages.widget(site, "scenario-match", me),
        "matcher_md": md_link(me, calcpages.calculator_src("scenario-match")),
    }
    meta = calcpages.with_assets(site, {"title": topic.title, "description": topic.summary})
    return GeneratedPage(me, front_matter(meta) + render("guide.md.j2", **view))

def topic_faq(site: Site, topic: Topic) -> GeneratedPage:
    me = f"topics/{topic.id}/faq.md"
    articles = [s for s in site.by_topic.get(topic.id, []) if s.faq]
    groups = [
        {
            "title": s.title,
            "md": md_link(me, f"scenarios/{s.id}.md"),
            "faq": [
                {"q": f.question, "a": f.answer, "url": site.link(me, f"scenarios/{s.id}.md", f"faq-{i}")}
                for i, f in enumerate(s.faq, 1)
            ],
        }
        for s in articles
    ]
    view = {
        "topic": topic,
        "groups": groups,
        "guide_md": "index.md",
        "files": [site.file_of(s) for s in articles],
        "reviewed": site.reviewed(articles),
    }
    meta = {"title": f"{topic.title}: frequently asked questions", "search": {"exclude": True}}
    return GeneratedPage(me, front_matter(meta) + render("topic_faq.md.j2", **view))

def procedure(site: Site, p: Procedure) -> GeneratedPage:
    me = f"procedures/{p.id}.md"
    uses = sorted(
        site.rated.get(p.id, []), key=lambda sr: (CATEGORY_RANK[sr[1].category], sr[0].title.lower())
    )
    rows = [
        {
            "title": s.title,
            "url": site.link(me, f"scenarios/{s.id}.md"),
            "topic": site.topics[s.topic].title,
            "badge": site.fmt.badge(r.category),
            "rationale": r.rationale,
            "cite": site.fmt.cite(r.cite),
        }
        for s, r in uses
    ]
    tops = [
        {
            "text": f"{t.title}: {v.acr_variant}",
            "url": site.link(me, f"topics/{t.id}/index.md", v.id),
            "badge": site.fmt.badge(v.top_category),
            "cite": site.fmt.cite(v.cite),
        }
        for t in site.topics.values()
        for v in t.variants
        if v.top_procedure == p.id and v.top_category is not None
    ]
    view = {
        "p": p,
        "view": site.proc_view(p.id, me),
        "rows": rows,
        "tops": tops,
        "rrl_cite": site.fmt.cite(p.rrl_cite) if p.rrl_cite else None,
        "reviewed": site.reviewed(s for s, _ in uses),
        "index_md": "index.md",
    }
    meta = {"title": p.name, "description": f"Where {p.name} is rated and how."}
    return GeneratedPage(me, front_matter(meta) + render("procedure.md.j2", **view))

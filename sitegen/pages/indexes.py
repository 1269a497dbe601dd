"""The site-wide pages: home, topic and procedure indexes, every FAQ, and the lookup table of ratings.

Each reads the lookup tables of ``sitegen.pages.Site``; the per-item pages (articles, guides,
procedures) stay in ``sitegen.pages.site``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sitegen.pages import calcpages
from sitegen.pages.render import CATEGORY_RANK, GeneratedPage, front_matter, md_link, render
from sitegen.pages.site import Site

__all__ = ["faq_index", "home", "lookup", "procedures_index", "topics_index"]


def faq_index(site: Site) -> GeneratedPage:
    me = "faq/index.md"
    groups = []
    for topic in site.topics.values():
        items = [
            {"q": f.question, "url": site.link(me, f"scenarios/{s.id}.md", f"faq-{i}"), "title": s.title}
            for s in site.by_topic.get(topic.id, [])
            for i, f in enumerate(s.faq, 1)
        ]
        if items:
            groups.append(
                {"topic": topic, "url": site.link(me, f"topics/{topic.id}/faq.md"), "questions": items}
            )
    view = {"groups": groups}
    meta = {"title": "Frequently asked questions", "search": {"exclude": True}}
    return GeneratedPage(me, front_matter(meta) + render("faq_index.md.j2", **view))


def topics_index(site: Site) -> GeneratedPage:
    me = "topics/index.md"
    panels: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for t in site.topics.values():
        panels[t.panel].append(
            {
                "title": t.title,
                "md": md_link(me, f"topics/{t.id}/index.md"),
                "articles": len(site.by_topic.get(t.id, [])),
                "variants": len(t.variants),
            }
        )
    view = {"panels": sorted(panels.items())}
    return GeneratedPage(
        me,
        front_matter({"title": "Topics", "search": {"exclude": True}}) + render("topics_index.md.j2", **view),
    )


def lookup(site: Site) -> GeneratedPage:
    me = "lookup/index.md"
    rows = []
    for topic in site.topics.values():
        for s in site.by_topic.get(topic.id, []):
            variant = {"text": s.acr_variant, "url": site.link(me, f"scenarios/{s.id}.md")}
            for r in sorted(s.ratings, key=lambda r: (CATEGORY_RANK[r.category], r.procedure)):
                rows.append(
                    {
                        "topic": topic.title,
                        "variant": variant,
                        "top_only": False,
                        "proc": site.proc_view(r.procedure, me),
                        "pediatric": site.pediatric(s.population, r.procedure, me),
                        "badge": site.fmt.badge(r.category),
                        "cite": site.fmt.cite(r.cite, "rating"),
                    }
                )
        for v in topic.variants:
            top = site.sibling_top(v)
            if top:
                rows.append(
                    {
                        "topic": topic.title,
                        "top_only": True,
                        "variant": {
                            "text": v.acr_variant,
                            "url": site.link(me, f"topics/{topic.id}/index.md", v.id),
                        },
                        "proc": site.proc_view(v.top_procedure, me),
                        "pediatric": site.pediatric(v.population, v.top_procedure, me),
                        "badge": top["badge"],
                        "cite": top["cite"],
                    }
                )
    view = {"rows": rows}
    meta = {
        "title": "Lookup table: every variant, study and rating",
        "search": {"exclude": True},
        "hide": ["navigation", "toc"],
    }
    return GeneratedPage(me, front_matter(meta) + render("lookup.md.j2", **view))


def procedures_index(site: Site) -> GeneratedPage:
    me = "procedures/index.md"
    procs = sorted(site.procs.values(), key=lambda p: (p.modality, p.name.lower()))
    rows = [
        {
            **site.proc_view(p.id, me),
            "modality": p.modality,
            "region": p.region,
            "rated": len(site.rated.get(p.id, [])),
        }
        for p in procs
    ]
    view = {"rows": rows}
    return GeneratedPage(
        me,
        front_matter({"title": "Procedures", "search": {"exclude": True}})
        + render("procedures_index.md.j2", **view),
    )


def home(site: Site) -> GeneratedPage:
    me = "index.md"
    topics = [
        {
            "topic": t,
            "url": site.link(me, f"topics/{t.id}/index.md"),
            "scenarios": [
                {"title": s.title, "summary": s.summary, "url": site.link(me, f"scenarios/{s.id}.md")}
                for s in site.by_topic.get(t.id, [])
            ],
            "variants": len(t.variants),
        }
        for t in site.topics.values()
    ]
    # where to look up what this site does not cover: the ACR address of a topic's cited source
    acr_url = next((u for u in (site.topic_url(t) for t in site.topics.values()) if u), "")
    states = [site.fingerprints.state(s) for s in site.scenarios]
    marks = [r.cite.confidence for s in site.scenarios for r in s.ratings] + [
        (v.top_cite or v.cite).confidence for t in site.topics.values() for v in t.variants if v.top_procedure
    ]
    view = {
        "n_ratings": len(marks),
        "n_checked": marks.count("verified"),
        "topics": topics,
        "n_scenarios": len(site.scenarios),
        "n_topics": len(site.topics),
        "n_variants": sum(len(t.variants) for t in site.topics.values()),
        "acr_url": acr_url,
        "n_reviewed": states.count("current"),
        "about_url": site.link(me, "about.md", "clinical-review"),
        "methodology_url": site.link(me, "methodology.md"),
        "matcher": calcpages.widget(site, "scenario-match", me),
        "matcher_url": site.link(me, calcpages.calculator_src("scenario-match")),
        "lookup_url": site.link(me, "lookup/index.md"),
    }
    meta = calcpages.with_assets(site, {"title": "Which imaging study to order", "search": {"exclude": True}})
    return GeneratedPage(me, front_matter(meta) + render("home.md.j2", **view))

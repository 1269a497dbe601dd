"""The per-item pages: an article per scenario, a guide and an FAQ page per topic, a page per procedure.

Pure: no I/O, no clock. Each reads the lookup tables of ``sitegen.pages.site.Site``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sitegen.data.model import Cite, NotThisScenario, Procedure, Rating, RedFlag, Scenario, Topic
from sitegen.pages import calcpages
from sitegen.pages.jsonld import article_jsonld
from sitegen.pages.render import CATEGORY_RANK, CONTRAST_WORDS, GeneratedPage, front_matter, md_link, render
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

#: The iENE helper's starting input in an article, by the article's imaging phase.
IENE_PREFILL = {"after-treatment": {"post_treatment": True}}
_WORKFLOW = (("positive", "Positive"), ("negative", "Negative"), ("indeterminate", "Indeterminate"))
#: The answer card's cases when the recommended study cannot be done, in the order they are shown.
WHEN_LABELS = {
    "no-mri": "If MRI is not possible",
    "no-contrast": "If IV contrast cannot be given",
    "no-mri-no-contrast": "If neither MRI nor IV contrast is possible",
}
#: The word a red flag's urgency is shown by, before the finding (never by colour alone).
URGENCY_WORDS = {"emergency": "Emergency", "urgent": "Urgent"}


class _Citations:
    """The article's cites, numbered by their entry in its source list, in the form the macros print."""

    def __init__(self, site: Site, s: Scenario, rows: list[Rating]) -> None:
        self.fmt = site.fmt
        self.claims: dict[str, list[Cite]] = defaultdict(list)
        for claim in s.claims:
            self.claims[claim.at].append(claim.cite)
        # sources are numbered in the order a reader meets them, from the top of the page down
        top = next(r for r in s.ratings if r.procedure == s.recommendation.procedure)
        before, after = _reading_order(s)
        # the answer card first (rating, fallbacks, red flags, whose first choice), then the summary
        card = [
            top.cite,
            *(f.cite for f in s.fallbacks),
            *(r.cite for r in s.red_flags),
            *(r.cite for r in s.not_this_scenario),
        ]
        card += [c for at in _card_paths(s) for c in self.claims.get(at, [])]
        cited = [*card, *(c for c in (s.recommendation.cite,) if c), *self.claims.get("summary", [])]
        cited += [s.acr_cite, *(c for at in before for c in self.claims.get(at, []))]
        cited += [r.cite for r in rows] + [c for at in after for c in self.claims.get(at, [])]
        cited += [c for r in rows for c in _proc_cites(site.procs[r.procedure])]
        order = [i for c in cited for i in (c.source, *c.disagrees)] + sorted(s.sources)
        self.source_ids = list(dict.fromkeys(order))
        self.numbers = {sid: n for n, sid in enumerate(self.source_ids, 1)}

    def cite(self, c: Cite, fact: str) -> dict[str, Any]:
        view = self.fmt.cite(c, fact)
        return {**view, "num": self.numbers[c.source], "others_num": [self.numbers[i] for i in c.disagrees]}

    def unchecked(self, p: Procedure) -> dict[str, Any]:
        """The cites of a study's radiation level and dose when not checked: shown in their cells."""
        rrl, dose = p.rrl_cite, p.dose.cite if p.dose else None
        return {
            "rrl_cite": self.cite(rrl, "rrl") if rrl and rrl.confidence != "verified" else None,
            "dose_cite": self.cite(dose, "dose") if dose and dose.confidence != "verified" else None,
        }

    def at(self, path: str) -> list[dict[str, Any]]:
        """The cites of the claims made by the text at ``path``."""
        return [self.cite(c, "claim") for c in self.claims.get(path, [])]

    def texts(self, path: str, items: list[str]) -> list[dict[str, Any]]:
        return [{"text": text, "cites": self.at(f"{path}[{i}]")} for i, text in enumerate(items)]


def _card(site: Site, s: Scenario, me: str, cites: _Citations) -> dict[str, Any]:
    """The answer card under the title: what to order, what to do when it cannot be done, and the red
    flags that change the answer, each with its citation. A case the data does not cover (no MRI for an
    MRI, no contrast for a contrast study) says that this page's sources name no alternative."""
    rec = s.recommendation
    p = site.procs[rec.procedure]
    rating = {r.procedure: r.category for r in s.ratings}
    given = {f.when: (i, f) for i, f in enumerate(s.fallbacks)}
    # cases the data leaves out but the recommended study raises: said, never guessed
    unsaid = {"no-mri": p.modality == "MRI", "no-contrast": p.contrast in ("with", "without-and-with")}
    fallbacks: list[dict[str, Any]] = []
    for when in WHEN_LABELS:
        if when not in given:
            if unsaid.get(when):
                none: dict[str, Any] = {"text": "", "proc": None, "cite": None, "claims": []}
                fallbacks.append({"label": WHEN_LABELS[when], **none})
            continue
        i, f = given[when]
        proc = site.proc_view(f.procedure, me) if f.procedure else None
        fallbacks.append(
            {
                "label": WHEN_LABELS[when],
                "text": f.text,
                "proc": {**proc, "badge": site.fmt.badge(rating[f.procedure])} if proc else None,
                "cite": cites.cite(f.cite, "claim"),
                "claims": cites.at(f"fallbacks[{i}].text"),
            }
        )
    flags = [
        {**_finding(site, r, me, cites, f"red_flags[{i}]"), "urgency": URGENCY_WORDS.get(r.urgency or "", "")}
        for i, r in enumerate(s.red_flags)
    ]
    others = [
        _finding(site, r, me, cites, f"not_this_scenario[{i}]") for i, r in enumerate(s.not_this_scenario)
    ]
    # one source and mark for all of the card's advice is said once, under it, not after every line
    given_cites = [f["cite"] for f in fallbacks if f["cite"]] + [r["cite"] for r in (*flags, *others)]
    shared = given_cites[0] if given_cites and all(c == given_cites[0] for c in given_cites) else None
    return {
        "order": rec.order_as or site.recommended_name(s),
        "fallbacks": fallbacks,
        "flags": flags,
        "not_this": others,
        "shared_cite": shared,
    }


def _finding(site: Site, r: RedFlag | NotThisScenario, me: str, cites: _Citations, at: str) -> dict[str, Any]:
    """A red flag or a redirect as the card shows it: the finding, what follows, where to go, its cites."""
    return {
        "flag": r.flag,
        "then": r.then,
        "link": site.target(r.goes_to, me) if r.goes_to else None,
        "cite": cites.cite(r.cite, "claim"),
        "claims": cites.at(f"{at}.then"),
    }


def _card_paths(s: Scenario) -> list[str]:
    """The paths of the answer card's texts that can carry claims of their own, in page order."""
    return (
        [f"fallbacks[{i}].text" for i in range(len(s.fallbacks))]
        + [f"red_flags[{i}].then" for i in range(len(s.red_flags))]
        + [f"not_this_scenario[{i}].then" for i in range(len(s.not_this_scenario))]
    )


def _reading_order(s: Scenario) -> tuple[list[str], list[str]]:
    """The paths of the texts under the answer box that can carry claims, in page order: above the
    ratings table, and below it."""
    above = ["vignette", "fits"]
    above += [f"inclusion[{i}].text" for i in range(len(s.inclusion))]
    above += [f"differential[{i}].text" for i in range(len(s.differential))]
    above += ["recommendation.why"]
    above += [f"recommendation.points[{i}]" for i in range(len(s.recommendation.points))]
    below = [f"workflow.{key}[{i}]" for key, _ in _WORKFLOW for i in range(len(getattr(s.workflow, key)))]
    below += [f"pitfalls[{i}].text" for i in range(len(s.pitfalls))] + ["escalation"]
    below += [f"faq[{i}].answer" for i in range(len(s.faq))]
    return above, below


def article(site: Site, s: Scenario) -> GeneratedPage:
    me = f"scenarios/{s.id}.md"
    topic = site.topics[s.topic]
    # most appropriate first; within a category, the recommended study (and its add-on) first
    chosen = (s.recommendation.procedure, s.recommendation.add_on)
    rows = sorted(
        s.ratings,
        key=lambda r: (
            CATEGORY_RANK[r.category],
            r.procedure not in chosen,
            chosen.index(r.procedure) if r.procedure in chosen else 0,
            site.procs[r.procedure].name.lower(),
        ),
    )
    cites = _Citations(site, s, rows)
    rec = s.recommendation
    rating = {r.procedure: r for r in s.ratings}
    add_on = site.procs[rec.add_on].name if rec.add_on in site.procs else ""
    view: dict[str, Any] = {
        "s": s,
        "files": [site.file_of(s)],
        "review": site.review(s, me),
        "show_pediatric": s.population != "adult",
        "guide_md": md_link(me, f"topics/{topic.id}/index.md"),
        "guide_url": site.link(me, f"topics/{topic.id}/index.md"),
        "faq_md": md_link(me, f"topics/{topic.id}/faq.md"),
        "topic": topic,
        "verbatim": s.acr_variant_wording == "verbatim",
        "acr_cite": cites.cite(s.acr_cite, "variant"),
        "rec": {
            **site.proc_view(rec.procedure, me),
            "name": site.recommended_name(s),
            "heading": site.procs[rec.procedure].name + (f" plus {add_on}" if add_on else ""),
            "badge": site.fmt.badge(rating[rec.procedure].category),
            "rating_cite": cites.cite(rating[rec.procedure].cite, "rating"),
            "chosen_by": cites.cite(rec.cite, "claim") if rec.cite else None,
            "why": {"text": rec.why, "cites": cites.at("recommendation.why")},
            "points": cites.texts("recommendation.points", rec.points),
        },
        "card": _card(site, s, me, cites),
        "summary": {"text": s.summary, "cites": cites.at("summary")},
        "vignette": {"text": s.vignette, "cites": cites.at("vignette")},
        "fits": {"text": s.fits, "cites": cites.at("fits")},
        "inclusion": [
            {"text": c.text, "examples": c.examples, "cites": cites.at(f"inclusion[{i}].text")}
            for i, c in enumerate(s.inclusion)
        ],
        "differential": [
            {"name": d.name, "text": d.text, "cites": cites.at(f"differential[{i}].text")}
            for i, d in enumerate(s.differential)
        ],
        "rows": [
            {
                **site.proc_view(r.procedure, me),
                "badge": site.fmt.badge(r.category),
                "rationale": r.rationale,
                "cite": cites.cite(r.cite, "rating"),
                **cites.unchecked(site.procs[r.procedure]),
            }
            for r in rows
        ],
        "workflow": [
            {"key": key, "label": label, "steps": cites.texts(f"workflow.{key}", getattr(s.workflow, key))}
            for key, label in _WORKFLOW
        ],
        "pitfalls": [
            {"title": p.title, "text": p.text, "cites": cites.at(f"pitfalls[{i}].text")}
            for i, p in enumerate(s.pitfalls)
        ],
        "escalation": {"text": s.escalation, "cites": cites.at("escalation")},
        "exclusions": [
            {
                "text": e.text,
                "link": site.target(e.redirect.scenario or e.redirect.variant, me),
                "external": e.redirect.external,
                "url": e.redirect.url,
            }
            for e in s.exclusions
        ],
        "related": [t for t in (site.target(ref, me) for ref in s.related_scenarios) if t],
        "tools": [{"text": TOOL_LINKS[t][0], "md": md_link(me, TOOL_LINKS[t][1])} for t in s.related_tools],
        "faq": [
            {"id": f"faq-{i}", "q": f.question, "a": f.answer, "cites": cites.at(f"faq[{i - 1}].answer")}
            for i, f in enumerate(s.faq, 1)
        ],
        "sources": [site.fmt.source(sid, n) for n, sid in enumerate(cites.source_ids, 1)],
        # the dose widget under the ratings, its first study the recommended one; iENE where relevant
        "dose_widget": calcpages.widget(
            site,
            "dose",
            me,
            featured=tuple(r.procedure for r in rows),
            prefill={"studies": [{"procedure": rec.procedure, "count": 1}]},
        ),
        # an article about imaging after treatment starts the helper as such: it then states no N category
        "iene_widget": calcpages.widget(site, "iene", me, prefill=IENE_PREFILL.get(s.imaging_phase))
        if "iene" in s.related_tools
        else None,
        "after_treatment": s.imaging_phase == "after-treatment",
        "iene_md": md_link(me, calcpages.calculator_src("iene")),
    }
    meta = {
        "title": s.title,
        "description": s.summary,
        "jsonld": article_jsonld(
            s, topic, cites.source_ids, site.sources, site.fingerprints.state(s) == "current"
        ),
        # the ratings table needs the width; the sections stay reachable from the header tabs
        "hide": ["navigation"],
    }
    meta = calcpages.with_assets(site, meta)
    return GeneratedPage(me, front_matter(meta) + render("article.md.j2", **view))


def _claim_cites(site: Site, s: Scenario, at: str) -> list[dict[str, Any]]:
    """The claims made by one text of ``s``, for pages without a source list."""
    return [site.fmt.cite(c.cite, "claim") for c in s.claims if c.at == at]


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
            "top_label": "Recommended",
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
            "top_label": site.top_label(v),
            # one cite for the variant and its top rating is shown once, with the rating
            "variant_cite": site.fmt.cite(v.cite, "variant") if v.top_cite or not v.top_procedure else None,
            "written": False,
        }
        for v in topic.variants
    ]
    entries.sort(key=lambda e: (not e["written"], e["variant"].lower(), e["id"]))
    view = {
        "topic": topic,
        "cite": site.fmt.cite(topic.cite, "topic"),
        "acr_url": site.topic_url(topic),
        "entries": entries,
        "files": ["scenarios/catalog/topics.yaml", *(site.file_of(s) for s in articles)],
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
                {
                    "q": f.question,
                    "a": f.answer,
                    "url": site.link(me, f"scenarios/{s.id}.md", f"faq-{i}"),
                    "cites": _claim_cites(site, s, f"faq[{i - 1}].answer"),
                }
                for i, f in enumerate(s.faq, 1)
            ],
        }
        for s in articles
    ]
    view = {
        "topic": topic,
        "groups": groups,
        "guide_md": "index.md",
        "files": [site.file_of(s) for s in articles] or ["scenarios/catalog/topics.yaml"],
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
            "cite": site.fmt.cite(r.cite, "rating"),
        }
        for s, r in uses
    ]
    tops = [
        {
            "text": f"{t.title}: {v.acr_variant}",
            "url": site.link(me, f"topics/{t.id}/index.md", v.id),
            "badge": site.fmt.badge(v.top_category),
            "cite": site.fmt.cite(v.top_cite or v.cite, "rating"),
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
        "contrast": CONTRAST_WORDS[p.contrast],
        "rrl_cite": site.fmt.cite(p.rrl_cite, "rrl") if p.rrl_cite else None,
        "acr_url": site.acr_url(p.rrl_cite.source) if p.rrl_cite else "",
        "files": ["scenarios/catalog/procedures.yaml"],
        "index_md": "index.md",
    }
    meta = {"title": p.name, "description": f"Where {p.name} is rated and how."}
    return GeneratedPage(me, front_matter(meta) + render("procedure.md.j2", **view))

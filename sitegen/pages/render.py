"""How generated pages look: the Jinja environment, and how values are written (badges, RRL marks,
doses, citations, dates, links between pages).

One environment is built per process and its compiled templates are reused for every page: at
1,200 scenarios, re-creating environments or re-parsing templates would dominate generator time.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
from markupsafe import Markup

from calculator import CATEGORY_LABELS
from sitegen.data.export import rrl_symbol  # the symbols the calculators' catalog carries too
from sitegen.data.model import Catalogs, Cite, Procedure, RrlBand
from sitegen.data.provenance import EXPLAINED, mark_words
from sitegen.pages import text as text_policy

__all__ = [
    "CATEGORY_ICON",
    "CATEGORY_LABEL",
    "CATEGORY_RANK",
    "CONTRAST_WORDS",
    "KIND_LABELS",
    "Formatter",
    "GeneratedPage",
    "format_date",
    "format_msv",
    "front_matter",
    "macro",
    "md_link",
    "msv_band",
    "page_url",
    "render",
    "rrl_symbol",
    "url",
]

TEMPLATES = Path(__file__).parent / "templates"

#: Labels exactly as the ACR words them, shared with the calculators' reports.
CATEGORY_LABEL: dict[str, str] = CATEGORY_LABELS
#: An icon per category so that the badge never depends on colour alone.
CATEGORY_ICON = {
    "usually-appropriate": "✔",
    "may-be-appropriate": "◐",
    "may-be-appropriate-disagreement": "⚖",
    "usually-not-appropriate": "✘",
}
#: Sort order: most appropriate first.
CATEGORY_RANK = {key: rank for rank, key in enumerate(CATEGORY_LABEL)}
#: IV contrast as a reader says it.
CONTRAST_WORDS = {
    "none": "no contrast",
    "with": "with IV contrast",
    "without": "without IV contrast",
    "without-and-with": "without and with IV contrast",
    "not-applicable": "contrast not applicable",
}
#: What sort of document a source is, beside its entry in an article's source list.
KIND_LABELS = {
    "acr": "ACR document",
    "paper": "peer-reviewed paper",
    "report": "report or guideline",
    "seed": "source article by one publisher, not an ACR document",
    "secondary": "secondary summary, not the original",
    "superseded": "superseded version",
}

#: How a page introduces a dose's low and high when they are not a range the source reports.
_SPREAD_LEAD = {
    "sd": "mean ± 1 SD:",
    "editions": "the two chart editions give",
    "sources": "two sources give",
    "activity": "over the usual administered activity,",
}
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def format_date(day: dt.date) -> str:
    """``29 May 2026``: spelled out so that no reader confuses day and month."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_msv(value: float) -> str:
    """A dose figure without trailing zeros: 0.1, 1, 10, 2.5."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text or "0"


def msv_band(low: float, high: float) -> str:
    """An RRL band in words: ``0 mSv``, ``<0.1 mSv`` or ``1–10 mSv`` (en dash)."""
    if high == 0:
        return "0 mSv"
    if low == 0:
        return f"<{format_msv(high)} mSv"
    return f"{format_msv(low)}–{format_msv(high)} mSv"


def _replace(text: str) -> str:
    # the same five replacements, in the same order, as markupsafe's pure-Python fallback
    return (
        text.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


#: markupsafe's own escaping of a plain str (its C speedup where built), else the same replacements.
_escape_text: Callable[[str], str] = getattr(markupsafe, "_escape_inner", _replace)


def _escape(value: Any) -> str:
    """``markupsafe.escape`` minus its ``Markup`` wrapper, which costs more than the escaping itself.

    Only for the pieces a compiled template writes out: Jinja marks the joined output of a macro or
    ``set`` block as ``Markup`` itself, so nothing is escaped twice.
    """
    if type(value) is str:
        return _escape_text(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return _escape_text(str(value))


class _Template(jinja2.Template):
    """A compiled template whose output goes through ``_escape``: the same text, a third less time."""

    @classmethod
    def from_code(
        cls,
        environment: jinja2.Environment,
        code: Any,
        globals: Any,
        uptodate: Any = None,
    ) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        # `escape` is a global of the module the template compiled to; its functions look it up per call
        template.root_render_func.__globals__["escape"] = _escape
        return template


@dataclass(frozen=True)
class GeneratedPage:
    """A page that exists only in memory: where it goes under docs_dir, and its Markdown."""

    src_uri: str
    markdown: str


class _Environment(jinja2.Environment):
    """View values are plain dicts: look ``a.b`` up as a key first instead of failing getattr first."""

    template_class = _Template

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


@cache
def _env() -> jinja2.Environment:
    # autoescape for HTML; data text in Markdown lines goes through `md` as well (sitegen.pages.text)
    env = _Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(md=text_policy.md, href=text_policy.href)
    return env


def macro(name: str, *args: Any) -> Markup:
    """Call one macro of ``macros.md.j2`` from Python, to render a repeated fragment only once."""
    return Markup(getattr(_env().get_template("macros.md.j2").module, name)(*args))


def render(template: str, **context: Any) -> str:
    """Render one template of ``sitegen/pages/templates`` with prepared view values."""
    return _env().get_template(template).render(**context)


def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """The site URL of a page, relative to the site root: ``scenarios/x/`` (or ``scenarios/x.html``)."""
    if not directory_urls:
        # what MkDocs writes when use_directory_urls is off, as the offline plugin sets it
        return src_uri[: -len(".md")] + ".html"
    if src_uri == "index.md":
        return ""
    if src_uri.endswith("index.md"):
        return src_uri[: -len("index.md")]
    return src_uri[: -len(".md")] + "/"


def up_to_root(frm: str, directory_urls: bool = True) -> str:
    """The relative way from page ``frm`` back to the site root: ``""`` at the top, else ``../`` per level."""
    return "../" * page_url(frm, directory_urls).count("/")


def url(frm: str, to: str, anchor: str = "", directory_urls: bool = True) -> str:
    """Relative URL from page ``frm`` to page ``to``, for raw HTML where MkDocs rewrites nothing."""
    # via the site root rather than posixpath.relpath: same result for the browser, 20x cheaper
    return (up_to_root(frm, directory_urls) + page_url(to, directory_urls) or "./") + (
        f"#{anchor}" if anchor else ""
    )


def md_link(frm: str, to: str, anchor: str = "") -> str:
    """Relative ``.md`` link for Markdown, which MkDocs checks and rewrites."""
    return "../" * frm.count("/") + to + (f"#{anchor}" if anchor else "")


def front_matter(meta: dict[str, Any]) -> str:
    """The YAML front matter MkDocs reads into ``page.meta``; title and description as the theme's HTML."""
    meta = {k: text_policy.meta(v) if k in text_policy.META_KEYS else v for k, v in meta.items()}
    # JSON is valid YAML: one line per key, read back by MkDocs' CSafeLoader
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False, sort_keys=True)}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


class Formatter:
    """How values look on every page: badges, RRL marks, doses, citations. Cached: each is built once."""

    def __init__(self, catalogs: Catalogs) -> None:
        self.rrl: dict[int, RrlBand] = {band.level: band for band in catalogs.rrl}
        self.sources = {s.id: s for s in catalogs.sources}
        self._badges: dict[str, dict[str, Any]] = {}
        self._rrls: dict[tuple[int | str | None, str], dict[str, Any]] = {}

    def badge(self, category: str) -> dict[str, Any]:
        if category not in self._badges:
            icon, label = CATEGORY_ICON[category], CATEGORY_LABEL[category]
            view = dict(key=category, icon=icon, label=label, rank=CATEGORY_RANK[category])
            view["html"] = macro("badge", view)
            self._badges[category] = view
        return self._badges[category]

    def rrl_view(self, level: int | None, who: str) -> dict[str, Any]:
        if (level, who) not in self._rrls:
            view = self._rrl_view(level, who)
            self._rrls[level, who] = dict(view or {}, known=view is not None, html=macro("rrl", view))
        return self._rrls[level, who]

    def _rrl_view(self, level: int | None, who: str) -> dict[str, Any] | None:
        if level is None:
            return None
        band = self.rrl.get(level)
        if band is None:  # validation guarantees a band; keep rendering honest if it ever lacks one
            rng = "band not given"
        elif who == "adult":
            rng = msv_band(band.adult_min_msv, band.adult_max_msv)
        else:
            rng = msv_band(band.pediatric_min_msv, band.pediatric_max_msv)
        return {"level": level, "symbol": rrl_symbol(level), "text": f"RRL {level} ({who} {rng})"}

    def adult_only(self) -> dict[str, Any]:
        """In place of a pediatric RRL, for a variant that covers adults only."""
        if ("adult-only", "pediatric") not in self._rrls:
            self._rrls["adult-only", "pediatric"] = dict(known=False, html=macro("adult_only"))
        return self._rrls["adult-only", "pediatric"]

    def dose_view(self, p: Procedure) -> dict[str, Any]:
        if p.dose is None:
            return dict(known=False, html=macro("dose", None))
        d = p.dose
        text = f"{format_msv(d.typical_msv)} mSv"
        if d.low_msv != d.high_msv:
            # a measured mean ± 1 SD, or two editions' or sources' figures, is not a range: say which
            what = _SPREAD_LEAD.get(d.spread, "range")
            text += f" ({what} {format_msv(d.low_msv)}–{format_msv(d.high_msv)} mSv)"
        view = dict(typical=d.typical_msv, text=text, cite=self.cite(d.cite, "dose"), known=True)
        return dict(view, html=macro("dose", view))

    def cite(self, c: Cite, fact: str) -> dict[str, Any]:
        """A cite as readers see it: its source by name, how sure we are in words, and why when unsure.

        ``fact`` is what the cite supports (see ``sitegen.data.provenance.FACTS``); it decides the words.
        """
        src = self.sources.get(c.source)
        kind = src.kind if src else ""
        return {
            "id": c.source,
            "title": src.title if src else "",
            "short": self.short(c.source),
            "url": src.url if src else "",
            "words": mark_words(fact, kind, c.confidence, bool(c.disagrees)),
            # the reason is shown beside the mark whenever the figure is not settled
            "note": c.note if c.confidence in EXPLAINED else "",
            "others": [self.short(i) for i in c.disagrees],
            "other_ids": list(c.disagrees),
        }

    def short(self, sid: str) -> str:
        """The short citation of a source, for tables and inline mentions."""
        src = self.sources.get(sid)
        return (src.short or src.title) if src else "an unknown source"

    def source(self, sid: str, num: int) -> dict[str, Any]:
        src = self.sources.get(sid)
        return {
            "id": sid,
            "num": num,
            "title": src.title if src else "an unknown source",
            "url": src.url if src else "",
            "kind": KIND_LABELS.get(src.kind, "") if src else "",
        }

"""The text policy: every string an editor writes is plain text wherever a page shows it.

No field of the data allows formatting (the model says so), so each output context has one rule:

* HTML (the ``sitegen:html`` regions, attributes): Jinja's autoescape.
* Markdown (headings, list items, link texts): the ``md`` filter. Line breaks become spaces and
  every character that Markdown or one of our extensions reads as syntax is backslash-escaped, then
  the text is HTML-escaped: no emphasis, link, image, attribute list or raw HTML can come from data,
  and a heading keeps its ``{ #anchor }`` whatever its text.
* Page meta (``title``, ``description``), which the theme writes as HTML into ``<title>``, the
  description ``<meta>``, the page header and the search index: ``meta``, applied by
  ``render.front_matter``.
* Links: only from URL fields, which validation restricts to http(s); the ``href`` filter refuses
  anything else at render time as well.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape

__all__ = ["META_KEYS", "href", "md", "meta"]

#: Front-matter keys the theme writes out as HTML.
META_KEYS = ("title", "description")
#: Markdown's and our extensions' syntax characters anywhere in a line: escapes, code, emphasis,
#: attribute lists, links and images, headings' closing hashes, table cells. (<, > and & are
#: HTML-escaped instead.)
_SYNTAX = re.compile(r"([\\`*_{}\[\]#!|])")
#: What starts a nested list when it begins a list item's text: a dash, a plus, or "12.".
_LIST_START = re.compile(r"^(?:([-+])|(\d+)\.)")
_SPACE = re.compile(r"[ \t\r\n\f\v]+")
#: Absolute http(s) addresses with a host, or paths within the site (no scheme, no "//" host).
_SAFE_URL = re.compile(r"https?://[^\s/?#\\]+(?:[/?#]\S*)?|(?![a-zA-Z][a-zA-Z0-9+.-]*:|//|\\)\S*")


def _one_line(value: Any) -> str:
    return _SPACE.sub(" ", str(value)).strip()


def md(value: Any) -> Markup:
    """``value`` as plain text inside a line of Markdown (see the module docstring)."""
    text = _SYNTAX.sub(r"\\\1", _one_line(value))
    text = _LIST_START.sub(lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\.", text)
    return Markup(escape(text))


def meta(value: Any) -> str:
    """``value`` as the HTML the theme expects of a page's title or description."""
    return str(escape(_one_line(value)))


def href(url: Any) -> str:
    """``url`` if it is an http(s) address or a path within the site; ValueError otherwise."""
    text = str(url)
    if not _SAFE_URL.fullmatch(text):
        raise ValueError(f"refusing to link to {text!r}: only http(s) addresses and site paths are links")
    return text

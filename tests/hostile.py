"""Hostile text for the text-policy tests: what each text field of ``hostile_site`` holds."""

from __future__ import annotations

__all__ = ["HOSTILE", "TEXT_FIELDS", "hostile_text"]

#: Markup of every kind an editor might type, or an attacker plant, in a text field: HTML breaking out
#: of an attribute, a script, a Markdown image with an event handler, a javascript: link, an attribute
#: list, emphasis, code, a heading's closing hash, a table cell, an entity, a list marker.
HOSTILE = (
    '1. x"><script>alert(1)</script> ![i](data:,x){: onerror=alert(2) } '
    "[L](javascript:alert(3)) {x} 7*7 _u_ `c` # | \\ &amp; <!-- - + >"
)
#: Fields of the data whose text is shown on some page (ids, urls, enums and numbers excluded).
TEXT_FIELDS = frozenset(
    {
        *("title", "summary", "acr_variant", "vignette", "fits", "text", "examples", "name", "why", "points"),
        *("order_as", "rationale", "positive", "negative", "indeterminate", "escalation", "question"),
        *("answer", "reviewer", "external", "keywords", "region", "synonyms", "label", "help", "panel"),
        *("acr_topic", "note", "role", "short"),
    }
)


def hostile_text(field: str) -> str:
    """The hostile text put in ``field``: HOSTILE, then the field's name (one line, as pages show it)."""
    return f"{HOSTILE} {field}"

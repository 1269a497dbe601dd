"""The text policy's rules (sitegen/pages/text.py), case by case; test_text_policy.py checks whole pages."""

from __future__ import annotations

import pytest

from sitegen.pages import text

MD_CASES = [
    ("7*7 and _u_", "7\\*7 and \\_u\\_"),
    ("{x} [L](javascript:x) ![i](y)", "\\{x\\} \\[L\\](javascript:x) \\!\\[i\\](y)"),
    ("`c` # a | b \\", "\\`c\\` \\# a \\| b \\\\"),
    ('<b>&amp;"', "&lt;b&gt;&amp;amp;&#34;"),
    ("1. first", "1\\. first"),
    ("- item", "\\- item"),
    ("+ item", "\\+ item"),
    ("a\n\n    code\tb  ", "a code b"),
    ("Variant 1: adults (JACR 2019).", "Variant 1: adults (JACR 2019)."),
]


@pytest.mark.parametrize(("value", "expected"), MD_CASES)
def test_md_escapes_markdown_syntax_and_html(value: str, expected: str) -> None:
    assert str(text.md(value)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [('x"><script>', "x&#34;&gt;&lt;script&gt;"), ("a\nb  c", "a b c"), ("it's", "it&#39;s")],
)
def test_meta_is_the_html_of_one_line_of_text(value: str, expected: str) -> None:
    assert text.meta(value) == expected


@pytest.mark.parametrize(
    "url", ["https://acsearch.acr.org/list", "http://x.org", "../scenarios/x/", "#src-1", "a/b.html"]
)
def test_href_keeps_web_addresses_and_site_paths(url: str) -> None:
    assert text.href(url) == url


REFUSED_URLS = [
    *("javascript:alert(1)", "JavaScript:x", "data:,x", "vbscript:x"),  # schemes that run or carry code
    *("//evil.org/", "\\\\evil.org", "https://"),  # another host without a scheme, or no host at all
]


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_href_refuses_everything_else(url: str) -> None:
    with pytest.raises(ValueError, match="only http"):
        text.href(url)



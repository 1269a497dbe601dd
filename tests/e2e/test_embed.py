"""Issue 4, items 3 and 6: each calculator embedded in an intranet page on another origin, under the CSP
that content/pages/embed.md documents.

The site is served on http://localhost:P1 with the documented Content-Security-Policy on every
response; the intranet page is served on http://127.0.0.1:P2 (another origin: another host name) and
holds the copy-paste snippet exactly as the calculator page shows it, with only the placeholder
address replaced. Negative controls prove the policy is really applied, so the tests cannot pass
with the header missing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Frame, FrameLocator, Page, expect

from .conftest import PROVOKE, PageWatch, serve

pytestmark = pytest.mark.e2e

EMBED_DOC = Path(__file__).resolve().parents[2] / "content" / "pages" / "embed.md"
#: The policy an intranet serves the site with ({intranet}: the origin allowed to frame it).
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; "
    "style-src 'self'; img-src 'self' data:; frame-ancestors {intranet}"
)
HEIGHT_MESSAGE = "calc-embed:height"
#: Records every height message the intranet page receives (beside the snippet's own listener).
RECORDER = f"""<script>
window.__heights = [];
window.addEventListener("message", (event) => {{
  if (event.data && event.data.type === "{HEIGHT_MESSAGE}") window.__heights.push(event.data);
}});
</script>"""
#: How Chromium words a refusal in the console (older versions began "Refused to"), and ours.
REFUSED = (
    r"violates the following Content Security Policy directive|^console error: Refused to |CSP violation: "
)
#: What the runtime says (console.info) when it falls back: snapshot refused, or no worker.
FALLBACK = re.compile(r"snapshot was refused|worker did not start")


@dataclass(frozen=True)
class Origins:
    site: str  # where the site is served, under the CSP
    intranet: str  # the embedding page's origin: the only one frame-ancestors allows
    intranet_dir: Path  # files served on ``intranet`` (and on the third origin of the controls)

    @property
    def stranger(self) -> str:
        """The intranet server under another host name: an origin frame-ancestors does not allow."""
        return self.intranet.replace("127.0.0.1", "localhost")


# --- the documented policy and snippet ---------------------------------------------------------


def fenced_blocks(markdown: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"^```[^\n]*\n(.*?)^```", markdown, re.M | re.S)]


def documented_csp() -> str:
    """The policy of content/pages/embed.md, on one line, without the header name."""
    blocks = [b for b in fenced_blocks(EMBED_DOC.read_text(encoding="utf-8")) if "default-src" in b]
    assert len(blocks) == 1, f"{EMBED_DOC}: expected one code block with the policy, found {len(blocks)}"
    text = " ".join(blocks[0].split())
    return re.sub(r"^Content-Security-Policy:\s*", "", text)


def snippet(built_site: Path, name: str) -> str:
    """The copy-paste snippet the calculator page shows, as text."""
    page = (built_site / "calculators" / name / "index.html").read_text(encoding="utf-8")
    codes = re.findall(r"<code[^>]*>(.*?)</code>", page, re.S)
    blocks = [html.unescape(re.sub(r"<[^>]+>", "", code)) for code in codes]  # any highlighting dropped
    found = [b for b in blocks if "<iframe" in b and f"embed/{name}/" in b]
    assert len(found) == 1, f"calculators/{name}/: expected one snippet with an iframe, found {len(found)}"
    return found[0]


def intranet_page(snippet_text: str, site: str, name: str) -> str:
    """The snippet put in a plain page, its placeholder address replaced by ``site``."""
    src = re.search(r"<iframe[^>]*\ssrc=\"([^\"]+)\"", snippet_text)
    assert src, f"the {name} snippet has no iframe src"
    parts = urlsplit(src.group(1))
    placeholder = f"{parts.scheme}://{parts.netloc}"
    body = snippet_text.replace(placeholder, site.rstrip("/"))
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Intranet: {name}</title>'
        '<link rel="icon" href="data:,">'
        f"{RECORDER}</head>\n<body><h1>Ward tools</h1>\n{body}\n</body></html>\n"
    )


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def origins(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Origins]:
    intranet_dir = tmp_path_factory.mktemp("intranet")
    with serve(intranet_dir) as intranet_port:
        intranet = f"http://127.0.0.1:{intranet_port}"
        with serve(built_site, {"Content-Security-Policy": CSP.format(intranet=intranet)}) as site_port:
            yield Origins(f"http://localhost:{site_port}/", intranet, intranet_dir)


def open_intranet(page: Page, built_site: Path, origins: Origins, name: str, origin: str = "") -> Frame:
    """Open the intranet page embedding ``name``; returns the embed's frame once its document loaded."""
    (origins.intranet_dir / f"{name}.html").write_text(
        intranet_page(snippet(built_site, name), origins.site, name), encoding="utf-8"
    )
    page.goto(f"{origin or origins.intranet}/{name}.html")
    page.locator("iframe").wait_for(state="attached")
    frame = page.locator("iframe").element_handle().content_frame()
    assert frame is not None
    frame.wait_for_load_state()
    return frame


# --- tests ---------------------------------------------------------------------------------------


def test_the_tested_policy_is_the_documented_one() -> None:
    documented = documented_csp()
    before, after = CSP.split("{intranet}")
    assert re.fullmatch(re.escape(before) + r"\S+" + re.escape(after), documented), documented


def test_the_documented_snippet_is_the_calculator_pages_one(built_site: Path) -> None:
    # embed.md shows the dose calculator's snippet; the tests below embed each page's own snippet.
    documented = [b for b in fenced_blocks(EMBED_DOC.read_text(encoding="utf-8")) if "<iframe" in b]
    assert [b.strip() for b in documented] == [snippet(built_site, "dose").strip()]


#: calculator, what is entered (control data-path -> value) and words its report must hold.
CASES = [
    pytest.param(
        "scenario-match",
        {"facts": ["known-cancer", "neck-pain"], "text": "new neck pain, no fever"},
        "Which imaging first for new neck pain in a patient with cancer?",
        id="scenario-match",
    ),
    pytest.param(
        "iene",
        {"findings[0].finding": "fat-projections", "findings[0].certainty": "unequivocal"},
        "Grade 1, iENE-positive",
        id="iene",
    ),
    pytest.param(
        "dose",
        {"studies[0].procedure": "ct-head-with", "studies[0].count": "2"},
        "CT head with IV contrast x2: about 2 mSv each",
        id="dose",
    ),
]
#: The last height the intranet page received from ``name`` once the iframe has taken it (as its
#: style height or height attribute, and as its rendered height), and only if above ``above``.
HEIGHT_TAKEN = """([name, above]) => {
  const last = window.__heights.filter((m) => m.calculator === name).at(-1);
  if (!last || !Number.isInteger(last.height) || last.height <= above) return 0;
  const frame = document.querySelector("iframe");
  const set = frame.style.height === `${last.height}px` || frame.getAttribute("height") === `${last.height}`;
  return set && Math.round(frame.getBoundingClientRect().height) === last.height ? last.height : 0;
}"""


def fill(scope: FrameLocator, path: str, value: str | list[str]) -> None:
    """Enter ``value`` in the control whose data-path is ``path``, the way its data-kind asks."""
    control = scope.locator(f"[data-path='{path}']")
    kind = control.get_attribute("data-kind")
    if kind == "checkboxes":
        for item in value:
            control.locator(f"input[value='{item}']").check()
    elif kind == "radios":
        control.locator(f"input[value='{value}']").check()
    elif kind == "select":
        control.select_option(value)
    else:
        control.fill(str(value))


def height_taken(page: Page, name: str, above: int = 0) -> int:
    return int(page.wait_for_function(HEIGHT_TAKEN, arg=[name, above], timeout=30_000).json_value())


@pytest.mark.parametrize(("name", "entries", "expected"), CASES)
def test_embedded_calculator_under_the_policy(
    page: Page,
    page_watch: PageWatch,
    built_site: Path,
    origins: Origins,
    name: str,
    entries: dict[str, str | list[str]],
    expected: str,
) -> None:
    workers: list[str] = []
    fallbacks: list[str] = []
    page.on("worker", lambda worker: workers.append(worker.url))
    page.on("console", lambda msg: fallbacks.append(msg.text) if FALLBACK.search(msg.text) else None)
    frame = open_intranet(page, built_site, origins, name)
    assert frame.url.startswith(f"{origins.site}embed/{name}/"), frame.url
    embed = page.frame_locator("iframe")
    expect(embed.locator(f"[data-testid='calc-{name}']")).to_have_attribute(
        "data-state", "ready", timeout=60_000
    )
    before = height_taken(page, name)

    for path, value in entries.items():
        fill(embed, path, value)
    embed.locator("[data-testid='calc-submit']").click()
    expect(embed.locator("[data-testid='calc-report']")).to_contain_text(expected)
    # The result makes the embed taller: it posts the new height and the snippet applies it.
    assert height_taken(page, name, above=before) > before

    # The fast path ran under the policy: a worker from the site, no fallback without snapshot or worker.
    assert [url for url in workers if url.startswith(f"{origins.site}assets/")], workers
    assert fallbacks == []
    assert frame.evaluate("() => window.__csp") == []
    assert page.evaluate("() => window.__csp") == []
    # The page watch fails the test on any console error (CSP refusals included) or outside request.
    seen = [urlsplit(url) for url in page_watch.requests if url.startswith("http")]
    origins_seen = {f"{u.scheme}://{u.netloc}" for u in seen}
    assert origins_seen <= {origins.site.rstrip("/"), origins.intranet}, origins_seen


def test_the_policy_is_applied_to_the_embed(
    page: Page, page_watch: PageWatch, built_site: Path, origins: Origins
) -> None:
    # Negative control: under the header, an inline script and an inline style are refused in the embed.
    page_watch.allow_error(REFUSED)
    frame = open_intranet(page, built_site, origins, "dose")
    frame.evaluate(PROVOKE)
    frame.wait_for_function("() => window.__csp.length >= 4")
    assert frame.evaluate("() => window.__inlineRan === true") is False
    # each refused twice: by the header (the only one with frame-ancestors) and by the page's own meta tag
    refusals = sorted(
        (v["directive"], "frame-ancestors" in v["policy"]) for v in frame.evaluate("() => window.__csp")
    )
    assert refusals == [
        ("script-src-elem", False),
        ("script-src-elem", True),
        ("style-src-attr", False),
        ("style-src-attr", True),
    ]


def test_frame_ancestors_refuses_other_origins(
    page: Page, page_watch: PageWatch, built_site: Path, origins: Origins
) -> None:
    # Negative control: the same intranet page on an origin the policy does not name shows no widget.
    page_watch.allow_error(r"(Framing|Refused to frame) .*frame-ancestors")
    frame = open_intranet(page, built_site, origins, "dose", origin=origins.stranger)
    expect(page.locator("iframe")).to_be_attached()
    assert frame.locator("[data-testid='calc-dose']").count() == 0
    assert any("frame-ancestors" in error for error in page_watch.errors), page_watch.errors

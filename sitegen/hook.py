"""MkDocs hooks (``hooks: [sitegen/hook.py]``): load and check the data, add the generated pages.

MkDocs loads this file by path as its own module, so it keeps no state that the package shares:
everything it needs is computed in ``on_config`` and kept for the build that follows.
"""

from __future__ import annotations

import calendar
import logging
import os
import re
import time
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from sitegen.errors import DataError
from sitegen.export import write_catalog
from sitegen.model import DataSet
from sitegen.pages import GeneratedPage, build_pages
from sitegen.validate import load_dataset

log = logging.getLogger("mkdocs.plugins.sitegen")

#: Placeholder used when the calculators reference page has not been written yet.
_CALCULATORS_STUB = """---
title: Calculators
---

# Calculators

The calculator widgets (scenario matcher, iENE grading helper, radiation dose calculator) arrive in a
coming release. Until then, use the [lookup table](../lookup/index.md).
"""


#: Sites smaller than this get one progress line per phase instead of one per 10%.
PROGRESS_FROM = 200


class _State:
    """What ``on_config`` prepared for the rest of this build."""

    def __init__(self) -> None:
        self.root = Path()
        self.dataset: DataSet | None = None
        self.pages: list[GeneratedPage] = []
        self.seconds = 0.0
        self.total = 0
        self.done = {"content": 0, "post": 0}
        self.started = time.perf_counter()
        self.stash: dict[str, list[str]] = {}


_state = _State()
#: A date the user set for reproducible builds wins over ours.
_USER_EPOCH = os.environ.get("SOURCE_DATE_EPOCH")
#: A data set the caller validated a moment ago (see ``use_dataset``), used by the next build only.
_preloaded: tuple[Path, DataSet] | None = None


def use_dataset(root: Path, dataset: DataSet) -> None:
    """Hand over a data set just validated by ``build.py``, so the next build does not load it twice."""
    global _preloaded
    _preloaded = (Path(root).resolve(), dataset)


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path or "mkdocs.yml").resolve().parent


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and validate the data set; stop the build with every message if it is invalid."""
    global _state, _preloaded
    start = time.perf_counter()
    _state = _State()  # a fresh state per build: serve rebuilds in the same process
    _state.root = _root(config)
    preloaded, _preloaded = _preloaded, None
    if preloaded is not None and preloaded[0] == _state.root:
        _state.dataset = preloaded[1]
    else:
        try:
            _state.dataset = load_dataset(_state.root)
        except DataError as err:
            # PluginError: MkDocs logs the message and aborts before cleaning or writing site_dir
            raise PluginError(str(err)) from None
    _state.pages = build_pages(_state.dataset)
    reviews = [s.review.date for s in _state.dataset.scenarios]
    if _USER_EPOCH is None and reviews:
        # sitemap dates: the latest review, not the clock, so that the same data gives the same bytes
        os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(max(reviews).timetuple()))
    _state.seconds = time.perf_counter() - start
    log.info(
        "[generate] %d scenarios, %d pages generated in %.2f s",
        len(_state.dataset.scenarios),
        len(_state.pages),
        _state.seconds,
    )
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Add every generated page as an in-memory file; a hand-written page may not shadow one."""
    clashes = sorted(p.src_uri for p in _state.pages if files.get_file_from_path(p.src_uri) is not None)
    if clashes:
        raise PluginError("sitegen: hand-written pages clash with generated ones: " + ", ".join(clashes))
    for page in _state.pages:
        files.append(File.generated(config, page.src_uri, content=page.markdown))
    if files.get_file_from_path("calculators/index.md") is None:
        files.append(File.generated(config, "calculators/index.md", content=_CALCULATORS_STUB))
    _state.total = len(files.documentation_pages())
    return files


def _progress(phase: str, key: str) -> None:
    # one line per 10% keeps long builds visibly alive without flooding the terminal
    _state.done[key] += 1
    done, total = _state.done[key], max(_state.total, 1)
    step = done * 10 // total != (done - 1) * 10 // total
    if (step and total >= PROGRESS_FROM) or done == total:
        elapsed = time.perf_counter() - _state.started
        log.info("[%s] %3d%% (%d/%d pages, %.1f s)", phase, done * 100 // total, done, total, elapsed)


#: A plain-HTML region of a generated page; Markdown would pass it through unchanged, only slower.
_HTML_REGION = re.compile(r"^<!-- sitegen:html -->\n(.*?)^<!-- /sitegen:html -->$", re.M | re.S)
_STASHED = re.compile(r"<!-- sitegen:stash (\d+) -->")


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Set the plain-HTML regions aside so that the Markdown converter sees only a small document."""
    stash: list[str] = []

    def keep(match: re.Match[str]) -> str:
        stash.append(match.group(1))
        return f"<!-- sitegen:stash {len(stash) - 1} -->"

    markdown = _HTML_REGION.sub(keep, markdown)
    _state.stash[page.file.src_uri] = stash
    return markdown


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put the plain-HTML regions back; count converted pages for the progress line."""
    stash = _state.stash.pop(page.file.src_uri, [])
    if stash:
        html = _STASHED.sub(lambda match: stash[int(match.group(1))].rstrip("\n"), html)
    _progress("markdown", "content")
    return html


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    """Count written pages for the progress line."""
    _progress("render", "post")
    return output


def on_post_build(*, config: MkDocsConfig) -> None:
    """Publish the calculator catalog with the site, for widgets and intranet embeds."""
    if _state.dataset is None:
        return
    path = Path(config.site_dir) / "assets" / "data" / "catalog.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_catalog(_state.dataset, path)


def on_serve(server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    """Rebuild when a scenario, a catalog file or a template changes while serving."""
    root = _root(config)
    server.watch(str(root / "scenarios"))
    server.watch(str(Path(__file__).resolve().parent / "templates"))
    return server

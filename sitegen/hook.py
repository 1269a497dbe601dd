"""MkDocs hooks (``hooks: [sitegen/hook.py]``): load and check the data, add the generated pages,
publish the calculators' runtime (``sitegen.runtime.pyodide``) and glue files (``sitegen.runtime.assets``).

MkDocs loads this file by path as its own module, so it keeps no state that the package shares:
everything it needs is computed in ``on_config`` and kept for the build that follows.
"""

from __future__ import annotations

import functools
import gc
import logging
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from sitegen._files import write_if_changed
from sitegen.data.export import catalog_text
from sitegen.data.model import DataSet
from sitegen.data.validate import load_dataset
from sitegen.download import DOWNLOADS, ENV, MARKER, BundleFacts, read_facts, section
from sitegen.errors import DataError
from sitegen.pages.build import build_pages
from sitegen.pages.render import GeneratedPage
from sitegen.runtime.assets import WEB_DIR, WebAssetError, WebAssets, emit_web
from sitegen.runtime.compress import precompress_tree
from sitegen.runtime.pyodide import RuntimeBuildError, RuntimeFiles, prepare_runtime

log = logging.getLogger("mkdocs.plugins.sitegen")
P = ParamSpec("P")
R = TypeVar("R")

#: Sites smaller than this get one progress line per phase instead of one per 10%.
PROGRESS_FROM = 200


class _State:
    """What ``on_config`` prepared for the rest of this build."""

    def __init__(self) -> None:
        self.root = Path()
        self.dataset: DataSet | None = None
        self.pages: list[GeneratedPage] = []
        self.catalog = ""  # the text of catalog.json
        self.runtime: RuntimeFiles | None = None  # the calculators' Pyodide runtime, copied in on_post_build
        self.web: WebAssets | None = None  # the glue files (runtime.js, worker, widget), content-hashed
        self.seconds = 0.0  # on_config: load, validate and generate
        self.later = 0.0  # our later events: files, plain-HTML regions, progress lines, catalog
        self.total = 0
        self.done = {"content": 0, "post": 0}
        self.started = time.perf_counter()
        self.stash: dict[str, list[str]] = {}
        self.bundle: tuple[BundleFacts, Path] | None = None  # the offline bundle published for download


_state = _State()
#: A date the user set for reproducible builds wins over ours.
_USER_EPOCH = os.environ.get("SOURCE_DATE_EPOCH")
#: What the caller made a moment ago (see ``use_dataset``): root, data set, catalog text; next build only.
_preloaded: tuple[Path, DataSet, str] | None = None


def use_dataset(root: Path, dataset: DataSet, catalog: str) -> None:
    """Hand over a data set just validated by ``build.py`` and its catalog text: no second load or export."""
    global _preloaded
    _preloaded = (Path(root).resolve(), dataset, catalog)


def _timed(event: Callable[P, R]) -> Callable[P, R]:
    """Add the event's run time to the build's count of our work after ``on_config``."""

    @functools.wraps(event)
    def timed(*args: P.args, **kwargs: P.kwargs) -> R:
        start = time.perf_counter()
        try:
            return event(*args, **kwargs)
        finally:
            _state.later += time.perf_counter() - start

    return timed


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path or "mkdocs.yml").resolve().parent


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and validate the data set; stop the build with every message if it is invalid."""
    global _state
    start = time.perf_counter()
    _state = _State()  # a fresh state per build: serve rebuilds in the same process
    # The cycle collector would rescan every new model object and view many times over: pause it meanwhile
    enabled = gc.isenabled()
    gc.disable()
    try:
        _state.dataset = dataset = _dataset(_root(config))
        # the runtime carries the catalog, and pages name the runtime's hashed files: catalog first
        _state.catalog = _state.catalog or catalog_text(dataset)
        runtime_start = time.perf_counter()
        _state.runtime, _state.web = _runtime(config)
        start += time.perf_counter() - runtime_start  # logged on its own line: not page generation
        refs = _state.web.refs
        _state.pages = build_pages(dataset, directory_urls=config.use_directory_urls, web=refs)
        _state.bundle = _bundle()
    finally:
        if enabled:
            gc.enable()
    if _USER_EPOCH is None:
        # no clock in the output: the sitemap template prints no dates; this fixes the .gz header's
        os.environ["SOURCE_DATE_EPOCH"] = "0"
    _state.seconds = time.perf_counter() - start
    log.info(
        "[generate] %d scenarios, %d pages prepared in %.2f s",
        len(dataset.scenarios),
        len(_state.pages),
        _state.seconds,
    )
    return config


def _offline(config: MkDocsConfig) -> bool:
    """True for file:// builds: as mkdocs.yml says, Material's offline plugin on (``SITEGEN_OFFLINE``)."""
    plugin = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(plugin is not None and plugin.config.enabled)


def _runtime(config: MkDocsConfig) -> tuple[RuntimeFiles, WebAssets]:
    """The Pyodide runtime for this catalog (cached across builds and serve rebuilds) and the glue files."""
    try:
        runtime = prepare_runtime(_root(config), _state.catalog, offline=_offline(config))
        return runtime, emit_web(runtime.config)
    except (RuntimeBuildError, WebAssetError) as err:
        raise PluginError(str(err)) from None


def _bundle() -> tuple[BundleFacts, Path] | None:
    """The offline bundle named by ``SITEGEN_BUNDLE`` (its facts file), for the offline page to offer."""
    named = os.environ.get(ENV)
    if not named:
        return None
    try:
        facts = read_facts(Path(named))
    except (OSError, ValueError, TypeError) as err:
        raise PluginError(f"{ENV}={named}: {err}") from None
    return facts, Path(named).with_name(facts.file)


def _dataset(root: Path) -> DataSet:
    """The data set ``build.py`` handed over for this root (its catalog text kept), or a fresh load."""
    global _preloaded
    _state.root = root
    preloaded, _preloaded = _preloaded, None
    if preloaded is not None and preloaded[0] == root:
        _state.catalog = preloaded[2]
        return preloaded[1]
    try:
        return load_dataset(root)
    except DataError as err:
        # PluginError: MkDocs logs the message and aborts before cleaning or writing site_dir
        raise PluginError(str(err)) from None


@_timed
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Add every generated page as an in-memory file; a hand-written page may not shadow one."""
    clashes = sorted(p.src_uri for p in _state.pages if files.get_file_from_path(p.src_uri) is not None)
    if clashes:
        raise PluginError("sitegen: hand-written pages clash with generated ones: " + ", ".join(clashes))
    for page in _state.pages:
        files.append(File.generated(config, page.src_uri, content=page.markdown))
    if _state.bundle is not None:  # copied into the site by MkDocs, a link target like any other file
        facts, path = _state.bundle
        files.append(File.generated(config, f"{DOWNLOADS}/{facts.file}", abs_src_path=str(path)))
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


#: The markers around a plain-HTML region of a generated page, each on a line of its own.
_OPEN = "<!-- sitegen:html -->\n"
_CLOSE = "\n<!-- /sitegen:html -->"
_STASH = "<!-- sitegen:stash "
#: A stash comment as the Markdown converter passes it through.
_STASHED = re.compile(r"<!-- sitegen:stash (\d+) -->")


def _set_aside(markdown: str, stash: list[str]) -> str:
    """Replace each region, markers included, by a numbered stash comment; append its HTML to ``stash``."""
    # str.find, not a regular expression: a lazy multi-line match steps through every character
    parts: list[str] = []
    done = 0
    start = markdown.find(_OPEN)
    while start != -1:
        if start and markdown[start - 1] != "\n":  # an opening marker starts a line
            start = markdown.find(_OPEN, start + 1)
            continue
        end = markdown.find(_CLOSE, start + len(_OPEN) - 1)
        while end != -1 and markdown[end + len(_CLOSE) : end + len(_CLOSE) + 1] not in ("", "\n"):
            end = markdown.find(_CLOSE, end + 1)  # a closing marker ends its line too
        if end == -1:
            break
        parts += [markdown[done:start], f"{_STASH}{len(stash)} -->"]
        stash.append(markdown[start + len(_OPEN) : end + 1])
        done = end + len(_CLOSE)
        start = markdown.find(_OPEN, done)
    return "".join(parts) + markdown[done:] if parts else markdown


@_timed
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Set the plain-HTML regions aside so that the Markdown converter sees only a small document."""
    if MARKER in markdown:  # the offline page: the bundle's download, or how to get it
        facts = _state.bundle[0] if _state.bundle else None
        markdown = markdown.replace(MARKER, section(facts, f"{DOWNLOADS}/{facts.file}" if facts else ""))
    stash: list[str] = []
    markdown = _set_aside(markdown, stash)
    _state.stash[page.file.src_uri] = stash
    return markdown


@_timed
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put the plain-HTML regions back; count converted pages for the progress line."""
    stash = _state.stash.pop(page.file.src_uri, [])
    if stash:
        html = _STASHED.sub(lambda match: stash[int(match.group(1))].rstrip("\n"), html)
    _progress("markdown", "content")
    return html


@_timed
def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    """Count written pages for the progress line."""
    _progress("render", "post")
    return output


def on_post_build(*, config: MkDocsConfig) -> None:
    """Publish the calculator catalog, runtime and glue files; log all the time our hook took."""
    if _state.dataset is None:
        return
    start = time.perf_counter()
    site = Path(config.site_dir)
    write_if_changed(site / "assets" / "data" / "catalog.json", _state.catalog)
    if _state.runtime is not None and _state.web is not None:
        _state.runtime.install(site)
        _state.web.install(site)
    if not _offline(config):  # for servers that send precompressed copies (content/pages/hosting.md)
        precompress_tree(site)
    _state.later += time.perf_counter() - start
    # The line bench/build_scale.py reads: everything of ours, the per-page events included.
    log.info(
        "[generate] %d scenarios, %d pages generated in %.2f s (%.2f s before the build, %.2f s during it)",
        len(_state.dataset.scenarios),
        len(_state.pages),
        _state.seconds + _state.later,
        _state.seconds,
        _state.later,
    )


def on_serve(server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    """Rebuild when a scenario, a catalog file, a template or a glue file changes while serving."""
    root = _root(config)
    server.watch(str(root / "scenarios"))
    server.watch(str(Path(__file__).resolve().parent / "pages" / "templates"))
    server.watch(str(WEB_DIR))
    return server

"""MkDocs hook: search from ``file://`` without any request to another host or any inline script.

Material's ``offline`` plugin (on when ``SITEGEN_OFFLINE`` is true, see mkdocs.yml) makes search work
from ``file://`` by running the search worker in an iframe, through a shim it adds to every page from
a CDN (the ``iframe-worker`` package). That shim writes an inline script into the frame, which the
pages' Content-Security-Policy refuses. We ship our own shim instead, ``iframe-worker.js`` beside this
file, which sets the frame's worker globals from the page, and point the offline pages at it. A build
without the offline plugin carries no shim at all.

This file lives under ``content/overrides/hooks/`` (Material's own convention): MkDocs never copies
``*.py`` files of a theme directory into the site; the shim, which it would copy as a theme file, is
taken out of every build and added back, under ``assets/``, to offline builds only.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

#: The shim, beside this hook.
SHIM_SOURCE = Path(__file__).resolve().parent / "iframe-worker.js"
#: Where the theme directory would put it in the site, and where offline builds serve it instead.
THEME_COPY = "hooks/iframe-worker.js"
SHIM_URI = "assets/javascripts/iframe-worker-shim.js"


def _offline_enabled(config: MkDocsConfig) -> bool:
    plugin = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(plugin is not None and plugin.config.enabled)


# After the offline plugin's on_config (priority 0), which appends its CDN address to the polyfills.
@event_priority(-50)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Replace the offline plugin's outside shim address with our own shim's."""
    if not _offline_enabled(config):
        return config
    polyfills = [p for p in config.extra.get("polyfills", []) if "iframe-worker" not in str(p)]
    config.extra["polyfills"] = [*polyfills, SHIM_URI]
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """The shim under assets/ in offline builds; nowhere else."""
    theme_copy = files.get_file_from_path(THEME_COPY)
    if theme_copy is not None:
        files.remove(theme_copy)
    if _offline_enabled(config):
        files.append(File.generated(config, SHIM_URI, abs_src_path=str(SHIM_SOURCE)))
    return files

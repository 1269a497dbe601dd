"""MkDocs hook: serve Material's file:// search shim from this site instead of an outside CDN.

Material's ``offline`` plugin (on when ``SITEGEN_OFFLINE`` is true, see mkdocs.yml) makes search work
from ``file://`` by running the search worker in an iframe, through the ``iframe-worker`` shim, and
adds that shim to every page from a CDN. We ship the same file, from the npm package pinned in
package.json, and point the pages at our copy. A build without the offline plugin is left unchanged.

This file lives under ``content/overrides/hooks/`` (Material's own convention): MkDocs never copies
``*.py`` files of a theme directory into the site.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

#: The shim inside the npm package, relative to the project root (``npm ci`` puts it there).
SHIM_SOURCE = Path("node_modules/iframe-worker/shim/index.js")
#: Where the site serves it, relative to the site root.
SHIM_URI = "assets/javascripts/iframe-worker-shim.js"


def _offline_enabled(config: MkDocsConfig) -> bool:
    plugin = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(plugin is not None and plugin.config.enabled)


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path or "mkdocs.yml").resolve().parent


# After the offline plugin's on_config (priority 0), which appends its CDN address to the polyfills.
@event_priority(-50)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Replace the offline plugin's outside shim address with our own copy's."""
    if not _offline_enabled(config):
        return config
    source = _root(config) / SHIM_SOURCE
    if not source.is_file():
        raise PluginError(
            f"offline build: {SHIM_SOURCE} is missing; run `npm ci` (or ./scripts/serve --setup-only), "
            "which installs the iframe-worker version pinned in package-lock.json"
        )
    polyfills = [p for p in config.extra.get("polyfills", []) if "iframe-worker" not in str(p)]
    config.extra["polyfills"] = [*polyfills, SHIM_URI]
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Copy the shim into the site with the other static files (offline builds only)."""
    if _offline_enabled(config):
        source = _root(config) / SHIM_SOURCE
        files.append(File.generated(config, SHIM_URI, abs_src_path=str(source)))
    return files

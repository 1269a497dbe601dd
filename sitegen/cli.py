"""``python build.py build|serve|check|bundle|fingerprint``: the command-line edge that turns data errors
into exit codes.

The work is in ``sitegen.make`` (build, check) and ``sitegen.bundle``; this module parses arguments.
"""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Callable
from pathlib import Path

from mkdocs.exceptions import Abort, BuildError, ConfigurationError

from sitegen import bundle as _bundle
from sitegen.data.review import Fingerprints
from sitegen.make import ROOT, build, check, load, say, setup_logging

__all__ = ["build", "bundle", "check", "fingerprint", "main", "serve"]


def serve(root: Path = ROOT, port: int = 8000) -> int:
    """Serve the site with live reload; editing a scenario file rebuilds and reloads the page."""
    from mkdocs.commands.serve import serve as mkdocs_serve  # imported late: starts nothing by itself

    setup_logging()
    root = Path(root).resolve()
    if load(root) is None:
        return 1
    try:
        mkdocs_serve(config_file=str(root / "mkdocs.yml"), dev_addr=f"127.0.0.1:{port}", livereload=True)
    except (Abort, BuildError, ConfigurationError) as err:
        say(str(err))
        return 1
    return 0


def bundle(root: Path = ROOT, out: Path | None = None) -> int:
    """Build the offline site and zip it (``sitegen.bundle``); returns the exit code."""
    return _bundle.bundle(root, out)


def fingerprint(root: Path, scenario: str) -> int:
    """Print the fingerprint of a scenario's clinical content, for its review record; exit code."""
    ds = load(Path(root))
    if ds is None:
        return 1
    found = next((s for s in ds.scenarios if s.id == scenario), None)
    if found is None:
        close = difflib.get_close_matches(scenario, [s.id for s in ds.scenarios], n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        say(f"fingerprint: expected the id of a scenario{hint}, found {scenario!r}")
        return 1
    print(Fingerprints(ds.catalogs).of(found))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``build.py``; returns the process exit code (0 ok, 1 failure)."""
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="validate the data and build the site")
    p_build.add_argument("--site-dir", type=Path, default=None, help="output directory (default: site/)")
    p_serve = sub.add_parser("serve", help="build and serve with live reload")
    p_serve.add_argument("--port", type=int, default=8000)
    sub.add_parser("check", help="validate the data; check generated files are fresh; write nothing")
    p_bundle = sub.add_parser("bundle", help="build the offline site (works from file://) as one zip")
    p_bundle.add_argument(
        "--out",
        type=Path,
        default=None,
        help="zip to write (default: dist/imaging-appropriateness-offline.zip)",
    )
    p_print = sub.add_parser(
        "fingerprint", help="print the fingerprint of a scenario's clinical content (for its review record)"
    )
    p_print.add_argument("scenario", help="the scenario id, e.g. new-neck-pain-known-cancer")
    args = parser.parse_args(argv)
    commands: dict[str, Callable[[], int]] = {
        "build": lambda: build(ROOT, args.site_dir),
        "serve": lambda: serve(ROOT, args.port),
        "check": lambda: check(ROOT),
        "bundle": lambda: bundle(ROOT, args.out),
        "fingerprint": lambda: fingerprint(ROOT, args.scenario),
    }
    return commands[args.command]()

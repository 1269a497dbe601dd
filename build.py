"""Command-line entry: python build.py build|serve|check (see sitegen/cli.py)."""

from sitegen.cli import main

if __name__ == "__main__":
    raise SystemExit(main())

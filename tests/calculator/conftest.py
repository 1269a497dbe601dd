"""Hypothesis settings: random exploration while developing, a fixed example stream in CI."""

from __future__ import annotations

import os

from hypothesis import settings

# CI must not turn red on a new random example; developers' runs keep exploring and find new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

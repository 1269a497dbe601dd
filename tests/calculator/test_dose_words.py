"""What a dose's low and high are, said in words: every kind of spread the catalog or the calculator makes,
and the catalog's own kinds in the packaged catalog's studies (exact texts)."""

from __future__ import annotations

from typing import Any, get_args

import pytest

import calculator
from calculator._dose_parts import SPREAD_WORDS, figure_text
from calculator.browser import packaged_catalog
from sitegen.data.model import Spread


@pytest.mark.parametrize(
    ("t", "spread", "text"),
    [
        (
            {"typical": 2.0, "low": 0.9, "high": 4.0},
            "range",
            "about 2 mSv (0.9–4 mSv, the range reported by the source)",
        ),
        (
            {"typical": 16.5, "low": 12.0, "high": 21.0},
            "sd",
            "about 16.5 mSv (12–21 mSv, mean ± 1 SD in one measured series, not a range)",
        ),
        (
            {"typical": 7.7, "low": 7.7, "high": 10.0},
            "editions",
            "about 7.7 mSv (7.7–10 mSv, the figures of the older and newer ACR–RSNA chart editions only, not "
            "the full spread)",
        ),
        (
            {"typical": 3.0, "low": 1.2, "high": 3.0},
            "sources",
            "about 3 mSv (1.2–3 mSv, the figures of two sources only, not the full spread)",
        ),
        (
            {"typical": 5.3, "low": 4.218, "high": 6.327},
            "activity",
            "about 5.3 mSv (4.22–6.33 mSv, over the usual range of administered activity)",
        ),
        (
            {"typical": 2.065, "low": 1.785, "high": 2.065},
            "coefficients",
            "about 2.06 mSv (1.78–2.06 mSv, from the span of published coefficients for the region)",
        ),
        (
            {"typical": None, "low": 0.3, "high": 3.0},
            "band",
            "0.3–3 mSv (the range of its pediatric RRL band, no typical value)",
        ),
        ({"typical": 53.765, "low": 40.635, "high": 88.385}, "none", "about 53.8 mSv (40.6–88.4 mSv)"),
        ({"typical": 0.27, "low": 0.27, "high": 0.27}, "none", "about 0.27 mSv"),
        ({"typical": 0.0, "low": 0.0, "high": 0.0}, "none", "0 mSv"),
    ],
)
def test_figure_text(t: dict[str, Any], spread: str, text: str) -> None:
    assert figure_text(t, spread) == text


def test_every_catalog_kind_has_words() -> None:
    assert set(get_args(Spread)) == {"range", "sd", "editions", "sources", "activity"}
    assert set(get_args(Spread)) <= set(SPREAD_WORDS)


@pytest.mark.parametrize(
    ("procedure", "spread"),
    [
        ("ct-head-without", "range"),
        ("ct-abdomen-pelvis-with", "editions"),
        ("mammography-screening", "editions"),
        ("ct-neck-with", "sources"),
        ("nm-bone-scan", "activity"),
        ("fdg-petct-whole-body", "sd"),
    ],
)
def test_packaged_catalog_rows_say_their_kind(procedure: str, spread: str) -> None:
    out = calculator.run("dose", {"studies": [{"procedure": procedure}]}, packaged_catalog())
    row = out["result"]["studies"][0]
    assert (row["spread"], row["spread_words"]) == (spread, SPREAD_WORDS[spread])
    assert SPREAD_WORDS[spread] in out["report"]

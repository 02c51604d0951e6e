from datetime import date

import pytest
from addon_index import ADDON, load_plain_module

ag = load_plain_module(ADDON / "tools" / "ageing.py")


@pytest.mark.parametrize(
    "days, key",
    [
        (-5, "not_due"),
        (0, "not_due"),
        (1, "1_30"),
        (30, "1_30"),
        (31, "31_60"),
        (60, "31_60"),
        (61, "61_90"),
        (90, "61_90"),
        (91, "91_180"),
        (180, "91_180"),
        (181, "over_180"),
        (999, "over_180"),
    ],
)
def test_bucket_edges(days, key):
    assert ag.bucket_for(days) == key


def test_ageing_sums_by_bucket():
    today = date(2026, 6, 30)
    lines = [
        (100, date(2026, 7, 15)),
        (50, date(2026, 6, 1)),
        (25, date(2026, 2, 1)),
        (7, date(2025, 12, 1)),
        (-10, date(2026, 6, 30)),
    ]
    result = ag.ageing(lines, today)
    assert result["not_due"] == 90
    assert result["1_30"] == 50
    assert result["91_180"] == 25  # 149 days
    assert result["over_180"] == 7  # 211 days


def test_dso_formula():
    # (receivable 30,000 + notes 6,000) / (90,000 / 90 days) = 36 days
    assert ag.dso(30000, 6000, 90000, 90) == 36.0
    # No sales in the window: no DSO (not the window length); the score still rates it.
    assert ag.dso(0, 0, 0, 90) is None
    assert ag.dso(500, 0, 0, 90) is None
    assert ag.dso_score_value(0, 0, 0, 90) == 0.0
    assert ag.dso_score_value(500, 0, 0, 90) == 90.0
    assert ag.dso_score_value(30000, 6000, 90000, 90) == 36.0
    assert ag.dso(-100, 0, 1000, 90) == 0.0
    with pytest.raises(ValueError):
        ag.dso(1, 1, 1, 0)

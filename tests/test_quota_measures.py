"""Hand-worked examples of the plan's profit-side formulas (tools/quota_measures.py)."""

from datetime import date

import pytest
from addon_index import ADDON, load_plain_module

measures = load_plain_module(ADDON / "tools" / "quota_measures.py")


def test_break_even_without_planned_profit():
    # sales 1000, variable costs 600: ratio 0.4; fixed 200: break-even 200 / 0.4 = 500
    ratio, amount = measures.break_even(200.0, 600.0, 1000.0)
    assert ratio == pytest.approx(0.4)
    assert amount == pytest.approx(500.0)


def test_break_even_with_planned_profit():
    # (fixed 200 + planned profit 100) / 0.4 = 750
    ratio, amount = measures.break_even(200.0, 600.0, 1000.0, 100.0)
    assert ratio == pytest.approx(0.4)
    assert amount == pytest.approx(750.0)
    # No break-even point when variable costs eat the sales.
    assert measures.break_even(200.0, 1000.0, 1000.0, 100.0) == (0.0, 0.0)


def test_other_plan_bases():
    assert measures.asset_turnover_sales(60000.0, 2.5) == pytest.approx(150000.0)
    # pre-tax profit 10,000 at an 8% net-profit rate
    assert measures.net_profit_rate_sales(10000.0, 8.0) == pytest.approx(125000.0)
    assert measures.net_profit_rate_sales(10000.0, 0.0) == 0.0
    # 3 people x 40,000 value added each, value added 45% of sales
    assert measures.value_added_sales(3, 40000.0, 45.0) == pytest.approx(120000.0 / 0.45)
    assert measures.value_added_sales(3, 40000.0, 0.0) == 0.0


def test_margin_rate_with_a_credit_note_and_a_cost_change():
    # invoice 1: 10 x 100 at cost 60; invoice 2: 5 x 100 at cost 70; credit note: 2 of invoice 1 at 60
    sales = 1000.0 + 500.0 - 200.0
    cost = 600.0 + 350.0 - 120.0
    assert measures.margin_rate(sales, cost) == pytest.approx(470.0 / 1300.0 * 100)
    assert measures.margin_rate(0.0, 0.0) == 0.0


def test_quarter_totals_equal_their_months():
    months = [float(m) for m in range(1, 13)]
    quarters = measures.quarter_totals(months)
    assert quarters == [6.0, 15.0, 24.0, 33.0]
    assert sum(quarters) == sum(months)
    with pytest.raises(ValueError):
        measures.quarter_totals([1.0])
    assert measures.quarter_bounds(2027, 1) == (date(2027, 1, 1), date(2027, 3, 31))
    assert measures.quarter_bounds(2028, 1)[1] == date(2028, 3, 31)
    assert measures.quarter_bounds(2027, 4) == (date(2027, 10, 1), date(2027, 12, 31))
    assert [measures.quarter_of(m) for m in (1, 3, 4, 12)] == [1, 1, 2, 4]


def test_okr_quarterly_steps():
    assert [measures.planned_growth(10.0, 5.0, q) for q in measures.QUARTERS] == [10.0, 15.0, 20.0, 25.0]


def test_history_of_a_plan_made_before_last_year_is_over():
    # Next year's plan drawn up on 2 December: December 2026 has barely started.
    periods = measures.history_periods(2027, date(2026, 12, 2))
    assert periods == [
        (date(2023, 12, 1), date(2024, 11, 30)),
        (date(2024, 12, 1), date(2025, 11, 30)),
        (date(2025, 12, 1), date(2026, 11, 30)),
    ]
    assert measures.period_label(periods[-1]) == "2025-12 – 2026-11"


def test_history_of_a_plan_made_after_last_year_is_over():
    calendar_years = [(date(y, 1, 1), date(y, 12, 31)) for y in (2023, 2024, 2025)]
    assert measures.history_periods(2026, date(2026, 3, 15)) == calendar_years
    # In January of last year, its last complete month is the December before: calendar years again.
    assert measures.history_periods(2027, date(2026, 1, 10)) == [
        (date(y, 1, 1), date(y, 12, 31)) for y in (2023, 2024, 2025)
    ]
    # A plan years ahead keeps the calendar years (nothing is known of them).
    assert measures.history_periods(2031, date(2026, 3, 15))[-1] == (date(2030, 1, 1), date(2030, 12, 31))
    assert measures.period_label(calendar_years[0]) == "2023"


def test_new_product_launch_period():
    assert measures.new_product_launch_from(2027, 12) == date(2026, 1, 1)
    assert measures.new_product_launch_from(2027, 18) == date(2025, 7, 1)
    assert measures.new_product_launch_from(2027, 0) == date(2027, 1, 1)

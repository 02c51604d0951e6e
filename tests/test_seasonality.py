from datetime import date

import pytest
from addon_index import ADDON, load_plain_module

seasonality = load_plain_module(ADDON / "tools" / "seasonality.py")
measures = load_plain_module(ADDON / "tools" / "quota_measures.py")


def test_three_year_shares_hand_worked():
    # 2023: Jan 100, Jun 200, Dec 100 | 2024: Jan 300, Jun 100 | 2025: Jun 100, Dec 100, a refund in Jan
    history = {
        (2023, 1): 100.0,
        (2023, 6): 200.0,
        (2023, 12): 100.0,
        (2024, 1): 300.0,
        (2024, 6): 100.0,
        (2025, 1): -50.0,
        (2025, 6): 100.0,
        (2025, 12): 150.0,
    }
    shares, used = seasonality.monthly_shares(history, [2023, 2024, 2025])
    assert used == [2023, 2024, 2025]
    # Jan 350, Jun 400, Dec 250 of 1000
    assert shares[0] == pytest.approx(0.35)
    assert shares[5] == pytest.approx(0.40)
    assert shares[11] == pytest.approx(0.25)
    assert sum(shares) == pytest.approx(1.0)


def test_missing_year_is_left_out_and_counted():
    history = {(2024, 3): 100.0, (2025, 3): 100.0, (2025, 9): 200.0}
    shares, used = seasonality.monthly_shares(history, [2023, 2024, 2025])
    assert used == [2024, 2025]
    assert shares[2] == pytest.approx(0.5)
    assert shares[8] == pytest.approx(0.5)


def test_no_history_splits_evenly():
    shares, used = seasonality.monthly_shares({}, [2023, 2024, 2025])
    assert used == []
    assert shares == [pytest.approx(1 / 12)] * 12


def test_negative_month_counts_as_zero():
    shares, _used = seasonality.monthly_shares({(2025, 1): -10.0, (2025, 2): 100.0}, [2025])
    assert shares[0] == 0.0
    assert shares[1] == pytest.approx(1.0)


def test_normalise_keeps_manual_shares_and_rescales_the_rest():
    # history said 50/30/20; the manager fixed A at 60 -> B and C share 40 as 30:20
    result = seasonality.normalise_shares({"A": 60.0, "B": 30.0, "C": 20.0}, fixed={"A"})
    assert result["A"] == pytest.approx(60.0)
    assert result["B"] == pytest.approx(24.0)
    assert result["C"] == pytest.approx(16.0)
    assert sum(result.values()) == pytest.approx(100.0)


def test_normalise_without_free_shares_rescales_all():
    result = seasonality.normalise_shares({"A": 30.0, "B": 30.0}, fixed={"A", "B"})
    assert result == {"A": pytest.approx(50.0), "B": pytest.approx(50.0)}
    result = seasonality.normalise_shares({"A": 90.0, "B": 30.0, "C": 30.0}, fixed={"A", "B"})
    assert sum(result.values()) == pytest.approx(100.0)
    assert result["A"] == pytest.approx(60.0)


@pytest.mark.parametrize("shares", [{"A": -1.0, "B": 101.0}, {"A": 0.0}, {}])
def test_normalise_refuses_bad_shares(shares):
    with pytest.raises(ValueError):
        seasonality.normalise_shares(shares)


def test_shares_sum_to_100():
    assert seasonality.shares_sum_to_100([33.33, 33.33, 33.34])
    assert not seasonality.shares_sum_to_100([50.0, 40.0])


def test_split_amount_sums_exactly():
    parts = seasonality.split_amount(100.0, [1, 1, 1])
    assert parts == [33.34, 33.33, 33.33]
    assert sum(parts) == pytest.approx(100.0)
    assert seasonality.split_amount(10.0, [0, 0]) == [5.0, 5.0]
    assert seasonality.split_amount(1200.0, [0.35, 0.4, 0.25]) == [420.0, 480.0, 300.0]


def test_working_day_split_honours_weekends_and_holiday():
    # March 2026: starts on a Sunday; 22 weekdays; public holiday on Wed 4 March -> 21 days
    first, last = seasonality.month_bounds(2026, 3)
    weekdays = [date(2026, 3, d) for d in range(1, 32) if date(2026, 3, d).weekday() < 5]
    working = [d for d in weekdays if d != date(2026, 3, 4)]
    days, weeks = seasonality.working_day_split(2100.0, first, last, working)
    assert len(days) == 21
    assert {a for _d, a in days} == {100.0}
    assert date(2026, 3, 4) not in {d for d, _a in days}
    assert all(d.weekday() < 5 for d, _a in days)
    # weeks: 1 Mar (Sunday only, no working day: left out), 2-8 (4 days), 9-15, 16-22, 23-29 (5 each), 30-31 (2)
    assert [(s.day, e.day, a) for s, e, a in weeks] == [
        (2, 8, 400.0),
        (9, 15, 500.0),
        (16, 22, 500.0),
        (23, 29, 500.0),
        (30, 31, 200.0),
    ]
    assert sum(a for _s, _e, a in weeks) == pytest.approx(2100.0)


def test_working_day_split_without_working_days():
    first, last = seasonality.month_bounds(2026, 2)
    assert seasonality.working_day_split(100.0, first, last, []) == ([], [])


def test_derived_targets_with_quarterly_steps():
    last_year = [100.0] * 12
    targets = measures.derived_monthly_targets(last_year, 0.10, 0.05)
    assert targets[0] == pytest.approx(110.0)  # Q1: +10%
    assert targets[3] == pytest.approx(115.0)  # Q2: +15%
    assert targets[11] == pytest.approx(125.0)  # Q4: +25%
    assert sum(targets) == pytest.approx(3 * (110 + 115 + 120 + 125))
    with pytest.raises(ValueError):
        measures.derived_monthly_targets([1.0], 0.1)


def test_measures():
    assert measures.run_rate_projection(100.0, 10, 30) == pytest.approx(300.0)
    assert measures.run_rate_projection(100.0, 30, 30) == 100.0
    assert measures.run_rate_projection(100.0, 0, 30) == 0.0
    assert measures.achievement_rate(80.0, 100.0) == pytest.approx(80.0)
    assert measures.achievement_rate(80.0, 0.0) == 0.0
    assert measures.growth_rate(120.0, 100.0) == pytest.approx(20.0)
    assert measures.growth_rate(120.0, 0.0) == 0.0


def test_break_even():
    # sales 1000, variable costs 600 -> ratio 0.4; fixed 200 -> break-even 500
    ratio, amount = measures.break_even(200.0, 600.0, 1000.0)
    assert ratio == pytest.approx(0.4)
    assert amount == pytest.approx(500.0)
    assert measures.break_even(200.0, 1200.0, 1000.0)[1] == 0.0
    assert measures.break_even(200.0, 0.0, 0.0) == (0.0, 0.0)


def test_month_category_shares_follow_the_month():
    # Over three years: furniture sells in spring, lamps in winter.
    history_pct = {"furniture": 50.0, "lamps": 50.0}
    march = {"furniture": 300.0, "lamps": 100.0}
    assert seasonality.month_category_shares(march, history_pct, history_pct) == {"furniture": 75.0, "lamps": 25.0}


def test_month_category_shares_apply_the_adjustment_and_normalise():
    history_pct = {"furniture": 50.0, "lamps": 50.0}
    adjusted = {"furniture": 60.0, "lamps": 40.0}  # policy: push furniture
    march = {"furniture": 300.0, "lamps": 100.0}
    shares = seasonality.month_category_shares(march, history_pct, adjusted)
    # weights 75 x 1.2 = 90 and 25 x 0.8 = 20, normalised to 100
    assert shares["furniture"] == pytest.approx(90 / 110 * 100)
    assert shares["lamps"] == pytest.approx(20 / 110 * 100)
    assert sum(shares.values()) == pytest.approx(100.0)


def test_month_category_shares_without_month_history_use_the_year():
    history_pct = {"furniture": 70.0, "lamps": 30.0}
    assert seasonality.month_category_shares({}, history_pct, history_pct) == pytest.approx(history_pct)


def test_month_category_shares_new_category_keeps_its_share():
    history_pct = {"furniture": 100.0}
    adjusted = {"furniture": 80.0, "new_line": 20.0}
    shares = seasonality.month_category_shares({"furniture": 10.0}, history_pct, adjusted)
    assert shares == pytest.approx({"furniture": 80.0, "new_line": 20.0})

from datetime import date

import pytest
from addon_index import ADDON, load_plain_module

sc = load_plain_module(ADDON / "tools" / "scorecard.py")


def test_period_bounds():
    assert sc.period_bounds("month", date(2024, 2, 10)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert sc.period_bounds("month", date(2025, 12, 31)) == (date(2025, 12, 1), date(2025, 12, 31))
    assert sc.period_bounds("quarter", date(2025, 5, 3)) == (date(2025, 4, 1), date(2025, 6, 30))
    assert sc.period_bounds("quarter", date(2025, 11, 30)) == (date(2025, 10, 1), date(2025, 12, 31))
    assert sc.period_bounds("year", date(2025, 7, 1)) == (date(2025, 1, 1), date(2025, 12, 31))
    with pytest.raises(ValueError):
        sc.period_bounds("week", date(2025, 7, 1))


def test_closed_periods_of_a_monthly_run():
    assert sc.closed_periods(date(2025, 5, 1)) == [("month", date(2025, 4, 1), date(2025, 4, 30))]
    assert sc.closed_periods(date(2025, 7, 2)) == [
        ("month", date(2025, 6, 1), date(2025, 6, 30)),
        ("quarter", date(2025, 4, 1), date(2025, 6, 30)),
    ]
    assert sc.closed_periods(date(2026, 1, 1)) == [
        ("month", date(2025, 12, 1), date(2025, 12, 31)),
        ("quarter", date(2025, 10, 1), date(2025, 12, 31)),
        ("year", date(2025, 1, 1), date(2025, 12, 31)),
    ]


def test_month_starts():
    assert sc.month_starts(date(2025, 11, 15), date(2026, 1, 3)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
    ]
    assert sc.month_starts(date(2025, 3, 1), date(2025, 3, 31)) == [date(2025, 3, 1)]


def test_points_higher_is_better():
    assert sc.points(80.0, 100.0) == 80.0
    assert sc.points(130.0, 100.0) == 100.0
    assert sc.points(-5.0, 100.0) == 0.0
    assert sc.points(3.0, 4.0) == 75.0
    assert sc.points(1.0, 0.0) == 100.0
    assert sc.points(0.0, 0.0) == 0.0


def test_points_lower_is_better():
    assert sc.points(0, 5, higher_is_better=False) == 100.0
    assert sc.points(2, 5, higher_is_better=False) == 60.0
    assert sc.points(7, 5, higher_is_better=False) == 0.0
    assert sc.points(0, 0, higher_is_better=False) == 100.0
    assert sc.points(1, 0, higher_is_better=False) == 0.0


def test_weights_must_sum_to_100():
    sc.check_weights([25, 15, 10, 5, 10, 5, 5, 10, 10, 5])
    sc.check_weights([33.33, 33.33, 33.34])
    for bad in ([50, 40], [60, 50], [110, -10]):
        with pytest.raises(ValueError):
            sc.check_weights(bad)


def test_weighted_points():
    assert sc.weighted_points(80.0, 25.0) == 20.0


def test_line_accuracy():
    assert sc.line_accuracy(8000, 10000) == pytest.approx(80.0)
    assert sc.line_accuracy(12000, 10000) == pytest.approx(80.0)
    assert sc.line_accuracy(25000, 10000) == 0.0
    assert sc.line_accuracy(0, 0) == 100.0
    assert sc.line_accuracy(500, 0) == 0.0


def test_forecast_accuracy_errors_do_not_cancel():
    # 10000 forecast, 8000 bought; 5000 forecast, 6000 bought: error 3000 of 15000.
    assert sc.forecast_accuracy([(8000, 10000), (6000, 5000)]) == pytest.approx(80.0)
    assert sc.forecast_accuracy([(9000, 10000)]) == pytest.approx(sc.line_accuracy(9000, 10000))
    assert sc.forecast_accuracy([(50000, 1000)]) == 0.0
    assert sc.forecast_accuracy([(0, 0)]) == 100.0
    assert sc.forecast_accuracy([(10, 0)]) == 0.0
    assert sc.forecast_accuracy([]) is None


def test_rank_ties_share_a_rank():
    assert sc.rank({"a": 70.0, "b": 90.0, "c": 70.004, "d": 50.0}) == {"b": 1, "a": 2, "c": 2, "d": 4}
    assert sc.rank({}) == {}


def test_rate():
    assert sc.rate(3, 4) == 75.0
    assert sc.rate(3, 0) == 0.0

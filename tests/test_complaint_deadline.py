from datetime import date

import pytest
from addon_index import ADDON, load_plain_module

deadline = load_plain_module(ADDON / "tools" / "complaint_deadline.py")

# Friday 2026-09-25; National Day holiday Thursday 2026-10-01 .. Wednesday 2026-10-07.
FRIDAY = date(2026, 9, 25)
WEEKENDS = {date(2026, 9, 26), date(2026, 9, 27), date(2026, 10, 3), date(2026, 10, 4)}
NATIONAL_DAY = {date(2026, 10, day) for day in range(1, 8)}


def test_calendar_days_ignore_weekends():
    assert deadline.add_days(FRIDAY, 3) == date(2026, 9, 28)
    assert deadline.add_days(FRIDAY, 3, "calendar", WEEKENDS) == date(2026, 9, 28)


def test_working_days_skip_the_weekend():
    # Fri + 3 working days: Mon, Tue, Wed.
    assert deadline.add_days(FRIDAY, 3, "working", WEEKENDS) == date(2026, 9, 30)
    assert deadline.add_days(FRIDAY, 1, "working", WEEKENDS) == date(2026, 9, 28)


def test_working_days_skip_a_public_holiday():
    off = WEEKENDS | NATIONAL_DAY
    # Mon 28, Tue 29, Wed 30, then the holiday week, then Thu 8 and Fri 9.
    assert deadline.add_days(FRIDAY, 5, "working", off) == date(2026, 10, 9)
    # Without the holiday: Mon 28 .. Fri 2.
    assert deadline.add_days(FRIDAY, 5, "working", WEEKENDS) == date(2026, 10, 2)


def test_zero_days():
    assert deadline.add_days(FRIDAY, 0) == FRIDAY
    assert deadline.add_days(date(2026, 9, 26), 0, "working", WEEKENDS) == date(2026, 9, 28)


def test_bad_arguments():
    with pytest.raises(ValueError):
        deadline.add_days(FRIDAY, -1)
    with pytest.raises(ValueError):
        deadline.add_days(FRIDAY, 1, "lunar")
    every_day = {date(2026, 9, 25) + (date(2026, 9, 2) - date(2026, 9, 1)) * i for i in range(800)}
    with pytest.raises(ValueError):
        deadline.add_days(FRIDAY, 1, "working", every_day)


def test_horizon_covers_the_working_days():
    off = WEEKENDS | NATIONAL_DAY
    due = deadline.add_days(FRIDAY, 5, "working", off)
    assert (due - FRIDAY).days <= deadline.search_horizon(5)


def test_met_and_overdue():
    due = date(2026, 9, 30)
    assert deadline.is_met(due, date(2026, 9, 30)) is True
    assert deadline.is_met(due, date(2026, 10, 1)) is False
    assert deadline.is_met(due, None) is None
    assert deadline.is_overdue(due, None, date(2026, 10, 1))
    assert not deadline.is_overdue(due, None, due)
    assert not deadline.is_overdue(due, date(2026, 10, 2), date(2026, 10, 5))
    assert not deadline.is_overdue(None, None, date(2026, 10, 5))


def test_on_time_rate():
    assert deadline.on_time_rate(17, 20) == 85.0
    assert deadline.on_time_rate(0, 0) == 0.0


def test_satisfaction_target_rises_over_the_year():
    assert deadline.target_for_month(85, 90, 1) == 85
    assert deadline.target_for_month(85, 90, 12) == 90
    assert 85 < deadline.target_for_month(85, 90, 6) < 90
    with pytest.raises(ValueError):
        deadline.target_for_month(85, 90, 13)


def test_satisfied_share_and_repeat_window():
    assert deadline.satisfied_share([5, 4, 3, 2]) == 50.0
    assert deadline.satisfied_share([]) == 0.0
    assert deadline.repeat_window_start(date(2026, 3, 31), 30) == date(2026, 3, 1)

import datetime

from addon_index import ADDON, load_plain_module

schedule = load_plain_module(ADDON / "tools" / "visit_schedule.py")
geo = load_plain_module(ADDON / "tools" / "geo_distance.py")

D = datetime.date


def weekdays(start, end, holidays=()):
    day, days = start, []
    while day <= end:
        if day.weekday() < 5 and day not in holidays:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


# November 2026: Monday 2 .. Friday 27 are the weekdays of four full weeks.
NOV = weekdays(D(2026, 11, 2), D(2026, 11, 29))


def test_next_due_and_overdue():
    assert schedule.next_due_date(None, 7) is None
    assert schedule.next_due_date(D(2026, 11, 2), 14) == D(2026, 11, 16)
    assert schedule.is_overdue(None, 7, D(2026, 11, 2))
    assert not schedule.is_overdue(D(2026, 11, 2), 7, D(2026, 11, 9))
    assert schedule.is_overdue(D(2026, 11, 2), 7, D(2026, 11, 10))


def test_covered_within_frequency():
    today = D(2026, 11, 20)
    assert schedule.is_covered(D(2026, 11, 13), 7, today)
    assert not schedule.is_covered(D(2026, 11, 12), 7, today)
    assert not schedule.is_covered(None, 7, today)


def test_weekly_from_last_visit():
    dates = schedule.propose_dates(D(2026, 10, 28), 7, [], NOV)
    # Due 4 November, then every week.
    assert dates == [D(2026, 11, 4), D(2026, 11, 11), D(2026, 11, 18), D(2026, 11, 25)]


def test_biweekly_due_on_weekend_moves_to_monday():
    dates = schedule.propose_dates(D(2026, 10, 24), 14, [], NOV)
    # Due Saturday 7 November: Monday 9, then 23.
    assert dates == [D(2026, 11, 9), D(2026, 11, 23)]


def test_public_holiday_skipped():
    days = weekdays(D(2026, 11, 2), D(2026, 11, 29), holidays={D(2026, 11, 4)})
    dates = schedule.propose_dates(D(2026, 10, 28), 7, [], days)
    assert D(2026, 11, 4) not in dates
    assert dates[0] == D(2026, 11, 5)


def test_never_visited_is_due_at_start():
    assert schedule.propose_dates(None, 30, [], NOV) == [D(2026, 11, 2)]
    assert schedule.propose_dates(None, 30, [], NOV, spread_index=2) == [D(2026, 11, 4)]


def test_planned_visits_are_not_duplicated():
    planned = [D(2026, 11, 5), D(2026, 11, 12)]
    dates = schedule.propose_dates(D(2026, 10, 28), 7, planned, NOV)
    assert dates == [D(2026, 11, 19), D(2026, 11, 26)]
    # Running again with the proposals planned proposes nothing.
    assert schedule.propose_dates(D(2026, 10, 28), 7, planned + dates, NOV) == []


def test_past_planned_visit_counts_as_pending():
    # Planned for 20 October, never done: no new visit before its frequency after the start.
    dates = schedule.propose_dates(D(2026, 10, 1), 14, [D(2026, 10, 20)], NOV)
    assert dates == [D(2026, 11, 16)]


def test_quarterly_not_due_in_period():
    assert schedule.propose_dates(D(2026, 10, 1), 91, [], NOV) == []


def test_no_working_days():
    assert schedule.propose_dates(None, 7, [], []) == []


def test_propose_visits_spreads_backlog():
    customers = [(n, None, 30, []) for n in range(7)]
    result = schedule.propose_visits(customers, NOV)
    assert [day for _key, day in result] == [
        D(2026, 11, 2),
        D(2026, 11, 3),
        D(2026, 11, 4),
        D(2026, 11, 5),
        D(2026, 11, 6),
        D(2026, 11, 2),
        D(2026, 11, 3),
    ]


def test_iso_week_bounds():
    assert schedule.iso_week_bounds(D(2026, 11, 25)) == (D(2026, 11, 23), D(2026, 11, 29))


def test_haversine():
    # Shanghai People's Square to Beijing Tiananmen, about 1,067 km.
    distance = geo.haversine_km(31.2304, 121.4737, 39.9087, 116.3975)
    assert 1060 < distance < 1075
    assert geo.haversine_km(10, 20, 10, 20) == 0
    assert not geo.has_position(0.0, 0.0)
    assert geo.has_position(31.2, 0.0)

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


def test_next_working_day():
    assert schedule.next_working_day(D(2026, 11, 7), NOV) == D(2026, 11, 9)  # Saturday -> Monday
    assert schedule.next_working_day(D(2026, 11, 9), NOV) == D(2026, 11, 9)
    assert schedule.next_working_day(D(2026, 11, 28), NOV) is None


def test_followup_date_from_outcome_delay_or_rep_date():
    days = weekdays(D(2026, 11, 2), D(2026, 12, 31), holidays={D(2026, 11, 9)})
    # Seven days after Monday 2 is Monday 9, a holiday: Tuesday 10.
    assert schedule.followup_date(D(2026, 11, 2), None, 7, days) == D(2026, 11, 10)
    # The rep's date wins over the delay, moved off the weekend.
    assert schedule.followup_date(D(2026, 11, 2), D(2026, 11, 14), 7, days) == D(2026, 11, 16)
    # Never before the visit itself.
    assert schedule.followup_date(D(2026, 11, 4), D(2026, 11, 2), 7, days) == D(2026, 11, 4)


def test_every_outcome_has_a_followup_rule():
    results = [key for key, _label in schedule.VISIT_RESULTS]
    assert set(schedule.FOLLOWUP_RULES) == set(results)
    modes = {key for key, _label in schedule.FOLLOWUP_MODES}
    for mode, delay, _purpose in schedule.FOLLOWUP_RULES.values():
        assert mode in modes
        assert delay is None or delay > 0
    # A rejection waits for the company's period; the modes in person are visit modes.
    assert schedule.FOLLOWUP_RULES["rejected"][1] is None
    assert set(schedule.IN_PERSON_MODES) <= {key for key, _label in schedule.VISIT_MODES}
    assert "phone" not in schedule.IN_PERSON_MODES


def test_after_delivery_day():
    week = weekdays(D(2026, 11, 9), D(2026, 11, 15))
    # Delivered Thursday 5 + 3 days = Sunday 8: proposed on Monday 9.
    assert schedule.after_delivery_day(D(2026, 11, 5), 3, D(2026, 11, 9), week) == D(2026, 11, 9)
    # Due within the week.
    assert schedule.after_delivery_day(D(2026, 11, 8), 3, D(2026, 11, 9), week) == D(2026, 11, 11)
    # Due after the week: not yet.
    assert schedule.after_delivery_day(D(2026, 11, 12), 3, D(2026, 11, 9), week) is None
    # Due a while ago (the job did not run): caught up at the start, older ones dropped.
    assert schedule.after_delivery_day(D(2026, 10, 20), 0, D(2026, 11, 9), week) == D(2026, 11, 9)
    assert schedule.after_delivery_day(D(2026, 9, 1), 0, D(2026, 11, 9), week) is None


def test_per_working_day():
    assert schedule.per_working_day(5, 4) == 1.25
    assert schedule.per_working_day(3, 0) == 0.0

"""Visit proposals (拜访计划生成): which customers to see on which working days.

Plain date maths, no ORM: the models read frequencies, last visits, planned
visits and the company's working days, and this module decides the dates.
"""

import datetime


def next_due_date(last_visit, frequency_days):
    """Date a customer is due again, or None when he was never visited (due now)."""
    if not last_visit:
        return None
    return last_visit + datetime.timedelta(days=frequency_days)


def is_overdue(last_visit, frequency_days, today):
    """A customer is overdue when never visited or when his due date has passed."""
    due = next_due_date(last_visit, frequency_days)
    return due is None or due < today


def is_covered(last_visit, frequency_days, today):
    """Seen within his frequency: the last visit is at most `frequency_days` old."""
    return bool(last_visit) and (today - last_visit).days <= frequency_days


def propose_dates(last_visit, frequency_days, planned_dates, working_days, spread_index=0):
    return _propose(last_visit, frequency_days, planned_dates, working_days, spread_index)[0]


def _propose(last_visit, frequency_days, planned_dates, working_days, spread_index):
    """Dates to propose for one customer within the working days of a period.

    last_visit: date of the last visit done (or None); frequency_days: days
    between visits; planned_dates: dates of visits already planned (they count
    as visits, so nothing is proposed that would duplicate them);
    working_days: sorted list of the period's working days (public holidays
    already removed); spread_index: spreads customers already overdue at the
    start of the period over the first week's working days instead of piling
    them all on the first day.
    """
    if not working_days or frequency_days <= 0:
        return [], False
    step = datetime.timedelta(days=frequency_days)
    start = working_days[0]
    end = working_days[-1]
    # A visit still planned for a past day has yet to happen: it counts from the start.
    planned = sorted({max(day, start) for day in planned_dates})
    first_week = [day for day in working_days if (day - start).days < 7]
    cursor = last_visit
    proposals = []
    spread = False
    while True:
        due = next_due_date(cursor, frequency_days)
        is_spread = due is None or due <= start
        if is_spread:
            day = first_week[spread_index % len(first_week)]
        else:
            day = next((d for d in working_days if d >= due), None)
        if day is None or day > end:
            break
        # A visit already planned after the cursor and before the occurrence
        # after this one replaces this occurrence: never plan twice.
        covering = [p for p in planned if (cursor is None or p > cursor) and p < day + step]
        if covering:
            cursor = covering[0]
            continue
        proposals.append(day)
        spread |= is_spread
        cursor = day
    return proposals, spread


def propose_visits(customers, working_days):
    """[(key, date)] for customers given as (key, last_visit, frequency_days, planned_dates).

    Customers keep the given order; the ones already due are spread over the
    first week by their position, so a rep's overdue backlog is levelled out.
    """
    working_days = sorted(working_days)
    result = []
    overdue_index = 0
    for key, last_visit, frequency_days, planned_dates in customers:
        dates, spread = _propose(last_visit, frequency_days, planned_dates, working_days, overdue_index)
        overdue_index += spread
        result.extend((key, day) for day in dates)
    return result


def iso_week_bounds(day):
    """(Monday, Sunday) of the ISO week holding `day`."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)

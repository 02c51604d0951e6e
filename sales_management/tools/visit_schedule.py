"""Visit proposals (拜访计划生成): which customers to see on which working days.

Plain date maths, no ORM: the models read frequencies, last visits, planned
visits and the company's working days, and this module decides the dates.
"""

import bisect
import datetime

# Outcomes of a visit (拜访结果).
VISIT_RESULTS = [
    ("interested", "Interested"),
    ("quotation", "Quotation Requested"),
    ("rejected", "Rejected by Customer"),
    ("complaint", "Complaint Raised"),
    ("won", "Order Won"),
    ("no_decision", "No Decision"),
]
# How a visit is made (拜访方式); a follow-up may also be a to-do only.
VISIT_MODES = [
    ("in_person", "In Person"),
    ("phone", "Phone"),
    ("video", "Video"),
    ("premises", "At Our Premises"),
]
FOLLOWUP_MODES = [*VISIT_MODES, ("activity", "To-Do Only")]
# The seeds' norm (two visits a rep a day, each customer seen weekly or every two
# weeks) is about going to the customer: only these modes count as visits in person.
IN_PERSON_MODES = ("in_person",)
# The next step each outcome calls for: (follow-up mode, days after the visit,
# purpose of a follow-up visit). Days None: the company's second follow-up
# period after a rejection ("no second follow-up after a rejection is a fatal mistake").
FOLLOWUP_RULES = {
    "interested": ("in_person", 7, "development"),
    "quotation": ("activity", 2, "development"),
    "rejected": ("in_person", None, "development"),
    "complaint": ("in_person", 3, "complaint"),
    "won": ("phone", 14, "routine"),
    "no_decision": ("phone", 7, "development"),
}
# After-delivery visits due this many days before a period still get proposed in it,
# so a week the job did not run is caught up.
AFTER_DELIVERY_CATCH_UP_DAYS = 28


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


def next_working_day(day, working_days):
    """First of the sorted `working_days` on or after `day`, or None past the last one."""
    index = bisect.bisect_left(working_days, day)
    return working_days[index] if index < len(working_days) else None


def followup_date(visit_day, next_date, delay_days, working_days):
    """Day of a visit's follow-up: the next visit date given by the rep, else the visit
    day plus the outcome's delay, moved to the first working day on or after it.

    working_days: sorted working days from the visit day on (public holidays removed).
    """
    wanted = next_date or visit_day + datetime.timedelta(days=delay_days)
    return next_working_day(max(wanted, visit_day), working_days)


def after_delivery_day(delivered_on, delay_days, date_from, working_days, catch_up_days=AFTER_DELIVERY_CATCH_UP_DAYS):
    """Day to propose an after-delivery visit in a period, or None.

    Due `delay_days` after delivery; proposed on the first working day of the
    period (`working_days`, sorted, starting at `date_from`) on or after that, when
    it falls in the period; one due less than `catch_up_days` before the period
    is proposed at its start, an older one no more.
    """
    due = delivered_on + datetime.timedelta(days=delay_days)
    if due < date_from - datetime.timedelta(days=catch_up_days):
        return None
    return next_working_day(max(due, date_from), working_days)


def per_working_day(count, working_day_count):
    """Visits per working day; 0 when the period has no working day."""
    return count / working_day_count if working_day_count else 0.0

"""Complaint deadlines (投诉处理时限), on-time rate and the satisfaction target.

Plain values in and out: the models pass the company's non-working days (read
from its working schedule and public holidays) as a set of dates.
"""

from datetime import timedelta

DEADLINE_MODES = [
    ("calendar", "Calendar Days"),
    ("working", "Working Days"),
]

# The seeds' rule: answer within 3 days; for quality, someone on site within 5.
DEFAULT_REPLY_DAYS = 3
DEFAULT_ONSITE_DAYS = 5


def add_days(start, days, mode="calendar", off_days=frozenset()):
    """The date `days` calendar or working days after `start` (the start day not counted).

    In working mode, every date in `off_days` (weekends, public holidays) is
    skipped; a deadline therefore always falls on a working day. Zero days
    gives `start` itself in calendar mode and the first working day from
    `start` on in working mode.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    if mode == "calendar":
        return start + timedelta(days=days)
    if mode != "working":
        raise ValueError(f"unknown deadline mode {mode!r}")
    current = start
    if days == 0:
        while current in off_days:
            current += timedelta(days=1)
        return current
    counted = 0
    # A year of holidays in a row would be a broken calendar, not a deadline.
    for _step in range(days + 366):
        current += timedelta(days=1)
        if current not in off_days:
            counted += 1
            if counted == days:
                return current
    raise ValueError("the working schedule has no working day in the next year")


def search_horizon(days):
    """Calendar days to read from the working schedule to be sure to cover `days` working days."""
    return days * 3 + 31


def is_met(deadline, done_on):
    """True when done on or before the deadline; None while not done (or no deadline)."""
    if not deadline or not done_on:
        return None
    return done_on <= deadline


def is_overdue(deadline, done_on, today):
    """True when the deadline has passed and the thing is still not done."""
    return bool(deadline) and not done_on and today > deadline


def on_time_rate(met, decided):
    """Share (0-100) of complaints handled on time among those whose deadline is decided."""
    return round(100.0 * met / decided, 1) if decided else 0.0


def target_for_month(start_target, end_target, month):
    """Satisfaction target (%) of `month` (1-12), interpolated from January's to December's."""
    if not 1 <= month <= 12:
        raise ValueError("month must be 1-12")
    return round(start_target + (end_target - start_target) * (month - 1) / 11.0, 2)


def repeat_window_start(received, period_days):
    """First date that still counts for a repeat complaint received on `received`."""
    return received - timedelta(days=period_days)


def satisfied_share(scores, threshold=4):
    """Share (0-100) of scores at or above `threshold` (4 = satisfied on a 1-5 scale)."""
    scores = list(scores)
    if not scores:
        return 0.0
    return round(100.0 * sum(1 for s in scores if s >= threshold) / len(scores), 1)

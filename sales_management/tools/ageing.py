"""Receivable ageing buckets (帐龄) and DSO (客户帐款积欠天数)."""

from datetime import date

# (key, label, first day overdue, last day overdue or None)
AGEING_BUCKETS = [
    ("not_due", "Not Due", None, 0),
    ("1_30", "1-30 Days", 1, 30),
    ("31_60", "31-60 Days", 31, 60),
    ("61_90", "61-90 Days", 61, 90),
    ("91_180", "91-180 Days", 91, 180),
    ("over_180", "Over 180 Days", 181, None),
]


def bucket_for(days_overdue):
    """Bucket key for a number of days past the due date (<= 0: not due)."""
    for key, _label, _first, last in AGEING_BUCKETS:
        if last is None or days_overdue <= last:
            return key
    return AGEING_BUCKETS[-1][0]


def ageing(lines, today):
    """Sum ``(amount, due_date)`` pairs into ``{bucket: amount}`` as of ``today``."""
    result = dict.fromkeys((b[0] for b in AGEING_BUCKETS), 0.0)
    for amount, due in lines:
        days = (today - due).days if isinstance(due, date) else 0
        result[bucket_for(days)] += amount
    return result


def dso(receivable, notes_receivable, sales_in_window, window_days):
    """DSO = (receivable + notes receivable) / average daily sales over the window.

    No sales in the window: None (DSO has no meaning then; reports leave it empty
    and averages skip it; the credit score reads dso_score_value).
    """
    if window_days <= 0:
        raise ValueError("the DSO window must be at least one day")
    if sales_in_window <= 0:
        return None
    balance = receivable + notes_receivable
    return round(max(balance, 0.0) / (sales_in_window / window_days), 1)


def dso_score_value(receivable, notes_receivable, sales_in_window, window_days):
    """The DSO the credit score rates: DSO, or without sales in the window 0 when
    nothing is owed and the window length when something is (the debt is at least
    that old in sales days)."""
    value = dso(receivable, notes_receivable, sales_in_window, window_days)
    if value is not None:
        return value
    return 0.0 if receivable + notes_receivable <= 0 else float(window_days)

"""Seasonality split of an annual sales target (月别销售额计划) and its shares.

Plain values in and out, no ORM: amounts are floats, periods are dates.
share(m) = sum over the years of sales in month m / sum of all months of those
years; years without sales are left out; with no history the split is even.
"""

import calendar
from datetime import date, timedelta

MONTHS = range(1, 13)


def monthly_shares(history, years):
    """Monthly shares (fractions summing to 1) from {(year, month): amount}.

    Returns ``(shares, used_years)``: ``shares`` is a list of twelve fractions,
    ``used_years`` the years that had any sales. A month whose net total is
    negative (more credit notes than sales) counts as zero. With no usable
    history the split is even and ``used_years`` is empty.
    """
    used = [y for y in sorted(set(years)) if any(history.get((y, m), 0.0) for m in MONTHS)]
    totals = [max(sum(history.get((y, m), 0.0) for y in used), 0.0) for m in MONTHS]
    grand = sum(totals)
    if not used or grand <= 0:
        return [1.0 / 12] * 12, []
    return [t / grand for t in totals], used


def shares_from_amounts(amounts):
    """{key: amount} -> {key: share in %}; negative amounts count as zero."""
    clean = {k: max(v or 0.0, 0.0) for k, v in amounts.items()}
    total = sum(clean.values())
    if not clean:
        return {}
    if total <= 0:
        return {k: 100.0 / len(clean) for k in clean}
    return {k: v * 100.0 / total for k, v in clean.items()}


def month_category_shares(month_amounts, history_pct, adjusted_pct):
    """Category shares (%) for one month (月别商品别).

    ``month_amounts`` is {category: sales in that calendar month over the history
    years}; ``history_pct`` and ``adjusted_pct`` are the categories' shares of the
    whole history before and after the manager's adjustment. Each category gets
    its share of that month, scaled by its adjustment (after ÷ before); a category
    without history (added by hand) keeps its adjusted share. A month without
    history falls back to the yearly shares. The result sums to 100.
    """
    month_pct = shares_from_amounts(month_amounts)
    if not any(month_pct.values()):
        month_pct = dict(history_pct)
    weights = {}
    for key, adjusted in adjusted_pct.items():
        before = history_pct.get(key, 0.0)
        weights[key] = month_pct.get(key, 0.0) * adjusted / before if before > 0 else adjusted
    total = sum(weights.values())
    if total <= 0:
        return dict(adjusted_pct)
    return {key: weight * 100.0 / total for key, weight in weights.items()}


def normalise_shares(shares, fixed=()):
    """Rescale shares in % so they sum to 100.

    ``shares`` is {key: %}; keys in ``fixed`` (manual adjustments) keep their
    value while the others share what is left in their own proportions. When the
    fixed shares alone exceed 100, or nothing else is left to rescale, every
    share is rescaled proportionally. Raises ValueError on a negative share or
    when all shares are zero.
    """
    if any(v < 0 for v in shares.values()):
        raise ValueError("negative share")
    total = sum(shares.values())
    if not shares or total <= 0:
        raise ValueError("shares sum to zero")
    fixed = set(fixed) & set(shares)
    free = [k for k in shares if k not in fixed]
    fixed_total = sum(shares[k] for k in fixed)
    free_total = sum(shares[k] for k in free)
    if fixed and free and fixed_total <= 100.0:
        rest = 100.0 - fixed_total
        result = {k: shares[k] for k in fixed}
        for k in free:
            result[k] = shares[k] * rest / free_total if free_total > 0 else rest / len(free)
        return result
    return {k: v * 100.0 / total for k, v in shares.items()}


def shares_sum_to_100(shares, tolerance=0.01):
    """True when the shares in % sum to 100 within ``tolerance`` points."""
    return abs(sum(shares) - 100.0) <= tolerance


def split_amount(total, weights, digits=2):
    """Split ``total`` by ``weights``, rounded to ``digits``, summing exactly to it.

    The rounding difference goes to the largest remainders (Hamilton's method),
    so the parts add up to the rounded total. Zero weights everywhere split evenly.
    """
    if not weights:
        return []
    weights = [max(w, 0.0) for w in weights]
    wsum = sum(weights)
    if wsum <= 0:
        weights, wsum = [1.0] * len(weights), float(len(weights))
    unit = 10**digits
    cents = round(total * unit)
    raw = [cents * w / wsum for w in weights]
    parts = [int(r // 1) for r in raw]
    left = cents - sum(parts)
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - parts[i], weights[i]), reverse=True)
    for i in order[: max(left, 0)]:
        parts[i] += 1
    return [p / unit for p in parts]


def month_bounds(year, month):
    """(first day, last day) of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def week_periods(date_from, date_to):
    """ISO weeks (Monday to Sunday) covering a period, clipped to it."""
    weeks = []
    start = date_from
    while start <= date_to:
        end = min(start + timedelta(days=6 - start.weekday()), date_to)
        weeks.append((start, end))
        start = end + timedelta(days=1)
    return weeks


def working_day_split(amount, date_from, date_to, working_days, digits=2):
    """Split a period's amount onto its working days and its weeks.

    ``working_days`` is the list of working dates (weekends and public holidays
    already removed by the caller's calendar); days outside the period are
    ignored. Returns ``(days, weeks)``: ``days`` a list of (date, amount), one
    per working day, equal shares; ``weeks`` a list of (week start, week end,
    amount) for the weeks clipped to the period, each the sum of its working
    days (weeks without a working day get nothing and are left out). With no
    working day in the period both lists are empty.
    """
    days = sorted({d for d in working_days if date_from <= d <= date_to})
    if not days:
        return [], []
    amounts = split_amount(amount, [1.0] * len(days), digits)
    day_rows = list(zip(days, amounts, strict=True))
    weeks = []
    for start, end in week_periods(date_from, date_to):
        in_week = [a for d, a in day_rows if start <= d <= end]
        if in_week:
            weeks.append((start, end, round(sum(in_week), digits)))
    return day_rows, weeks

"""Targets and measures of a sales plan: derived targets, run rate, growth, margin, plan bases.

Plain values in and out, no ORM: amounts are floats, rates are in % unless said otherwise.
"""

import calendar
from datetime import date, timedelta

QUARTERS = range(1, 5)


def quarter_of(month):
    return (month - 1) // 3 + 1


def quarter_bounds(year, quarter):
    """(first day, last day) of a quarter."""
    first_month = 3 * (quarter - 1) + 1
    last_month = first_month + 2
    return date(year, first_month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])


def quarter_totals(monthly):
    """Four quarterly sums of twelve monthly amounts."""
    if len(monthly) != 12:
        raise ValueError("twelve months expected")
    return [sum(monthly[3 * (q - 1) : 3 * q]) for q in QUARTERS]


def planned_growth(growth, quarterly_step, quarter):
    """Growth planned for a quarter by the OKR template: growth + step per quarter after the first.

    Same unit in and out (fractions or %): 10% and a 5% step give 10, 15, 20, 25.
    """
    return growth + quarterly_step * (quarter - 1)


def derived_monthly_targets(last_year_monthly, growth, quarterly_step=0.0):
    """Last year's monthly actuals grown by ``growth`` plus a step per quarter.

    ``growth`` and ``quarterly_step`` are fractions (0.1 for 10%): month m of
    quarter q gets last_year[m] * (1 + growth + step * (q - 1)), the OKR
    template's "+5% a quarter" being step = 0.05.
    """
    if len(last_year_monthly) != 12:
        raise ValueError("twelve months expected")
    return [
        amount * (1.0 + planned_growth(growth, quarterly_step, quarter_of(month)))
        for month, amount in enumerate(last_year_monthly, start=1)
    ]


def history_periods(plan_year, today, years=3):
    """The twelve-month periods of history a plan is derived from, oldest first.

    Normally the calendar years before the plan year. A plan made before the
    year preceding it is over (next year's plan drawn up in December) would
    otherwise take an unfinished year as "last year": then the periods are the
    twelve-month windows ending with the last complete month, so every
    calendar month is counted once per period, from real sales. Returns a list
    of ``(first day, last day)``; each period starts on the 1st of a month and
    lasts twelve months.
    """
    last_year_end = date(plan_year - 1, 12, 31)
    end = last_year_end
    if date(plan_year - 1, 1, 1) <= today <= last_year_end:
        end = today.replace(day=1) - timedelta(days=1)
    periods = []
    for back in range(years, 0, -1):
        period_end = _add_months(end + timedelta(days=1), -12 * (back - 1)) - timedelta(days=1)
        period_start = _add_months(period_end + timedelta(days=1), -12)
        periods.append((period_start, period_end))
    return periods


def period_label(period):
    """'2025' for a calendar year, '2024-12 – 2025-11' for another twelve-month period."""
    start, end = period
    if start.month == 1:
        return str(start.year)
    return f"{start:%Y-%m} – {end:%Y-%m}"


def _add_months(day, months):
    """The 1st of the month ``months`` after ``day``'s month (``day`` is a 1st)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def run_rate_projection(actual, elapsed_days, total_days):
    """Actual extrapolated to the end of the period at the pace so far."""
    if elapsed_days <= 0 or total_days <= 0:
        return 0.0
    if elapsed_days >= total_days:
        return actual
    return actual * total_days / elapsed_days


def achievement_rate(actual, target):
    """Actual over target in %; 0 without a target."""
    return actual * 100.0 / target if target else 0.0


def growth_rate(actual, last_year):
    """Growth on last year's same period in %; 0 when last year had nothing."""
    return (actual - last_year) * 100.0 / abs(last_year) if last_year else 0.0


def margin_rate(sales, cost):
    """Margin (sales - cost) as % of sales; 0 without sales."""
    return (sales - cost) * 100.0 / sales if sales else 0.0


def break_even(fixed_costs, variable_costs, sales, planned_profit=0.0):
    """(marginal profit ratio, sales needed) from the planning rules.

    marginal profit ratio = 1 - variable costs / sales; sales needed =
    (fixed costs + planned profit) / marginal profit ratio, the break-even
    point itself when the planned profit is zero. (0.0, 0.0) when sales are
    zero; (ratio, 0.0) when the ratio is not positive (no break-even point).
    """
    if sales <= 0:
        return 0.0, 0.0
    ratio = 1.0 - variable_costs / sales
    if ratio <= 0:
        return ratio, 0.0
    return ratio, (fixed_costs + planned_profit) / ratio


def asset_turnover_sales(planned_assets, turnover):
    """Asset-turnover basis: planned assets x turns a year."""
    return planned_assets * turnover


def net_profit_rate_sales(planned_profit, net_profit_rate):
    """Net-profit-rate basis: planned pre-tax profit / planned net-profit rate (%); 0 without a rate."""
    return planned_profit * 100.0 / net_profit_rate if net_profit_rate > 0 else 0.0


def value_added_sales(headcount, value_added_per_person, value_added_rate):
    """Value-added basis: headcount x value added per person / value-added rate (%); 0 without a rate."""
    return headcount * value_added_per_person * 100.0 / value_added_rate if value_added_rate > 0 else 0.0


def new_product_launch_from(plan_year, months):
    """First launch date of a product still new in the plan year: ``months`` before its 1 January."""
    return _add_months(date(plan_year, 1, 1), -months)

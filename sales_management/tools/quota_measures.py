"""Targets and measures of a sales plan: derived targets, run rate, growth, break-even."""


def quarter_of(month):
    return (month - 1) // 3 + 1


def derived_monthly_targets(last_year_monthly, growth, quarterly_step=0.0):
    """Last year's monthly actuals grown by ``growth`` plus a step per quarter.

    ``growth`` and ``quarterly_step`` are fractions (0.1 for 10%): month m of
    quarter q gets last_year[m] * (1 + growth + step * (q - 1)), the OKR
    template's "+5% a quarter" being step = 0.05.
    """
    if len(last_year_monthly) != 12:
        raise ValueError("twelve months expected")
    return [
        amount * (1.0 + growth + quarterly_step * (quarter_of(month) - 1))
        for month, amount in enumerate(last_year_monthly, start=1)
    ]


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


def break_even(fixed_costs, variable_costs, sales):
    """(marginal profit ratio, break-even sales) from the planning rules.

    marginal profit ratio = 1 - variable costs / sales; break-even sales =
    fixed costs / marginal profit ratio. (0.0, 0.0) when sales are zero or the
    ratio is not positive (no break-even point).
    """
    if sales <= 0:
        return 0.0, 0.0
    ratio = 1.0 - variable_costs / sales
    if ratio <= 0:
        return ratio, 0.0
    return ratio, fixed_costs / ratio

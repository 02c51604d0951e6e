"""Rep scorecard arithmetic (绩效考核): periods, points, weights, ranking, forecast accuracy."""

from datetime import date, timedelta

PERIOD_TYPES = ("month", "quarter", "year")
# Weights must sum to 100%, within this tolerance (percentage points).
WEIGHT_TOLERANCE = 0.01


def period_bounds(period_type, day):
    """(first day, last day) of the month, quarter or year containing ``day``."""
    if period_type == "month":
        start = day.replace(day=1)
        months = 1
    elif period_type == "quarter":
        start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        months = 3
    elif period_type == "year":
        start = date(day.year, 1, 1)
        months = 12
    else:
        raise ValueError(f"unknown period type {period_type!r}")
    month_index = start.month - 1 + months
    end = date(start.year + month_index // 12, month_index % 12 + 1, 1) - timedelta(days=1)
    return start, end


def closed_periods(today):
    """The periods a monthly run on ``today`` closes: last month, and the quarter and year it ends.

    [(period type, first day, last day)], month first.
    """
    last_day = today.replace(day=1) - timedelta(days=1)
    periods = [("month", *period_bounds("month", last_day))]
    if last_day.month % 3 == 0:
        periods.append(("quarter", *period_bounds("quarter", last_day)))
    if last_day.month == 12:
        periods.append(("year", *period_bounds("year", last_day)))
    return periods


def month_starts(date_from, date_to):
    """First days of the months that [date_from, date_to] touches."""
    months = []
    current = date_from.replace(day=1)
    while current <= date_to:
        months.append(current)
        current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
    return months


def rate(part, whole):
    """part ÷ whole in %; 0 when there is no whole."""
    return 100.0 * part / whole if whole else 0.0


def points(value, reference, higher_is_better=True):
    """Points 0-100 of a measure.

    Higher is better: value ÷ reference × 100, at most 100 (reference = the value
    earning full points). Lower is better: (1 − value ÷ reference) × 100, at least 0
    (reference = the value earning no points). A zero reference gives full points
    to any positive value (higher is better) or to no value at all (lower is better).
    """
    if reference <= 0:
        if higher_is_better:
            return 100.0 if value > 0 else 0.0
        return 100.0 if value <= 0 else 0.0
    ratio = value / reference
    result = ratio * 100.0 if higher_is_better else (1.0 - ratio) * 100.0
    return max(0.0, min(100.0, result))


def check_weights(weights):
    """Raise ValueError unless the weights are non-negative and sum to 100 (%)."""
    weights = list(weights)
    if any(weight < 0 for weight in weights):
        raise ValueError("negative weight")
    if abs(sum(weights) - 100.0) > WEIGHT_TOLERANCE:
        raise ValueError(f"weights sum to {sum(weights)}, not 100")


def weighted_points(measure_points, weight):
    """Contribution of one measure to the total score: points × weight %."""
    return measure_points * weight / 100.0


def line_accuracy(actual, forecast):
    """Forecast accuracy of one customer and month in %: 1 − |actual − forecast| ÷ forecast, at least 0.

    Without a forecast: 100 when nothing was bought either, else 0.
    """
    if forecast <= 0:
        return 100.0 if actual == 0 else 0.0
    return max(0.0, 1.0 - abs(actual - forecast) / forecast) * 100.0


def forecast_accuracy(pairs):
    """Accuracy of a set of (actual, forecast) pairs in %, or None without pairs.

    1 − Σ|actual − forecast| ÷ Σ forecast, at least 0 (errors of customers do not
    cancel out); for one pair it is the line accuracy.
    """
    pairs = list(pairs)
    if not pairs:
        return None
    total_forecast = sum(forecast for _actual, forecast in pairs)
    total_error = sum(abs(actual - forecast) for actual, forecast in pairs)
    if total_forecast <= 0:
        return 100.0 if total_error == 0 else 0.0
    return max(0.0, 1.0 - total_error / total_forecast) * 100.0


def rank(scores):
    """Competition ranking ("1224") of ``{key: score}``, highest first; ties share a rank."""
    ordered = sorted(scores.items(), key=lambda item: -round(item[1], 2))
    ranks = {}
    previous = None
    for position, (key, score) in enumerate(ordered, start=1):
        rounded = round(score, 2)
        if rounded != previous:
            current_rank = position
            previous = rounded
        ranks[key] = current_rank
    return ranks

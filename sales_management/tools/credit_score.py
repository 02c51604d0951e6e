"""Credit score (信用评分): factor points from configurable scales, weighted to 0-100."""

# Measured factors (from invoices and payments) and manual ones (entered by the
# credit controller). Each is scored 0-100 on its own scale, then weighted.
CREDIT_FACTORS = [
    ("late_ratio", "Share of Invoices Paid Late (12 months, %)"),
    ("avg_days_late", "Average Days Late (12 months)"),
    ("overdue_ratio", "Overdue Amount / 12-Month Sales (%)"),
    ("oldest_overdue_days", "Oldest Overdue Days"),
    ("dso", "Days Sales Outstanding"),
    ("relationship_years", "Length of Relationship (years)"),
    ("sales_12m", "Sales, Last 12 Months"),
    ("return_ratio", "Returns / Sales (12 months, %)"),
    ("financial_strength", "Financial Strength (manual, 0-100)"),
    ("industry_position", "Industry Position (manual, 0-100)"),
]

MANUAL_FACTORS = {"financial_strength", "industry_position"}


def parse_scale(text):
    """Parse ``"0:100, 5:80, 15:50"`` into ascending ``[(threshold, points)]``.

    Raises ValueError on a malformed band, points outside 0-100 or a repeated threshold.
    """
    bands = []
    for raw in (text or "").replace(";", ",").split(","):
        chunk = raw.strip()
        if not chunk:
            continue
        threshold, sep, points = chunk.partition(":")
        if not sep:
            raise ValueError(f"band {chunk!r} is not 'threshold:points'")
        threshold, points = float(threshold), float(points)
        if not 0 <= points <= 100:
            raise ValueError(f"points {points:g} are outside 0-100")
        bands.append((threshold, points))
    bands.sort()
    thresholds = [t for t, _p in bands]
    if len(set(thresholds)) != len(thresholds):
        raise ValueError("a threshold appears twice")
    return bands


def factor_points(value, bands, higher_is_better=False):
    """Points of ``value`` on a scale.

    Lower is better: the first band whose threshold the value does not exceed.
    Higher is better: the last band whose threshold the value reaches.
    Outside every band: 0. An empty scale takes the value itself as points (0-100).
    """
    if not bands:
        return max(0.0, min(100.0, float(value or 0.0)))
    value = value or 0.0
    if higher_is_better:
        points = 0.0
        for threshold, band_points in bands:
            if value >= threshold:
                points = band_points
        return points
    for threshold, band_points in bands:
        if value <= threshold:
            return band_points
    return 0.0


def check_weights(weights):
    """Raise ValueError unless the weights (percent) are non-negative and sum to 100."""
    if any(w < 0 for w in weights):
        raise ValueError("a weight is negative")
    total = sum(weights)
    if abs(total - 100.0) > 0.001:
        raise ValueError(f"weights sum to {total:g}%, not 100%")


def weighted_score(points, weights):
    """Score 0-100 from ``{factor: points}`` and ``{factor: weight %}``."""
    return round(sum(points.get(code, 0.0) * weight for code, weight in weights.items()) / 100.0, 2)


def grade_for_score(score, grades):
    """The grade key with the highest minimum score not above ``score``.

    ``grades``: iterable of ``(min_score, key)``; None when the score is below all.
    """
    best = None
    for min_score, key in grades:
        if score >= min_score and (best is None or min_score > best[0]):
            best = (min_score, key)
    return best[1] if best else None


def overlapping_thresholds(min_scores):
    """Minimum scores that appear more than once (two grades cannot share one)."""
    seen, twice = set(), set()
    for value in min_scores:
        (twice if value in seen else seen).add(value)
    return sorted(twice)

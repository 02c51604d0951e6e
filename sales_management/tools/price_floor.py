"""Price floors (价格底线): which floor applies to a sale and how far a price falls below it."""

FLOOR_TYPES = [
    ("discount", "Largest Discount"),
    ("price", "Lowest Price"),
]


def discount_percent(list_price, net_price):
    """Discount off the list price, in percent (0 when the list price is not positive)."""
    if list_price <= 0:
        return 0.0
    return (1.0 - net_price / list_price) * 100.0


def margin_percent(net_price, cost):
    """Margin on the net price, in percent; None when the cost is unknown (0 or less)."""
    if cost <= 0:
        return None
    if net_price <= 0:
        return -100.0
    return (net_price - cost) / net_price * 100.0


def floor_gap(floor, list_price, net_price, cost):
    """How far ``net_price`` falls below ``floor``, in percentage points (0.0: within it).

    ``floor``: a mapping with ``floor_type`` ('discount' or 'price'), ``max_discount``
    (percent off the list price), ``min_price`` (lowest unit price) and ``min_margin``
    (percent, 0 for none). Prices and cost in one currency and unit. The gap is the
    largest of: the discount beyond the largest allowed, the shortfall under the lowest
    price as a share of it, the margin under the margin floor where the cost is known.
    """
    gaps = [0.0]
    if floor["floor_type"] == "discount":
        gaps.append(discount_percent(list_price, net_price) - floor["max_discount"])
    elif floor["min_price"] > 0:
        gaps.append((floor["min_price"] - net_price) / floor["min_price"] * 100.0)
    if floor["min_margin"]:
        margin = margin_percent(net_price, cost)
        if margin is not None:
            gaps.append(floor["min_margin"] - margin)
    # Float noise of a price exactly on the floor is no breach.
    gap = max(gaps)
    return round(gap, 6) if gap > 1e-6 else 0.0


def pick_floor(floors, product_id, category_path):
    """The floor that applies to a product: its own first, else its nearest category's.

    ``floors``: mappings with ``product_id`` (or None), ``category_path`` (the
    category's ``parent_path``, e.g. '1/4/', or None), ``company_id`` (or None) and
    ``id``; ``category_path``: the product's category's ``parent_path``. Among equals a
    company's own floor comes before a shared one, then the lowest id. None when none applies.
    """
    candidates = []
    for floor in floors:
        if floor["product_id"]:
            if floor["product_id"] != product_id:
                continue
            depth = 10**6
        elif floor["category_path"] and category_path and category_path.startswith(floor["category_path"]):
            depth = floor["category_path"].count("/")
        else:
            continue
        candidates.append((-depth, floor["company_id"] is None, floor["id"], floor))
    if not candidates:
        return None
    return min(candidates, key=lambda c: c[:3])[3]

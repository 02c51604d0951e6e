import pytest
from addon_index import ADDON, load_plain_module

pf = load_plain_module(ADDON / "tools" / "price_floor.py")


def floor(floor_type="discount", max_discount=10.0, min_price=0.0, min_margin=0.0):
    return {"floor_type": floor_type, "max_discount": max_discount, "min_price": min_price, "min_margin": min_margin}


@pytest.mark.parametrize(
    "list_price, net, expected",
    [(100.0, 90.0, 10.0), (100.0, 100.0, 0.0), (100.0, 120.0, -20.0), (0.0, 50.0, 0.0)],
)
def test_discount_percent(list_price, net, expected):
    assert pf.discount_percent(list_price, net) == pytest.approx(expected)


def test_margin_percent():
    assert pf.margin_percent(100.0, 60.0) == pytest.approx(40.0)
    assert pf.margin_percent(100.0, 0.0) is None
    assert pf.margin_percent(0.0, 60.0) == -100.0


@pytest.mark.parametrize(
    "rule, net, cost, gap",
    [
        (floor(max_discount=10.0), 90.0, 0.0, 0.0),  # exactly on the floor
        (floor(max_discount=10.0), 80.0, 0.0, 10.0),
        (floor(max_discount=10.0), 110.0, 0.0, 0.0),
        (floor("price", min_price=80.0), 80.0, 0.0, 0.0),
        (floor("price", min_price=80.0), 60.0, 0.0, 25.0),
        (floor(max_discount=50.0, min_margin=30.0), 70.0, 60.0, 30.0 - (10.0 / 70.0 * 100.0)),
        (floor(max_discount=50.0, min_margin=30.0), 70.0, 0.0, 0.0),  # cost unknown
        (floor(max_discount=5.0, min_margin=30.0), 70.0, 60.0, 25.0),  # the larger of both gaps
    ],
)
def test_floor_gap(rule, net, cost, gap):
    assert pf.floor_gap(rule, 100.0, net, cost) == pytest.approx(gap)


def test_floor_gap_ignores_float_noise():
    assert pf.floor_gap(floor(max_discount=10.0), 100.0, 90.0 - 1e-9, 0.0) == 0.0


def _f(fid, product=None, path=None, company=None):
    return {"id": fid, "product_id": product, "category_path": path, "company_id": company}


def test_pick_floor_product_then_nearest_category_then_company():
    floors = [_f(1, path="1/"), _f(2, path="1/4/"), _f(3, product=7), _f(4, path="1/4/", company=2)]
    assert pf.pick_floor(floors, 7, "1/4/9/")["id"] == 3
    assert pf.pick_floor(floors, 8, "1/4/9/")["id"] == 4  # the company's own before the shared one
    assert pf.pick_floor(floors[:2], 8, "1/4/")["id"] == 2
    assert pf.pick_floor(floors[:2], 8, "1/5/")["id"] == 1
    assert pf.pick_floor(floors[:2], 8, "2/") is None
    # "1/4/" is no parent of "1/40/".
    assert pf.pick_floor([_f(2, path="1/4/")], 8, "1/40/") is None
    assert pf.pick_floor([], 8, "1/") is None

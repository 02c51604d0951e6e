import pytest
from addon_index import ADDON, load_plain_module

cs = load_plain_module(ADDON / "tools" / "credit_score.py")


def test_parse_scale_sorts_and_validates():
    assert cs.parse_scale("15:50, 0:100; 5:80") == [(0, 100), (5, 80), (15, 50)]
    assert cs.parse_scale("") == []
    for bad in ("5", "1:120", "1:10,1:20", "a:1"):
        with pytest.raises(ValueError):
            cs.parse_scale(bad)


def test_factor_points_lower_and_higher_is_better():
    bands = cs.parse_scale("0:100, 10:80, 30:40")
    assert cs.factor_points(0, bands) == 100
    assert cs.factor_points(10, bands) == 80
    assert cs.factor_points(10.5, bands) == 40
    assert cs.factor_points(31, bands) == 0
    years = cs.parse_scale("0:0, 1:40, 3:70, 5:100")
    assert cs.factor_points(0.5, years, higher_is_better=True) == 0
    assert cs.factor_points(4, years, higher_is_better=True) == 70
    assert cs.factor_points(12, years, higher_is_better=True) == 100
    assert cs.factor_points(-1, years, higher_is_better=True) == 0
    assert cs.factor_points(75, []) == 75
    assert cs.factor_points(150, []) == 100


def test_weights_must_sum_to_100():
    cs.check_weights([50, 30, 20])
    with pytest.raises(ValueError, match="90"):
        cs.check_weights([50, 40])
    with pytest.raises(ValueError):
        cs.check_weights([110, -10])


def test_hand_worked_score_and_grade():
    # late 20% -> 60 pts (w 40), DSO 45 -> 80 pts (w 35), 4 years -> 70 pts (w 25)
    points = {"late_ratio": 60, "dso": 80, "relationship_years": 70}
    weights = {"late_ratio": 40, "dso": 35, "relationship_years": 25}
    score = cs.weighted_score(points, weights)
    assert score == pytest.approx(24 + 28 + 17.5)
    grades = [(90, "AAA"), (80, "AA"), (70, "A"), (60, "B"), (40, "C"), (0, "D")]
    assert cs.grade_for_score(score, grades) == "B"
    assert cs.grade_for_score(100, grades) == "AAA"
    assert cs.grade_for_score(39.99, grades) == "D"
    assert cs.grade_for_score(5, [(10, "X")]) is None


def test_overlapping_thresholds():
    assert cs.overlapping_thresholds([90, 80, 80, 0]) == [80]
    assert cs.overlapping_thresholds([90, 80]) == []

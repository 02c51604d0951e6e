import math
from datetime import date, datetime

import pytest
from addon_index import ADDON, load_plain_module

check = load_plain_module(ADDON / "tools" / "input_check.py")


def parse_date(value):
    """Odoo's Date.to_date, without Odoo."""
    if isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    return datetime.strptime(value[:10], "%Y-%m-%d").date()


@pytest.mark.parametrize(
    ("text", "multiline", "found"),
    [
        ("a\x00b", True, (1, "\x00")),
        ("\x1b[31mred", True, (0, "\x1b")),
        ("bell\x07", False, (4, "\x07")),
        ("C1 \x85 control", True, (3, "\x85")),
        ("lone \ud800 surrogate", True, (5, "\ud800")),
        ("tab\tin one line", False, (3, "\t")),
        ("two\nlines", False, (3, "\n")),
        ("two\r\nlines\tand a tab", True, None),
        ("拜访客户：王经理 🎉👨\u200d👩\u200d👧", False, None),
        ("right-to-left \u202e and no-break\u00a0space", False, None),
        ("", False, None),
    ],
)
def test_control_characters(text, multiline, found):
    assert check.find_control_character(text, multiline) == found


def test_text_problem():
    assert check.text_problem(False) is None
    assert check.text_problem(None) is None
    assert check.text_problem("长" * 100_000 + "😀", multiline=True) is None
    assert check.text_problem("a\x00") == check.CONTROL_CHARACTER
    assert check.text_problem(12) == check.NOT_TEXT
    assert check.text_problem(["a"]) == check.NOT_TEXT
    assert check.text_problem(b"bytes") == check.NOT_TEXT


@pytest.mark.parametrize(
    ("value", "integer", "problem"),
    [
        (12.5, False, None),
        (-3, False, None),
        (False, False, None),
        (None, True, None),
        (5.0, True, None),
        ("12.5", False, check.NOT_NUMBER),
        ("abc", True, check.NOT_NUMBER),
        (True, True, check.NOT_NUMBER),
        ([1], False, check.NOT_NUMBER),
        (math.nan, False, check.NOT_FINITE),
        (math.inf, True, check.NOT_FINITE),
        (-math.inf, False, check.NOT_FINITE),
        (4.7, True, check.NOT_WHOLE),
        (2**31, True, check.TOO_LARGE),
        (-(2**31) - 1, True, check.TOO_LARGE),
        (2**31 - 1, True, None),
        (1e300, False, None),
    ],
)
def test_number_problem(value, integer, problem):
    assert check.number_problem(value, integer=integer) == problem


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2026-03-02", None),
        (date(2026, 3, 2), None),
        (datetime(2026, 3, 2, 10, 0), None),
        (False, None),
        ("2026-13-45", check.NOT_DATE),
        ("yesterday", check.NOT_DATE),
        (20260302, check.NOT_DATE),
        ("0001-01-01", check.DATE_RANGE),
        ("3000-01-01", check.DATE_RANGE),
        ("1900-01-01", None),
        ("2999-12-31", None),
    ],
)
def test_date_problem(value, problem):
    assert check.date_problem(value, parse_date) == problem


def test_boolean_and_id_problems():
    for value in (True, False, None, 0, 1):
        assert check.boolean_problem(value) is None
    for value in ("no", "false", 2, 1.0, [True]):
        assert check.boolean_problem(value) == check.NOT_BOOLEAN
    for value in (1, 42, False, None):
        assert check.id_problem(value) is None
    for value in ("abc", "12", 1.5, True, 0, -4, 2**31, [1]):
        assert check.id_problem(value) == check.NOT_ID


def test_describe_is_short_and_printable():
    assert check.describe("a\x00b") == "'a\\x00b'"
    long = check.describe("x" * 500)
    assert len(long) == 40
    assert long.endswith("…")

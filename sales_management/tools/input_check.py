"""What makes a typed-in value unusable before it reaches the database.

Plain values in, a problem code out (``None`` when the value is fine), so the
models word the message and the pure layer tests the rules. Used by the
``sales.management.input.mixin`` abstract model for every field kind.
"""

import datetime
import math
import unicodedata

# PostgreSQL int4, the column of an Integer field.
INT_MIN = -(2**31)
INT_MAX = 2**31 - 1
# Dates far outside any business use break the date arithmetic (deadlines,
# week splits, repeat windows) long before the database refuses them.
MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2999, 12, 31)
# Characters a multi-line text may hold among the control characters.
LINE_CONTROLS = frozenset("\t\n\r")

# Problem codes.
NOT_TEXT = "not_text"
CONTROL_CHARACTER = "control_character"
NOT_NUMBER = "not_number"
NOT_FINITE = "not_finite"
NOT_WHOLE = "not_whole"
TOO_LARGE = "too_large"
NOT_DATE = "not_date"
DATE_RANGE = "date_range"
NOT_BOOLEAN = "not_boolean"
NOT_ID = "not_id"


def find_control_character(text, multiline=False):
    """(position, character) of the first character a text may not hold, or None.

    Refused: control characters (Unicode category Cc, NUL included; tab, line feed
    and carriage return are allowed in multi-line text) and lone surrogates (Cs),
    which cannot be encoded to UTF-8. Everything else, Chinese and emoji with their
    joiners included, is kept as typed.
    """
    for position, char in enumerate(text):
        if char.isprintable() or char == " ":
            continue
        category = unicodedata.category(char)
        if category == "Cs" or (category == "Cc" and not (multiline and char in LINE_CONTROLS)):
            return position, char
    return None


def text_problem(value, multiline=False):
    """Problem of a value given for a text field (Char, Text, Html), or None."""
    if value is None or value is False:
        return None
    if not isinstance(value, str):
        return NOT_TEXT
    if find_control_character(value, multiline):
        return CONTROL_CHARACTER
    return None


def number_problem(value, integer=False):
    """Problem of a value given for a number field, or None.

    ``False``/``None`` mean empty (zero), as in Odoo. Text is refused even when it
    reads as a number: forms and imports send numbers, so text is a caller's
    mistake that would otherwise reach comparisons and the database.
    """
    if value is None or value is False:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return NOT_NUMBER
    if isinstance(value, float) and not math.isfinite(value):
        return NOT_FINITE
    if integer:
        if isinstance(value, float) and not value.is_integer():
            return NOT_WHOLE
        if not INT_MIN <= value <= INT_MAX:
            return TOO_LARGE
    return None


def date_problem(value, parse, min_date=MIN_DATE, max_date=MAX_DATE):
    """Problem of a value given for a Date or Datetime field, or None.

    ``parse`` turns the value into a date or datetime (e.g. ``fields.Date.to_date``)
    and raises ValueError or TypeError on a value it cannot read.
    """
    if value is None or value is False:
        return None
    if not isinstance(value, str | datetime.date):
        return NOT_DATE
    try:
        parsed = parse(value)
    except (ValueError, TypeError, OverflowError):
        return NOT_DATE
    if parsed is None:
        return NOT_DATE
    day = parsed.date() if isinstance(parsed, datetime.datetime) else parsed
    if not min_date <= day <= max_date:
        return DATE_RANGE
    return None


def boolean_problem(value):
    """Problem of a value given for a Boolean field, or None (0 and 1 pass, as in JSON clients)."""
    if value is None or isinstance(value, bool) or (type(value) is int and value in (0, 1)):
        return None
    return NOT_BOOLEAN


def id_problem(value):
    """Problem of a value given for a many2one field as an id, or None (existence is the
    database's check, which Odoo turns into a clear message)."""
    if value is None or value is False:
        return None
    if type(value) is int and 0 < value <= INT_MAX:
        return None
    return NOT_ID


def describe(value, limit=40):
    """A short, printable rendering of a refused value for an error message."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"

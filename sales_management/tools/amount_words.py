"""Amounts in words on printed documents (大写金额).

Simplified Chinese documents carry the amount in capital figures (人民币大写, e.g.
壹万贰仟叁佰肆拾伍元陆角柒分), spelled by the maintained ``cn2an`` library; every other
language spells it with ``num2words``, the way Odoo's ``res.currency.amount_to_text``
does (the ORM layer passes that method in as ``spell``). The sign is handled here:
``cn2an`` writes "负零元整" for -0.00 and ``amount_to_text`` drops the sign of
-0.05, so both only ever see the magnitude.
"""

from decimal import ROUND_HALF_UP, Decimal

import cn2an
from num2words import num2words

# Languages written with simplified characters, whose capitals cn2an spells.
CHINESE_CAPITALS_LANGS = ("zh_CN", "zh_SG")
CHINESE_MINUS = "负"
# Chinese names of the currencies a Chinese company meets most; others keep the
# name the caller gives (Odoo's full name or ISO code).
CHINESE_CURRENCY_NAMES = {
    "AUD": "澳元",
    "CAD": "加元",
    "CHF": "瑞士法郎",
    "EUR": "欧元",
    "GBP": "英镑",
    "HKD": "港币",
    "JPY": "日元",
    "KRW": "韩元",
    "MOP": "澳门元",
    "NZD": "新西兰元",
    "RUB": "卢布",
    "SGD": "新加坡元",
    "THB": "泰铢",
    "TWD": "新台币",
    "USD": "美元",
}


def is_chinese_capitals_lang(lang):
    """True when documents in ``lang`` (an Odoo code such as zh_CN) carry Chinese capitals."""
    return bool(lang) and lang in CHINESE_CAPITALS_LANGS


def split_amount(amount, decimal_places=2):
    """``(is_negative, magnitude)`` of ``amount`` rounded half-up to ``decimal_places``.

    The magnitude is a ``Decimal``; an amount that rounds to zero is never negative.
    """
    if decimal_places < 0:
        raise ValueError("decimal_places must not be negative")
    exponent = Decimal(1).scaleb(-decimal_places)
    rounded = Decimal(str(amount)).quantize(exponent, rounding=ROUND_HALF_UP)
    return rounded < 0, abs(rounded)


def chinese_capitals(amount, currency_code="CNY", currency_name=None, decimal_places=2):
    """Capital figures of ``amount``: 元/角/分 for CNY, led by the currency's name otherwise.

    A negative amount's figures start with 负 (美元负壹拾元整). With more than two
    decimals (which 角 and 分 cannot carry) the figures are read with 点.
    """
    negative, magnitude = split_amount(amount, decimal_places)
    text = f"{magnitude:.{decimal_places}f}"
    words = cn2an.an2cn(text, "rmb" if decimal_places <= 2 else "up")
    if negative:
        words = f"{CHINESE_MINUS}{words}"
    if currency_code == "CNY":
        return words
    name = CHINESE_CURRENCY_NAMES.get(currency_code) or currency_name or currency_code
    # A name in Latin letters (an Odoo full name, an ISO code) stands apart from the figures.
    return f"{name}{'' if not name.isascii() else ' '}{words}"


def spell_with_num2words(magnitude, lang="en", unit="", subunit="", decimal_places=2):
    """A non-negative amount in words, worded like Odoo's ``amount_to_text``.

    ``lang`` is a language code (en, fr_FR; num2words falls back to its first two
    letters); a language num2words does not know is spelled in English, as Odoo does.
    """

    def spell(number):
        try:
            return num2words(number, lang=lang).title()
        except NotImplementedError:
            return num2words(number, lang="en").title()

    integral, _sep, fractional = f"{Decimal(str(magnitude)):.{decimal_places}f}".partition(".")
    if not int(fractional or 0):
        return f"{spell(int(integral))} {unit}".strip()
    return f"{spell(int(integral))} {unit} and {spell(int(fractional))} {subunit}".strip()


def amount_in_words(
    amount,
    lang="en_US",
    currency_code="CNY",
    currency_name=None,
    decimal_places=2,
    unit="",
    subunit="",
    spell=None,
    minus="Minus %s",
):
    """``amount`` in words for a document in ``lang`` (an Odoo language code).

    Simplified Chinese: capital figures (see ``chinese_capitals``). Other languages:
    ``spell(magnitude)`` — Odoo's ``amount_to_text`` in the ORM layer, by default
    ``spell_with_num2words`` — with ``minus`` (a ``%s`` template, translated by the
    caller) around it when the amount is negative.
    """
    if is_chinese_capitals_lang(lang):
        return chinese_capitals(amount, currency_code, currency_name, decimal_places)
    negative, magnitude = split_amount(amount, decimal_places)
    if spell is None:
        text = spell_with_num2words(magnitude, lang or "en", unit, subunit, decimal_places)
    else:
        text = spell(float(magnitude))
    return minus % text if negative else text

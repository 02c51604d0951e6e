"""Amounts in words: Chinese capital figures (cn2an) and num2words, against hand-written examples."""

from decimal import Decimal

import pytest
from addon_index import ADDON, load_plain_module

aw = load_plain_module(ADDON / "tools" / "amount_words.py")


@pytest.mark.parametrize(
    "amount, words",
    [
        (0, "零元整"),
        (0.05, "伍分"),
        (0.5, "伍角"),
        (10.10, "壹拾元壹角"),
        (10, "壹拾元整"),
        (1001, "壹仟零壹元整"),
        (1010.01, "壹仟零壹拾元零壹分"),
        (1_000_000.01, "壹佰万元零壹分"),
        (12345.67, "壹万贰仟叁佰肆拾伍元陆角柒分"),
        (100_000_000, "壹亿元整"),
        (-12345.67, "负壹万贰仟叁佰肆拾伍元陆角柒分"),
        (-0.05, "负伍分"),
        # Rounded half-up to the fen first; what rounds to nothing has no sign.
        (0.005, "壹分"),
        (2.675, "贰元陆角捌分"),
        (-0.004, "零元整"),
    ],
)
def test_rmb_capitals(amount, words):
    assert aw.chinese_capitals(amount) == words
    assert aw.amount_in_words(amount, "zh_CN", "CNY") == words


@pytest.mark.parametrize(
    "amount, code, name, places, words",
    [
        (10.10, "USD", "US Dollar", 2, "美元壹拾元壹角"),
        (-10, "USD", "US Dollar", 2, "美元负壹拾元整"),
        (1_000_000.01, "EUR", "Euro", 2, "欧元壹佰万元零壹分"),
        (12345, "JPY", "Japanese yen", 0, "日元壹万贰仟叁佰肆拾伍元整"),
        # A currency without a Chinese name keeps the one given; three decimals are read with 点.
        (1234.567, "KWD", "Kuwaiti dinar", 3, "Kuwaiti dinar 壹仟贰佰叁拾肆点伍陆柒"),
        (-3, "XYZ", None, 2, "XYZ 负叁元整"),
    ],
)
def test_capitals_of_other_currencies_carry_their_name(amount, code, name, places, words):
    assert aw.chinese_capitals(amount, code, name, places) == words


@pytest.mark.parametrize(
    "amount, words",
    [
        (0, "Zero Dollars"),
        (0.05, "Zero Dollars and Five Cents"),
        (10.10, "Ten Dollars and Ten Cents"),
        (1_000_000.01, "One Million Dollars and One Cents"),
        (-1234.5, "Minus One Thousand, Two Hundred And Thirty-Four Dollars and Fifty Cents"),
        # Odoo's amount_to_text would lose this sign (int("-0") is 0).
        (-0.05, "Minus Zero Dollars and Five Cents"),
        (-0.001, "Zero Dollars"),
    ],
)
def test_english_words(amount, words):
    assert aw.amount_in_words(amount, "en_US", "USD", unit="Dollars", subunit="Cents") == words


def test_unknown_language_is_spelled_in_english():
    assert aw.amount_in_words(3, "xx_XX", "USD", unit="Dollars") == "Three Dollars"


def test_french_words_from_num2words():
    assert aw.amount_in_words(10.10, "fr_FR", "EUR", unit="Euros", subunit="Centimes") == ("Dix Euros and Dix Centimes")


def test_spell_gets_the_magnitude_and_minus_wraps_it():
    seen = []

    def spell(magnitude):
        seen.append(magnitude)
        return f"<{magnitude:.2f}>"

    assert aw.amount_in_words(-12.345, "de_DE", "EUR", spell=spell, minus="Minus %s") == "Minus <12.35>"
    assert aw.amount_in_words(7, "de_DE", "EUR", spell=spell, minus="Minus %s") == "<7.00>"
    assert seen == [12.35, 7.0]


def test_chinese_capitals_only_for_simplified_chinese():
    assert aw.is_chinese_capitals_lang("zh_CN")
    assert aw.is_chinese_capitals_lang("zh_SG")
    assert not aw.is_chinese_capitals_lang("zh_TW")
    assert not aw.is_chinese_capitals_lang("en_US")
    assert not aw.is_chinese_capitals_lang(None)
    assert aw.amount_in_words(10, "zh_TW", "CNY", unit="Yuan") == "Ten Yuan"


def test_split_amount():
    assert aw.split_amount(-2.675) == (True, Decimal("2.68"))
    assert aw.split_amount(-0.004) == (False, Decimal("0.00"))
    assert aw.split_amount(1234.5, 0) == (False, Decimal("1235"))
    with pytest.raises(ValueError):
        aw.split_amount(1, -1)

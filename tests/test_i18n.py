"""The zh_CN translation is complete and uses the users' own terms (SPEC)."""

import re

import polib
from addon_index import ADDON

PO = polib.pofile(str(ADDON / "i18n" / "zh_CN.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sd]|\{\w*\}")


def test_every_entry_translated():
    missing = [e.msgid for e in PO if not e.msgstr and not e.obsolete]
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:5]}"


def test_placeholders_kept():
    wrong = [e.msgid for e in PO if sorted(PLACEHOLDER.findall(e.msgid)) != sorted(PLACEHOLDER.findall(e.msgstr))]
    assert not wrong, wrong[:5]


def test_spec_terms():
    by_id = {e.msgid: e.msgstr for e in PO}
    assert by_id["Sales Management"] == "销售管理"
    assert by_id["Credit Controller"] == "信用管理员"
    assert "整改措施" in by_id["Corrective Action"]
    assert "营业日报" in by_id["Daily Sales Report"]


def test_accounting_and_sales_terms():
    """Credit notes as accountants and Odoo's Chinese say, DSO in full, one word for salesperson."""
    by_id = {e.msgid: e.msgstr for e in PO}
    assert by_id["Credit Note"] == "红字发票"
    assert by_id["DSO"] == "应收账款周转天数"
    assert by_id["Salesperson"] == "销售员"
    others = ("业务员", "销售代表", "销售人员", "信用票据", "贷项通知单", "积欠天数")
    wrong = [e.msgid for e in PO if any(word in e.msgstr for word in others)]
    assert not wrong, wrong[:5]


def test_every_translation_is_in_the_pot():
    """Odoo merges the .po with the addon's .pot on loading: an entry missing from the .pot
    becomes obsolete and its translation is dropped (the screen stays English)."""
    pot = {e.msgid for e in polib.pofile(str(ADDON / "i18n" / "sales_management.pot"))}
    dropped = [e.msgid for e in PO if not e.obsolete and e.msgid not in pot]
    assert not dropped, f"{len(dropped)} not in sales_management.pot, e.g. {dropped[:5]}"

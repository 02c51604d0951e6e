"""The static checks must be able to fail: feed them broken input."""

from addon_index import check_view_fields, qualify
from lxml import etree


def _errors(arch, model):
    errors = []
    check_view_fields(etree.fromstring(arch), model, "test", errors)
    return errors


def test_unknown_field_is_reported():
    errors = _errors('<form><field name="company_id"/><field name="no_such_field"/></form>', "res.config.settings")
    assert errors == ["test: field 'no_such_field' does not exist on res.config.settings"]


def test_unknown_model_is_reported():
    assert "neither the addon's" in _errors('<form><field name="name"/></form>', "no.such.model")[0]


def test_addon_field_is_accepted():
    assert _errors('<form><field name="resource_calendar_id"/></form>', "res.config.settings") == []


def test_qualify():
    assert qualify("group_x") == "sales_management.group_x"
    assert qualify("base.group_user") == "base.group_user"

from lxml import etree

from odoo.tests import tagged

from .credit_common import CreditCase


@tagged("post_install", "-at_install")
class TestCreditOverview(CreditCase):
    """The credit overview a Credit Controller reads at 1366 px, and on a phone."""

    def _arch(self, model, view_type):
        return etree.fromstring(self.env[model].with_user(self.user_credit).get_view(view_type=view_type)["arch"])

    def test_state_badge_explains_the_row_colours(self):
        Status = self.env["sales.credit.status"]
        good = Status._get_status(self.customer, self.company, create=True)
        late = self.env["res.partner"].create({"name": "Late", "is_company": True, "user_id": self.user_rep.id})
        self._invoice(300, partner=late, days_ago=20, due_days=10)
        over = self.env["res.partner"].create({"name": "Over", "is_company": True, "credit_limit": 100.0})
        self._invoice(500, partner=over, days_ago=1, due_days=30)
        held = self.env["res.partner"].create({"name": "Held", "is_company": True})
        statuses = Status._get_status(late | over | held, self.company, create=True)
        statuses._recompute(self.today)
        Status._get_status(held, self.company).write({"hold": True, "hold_reason": "Disputed delivery."})
        # The limits the grades gave are replaced by the customers' own.
        over.credit_limit = 100.0
        late.credit_limit = 100000.0
        states = {s.partner_id.name: s.credit_state for s in (good | statuses).with_user(self.user_credit)}
        self.assertEqual(states, {"Credit Customer": "ok", "Late": "overdue", "Over": "over_limit", "Held": "hold"})
        # The badge's colours are the rows' colours.
        arch = self._arch("sales.credit.status", "list")
        self.assertEqual(arch.get("decoration-danger"), "hold")
        [badge] = arch.xpath("//field[@name='credit_state']")
        self.assertEqual(badge.get("widget"), "badge")
        self.assertEqual(badge.get("decoration-danger"), "credit_state == 'hold'")
        self.assertIn("over_limit", badge.get("decoration-warning"))
        self.assertIn("is_over_limit", arch.get("decoration-warning"))

    def test_list_totals_and_optional_columns(self):
        arch = self._arch("sales.credit.status", "list")
        columns = {f.get("name"): f for f in arch.xpath("/list/field")}
        for name in ("credit_limit", "exposure", "available_credit"):
            self.assertTrue(columns[name].get("sum"), name)
            self.assertFalse(columns[name].get("optional"), f"{name} is always shown")
        hidden = {name for name, f in columns.items() if f.get("optional") == "hide"}
        self.assertLessEqual(
            {"score", "team_id", "area_id", "ageing_1_30", "ageing_over_180", "abc_class", "hold"}, hidden
        )
        shown = [
            name
            for name, f in columns.items()
            if f.get("optional") != "hide" and f.get("column_invisible") not in ("True", "1")
        ]
        self.assertLessEqual(len(shown), 10, f"too many columns for 1366 px: {shown}")

    def test_kanban_for_phones(self):
        action = self.env.ref("sales_management.sales_credit_status_action")
        self.assertIn("kanban", action.view_mode.split(","))
        arch = self._arch("sales.credit.status", "kanban")
        names = set(arch.xpath("//field/@name"))
        self.assertLessEqual({"partner_id", "credit_limit", "exposure", "available_credit", "credit_state"}, names)

    def test_point_scale_in_words(self):
        Factor = self.env["sales.credit.factor"]
        factor = Factor.new({"code": "oldest_overdue_days", "weight": 10, "scale": "0:100, 10:80, 30:40"})
        self.assertEqual(factor.scale_display, "≤ 0: 100 pts · ≤ 10: 80 pts · ≤ 30: 40 pts · more: 0 pts")
        factor = Factor.new({"code": "oldest_overdue_days", "scale": "50:60, 80:100", "higher_is_better": True})
        self.assertEqual(factor.scale_display, "less: 0 pts · ≥ 50: 60 pts · ≥ 80: 100 pts")
        manual = Factor.new({"code": "oldest_overdue_days"})
        self.assertEqual(manual.scale_display, "The value itself is the points (0-100)")
        # The policy form shows it beside the raw scale.
        arch = self._arch("sales.credit.policy", "form")
        self.assertTrue(arch.xpath("//field[@name='factor_ids']//field[@name='scale_display']"))


@tagged("post_install", "-at_install")
class TestSmallerViews(CreditCase):
    def test_onsite_deadline_only_for_quality_complaints(self):
        arch = etree.fromstring(self.env["sales.complaint"].get_view(view_type="list")["arch"])
        [column] = arch.xpath("//field[@name='onsite_deadline']")
        self.assertEqual(column.get("invisible"), "not is_quality")
        form = etree.fromstring(self.env["sales.complaint"].get_view(view_type="form")["arch"])
        [field] = form.xpath("//field[@name='onsite_deadline']")
        self.assertIn("not is_quality", "".join(a.get("invisible") or "" for a in field.iterancestors()))

    def test_plan_list_shows_actual_beside_target(self):
        arch = etree.fromstring(self.env["sales.quota.plan"].get_view(view_type="list")["arch"])
        names = [f.get("name") for f in arch.xpath("/list/field")]
        self.assertEqual(names[names.index("sales_target") + 1], "actual_amount")
        self.assertNotEqual(
            arch.xpath("//field[@name='actual_amount']")[0].get("optional"), "hide", "actual shown by default"
        )

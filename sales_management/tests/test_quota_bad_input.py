import math
from datetime import date

from odoo.tests import Form, freeze_time, new_test_user, tagged

from .bad_input_common import ESCAPE, LONG_TEXT, NUL, BadInputCase
from .quota_common import QuotaCase

PLAN_FIELDS = [
    "name",
    "state",
    "year",
    "basis",
    "target_mode",
    "growth_rate",
    "quarterly_step",
    "sales_target",
    "margin_target",
    "net_profit_rate",
    "value_added_rate",
    "headcount",
]
SHARE_FIELDS = ["dimension", "month", "share", "is_manual"]
LINE_FIELDS = [
    "date_from",
    "date_to",
    "breakdown",
    "period_level",
    "user_id",
    "target_amount",
    "target_quantity",
    "new_customer_target",
    "note",
]


@tagged("post_install", "-at_install")
@freeze_time("2026-01-16")
class TestQuotaBadInput(QuotaCase, BadInputCase):
    """Bad input on sales plans, their shares, quota lines and snapshots, as the sales
    manager (the rep for his lines' notes) over JSON-RPC, forms and imports."""

    capability = "plans"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_portal = new_test_user(cls.env, login="sm_bq_portal", name="Portal Pia", groups="base.group_portal")
        cls._history()
        cls.plan = cls.env["sales.quota.plan"].create(
            {"year": 2026, "company_id": cls.company.id, "team_id": cls.team.id, "sales_target": 12000.0}
        )
        cls.plan.with_user(cls.manager).action_generate()
        cls.empty_plan = cls.env["sales.quota.plan"].create(
            {"name": "Empty 2027", "year": 2027, "company_id": cls.company.id, "sales_target": 1000.0}
        )
        cls.months = cls.plan.share_ids.filtered(lambda s: s.dimension == "month")
        cls.january = cls.months.filtered(lambda s: s.month == 1)
        cls.line = cls.plan.line_ids.filtered(
            lambda line: line.period_level == "month" and line.user_id == cls.rep and line.breakdown == "salesperson"
        )[:1]

    def setUp(self):
        super().setUp()
        self.plans_unchanged = self._reader(self.plan | self.empty_plan, PLAN_FIELDS)
        self.shares_unchanged = self._reader(self.plan.share_ids, SHARE_FIELDS)
        self.lines_unchanged = self._reader(self.line, LINE_FIELDS)

    def _write_plan(self, klass, vals, fragment, plan=None):
        return self.assertRpcRefused(
            klass,
            "sales.quota.plan",
            "write",
            [(plan or self.plan).ids, vals],
            fragment,
            unchanged=self.plans_unchanged,
        )

    def _write_share(self, klass, vals, fragment):
        return self.assertRpcRefused(
            klass,
            "sales.quota.plan.share",
            "write",
            [self.january.ids, vals],
            fragment,
            unchanged=self.shares_unchanged,
        )

    def _write_line(self, klass, vals, fragment):
        return self.assertRpcRefused(
            klass, "sales.quota.line", "write", [self.line.ids, vals], fragment, unchanged=self.lines_unchanged
        )

    def _create(self, klass, model, vals, fragment):
        return self.assertRpcRefused(klass, model, "create", [[vals]], fragment, unchanged=self._counter(model))

    # -- Plans ---------------------------------------------------------------------------
    def test_rpc_plan_values_refused(self):
        self.authenticate("sm_q_manager", "sm_q_manager")
        for vals, fragment, klass in (
            ({"year": "2026"}, "Year expects a number", "numbers as text"),
            ({"year": 2026.5}, "expects a whole number", "whole numbers"),
            ({"year": 1999}, "Year must be between 2000 and 2100, not 1999", "out of range"),
            ({"year": 2**40}, "between -2147483648 and 2147483647", "out of range"),
            ({"sales_target": "12000"}, "Sales Target expects a number", "numbers as text"),
            ({"sales_target": math.nan}, "finite number", "NaN and infinity"),
            ({"margin_target": math.inf}, "finite number", "NaN and infinity"),
            ({"sales_target": -1.0}, "cannot be negative: Sales Target", "out of range"),
            ({"headcount": -3}, "cannot be negative: Headcount", "out of range"),
            ({"net_profit_rate": 150.0}, "Planned Net-Profit Rate (%) must be between 0.0 and 100.0", "out of range"),
            ({"value_added_rate": -1.0}, "between 0.0 and 100.0", "out of range"),
            ({"growth_rate": -150.0}, "Growth (%) must be at least -100.0", "out of range"),
            ({"quarterly_step": -math.inf}, "finite number", "NaN and infinity"),
            ({"basis": "cash"}, "is not a valid value", "selection values"),
            ({"target_mode": "guess"}, "is not a valid value", "selection values"),
            ({"split_weeks": "yes"}, "true or false", "wrong types"),
            ({"name": NUL}, "control character", "control characters"),
            ({"name": "Plan\n2026"}, "control character", "control characters"),
            ({"name": "   "}, "needs a name", "blank values"),
        ):
            with self.subTest(vals=vals):
                self._write_plan(klass, vals, fragment)
        self._create(
            "out of range",
            "sales.quota.plan",
            {"year": 1900, "company_id": self.company.id, "sales_target": 1.0},
            "between 2000 and 2100",
        )
        # Long and unicode names are kept.
        name = "2026 年度销售计划 📈 " + LONG_TEXT[:500]
        self.assertRpcAccepted(
            "unicode and long text kept", "sales.quota.plan", "write", [self.plan.ids, {"name": name}]
        )
        self.env.invalidate_all()
        self.assertEqual(self.plan.name, name)

    def test_rpc_plan_state_transitions_refused(self):
        self.authenticate("sm_q_manager", "sm_q_manager")
        self._write_plan("state transitions", {"state": "closed"}, "cannot go from Draft to Closed")
        self._write_plan(
            "state transitions", {"state": "confirmed"}, "Generate or import quota lines", plan=self.empty_plan
        )
        self._write_plan("state transitions", {"state": "archived"}, "archived")
        self._create(
            "state transitions",
            "sales.quota.plan",
            {"year": 2028, "company_id": self.company.id, "state": "confirmed"},
            "starts as a draft",
        )
        # Shares that no longer sum to 100%: the plan is not confirmed.
        self.assertRpcAccepted(
            "valid values kept",
            "sales.quota.plan.share",
            "write",
            [self.january.ids, {"share": self.january.share + 3}],
        )
        unchanged = self._reader(self.plan, ["state"])
        for method, args in (("write", [self.plan.ids, {"state": "confirmed"}]), ("action_confirm", [self.plan.ids])):
            with self.subTest(method=method):
                self.assertRpcRefused(
                    "shares sum to 100%", "sales.quota.plan", method, args, "they must sum to 100%", unchanged=unchanged
                )
        self.assertRpcAccepted("valid values kept", "sales.quota.plan", "action_normalise_shares", [self.plan.ids])
        self.assertRpcAccepted("valid values kept", "sales.quota.plan", "action_confirm", [self.plan.ids])
        self.assertEqual(self.plan.state, "confirmed")
        self.plans_unchanged = self._reader(self.plan, PLAN_FIELDS)
        self._write_plan("state transitions", {"state": "closed", "year": 2030}, "read-only")
        self.authenticate("sm_q_manager", "sm_q_manager")
        self.assertRpcAccepted("valid values kept", "sales.quota.plan", "action_close", [self.plan.ids])
        self.plans_unchanged = self._reader(self.plan, PLAN_FIELDS)
        for state in ("draft", "confirmed"):
            with self.subTest(state=state):
                self._write_plan("state transitions", {"state": state}, "cannot go from Closed")

    # -- Shares ----------------------------------------------------------------------------
    def test_rpc_share_values_refused(self):
        self.authenticate("sm_q_manager", "sm_q_manager")
        for vals, fragment, klass in (
            ({"share": 150.0}, "Share After (%) must be between 0.0 and 100.0, not 150.0", "out of range"),
            ({"share": -0.5}, "between 0.0 and 100.0", "out of range"),
            ({"share": math.nan}, "finite number", "NaN and infinity"),
            ({"share": "50%"}, "expects a number", "numbers as text"),
            ({"month": 13}, "Month must be between 0 and 12", "out of range"),
            ({"month": 0}, "month between 1 and 12", "out of range"),
            ({"month": 1.5}, "whole number", "whole numbers"),
            ({"dimension": "region"}, "is not a valid value", "selection values"),
        ):
            with self.subTest(vals=vals):
                self._write_share(klass, vals, fragment)
        self._create(
            "out of range",
            "sales.quota.plan.share",
            {"plan_id": self.plan.id, "dimension": "category", "categ_id": self.categ.id, "share": 101.0},
            "between 0.0 and 100.0",
        )

    # -- Quota lines ------------------------------------------------------------------------
    def test_rpc_line_values_refused(self):
        self.authenticate("sm_q_manager", "sm_q_manager")
        for vals, fragment, klass in (
            ({"target_amount": -1.0}, "targets cannot be negative", "out of range"),
            ({"new_customer_target": -2}, "targets cannot be negative", "out of range"),
            ({"target_amount": math.nan}, "Target expects a finite number", "NaN and infinity"),
            ({"collection_target": math.inf}, "finite number", "NaN and infinity"),
            ({"target_amount": "100"}, "expects a number", "numbers as text"),
            ({"new_customer_target": 2.5}, "whole number", "whole numbers"),
            ({"date_to": "2026-00-10"}, "expects a date", "date formats"),
            ({"date_from": "2026-02-01", "date_to": "2026-01-31"}, "the period ends before it starts", "date order"),
            ({"date_to": "2027-01-31"}, "outside the plan year 2026", "date order"),
            ({"breakdown": "region"}, "is not a valid value", "selection values"),
            ({"period_level": "year"}, "is not a valid value", "selection values"),
            ({"note": NUL}, "control character", "control characters"),
            # The line's team comes first: whoever is not in it (a portal user first of all) is refused.
            ({"user_id": self.user_portal.id}, "Portal Pia is not a member of the sales team", "user kind"),
        ):
            with self.subTest(vals=vals):
                self._write_line(klass, vals, fragment)
        # The rep adds notes to his lines, nothing else.
        self.authenticate("sm_q_rep", "sm_q_rep")
        for vals, fragment, klass in (
            ({"note": ESCAPE}, "control character", "control characters"),
            ({"note": "a\nb"}, "control character", "control characters"),
            ({"target_amount": 1.0}, "only add notes", "rights"),
        ):
            with self.subTest(vals=vals):
                self._write_line(klass, vals, fragment)
        self.assertRpcAccepted(
            "unicode and long text kept", "sales.quota.line", "write", [self.line.ids, {"note": "重点客户 🎯 月底回款"}]
        )
        self.env.invalidate_all()
        self.assertEqual(self.line.note, "重点客户 🎯 月底回款")

    # -- Searches and read-only snapshots ---------------------------------------------------
    def test_rpc_search_values_and_snapshots(self):
        self.authenticate("sm_q_manager", "sm_q_manager")
        for model, domain, fragment in (
            ("sales.quota.plan", [("year", "=", "2026")], "expects a number"),
            ("sales.quota.plan", [("sales_target", ">", math.nan)], "finite number"),
            ("sales.quota.plan.share", [("share", ">", "half")], "expects a number"),
            ("sales.quota.line", [("date_from", ">=", "January")], "expects a date"),
            ("sales.quota.line", [("target_amount", "in", [1.0, math.inf])], "finite number"),
            ("sales.quota.snapshot", [("achievement_rate", "<", "low")], "expects a number"),
            ("sales.quota.snapshot", [("snapshot_month", "=", "2026-13-01")], "expects a date"),
        ):
            with self.subTest(model=model, domain=domain):
                self.assertRpcRefused("search values", model, "search_count", [domain], fragment)
        self._create(
            "rights",
            "sales.quota.snapshot",
            {"snapshot_month": "2026-01-01", "plan_id": self.plan.id, "breakdown": "salesperson"},
            "not allowed",
        )

    # -- Forms ---------------------------------------------------------------------------------
    def test_form_paths(self):
        with self.assertRefused("out of range", "between 2000 and 2100", unchanged=self.plans_unchanged):
            form = Form(self.empty_plan.with_user(self.manager))
            form.year = 1999
            form.save()
        with self.assertRefused("out of range", "between 0.0 and 100.0", unchanged=self.shares_unchanged):
            form = Form(self.plan.with_user(self.manager))
            with form.share_ids.edit(0) as share:
                share.share = 120.0
            form.save()
        with self.assertRefused("date order", "ends before it starts", unchanged=self.lines_unchanged):
            form = Form(self.line.with_user(self.manager))
            form.date_to = date(2026, 1, 1)
            form.date_from = date(2026, 1, 31)
            form.save()

    # -- Imports ---------------------------------------------------------------------------------
    def test_import_paths(self):
        Line = self.env["sales.quota.line"].with_user(self.manager)
        count = self._counter("sales.quota.line")
        base_names = ["plan_id/.id", "date_from", "date_to"]
        base_row = [str(self.plan.id), "2026-06-01", "2026-06-30"]
        for field, value, fragment, klass in (
            ("target_amount", "nan", "finite number", "NaN and infinity"),
            ("target_amount", "-inf", "finite number", "NaN and infinity"),
            ("target_amount", "-100", "targets cannot be negative", "out of range"),
            ("note", NUL, "control character", "control characters"),
            ("user_id/.id", str(self.user_portal.id), "choose an internal user", "user kind"),
            ("breakdown", "region", "region", "selection values"),
        ):
            with self.subTest(field=field, value=value):
                self.assertLoadRefused(klass, Line, [*base_names, field], [[*base_row, value]], fragment, count)
        self.assertLoadRefused(
            "date order",
            Line,
            base_names,
            [[str(self.plan.id), "2026-06-30", "2026-06-01"]],
            "ends before it starts",
            count,
        )
        self.assertLoadRefused(
            "out of range",
            self.env["sales.quota.plan.share"].with_user(self.manager),
            ["plan_id/.id", "dimension", "categ_id/.id", "share"],
            [[str(self.plan.id), "category", str(self.categ.id), "250"]],
            "between 0.0 and 100.0",
            self._counter("sales.quota.plan.share"),
        )
        self.assertLoadRefused(
            "state transitions",
            self.env["sales.quota.plan"].with_user(self.manager),
            ["year", "company_id/.id", "state"],
            [["2029", str(self.company.id), "closed"]],
            "starts as a draft",
            self._counter("sales.quota.plan"),
        )
        self.assertLoadRefused(
            "NaN and infinity",
            self.env["sales.quota.plan"].with_user(self.manager),
            ["year", "company_id/.id", "sales_target"],
            [["2029", str(self.company.id), "nan"]],
            "finite number",
            self._counter("sales.quota.plan"),
        )

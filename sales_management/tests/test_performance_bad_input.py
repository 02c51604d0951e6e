import math
from datetime import date

from odoo import Command, fields
from odoo.tests import Form, new_test_user, tagged

from .bad_input_common import BELL, ESCAPE, LONG_TEXT, NUL, UNICODE_TEXT, BadInputCase
from .scorecard_common import MONTH_END, MONTH_START, ScorecardCase

CARD_FIELDS = ["attitude_score", "skill_score", "manager_comment", "total_score", "state"]
WEIGHT_FIELDS = ["policy_id", "code", "weight", "reference"]
FORECAST_FIELDS = ["date", "partner_id", "user_id", "forecast_amount", "note"]
REVIEW_FIELDS = ["date", "date_from", "date_to", "manager_id", "rating", "conclusion", "state"]
AREA_FIELDS = ["name", "code", "manager_id", "parent_id", "note"]


@tagged("post_install", "-at_install")
class TestPerformanceBadInput(ScorecardCase, BadInputCase):
    """Bad input on the performance capability — scorecards, their policies and weights,
    the compute wizard, customer forecasts and their prepare wizard, key-account reviews,
    areas and the area, team, product and order fields the addon adds — as the rep, the
    sales manager or the Sales administrator (whoever may make the change) over JSON-RPC,
    forms and imports."""

    capability = "performance"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        user_vals = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.user_portal = new_test_user(cls.env, login="sm_bp_portal", name="Portal Pia", groups="base.group_portal")
        cls.sales_admin = new_test_user(
            cls.env,
            login="sm_bp_salesadmin",
            name="Sales Admin Sam",
            groups="sales_team.group_sale_manager",
            **user_vals,
        )
        cls.rep_contacts = new_test_user(
            cls.env,
            login="sm_bp_contacts",
            name="Rep With Contacts",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
            **user_vals,
        )
        cls._plan(
            lines=[{"user_id": cls.rep.id, "date_from": MONTH_START, "date_to": MONTH_END, "target_amount": 1000.0}]
        )
        cards = cls.env["sales.rep.scorecard"].sudo().with_company(cls.company)
        cards._compute_scorecards(cls.rep | cls.rep2, "month", MONTH_START, MONTH_END)
        cls.ruth = cards.search([("user_id", "=", cls.rep.id), ("date_from", "=", MONTH_START)])
        cls.policy = cls.env["sales.rep.scorecard.policy"].create(
            {
                "name": "Bad Input Weights",
                "company_id": cls.company.id,
                "weight_ids": [
                    Command.create({"code": "sales", "weight": 60.0, "reference": 100.0}),
                    Command.create({"code": "collection", "weight": 40.0, "reference": 100.0}),
                ],
            }
        )
        cls.sales_weight = cls.policy.weight_ids.filtered(lambda w: w.code == "sales")
        cls.collection_weight = cls.policy.weight_ids.filtered(lambda w: w.code == "collection")
        cls.next_month = fields.Date.add(fields.Date.today().replace(day=1), months=1)
        cls.forecast = cls.env["sales.customer.forecast"].create(
            {"date": cls.next_month, "partner_id": cls.alder.id, "user_id": cls.rep.id, "forecast_amount": 800.0}
        )
        cls.alder.write({"is_key_account": True, "key_account_manager_id": cls.manager.id})
        cls.review = (
            cls.env["sales.key.account.review"]
            .with_user(cls.manager)
            .create({"partner_id": cls.alder.id, "date_from": date(2026, 1, 1), "date_to": date(2026, 10, 31)})
        )
        cls.sub_area = cls.env["sales.area"].create(
            {"name": "Shanghai", "parent_id": cls.area.id, "company_id": cls.company.id}
        )
        cls.order = cls.env["sale.order"].create({"partner_id": cls.alder.id, "user_id": cls.rep.id})

    def setUp(self):
        super().setUp()
        self.card_unchanged = self._reader(self.ruth, CARD_FIELDS)
        self.weights_unchanged = self._reader(self.policy.weight_ids, WEIGHT_FIELDS)
        self.weight_count = self._counter("sales.rep.scorecard.weight", [("policy_id", "=", self.policy.id)])
        self.forecast_unchanged = self._reader(self.forecast, FORECAST_FIELDS)
        self.review_unchanged = self._reader(self.review, REVIEW_FIELDS)
        self.areas_unchanged = self._reader(self.area | self.sub_area, AREA_FIELDS)

    def _weights_unchanged(self):
        return self.weights_unchanged(), self.weight_count()

    def _write(self, klass, model, records, vals, fragment, unchanged):
        return self.assertRpcRefused(klass, model, "write", [records.ids, vals], fragment, unchanged=unchanged)

    def _create(self, klass, model, vals, fragment):
        return self.assertRpcRefused(klass, model, "create", [[vals]], fragment, unchanged=self._counter(model))

    # -- Scorecards -----------------------------------------------------------------------
    def test_rpc_scorecard_values_refused(self):
        self.authenticate("sm_sc_manager", "sm_sc_manager")
        for vals, fragment, klass in (
            ({"attitude_score": 150.0}, "Work Attitude of", "out of range"),
            ({"skill_score": -1.0}, "is scored from 0 to 100, not -1.0", "out of range"),
            ({"attitude_score": "good"}, "Work Attitude expects a number", "numbers as text"),
            ({"skill_score": math.nan}, "finite number", "NaN and infinity"),
            ({"attitude_score": math.inf}, "finite number", "NaN and infinity"),
            ({"manager_comment": NUL}, "control character", "control characters"),
            ({"manager_comment": ESCAPE}, "control character", "control characters"),
            ({"manager_comment": ["list"]}, "expects text", "not text"),
        ):
            with self.subTest(vals=vals):
                self._write(klass, "sales.rep.scorecard", self.ruth, vals, fragment, self.card_unchanged)
        vals = {"attitude_score": 85.5, "manager_comment": UNICODE_TEXT + LONG_TEXT}
        self.assertRpcAccepted("unicode and long text kept", "sales.rep.scorecard", "write", [self.ruth.ids, vals])
        self.env.invalidate_all()
        self.assertEqual(self.ruth.manager_comment, vals["manager_comment"])
        # The compute wizard.
        for vals, fragment, klass in (
            ({"user_ids": [Command.set(self.user_portal.ids)]}, "Portal Pia cannot be scored", "user kind"),
            ({"date": "someday"}, "expects a date", "date formats"),
            ({"period_type": "decade"}, "is not a valid value", "selection values"),
        ):
            with self.subTest(vals=vals):
                self._create(klass, "sales.rep.scorecard.compute", vals, fragment)

    def test_rpc_scorecard_weights_sum_to_100(self):
        self.authenticate("sm_bp_salesadmin", "sm_bp_salesadmin")
        unchanged = self._weights_unchanged
        for vals, fragment, klass in (
            ({"weight": 150.0}, "Weight (%) must be between 0.0 and 100.0, not 150.0", "out of range"),
            ({"weight": -1.0}, "between 0.0 and 100.0", "out of range"),
            ({"reference": -5.0}, "Scale must be at least 0.0", "out of range"),
            ({"weight": "60"}, "expects a number", "numbers as text"),
            ({"weight": math.nan}, "finite number", "NaN and infinity"),
            ({"code": "luck"}, "is not a valid value", "selection values"),
            ({"weight": 50.0}, "sum to 90.0%", "weights sum to 100%"),
            ({"weight": 0.0}, "sum to 40.0%", "weights sum to 100%"),
        ):
            with self.subTest(vals=vals):
                self._write(klass, "sales.rep.scorecard.weight", self.sales_weight, vals, fragment, unchanged)
        self.assertRpcRefused(
            "weights sum to 100%",
            "sales.rep.scorecard.weight",
            "create",
            [[{"policy_id": self.policy.id, "code": "forecast", "weight": 10.0}]],
            "sum to 110.0%",
            unchanged=unchanged,
        )
        self.assertRpcRefused(
            "weights sum to 100%",
            "sales.rep.scorecard.weight",
            "unlink",
            [self.collection_weight.ids],
            "sum to 60.0%",
            unchanged=unchanged,
        )
        for commands, fragment in (
            ([Command.update(self.sales_weight.id, {"weight": 65.0})], "sum to 105.0%"),
            ([Command.delete(self.sales_weight.id)], "sum to 40.0%"),
        ):
            with self.subTest(commands=commands):
                self.assertRpcRefused(
                    "weights sum to 100%",
                    "sales.rep.scorecard.policy",
                    "write",
                    [self.policy.ids, {"weight_ids": commands}],
                    fragment,
                    unchanged=unchanged,
                )
        self.assertRpcRefused(
            "blank values",
            "sales.rep.scorecard.policy",
            "write",
            [self.policy.ids, {"name": "  "}],
            "needs a name",
            unchanged=self._reader(self.policy, ["name"]),
        )
        # Moving weight between measures in one change keeps 100%.
        self.assertRpcAccepted(
            "valid values kept",
            "sales.rep.scorecard.policy",
            "write",
            [
                self.policy.ids,
                {
                    "weight_ids": [
                        Command.update(self.sales_weight.id, {"weight": 70.0}),
                        Command.update(self.collection_weight.id, {"weight": 30.0}),
                    ]
                },
            ],
        )
        self.assertEqual(self.policy.total_weight, 100.0)

    # -- Customer forecasts ---------------------------------------------------------------------
    def test_rpc_forecast_values_refused(self):
        self.authenticate("sm_sc_rep", "sm_sc_rep")
        for vals, fragment, klass in (
            ({"forecast_amount": -5.0}, "cannot be negative (Forecast: ", "out of range"),
            ({"forecast_amount": math.nan}, "Forecast expects a finite number", "NaN and infinity"),
            ({"forecast_amount": "800"}, "expects a number", "numbers as text"),
            ({"date": fields.Date.to_string(self.next_month.replace(day=15))}, "first day of the month", "date order"),
            ({"date": "2026-02-30"}, "expects a date", "date formats"),
            ({"note": NUL}, "control character", "control characters"),
            ({"note": "two\nlines"}, "control character", "control characters"),
        ):
            with self.subTest(vals=vals):
                self._write(klass, "sales.customer.forecast", self.forecast, vals, fragment, self.forecast_unchanged)
        for vals, fragment, klass in (
            ({"month": "next month"}, "expects a date", "date formats"),
            ({"month": "0001-01-01"}, "between 1900-01-01 and 2999-12-31", "out of range"),
            ({"user_id": self.user_portal.id}, "cannot be the Salesperson", "user kind"),
        ):
            with self.subTest(vals=vals):
                self._create(klass, "sales.customer.forecast.prepare", vals, fragment)
        self.authenticate("sm_sc_manager", "sm_sc_manager")
        self._write(
            "user kind",
            "sales.customer.forecast",
            self.forecast,
            {"user_id": self.user_portal.id},
            "choose an internal user",
            self.forecast_unchanged,
        )

    # -- Key-account reviews -------------------------------------------------------------------
    def test_rpc_review_values_refused(self):
        self.authenticate("sm_sc_manager", "sm_sc_manager")
        for vals, fragment, klass in (
            ({"date_from": "2026-11-01"}, "ends before it starts", "date order"),
            ({"date_to": "yesterday"}, "expects a date", "date formats"),
            ({"manager_id": self.user_portal.id}, "cannot be the Key Account Manager", "user kind"),
            ({"rating": "great"}, "is not a valid value", "selection values"),
            ({"conclusion": f"<p>{NUL}</p>"}, "control character", "control characters"),
            ({"conclusion": f"<p>{BELL}</p>"}, "control character", "control characters"),
            ({"sales_amount": 1e9}, "computed, not typed in", "rights"),
        ):
            with self.subTest(vals=vals):
                self._write(klass, "sales.key.account.review", self.review, vals, fragment, self.review_unchanged)
        self._create(
            "date order",
            "sales.key.account.review",
            {"partner_id": self.alder.id, "date_from": "2026-10-31", "date_to": "2026-01-01"},
            "ends before it starts",
        )
        conclusion = "<p>大客户：合作良好 🤝</p>"
        self.assertRpcAccepted(
            "unicode and long text kept",
            "sales.key.account.review",
            "write",
            [self.review.ids, {"conclusion": conclusion}],
        )
        self.env.invalidate_all()
        self.assertIn("大客户：合作良好 🤝", self.review.conclusion)

    # -- Areas and the fields added to customers, teams, products and orders --------------------
    def test_rpc_area_and_host_fields_refused(self):
        self.authenticate("sm_bp_salesadmin", "sm_bp_salesadmin")
        for vals, fragment, klass in (
            ({"name": "   "}, "needs a name", "blank values"),
            ({"name": NUL}, "control character", "control characters"),
            ({"code": "EC\nSH"}, "control character", "control characters"),
            ({"note": ESCAPE}, "control character", "control characters"),
            ({"manager_id": self.user_portal.id}, "cannot be the Area Manager", "user kind"),
            ({"parent_id": "East"}, "id of a record", "wrong types"),
        ):
            with self.subTest(vals=vals):
                self._write(klass, "sales.area", self.sub_area, vals, fragment, self.areas_unchanged)
        self._write(
            "state transitions",
            "sales.area",
            self.area,
            {"parent_id": self.sub_area.id},
            "own parent",
            self.areas_unchanged,
        )
        for model, records, vals, fragment, klass in (
            ("crm.team", self.team, {"area_id": "East"}, "id of a record", "wrong types"),
            (
                "product.template",
                self.product_a.product_tmpl_id,
                {"launch_date": "soon"},
                "expects a date",
                "date formats",
            ),
            (
                "product.template",
                self.product_a.product_tmpl_id,
                {"is_new_product": "yes"},
                "true or false",
                "wrong types",
            ),
        ):
            with self.subTest(model=model, vals=vals):
                self._write(klass, model, records, vals, fragment, self._reader(records, list(vals)))
        self.authenticate("sm_bp_contacts", "sm_bp_contacts")
        self._write(
            "wrong types",
            "res.partner",
            self.alder,
            {"area_id": 1.5},
            "id of a record",
            self._reader(self.alder, ["area_id"]),
        )
        self.authenticate("sm_sc_rep", "sm_sc_rep")
        self._write(
            "wrong types",
            "sale.order",
            self.order,
            {"visit_id": "abc"},
            "id of a record",
            self._reader(self.order, ["visit_id"]),
        )

    # -- Searches --------------------------------------------------------------------------------
    def test_rpc_search_values(self):
        self.authenticate("sm_sc_manager", "sm_sc_manager")
        for model, domain, fragment in (
            ("sales.rep.scorecard", [("total_score", ">", "high")], "expects a number"),
            ("sales.rep.scorecard", [("date_from", "=", "October")], "expects a date"),
            ("sales.rep.scorecard.line", [("points", "<", math.nan)], "finite number"),
            ("sales.rep.scorecard.weight", [("weight", "in", [10.0, math.inf])], "finite number"),
            ("sales.customer.forecast", [("forecast_amount", ">=", "800")], "expects a number"),
            ("sales.key.account.review", [("sales_growth", ">", math.inf)], "finite number"),
            ("sales.key.account.review", [("date_to", "<", "x")], "expects a date"),
            ("product.template", [("launch_date", "=", "soon")], "expects a date"),
        ):
            with self.subTest(model=model, domain=domain):
                self.assertRpcRefused("search values", model, "search_count", [domain], fragment)

    # -- Forms ------------------------------------------------------------------------------------
    def test_form_paths(self):
        with self.assertRefused("out of range", "cannot be negative", unchanged=self.forecast_unchanged):
            form = Form(self.forecast.with_user(self.rep))
            form.forecast_amount = -10.0
            form.save()
        with self.assertRefused("date order", "ends before it starts", unchanged=self.review_unchanged):
            form = Form(self.review.with_user(self.manager))
            form.date_from = date(2026, 12, 1)
            form.save()
        with self.assertRefused("blank values", "needs a name", unchanged=self.areas_unchanged):
            form = Form(self.sub_area.with_user(self.sales_admin))
            form.name = "   "
            form.save()
        with self.assertRefused("out of range", "is scored from 0 to 100", unchanged=self.card_unchanged):
            form = Form(self.ruth.with_user(self.manager))
            form.attitude_score = 101.0
            form.save()

    # -- Imports -----------------------------------------------------------------------------------
    def test_import_paths(self):
        Forecast = self.env["sales.customer.forecast"].with_user(self.rep)
        count = self._counter("sales.customer.forecast")
        month = fields.Date.to_string(fields.Date.add(self.next_month, months=1))
        for field, value, fragment, klass in (
            ("forecast_amount", "nan", "finite number", "NaN and infinity"),
            ("forecast_amount", "-1", "cannot be negative", "out of range"),
            ("note", NUL, "control character", "control characters"),
        ):
            with self.subTest(field=field, value=value):
                self.assertLoadRefused(
                    klass,
                    Forecast,
                    ["date", "partner_id/.id", field],
                    [[month, str(self.birch.id), value]],
                    fragment,
                    count,
                )
        self.assertLoadRefused(
            "weights sum to 100%",
            self.env["sales.rep.scorecard.weight"].with_user(self.sales_admin),
            ["policy_id/.id", "code", "weight"],
            [[str(self.policy.id), "forecast", "15"]],
            "sum to 115.0%",
            self._weights_unchanged,
        )
        self.assertLoadRefused(
            "control characters",
            self.env["sales.area"].with_user(self.sales_admin),
            ["name"],
            [[NUL]],
            "control character",
            self._counter("sales.area"),
        )
        self.assertLoadRefused(
            "user kind",
            self.env["sales.area"].with_user(self.sales_admin),
            ["name", "manager_id/.id"],
            [["North", str(self.user_portal.id)]],
            "choose an internal user",
            self._counter("sales.area"),
        )

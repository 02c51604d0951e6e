import math
from datetime import date

from odoo import Command, fields
from odoo.tests import Form, new_test_user, tagged

from .bad_input_common import BELL, ESCAPE, LONG_TEXT, NUL, SURROGATE, UNICODE_TEXT, BadInputCase
from .credit_common import CreditCase

PARTNER_CREDIT_FIELDS = [
    "credit_limit",
    "credit_hold",
    "credit_hold_reason",
    "credit_grade_id",
    "is_credit_grade_override",
    "credit_override_reason",
    "credit_financial_strength",
    "credit_legal_representative",
    "credit_registered_capital",
    "credit_trading_since",
    "credit_main_products",
    "credit_industry_position",
    "key_account_manager_id",
]
STATUS_FIELDS = ["hold", "hold_reason", "is_grade_override", "override_reason", "grade_id", "financial_strength"]
GRADE_FIELDS = ["name", "min_score", "credit_limit", "visit_frequency", "credit_check_reaction"]
FACTOR_FIELDS = ["policy_id", "code", "weight", "scale"]
COLLECTION_FIELDS = ["promised_amount", "promised_date", "instrument", "note", "date"]
TARGET_FIELDS = ["date", "user_id", "target_amount"]


@tagged("post_install", "-at_install")
class TestCreditBadInput(CreditCase, BadInputCase):
    """Bad input on the customer credit capability — grades, scoring policies and their
    factors, credit statuses and the customer's credit fields, collection plan lines and
    targets, the exception, report and statement wizards — as the Credit Controller (the
    rep for his collection lines and statements) over JSON-RPC, forms and imports."""

    capability = "credit"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_portal = new_test_user(cls.env, login="sm_bcr_portal", name="Portal Pia", groups="base.group_portal")
        cls.user_employee = new_test_user(
            cls.env,
            login="sm_bcr_employee",
            name="Employee Eli",
            groups="base.group_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.user_contacts = new_test_user(
            cls.env,
            login="sm_bcr_contacts",
            name="Rep With Contacts",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.grade = cls.env.ref("sales_management.sales_credit_grade_b")
        cls.policy = cls.env["sales.credit.policy"].create(
            {
                "name": "Bad Input Scoring",
                "company_id": cls.company.id,
                "factor_ids": [
                    Command.create({"code": "late_ratio", "weight": 60.0, "scale": "0:100, 10:50"}),
                    Command.create({"code": "dso", "weight": 40.0, "scale": "30:100, 90:20"}),
                ],
            }
        )
        cls.other_policy = cls.env["sales.credit.policy"].create(
            {
                "name": "Other Scoring",
                "company_id": cls.env["res.company"].create({"name": "Scoring Co"}).id,
                "factor_ids": [Command.create({"code": "dso", "weight": 100.0, "scale": "30:100"})],
            }
        )
        cls.env.flush_all()
        cls.late_ratio = cls.policy.factor_ids.filtered(lambda f: f.code == "late_ratio")
        cls.dso = cls.policy.factor_ids.filtered(lambda f: f.code == "dso")
        cls.status = cls.env["sales.credit.status"]._get_status(cls.customer, cls.company, create=True)
        cls.held_customer = cls.env["res.partner"].create(
            {"name": "Held Customer", "is_company": True, "user_id": cls.user_rep.id}
        )
        cls.held_customer.write({"credit_hold": True, "credit_hold_reason": "Disputed delivery"})
        cls.held_status = cls.env["sales.credit.status"]._get_status(cls.held_customer, cls.company)
        month = fields.Date.today().replace(day=1)
        cls.collection = cls.env["sales.credit.collection"].create(
            {"date": month, "partner_id": cls.customer.id, "user_id": cls.user_rep.id, "due_amount": 500.0}
        )
        cls.target = cls.env["sales.credit.collection.target"].create(
            {"date": month, "user_id": cls.user_rep.id, "target_amount": 1000.0}
        )
        cls.order = cls._order(5000.0)

    def setUp(self):
        super().setUp()
        customers = self.customer | self.held_customer
        self.partners_unchanged = self._reader(customers, PARTNER_CREDIT_FIELDS)
        self.statuses_unchanged = self._reader(self.status | self.held_status, STATUS_FIELDS)
        self.grade_unchanged = self._reader(self.grade, GRADE_FIELDS)
        self.factors_unchanged = self._reader(
            self.env["sales.credit.factor"].search([("policy_id", "in", self.policy.ids)]), FACTOR_FIELDS
        )
        self.factor_count = self._counter("sales.credit.factor", [("policy_id", "=", self.policy.id)])
        self.collection_unchanged = self._reader(self.collection, COLLECTION_FIELDS)
        self.target_unchanged = self._reader(self.target, TARGET_FIELDS)

    def _factors_unchanged(self):
        return self.factors_unchanged(), self.factor_count()

    def _write(self, klass, model, records, vals, fragment, unchanged):
        return self.assertRpcRefused(klass, model, "write", [records.ids, vals], fragment, unchanged=unchanged)

    def _write_partner(self, klass, vals, fragment, partner=None):
        return self._write(
            klass, "res.partner", partner or self.customer, vals, fragment, unchanged=self.partners_unchanged
        )

    def _create(self, klass, model, vals, fragment):
        return self.assertRpcRefused(klass, model, "create", [[vals]], fragment, unchanged=self._counter(model))

    # -- The customer's credit fields ----------------------------------------------
    def test_rpc_credit_limit_refused(self):
        """A limit as text, NaN, infinity or below zero: a clean message, the limit kept."""
        self.authenticate("sm_credit_ctl", "sm_credit_ctl")
        for value, fragment, klass in (
            ("abc", "Credit Limit expects a number", "numbers as text"),
            ("5000", "Credit Limit expects a number", "numbers as text"),
            ("", "Credit Limit expects a number", "numbers as text"),
            ([5000], "Credit Limit expects a number", "numbers as text"),
            (math.nan, "Credit Limit expects a finite number", "NaN and infinity"),
            (math.inf, "Credit Limit expects a finite number", "NaN and infinity"),
            (-math.inf, "Credit Limit expects a finite number", "NaN and infinity"),
            (-0.01, "Credit Limit must be at least 0.0, not -0.01", "out of range"),
            (-5000, "Credit Limit must be at least 0.0", "out of range"),
        ):
            with self.subTest(value=value):
                self._write_partner(klass, {"credit_limit": value}, fragment)
        self._create(
            "NaN and infinity",
            "res.partner",
            {"name": "New Customer", "is_company": True, "credit_limit": math.nan},
            "finite number",
        )
        # The form asks for its onchanges while the limit is typed.
        for value, fragment, klass in (
            (math.nan, "finite number", "NaN and infinity"),
            ("1k", "a number", "numbers as text"),
        ):
            with self.subTest(onchange=value):
                self.assertRpcRefused(
                    klass,
                    "res.partner",
                    "onchange",
                    [self.customer.ids, {"credit_limit": value}, ["credit_limit"], {"credit_limit": {}}],
                    fragment,
                    unchanged=self.partners_unchanged,
                )
        # A limit of zero (no credit) and a large one are limits.
        self.assertRpcAccepted("valid values kept", "res.partner", "write", [self.customer.ids, {"credit_limit": 1e12}])
        self.assertEqual(self.customer.credit_limit, 1e12)

    def test_rpc_hold_and_override_need_a_reason(self):
        self.authenticate("sm_credit_ctl", "sm_credit_ctl")
        for vals in (
            {"credit_hold": True},
            {"credit_hold": True, "credit_hold_reason": ""},
            {"credit_hold": True, "credit_hold_reason": "    "},
            {"credit_hold": True, "credit_hold_reason": False},
        ):
            with self.subTest(vals=vals):
                self._write_partner("blank reasons", vals, "needs a reason (Hold Reason)")
        for vals in (
            {"credit_grade_id": self.grade.id},
            {"credit_grade_id": self.grade.id, "credit_override_reason": "   "},
            {"is_credit_grade_override": True, "credit_override_reason": ""},
        ):
            with self.subTest(vals=vals):
                self._write_partner("blank reasons", vals, "needs a reason (Override Reason)")
        # The reason of a hold in force cannot be blanked out afterwards.
        self._write_partner(
            "blank reasons", {"credit_hold_reason": "  "}, "cannot be emptied", partner=self.held_customer
        )
        # The same on the credit status itself (the Credit Status menu).
        for status, vals, fragment in (
            (self.status, {"hold": True, "hold_reason": " "}, "needs a reason (Hold Reason)"),
            (self.status, {"is_grade_override": True}, "needs a reason (Override Reason)"),
            (self.held_status, {"hold_reason": False}, "cannot be emptied"),
        ):
            with self.subTest(vals=vals):
                self._write("blank reasons", "sales.credit.status", status, vals, fragment, self.statuses_unchanged)
        # A real reason puts the customer on hold.
        self.assertRpcAccepted(
            "valid values kept",
            "res.partner",
            "write",
            [self.customer.ids, {"credit_hold": True, "credit_hold_reason": "付款逾期 90 天 ⚠"}],
        )
        self.assertTrue(self.status.hold)
        self.assertEqual(self.status.hold_reason, "付款逾期 90 天 ⚠")

    def test_rpc_credit_status_values_refused(self):
        self.authenticate("sm_credit_ctl", "sm_credit_ctl")
        for field, value, fragment, klass in (
            ("credit_financial_strength", 150.0, "between 0.0 and 100.0", "out of range"),
            ("credit_financial_strength", -1, "between 0.0 and 100.0", "out of range"),
            ("credit_financial_strength", math.nan, "finite number", "NaN and infinity"),
            ("credit_financial_strength", "strong", "expects a number", "numbers as text"),
            ("credit_hold", "yes", "true or false", "wrong types"),
            ("credit_grade_id", "B", "id of a record", "wrong types"),
            ("credit_hold_reason", NUL, "control character", "control characters"),
            ("credit_override_reason", "line\nbreak", "control character", "control characters"),
        ):
            with self.subTest(field=field, value=value):
                self._write_partner(klass, {field: value}, fragment)
        for vals, fragment, klass in (
            ({"financial_strength": 100.5}, "between 0.0 and 100.0", "out of range"),
            ({"financial_strength": math.inf}, "finite number", "NaN and infinity"),
            ({"hold": True, "hold_reason": ESCAPE}, "control character", "control characters"),
            ({"abc_class": "z"}, "is not a valid value", "selection values"),
        ):
            with self.subTest(vals=vals):
                self._write(klass, "sales.credit.status", self.status, vals, fragment, self.statuses_unchanged)

    def test_rpc_credit_profile_refused(self):
        # The profile is the customer's data: a rep who may edit contacts fills it in.
        self.authenticate("sm_bcr_contacts", "sm_bcr_contacts")
        for field, value, fragment, klass in (
            ("credit_legal_representative", NUL, "control character", "control characters"),
            ("credit_legal_representative", "王\n总", "control character", "control characters"),
            ("credit_main_products", BELL, "control character", "control characters"),
            ("credit_payment_behaviour", SURROGATE, "control character", "control characters"),
            ("credit_registered_capital", -100.0, "Registered Capital must be at least 0.0", "out of range"),
            ("credit_total_assets", math.nan, "finite number", "NaN and infinity"),
            ("credit_total_liabilities", "1e6", "expects a number", "numbers as text"),
            ("credit_trading_since", "last year", "expects a date (YYYY-MM-DD)", "date formats"),
            ("credit_trading_since", "0001-01-01", "between 1900-01-01 and 2999-12-31", "out of range"),
            ("credit_industry_position", "monopoly", "is not a valid value", "selection values"),
            ("credit_importance", "vip", "is not a valid value", "selection values"),
            ("is_key_account", "yes", "true or false", "wrong types"),
        ):
            with self.subTest(field=field, value=value):
                self._write_partner(klass, {field: value}, fragment)
        for user in (self.user_portal, self.user_employee):
            with self.subTest(user=user.login):
                self._write_partner(
                    "user kind", {"key_account_manager_id": user.id}, "cannot be the Key Account Manager"
                )

    def test_rpc_unicode_and_long_text_kept(self):
        self.authenticate("sm_bcr_contacts", "sm_bcr_contacts")
        vals = {
            "credit_legal_representative": "王经理 👨\u200d💼",
            "credit_main_products": LONG_TEXT,
            "credit_payment_behaviour": UNICODE_TEXT,
        }
        self.assertRpcAccepted("unicode and long text kept", "res.partner", "write", [self.customer.ids, vals])
        self.env.invalidate_all()
        for field, value in vals.items():
            self.assertEqual(self.customer[field], value, field)
        self.authenticate("sm_credit_ctl", "sm_credit_ctl")
        self.assertRpcAccepted(
            "unicode and long text kept",
            "sales.credit.grade",
            "write",
            [self.grade.ids, {"name": "乙级 B 🅱"}],
        )
        self.env.invalidate_all()
        self.assertEqual(self.grade.with_context(lang="en_US").name, "乙级 B 🅱")

    # -- Grades ------------------------------------------------------------------------
    def test_rpc_grade_values_refused(self):
        self.authenticate("sm_credit_ctl", "sm_credit_ctl")
        for vals, fragment, klass in (
            ({"min_score": 150.0}, "Minimum Score must be between 0.0 and 100.0, not 150.0", "out of range"),
            ({"min_score": -1}, "between 0.0 and 100.0", "out of range"),
            ({"min_score": "high"}, "expects a number", "numbers as text"),
            ({"min_score": math.nan}, "finite number", "NaN and infinity"),
            ({"credit_limit": -10.0}, "Default Credit Limit must be at least 0.0", "out of range"),
            ({"credit_limit": math.inf}, "finite number", "NaN and infinity"),
            ({"credit_limit": "1000"}, "expects a number", "numbers as text"),
            ({"sequence": 1.5}, "whole number", "whole numbers"),
            ({"name": "   "}, "needs a name", "blank values"),
            ({"name": NUL}, "control character", "control characters"),
            ({"visit_frequency": "daily"}, "is not a valid value", "selection values"),
            ({"credit_check_reaction": "ignore"}, "is not a valid value", "selection values"),
        ):
            with self.subTest(vals=vals):
                self._write(klass, "sales.credit.grade", self.grade, vals, fragment, self.grade_unchanged)
        self._create("out of range", "sales.credit.grade", {"name": "E", "min_score": 101}, "between 0.0 and 100.0")

    # -- Scoring factors: weights sum to 100% whichever factor changes -----------------------
    def test_rpc_factor_weights_sum_to_100(self):
        self.authenticate("sm_credit_ctl", "sm_credit_ctl")
        unchanged = self._factors_unchanged
        for vals, fragment in (
            ({"weight": 50.0}, "sum to 90.0%; they must sum to 100%"),
            ({"weight": 0.0}, "sum to 40.0%"),
            ({"policy_id": self.other_policy.id}, "must sum to 100%"),
        ):
            with self.subTest(vals=vals):
                self.assertRpcRefused(
                    "weights sum to 100%",
                    "sales.credit.factor",
                    "write",
                    [self.late_ratio.ids, vals],
                    fragment,
                    unchanged=unchanged,
                )
        self.assertRpcRefused(
            "weights sum to 100%",
            "sales.credit.factor",
            "create",
            [[{"policy_id": self.policy.id, "code": "oldest_overdue_days", "weight": 10.0, "scale": "0:100"}]],
            "sum to 110.0%",
            unchanged=unchanged,
        )
        self.assertRpcRefused(
            "weights sum to 100%", "sales.credit.factor", "unlink", [self.dso.ids], "sum to 60.0%", unchanged=unchanged
        )
        # The policy form: one factor changed, another deleted.
        for commands, fragment in (
            ([Command.update(self.dso.id, {"weight": 45.0})], "sum to 105.0%"),
            ([Command.delete(self.dso.id)], "sum to 60.0%"),
            ([Command.create({"code": "sales_12m", "weight": 5.0})], "sum to 105.0%"),
        ):
            with self.subTest(commands=commands):
                self.assertRpcRefused(
                    "weights sum to 100%",
                    "sales.credit.policy",
                    "write",
                    [self.policy.ids, {"factor_ids": commands}],
                    fragment,
                    unchanged=unchanged,
                )
        # An import of a factor into the policy.
        self.assertLoadRefused(
            "weights sum to 100%",
            self.env["sales.credit.factor"].with_user(self.user_credit),
            ["policy_id/.id", "code", "weight"],
            [[str(self.policy.id), "return_ratio", "20"]],
            "sum to 120.0%",
            unchanged,
        )
        # Moving weight between factors in one change keeps 100%.
        self.assertRpcAccepted(
            "valid values kept",
            "sales.credit.policy",
            "write",
            [
                self.policy.ids,
                {
                    "factor_ids": [
                        Command.update(self.late_ratio.id, {"weight": 70.0}),
                        Command.update(self.dso.id, {"weight": 30.0}),
                    ]
                },
            ],
        )
        self.assertEqual(sum(self.policy.factor_ids.mapped("weight")), 100.0)

    def test_rpc_factor_values_refused(self):
        self.authenticate("sm_credit_ctl", "sm_credit_ctl")
        for vals, fragment, klass in (
            ({"weight": -5.0}, "Weight (%) must be between 0.0 and 100.0, not -5.0", "out of range"),
            ({"weight": 150.0}, "between 0.0 and 100.0", "out of range"),
            ({"weight": "60"}, "expects a number", "numbers as text"),
            ({"weight": math.nan}, "finite number", "NaN and infinity"),
            ({"scale": "zero:100"}, "is invalid", "invalid scales"),
            ({"scale": "0:100\x00"}, "control character", "control characters"),
            ({"code": "luck"}, "is not a valid value", "selection values"),
            ({"higher_is_better": "no"}, "true or false", "wrong types"),
        ):
            with self.subTest(vals=vals):
                self.assertRpcRefused(
                    klass,
                    "sales.credit.factor",
                    "write",
                    [self.late_ratio.ids, vals],
                    fragment,
                    unchanged=self._factors_unchanged,
                )
        self.assertRpcRefused(
            "blank values",
            "sales.credit.policy",
            "write",
            [self.policy.ids, {"name": " "}],
            "needs a name",
            unchanged=self._reader(self.policy, ["name"]),
        )

    # -- Collection plan lines and targets ----------------------------------------------------
    def test_rpc_collection_values_refused(self):
        self.authenticate("sm_credit_rep", "sm_credit_rep")
        for vals, fragment, klass in (
            ({"promised_amount": -1.0}, "Promised Amount must be at least 0.0", "out of range"),
            ({"promised_amount": math.nan}, "finite number", "NaN and infinity"),
            ({"promised_amount": "300"}, "expects a number", "numbers as text"),
            ({"promised_date": "next week"}, "expects a date", "date formats"),
            ({"instrument": "bitcoin"}, "is not a valid value", "selection values"),
            ({"note": NUL}, "control character", "control characters"),
        ):
            with self.subTest(vals=vals):
                self._write(
                    klass, "sales.credit.collection", self.collection, vals, fragment, self.collection_unchanged
                )
        self.authenticate("sm_credit_ctl", "sm_credit_ctl")
        for vals, fragment, klass in (
            ({"target_amount": -500.0}, "Target must be at least 0.0", "out of range"),
            ({"target_amount": math.inf}, "finite number", "NaN and infinity"),
            ({"date": "2026-02-30"}, "expects a date", "date formats"),
            ({"date": "2026-03-15"}, "starts on the first day of the month", "date order"),
            ({"user_id": self.user_portal.id}, "cannot be the Salesperson", "user kind"),
            ({"user_id": self.user_employee.id}, "choose an internal user", "user kind"),
        ):
            with self.subTest(vals=vals):
                self._write(klass, "sales.credit.collection.target", self.target, vals, fragment, self.target_unchanged)

    # -- Wizards --------------------------------------------------------------------------------
    def test_rpc_wizards_refused(self):
        self.authenticate("sm_credit_ctl", "sm_credit_ctl")
        exceptions = self._counter("sales.credit.exception")
        self._create(
            "control characters",
            "sales.credit.exception.wizard",
            {"order_id": self.order.id, "reason": NUL},
            "control character",
        )
        for reason in ("   ", "\n\t"):
            with self.subTest(reason=reason):
                [wizard_id], _error = self._rpc(
                    "sales.credit.exception.wizard", "create", [[{"order_id": self.order.id, "reason": reason}]]
                )
                self.assertRpcRefused(
                    "blank reasons",
                    "sales.credit.exception.wizard",
                    "action_approve",
                    [[wizard_id]],
                    "needs a reason",
                    unchanged=exceptions,
                )
        # Approvals are the wizard's: none is typed in directly.
        self._create(
            "rights",
            "sales.credit.exception",
            {"order_id": self.order.id, "reason": "Typed in", "state": "approved"},
            "recorded only by a Credit Controller's approval",
        )
        for report_type in ("ageing", "collection"):
            with self.subTest(report_type=report_type):
                self._create(
                    "date order",
                    "sales.credit.report.wizard",
                    {"report_type": report_type, "date_from": "2026-12-31", "date_to": "2026-01-01"},
                    "ends (2026-01-01) before it starts (2026-12-31)",
                )
        self._create("selection values", "sales.credit.report.wizard", {"report_type": "pdf"}, "is not a valid value")
        self._create("date formats", "sales.credit.report.wizard", {"date_from": "01/02/2026"}, "expects a date")
        # A statement: refused when printed or sent (the wizard keeps the dates typed).
        self.authenticate("sm_credit_rep", "sm_credit_rep")
        statements = self._counter("mail.mail")
        [wizard_id], _error = self._rpc(
            "sales.credit.statement.wizard",
            "create",
            [[{"partner_ids": [Command.set(self.customer.ids)], "date_from": "2026-06-30", "date_to": "2026-06-01"}]],
        )
        for method in ("action_print", "action_send"):
            with self.subTest(method=method):
                self.assertRpcRefused(
                    "date order",
                    "sales.credit.statement.wizard",
                    method,
                    [[wizard_id]],
                    "starts on 2026-06-30, after its end 2026-06-01",
                    unchanged=statements,
                )

    # -- Searches ------------------------------------------------------------------------------
    def test_rpc_search_operators(self):
        partners = self.customer | self.held_customer
        self.authenticate("sm_credit_rep", "sm_credit_rep")
        self._check_boolean_search("search operators", "res.partner", "credit_hold", partners)
        statuses = self.status | self.held_status
        self.customer.sudo().credit_limit = 10.0
        self._invoice(500.0)
        self.env.invalidate_all()
        self.assertTrue(self.status.is_over_limit)
        self._check_boolean_search("search operators", "sales.credit.status", "is_over_limit", statuses)
        # The grade: every many2one operator, the customers without a status included.
        self.status.sudo().write({"grade_id": self.grade.id, "is_grade_override": True, "override_reason": "Test"})
        domain = [("id", "in", partners.ids)]
        for operator, value, expected in (
            ("=", self.grade.id, self.customer),
            ("=", False, self.held_customer),
            ("!=", False, self.customer),
            ("!=", self.grade.id, self.held_customer),
            ("in", self.grade.ids, self.customer),
            ("not in", self.grade.ids, self.held_customer),
            ("ilike", self.grade.name, self.customer),
            ("not ilike", self.grade.name, self.held_customer),
            ("=", self.grade.name, self.customer),
            ("any", [("min_score", ">=", 0)], self.customer),
            ("not any", [("min_score", ">=", 0)], self.held_customer),
        ):
            with self.subTest(operator=operator, value=value):
                found = self._search_ids("res.partner", [*domain, ("credit_grade_id", operator, value)])
                self.assertEqual(found, set(expected.ids))
        # Grades have no hierarchy (child_of) and patterns are text.
        for operator, value in (
            ("=like", [1]),
            ("ilike", 5),
            ("not ilike", ["B"]),
            ("like", {"a": 1}),
            ("child_of", self.grade.id),
        ):
            with self.subTest(operator=operator, value=value):
                self.assertRpcRefused(
                    "search operators",
                    "res.partner",
                    "search_count",
                    [[("credit_grade_id", operator, value)]],
                    "Credit Grade cannot be searched with",
                )
        for model, search_domain, fragment in (
            ("res.partner", [("credit_limit", ">", "abc")], "expects a number"),
            ("res.partner", [("credit_limit", "<", math.nan)], "finite number"),
            ("sales.credit.status", [("score", ">=", "high")], "expects a number"),
            ("sales.credit.status", [("dso", "in", [1.0, math.inf])], "finite number"),
            ("sales.credit.grade", [("min_score", ">", "x")], "expects a number"),
            ("sales.credit.collection", [("date", "=", "this month")], "expects a date"),
            ("sales.credit.collection.target", [("target_amount", ">", math.nan)], "finite number"),
        ):
            with self.subTest(model=model, domain=search_domain):
                self.assertRpcRefused("search values", model, "search_count", [search_domain], fragment)

    # -- Forms -----------------------------------------------------------------------------------
    def test_form_paths(self):
        with self.assertRefused("out of range", "Minimum Score must be between", unchanged=self.grade_unchanged):
            form = Form(self.grade.with_user(self.user_credit))
            form.min_score = 120.0
            form.save()
        with self.assertRefused("out of range", "Promised Amount must be at least 0.0", self.collection_unchanged):
            form = Form(self.collection.with_user(self.user_rep))
            form.promised_amount = -20.0
            form.save()
        with self.assertRefused("date order", "after its end", unchanged=self._counter("ir.attachment")):
            form = Form(self.env["sales.credit.statement.wizard"].with_user(self.user_rep))
            form.partner_ids.add(self.customer)
            form.date_from = date(2026, 6, 30)
            form.date_to = date(2026, 6, 1)
            form.save().action_print()
        with self.assertRefused(
            "date order", "before it starts", unchanged=self._counter("sales.credit.report.wizard")
        ):
            form = Form(self.env["sales.credit.report.wizard"].with_user(self.user_credit))
            form.report_type = "collection"
            form.date_from = date(2026, 6, 30)
            form.date_to = date(2026, 6, 1)
            form.save()
        with self.assertRefused("weights sum to 100%", "sum to 95.0%", unchanged=self._factors_unchanged):
            form = Form(self.policy.with_user(self.user_credit))
            with form.factor_ids.edit(0) as factor:
                factor.weight = factor.weight - 5.0
            form.save()
            self.env.cr.flush()

    # -- Imports -------------------------------------------------------------------------------
    def test_import_paths(self):
        Grade = self.env["sales.credit.grade"].with_user(self.user_credit)
        grades = self._counter("sales.credit.grade")
        for field, value, fragment, klass in (
            ("min_score", "nan", "finite number", "NaN and infinity"),
            ("min_score", "250", "between 0.0 and 100.0", "out of range"),
            ("credit_limit", "-1", "Default Credit Limit must be at least 0.0", "out of range"),
            ("credit_limit", "inf", "finite number", "NaN and infinity"),
            ("name", NUL, "control character", "control characters"),
        ):
            with self.subTest(field=field, value=value):
                names = ["name", "min_score", field] if field != "name" else ["name", "min_score"]
                row = ["E", "5", value] if field != "name" else [value, "5"]
                self.assertLoadRefused(klass, Grade, names, [row], fragment, grades)
        Partner = self.env["res.partner"].with_user(self.user_credit)
        self.assertLoadRefused(
            "NaN and infinity",
            Partner,
            [".id", "credit_limit"],
            [[str(self.customer.id), "nan"]],
            "finite number",
            self.partners_unchanged,
        )
        self.assertLoadRefused(
            "out of range",
            Partner,
            [".id", "credit_limit"],
            [[str(self.customer.id), "-100"]],
            "Credit Limit must be at least 0.0",
            self.partners_unchanged,
        )
        self.assertLoadRefused(
            "out of range",
            self.env["sales.credit.collection.target"].with_user(self.user_credit),
            ["date", "user_id/.id", "target_amount"],
            [["2026-01-01", str(self.user_rep.id), "-5"]],
            "Target must be at least 0.0",
            self._counter("sales.credit.collection.target"),
        )

import math
from datetime import date, datetime, timedelta

from odoo import Command, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.tests import Form, new_test_user, tagged

from .bad_input_common import BELL, ESCAPE, LONG_TEXT, NUL, SURROGATE, BadInputCase
from .common_complaint import ComplaintCase

COMPLAINT_FIELDS = [
    "state",
    "active",
    "partner_id",
    "user_id",
    "channel",
    "severity",
    "date_received",
    "date_acknowledged",
    "date_onsite",
    "date_resolved",
    "date_closed",
    "reply_deadline",
    "onsite_deadline",
    "deadline_status",
    "quantity",
    "lot_name",
    "description",
    "root_cause",
    "resolution",
    "resolution_note",
    "rejection_reason",
    "compensation_amount",
    "satisfaction",
    "satisfaction_comment",
]
CATEGORY_FIELDS = ["name", "reply_days", "onsite_days", "is_quality"]
SURVEY_FIELDS = ["score", "date", "comment", "user_id", "partner_id"]


@tagged("post_install", "-at_install")
class TestComplaintBadInputPaths(ComplaintCase, BadInputCase):
    """Bad input on complaints, categories, satisfaction surveys and the statistics
    export, as the rep (the Sales administrator for categories) over JSON-RPC, forms
    and imports."""

    capability = "complaints"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_portal = new_test_user(cls.env, login="sm_bc_portal", name="Portal Pia", groups="base.group_portal")
        cls.user_employee = new_test_user(
            cls.env, login="sm_bc_employee", name="Employee Eli", groups="base.group_user"
        )
        cls.new = cls._complaint()
        cls.quality_new = cls._complaint(category_id=cls.quality.id)
        cls.acknowledged = cls._complaint()
        cls.acknowledged.action_acknowledge()
        cls.closed = cls._complaint(resolution="explanation")
        cls.closed.action_acknowledge()
        cls.closed.action_resolve()
        cls.closed.action_close()
        cls.rejected = cls._complaint(rejection_reason="Not our product")
        cls.rejected.action_reject()
        cls.complaints = cls.new | cls.quality_new | cls.acknowledged | cls.closed | cls.rejected
        cls.survey = cls.env["sales.complaint.survey"].create(
            {"partner_id": cls.customer.id, "user_id": cls.user_rep.id, "date": date(2026, 9, 1), "score": 4}
        )

    def setUp(self):
        super().setUp()
        self.complaints_unchanged = self._reader(self.complaints, COMPLAINT_FIELDS)
        self.categories_unchanged = self._reader(self.quality | self.delivery, CATEGORY_FIELDS)
        self.survey_unchanged = self._reader(self.survey, SURVEY_FIELDS)

    def _write(self, klass, complaint, vals, fragment):
        return self.assertRpcRefused(
            klass, "sales.complaint", "write", [complaint.ids, vals], fragment, unchanged=self.complaints_unchanged
        )

    def _create(self, klass, model, vals, fragment):
        return self.assertRpcRefused(klass, model, "create", [[vals]], fragment, unchanged=self._counter(model))

    def _new_vals(self, **vals):
        return {"partner_id": self.customer.id, "category_id": self.delivery.id, **vals}

    # -- Text ---------------------------------------------------------------------
    def test_rpc_control_characters_refused(self):
        self.authenticate("sm_rep", "sm_rep")
        for field, value in (
            ("description", f"<p>{NUL}</p>"),
            ("description", f"<p>{ESCAPE}</p>"),
            ("lot_name", "LOT\n2026"),
            ("lot_name", NUL),
            ("root_cause", ESCAPE),
            ("corrective_action", BELL),
            ("resolution_note", SURROGATE),
            ("satisfaction_comment", BELL),
            ("rejection_reason", NUL),
        ):
            with self.subTest(field=field, value=value):
                self._write("control characters", self.new, {field: value}, "control character")
        self._create("control characters", "sales.complaint", self._new_vals(lot_name=NUL), "U+0000")
        self.assertRpcRefused(
            "control characters",
            "sales.complaint.survey",
            "write",
            [self.survey.ids, {"comment": NUL}],
            "control character",
            unchanged=self.survey_unchanged,
        )
        for value in (5, ["cause"]):
            with self.subTest(value=value):
                self._write("not text", self.new, {"root_cause": value}, "expects text")

    def test_rpc_unicode_and_long_text_kept(self):
        self.authenticate("sm_rep", "sm_rep")
        vals = {
            "description": "<p>王经理：面板开裂 😡 👨\u200d🔧</p>",
            "lot_name": "批次-2026-001 🔖",
            "root_cause": LONG_TEXT,
            "corrective_action": "整改措施：\n1. 双层纸箱\n2.\t加固",
        }
        self.assertRpcAccepted("unicode and long text kept", "sales.complaint", "write", [self.new.ids, vals])
        self.env.invalidate_all()
        self.assertIn("王经理：面板开裂 😡 👨\u200d🔧", self.new.description)
        for field in ("lot_name", "root_cause", "corrective_action"):
            self.assertEqual(self.new[field], vals[field], field)

    # -- Numbers --------------------------------------------------------------------
    def test_rpc_numbers_refused(self):
        self.authenticate("sm_rep", "sm_rep")
        for field, value, fragment, klass in (
            ("quantity", "abc", "expects a number", "numbers as text"),
            ("quantity", "2", "expects a number", "numbers as text"),
            ("compensation_amount", "100", "expects a number", "numbers as text"),
            ("satisfaction", "5", "expects a number", "numbers as text"),
            ("quantity", math.nan, "finite number", "NaN and infinity"),
            ("quantity", math.inf, "finite number", "NaN and infinity"),
            ("compensation_amount", math.nan, "finite number", "NaN and infinity"),
            ("compensation_amount", -math.inf, "finite number", "NaN and infinity"),
            ("satisfaction", 4.5, "expects a whole number", "out of range"),
            ("satisfaction", 2**40, "must be between -2147483648 and 2147483647", "out of range"),
            ("quantity", -1, "Quantity must be at least 0", "out of range"),
            ("compensation_amount", -0.01, "Compensation Amount must be at least 0", "out of range"),
            ("satisfaction", 6, "from 1 to 5", "out of range"),
            ("satisfaction", -1, "from 1 to 5", "out of range"),
        ):
            with self.subTest(field=field, value=value):
                self._write(klass, self.closed if field == "satisfaction" else self.new, {field: value}, fragment)
        self.authenticate("sm_rep", "sm_rep")
        for value, fragment in ((0, "from 1 to 5"), (6, "from 1 to 5"), ("5", "expects a number"), (4.5, "whole")):
            with self.subTest(score=value):
                self.assertRpcRefused(
                    "out of range" if fragment != "expects a number" else "numbers as text",
                    "sales.complaint.survey",
                    "write",
                    [self.survey.ids, {"score": value}],
                    fragment,
                    unchanged=self.survey_unchanged,
                )

    # -- Selections, types ------------------------------------------------------------------
    def test_rpc_values_outside_their_list_refused(self):
        self.authenticate("sm_rep", "sm_rep")
        for field, value in (
            ("channel", "fax"),
            ("severity", "urgent"),
            ("resolution", "refund"),
            ("state", "escalated"),
        ):
            with self.subTest(field=field, value=value):
                error = self._write("selection values", self.new, {field: value}, "is not a valid value")
                self.assertIn("allowed values", error["message"])
        for field, value in (("active", "no"), ("category_id", "quality"), ("product_id", 1.5)):
            with self.subTest(field=field, value=value):
                self._write("wrong types", self.new, {field: value}, "expects")

    # -- Dates --------------------------------------------------------------------------------
    def test_rpc_dates_refused(self):
        self.authenticate("sm_rep", "sm_rep")
        for field, value in (("date_received", "2026-02-30 10:00:00"), ("date_onsite", "tomorrow")):
            with self.subTest(field=field):
                self._write("date formats", self.new, {field: value}, "expects a date")
        # Nothing happens before the complaint is received: these would fake the deadline status.
        for complaint, vals, fragment in (
            (self.quality_new, {"date_onsite": "2026-09-24"}, "cannot be before the day it was received"),
            (self.new, {"date_acknowledged": "2026-09-25 09:59:00"}, "cannot be before it was received"),
            (self.new, {"date_resolved": "2026-09-01 00:00:00"}, "cannot be before it was received"),
            (self.closed, {"date_closed": "2026-09-26 00:00:00"}, "before it was resolved"),
        ):
            with self.subTest(vals=vals):
                self._write("date order", complaint, vals, fragment)
        received_later = fields.Datetime.to_string(self.acknowledged.date_acknowledged + timedelta(minutes=2))
        self._write(
            "date order", self.acknowledged, {"date_received": received_later}, "cannot be before it was received"
        )
        now = fields.Datetime.now()
        for field, value, fragment in (
            ("date_received", "2999-01-01 00:00:00", "cannot be later than now"),
            ("date_acknowledged", fields.Datetime.to_string(now + timedelta(days=1)), "cannot be later than now"),
            ("date_onsite", fields.Date.to_string(date.today() + timedelta(days=3)), "cannot be later than today"),
        ):
            with self.subTest(field=field):
                self._write("future dates", self.quality_new, {field: value}, fragment)
        self._create(
            "future dates", "sales.complaint", self._new_vals(date_received="2999-06-01 00:00:00"), "later than now"
        )
        self.assertRpcRefused(
            "future dates",
            "sales.complaint.survey",
            "write",
            [self.survey.ids, {"date": fields.Date.to_string(date.today() + timedelta(days=10))}],
            "cannot be later than today",
            unchanged=self.survey_unchanged,
        )
        # The statistics export: a period whose end comes before its start.
        self._create(
            "date order",
            "sales.complaint.statistics",
            {"date_from": "2026-12-31", "date_to": "2026-01-01"},
            "ends (2026-01-01) before it starts (2026-12-31)",
        )
        self._create("date formats", "sales.complaint.statistics", {"date_from": "2026-00-01"}, "expects a date")

    # -- Stages ---------------------------------------------------------------------------------
    def test_rpc_stage_jumps_and_reopening_refused(self):
        self.authenticate("sm_rep", "sm_rep")
        for complaint, vals in (
            (self.new, {"state": "resolved", "resolution": "explanation"}),
            (self.new, {"state": "closed", "resolution": "explanation"}),
            (self.new, {"state": "investigating"}),
            (self.closed, {"state": "new"}),
            (self.closed, {"state": "acknowledged"}),
            (self.closed, {"state": "rejected", "rejection_reason": "x"}),
            (self.rejected, {"state": "new"}),
            (self.rejected, {"state": "acknowledged"}),
        ):
            with self.subTest(current=complaint.state, vals=vals):
                self._write("state transitions", complaint, vals, "cannot go from")
        for state in ("closed", "acknowledged"):
            with self.subTest(create_state=state):
                self._create("state transitions", "sales.complaint", self._new_vals(state=state), "starts as New")

    # -- Users ------------------------------------------------------------------------------------
    def test_rpc_user_kind_refused(self):
        self.authenticate("sm_rep", "sm_rep")
        for user in (self.user_portal, self.user_employee):
            with self.subTest(user=user.login):
                self._write("user kind", self.new, {"user_id": user.id}, "cannot be the Responsible")
                self._create("user kind", "sales.complaint", self._new_vals(user_id=user.id), "choose an internal user")
                self.assertRpcRefused(
                    "user kind",
                    "sales.complaint.survey",
                    "write",
                    [self.survey.ids, {"user_id": user.id}],
                    "cannot be the Surveyed By",
                    unchanged=self.survey_unchanged,
                )
        # After-sales staff may be responsible.
        self.assertRpcAccepted(
            "valid values kept", "sales.complaint", "write", [self.new.ids, {"user_id": self.user_after_sales.id}]
        )

    # -- Searches ---------------------------------------------------------------------------------
    def test_rpc_search_operators_and_values(self):
        scope = self.complaints
        true_ids = set(scope.filtered("is_overdue").ids)
        false_ids = set(scope.ids) - true_ids
        self.assertTrue(true_ids and false_ids)
        domain = [("id", "in", scope.ids)]
        self.authenticate("sm_rep", "sm_rep")
        for operator, value, expected in (
            ("=", True, true_ids),
            ("=", False, false_ids),
            ("=", None, false_ids),
            ("!=", True, false_ids),
            ("!=", False, true_ids),
            ("in", [True], true_ids),
            ("in", [True, False], true_ids | false_ids),
            ("not in", [True], false_ids),
            ("not in", [], true_ids | false_ids),
        ):
            with self.subTest(operator=operator, value=value):
                self.assertEqual(
                    self._search_ids("sales.complaint", [*domain, ("is_overdue", operator, value)]), expected
                )
        for operator, value in (("ilike", "late"), ("<", 1), ("=", "yes"), ("in", [2]), ("like", True)):
            with self.subTest(operator=operator, value=value):
                self.assertRpcRefused(
                    "search operators",
                    "sales.complaint",
                    "search_count",
                    [[("is_overdue", operator, value)]],
                    "can only be searched",
                )
        for model, search_domain, fragment in (
            ("sales.complaint", [("satisfaction", ">", "abc")], "expects a number"),
            ("sales.complaint", [("compensation_amount", ">", math.nan)], "finite number"),
            ("sales.complaint", [("date_received", "=", "last week")], "expects a date and time"),
            ("sales.complaint", [("reply_deadline", "<", "x")], "expects a date"),
            ("sales.complaint.survey", [("score", ">=", "four")], "expects a number"),
            ("sales.complaint.category", [("reply_days", "=", math.inf)], "finite number"),
        ):
            with self.subTest(model=model, domain=search_domain):
                self.assertRpcRefused("search values", model, "search_count", [search_domain], fragment)

    # -- Categories (Sales administrator) ------------------------------------------------------
    def test_rpc_category_settings_refused(self):
        self.authenticate("sm_admin", "sm_admin")
        for vals, fragment, klass in (
            ({"reply_days": -1}, "Reply Days must be between 0 and 365, not -1", "out of range"),
            ({"reply_days": 400}, "between 0 and 365", "out of range"),
            ({"onsite_days": 2**31}, "between -2147483648 and 2147483647", "out of range"),
            ({"onsite_days": math.nan}, "finite number", "NaN and infinity"),
            ({"reply_days": "3"}, "expects a number", "numbers as text"),
            ({"reply_days": 2.5}, "expects a whole number", "out of range"),
            ({"name": "   "}, "needs a name", "blank values"),
            ({"name": NUL}, "control character", "control characters"),
            ({"name": "Quality\nDefects"}, "control character", "control characters"),
        ):
            with self.subTest(vals=vals):
                self.assertRpcRefused(
                    klass,
                    "sales.complaint.category",
                    "write",
                    [self.quality.ids, vals],
                    fragment,
                    unchanged=self.categories_unchanged,
                )
        self._create("out of range", "sales.complaint.category", {"name": "Packaging", "reply_days": -3}, "Reply Days")

    # -- Forms ------------------------------------------------------------------------------------------
    def test_form_paths(self):
        count = self._counter("sales.complaint")
        with self.assertRefused("control characters", "control character", unchanged=count):
            form = Form(self.env["sales.complaint"].with_user(self.user_rep))
            form.partner_id = self.customer
            form.category_id = self.delivery
            form.lot_name = NUL
            form.save()
        for field, value, fragment, klass in (
            ("quantity", -2, "Quantity must be at least 0", "out of range"),
            ("date_onsite", date(2026, 9, 20), "cannot be before the day it was received", "date order"),
            ("date_received", datetime(2999, 1, 1), "cannot be later than now", "future dates"),
        ):
            with (
                self.subTest(field=field),
                self.assertRefused(klass, fragment, unchanged=self.complaints_unchanged),
            ):
                form = Form(self.quality_new.with_user(self.user_rep))
                setattr(form, field, value)
                form.save()
        with self.assertRefused("out of range", "from 1 to 5", unchanged=self.complaints_unchanged):
            form = Form(self.closed.with_user(self.user_rep))
            form.satisfaction = 7
            form.save()
        with self.assertRefused(
            "date order", "before it starts", unchanged=self._counter("sales.complaint.statistics")
        ):
            form = Form(self.env["sales.complaint.statistics"].with_user(self.user_rep))
            form.date_from = date(2026, 12, 31)
            form.date_to = date(2026, 1, 1)
            form.save()

    # -- Imports ----------------------------------------------------------------------------------------
    def test_import_paths(self):
        Complaint = self.env["sales.complaint"].with_user(self.user_rep)
        count = self._counter("sales.complaint")
        base_names = ["partner_id/.id", "category_id/.id"]
        base_row = [str(self.customer.id), str(self.delivery.id)]
        for field, value, fragment, klass in (
            ("quantity", "nan", "finite number", "NaN and infinity"),
            ("quantity", "inf", "finite number", "NaN and infinity"),
            ("quantity", "-4", "Quantity must be at least 0", "out of range"),
            ("satisfaction", "9", "from 1 to 5", "out of range"),
            ("lot_name", NUL, "control character", "control characters"),
            ("description", f"<p>{ESCAPE}</p>", "control character", "control characters"),
            ("state", "closed", "starts as New", "state transitions"),
            ("date_received", "2999-01-01 00:00:00", "cannot be later than now", "future dates"),
            ("user_id/.id", str(self.user_portal.id), "choose an internal user", "user kind"),
            ("channel", "fax", "fax", "selection values"),
        ):
            with self.subTest(field=field, value=value):
                self.assertLoadRefused(klass, Complaint, [*base_names, field], [[*base_row, value]], fragment, count)
        self.assertLoadRefused(
            "out of range",
            self.env["sales.complaint.category"].with_user(self.user_admin),
            ["name", "reply_days"],
            [["Packaging", "-1"]],
            "Reply Days must be between 0 and 365",
            self._counter("sales.complaint.category"),
        )
        self.assertLoadRefused(
            "out of range",
            self.env["sales.complaint.survey"].with_user(self.user_rep),
            ["partner_id/.id", "score"],
            [[str(self.customer.id), "0"]],
            "from 1 to 5",
            self._counter("sales.complaint.survey"),
        )


@tagged("post_install", "-at_install")
class TestComplaintCreditNoteBadInput(AccountTestInvoicingCommon, BadInputCase):
    """The credit note of a complaint: never more than the invoice's remaining amount,
    never dated before the invoice, whatever a sales manager sends over JSON-RPC."""

    capability = "complaints (credit note)"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.user_manager = new_test_user(
            cls.env,
            login="sm_bc_manager",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        cls.invoice = cls.init_invoice("out_invoice", partner=cls.partner_a, products=cls.product_a, post=True)
        cls.complaint = cls.env["sales.complaint"].create(
            {
                "partner_id": cls.partner_a.id,
                "category_id": cls.env.ref("sales_management.complaint_category_quality").id,
                "invoice_id": cls.invoice.id,
                "user_id": cls.user_manager.id,
            }
        )
        cls.complaint.action_acknowledge()

    def setUp(self):
        super().setUp()
        self.nothing_credited = self._reader(self.complaint, ["credit_note_id", "resolution", "state"])
        self.refunds = self._counter("account.move", [("move_type", "=", "out_refund")])

    def _unchanged(self):
        return self.nothing_credited(), self.refunds()

    def test_rpc_credit_note_refused(self):
        self.authenticate("sm_bc_manager", "sm_bc_manager")
        residual = self.invoice.amount_residual
        self.assertGreater(residual, 0)
        # Refused when the wizard is created: values no number field holds.
        for amount, fragment, klass in (
            (math.nan, "finite number", "NaN and infinity"),
            (math.inf, "finite number", "NaN and infinity"),
            ("abc", "expects a number", "numbers as text"),
            (str(residual), "expects a number", "numbers as text"),
        ):
            with self.subTest(amount=amount):
                self.assertRpcRefused(
                    klass,
                    "sales.complaint.credit.note",
                    "create",
                    [[{"complaint_id": self.complaint.id, "amount": amount}]],
                    fragment,
                    unchanged=self._unchanged,
                )
        self.assertRpcRefused(
            "control characters",
            "sales.complaint.credit.note",
            "create",
            [[{"complaint_id": self.complaint.id, "reason": NUL}]],
            "control character",
            unchanged=self._unchanged,
        )
        # Refused when the credit note is asked for: what only the invoice can say.
        for vals, fragment, klass in (
            ({"amount": residual + 0.01}, "cannot exceed the remaining amount", "out of range"),
            ({"amount": residual * 10}, "cannot exceed the remaining amount", "out of range"),
            ({"amount": 0.0}, "must be positive", "out of range"),
            ({"amount": -5.0}, "must be positive", "out of range"),
            ({"date": "2018-12-31"}, "cannot be before the date of invoice", "date order"),
        ):
            with self.subTest(vals=vals):
                [wizard_id], error = self._rpc(
                    "sales.complaint.credit.note", "create", [[{"complaint_id": self.complaint.id, **vals}]]
                )
                self.assertIsNone(error)
                self.assertRpcRefused(
                    klass,
                    "sales.complaint.credit.note",
                    "action_create_credit_note",
                    [[wizard_id]],
                    fragment,
                    unchanged=self._unchanged,
                )
        # The remaining amount itself is accepted.
        [wizard_id], _error = self._rpc(
            "sales.complaint.credit.note", "create", [[{"complaint_id": self.complaint.id, "amount": residual}]]
        )
        self.assertRpcAccepted(
            "valid values kept", "sales.complaint.credit.note", "action_create_credit_note", [[wizard_id]]
        )
        self.assertEqual(self.complaint.credit_note_id.amount_total, residual)

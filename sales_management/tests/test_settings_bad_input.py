import math

from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .bad_input_common import CLEAN_RPC_ERRORS, BadInputCase
from .common import SalesManagementCase

COMPANY_FIELDS = [
    "quota_reminder_threshold",
    "complaint_deadline_mode",
    "complaint_repeat_days",
    "complaint_satisfaction_target_start",
    "complaint_satisfaction_target_end",
    "visit_rejection_followup_days",
    "visit_after_delivery_days",
    "credit_overdue_tolerance_days",
    "credit_dso_days",
]
# (field, bad value, what the message says, class of input)
BAD_VALUES = [
    ("complaint_satisfaction_target_start", 150, "must be between 0.0 and 100.0, not 150", "out of range"),
    ("complaint_satisfaction_target_start", -5, "must be between 0.0 and 100.0", "out of range"),
    ("complaint_satisfaction_target_end", 100.5, "must be between 0.0 and 100.0", "out of range"),
    ("quota_reminder_threshold", 120, "Quota Reminder Threshold (%) must be between 0.0 and 100.0", "out of range"),
    ("quota_reminder_threshold", -1, "must be between 0.0 and 100.0", "out of range"),
    ("complaint_repeat_days", -1, "Repeat Complaint Period (Days) must be between 0 and 3660", "out of range"),
    ("complaint_repeat_days", 5000, "must be between 0 and 3660", "out of range"),
    ("complaint_repeat_days", 7.5, "expects a whole number", "out of range"),
    ("complaint_repeat_days", 2**40, "must be between -2147483648 and 2147483647", "out of range"),
    ("visit_rejection_followup_days", 0, "must be between 1 and 365", "out of range"),
    ("visit_rejection_followup_days", 400, "must be between 1 and 365", "out of range"),
    ("visit_after_delivery_days", -1, "must be between 0 and 365", "out of range"),
    ("visit_after_delivery_days", 366, "must be between 0 and 365", "out of range"),
    ("credit_overdue_tolerance_days", -1, "Overdue Tolerance (days) must be between 0 and 3660", "out of range"),
    ("credit_overdue_tolerance_days", 99999, "must be between 0 and 3660", "out of range"),
    ("credit_dso_days", 0, "DSO Window (days) must be between 1 and 3660", "out of range"),
    ("credit_dso_days", 4000, "must be between 1 and 3660", "out of range"),
    ("complaint_satisfaction_target_start", math.nan, "expects a finite number", "NaN and infinity"),
    ("complaint_satisfaction_target_end", math.inf, "expects a finite number", "NaN and infinity"),
    ("quota_reminder_threshold", -math.inf, "expects a finite number", "NaN and infinity"),
    ("complaint_repeat_days", "90", "expects a number, not '90'", "numbers as text"),
    ("complaint_satisfaction_target_start", "90%", "expects a number", "numbers as text"),
    ("credit_dso_days", "abc", "expects a number", "numbers as text"),
    ("complaint_deadline_mode", "hourly", "calendar (Calendar Days)", "selection values"),
    ("complaint_repeat_days", [90], "expects a number", "wrong types"),
]


@tagged("post_install", "-at_install")
class TestSettingsBadInput(SalesManagementCase, BadInputCase):
    """Bad company settings of the addon, written on the company over JSON-RPC by the
    least-privileged user who may (Administration / Access Rights), through the
    Settings screen by a Settings user, and imported."""

    capability = "settings"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_access = new_test_user(cls.env, login="sm_bs_access", groups="base.group_erp_manager")
        cls.user_settings = new_test_user(cls.env, login="sm_bs_settings", groups="base.group_system")
        cls.company.write(
            {
                "quota_reminder_threshold": 80.0,
                "complaint_repeat_days": 90,
                "complaint_satisfaction_target_start": 85.0,
                "complaint_satisfaction_target_end": 90.0,
                "visit_rejection_followup_days": 30,
                "visit_after_delivery_days": 7,
                "credit_overdue_tolerance_days": 30,
                "credit_dso_days": 90,
            }
        )

    def setUp(self):
        super().setUp()
        self.company_unchanged = self._reader(self.company, COMPANY_FIELDS)

    def test_rpc_company_settings_refused(self):
        self.authenticate("sm_bs_access", "sm_bs_access")
        for field, value, fragment, klass in BAD_VALUES:
            with self.subTest(field=field, value=value):
                self.assertRpcRefused(
                    klass,
                    "res.company",
                    "write",
                    [self.company.ids, {field: value}],
                    fragment,
                    unchanged=self.company_unchanged,
                )
        # The target rises over the year, whichever end is written.
        for vals in (
            {"complaint_satisfaction_target_start": 95.0},
            {"complaint_satisfaction_target_end": 80.0},
            {"complaint_satisfaction_target_start": 60.0, "complaint_satisfaction_target_end": 50.0},
        ):
            with self.subTest(vals=vals):
                self.assertRpcRefused(
                    "value order",
                    "res.company",
                    "write",
                    [self.company.ids, vals],
                    "cannot be below January's",
                    unchanged=self.company_unchanged,
                )

    def test_rpc_edges_kept(self):
        self.authenticate("sm_bs_access", "sm_bs_access")
        edges = {
            "complaint_satisfaction_target_start": 0.0,
            "complaint_satisfaction_target_end": 100.0,
            "complaint_repeat_days": 0,
            "visit_after_delivery_days": 0,
            "visit_rejection_followup_days": 365,
            "credit_dso_days": 1,
            "quota_reminder_threshold": 100.0,
        }
        self.assertRpcAccepted("valid edges kept", "res.company", "write", [self.company.ids, edges])
        self.env.invalidate_all()
        for field, value in edges.items():
            self.assertEqual(self.company[field], value, field)

    def test_rpc_settings_screen_refused(self):
        """The Settings screen saves a res.config.settings record, then applies it
        (execute): the value is refused at one step or the other, the company unchanged."""
        self.authenticate("sm_bs_settings", "sm_bs_settings")
        before = self.company_unchanged()
        for field, value, fragment, klass in BAD_VALUES:
            with self.subTest(field=field, value=value):
                self.tally[klass][0] += 1
                with mute_logger("odoo.http"):
                    settings, error = self._rpc("res.config.settings", "create", [[{field: value}]])
                    if not error:
                        _result, error = self._rpc("res.config.settings", "execute", [settings])
                self.assertIsNotNone(error, f"settings {field}={value!r} accepted")
                self.assertIn(error["name"], CLEAN_RPC_ERRORS, error["message"])
                self.assertIn(fragment, error["message"])
                self.assertEqual(self.company_unchanged(), before)
                self.tally[klass][1] += 1

    def test_form_settings_refused(self):
        for field, value, fragment, klass in (
            ("complaint_satisfaction_target_start", 150.0, "must be between 0.0 and 100.0", "out of range"),
            ("complaint_repeat_days", -1, "must be between 0 and 3660", "out of range"),
            ("visit_rejection_followup_days", 0, "must be between 1 and 365", "out of range"),
            ("complaint_satisfaction_target_end", 50.0, "cannot be below January's", "value order"),
            ("credit_dso_days", 0, "must be between 1 and 3660", "out of range"),
        ):
            with self.subTest(field=field), self.assertRefused(klass, fragment, unchanged=self.company_unchanged):
                # The Sales app of the Settings screen shows to Sales administrators.
                form = Form(self.env["res.config.settings"].with_user(self.user_admin))
                setattr(form, field, value)
                form.save().execute()

    def test_import_company_settings_refused(self):
        Company = self.env["res.company"].with_user(self.user_access)
        xmlid = self.company.get_external_id()[self.company.id]
        for field, value, fragment, klass in (
            ("complaint_repeat_days", "-1", "must be between 0 and 3660", "out of range"),
            ("complaint_satisfaction_target_start", "nan", "expects a finite number", "NaN and infinity"),
            ("quota_reminder_threshold", "inf", "expects a finite number", "NaN and infinity"),
            ("complaint_satisfaction_target_end", "150", "must be between 0.0 and 100.0", "out of range"),
            ("complaint_deadline_mode", "hourly", "hourly", "selection values"),
        ):
            with self.subTest(field=field, value=value):
                self.assertLoadRefused(
                    klass, Company, ["id", field], [[xmlid, value]], fragment, self.company_unchanged
                )

import datetime

from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged

from .common_complaint import ComplaintCase
from .quota_common import QuotaCase
from .visit_common import VisitCase

D = datetime.date


@tagged("post_install", "-at_install")
@freeze_time("2026-01-16")
class TestQuotaPlanStateRules(QuotaCase):
    """Confirming or closing a plan re-checks its rules: shares summing to 100%, its constraints."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._history()
        cls.plan = cls.env["sales.quota.plan"].create(
            {"year": 2026, "company_id": cls.company.id, "team_id": cls.team.id, "sales_target": 12000.0}
        )
        cls.plan.with_user(cls.manager).action_generate()

    def _months(self):
        return self.plan.share_ids.filtered(lambda s: s.dimension == "month")

    def _break_month_shares(self):
        """Month shares edited to sum to 96% (generation would refuse them, the lines stay)."""
        january = self._months().filtered(lambda s: s.month == 1)
        january.with_user(self.manager).share = january.share - 4.0
        self.assertAlmostEqual(sum(self._months().mapped("share")), 96.0, places=4)

    def test_confirm_refuses_shares_not_summing_to_100(self):
        self._break_month_shares()
        plan = self.plan.with_user(self.manager)
        with self.assertRaises(ValidationError) as error:
            plan.action_confirm()
        self.assertRegex(str(error.exception), r"Month shares .* sum to 96\.00%")
        self.assertEqual(self.plan.state, "draft")
        # A direct write of the state (RPC) meets the same rule.
        with self.assertRaises(ValidationError) as error:
            plan.write({"state": "confirmed"})
        self.assertRegex(str(error.exception), "96.00%")
        plan.action_normalise_shares()
        plan.action_confirm()
        self.assertEqual(self.plan.state, "confirmed")

    def test_close_rechecks_the_rules(self):
        self.plan.with_user(self.manager).action_confirm()
        self.env.cr.execute("UPDATE sales_quota_plan SET sales_target = -1 WHERE id = %s", [self.plan.id])
        self.plan.invalidate_recordset()
        with self.assertRaises(ValidationError) as error:
            self.plan.with_user(self.manager).action_close()
        self.assertRegex(str(error.exception), "cannot be negative")
        self.assertEqual(self.plan.state, "confirmed")

    def test_confirm_rechecks_the_lines(self):
        line = self.plan.line_ids.filtered(lambda line: line.period_level == "month")[:1]
        self.env.cr.execute("UPDATE sales_quota_line SET target_amount = -5 WHERE id = %s", [line.id])
        line.invalidate_recordset()
        with self.assertRaises(ValidationError) as error:
            self.plan.with_user(self.manager).action_confirm()
        self.assertRegex(str(error.exception), "targets cannot be negative")


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestVisitStateRules(VisitCase):
    """Submitting, approving, closing a visit plan, and each step of a visit, re-check their rules."""

    def setUp(self):
        super().setUp()
        self.plan = (
            self.env["sales.visit.plan"]
            .with_user(self.user_rep)
            .create({"date_from": D(2026, 3, 1), "date_to": D(2026, 3, 31)})
        )
        self.visit = self._visit(self.customers[0], D(2026, 3, 12), state="planned", plan_id=self.plan.id)

    def _move_visit_out_of_its_plan(self):
        self.env.cr.execute("UPDATE sales_visit SET date = '2026-04-15' WHERE id = %s", [self.visit.id])
        self.visit.invalidate_recordset()

    def test_submit_and_approve_recheck_the_visits(self):
        self._move_visit_out_of_its_plan()
        with self.assertRaises(ValidationError) as error:
            self.plan.with_user(self.user_rep).action_submit()
        self.assertRegex(str(error.exception), "outside its plan's period")
        self.assertEqual(self.plan.state, "draft")
        self.visit.date = D(2026, 3, 12)
        self.plan.with_user(self.user_rep).action_submit()
        self._move_visit_out_of_its_plan()
        with self.assertRaises(ValidationError) as error:
            self.plan.with_user(self.user_manager).action_approve()
        self.assertRegex(str(error.exception), "outside its plan's period")
        self.assertEqual(self.plan.state, "submitted")

    def test_visit_steps_recheck_the_visit(self):
        self.env.cr.execute("UPDATE sales_visit_plan SET user_id = %s WHERE id = %s", [self.user_rep2.id, self.plan.id])
        self.plan.invalidate_recordset()
        self.visit.reason = "Customer closed"
        with self.assertRaises(ValidationError) as error:
            self.visit.with_user(self.user_manager).action_missed()
        self.assertRegex(str(error.exception), "but its plan to Rep Rob")
        self.assertEqual(self.visit.state, "planned")


@tagged("post_install", "-at_install")
class TestComplaintStateRules(ComplaintCase):
    """Each change of stage of a complaint re-checks its rules, not only the stage's own."""

    def test_stage_change_rechecks_the_complaint(self):
        complaint = self._complaint()
        self.env.cr.execute("UPDATE sales_complaint SET compensation_amount = -10 WHERE id = %s", [complaint.id])
        complaint.invalidate_recordset()
        with self.assertRaises(ValidationError) as error:
            complaint.with_user(self.user_rep).action_acknowledge()
        self.assertRegex(str(error.exception), "Compensation Amount must be at least 0")
        self.assertEqual(complaint.state, "new")
        complaint.compensation_amount = 0
        complaint.with_user(self.user_rep).action_acknowledge()
        self.assertEqual(complaint.state, "acknowledged")

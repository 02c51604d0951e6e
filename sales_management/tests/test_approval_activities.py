import datetime

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from .common_complaint import ComplaintCase
from .visit_common import VisitCase

D = datetime.date


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestVisitPlanApprovalActivity(VisitCase):
    """The manager's approval activity of a visit plan: made by the submission, done by the decision only."""

    def _submitted_plan(self):
        team = self.env["crm.team"].create({"name": "Approval Team", "user_id": self.user_manager.id})
        team.member_ids = self.user_rep
        plan = (
            self.env["sales.visit.plan"]
            .with_user(self.user_rep)
            .create({"user_id": self.user_rep.id, "date_from": D(2026, 3, 1), "date_to": D(2026, 3, 31)})
        )
        self.env["sales.visit"].with_user(self.user_rep).create(
            {"partner_id": self.customers[0].id, "date": D(2026, 3, 3), "plan_id": plan.id, "user_id": self.user_rep.id}
        )
        plan.with_user(self.user_rep).action_submit()
        return plan

    def test_rep_cannot_mark_the_managers_approval(self):
        plan = self._submitted_plan()
        [activity] = plan.activity_ids
        self.assertEqual(
            activity.activity_type_id, self.env.ref("sales_management.mail_activity_type_visit_plan_approval")
        )
        self.assertEqual(activity.user_id, self.user_manager)
        for attempt in (
            activity.with_user(self.user_rep).action_feedback,
            activity.with_user(self.user_rep).unlink,
            lambda: activity.with_user(self.user_rep).write({"user_id": self.user_rep.id}),
            activity.with_user(self.user_manager).action_feedback,
        ):
            with self.assertRaises(AccessError):
                attempt()
        self.assertEqual(plan.state, "submitted")
        plan.with_user(self.user_manager).action_approve()
        self.assertFalse(plan.activity_ids, "done by the approval")

    def test_withdrawn_by_the_rep(self):
        plan = self._submitted_plan()
        plan.with_user(self.user_rep).action_reset_draft()
        self.assertFalse(plan.activity_ids)


@tagged("post_install", "-at_install")
@freeze_time("2026-10-01 06:00:00")
class TestComplaintEscalationActivity(ComplaintCase):
    def test_escalation_done_when_no_longer_overdue(self):
        complaint = self._complaint()
        overdue = self._complaint(description="<p>Still waiting</p>")
        (complaint | overdue)._escalate()
        escalation = self.env.ref("sales_management.mail_activity_type_complaint_escalation")
        self.assertEqual(complaint.activity_ids.activity_type_id, escalation)
        self.assertEqual(complaint.activity_ids.user_id, self.user_manager)
        complaint.with_user(self.user_rep).action_acknowledge()
        self.assertFalse(complaint.is_overdue)
        self.assertFalse(complaint.activity_ids, "the manager's activity is done")
        done = complaint.message_ids.filtered(lambda m: m.mail_activity_type_id == escalation)
        self.assertIn("no longer overdue", done.body)
        self.assertTrue(overdue.activity_ids, "the other one still waits")

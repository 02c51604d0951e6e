import datetime

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .visit_common import VisitCase

D = datetime.date
MARCH_1 = D(2026, 3, 1)
MARCH_31 = D(2026, 3, 31)


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestVisitPlan(VisitCase):
    def _plan(self, user=None, start=MARCH_1, end=MARCH_31):
        user = user or self.user_rep
        return (
            self.env["sales.visit.plan"]
            .with_user(user)
            .create({"user_id": user.id, "date_from": start, "date_to": end})
        )

    def _submitted_plan(self, user=None):
        plan = self._plan(user)
        self.env["sales.visit"].with_user(plan.user_id).create(
            {"partner_id": self.customers[0].id, "date": D(2026, 3, 3), "plan_id": plan.id, "user_id": plan.user_id.id}
        )
        plan.action_submit()
        return plan

    def test_default_period_is_current_month(self):
        plan = self.env["sales.visit.plan"].with_user(self.user_rep).create({})
        self.assertEqual((plan.date_from, plan.date_to), (D(2026, 3, 1), D(2026, 3, 31)))
        self.assertEqual(plan.user_id, self.user_rep)
        self.assertEqual(plan.name, "Rep Ruth 2026-03")

    def test_flow_approved_by_manager(self):
        team = self.env["crm.team"].create({"name": "Plan Team", "user_id": self.user_manager.id})
        team.member_ids = self.user_rep
        plan = self._submitted_plan()
        self.assertEqual(plan.state, "submitted")
        self.assertEqual(plan.activity_ids.user_id, self.user_manager, "the team leader is asked to approve")
        plan.with_user(self.user_manager).action_approve()
        self.assertFalse(plan.activity_ids)
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.approved_by_id, self.user_manager)
        plan.with_user(self.user_manager).action_close()
        self.assertEqual(plan.state, "closed")

    def test_rep_cannot_approve_own_plan(self):
        plan = self._submitted_plan()
        with self.assertRaises(UserError):
            plan.with_user(self.user_rep).action_approve()
        with self.assertRaises(UserError):
            plan.with_user(self.user_rep).write({"state": "approved"})
        with self.assertRaises(UserError):
            plan.with_user(self.user_rep).write({"approved_by_id": self.user_manager.id})
        self.assertEqual(plan.state, "submitted")
        plan.with_user(self.user_manager).action_approve()
        with self.assertRaises(UserError):
            plan.with_user(self.user_rep).write({"state": "closed"})
        plan.with_user(self.user_rep).action_reset_draft()
        self.assertFalse(plan.approved_by_id)

    def test_manager_cannot_approve_his_own_plan(self):
        plan = self._submitted_plan(self.user_manager)
        with self.assertRaises(UserError) as error:
            plan.with_user(self.user_manager).action_approve()
        self.assertIn("your own visit plan", str(error.exception))
        plan.with_user(self.user_admin).action_approve()
        self.assertEqual(plan.state, "approved")

    def test_submit_empty_plan_refused(self):
        plan = self._plan()
        with self.assertRaises(UserError):
            plan.action_submit()

    def test_overlapping_plans_refused(self):
        self._plan()
        with self.assertRaises(ValidationError) as error:
            self._plan(start=D(2026, 3, 20), end=D(2026, 4, 19))
        self.assertIn("overlaps", str(error.exception))
        # Another rep, or the next month, is fine.
        self._plan(user=self.user_rep2)
        self._plan(start=D(2026, 4, 1), end=D(2026, 4, 30))

    def test_period_ends_before_start(self):
        with self.assertRaises(ValidationError):
            self._plan(start=D(2026, 3, 31), end=D(2026, 3, 1))

    def test_visit_outside_plan_period(self):
        plan = self._plan()
        with self.assertRaises(ValidationError):
            self.env["sales.visit"].with_user(self.user_rep).create(
                {"partner_id": self.customers[0].id, "date": D(2026, 4, 1), "plan_id": plan.id}
            )
        self.assertFalse(plan.visit_ids)

    def test_completion_hand_worked(self):
        """4 planned (1 cancelled left out), 2 done, 1 missed, 1 unplanned: completion 2 / 3."""
        plan = self._plan()
        vals = {"plan_id": plan.id}
        self._visit(self.customers[0], D(2026, 3, 3), **vals)
        self._visit(self.customers[1], D(2026, 3, 4), **vals)
        self._visit(self.customers[2], D(2026, 3, 5), state="missed", **vals)
        self._visit(self.customers[3], D(2026, 3, 6), state="cancelled", **vals)
        self._visit(self.customers[3], D(2026, 3, 7), is_unplanned=True, **vals)
        self.assertEqual(plan.visit_planned_count, 3)
        self.assertEqual(plan.visit_done_count, 2)
        self.assertEqual(plan.visit_missed_count, 1)
        self.assertAlmostEqual(plan.completion_rate, 200 / 3, places=2)

    def test_rep_sees_only_own_plans(self):
        mine = self._plan()
        other = self._plan(user=self.user_rep2)
        Plan = self.env["sales.visit.plan"].with_user(self.user_rep)
        self.assertEqual(Plan.search([("id", "in", (mine | other).ids)]), mine)
        with self.assertRaises(AccessError):
            other.with_user(self.user_rep).read(["name"])
        manager_view = (
            self.env["sales.visit.plan"].with_user(self.user_manager).search([("id", "in", (mine | other).ids)])
        )
        self.assertEqual(manager_view, mine | other)

    def test_only_draft_deleted(self):
        plan = self._submitted_plan()
        with self.assertRaises(UserError):
            plan.unlink()

    def test_visit_planned_by_hand_joins_plan(self):
        plan = self._plan()
        Visit = self.env["sales.visit"].with_user(self.user_rep)
        planned = Visit.create({"partner_id": self.customers[0].id, "date": D(2026, 3, 9)})
        self.assertEqual(planned.plan_id, plan)
        later = Visit.create({"partner_id": self.customers[0].id, "date": D(2026, 4, 9)})
        self.assertFalse(later.plan_id, "no plan covers April")
        unplanned = Visit.create({"partner_id": self.customers[1].id, "date": D(2026, 3, 9), "is_unplanned": True})
        self.assertFalse(unplanned.plan_id)
        self.assertEqual(plan.visit_planned_count, 1)

    def _leader_team(self):
        team = self.env["crm.team"].create({"name": "Approval Team", "user_id": self.user_manager.id})
        team.member_ids = self.user_rep
        return team

    def _rep_messages(self, plan):
        return plan.message_ids.filtered(lambda m: self.user_rep.partner_id in m.partner_ids)

    def test_submit_asks_team_leader_and_approval_tells_rep(self):
        self._leader_team()
        plan = self._submitted_plan()
        [activity] = plan.activity_ids
        self.assertEqual(activity.user_id, self.user_manager)
        self.assertIn("Rep Ruth", activity.note)
        plan.with_user(self.user_manager).action_approve()
        self.assertFalse(plan.activity_ids, "done automatically")
        done = self.env["mail.message"].search(
            [("model", "=", plan._name), ("res_id", "=", plan.id), ("mail_activity_type_id", "!=", False)]
        )
        self.assertTrue(done, "the approval to-do is marked done, not deleted")
        [told] = self._rep_messages(plan)
        self.assertIn("approved by Manager Mei", told.body)

    def test_refusal_needs_reason_and_goes_back_to_rep(self):
        self._leader_team()
        plan = self._submitted_plan()
        with self.assertRaises(UserError):
            plan.with_user(self.user_manager).action_refuse()
        plan.with_user(self.user_rep).write({"refusal_reason": "I refuse my own plan"})
        with self.assertRaises(UserError):
            plan.with_user(self.user_rep).action_refuse()
        plan.with_user(self.user_manager).write({"refusal_reason": "Visit Customer 1 twice, it is a key account."})
        plan.with_user(self.user_manager).action_refuse()
        self.assertEqual(plan.state, "draft")
        [todo] = plan.activity_ids
        self.assertEqual(todo.user_id, self.user_rep)
        self.assertIn("key account", todo.note)
        [told] = self._rep_messages(plan)
        self.assertIn("refused by Manager Mei", told.body)
        # Submitted again: the rep's to-do is done, the leader asked again.
        plan.with_user(self.user_rep).action_submit()
        self.assertEqual(plan.activity_ids.user_id, self.user_manager)
        self.assertFalse(plan.refusal_reason)

    def test_withdrawn_plan_drops_the_approval_todo(self):
        self._leader_team()
        plan = self._submitted_plan()
        plan.with_user(self.user_rep).action_reset_draft()
        self.assertFalse(plan.activity_ids)

    def test_without_team_leader_a_sales_administrator_approves(self):
        plan = self._submitted_plan()
        approver = plan.activity_ids.user_id
        self.assertTrue(approver.has_group("sales_team.group_sale_manager"))
        self.assertNotEqual(approver, self.user_rep)

    def test_propose_visits_says_the_real_reason(self):
        plan = self._plan(user=self.user_rep2)
        action = plan.with_user(self.user_rep2).action_propose_visits()
        self.assertIn("You have no customers to visit", action["params"]["message"])
        action = plan.with_user(self.user_manager).action_propose_visits()
        self.assertIn("Rep Rob has no customers to visit", action["params"]["message"])
        self.customers[0].visit_user_id = self.user_rep2
        plan.with_user(self.user_rep2).action_propose_visits()
        action = plan.with_user(self.user_rep2).action_propose_visits()
        self.assertIn("each of the 1 customers of Rep Rob is already planned", action["params"]["message"])
        # The rep's own contact is no customer of his.
        self.customers[0].visit_user_id = self.user_rep
        self.user_rep2.partner_id.write({"visit_user_id": self.user_rep2.id, "visit_frequency": "weekly"})
        action = plan.with_user(self.user_rep2).action_propose_visits()
        self.assertIn("You have no customers to visit", action["params"]["message"])

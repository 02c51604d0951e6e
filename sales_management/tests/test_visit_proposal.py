import datetime

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .visit_common import VisitCase

D = datetime.date


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestVisitProposal(VisitCase):
    """March 2026: Monday 2 .. Tuesday 31; today is Monday 2 March."""

    def setUp(self):
        super().setUp()
        self.weekly, self.biweekly, self.monthly, self.never = self.customers
        self.weekly.visit_frequency = "weekly"
        self.monthly.visit_frequency = "monthly"
        self._visit(self.weekly, D(2026, 2, 25))  # Wednesday: due 4, 11, 18, 25 March
        self._visit(self.biweekly, D(2026, 2, 20))  # Friday: due 6, 20 March
        self._visit(self.monthly, D(2026, 2, 27))  # due 29 March (Sunday) -> Monday 30
        self.plan = (
            self.env["sales.visit.plan"]
            .with_user(self.user_rep)
            .create({"date_from": D(2026, 3, 1), "date_to": D(2026, 3, 31)})
        )

    def _proposed(self, partner):
        return self.plan.visit_ids.filtered(lambda v: v.partner_id == partner).sorted("date").mapped("date")

    def test_proposals_follow_frequency_and_last_visit(self):
        self.plan.with_user(self.user_rep).action_propose_visits()
        self.assertEqual(self._proposed(self.weekly), [D(2026, 3, d) for d in (4, 11, 18, 25)])
        self.assertEqual(self._proposed(self.biweekly), [D(2026, 3, 6), D(2026, 3, 20)])
        self.assertEqual(self._proposed(self.monthly), [D(2026, 3, 30)])
        # Never visited: due at once, then every two weeks.
        self.assertEqual(self._proposed(self.never), [D(2026, 3, 2), D(2026, 3, 16), D(2026, 3, 30)])
        self.assertTrue(all(v.user_id == self.user_rep and v.state == "planned" for v in self.plan.visit_ids))
        self.assertFalse(any(self.plan.visit_ids.mapped("is_unplanned")))

    def test_twice_in_a_row_no_duplicates(self):
        self.plan.action_propose_visits()
        count = len(self.plan.visit_ids)
        self.plan.action_propose_visits()
        self.assertEqual(len(self.plan.visit_ids), count)
        # The weekly cron for next week adds nothing either: it is already planned.
        domain = [("partner_id", "in", self.customers.ids)]
        before = self.env["sales.visit"].search_count(domain)
        self.env["sales.visit"]._cron_visit_weekly()
        self.assertEqual(self.env["sales.visit"].search_count(domain), before)

    def test_visits_planned_by_hand_are_kept(self):
        self._visit(self.weekly, D(2026, 3, 5), state="planned", plan_id=self.plan.id)
        self.plan.action_propose_visits()
        self.assertEqual(self._proposed(self.weekly), [D(2026, 3, d) for d in (5, 12, 19, 26)])

    def test_public_holiday_skipped(self):
        self._holiday(D(2026, 3, 4))
        self.plan.action_propose_visits()
        self.assertEqual(self._proposed(self.weekly), [D(2026, 3, d) for d in (5, 12, 19, 26)])
        self.assertNotIn(D(2026, 3, 4), self.plan.visit_ids.mapped("date"))

    def test_no_working_day_on_weekends(self):
        self.plan.action_propose_visits()
        self.assertTrue(all(day.weekday() < 5 for day in self.plan.visit_ids.mapped("date")))

    def test_other_reps_customers_untouched(self):
        self.customers[0].visit_user_id = self.user_rep2
        self.plan.action_propose_visits()
        self.assertNotIn(self.customers[0], self.plan.visit_ids.partner_id)

    def test_closed_plan_refused(self):
        self.plan.sudo().state = "closed"
        with self.assertRaises(UserError):
            self.plan.action_propose_visits()

    def test_weekly_cron_proposes_next_week(self):
        """Run on Monday 2 March: next week is 9-15 March, no plan needed."""
        self.plan.unlink()
        created = self.env["sales.visit"]._cron_visit_weekly()
        mine = created.filtered(lambda v: v.partner_id in self.customers)
        self.assertEqual(
            sorted((v.partner_id.id, v.date) for v in mine),
            sorted(
                [
                    (self.weekly.id, D(2026, 3, 9)),
                    (self.biweekly.id, D(2026, 3, 10)),
                    (self.never.id, D(2026, 3, 11)),
                ]
            ),
        )
        # All three are due before next week starts: spread over its first days.
        self.assertFalse(created.filtered(lambda v: v.plan_id))
        again = self.env["sales.visit"]._cron_visit_weekly()
        self.assertFalse(again, "the week is done: a rerun creates nothing")

    def test_query_count_independent_of_customers(self):
        """Set-based: 4 customers or 40, the same number of queries (one INSERT batch each)."""
        self.env["res.partner"].create(
            [{"name": f"Rob's Customer {n}", "visit_user_id": self.user_rep2.id} for n in range(40)]
        )
        Visit = self.env["sales.visit"]
        Visit._propose_visits(self.user_rep, D(2026, 4, 13), D(2026, 4, 17))  # warm the caches
        self.env.flush_all()
        counts = []
        for user in (self.user_rep, self.user_rep2):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            created = Visit._propose_visits(user, D(2026, 4, 6), D(2026, 4, 10))
            self.env.flush_all()
            counts.append(self.cr.sql_log_count - before)
            self.assertTrue(created)
        self.assertEqual(counts[0], counts[1])

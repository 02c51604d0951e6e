import datetime

from odoo import Command
from odoo.tests import freeze_time, new_test_user, tagged

from .cron_common import BATCH_LOGGER, CronRunnerMixin
from .visit_common import VisitCase

D = datetime.date
OVERDUE = "sales_management.ir_cron_visit_overdue"
WEEKLY = "sales_management.ir_cron_visit_weekly"
# The week the job proposes when run on Monday 2 March.
NEXT_WEEK = (D(2026, 3, 9), D(2026, 3, 15))


@tagged("post_install", "-at_install")
@freeze_time("2026-03-10")
class TestCronVisitOverdue(CronRunnerMixin, VisitCase):
    """Daily: an overdue planned visit is done when it has its to-do."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.late = cls.env["sales.visit"]
        for n in range(3):
            cls.late |= cls._visit(cls.customers[n], D(2026, 3, 2 + n), state="planned")

    def _todos(self, visit):
        todo = self.env.ref("mail.mail_activity_data_todo")
        return visit.activity_ids.filtered(lambda a: a.activity_type_id == todo)

    def test_bad_record_through_the_runner_then_rerun(self):
        bad = self.late[1]
        with self._failing("sales.visit", "activity_schedule", bad), self.assertLogs(BATCH_LOGGER, "ERROR") as logs:
            calls = self._run_cron(OVERDUE, "model._cron_visit_overdue(batch_size=1)")
        self.assertEqual(calls[-1][1], 0, "the runner went on to the end")
        self._assert_failure_logged(logs, bad)
        self.assertEqual([len(self._todos(v)) for v in self.late], [1, 0, 1])
        self._run_cron(OVERDUE)
        self.assertEqual([len(self._todos(v)) for v in self.late], [1, 1, 1])
        self._run_cron(OVERDUE)
        self.assertEqual([len(self._todos(v)) for v in self.late], [1, 1, 1], "never twice")

    def test_partial_run_then_rerun_same_day(self):
        Visit = self.env["sales.visit"]
        self.assertEqual(Visit._cron_visit_overdue(batch_size=1), 1)
        self.assertEqual(len(self.late.filtered(lambda v: self._todos(v))), 1)
        later = self._visit(self.customers[3], D(2026, 3, 9), state="planned")
        while Visit._cron_visit_overdue(batch_size=1):
            pass
        self.assertEqual([len(self._todos(v)) for v in self.late | later], [1, 1, 1, 1])

    def test_two_companies_failure_in_one(self):
        company_b = self.env["res.company"].create({"name": "Visits B"})
        self.user_rep2.write({"company_ids": [Command.link(company_b.id)], "company_id": company_b.id})
        customer_b = self.env["res.partner"].create({"name": "Customer B", "company_id": company_b.id})
        in_b = self.env["sales.visit"].create(
            {
                "partner_id": customer_b.id,
                "date": D(2026, 3, 5),
                "user_id": self.user_rep2.id,
                "company_id": company_b.id,
            }
        )
        with self._failing("sales.visit", "activity_schedule", self.late), self.assertLogs(BATCH_LOGGER, "ERROR"):
            self._run_cron(OVERDUE)
        self.assertEqual(len(self._todos(in_b)), 1)
        self.assertFalse(self.late.activity_ids)
        self._run_cron(OVERDUE)
        self.assertEqual([len(self._todos(v)) for v in self.late | in_b], [1, 1, 1, 1])


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 03:00:00")
class TestCronVisitWeekly(CronRunnerMixin, VisitCase):
    """Weekly, run on Monday 2 March: proposals for 9-15 March, rep by rep; the week is the period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only this test's reps have customers to visit (demo data left out of the counts).
        cls.env["res.partner"].search([("id", "not in", cls.customers.ids)]).write({"visit_user_id": False})
        cls.customers[2:].write({"visit_user_id": cls.user_rep2.id})
        cls.customers.write({"visit_frequency": "weekly"})
        cls.leader = new_test_user(
            cls.env, login="sm_cron_leader", name="Leader Lin", groups="sales_team.group_sale_salesman_all_leads"
        )
        cls.env["crm.team"].create(
            {"name": "Cron Visit Team", "user_id": cls.leader.id, "member_ids": [Command.set(cls.user_rep.ids)]}
        )
        cls.env["crm.team"].create(
            {"name": "Cron Visit Team 2", "user_id": cls.leader.id, "member_ids": [Command.set(cls.user_rep2.ids)]}
        )

    def _proposals(self, rep, week=NEXT_WEEK):
        date_from, date_to = week
        return self.env["sales.visit"].search(
            [("user_id", "=", rep.id), ("date", ">=", date_from), ("date", "<=", date_to), ("state", "=", "planned")]
        )

    def _notices(self):
        return self.env["mail.message"].search_count(
            [("partner_ids", "in", self.leader.partner_id.ids), ("subject", "=", "Customers overdue for a visit")]
        )

    def _failing_rep(self, rep):
        return self._failing(
            "sales.visit", "_propose_visits", rep, "broken rep", pick=lambda visits, users, *args, **kwargs: users
        )

    def test_bad_rep_through_the_runner_then_rerun(self):
        with self._failing_rep(self.user_rep2), self.assertLogs(BATCH_LOGGER, "ERROR") as logs:
            calls = self._run_cron(WEEKLY)
        self.assertEqual(calls, [(1, 0)])
        self._assert_failure_logged(logs, self.user_rep2, "broken rep")
        self.assertEqual(self._proposals(self.user_rep).partner_id, self.customers[:2])
        self.assertFalse(self._proposals(self.user_rep2))
        self.assertEqual(self._notices(), 1, "the week ended: the manager is told")
        # Rerun: only the rep that failed, once; the manager is not told twice.
        self.assertEqual(self._run_cron(WEEKLY), [(1, 0)])
        self.assertEqual(self._proposals(self.user_rep2).partner_id, self.customers[2:])
        self.assertEqual(len(self._proposals(self.user_rep)), 2)
        self.assertEqual(self._notices(), 1)
        self.assertEqual(self._run_cron(WEEKLY), [(0, 0)])
        self.assertEqual(len(self._proposals(self.user_rep) | self._proposals(self.user_rep2)), 4)

    def test_the_failed_week_is_caught_up_by_the_next_weekly_run(self):
        with self._failing_rep(self.user_rep2), self.assertLogs(BATCH_LOGGER, "ERROR"):
            self._run_cron(WEEKLY)
        with freeze_time("2026-03-09 03:00:00"):
            self._run_cron(WEEKLY)
        # Rob's week of 9 March, missed a week ago, is proposed from the day of the run;
        # then the week of 16 March is done for both reps alike, and the job moves on.
        self.assertEqual(self._proposals(self.user_rep2).partner_id, self.customers[2:])
        self.assertEqual(len(self._proposals(self.user_rep)), 2, "Ruth's week is not proposed twice")
        week_16 = (D(2026, 3, 16), D(2026, 3, 22))
        self.assertEqual(len(self._proposals(self.user_rep2, week_16)), len(self._proposals(self.user_rep, week_16)))
        state = self.env["sales.management.batch"].search([("job", "=", WEEKLY)])
        self.assertEqual((state.scope, state.is_complete, state.pending), ("2026-03-16", True, False))

    def test_partial_run_then_rerun(self):
        Visit = self.env["sales.visit"]
        Visit._cron_visit_weekly(batch_size=1)
        self.assertEqual(len(self._proposals(self.user_rep)), 2)
        self.assertFalse(self._proposals(self.user_rep2))
        self.assertEqual(self._notices(), 0, "the week is not over")
        Visit._cron_visit_weekly(batch_size=1)
        self.assertEqual(len(self._proposals(self.user_rep2)), 2)
        self.assertEqual(self._notices(), 1)
        self.assertFalse(Visit._cron_visit_weekly(batch_size=1))
        self.assertEqual(len(self._proposals(self.user_rep) | self._proposals(self.user_rep2)), 4)
        self.assertEqual(self._notices(), 1)

    def test_two_companies_failure_in_one(self):
        company_b = self.env["res.company"].create({"name": "Visits B", "resource_calendar_id": self.calendar.id})
        self.user_rep2.write({"company_ids": [Command.link(company_b.id)], "company_id": company_b.id})
        self.customers[2:].write({"company_id": company_b.id})
        with self._failing_rep(self.user_rep), self.assertLogs(BATCH_LOGGER, "ERROR"):
            self._run_cron(WEEKLY)
        proposals_b = self._proposals(self.user_rep2)
        self.assertEqual(proposals_b.partner_id, self.customers[2:])
        self.assertEqual(proposals_b.company_id, company_b)
        self.assertFalse(self._proposals(self.user_rep))
        self._run_cron(WEEKLY)
        self.assertEqual(len(self._proposals(self.user_rep)), 2)
        self.assertEqual(self._proposals(self.user_rep2), proposals_b)

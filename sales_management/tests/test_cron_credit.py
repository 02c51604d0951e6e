from odoo import fields
from odoo.tests import tagged

from .credit_common import CreditCase
from .cron_common import BATCH_LOGGER, CronRunnerMixin

CRON = "sales_management.ir_cron_credit_recompute"


@tagged("post_install", "-at_install")
class TestCronCreditRecompute(CronRunnerMixin, CreditCase):
    """Nightly recompute: a status is done today when its outcome (grade, hold, history,
    chase activity) is written, and only then stamped ``recompute_date``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Status = cls.env["sales.credit.status"]
        # Other customers (demo data) are done for today.
        for company in cls.env["res.company"].sudo().search([]):
            cls.Status._ensure_statuses(company)
        cls.Status.sudo().search([]).write({"recompute_date": cls.today})
        cls.late = cls.env["res.partner"]
        for n in range(3):
            cls.late |= cls._late_customer(f"Late Payer {n}")
        cls.chase = cls.env.ref("sales_management.mail_activity_type_credit_chase")

    @classmethod
    def _late_customer(cls, name, company=None):
        """A customer whose invoice is 60 days overdue, beyond the tolerance of 30."""
        partner = cls.env["res.partner"].create({"name": name, "is_company": True, "user_id": cls.user_rep.id})
        cls._invoice(300, partner=partner, days_ago=70, due_days=10, company=company)
        return partner

    def _statuses(self, partners, company=None):
        return self.Status._get_status(partners, company or self.company, create=True)

    def _credit_outcome(self, partner, company=None):
        """(on hold, done today, hold history rows, chase activities) of a customer."""
        status = self._statuses(partner, company)
        holds = self.env["sales.credit.history"].search_count(
            [("status_id", "=", status.id), ("change_type", "=", "hold")]
        )
        chases = self.env["mail.activity"].search_count(
            [("res_model", "=", "res.partner"), ("res_id", "=", partner.id), ("activity_type_id", "=", self.chase.id)]
        )
        return status.hold, status.recompute_date == self.today, holds, chases

    def test_bad_customer_through_the_runner_then_rerun_same_day(self):
        bad = self._statuses(self.late[1])
        with (
            self._failing("sales.credit.status", "_apply_figures", bad),
            self.assertLogs(BATCH_LOGGER, "ERROR") as logs,
        ):
            calls = self._run_cron(CRON)
        self.assertEqual(calls, [(2, 0)])
        self._assert_failure_logged(logs, bad)
        self.assertEqual(self._credit_outcome(self.late[0]), (True, True, 1, 1))
        self.assertEqual(self._credit_outcome(self.late[2]), (True, True, 1, 1))
        # Figures written, but no decision, no activity and no stamp: the next run takes it.
        self.assertEqual(self._credit_outcome(self.late[1]), (False, False, 0, 0))
        self.assertEqual(bad.oldest_overdue_days, 60)
        # A re-run the same day processes it, once; the others are not touched again.
        self.assertEqual(self._run_cron(CRON), [(1, 0)])
        for partner in self.late:
            self.assertEqual(self._credit_outcome(partner), (True, True, 1, 1))
        self.assertEqual(self._run_cron(CRON), [(0, 0)])
        for partner in self.late:
            self.assertEqual(self._credit_outcome(partner), (True, True, 1, 1))

    def test_partial_run_then_rerun_same_day_and_new_customers(self):
        run = self.Status._cron_recompute_credit(batch_size=1)
        self.assertEqual((run.done, run.remaining), (1, 2))
        self.assertEqual(sum(self._credit_outcome(p)[1] for p in self.late), 1)
        # Invoiced for the first time while the night is under way.
        newcomer = self._late_customer("Newcomer")
        while run.remaining:
            run = self.Status._cron_recompute_credit(batch_size=1)
        for partner in self.late | newcomer:
            self.assertEqual(self._credit_outcome(partner), (True, True, 1, 1))
        # And after the night is over: a run at any time gives him his status.
        latecomer = self._late_customer("Latecomer")
        self.Status._cron_recompute_credit()
        self.assertEqual(self._credit_outcome(latecomer), (True, True, 1, 1))
        for partner in self.late | newcomer:
            self.assertEqual(self._credit_outcome(partner), (True, True, 1, 1))

    def test_two_companies_failure_in_one(self):
        company_b = self.setup_other_company(name="Credit B")["company"]
        in_b = self._late_customer("Late in B", company=company_b)
        statuses_b = self._statuses(in_b, company_b)
        with (
            self._failing("sales.credit.status", "_compute_figures", statuses_b),
            self.assertLogs(BATCH_LOGGER, "ERROR") as logs,
        ):
            self._run_cron(CRON)
        self._assert_failure_logged(logs, statuses_b)
        for partner in self.late:
            self.assertEqual(self._credit_outcome(partner), (True, True, 1, 1))
        self.assertEqual(self._credit_outcome(in_b, company_b), (False, False, 0, 0))
        self._run_cron(CRON)
        self.assertEqual(self._credit_outcome(in_b, company_b), (True, True, 1, 1))
        for partner in self.late:
            self.assertEqual(self._credit_outcome(partner), (True, True, 1, 1))
        self.assertEqual(statuses_b.recompute_date, fields.Date.context_today(statuses_b))

from datetime import date

from odoo import Command
from odoo.tests import freeze_time, tagged

from .cron_common import BATCH_LOGGER, CronRunnerMixin
from .quota_common import QuotaCase

CRON = "sales_management.ir_cron_quota_monthly_snapshot"
JANUARY = date(2026, 1, 1)
FEBRUARY = date(2026, 2, 1)


@tagged("post_install", "-at_install")
class TestCronQuotaSnapshot(CronRunnerMixin, QuotaCase):
    """Monthly: each plan's snapshots and reminders for the month closed, the month being the period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._history()
        # Other plans (demo data) are left out.
        cls.env.cr.execute("UPDATE sales_quota_plan SET state = 'draft'")
        cls.company.quota_reminder_threshold = 80.0
        cls.manager.write({"company_ids": [Command.link(cls.other_company_data["company"].id)]})
        with freeze_time("2026-01-16"):
            cls.plan_team = cls._confirmed_plan(team_id=cls.team.id, sales_target=12000.0)
            cls.plan_company = cls._confirmed_plan(sales_target=24000.0)
            cls.plan_b = cls._confirmed_plan(company_id=cls.other_company_data["company"].id, sales_target=6000.0)

    @classmethod
    def _confirmed_plan(cls, **vals):
        plan = cls.env["sales.quota.plan"].create({"year": 2026, "company_id": cls.company.id, **vals})
        plan.with_user(cls.manager).action_generate()
        plan.with_user(cls.manager).action_confirm()
        return plan

    def _snapshots(self, plan, month=JANUARY):
        return self.env["sales.quota.snapshot"].search([("plan_id", "=", plan.id), ("snapshot_month", "=", month)])

    def _month_lines(self, plan, month=JANUARY):
        return plan.line_ids.filtered(lambda line: line.period_level == "month" and line.date_from == month)

    def _failing_plan(self, plan):
        return self._failing("sales.quota.snapshot", "_take_snapshots", plan, pick=lambda snapshots, plan, month: plan)

    def _counts(self):
        return [
            (len(self._snapshots(plan)), len(plan.activity_ids))
            for plan in (self.plan_team, self.plan_company, self.plan_b)
        ]

    @freeze_time("2026-02-01 02:00:00")
    def test_bad_plan_through_the_runner_then_rerun(self):
        with self._failing_plan(self.plan_team), self.assertLogs(BATCH_LOGGER, "ERROR") as logs:
            calls = self._run_cron(CRON)
        self.assertEqual(calls, [(2, 0)])
        self._assert_failure_logged(logs, self.plan_team)
        self.assertFalse(self._snapshots(self.plan_team))
        self.assertEqual(len(self._snapshots(self.plan_company)), len(self._month_lines(self.plan_company)))
        self.assertTrue(self._snapshots(self.plan_b))
        done = self._counts()
        # The re-run snapshots the plan that failed, once, and leaves the others alone.
        self.assertEqual(self._run_cron(CRON), [(1, 0)])
        self.assertEqual(len(self._snapshots(self.plan_team)), len(self._month_lines(self.plan_team)))
        self.assertEqual(self._counts()[1:], done[1:])
        self.assertTrue(self.plan_team.activity_ids, "Ruth is below 80%: reminded")
        after = self._counts()
        self.assertEqual(self._run_cron(CRON), [(0, 0)])
        self.assertEqual(self._counts(), after)

    def test_the_failed_month_is_caught_up_by_the_next_monthly_run(self):
        with (
            freeze_time("2026-02-01 02:00:00"),
            self._failing_plan(self.plan_team),
            self.assertLogs(BATCH_LOGGER, "ERROR"),
        ):
            self._run_cron(CRON)
        with freeze_time("2026-03-01 02:00:00"):
            self._run_cron(CRON)
        # January was not lost: the March run took it first, then February for every plan.
        self.assertEqual(len(self._snapshots(self.plan_team)), len(self._month_lines(self.plan_team)))
        for plan in (self.plan_team, self.plan_company, self.plan_b):
            self.assertEqual(len(self._snapshots(plan, FEBRUARY)), len(self._month_lines(plan, FEBRUARY)))
        self.assertEqual(len(self._snapshots(self.plan_company)), len(self._month_lines(self.plan_company)))

    @freeze_time("2026-02-01 02:00:00")
    def test_partial_run_then_rerun(self):
        Snapshot = self.env["sales.quota.snapshot"]
        Snapshot._cron_monthly_snapshot(batch_size=1)
        self.assertEqual([bool(count) for count, _activities in self._counts()], [True, False, False])
        Snapshot._cron_monthly_snapshot(batch_size=1)
        Snapshot._cron_monthly_snapshot(batch_size=1)
        done = self._counts()
        self.assertTrue(all(count for count, _activities in done))
        Snapshot._cron_monthly_snapshot(batch_size=1)
        self.assertEqual(self._counts(), done)

    @freeze_time("2026-02-01 02:00:00")
    def test_two_companies_failure_in_one(self):
        with self._failing_plan(self.plan_team | self.plan_company), self.assertLogs(BATCH_LOGGER, "ERROR"):
            self._run_cron(CRON)
        self.assertEqual(len(self._snapshots(self.plan_b)), len(self._month_lines(self.plan_b)))
        self.assertFalse(self._snapshots(self.plan_team) | self._snapshots(self.plan_company))
        snapshots_b = self._snapshots(self.plan_b)
        self._run_cron(CRON)
        self.assertTrue(self._snapshots(self.plan_team) and self._snapshots(self.plan_company))
        self.assertEqual(self._snapshots(self.plan_b), snapshots_b)

    @freeze_time("2026-02-01 02:00:00")
    def test_reminder_in_the_reps_language_with_amounts_in_the_currency(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["sales_management"], ["zh_CN"], overwrite=True)
        self.env["res.users"].search([("share", "=", False)]).write({"lang": "en_US"})
        reps = self.plan_team.line_ids.user_id
        reps.write({"lang": "zh_CN"})
        self.env["sales.quota.snapshot"].with_context(lang="en_US")._cron_monthly_snapshot()
        reminders = self.plan_team.activity_ids.filtered(lambda a: a.user_id in reps)
        self.assertTrue(reminders)
        symbol = self.company.currency_id.symbol
        for reminder in reminders:
            self.assertEqual(reminder.summary, "未达成销售指标：2026-01")
            self.assertIn("达成率", str(reminder.note))
            self.assertIn(symbol, str(reminder.note), "target and actual in the currency")
            self.assertNotIn("Your achievement", str(reminder.note))

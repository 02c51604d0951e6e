from odoo import Command
from odoo.tests import freeze_time, tagged

from .common_complaint import ComplaintCase
from .cron_common import BATCH_LOGGER, CronRunnerMixin

CRON = "sales_management.ir_cron_complaint_escalation"


@tagged("post_install", "-at_install")
@freeze_time("2026-10-01 06:00:00")
class TestCronComplaintEscalation(CronRunnerMixin, ComplaintCase):
    """Daily escalation: a complaint is done when escalated (one activity, the flag)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Other complaints (demo data) stay out of the counts.
        cls.env["sales.complaint"].search([]).action_archive()
        cls.complaints = cls.env["sales.complaint"]
        for n in range(5):
            cls.complaints |= cls._complaint(description=f"<p>Late delivery {n}</p>")

    def _activities(self, complaint):
        return complaint.activity_ids.filtered(lambda a: a.summary == "Overdue complaint")

    def test_bad_record_through_the_runner_then_rerun(self):
        bad = self.complaints[1]
        code = "model._cron_escalate_overdue(batch_size=2)"
        with self._failing("sales.complaint", "_escalate", bad), self.assertLogs(BATCH_LOGGER, "ERROR") as logs:
            calls = self._run_cron(CRON, code)
        # Batches of two, one call each: the bad one is passed, not counted, not met again.
        self.assertEqual(calls, [(1, 3), (2, 1), (1, 0)])
        self._assert_failure_logged(logs, bad)
        self.assertEqual([len(self._activities(c)) for c in self.complaints], [1, 0, 1, 1, 1])
        self.assertFalse(bad.is_escalated)
        # The next run escalates it, once; the others keep their one activity.
        self.assertEqual(self._run_cron(CRON), [(1, 0)])
        self.assertTrue(bad.is_escalated)
        self.assertEqual([len(self._activities(c)) for c in self.complaints], [1] * 5)
        self.assertEqual(self._run_cron(CRON), [(0, 0)])
        self.assertEqual([len(self._activities(c)) for c in self.complaints], [1] * 5)

    def test_partial_run_then_rerun_same_day(self):
        Complaint = self.env["sales.complaint"]
        self.assertEqual(Complaint._cron_escalate_overdue(batch_size=2), 2)
        self.assertEqual(len(self.complaints.filtered("is_escalated")), 2)
        # A later complaint joins the run under way; nothing is escalated twice.
        late = self._complaint(description="<p>Joined later</p>")
        while Complaint._cron_escalate_overdue(batch_size=2):
            pass
        everything = self.complaints | late
        self.assertTrue(all(everything.mapped("is_escalated")))
        self.assertEqual([len(self._activities(c)) for c in everything], [1] * 6)

    def test_two_companies_failure_in_one(self):
        company_b = self.env["res.company"].create({"name": "Complaints B"})
        self.user_manager.write({"company_ids": [Command.link(company_b.id)]})
        team_b = self.env["crm.team"].create(
            {"name": "After-sales B", "user_id": self.user_manager.id, "company_id": company_b.id}
        )
        in_b = self._complaint(company_id=company_b.id, team_id=team_b.id, user_id=self.user_manager.id)
        with self._failing("sales.complaint", "_escalate", self.complaints), self.assertLogs(BATCH_LOGGER, "ERROR"):
            self._run_cron(CRON)
        self.assertTrue(in_b.is_escalated)
        self.assertEqual(len(self._activities(in_b)), 1)
        self.assertFalse(any(self.complaints.mapped("is_escalated")))
        self._run_cron(CRON)
        self.assertTrue(all(self.complaints.mapped("is_escalated")))
        self.assertEqual(len(self._activities(in_b)), 1)

    def test_escalation_in_the_managers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["sales_management"], ["zh_CN"], overwrite=True)
        complaint = self.complaints[0]
        manager = complaint._get_escalation_user()
        self.assertTrue(manager)
        manager.lang = "zh_CN"
        self.env["sales.complaint"].with_context(lang="en_US")._cron_escalate_overdue()
        [activity] = complaint.activity_ids.filtered(lambda a: a.user_id == manager)
        self.assertEqual(activity.summary, "逾期投诉")

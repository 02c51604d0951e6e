from odoo.tests import tagged

from .credit_common import CreditCase
from .cron_common import BATCH_LOGGER, CronRunnerMixin

CRON = "sales_management.ir_cron_credit_collection"


@tagged("post_install", "-at_install")
class TestCronCollectionPlan(CronRunnerMixin, CreditCase):
    """Nightly refresh of the collection plan: each company and month in its own savepoint."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Collection B")["company"]
        cls.payers = cls.env["res.partner"].create(
            [{"name": f"Payer {n}", "is_company": True, "user_id": cls.user_rep.id} for n in range(2)]
        )
        cls.payer_b = cls.env["res.partner"].create({"name": "Payer B", "is_company": True})
        for amount, partner in ((100.0, cls.payers[0]), (200.0, cls.payers[1])):
            cls._invoice(amount, partner=partner)
        cls._invoice(300.0, partner=cls.payer_b, company=cls.company_b)
        cls.month = cls.today.replace(day=1)

    def _line(self, partner, company=None):
        return self.env["sales.credit.collection"].search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", (company or self.company).id),
                ("date", "=", self.month),
            ]
        )

    def _due(self):
        return [self._line(p).due_amount for p in self.payers] + [self._line(self.payer_b, self.company_b).due_amount]

    def test_bad_line_through_the_runner_then_rerun(self):
        bad = self.payers[0]
        with (
            self._failing(
                "sales.credit.collection", "_write_plan_lines", bad, pick=lambda lines, partners, *args: partners
            ),
            self.assertLogs(BATCH_LOGGER, "ERROR") as logs,
        ):
            calls = self._run_cron(CRON)
        self.assertEqual(calls[-1][1], 0)
        self._assert_failure_logged(logs, bad)
        # The bad line alone is missing: its company's other lines and the other company's are kept.
        self.assertFalse(self._line(bad))
        self.assertEqual(self._due()[1:], [200.0, 300.0])
        self._run_cron(CRON)
        self.assertEqual(self._due(), [100.0, 200.0, 300.0])
        self._run_cron(CRON)
        self.assertEqual([len(self._line(p)) for p in self.payers], [1, 1], "refreshed, never duplicated")

    def test_two_companies_failure_in_one(self):
        with (
            self._failing(
                "sales.credit.collection", "_generate", self.company, pick=lambda lines, month, company: company
            ),
            self.assertLogs(BATCH_LOGGER, "ERROR") as logs,
        ):
            self._run_cron(CRON)
        # Both months of the company failed and are logged; the other company is refreshed.
        failures = [line for line in logs.output if f"res.company [{self.company.id}]" in line]
        self.assertEqual(len(failures), 2)
        self.assertEqual(self._line(self.payer_b, self.company_b).due_amount, 300.0)
        self.assertFalse(self._line(self.payers[0]) | self._line(self.payers[1]))
        self._run_cron(CRON)
        self.assertEqual(self._due(), [100.0, 200.0, 300.0])

    def test_partial_run_then_rerun(self):
        """One company per call: the runner calls again until every company is refreshed."""
        calls = self._run_cron(CRON, "model._cron_generate_collection_plan(batch_size=1)")
        companies = self.env["res.company"].sudo().search_count([])
        self.assertEqual(len(calls), min(companies, 10))
        self.assertTrue(all(done == 1 for done, _remaining in calls))
        self.assertEqual(self._due(), [100.0, 200.0, 300.0])
        self._invoice(50.0, partner=self.payers[0])
        self._run_cron(CRON, "model._cron_generate_collection_plan(batch_size=1)")
        self.assertEqual(self._due(), [150.0, 200.0, 300.0])
        self.assertEqual(len(self._line(self.payers[0])), 1)

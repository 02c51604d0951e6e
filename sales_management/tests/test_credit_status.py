import logging
from datetime import timedelta
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import format_amount

from .credit_common import CreditCase


@tagged("post_install", "-at_install")
class TestCreditScoreAndCron(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A hand-workable policy for this company: DSO 60%, relationship 40%.
        cls.env["sales.credit.policy"].create(
            {
                "name": "Test",
                "company_id": cls.company.id,
                "factor_ids": [
                    Command.create({"code": "dso", "weight": 60, "scale": "30:100, 60:50"}),
                    Command.create(
                        {"code": "relationship_years", "weight": 40, "higher_is_better": True, "scale": "0:0, 1:100"}
                    ),
                ],
            }
        )
        cls.company.credit_dso_days = 90

    def _status(self, partner=None):
        return self.env["sales.credit.status"]._get_status(partner or self.customer, self.company, create=True)

    def test_score_grade_and_breakdown_hand_worked(self):
        # Sales in the window 900 (paid); open 400 due in 10 days -> DSO = 400 / (1300/90) = 27.7
        paid = self._invoice(900, days_ago=20, due_days=30)
        self._pay(paid, days_ago=5)
        self._invoice(400, due_days=10)
        self.customer.credit_trading_since = self.today - timedelta(days=400)
        status = self._status()
        status._recompute()
        self.assertAlmostEqual(status.dso, 27.7)
        # DSO 27.7 <= 30 -> 100 pts x 60% + 1.1 years >= 1 -> 100 pts x 40% = 100
        self.assertEqual(status.score, 100.0)
        self.assertEqual(status.grade_id, self.env.ref("sales_management.sales_credit_grade_aaa"))
        self.assertIn("→ 100 pts × 60%", status.score_breakdown)
        self.assertAlmostEqual(status.ageing_not_due, 400.0)
        # The grade gave its limit, and the change is in the history.
        self.assertEqual(self.customer.credit_limit, 500000.0)
        history = self.env["sales.credit.history"].search([("partner_id", "=", self.customer.id)], limit=2)
        self.assertEqual(sorted(history.mapped("change_type")), ["grade", "limit"])
        self.assertEqual(
            sorted(history.mapped("new_value")), sorted([format_amount(self.env, 500000.0, self.currency), "AAA"])
        )
        # Young relationship: 60 points -> grade B (60).
        self.customer.credit_trading_since = self.today - timedelta(days=100)
        status.recompute_date = False
        status._recompute()
        self.assertEqual(status.score, 60.0)
        self.assertEqual(status.grade_id, self.env.ref("sales_management.sales_credit_grade_b"))

    def test_override_is_kept_and_needs_reason(self):
        grade_c = self.env.ref("sales_management.sales_credit_grade_c")
        partner = self.customer.with_user(self.user_credit)
        with self.assertRaises(ValidationError):
            partner.write({"credit_grade_id": grade_c.id, "is_credit_grade_override": True})
        partner.write(
            {"credit_grade_id": grade_c.id, "is_credit_grade_override": True, "credit_override_reason": "Lawsuit"}
        )
        self._status()._recompute()
        self.assertEqual(self.customer.credit_grade_id, grade_c)
        self.assertEqual(self.customer.credit_limit, grade_c.credit_limit)

    def test_grade_gives_visit_frequency(self):
        grade_c = self.env.ref("sales_management.sales_credit_grade_c")
        grade_c.visit_frequency = "weekly"
        grade_a = self.env.ref("sales_management.sales_credit_grade_a")
        grade_a.visit_frequency = "monthly"
        partner = self.customer.with_user(self.user_credit)
        partner.write({"credit_grade_id": grade_c.id, "is_credit_grade_override": True, "credit_override_reason": "x"})
        self.assertEqual(self.customer.visit_frequency, "weekly")
        partner.write({"credit_grade_id": grade_a.id, "credit_override_reason": "better"})
        self.assertEqual(self.customer.visit_frequency, "monthly")
        # Key accounts are seen weekly whatever their grade.
        self.customer.is_key_account = True
        partner.write({"credit_grade_id": grade_c.id, "credit_override_reason": "again"})
        partner.write({"credit_grade_id": grade_a.id, "credit_override_reason": "and back"})
        self.assertEqual(self.customer.visit_frequency, "weekly")

    def test_cron_twice_hold_release_and_one_activity(self):
        late = self._invoice(300, days_ago=70, due_days=10)  # 60 days overdue
        status = self._status()
        status._recompute()
        status._recompute()
        self.assertTrue(status.hold)
        self.assertTrue(status.is_hold_automatic)
        self.assertEqual(status.oldest_overdue_days, 60)
        self.assertAlmostEqual(status.ageing_31_60, 300.0)
        chase = self.env.ref("sales_management.mail_activity_type_credit_chase")
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id), ("activity_type_id", "=", chase.id)]
        )
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.user_rep)
        holds = self.env["sales.credit.history"].search(
            [("partner_id", "=", self.customer.id), ("change_type", "=", "hold")]
        )
        self.assertEqual(len(holds), 1)
        self._pay(late)
        status._recompute()
        self.assertFalse(status.hold)
        self.assertEqual(self.env["sales.credit.history"].search_count([("id", "in", holds.ids)]), 1)
        self.assertEqual(
            self.env["sales.credit.history"].search_count(
                [("partner_id", "=", self.customer.id), ("change_type", "=", "hold")]
            ),
            2,
        )

    def test_manual_hold_not_released_by_cron(self):
        self.customer.with_user(self.user_credit).write({"credit_hold": True, "credit_hold_reason": "Dispute"})
        self._status()._recompute()
        self.assertTrue(self.customer.credit_hold)

    def test_cron_batches_and_skips_bad_customer(self):
        other = self.env["res.partner"].create({"name": "Other", "is_company": True})
        self._invoice(100, partner=other)
        self._invoice(100)
        Status = self.env["sales.credit.status"]
        original = type(Status)._apply_figures

        def failing(status, today):
            if status.partner_id == other:
                raise ValueError("broken customer")
            return original(status, today)

        with (
            patch.object(type(Status), "_apply_figures", failing),
            self.assertLogs("odoo.addons.sales_management.models.sales_management_batch", logging.ERROR),
        ):
            Status._cron_recompute_credit(batch_size=100000)
        mine = self._status()
        self.assertEqual(mine.recompute_date, self.today)
        self.assertTrue(mine.grade_id)

    def test_bad_configuration_refused(self):
        policy = self.env["sales.credit.policy"].search([("company_id", "=", self.company.id)])
        with self.assertRaises(ValidationError):
            policy.write({"factor_ids": [Command.update(policy.factor_ids[0].id, {"weight": 50})]})
        with self.assertRaises(ValidationError):
            policy.factor_ids[0].scale = "10:150"
        with self.assertRaises(ValidationError):
            self.env["sales.credit.grade"].create({"name": "Twin", "min_score": 80})
        with self.assertRaises(ValidationError):
            self.env["sales.credit.grade"].create({"name": "Neg", "min_score": 85, "credit_limit": -1})
        income = self.company_data["default_account_revenue"]
        with self.assertRaises(ValidationError):
            self.company.credit_notes_account_ids = income

    def test_collection_by_user(self):
        first_day = self.today.replace(day=1)
        invoice = self._invoice(500, days_ago=0, due_days=0)
        invoice.invoice_user_id = self.user_rep
        self._pay(invoice, amount=200)
        Collection = self.env["sales.credit.collection"]
        Collection._generate(first_day, self.company)
        line = Collection.search([("partner_id", "=", self.customer.id), ("date", "=", first_day)])
        self.assertAlmostEqual(line.due_amount, 500.0)
        self.assertAlmostEqual(line.collected_amount, 200.0)
        self.assertAlmostEqual(line.collection_rate, 40.0)
        line.with_user(self.user_rep).promised_amount = 400.0
        with self.assertRaises(AccessError):
            line.with_user(self.user_rep).collected_amount = 500.0
        result = Collection._get_collection_by_user(first_day, self.today, self.company)
        self.assertEqual(result[self.user_rep.id], {"due": 400.0, "collected": 200.0})
        target = self.env["sales.credit.collection.target"].create(
            {"date": first_day, "user_id": self.user_rep.id, "target_amount": 800.0}
        )
        self.assertAlmostEqual(target.with_user(self.user_rep).achievement, 25.0)
        with self.assertRaises(ValidationError):
            target.target_amount = -1

    def test_xlsx_exports(self):
        self._invoice(300, days_ago=50, due_days=10)
        self._status()._recompute()
        self.env["sales.credit.collection"]._generate(self.today.replace(day=1), self.company)
        Wizard = self.env["sales.credit.report.wizard"].with_user(self.user_credit)
        for report_type in ("ageing", "collection"):
            action = Wizard.create({"report_type": report_type}).action_export()
            attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
            self.assertTrue(attachment.raw.startswith(b"PK"), report_type)

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .scorecard_common import ScorecardCase


@tagged("post_install", "-at_install")
@freeze_time("2026-11-15")
class TestKeyAccountReview(ScorecardCase):
    """Alder's review of January-October 2026 against the credit, quota and complaint screens."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alder.write({"is_key_account": True, "key_account_manager_id": cls.manager.id})
        cls._invoice(cls.alder, date(2025, 6, 10), 900.0)
        cls._invoice(cls.alder, date(2026, 3, 10), 3000.0)
        cls._invoice(cls.alder, date(2026, 10, 5), 5000.0)
        cls._invoice(cls.alder, date(2026, 10, 12), 500.0, move_type="out_refund")
        cls._invoice(cls.birch, date(2026, 10, 8), 2000.0)
        # The customer lines of the plan, January to October.
        cls.plan = cls._plan(
            lines=[
                {
                    "breakdown": "customer",
                    "partner_id": cls.alder.id,
                    "user_id": cls.rep.id,
                    "date_from": date(2026, month, 1),
                    "date_to": date(2026, month + 1, 1).replace(day=1) - date.resolution,
                    "target_amount": 1000.0,
                }
                for month in range(1, 11)
            ]
        )
        cls._complaint(cls.alder, date(2025, 12, 10), state="new")
        cls._complaint(cls.alder, date(2026, 4, 6), acknowledged=date(2026, 4, 7))
        cls._complaint(cls.alder, date(2026, 9, 7), state="new")
        cls._visit(cls.alder, date(2025, 12, 1))
        cls._visit(cls.alder, date(2026, 2, 3))
        cls._visit(cls.alder, date(2026, 9, 8))
        cls.env["sales.complaint.survey"].create({"partner_id": cls.alder.id, "date": date(2026, 6, 1), "score": 4})
        cls.env["sales.customer.forecast"].create(
            {"date": date(2026, 10, 1), "partner_id": cls.alder.id, "user_id": cls.rep.id, "forecast_amount": 4000.0}
        )
        # The nightly job runs as the superuser (its cron's user).
        Status = cls.env["sales.credit.status"].sudo()
        Status._ensure_statuses(cls.company)
        Status.search([("company_id", "=", cls.company.id)])._recompute()

    def _review(self, user=None):
        Review = self.env["sales.key.account.review"].with_user(user or self.manager)
        return Review.create(
            {"partner_id": self.alder.id, "date_from": date(2026, 1, 1), "date_to": date(2026, 10, 31)}
        )

    def test_review_figures_equal_the_other_screens(self):
        review = self._review()
        alder = self.alder.with_company(self.company)
        # Quota screen: the customer's quota lines of the period.
        customer_lines = self.plan.line_ids.filtered(
            lambda line: line.partner_id == self.alder and line.period_level == "month"
        )
        self.assertAlmostEqual(review.sales_amount, sum(customer_lines.mapped("actual_amount")))
        self.assertAlmostEqual(review.sales_amount, 7500.0)
        self.assertAlmostEqual(review.sales_previous, 900.0)
        self.assertAlmostEqual(review.sales_growth, (7500.0 - 900.0) / 900.0 * 100, places=1)
        self.assertFalse(review.has_margin)
        # Credit screen: the customer's credit status and live exposure.
        self.assertTrue(alder.credit_grade_id)
        self.assertEqual(review.credit_grade_id, alder.credit_grade_id)
        self.assertAlmostEqual(review.credit_exposure, alder.credit_exposure)
        self.assertAlmostEqual(review.credit_limit, alder.credit_limit_display)
        self.assertAlmostEqual(review.overdue_amount, alder.credit_overdue_amount)
        self.assertEqual(review.oldest_overdue_days, alder.credit_oldest_overdue_days)
        self.assertEqual(review.abc_class, alder.credit_abc_class)
        self.assertAlmostEqual(review.dso, alder.credit_dso)
        # Complaint screen: the statistics of the same period, by customer.
        statistics = self.env["sales.complaint.statistics"].create(
            {"date_from": date(2026, 1, 1), "date_to": date(2026, 10, 31), "company_id": self.company.id}
        )
        row = next(row for row in statistics._get_rows("partner_id") if row[0] == self.alder.display_name)
        self.assertEqual(review.complaint_count, row[1])
        self.assertEqual(review.complaint_count, 2)
        self.assertAlmostEqual(review.complaint_on_time_rate / 100.0, row[2])
        self.assertAlmostEqual(review.complaint_cost, row[6])
        self.assertEqual(review.complaint_open_count, 3)  # open today, the one received in 2025 included
        self.assertEqual((review.survey_count, review.satisfaction_score, review.satisfied_percent), (1, 4.0, 100.0))
        # Visits and forecasts.
        self.assertEqual(review.visit_count, 2)
        self.assertEqual(review.last_visit_date, self.alder.visit_last_date)
        self.assertAlmostEqual(review.forecast_amount, 4000.0)
        self.assertAlmostEqual(review.forecast_actual, 4500.0)
        self.assertAlmostEqual(review.forecast_accuracy, 87.5)
        self.assertEqual((review.user_id, review.manager_id, review.area_id), (self.rep, self.manager, self.area))

    def test_conclusion_is_the_managers_and_kept(self):
        review = self._review()
        # The rep reads his key account's review, and changes nothing.
        self.assertEqual(review.with_user(self.rep).sales_amount, review.sales_amount)
        with self.assertRaises(AccessError):
            review.with_user(self.rep).write({"rating": "develop"})
        with self.assertRaises(AccessError):
            review.with_user(self.manager).write({"sales_amount": 1e9})
        with self.assertRaises(AccessError):
            self.env["sales.key.account.review"].with_user(self.manager).create(
                {"partner_id": self.alder.id, "overdue_amount": 0.0}
            )
        with self.assertRaises(UserError):
            review.with_user(self.manager).action_conclude()
        review.with_user(self.manager).write({"rating": "maintain", "conclusion": "<p>Keep the terms.</p>"})
        review.with_user(self.manager).action_conclude()
        self.assertEqual(review.state, "done")
        sales = review.sales_amount
        self._invoice(self.alder, date(2026, 10, 30), 1000.0)
        with self.assertRaises(UserError):
            review.with_user(self.manager).action_refresh()
        with self.assertRaises(UserError):
            review.with_user(self.manager).write({"rating": "watch"})
        with self.assertRaises(UserError):
            review.with_user(self.manager).unlink()
        self.assertEqual(review.sales_amount, sales)
        # Another rep does not see it.
        self.assertFalse(self.env["sales.key.account.review"].with_user(self.rep2).search([]))

    def test_only_key_accounts_are_reviewed(self):
        with self.assertRaises(ValidationError):
            self.env["sales.key.account.review"].with_user(self.manager).create({"partner_id": self.birch.id})
        action = self.alder.with_user(self.manager).action_key_account_review()
        review = self.env["sales.key.account.review"].browse(action["res_id"])
        self.assertEqual(review.partner_id, self.alder)
        self.assertEqual((review.date_from, review.date_to), (date(2025, 11, 1), date(2026, 10, 31)))
        # Opening it again refreshes the same draft review.
        self.assertEqual(self.alder.with_user(self.manager).action_key_account_review()["res_id"], review.id)

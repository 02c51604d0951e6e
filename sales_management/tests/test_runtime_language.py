from datetime import timedelta

from odoo.tests import tagged
from odoo.tools import format_amount, formatLang, html2plaintext

from .credit_common import CreditCase


@tagged("post_install", "-at_install")
class TestRuntimeLanguage(CreditCase):
    """Texts written at run time for someone else (by the nightly job, which runs in OdooBot's
    English) are in the reader's language, with amounts formatted in the currency."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["sales_management"], ["zh_CN"], overwrite=True)
        cls.user_rep.lang = "zh_CN"
        cls.env.user.lang = "en_US"
        cls.zh = cls.env(context={"lang": "zh_CN"})
        cls.en = cls.env(context={"lang": "en_US"})
        cls.Status = cls.env["sales.credit.status"].with_context(lang="en_US")
        # 60 days overdue, beyond the tolerance of 30: held and chased by the nightly job.
        cls._invoice(35980, days_ago=70, due_days=10)

    def _nightly(self):
        status = self.Status._get_status(self.customer, self.company, create=True)
        status._recompute(self.today)
        return status

    def test_nightly_hold_grade_and_chase_in_the_salespersons_language(self):
        status = self._nightly()
        self.assertTrue(status.hold)
        args = {"days": 60, "tolerance": 30}
        reason_zh = self.zh._("Debt overdue %(days)s days, beyond the tolerance of %(tolerance)s days.", **args)
        self.assertNotEqual(
            reason_zh, self.en._("Debt overdue %(days)s days, beyond the tolerance of %(tolerance)s days.", **args)
        )
        self.assertEqual(status.hold_reason, reason_zh)
        history = status.history_ids
        self.assertEqual(history.filtered(lambda h: h.change_type == "hold").reason, reason_zh)
        grade_change = history.filtered(lambda h: h.change_type == "grade")
        self.assertTrue(grade_change)
        self.assertEqual(
            grade_change.reason, self.zh._("Nightly score %(score)s", score=formatLang(self.zh, status.score, digits=2))
        )
        self.assertTrue(grade_change.reason.startswith("夜间评分"))
        chase = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id), ("user_id", "=", self.user_rep.id)]
        )
        self.assertEqual(chase.summary, self.zh._("Chase overdue payment"))
        amount = format_amount(self.zh, 35980, self.currency)
        note = html2plaintext(chase.note).replace("\xa0", " ")
        self.assertIn(amount.replace("\xa0", " "), note)
        self.assertNotIn("35980.0", note)

    def test_salesperson_without_language_gets_the_companys(self):
        self.customer.user_id = False
        self.company.partner_id.lang = "zh_CN"
        status = self._nightly()
        self.assertEqual(
            status.hold_reason,
            self.zh._("Debt overdue %(days)s days, beyond the tolerance of %(tolerance)s days.", days=60, tolerance=30),
        )

    def test_refusal_gives_an_automatic_hold_reason_in_the_readers_language(self):
        self._nightly()
        order = self._order(100.0)
        english = order.with_context(lang="en_US")._get_credit_check_message()
        self.assertIn("Debt overdue 60 days, beyond the tolerance of 30 days.", english)
        self.assertNotIn("欠款", english)
        chinese = order.with_context(lang="zh_CN")._get_credit_check_message()
        self.assertIn("欠款已逾期 60 天", chinese)

    def test_limit_history_shows_amounts_in_the_currency(self):
        self.customer.credit_limit = 35980.0
        status = self.Status._get_status(self.customer, self.company)
        change = status.history_ids.filtered(lambda h: h.change_type == "limit").sorted("id")[-1:]
        self.assertEqual(change.old_value, format_amount(self.env, 1000.0, self.currency))
        self.assertEqual(change.new_value, format_amount(self.env, 35980.0, self.currency))
        self.assertNotEqual(change.new_value, "35980.0")

    def test_overdue_visit_reminder_in_the_reps_language(self):
        visit = self.env["sales.visit"].create(
            {
                "user_id": self.user_rep.id,
                "partner_id": self.customer.id,
                "date": self.today - timedelta(days=3),
            }
        )
        self.env["sales.visit"].with_context(lang="en_US")._cron_visit_overdue()
        reminder = visit.activity_ids.filtered(lambda a: a.user_id == self.user_rep)
        self.assertEqual(reminder.summary, self.zh._("Overdue visit: record it, reschedule it or mark it missed"))
        self.assertEqual(reminder.summary, "拜访逾期：请登记、重新安排或标记为未拜访")

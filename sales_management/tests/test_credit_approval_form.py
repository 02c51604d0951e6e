from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .test_credit_exception_request import CreditRequestCase

REPORT = "sales_management.action_report_credit_exception"


@tagged("post_install", "-at_install")
class TestCreditApprovalForm(CreditRequestCase):
    """The credit approval form (信用审批单) of an exception, with the credit as approved."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.grade = cls.env["sales.credit.grade"].create(
            {"name": "Grade BB", "company_id": cls.company.id, "min_score": 99.5, "credit_limit": 1000.0}
        )

    def _approved(self, order, reason="Guaranteed by the parent company."):
        self._request(order)
        self._decide(order, reason)
        return order.sudo().credit_exception_id

    def _html(self, exception, user=None):
        report = self.env["ir.actions.report"].with_user(user or self.user_credit)
        return report._render_qweb_html(REPORT, exception.ids)[0].decode()

    def test_form_prints_the_credit_as_approved(self):
        self._invoice(800, due_days=30)
        self.customer.write(
            {"credit_grade_id": self.grade.id, "is_credit_grade_override": True, "credit_override_reason": "Test"}
        )
        self.customer.credit_limit = 1000.0
        order = self._refused_quotation(1500)
        exception = self._approved(order)
        self.assertEqual(
            (exception.credit_grade_id, exception.credit_limit, exception.credit_exposure),
            (self.grade, 1000.0, 800.0),
            "the customer's credit when approved, this quotation left out",
        )
        # Later invoices do not change what was approved.
        self._invoice(100, due_days=30)
        html = self._html(exception)
        self.assertIn("Credit Approval Form", html)
        self.assertIn(order.name, html)
        self.assertIn("Credit Customer", html)
        self.assertIn("Grade BB", html)
        for figure in ("1,000.00", "800.00", "200.00", "1,500.00"):
            self.assertIn(figure, html)
        self.assertNotIn("900.00", html, "the exposure as approved, not today's")
        self.assertIn("Guaranteed by the parent company.", html)
        self.assertIn("Credit Chen", html)
        self.assertIn("Rep Ruth", html, "the requesting rep")
        self.assertIn("One Thousand, Five Hundred", html)
        self.assertIn("Signature", html)

    def test_form_in_chinese_for_a_chinese_customer_in_rmb(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        cny = self.env.ref("base.CNY")
        cny.active = True
        self.env["res.currency.rate"].create(
            {"currency_id": cny.id, "rate": 5.0, "name": "2000-01-01", "company_id": self.company.id}
        )
        pricelist = self.env["product.pricelist"].create({"name": "RMB", "currency_id": cny.id})
        self.customer.lang = "zh_CN"
        order = self._order(100, user=self.user_rep, pricelist_id=pricelist.id)
        order.order_line.write({"product_uom_qty": 1, "price_unit": 1234.5})
        self.assertEqual(order.currency_id, cny)
        self.customer.credit_limit = 100.0
        exception = self._approved(order)
        self.assertEqual(exception.order_amount, 1234.5)
        html = self._html(exception)
        self.assertIn("壹仟贰佰叁拾肆元伍角", html)
        # The same amount for an English customer: words, and the RMB capitals beside them.
        self.customer.lang = "en_US"
        html = self._html(exception)
        self.assertIn("One Thousand, Two Hundred And Thirty-Four", html)
        self.assertIn("壹仟贰佰叁拾肆元伍角", html)
        self.assertIn("Credit Approval Form", html)

    def test_printed_by_who_reads_the_approval_only(self):
        exception = self._approved(self._refused_quotation())
        self.assertIn(exception.order_id.name, self._html(exception, self.user_rep))
        rep2 = new_test_user(
            self.env,
            login="sm_credit_rep_other",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        with self.assertRaises(AccessError):
            self._html(exception, rep2)
        report = self.env.ref(REPORT)
        self.assertEqual(report.binding_model_id.model, "sales.credit.exception", "in the Print menu")

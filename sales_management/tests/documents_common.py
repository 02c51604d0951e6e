from datetime import timedelta

from odoo import Command
from odoo.tests import new_test_user

from .credit_common import CreditCase


class DocumentsCase(CreditCase):
    """Printed documents: two reps with a customer each, a manager, after-sales, a portal user,
    and a customer account with items in every ageing bucket (hand-worked below)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_kw = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.user_rep2 = new_test_user(
            cls.env, login="sm_doc_rep2", name="Rep Rob", groups="sales_team.group_sale_salesman", **company_kw
        )
        cls.user_manager = new_test_user(
            cls.env,
            login="sm_doc_manager",
            name="Manager Mei",
            groups="sales_team.group_sale_salesman_all_leads",
            **company_kw,
        )
        cls.user_after_sales = new_test_user(
            cls.env,
            login="sm_doc_after_sales",
            name="After-Sales Ali",
            groups="base.group_user,sales_management.group_sales_management_after_sales",
            **company_kw,
        )
        cls.user_portal = new_test_user(cls.env, login="sm_doc_portal", groups="base.group_portal", **company_kw)
        cls.customer.lang = "en_US"
        cls.contact = cls.env["res.partner"].create({"name": "Buyer Bo", "parent_id": cls.customer.id})
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Rob Customer Ltd", "is_company": True, "user_id": cls.user_rep2.id}
        )
        # The customer's account, today:
        #   not due    1,000.00 (due in 10 days) + 50.00 (the contact's, due today)
        #   1-30        -100.00 (credit note, due 3 days ago)
        #   31-60      1,500.00 (2,000.00 due 45 days ago, 500.00 paid 5 days ago)
        #   over 180     300.00 (due 200 days ago)
        #   balance    2,750.00, overdue 1,700.00
        # and an invoice paid 100 days ago (outside the default period).
        cls.inv_not_due = cls._invoice(1000, days_ago=0, due_days=10)
        cls.inv_contact = cls._invoice(50, partner=cls.contact, days_ago=0, due_days=0)
        cls.refund = cls._invoice(100, days_ago=3, due_days=0, move_type="out_refund")
        cls.inv_45 = cls._invoice(2000, days_ago=75, due_days=30)
        cls.payment_recent = cls._pay(cls.inv_45, amount=500, days_ago=5)
        cls.inv_200 = cls._invoice(300, days_ago=230, due_days=30)
        cls.inv_paid = cls._invoice(400, days_ago=130, due_days=30)
        cls.payment_old = cls._pay(cls.inv_paid, days_ago=100)
        cls.inv_other = cls._invoice(999, partner=cls.other_customer, days_ago=0, due_days=30)
        cls.expected_ageing = {
            "not_due": 1050.0,
            "1_30": -100.0,
            "31_60": 1500.0,
            "61_90": 0.0,
            "91_180": 0.0,
            "over_180": 300.0,
        }

    def _statement_html(self, user, partners, report="sales_management.action_report_partner_statement", data=None):
        html, _format = self.env["ir.actions.report"].with_user(user)._render_qweb_html(report, partners.ids, data=data)
        return html.decode()

    @classmethod
    def _date(cls, days_ago):
        return cls.today - timedelta(days=days_ago)

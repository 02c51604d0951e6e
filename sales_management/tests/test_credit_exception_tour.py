from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .credit_common import CreditCase

# Modules whose Chinese the two users read on the way (the web client, the chatter,
# the quotation, the addon).
TOUR_MODULES = [
    "base",
    "web",
    "mail",
    "product",
    "account",
    "sales_team",
    "sale",
    "sale_management",
    "sales_management",
]
REQUEST_TYPE = "sales_management.mail_activity_type_credit_exception_request"


@tagged("post_install", "-at_install")
class TestCreditExceptionTour(CreditCase, HttpCase):
    """In a browser, in Chinese: a rep's quotation refused by the credit check, his request,
    and the Credit Controller's approval from his activities."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(TOUR_MODULES, ["zh_CN"], overwrite=True)
        company_kw = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.tour_rep = new_test_user(
            cls.env,
            login="sm_tour_rep",
            name="Tour Rep",
            groups="sales_team.group_sale_salesman",
            lang="zh_CN",
            **company_kw,
        )
        cls.tour_controller = new_test_user(
            cls.env,
            login="sm_tour_ctl",
            name="Tour Controller",
            groups="base.group_user,sales_management.group_sales_management_credit",
            lang="zh_CN",
            **company_kw,
        )
        cls.tour_customer = cls.env["res.partner"].create(
            {"name": "Tour Credit Customer", "is_company": True, "user_id": cls.tour_rep.id}
        )
        cls.tour_customer.credit_limit = 1000.0
        cls.env["product.product"].create(
            {
                "name": "Tour Widget",
                "type": "service",
                "invoice_policy": "order",
                "lst_price": 100.0,
                "taxes_id": [Command.clear()],
            }
        )

    def _tour_order(self):
        return self.env["sale.order"].search([("partner_id", "=", self.tour_customer.id)])

    def test_request_and_approval_in_chinese(self):
        self.start_tour("/odoo", "sales_management_credit_exception_request", login="sm_tour_rep")
        order = self._tour_order()
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.user_id, self.tour_rep)
        request = order.sudo().credit_exception_request_ids
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.requested_by_id, self.tour_rep)
        self.assertEqual(request.order_amount, 1500.0)
        activity = order.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(REQUEST_TYPE) and a.user_id == self.tour_controller
        )
        self.assertTrue(activity, "the Credit Controller is asked")
        self.assertIn("申请信用例外", activity.note, "in the controller's language")

        self.start_tour("/odoo", "sales_management_credit_exception_approval", login="sm_tour_ctl")
        self.env.invalidate_all()
        self.assertEqual(request.state, "approved")
        self.assertEqual(order.sudo().credit_exception_id.approved_by_id, self.tour_controller)
        self.assertEqual(order.sudo().credit_exception_id.reason, "母公司担保。")
        self.assertFalse(order.sudo().activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(REQUEST_TYPE)))
        told = order.sudo().message_ids.filtered(lambda m: self.tour_rep.partner_id in m.partner_ids)
        self.assertIn("已由 Tour Controller 批准", "".join(told.mapped("body")), "the rep is told, in Chinese")
        # The rep confirms now.
        order.with_user(self.tour_rep).action_confirm()
        self.assertEqual(order.state, "sale")

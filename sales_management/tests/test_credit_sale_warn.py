"""Odoo's own credit-limit tests of ``sale``, with this addon installed and its check set to warn.

Odoo only warns beyond a credit limit; with the addon's default (block) two of these
tests confirm an order beyond the limit and are refused. With the reaction set to
warn (SAP's risk category of a grade, here the companies' default for customers
without grade), all of them pass unchanged. Only Credit Controllers set credit limits
(SPEC: "only credit controllers change ratings, limits and holds"), so Odoo's accounting
test user is given that role; nothing else of Odoo's tests is changed.
"""

from odoo.addons.sale.tests import test_credit_limit
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestSaleCreditLimitWithWarning(test_credit_limit.TestSaleOrderCreditLimit):
    # Odoo's loader runs only the methods a class defines, unless told otherwise.
    allow_inherited_tests_method = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref("sales_management.group_sales_management_credit")
        cls.env["res.company"].search([]).credit_check_reaction = "warn"

    def test_block_refuses_what_odoo_only_warns(self):
        self.env.company.credit_check_reaction = "block"
        self.partner_a.credit_limit = 1000.0
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.partner_a.id,
                    "order_line": [
                        Command.create({"product_id": self.company_data["product_order_no"].id, "price_unit": 1000.0})
                    ],
                }
            ]
            * 2
        )
        orders[0].action_confirm()
        with self.assertRaises(UserError):
            orders[1].action_confirm()
        self.assertEqual(orders.mapped("state"), ["sale", "draft"])

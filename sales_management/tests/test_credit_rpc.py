from xmlrpc.client import Fault

from odoo.tests import HttpCase, tagged

from .credit_common import CreditCase


@tagged("post_install", "-at_install")
class TestCreditRpc(CreditCase, HttpCase):
    def test_rpc_confirmation_by_rep_refused(self):
        self._invoice(800, due_days=30)
        order = self._order(300, user=self.user_rep)
        with self.assertRaises(Fault) as ctx:
            self.xmlrpc_object.execute_kw(
                self.env.cr.dbname,
                self.user_rep.id,
                "sm_credit_rep",
                "sale.order",
                "action_confirm",
                [[order.id]],
            )
        self.assertIn("Credit limit exceeded", ctx.exception.faultString)
        order.invalidate_recordset()
        self.assertEqual(order.state, "draft")
        # Nor can the rep lift the hold or the limit through RPC.
        with self.assertRaises(Fault):
            self.xmlrpc_object.execute_kw(
                self.env.cr.dbname,
                self.user_rep.id,
                "sm_credit_rep",
                "res.partner",
                "write",
                [[self.customer.id], {"credit_limit": 1e9}],
            )

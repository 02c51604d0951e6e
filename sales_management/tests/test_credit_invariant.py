"""The credit rule as an invariant of confirmed orders: what passes, what is refused, what it costs."""

from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..models.sale_order import credit_check_disabled
from .credit_common import CreditCase


@tagged("post_install", "-at_install")
class TestCreditInvariant(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._invoice(800, due_days=30)
        cls.free = cls.env["res.partner"].create(
            {"name": "Free Customer", "is_company": True, "user_id": cls.user_rep.id}
        )
        company_kw = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.user_billing = new_test_user(
            cls.env,
            login="sm_credit_billing",
            groups="sales_team.group_sale_salesman,account.group_account_invoice",
            **company_kw,
        )

    def _confirmed(self, amount, partner=None, user=None, **vals):
        order = self._order(amount, partner=partner, user=user or self.user_rep, **vals)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        return order

    def _approve(self, order, reason="Strategic customer"):
        self.env["sales.credit.exception.wizard"].with_user(self.user_credit).create(
            {"order_id": order.id, "reason": reason}
        ).action_approve()
        return order.credit_exception_id

    def _count_exposure_calls(self):
        """Context manager counting the exposure queries (sales_management_credit_exposure calls)."""
        Status = self.registry["sales.credit.status"]
        return patch.object(Status, "_get_exposure", autospec=True, side_effect=Status._get_exposure)

    # ------------------------------------------------------------
    # The rule
    # ------------------------------------------------------------

    def test_orders_of_one_call_count_together(self):
        first, second = self._order(150, user=self.user_rep), self._order(150, user=self.user_rep)
        with self.assertRaises(UserError):
            (first | second).action_confirm()
        self.assertEqual((first | second).mapped("state"), ["draft", "draft"])
        first.action_confirm()
        with self.assertRaises(UserError):
            second.action_confirm()

    def test_hold_and_overdue_refuse_raises_of_confirmed_orders(self):
        order = self._confirmed(100)
        self.customer.with_user(self.user_credit).write({"credit_hold": True, "credit_hold_reason": "Bounced cheque"})
        with self.assertRaises(UserError) as ctx:
            order.order_line.with_user(self.user_rep).product_uom_qty = 2
        self.assertIn("Bounced cheque", str(ctx.exception))
        self.assertEqual(order.order_line.product_uom_qty, 1)
        # A decrease passes.
        order.order_line.with_user(self.user_rep).product_uom_qty = 0.5
        self.customer.with_user(self.user_credit).write({"credit_hold": False})
        self._invoice(10, days_ago=45)
        with self.assertRaises(UserError) as ctx:
            order.order_line.with_user(self.user_rep).product_uom_qty = 1
        self.assertIn("45 days", str(ctx.exception))

    def test_ordinary_flows_pass_beyond_the_limit(self):
        """Invoicing, down payments, payments, decreases, locking and cancelling never meet the check."""
        order = self._confirmed(150)
        other = self._confirmed(50)
        self.customer.with_user(self.user_credit).credit_limit = 500.0
        order.order_line.with_user(self.user_rep).product_uom_qty = 1
        # A down payment by the rep (Odoo's wizard makes the down payment line).
        self.env["sale.advance.payment.inv"].with_user(self.user_rep).with_context(
            active_model="sale.order", active_ids=order.ids
        ).create({"advance_payment_method": "percentage", "amount": 20}).create_invoices()
        self.assertTrue(order.order_line.filtered("is_downpayment"))
        invoices = order.with_user(self.user_billing)._create_invoices(final=True)
        (order.invoice_ids | invoices).sudo().action_post()
        for invoice in order.invoice_ids:
            self._pay(invoice)
        order.with_user(self.user_rep).action_lock()
        other.with_user(self.user_rep).with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(other.state, "cancel")
        self.assertEqual(order.invoice_status, "invoiced")

    def test_invoiced_party_carries_the_order(self):
        """An order counts for its customer and for the party it is invoiced to, once invoiced only for the latter."""
        order = self._confirmed(150, partner=self.free, partner_invoice_id=self.customer.id)
        customer = self.customer.with_company(self.company)
        self.assertAlmostEqual(customer.credit_exposure_orders, 150.0)
        self.assertAlmostEqual(self.free.with_company(self.company).credit_exposure_orders, 150.0)
        with self.assertRaises(UserError):
            self._confirmed(100, partner=self.free, partner_invoice_id=self.customer.id)
        order._create_invoices()
        customer.invalidate_recordset()
        self.assertAlmostEqual(customer.credit_exposure_orders, 0.0)
        self.assertAlmostEqual(customer.credit_exposure_draft, 150.0)
        self.assertAlmostEqual(customer.credit_exposure, 950.0)

    def test_moving_confirmed_order_to_another_company_refused(self):
        company_2 = self.setup_other_company()["company"]
        self.customer.with_company(company_2).sudo().credit_limit = 100.0
        shared = self.env["product.pricelist"].create({"name": "All companies", "company_id": False})
        order = self._confirmed(150, user=self.env.user, pricelist_id=shared.id)
        with self.assertRaises(UserError) as ctx:
            order.sudo().write({"company_id": company_2.id})
        self.assertIn("Credit limit exceeded", str(ctx.exception))
        self.assertEqual(order.company_id, self.company)

    def test_disabled_only_from_python(self):
        order = self._order(300, user=self.user_rep)
        with credit_check_disabled():
            order.action_confirm()
        self.assertEqual(order.state, "sale")
        with self.assertRaises(UserError):
            self._order(300, user=self.user_rep).with_context(skip_credit_check=True).action_confirm()

    # ------------------------------------------------------------
    # Cost: nothing when nothing credit-relevant changes
    # ------------------------------------------------------------

    def _queries(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def test_no_check_without_credit_change(self):
        order = self._confirmed(100)
        line = order.order_line.with_user(self.user_rep)
        rep_order = order.with_user(self.user_rep)
        with self._count_exposure_calls() as exposure:
            rep_order.write({"client_order_ref": "PO-1", "note": "<p>Call first</p>"})
            rep_order.action_lock()
            rep_order.action_unlock()
            line.write({"name": "Widget, blue"})
            line.write({"product_uom_qty": 1.0})
            line.write({"product_uom_qty": 0.5})
            line.write({"price_unit": 100.0})
            self.assertEqual(exposure.call_count, 0)
            line.write({"product_uom_qty": 1.5})
            self.assertEqual(exposure.call_count, 1)
        # A write of fields the credit does not read costs what it costs without the check.
        plain = self._queries(lambda: rep_order.write({"client_order_ref": "PO-2"}))
        with credit_check_disabled():
            unchecked = self._queries(lambda: rep_order.write({"client_order_ref": "PO-3"}))
        self.assertEqual(plain, unchecked)

    def test_confirmation_checks_once(self):
        order = self._order(100, user=self.user_rep)
        with self._count_exposure_calls() as exposure:
            order.action_confirm()
        self.assertEqual(exposure.call_count, 1)
        with self._count_exposure_calls() as exposure:
            order.write({"order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 0.5})]})
        self.assertEqual(exposure.call_count, 1)

    # ------------------------------------------------------------
    # Exceptions
    # ------------------------------------------------------------

    def test_exception_covers_the_approved_amount_once(self):
        order = self._order(300, user=self.user_rep)
        exception = self._approve(order)
        self.assertRecordValues(
            exception,
            [
                {
                    "order_id": order.id,
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "amount": 300.0,
                    "order_amount": 300.0,
                    "order_total": 300.0,
                    "currency_id": self.currency.id,
                    "reason": "Strategic customer",
                    "approved_by_id": self.user_credit.id,
                    "state": "approved",
                }
            ],
        )
        # A decrease keeps it; the confirmation uses it.
        order.order_line.with_user(self.user_rep).product_uom_qty = 2.5
        self.assertEqual(exception.state, "approved")
        order.with_user(self.user_rep).action_confirm()
        self.assertEqual(exception.state, "used")
        self.assertIn("Strategic customer", order.message_ids[0].body)
        self.assertEqual(order.with_user(self.user_rep).credit_exception_count, 1)
        history = self.env["sales.credit.history"].search([("exception_id", "=", exception.id)])
        self.assertEqual(history.change_type, "exception")
        # Read-only for everyone, even through sudo() from other code.
        for user in (self.user_rep, self.user_credit):
            with self.assertRaises(AccessError):
                exception.with_user(user).write({"state": "approved"})
            with self.assertRaises(AccessError):
                exception.with_user(user).unlink()
        with self.assertRaises(AccessError):
            exception.sudo().write({"order_amount": 1e9})
        with self.assertRaises(AccessError):
            exception.sudo().create({"order_id": order.id})
        with self.assertRaises(UserError):
            exception.sudo().copy()

    def test_only_credit_controllers_approve(self):
        order = self._order(300, user=self.user_rep)
        admin = new_test_user(
            self.env, login="sm_credit_sales_admin", groups="sales_team.group_sale_manager,account.group_account_user"
        )
        for user in (self.user_rep, admin):
            with self.assertRaises(AccessError):
                self.env["sales.credit.exception"].with_user(user)._approve(order, "Because")
        with self.assertRaises(UserError):
            self._approve(self._confirmed(10), "Too late")
        self.assertFalse(order.credit_exception_ids)

    def test_rep_reads_only_his_orders_exceptions(self):
        other_rep = new_test_user(self.env, login="sm_credit_rep2", groups="sales_team.group_sale_salesman")
        order = self._order(300, user=self.user_rep)
        exception = self._approve(order)
        self.assertEqual(self.env["sales.credit.exception"].with_user(self.user_rep).search([]), exception)
        self.assertFalse(self.env["sales.credit.exception"].with_user(other_rep).search([]))
        portal = new_test_user(self.env, login="sm_credit_portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            exception.with_user(portal).read(["reason"])

    # ------------------------------------------------------------
    # Check reaction per grade
    # ------------------------------------------------------------

    def test_warning_grade_confirms_and_logs(self):
        grade = self.env["sales.credit.grade"].create(
            {"name": "Watch", "min_score": 33.3, "credit_limit": 1000.0, "credit_check_reaction": "warn"}
        )
        self.customer.with_user(self.user_credit).write({"credit_grade_id": grade.id, "credit_override_reason": "Test"})
        order = self._order(300, user=self.user_rep)
        self.assertIn("Credit limit exceeded", order.with_user(self.user_rep).credit_check_message)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertIn("only warns", order.message_ids[0].body)
        history = self.env["sales.credit.history"].search(
            [("partner_id", "=", self.customer.id), ("change_type", "=", "warning")]
        )
        self.assertEqual(history.order_id, order)
        self.assertIn("Credit limit exceeded", history.reason)
        # A raise after confirmation is logged too.
        order.order_line.product_uom_qty = 4
        self.assertEqual(len(history.search([("id", "!=", history.id), ("change_type", "=", "warning")])), 1)
        # Back to block: refused.
        grade.with_user(self.user_credit).credit_check_reaction = "block"
        with self.assertRaises(UserError):
            self._order(10, user=self.user_rep).action_confirm()

    def test_company_default_reaction_for_customers_without_grade(self):
        self.assertEqual(self.company.credit_check_reaction, "block")
        with self.assertRaises(UserError):
            self._order(300, user=self.user_rep).action_confirm()
        self.company.credit_check_reaction = "warn"
        self.company.account_use_credit_limit = True
        order = self._order(300, user=self.user_rep)
        # Odoo's own warning shows on the quotation.
        self.assertIn("credit limit", order.partner_credit_warning)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_only_credit_controllers_soften_a_grade(self):
        manager = new_test_user(self.env, login="sm_credit_sm_admin", groups="sales_team.group_sale_manager")
        grade = self.env.ref("sales_management.sales_credit_grade_b")
        for user in (self.user_rep, manager):
            with self.assertRaises(AccessError):
                grade.with_user(user).credit_check_reaction = "warn"
            with self.assertRaises(AccessError):
                grade.with_user(user).create({"name": "Soft", "min_score": 1.5, "credit_check_reaction": "warn"})
        grade.with_user(self.user_credit).credit_check_reaction = "warn"
        self.assertEqual(grade.credit_check_reaction, "warn")

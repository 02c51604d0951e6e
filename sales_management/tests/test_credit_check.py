from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import format_amount

from ..models.sale_order import credit_check_disabled
from .credit_common import CreditCase


@tagged("post_install", "-at_install")
class TestCreditExposure(CreditCase):
    def _parts(self, partner=None, company=None):
        partner = (partner or self.customer).with_company(company or self.company)
        partner.invalidate_recordset()
        return {
            "receivable": partner.credit_exposure_receivable,
            "notes": partner.credit_exposure_notes,
            "draft": partner.credit_exposure_draft,
            "orders": partner.credit_exposure_orders,
            "total": partner.credit_exposure,
        }

    def test_exposure_parts_counted_once(self):
        self._invoice(400)
        self._invoice(100, move_type="out_refund")
        self._invoice(70, post=False)
        # Notes receivable (应收票据): a receivable-type account chosen in Settings.
        notes = self.env["account.account"].create(
            {"name": "Notes Receivable", "code": "112100", "account_type": "asset_receivable", "reconcile": True}
        )
        self.company.credit_notes_account_ids = notes
        self.env["account.move"].create(
            {
                "move_type": "entry",
                "date": self.today,
                "line_ids": [
                    Command.create(
                        {"account_id": notes.id, "partner_id": self.customer.id, "debit": 150.0, "name": "Note"}
                    ),
                    Command.create(
                        {"account_id": self.company_data["default_account_revenue"].id, "credit": 150.0, "name": "N"}
                    ),
                ],
            }
        ).action_post()
        # A confirmed order of 500, 40% invoiced in draft: 200 draft + 300 on the order.
        order = self._order(500)
        with credit_check_disabled():
            order.action_confirm()
        invoice = order._create_invoices()
        invoice.invoice_line_ids.quantity = 2
        parts = self._parts()
        self.assertAlmostEqual(parts["receivable"], 300.0)
        self.assertAlmostEqual(parts["notes"], 150.0)
        self.assertAlmostEqual(parts["draft"], 270.0)
        self.assertAlmostEqual(parts["orders"], 300.0)
        self.assertAlmostEqual(parts["total"], 1020.0)
        self.assertAlmostEqual(self.customer.credit_available, -20.0)
        # Posting the draft moves its amount to the receivables, nothing doubles.
        invoice.action_post()
        parts = self._parts()
        self.assertAlmostEqual(parts["receivable"], 500.0)
        self.assertAlmostEqual(parts["draft"], 70.0)
        self.assertAlmostEqual(parts["orders"], 300.0)
        # A contact's view is the commercial entity's.
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": self.customer.id})
        self.assertAlmostEqual(self._parts(contact)["total"], 1020.0)

    def test_down_payment_counted_once(self):
        order = self._order(1000)
        with credit_check_disabled():
            order.action_confirm()
        self.assertAlmostEqual(self._parts()["total"], 1000.0)
        # A 30% down payment invoice: in the drafts, then the receivables, never also in the order.
        self.env["sale.advance.payment.inv"].with_context(active_model="sale.order", active_ids=order.ids).create(
            {"advance_payment_method": "percentage", "amount": 30}
        ).create_invoices()
        down_payment = order.invoice_ids
        parts = self._parts()
        self.assertAlmostEqual(parts["draft"], 300.0)
        self.assertAlmostEqual(parts["orders"], 700.0)
        self.assertAlmostEqual(parts["total"], 1000.0)
        down_payment.action_post()
        parts = self._parts()
        self.assertAlmostEqual(parts["receivable"], 300.0)
        self.assertAlmostEqual(parts["orders"], 700.0)
        self.assertAlmostEqual(parts["total"], 1000.0)
        # The final invoice deducts the down payment: 700 in draft, nothing left on the order.
        final = order._create_invoices(final=True)
        parts = self._parts()
        self.assertAlmostEqual(final.amount_total, 700.0)
        self.assertAlmostEqual(parts["draft"], 700.0)
        self.assertAlmostEqual(parts["orders"], 0.0)
        self.assertAlmostEqual(parts["total"], 1000.0)
        final.action_post()
        self.assertAlmostEqual(self._parts()["total"], 1000.0)

    def test_foreign_currency_order_in_company_currency(self):
        other = self.setup_other_currency("EUR", rates=[("2000-01-01", 2.0)])
        pricelist = self.env["product.pricelist"].create({"name": "EUR", "currency_id": other.id})
        order = self._order(1000, pricelist_id=pricelist.id)
        self.assertEqual(order.currency_id, other)
        with credit_check_disabled():
            order.action_confirm()
        self.assertAlmostEqual(self._parts()["orders"], 500.0)
        # 500 + 600 EUR (= 300) stays within 1000; 500 + 1200 EUR (= 600) does not.
        self._order(600, pricelist_id=pricelist.id).action_confirm()
        with self.assertRaises(UserError):
            self._order(1200, pricelist_id=pricelist.id).action_confirm()

    def test_multi_company_isolation(self):
        company_2 = self.setup_other_company()["company"]
        self._invoice(900, company=company_2)
        self.assertAlmostEqual(self._parts()["total"], 0.0)
        self.assertAlmostEqual(self._parts(company=company_2)["total"], 900.0)
        # An order in the first company is unaffected by debt in the second.
        self._order(900).action_confirm()


@tagged("post_install", "-at_install")
class TestCreditCheck(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._invoice(800, due_days=30)

    def test_form_confirmation_over_limit_refused_with_numbers(self):
        order = self._order(300, user=self.user_rep)
        form = Form(order)
        form.save()
        with self.assertRaises(UserError) as ctx:
            order.action_confirm()
        message = str(ctx.exception)
        self.assertIn("Credit limit exceeded", message)
        self.assertIn("800.00", message)
        self.assertIn("1,100.00", message)
        self.assertIn("Credit Controller", message)
        self.assertEqual(order.state, "draft")
        small = self._order(200, user=self.user_rep)
        small.action_confirm()
        self.assertEqual(small.state, "sale")

    def test_rep_sees_credit_without_accounting_rights(self):
        order = self._order(100, user=self.user_rep)
        self.assertFalse(self.user_rep.has_group("account.group_account_invoice"))
        self.assertAlmostEqual(order.partner_credit_available, 200.0)
        self.assertFalse(order.partner_credit_hold)
        self.assertAlmostEqual(self.customer.with_user(self.user_rep).credit_available, 200.0)
        # The customer form (Credit tab) and the quotation form open for the rep.
        partner_form = Form(self.customer.with_user(self.user_rep))
        self.assertAlmostEqual(partner_form.credit_exposure, 800.0)
        self.assertAlmostEqual(Form(order).partner_credit_available, 200.0)

    def test_duplicate_quotation_also_checked(self):
        order = self._order(300)
        self._approve(order, "Year-end deal")
        copy = order.copy()
        self.assertFalse(copy.credit_exception_id)
        self.assertFalse(copy.credit_exception_ids)
        with self.assertRaises(UserError):
            copy.with_user(self.user_rep).action_confirm()

    def test_order_created_confirmed_is_checked(self):
        with self.assertRaises(UserError):
            self._order(500, state="sale")

    def test_hold_refuses_and_needs_reason(self):
        partner = self.customer.with_user(self.user_credit)
        with self.assertRaises(ValidationError):
            partner.write({"credit_hold": True})
        partner.write({"credit_hold": True, "credit_hold_reason": "Bounced cheque"})
        with self.assertRaises(UserError) as ctx:
            self._order(10, user=self.user_rep).action_confirm()
        self.assertIn("Bounced cheque", str(ctx.exception))
        history = self.env["sales.credit.history"].search(
            [("partner_id", "=", self.customer.id), ("user_id", "=", self.user_credit.id)]
        )
        self.assertEqual(history.mapped("change_type"), ["hold"])
        self.assertEqual(history.user_id, self.user_credit)
        self.assertEqual(history.reason, "Bounced cheque")

    def test_overdue_beyond_tolerance_refused(self):
        self._invoice(10, days_ago=45)
        with self.assertRaises(UserError) as ctx:
            self._order(10).action_confirm()
        self.assertIn("45 days", str(ctx.exception))

    def _approve(self, order, reason):
        wizard = (
            self.env["sales.credit.exception.wizard"]
            .with_user(self.user_credit)
            .create({"order_id": order.id, "reason": reason})
        )
        return wizard.action_approve()

    def test_exception_flow_and_voiding(self):
        order = self._order(300, user=self.user_rep)
        with self.assertRaises(UserError):
            self._approve(order, "   ")
        with self.assertRaises(AccessError):
            self.env["sales.credit.exception.wizard"].with_user(self.user_rep).create(
                {"order_id": order.id, "reason": "me"}
            ).action_approve()
        self._approve(order, "Strategic customer")
        exception = order.credit_exception_id
        with self.assertRaises(AccessError):
            order.with_user(self.user_rep).write({"credit_exception_id": False})
        self.assertEqual(exception.approved_by_id, self.user_credit)
        self.assertEqual(exception.state, "approved")
        # Raising the order voids the exception.
        order.order_line.with_user(self.user_rep).product_uom_qty = 4
        self.assertFalse(order.credit_exception_id)
        self.assertEqual(exception.state, "void")
        with self.assertRaises(UserError):
            order.with_user(self.user_rep).action_confirm()
        self._approve(order, "Strategic customer")
        order.with_user(self.user_rep).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.credit_exception_id.state, "used")
        self.assertEqual(len(order.credit_exception_ids), 2)
        history = self.env["sales.credit.history"].search(
            [("partner_id", "=", self.customer.id), ("change_type", "=", "exception")]
        )
        # Approved, voided, approved again.
        self.assertEqual(len(history), 3)
        self.assertEqual(history.order_id, order)
        self.assertEqual(history.exception_id, order.credit_exception_ids)
        self.assertIn(
            "Strategic customer", order.message_ids.mapped("preview")[0] + "".join(order.message_ids.mapped("preview"))
        )

    def test_rep_cannot_change_limits_grades_holds_history(self):
        partner = self.customer.with_user(self.user_rep)
        grade = self.env.ref("sales_management.sales_credit_grade_aaa")
        for vals in (
            {"credit_limit": 99999.0},
            {"credit_hold": True, "credit_hold_reason": "x"},
            {"credit_grade_id": grade.id, "is_credit_grade_override": True, "credit_override_reason": "x"},
        ):
            with self.assertRaises(AccessError, msg=str(vals)):
                partner.write(vals)
        status = self.env["sales.credit.status"]._get_status(self.customer, self.company, create=True)
        with self.assertRaises(AccessError):
            status.with_user(self.user_rep).write({"hold": False})
        with self.assertRaises(AccessError):
            grade.with_user(self.user_rep).credit_limit = 1
        history = (
            self.env["sales.credit.history"]
            .sudo()
            .create({"partner_id": self.customer.id, "company_id": self.company.id, "change_type": "limit"})
        )
        with self.assertRaises(AccessError):
            history.with_user(self.user_rep).write({"reason": "x"})
        with self.assertRaises(AccessError):
            self.env["sales.credit.history"].with_user(self.user_credit).create(
                {"partner_id": self.customer.id, "company_id": self.company.id, "change_type": "limit"}
            )
        with self.assertRaises(UserError):
            history.sudo().write({"reason": "x"})
        with self.assertRaises(UserError):
            history.sudo().unlink()

    def test_limit_history_and_negative_limit(self):
        self.customer.with_user(self.user_credit).credit_limit = 2000.0
        history = self.env["sales.credit.history"].search(
            [
                ("partner_id", "=", self.customer.id),
                ("change_type", "=", "limit"),
                ("user_id", "=", self.user_credit.id),
            ]
        )
        # Amounts in the currency, never raw floats ("1000.0").
        self.assertEqual(
            (history.old_value, history.new_value),
            (format_amount(self.env, 1000.0, self.currency), format_amount(self.env, 2000.0, self.currency)),
        )
        with self.assertRaises(ValidationError):
            self.customer.with_user(self.user_credit).credit_limit = -5

    def test_query_count_constant(self):
        """The check costs the same for 10 and for 40 open invoices."""
        small = self.env["res.partner"].create({"name": "Small", "is_company": True, "credit_limit": 1e9})
        big = self.env["res.partner"].create({"name": "Big", "is_company": True, "credit_limit": 1e9})
        for _i in range(10):
            self._invoice(10, partner=small)
        for _i in range(40):
            self._invoice(10, partner=big)
        self.env["sales.credit.status"]._get_status(small | big, self.company, create=True)
        counts = []
        # The first round also fills registry caches (access rules, defaults).
        for partner in (small, big, small, big):
            order = self._order(100, partner=partner)
            order.amount_total  # noqa: B018 -- computed before counting
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            order._check_credit()
            counts.append(self.cr.sql_log_count - before)
        self.assertEqual(counts[2], counts[3])
        self.assertEqual(counts[1], counts[3])
        order = self._order(100, partner=big)
        order.amount_total  # noqa: B018
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(counts[3]):
            order._check_credit()

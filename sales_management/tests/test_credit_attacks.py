"""The credit check attacked as a sales rep would, over real JSON-RPC and XML-RPC.

The customer owes 800 of his 1,000 limit; every attack tries to get an order of 300
(or a raise of a confirmed order) past the check. Each test asserts the refusal and
that nothing of the call was written.
"""

from datetime import timedelta
from xmlrpc.client import Fault

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .credit_common import CreditCase, CreditRpcMixin

LIMIT_TEXT = "Credit limit exceeded"
COMPUTED_TEXT = "set by Odoo itself"

# Context keys an attacker may send with a confirmation: none of them may matter.
ATTACK_CONTEXTS = [
    {"skip_credit_check": 1},
    {"skip_credit_check": True, "sale_skip_credit_check": True, "credit_check": False},
    {"default_state": "sale"},
    {"install_mode": 1},
    {"tracking_disable": 1},
    {"mail_notrack": 1},
    {"import_file": 1},
    {"active_test": 0},
    {"credit_change_reason": "forged"},
    {"module": "sales_management", "install_filename": "x.xml"},
    {"default_credit_exception_id": 1, "default_credit_exception_ids": [1]},
]


@tagged("post_install", "-at_install")
class TestCreditAttacks(CreditRpcMixin, CreditCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._invoice(800, due_days=30)
        # A customer without limit nor grade: no credit check applies to him.
        cls.free = cls.env["res.partner"].create(
            {"name": "Free Customer", "is_company": True, "user_id": cls.user_rep.id}
        )
        cls.tax = cls.env["account.tax"].create({"name": "Credit VAT 50%", "amount": 50.0, "type_tax_use": "sale"})

    def setUp(self):
        super().setUp()
        self.rpc_login(self.user_rep)

    def _rep_order(self, amount=300, partner=None, **vals):
        return self._order(amount, partner=partner, user=self.user_rep, **vals)

    def _confirmed(self, amount=100, partner=None, **vals):
        """A confirmed order of the rep, within the limit (800 + 100)."""
        order = self._rep_order(amount, partner=partner, **vals)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        return order

    def _line_vals(self, amount):
        return {"product_id": self.product.id, "product_uom_qty": amount / 100.0, "price_unit": 100.0}

    def _order_count(self):
        return self.env["sale.order"].search_count([("partner_id", "=", self.customer.id)])

    # ------------------------------------------------------------
    # Class 1: no context key is trusted
    # ------------------------------------------------------------

    def test_class1_confirmation_contexts_refused(self):
        order = self._rep_order()
        for context in ATTACK_CONTEXTS:
            with self.subTest(context=context):
                answer = self.call_kw("sale.order", "action_confirm", [[order.id]], {"context": context})
                self.assertRpcRefused(answer, LIMIT_TEXT)
                self.assertEqual(order.state, "draft")

    def test_class1_xmlrpc_context_refused(self):
        order = self._rep_order()
        with self.assertRaises(Fault) as ctx:
            self.xmlrpc(
                self.user_rep, "sale.order", "action_confirm", [[order.id]], {"context": {"skip_credit_check": True}}
            )
        self.assertIn(LIMIT_TEXT, ctx.exception.faultString)
        order.invalidate_recordset()
        self.assertEqual(order.state, "draft")

    def test_class1_write_contexts_refused(self):
        order = self._confirmed()
        line = order.order_line
        for context in ATTACK_CONTEXTS:
            with self.subTest(context=context):
                answer = self.call_kw(
                    "sale.order.line", "write", [line.ids, {"product_uom_qty": 5}], {"context": context}
                )
                self.assertRpcRefused(answer, LIMIT_TEXT)
                self.assertEqual(line.product_uom_qty, 1)

    # ------------------------------------------------------------
    # Class 2: every way into 'sale' is checked
    # ------------------------------------------------------------

    def test_class2_write_state_from_every_state_refused(self):
        for state in ("draft", "sent", "cancel"):
            with self.subTest(state=state):
                order = self._rep_order()
                order.sudo().state = state
                answer = self.call_kw("sale.order", "write", [order.ids, {"state": "sale"}])
                self.assertRpcRefused(answer, LIMIT_TEXT)
                self.assertEqual(order.state, state)

    def test_class2_web_save_state_refused(self):
        order = self._rep_order()
        answer = self.call_kw("sale.order", "web_save", [order.ids, {"state": "sale"}], {"specification": {}})
        self.assertRpcRefused(answer, LIMIT_TEXT)
        self.assertEqual(order.state, "draft")

    def test_class2_draft_again_then_confirm_refused(self):
        order = self._rep_order()
        order.sudo().state = "cancel"
        self.assertRpcPassed(self.call_kw("sale.order", "action_draft", [order.ids]))
        self.assertRpcRefused(self.call_kw("sale.order", "action_confirm", [order.ids]), LIMIT_TEXT)
        self.assertEqual(order.state, "draft")

    def test_class2_create_confirmed_refused(self):
        before = self._order_count()
        vals = {"partner_id": self.customer.id, "order_line": [Command.create(self._line_vals(300))]}
        for kwargs, values in (
            ({}, {**vals, "state": "sale"}),
            ({"context": {"default_state": "sale"}}, vals),
        ):
            with self.subTest(kwargs=kwargs):
                self.assertRpcRefused(self.call_kw("sale.order", "create", [values], kwargs), LIMIT_TEXT)
                self.assertEqual(self._order_count(), before)

    def test_class2_user_default_state_refused(self):
        """A user default (ir.default, which any user may set for himself) of state 'sale'."""
        self.assertRpcPassed(self.call_kw("ir.default", "set", ["sale.order", "state", "sale", True]))
        before = self._order_count()
        vals = {"partner_id": self.customer.id, "order_line": [Command.create(self._line_vals(300))]}
        self.assertRpcRefused(self.call_kw("sale.order", "create", [vals]), LIMIT_TEXT)
        self.assertEqual(self._order_count(), before)

    def test_class2_copy_confirmed_refused(self):
        order = self._rep_order()
        before = self._order_count()
        answer = self.call_kw("sale.order", "copy", [order.ids], {"default": {"state": "sale"}})
        self.assertRpcRefused(answer, LIMIT_TEXT)
        self.assertEqual(self._order_count(), before)

    def test_class2_import_confirmed_refused(self):
        before = self._order_count()
        answer = self.call_kw(
            "sale.order",
            "load",
            [
                ["partner_id/.id", "state", "order_line/product_id/.id", "order_line/product_uom_qty"],
                [[str(self.customer.id), "sale", str(self.product.id), "3"]],
            ],
        )
        result = self.assertRpcPassed(answer)
        self.assertFalse(result["ids"])
        self.assertIn(LIMIT_TEXT, " ".join(m["message"] for m in result["messages"]))
        self.assertEqual(self._order_count(), before)

    # ------------------------------------------------------------
    # Class 3: checked after every value of the call
    # ------------------------------------------------------------

    def test_class3_state_with_new_customer_refused(self):
        order = self._rep_order(partner=self.free)
        answer = self.call_kw("sale.order", "write", [order.ids, {"state": "sale", "partner_id": self.customer.id}])
        self.assertRpcRefused(answer, LIMIT_TEXT)
        self.assertEqual((order.state, order.partner_id), ("draft", self.free))

    def test_class3_state_with_new_lines_refused(self):
        order = self._rep_order(100)
        answer = self.call_kw(
            "sale.order",
            "write",
            [order.ids, {"state": "sale", "order_line": [Command.create(self._line_vals(300))]}],
        )
        self.assertRpcRefused(answer, LIMIT_TEXT)
        self.assertEqual((order.state, len(order.order_line)), ("draft", 1))

    def test_class3_invoiced_to_limited_customer_refused(self):
        """The order's customer has no limit, but its invoices would go to the limited customer."""
        order = self._rep_order(partner=self.free)
        answer = self.call_kw(
            "sale.order", "write", [order.ids, {"state": "sale", "partner_invoice_id": self.customer.id}]
        )
        self.assertRpcRefused(answer, LIMIT_TEXT)
        self.assertEqual((order.state, order.partner_invoice_id), ("draft", self.free))
        before = self._order_count()
        vals = {
            "partner_id": self.free.id,
            "partner_invoice_id": self.customer.id,
            "order_line": [Command.create(self._line_vals(300))],
        }
        created = self.assertRpcPassed(self.call_kw("sale.order", "create", [vals]))
        self.assertRpcRefused(self.call_kw("sale.order", "action_confirm", [[created]]), LIMIT_TEXT)
        self.assertEqual(self.env["sale.order"].browse(created).state, "draft")
        self.assertEqual(self._order_count(), before)

    # ------------------------------------------------------------
    # Class 4: exceptions cannot be forged or reused
    # ------------------------------------------------------------

    def _approve(self, order, reason="Year-end deal"):
        wizard = (
            self.env["sales.credit.exception.wizard"]
            .with_user(self.user_credit)
            .create({"order_id": order.id, "reason": reason})
        )
        wizard.action_approve()
        return order.credit_exception_id

    def test_class4_rep_cannot_create_or_write_exceptions(self):
        order = self._rep_order()
        other = self._rep_order()
        exception = self._approve(other)
        vals = {
            "order_id": order.id,
            "partner_id": self.customer.id,
            "invoice_partner_id": self.customer.id,
            "company_id": self.company.id,
            "amount": 1e9,
            "currency_id": self.currency.id,
            "order_amount": 1e9,
            "reason": "me",
            "approved_by_id": self.user_credit.id,
            "approved_date": fields.Datetime.to_string(fields.Datetime.now()),
        }
        count = self.env["sales.credit.exception"].search_count([])
        self.assertRpcRefused(self.call_kw("sales.credit.exception", "create", [vals]))
        self.assertRpcRefused(self.call_kw("sales.credit.exception", "write", [exception.ids, {"order_id": order.id}]))
        self.assertRpcRefused(self.call_kw("sales.credit.exception", "copy", [exception.ids]))
        self.assertRpcRefused(self.call_kw("sales.credit.exception", "_approve", [order.id, "me"]))
        self.assertRpcRefused(
            self.call_kw("sales.credit.exception.wizard", "create", [{"order_id": order.id, "reason": "me"}])
        )
        self.assertEqual(self.env["sales.credit.exception"].search_count([]), count)
        # Nor point his order to another order's approval.
        answer = self.call_kw("sale.order", "write", [order.ids, {"credit_exception_id": exception.id}])
        self.assertRpcRefused(answer, COMPUTED_TEXT)
        self.assertFalse(order.credit_exception_id)
        self.assertRpcRefused(self.call_kw("sale.order", "action_confirm", [order.ids]), LIMIT_TEXT)

    def test_class4_defaults_cannot_fill_an_exception(self):
        exception = self._approve(self._rep_order())
        before = self._order_count()
        vals = {"partner_id": self.customer.id, "order_line": [Command.create(self._line_vals(300))]}
        forged = {
            "default_credit_exception_id": exception.id,
            "default_credit_exception_ids": [exception.id],
            "default_state": "draft",
        }
        # As a value: refused; as a default (context or user default): ignored.
        self.assertRpcRefused(
            self.call_kw("sale.order", "create", [{**vals, "credit_exception_id": exception.id}]), COMPUTED_TEXT
        )
        self.assertEqual(self._order_count(), before)
        created = self.assertRpcPassed(self.call_kw("sale.order", "create", [vals], {"context": forged}))
        self.assertRpcPassed(
            self.call_kw("ir.default", "set", ["sale.order", "credit_exception_id", exception.id, True])
        )
        created2 = self.assertRpcPassed(self.call_kw("sale.order", "create", [vals]))
        for order_id in (created, created2):
            order = self.env["sale.order"].browse(order_id)
            self.assertFalse(order.credit_exception_id)
            self.assertRpcRefused(self.call_kw("sale.order", "action_confirm", [[order_id]]), LIMIT_TEXT)
            self.assertEqual(order.state, "draft")
        self.assertEqual(exception.order_id.credit_exception_id, exception)

    def test_class4_copy_and_import_carry_no_exception(self):
        order = self._rep_order()
        exception = self._approve(order)
        copy_id = self.assertRpcPassed(self.call_kw("sale.order", "copy", [order.ids]))[0]
        copy = self.env["sale.order"].browse(copy_id)
        self.assertFalse(copy.credit_exception_id or copy.credit_exception_ids)
        self.assertRpcRefused(self.call_kw("sale.order", "action_confirm", [[copy_id]]), LIMIT_TEXT)
        answer = self.call_kw(
            "sale.order",
            "copy",
            [order.ids],
            {
                "default": {"credit_exception_id": exception.id},
                "context": {"default_credit_exception_id": exception.id},
            },
        )
        self.assertRpcRefused(answer, COMPUTED_TEXT)
        before = self._order_count()
        result = self.assertRpcPassed(
            self.call_kw(
                "sale.order",
                "load",
                [
                    [
                        "partner_id/.id",
                        "credit_exception_id/.id",
                        "order_line/product_id/.id",
                        "order_line/product_uom_qty",
                    ],
                    [[str(self.customer.id), str(exception.id), str(self.product.id), "3"]],
                ],
            )
        )
        self.assertFalse(result["ids"])
        self.assertEqual(self._order_count(), before)

    def test_class4_approval_by_controller_over_rpc_cannot_be_forged(self):
        order = self._rep_order()
        self.rpc_login(self.user_credit)
        context = {
            "default_approved_by_id": self.user_rep.id,
            "default_state": "used",
            "default_amount": 1e9,
            "default_order_amount": 1e9,
            "default_void_reason": "x",
        }
        wizard_id = self.assertRpcPassed(
            self.call_kw(
                "sales.credit.exception.wizard",
                "create",
                [{"order_id": order.id, "reason": "Key account"}],
                {"context": context},
            )
        )
        self.assertRpcPassed(
            self.call_kw("sales.credit.exception.wizard", "action_approve", [[wizard_id]], {"context": context})
        )
        exception = order.credit_exception_id
        self.assertRecordValues(
            exception,
            [
                {
                    "approved_by_id": self.user_credit.id,
                    "state": "approved",
                    "amount": 300.0,
                    "order_amount": 300.0,
                    "void_reason": False,
                    "partner_id": self.customer.id,
                }
            ],
        )
        # The controller cannot edit his approval either.
        self.assertRpcRefused(self.call_kw("sales.credit.exception", "write", [exception.ids, {"order_amount": 1e9}]))
        self.assertEqual(exception.order_amount, 300.0)
        # The rep confirms under it.
        self.rpc_login(self.user_rep)
        self.assertRpcPassed(self.call_kw("sale.order", "action_confirm", [order.ids]))
        self.assertEqual((order.state, exception.state), ("sale", "used"))

    def test_class4_exception_not_reused_after_growth(self):
        order = self._rep_order()
        exception = self._approve(order)
        # Raised on the quotation: voided.
        self.assertRpcPassed(self.call_kw("sale.order.line", "write", [order.order_line.ids, {"product_uom_qty": 4}]))
        self.assertEqual(exception.state, "void")
        self.assertRpcRefused(self.call_kw("sale.order", "action_confirm", [order.ids]), LIMIT_TEXT)
        # Moved to another customer and back: voided too.
        exception = self._approve(order)
        self.assertRpcPassed(self.call_kw("sale.order", "write", [order.ids, {"partner_id": self.free.id}]))
        self.assertEqual(exception.state, "void")
        self.assertRpcPassed(self.call_kw("sale.order", "write", [order.ids, {"partner_id": self.customer.id}]))
        self.assertRpcRefused(self.call_kw("sale.order", "action_confirm", [order.ids]), LIMIT_TEXT)
        # Confirmed under a fresh approval; a line added later is not covered.
        exception = self._approve(order)
        self.assertRpcPassed(self.call_kw("sale.order", "action_confirm", [order.ids]))
        self.assertEqual(exception.state, "used")
        answer = self.call_kw(
            "sale.order", "write", [order.ids, {"order_line": [Command.create(self._line_vals(100))]}]
        )
        self.assertRpcRefused(answer, LIMIT_TEXT)
        self.assertEqual((len(order.order_line), exception.state), (1, "used"))
        answer = self.call_kw("sale.order.line", "write", [order.order_line.ids, {"product_uom_qty": 5}])
        self.assertRpcRefused(answer, LIMIT_TEXT)
        self.assertEqual(order.order_line.product_uom_qty, 4)

    def test_class4_exception_not_reused_after_cancel(self):
        order = self._rep_order()
        exception = self._approve(order)
        self.assertRpcPassed(self.call_kw("sale.order", "action_confirm", [order.ids]))
        self.assertRpcPassed(
            self.call_kw("sale.order", "action_cancel", [order.ids], {"context": {"disable_cancel_warning": True}})
        )
        self.assertEqual((order.state, exception.state), ("cancel", "void"))
        self.assertRpcPassed(self.call_kw("sale.order", "action_draft", [order.ids]))
        self.assertRpcRefused(self.call_kw("sale.order", "action_confirm", [order.ids]), LIMIT_TEXT)

    # ------------------------------------------------------------
    # Class 5: computed inputs cannot be written
    # ------------------------------------------------------------

    def test_class5_order_amounts_refused(self):
        order = self._rep_order()
        for vals in ({"amount_total": 1.0}, {"amount_untaxed": 1.0}, {"currency_rate": 1000.0}):
            with self.subTest(vals=vals):
                self.assertRpcRefused(self.call_kw("sale.order", "write", [order.ids, vals]), COMPUTED_TEXT)
                self.assertRpcRefused(
                    self.call_kw("sale.order", "write", [order.ids, {**vals, "state": "sale"}]), COMPUTED_TEXT
                )
        self.assertRecordValues(order, [{"amount_total": 300.0, "currency_rate": 1.0, "state": "draft"}])

    def test_class5_line_amounts_refused(self):
        order = self._rep_order()
        confirmed = self._confirmed()
        line, other_line = order.order_line, confirmed.order_line
        attacks = [
            (line, {"price_total": 0.0}),
            (line, {"price_subtotal": 0.0}),
            (line, {"is_downpayment": True}),
            (line, {"state": "cancel"}),
            (line, {"order_partner_id": self.free.id}),
            (line, {"order_partner_invoice_id": self.free.id}),
            (line, {"company_id": False}),
            (other_line, {"qty_invoiced": 1.0}),
            (other_line, {"untaxed_amount_to_invoice": 0.0}),
            (other_line, {"price_total": 0.0}),
        ]
        invoice_line = self.env["account.move.line"].search([("partner_id", "=", self.customer.id)], limit=1)
        attacks.append((other_line, {"invoice_lines": [Command.link(invoice_line.id)]}))
        for target, vals in attacks:
            with self.subTest(vals=vals):
                answer = self.call_kw("sale.order.line", "write", [target.ids, vals])
                self.assertRpcRefused(answer, COMPUTED_TEXT)
                # Through the order's lines too.
                answer = self.call_kw(
                    "sale.order", "write", [target.order_id.ids, {"order_line": [Command.update(target.id, vals)]}]
                )
                self.assertRpcRefused(answer, COMPUTED_TEXT)
        expected = {"is_downpayment": False, "order_partner_id": self.customer.id, "company_id": self.company.id}
        self.assertRecordValues(
            line | other_line,
            [
                {**expected, "price_total": 300.0, "qty_invoiced": 0.0, "state": "draft"},
                {**expected, "price_total": 100.0, "qty_invoiced": 0.0, "state": "sale"},
            ],
        )
        self.assertFalse(other_line.invoice_lines)

    def test_class5_new_lines_with_amounts_refused(self):
        order = self._rep_order(100)
        for extra in (
            {"price_total": 0.0},
            {"qty_invoiced": 3.0},
            {"is_downpayment": True},
            {"state": "cancel"},
            {"order_partner_id": self.free.id},
        ):
            with self.subTest(extra=extra):
                vals = {**self._line_vals(300), **extra}
                answer = self.call_kw("sale.order", "write", [order.ids, {"order_line": [Command.create(vals)]}])
                self.assertRpcRefused(answer, COMPUTED_TEXT)
                answer = self.call_kw("sale.order.line", "create", [{**vals, "order_id": order.id}])
                self.assertRpcRefused(answer, COMPUTED_TEXT)
                self.assertEqual(len(order.order_line), 1)
        # As defaults (context or user default), they are ignored: the line is computed.
        context = {"default_price_total": 0.0, "default_is_downpayment": True, "default_state": "cancel"}
        self.assertRpcPassed(self.call_kw("ir.default", "set", ["sale.order.line", "is_downpayment", True, True]))
        line_id = self.assertRpcPassed(
            self.call_kw(
                "sale.order.line", "create", [{**self._line_vals(300), "order_id": order.id}], {"context": context}
            )
        )
        line = self.env["sale.order.line"].browse(line_id)
        self.assertRecordValues(line, [{"price_total": 300.0, "is_downpayment": False, "state": "draft"}])
        self.assertRpcRefused(self.call_kw("sale.order", "action_confirm", [order.ids]), LIMIT_TEXT)

    def test_class5_import_of_computed_amounts_refused(self):
        before = self._order_count()
        result = self.assertRpcPassed(
            self.call_kw(
                "sale.order",
                "load",
                [
                    [
                        "partner_id/.id",
                        "order_line/product_id/.id",
                        "order_line/product_uom_qty",
                        "order_line/price_total",
                    ],
                    [[str(self.customer.id), str(self.product.id), "3", "0"]],
                ],
            )
        )
        self.assertFalse(result["ids"])
        self.assertIn(COMPUTED_TEXT, " ".join(m["message"] for m in result["messages"]))
        self.assertEqual(self._order_count(), before)

    def test_class5_invoice_amounts_refused_to_billing_rep(self):
        """A rep who may also bill cannot rewrite the amounts of invoices the exposure reads."""
        billing_rep = new_test_user(
            self.env,
            login="sm_credit_billing_rep",
            groups="sales_team.group_sale_salesman,account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        draft = self._invoice(500, post=False)
        posted = self.env["account.move"].search([("partner_id", "=", self.customer.id), ("state", "=", "posted")])
        receivable = posted.line_ids.filtered(lambda aml: aml.account_id.account_type == "asset_receivable")
        self.rpc_login(billing_rep)
        attacks = [
            ("account.move", draft, {"amount_total_signed": 0.0}),
            ("account.move", draft, {"amount_total": 0.0}),
            ("account.move", draft, {"commercial_partner_id": self.free.id}),
            ("account.move.line", receivable, {"amount_residual": 0.0}),
            ("account.move.line", receivable, {"reconciled": True}),
            ("account.move.line", receivable, {"parent_state": "cancel"}),
            ("account.move.line", draft.invoice_line_ids, {"price_total": 0.0}),
        ]
        for model, records, vals in attacks:
            with self.subTest(model=model, vals=vals):
                self.assertRpcRefused(self.call_kw(model, "write", [records.ids, vals]), COMPUTED_TEXT)
        self.assertRecordValues(draft, [{"amount_total_signed": 500.0, "commercial_partner_id": self.customer.id}])
        self.assertRecordValues(receivable, [{"amount_residual": 800.0, "reconciled": False, "parent_state": "posted"}])
        self.assertAlmostEqual(self.customer.with_company(self.company).credit_exposure, 1300.0)

    def test_class5_xmlrpc_amounts_refused(self):
        order = self._rep_order()
        with self.assertRaises(Fault) as ctx:
            self.xmlrpc(self.user_rep, "sale.order.line", "write", [order.order_line.ids, {"price_total": 1.0}])
        self.assertIn(COMPUTED_TEXT, ctx.exception.faultString)
        self.assertEqual(order.order_line.price_total, 300.0)

    # ------------------------------------------------------------
    # Class 6: what holds after confirmation
    # ------------------------------------------------------------

    def test_class6_raising_confirmed_order_refused(self):
        order = self._confirmed(150)
        line = order.order_line
        attacks = [
            ("sale.order.line", line.ids, {"product_uom_qty": 4}),
            ("sale.order.line", line.ids, {"price_unit": 400.0}),
            ("sale.order.line", line.ids, {"tax_id": [Command.set(self.tax.ids)]}),
            ("sale.order", order.ids, {"order_line": [Command.update(line.id, {"product_uom_qty": 4})]}),
            ("sale.order", order.ids, {"order_line": [Command.create(self._line_vals(300))]}),
            ("sale.order.line", [], {**self._line_vals(300), "order_id": order.id}),
        ]
        for model, ids, vals in attacks:
            with self.subTest(model=model, vals=vals):
                method, args = ("create", [vals]) if not ids else ("write", [ids, vals])
                self.assertRpcRefused(self.call_kw(model, method, args), LIMIT_TEXT)
                self.assertRecordValues(line, [{"product_uom_qty": 1.5, "price_unit": 100.0, "price_total": 150.0}])
                self.assertEqual(len(order.order_line), 1)

    def test_class6_discount_removed_refused(self):
        order = self._rep_order(400)
        order.order_line.discount = 50.0
        order.action_confirm()
        answer = self.call_kw("sale.order.line", "write", [order.order_line.ids, {"discount": 0.0}])
        self.assertRpcRefused(answer, LIMIT_TEXT)
        self.assertEqual(order.order_line.discount, 50.0)

    def test_class6_moving_confirmed_order_refused(self):
        order = self._confirmed(300, partner=self.free)
        for vals in ({"partner_id": self.customer.id}, {"partner_invoice_id": self.customer.id}):
            with self.subTest(vals=vals):
                self.assertRpcRefused(self.call_kw("sale.order", "write", [order.ids, vals]), LIMIT_TEXT)
                self.assertEqual((order.partner_id, order.partner_invoice_id), (self.free, self.free))

    def test_class6_moving_line_into_confirmed_order_refused(self):
        confirmed = self._confirmed()
        quotation = self._rep_order(300)
        answer = self.call_kw("sale.order.line", "write", [quotation.order_line.ids, {"order_id": confirmed.id}])
        self.assertRpcRefused(answer, LIMIT_TEXT)
        self.assertEqual(quotation.order_line.order_id, quotation)

    def test_class6_currency_rate_by_date_refused(self):
        """A foreign-currency order moved to a date of a weaker rate grows in company currency."""
        eur = self.setup_other_currency(
            "EUR", rates=[("2001-01-01", 1.0), (fields.Date.to_string(self.today - timedelta(days=10)), 2.0)]
        )
        pricelist = self.env["product.pricelist"].create({"name": "EUR", "currency_id": eur.id})
        order = self._confirmed(300, pricelist_id=pricelist.id)
        self.assertAlmostEqual(order.currency_rate, 2.0)
        answer = self.call_kw("sale.order", "write", [order.ids, {"date_order": "2001-06-01 00:00:00"}])
        self.assertRpcRefused(answer, LIMIT_TEXT)
        self.assertAlmostEqual(order.currency_rate, 2.0)
        self.assertEqual(order.date_order.year, self.today.year)

    def test_class6_ordinary_changes_pass(self):
        """Decreases, notes, locking and cancelling pass even beyond the limit."""
        order = self._confirmed(200)
        self.customer.with_user(self.user_credit).credit_limit = 500.0
        self.assertRpcPassed(self.call_kw("sale.order.line", "write", [order.order_line.ids, {"product_uom_qty": 1}]))
        self.assertRpcPassed(
            self.call_kw(
                "sale.order",
                "write",
                [order.ids, {"note": "<p>Deliver Monday</p>", "client_order_ref": "PO-7"}],
            )
        )
        self.assertRpcPassed(
            self.call_kw(
                "sale.order",
                "write",
                [order.ids, {"order_line": [Command.create({"display_type": "line_note", "name": "Fragile"})]}],
            )
        )
        self.assertRpcPassed(self.call_kw("sale.order", "action_lock", [order.ids]))
        self.assertRpcPassed(self.call_kw("sale.order", "action_unlock", [order.ids]))
        self.assertRpcPassed(
            self.call_kw("sale.order", "action_cancel", [order.ids], {"context": {"disable_cancel_warning": True}})
        )
        self.assertEqual(order.state, "cancel")

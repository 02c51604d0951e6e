import json
from datetime import timedelta

from odoo import Command, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.tests import new_test_user


class CreditCase(AccountTestInvoicingCommon):
    """Accounting company with a chart, a rep, a credit controller and a customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The accounting test user sets limits and holds: a Credit Controller, as the
        # admin user is (Invoicing administrators are not).
        cls.env.user.sudo().groups_id = [Command.link(cls.env.ref("sales_management.group_sales_management_credit").id)]
        cls.company = cls.env.company
        cls.currency = cls.company.currency_id
        company_kw = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.user_rep = new_test_user(
            cls.env, login="sm_credit_rep", name="Rep Ruth", groups="sales_team.group_sale_salesman", **company_kw
        )
        cls.user_credit = new_test_user(
            cls.env,
            login="sm_credit_ctl",
            name="Credit Chen",
            groups="base.group_user,sales_management.group_sales_management_credit",
            **company_kw,
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Credit Customer", "is_company": True, "user_id": cls.user_rep.id}
        )
        cls.customer.credit_limit = 1000.0
        cls.product = cls.env["product.product"].create(
            {
                "name": "Credit Widget",
                "type": "service",
                "invoice_policy": "order",
                "lst_price": 100.0,
                "taxes_id": [Command.clear()],
                "property_account_income_id": cls.company_data["default_account_revenue"].id,
            }
        )
        cls.company.credit_overdue_tolerance_days = 30
        cls.today = fields.Date.today()

    @classmethod
    def _invoice(cls, amount, partner=None, days_ago=0, due_days=0, post=True, move_type="out_invoice", company=None):
        date = cls.today - timedelta(days=days_ago)
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or cls.customer).id,
                "invoice_date": date,
                "invoice_date_due": date + timedelta(days=due_days),
                "company_id": (company or cls.company).id,
                "invoice_line_ids": [
                    Command.create({"name": "line", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]})
                ],
            }
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def _order(cls, amount, partner=None, user=None, **vals):
        env = cls.env(user=user) if user else cls.env
        return env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.product.id, "product_uom_qty": amount / 100.0, "price_unit": 100.0}
                    )
                ],
                **vals,
            }
        )

    @classmethod
    def _pay(cls, invoice, amount=None, days_ago=0):
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "payment_date": cls.today - timedelta(days=days_ago),
                    **({"amount": amount} if amount else {}),
                }
            )
            ._create_payments()
        )


class CreditRpcMixin:
    """Real RPC as a user with a password: JSON-RPC as the web client sends it, and XML-RPC.

    Mixed into an ``HttpCase``; every user made by ``new_test_user`` has his login as password.
    """

    def _jsonrpc(self, url, params):
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
        response = self.url_open(url, data=json.dumps(payload), headers={"Content-Type": "application/json"})
        response.raise_for_status()
        return response.json()

    def rpc_login(self, user):
        """Log in through /web/session/authenticate, as the web client does."""
        result = self._jsonrpc(
            "/web/session/authenticate", {"db": self.env.cr.dbname, "login": user.login, "password": user.login}
        )
        self.assertNotIn("error", result, result.get("error"))
        self.assertEqual(result["result"]["uid"], user.id)

    def call_kw(self, model, method, args, kwargs=None):
        """``/web/dataset/call_kw`` as the logged-in user: the JSON answer (``result`` or ``error``)."""
        return self._jsonrpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def assertRpcRefused(self, answer, text=None):
        """The call failed (nothing committed by it), with ``text`` in its message when given."""
        self.assertIn("error", answer, f"the call passed: {answer.get('result')}")
        if text:
            self.assertIn(text, answer["error"]["data"]["message"])
        self.env.invalidate_all()

    def assertRpcPassed(self, answer):
        self.assertNotIn("error", answer, answer.get("error", {}).get("data", {}).get("message"))
        self.env.invalidate_all()
        return answer.get("result")

    def xmlrpc(self, user, model, method, args, kwargs=None):
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, user.id, user.login, model, method, args, kwargs or {})

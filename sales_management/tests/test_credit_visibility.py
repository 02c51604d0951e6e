from odoo import Command
from odoo.tests import new_test_user, tagged

from .credit_common import CreditCase
from .rpc_common import JsonRpcMixin

ACCESS_ERROR = "odoo.exceptions.AccessError"
# A customer's credit as res.partner shows it: hold, limit, exposure, score, ageing, profile.
PARTNER_CREDIT_FIELDS = [
    "credit_hold",
    "credit_hold_reason",
    "credit_available",
    "credit_exposure",
    "credit_exposure_orders",
    "credit_limit_display",
    "credit_score",
    "credit_score_breakdown",
    "credit_grade_id",
    "is_credit_grade_override",
    "credit_override_reason",
    "credit_overdue_amount",
    "credit_ageing_1_30",
    "credit_dso",
    "credit_history_count",
    "credit_payment_behaviour",
    "credit_total_liabilities",
]
ORDER_CREDIT_FIELDS = [
    "partner_credit_hold",
    "partner_credit_hold_reason",
    "partner_credit_available",
    "partner_credit_grade_id",
]


@tagged("post_install", "-at_install")
class TestCreditVisibility(CreditCase, JsonRpcMixin):
    """Portal users and employees without Sales rights read none of a customer's credit,
    whatever the RPC call; salespeople read it on their quotations."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_kw = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.customer.with_user(cls.user_credit).write({"credit_hold": True, "credit_hold_reason": "Bounced cheque"})
        cls.customer.write({"credit_payment_behaviour": "Pays late in winter", "credit_total_liabilities": 5000.0})
        cls.user_portal = new_test_user(cls.env, login="sm_vis_portal", groups="base.group_portal", **company_kw)
        cls.user_portal.partner_id.parent_id = cls.customer
        # An employee with contacts and export rights, and a billing clerk who reads orders.
        cls.user_internal = new_test_user(
            cls.env,
            login="sm_vis_internal",
            groups="base.group_user,base.group_partner_manager,base.group_allow_export",
            **company_kw,
        )
        cls.user_billing = new_test_user(
            cls.env,
            login="sm_vis_billing",
            groups="account.group_account_invoice,base.group_allow_export",
            **company_kw,
        )
        cls.order = cls._order(300, user=cls.user_rep)
        cls.order.message_subscribe(partner_ids=cls.user_portal.partner_id.ids)
        cls.outsiders = ("sm_vis_portal", "sm_vis_internal", "sm_vis_billing")

    def test_outsiders_can_read_the_records(self):
        """The refusals below are about the credit fields, not the records."""
        for login in self.outsiders:
            self.rpc_login(login)
            with self.subTest(login=login):
                self.assertEqual(
                    self.assertRpcOk("res.partner", "read", [self.customer.id], ["name"])[0]["name"], "Credit Customer"
                )
        for login in ("sm_vis_portal", "sm_vis_billing"):
            self.rpc_login(login)
            self.assertEqual(self.assertRpcOk("sale.order", "read", [self.order.id], ["name"])[0]["id"], self.order.id)

    def test_partner_read_refused(self):
        for login in self.outsiders:
            self.rpc_login(login)
            with self.subTest(login=login):
                for fname in PARTNER_CREDIT_FIELDS:
                    message = self.assertRpcRefused("res.partner", "read", [self.customer.id], [fname])
                    self.assertIn(fname, message)
                # read() without fields reads what fields_get lists.
                self.assertFalse(set(PARTNER_CREDIT_FIELDS) & set(self.assertRpcOk("res.partner", "fields_get")))
                self.assertRpcRefused("res.partner", "web_read", [self.customer.id], {"credit_hold_reason": {}})
                self.assertRpcRefused(
                    "res.partner", "search_read", [("id", "=", self.customer.id)], ["name", "credit_available"]
                )
                self.assertRpcRefused(
                    "res.partner",
                    "web_search_read",
                    [("id", "=", self.customer.id)],
                    {"name": {}, "credit_exposure": {}},
                )
                self.assertRpcRefused(
                    "res.users", "read", [self.env["res.users"].search([("login", "=", login)]).id], ["credit_hold"]
                )

    def test_partner_search_on_credit_refused(self):
        domains = [
            [("credit_hold", "=", True)],
            [("credit_hold", "!=", False)],
            [("credit_grade_id", "!=", False)],
            [("credit_grade_id.name", "=", "A")],
            [("credit_total_liabilities", ">", 0)],
            [("credit_payment_behaviour", "ilike", "late")],
        ]
        for login in self.outsiders:
            self.rpc_login(login)
            with self.subTest(login=login):
                for domain in domains:
                    self.assertRpcRefused("res.partner", "search", domain)
                    self.assertRpcRefused("res.partner", "search_count", domain)
                    self.assertRpcRefused("res.partner", "search_read", domain, ["name"])
                    self.assertRpcRefused("res.partner", "read_group", domain, ["name"], ["name"])
                    self.assertRpcRefused("res.partner", "name_search", "", domain)
                self.assertRpcRefused(
                    "res.partner", "read_group", [], ["credit_total_liabilities:sum"], ["credit_industry_position"]
                )
                self.assertRpcRefused("res.partner", "search", [], order="credit_total_liabilities desc")

    def test_partner_export_refused(self):
        for login in self.outsiders:
            self.rpc_login(login)
            with self.subTest(login=login):
                # The portal user may not export at all; the others not these fields.
                exception = (ACCESS_ERROR, "odoo.exceptions.UserError") if login == "sm_vis_portal" else ACCESS_ERROR
                for fname in ("credit_hold_reason", "credit_available", "credit_payment_behaviour"):
                    self.assertRpcRefused(
                        "res.partner", "export_data", [self.customer.id], [fname], exception=exception
                    )
                self.assertRpcRefused(
                    "res.partner",
                    "export_data",
                    [self.user_portal.partner_id.id],
                    ["name", "parent_id/credit_exposure"],
                    exception=exception,
                )

    def test_partner_onchange_refused(self):
        self.rpc_login("sm_vis_internal")
        self.assertRpcRefused("res.partner", "onchange", [], {}, [], {"name": {}, "credit_hold_reason": {}})
        self.assertRpcRefused(
            "res.partner", "onchange", [self.customer.id], {}, ["name"], {"name": {}, "credit_available": {}}
        )

    def test_order_credit_refused(self):
        for login in ("sm_vis_portal", "sm_vis_billing"):
            with self.subTest(login=login):
                self.rpc_login(login)
                for fname in ORDER_CREDIT_FIELDS:
                    self.assertRpcRefused("sale.order", "read", [self.order.id], [fname])
                    self.assertRpcRefused("sale.order", "web_read", [self.order.id], {fname: {}})
                    self.assertRpcRefused("sale.order", "search_read", [("id", "=", self.order.id)], [fname])
                self.assertRpcRefused(
                    "sale.order",
                    "web_read",
                    [self.order.id],
                    {"partner_id": {"fields": {"display_name": {}, "credit_hold_reason": {}}}},
                )
                self.assertRpcRefused("sale.order", "search", [("partner_id.credit_hold", "=", True)])
                self.assertRpcRefused(
                    "sale.order", "read_group", [("partner_id.credit_hold", "=", True)], ["name"], ["name"]
                )
                exception = (ACCESS_ERROR, "odoo.exceptions.UserError") if login == "sm_vis_portal" else ACCESS_ERROR
                for path in (
                    "partner_credit_hold_reason",
                    "partner_id/credit_hold_reason",
                    "partner_id/credit_available",
                ):
                    self.assertRpcRefused("sale.order", "export_data", [self.order.id], [path], exception=exception)

    def test_outsider_duplicates_a_customer_whole(self):
        """Copying reads the profile for him (he is shown nothing of it)."""
        self.env.invalidate_all()  # as in his own request: nothing read yet
        copy = self.customer.with_user(self.user_internal).copy({"name": "Copied Customer"})
        self.assertEqual(copy.sudo().credit_payment_behaviour, "Pays late in winter")
        self.assertEqual(copy.sudo().credit_total_liabilities, 5000.0)
        self.assertEqual(copy.sudo().credit_limit, 0.0)

    def test_credit_models_refused(self):
        for login in self.outsiders:
            self.rpc_login(login)
            with self.subTest(login=login):
                for model in (
                    "sales.credit.status",
                    "sales.credit.history",
                    "sales.credit.balance",
                    "sales.credit.grade",
                ):
                    self.assertRpcRefused(model, "search_read", [], ["display_name"])

    def test_rep_reads_his_customers_credit_on_the_quotation(self):
        self.rpc_login("sm_credit_rep")
        order = self.assertRpcOk("sale.order", "read", [self.order.id], ORDER_CREDIT_FIELDS)[0]
        self.assertTrue(order["partner_credit_hold"])
        self.assertEqual(order["partner_credit_hold_reason"], "Bounced cheque")
        self.assertEqual(order["partner_credit_available"], 1000.0)
        partner = self.assertRpcOk("res.partner", "read", [self.customer.id], ["credit_hold", "credit_available"])[0]
        self.assertEqual(partner["credit_available"], 1000.0)
        # Read-only: the hold is the Credit Controller's.
        self.assertRpcRefused("res.partner", "write", [self.customer.id], {"credit_hold": False})
        self.assertRpcOk("sale.order", "write", [self.order.id], {"partner_credit_hold": False})
        self.customer.invalidate_recordset()
        self.assertTrue(self.customer.credit_hold)
        self.assertTrue(self.order.partner_credit_hold)

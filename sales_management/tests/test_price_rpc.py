"""Price floors attacked as a sales rep would, over real JSON-RPC (a session opened with
the rep's password): every path into 'sale', approvals forged, decided or imported."""

from odoo import Command
from odoo.tests import tagged

from .price_common import PriceCase
from .rpc_common import JsonRpcMixin

FLOOR_TEXT = "below the price floor"
USER_ERROR = "odoo.exceptions.UserError"
ACCESS_ERROR = "odoo.exceptions.AccessError"
# Context keys a rep may send: none of them may matter.
ATTACK_CONTEXTS = [
    {},
    {"skip_price_floor": True, "price_floor_check": False, "skip_credit_check": True},
    {"install_mode": 1, "import_file": 1, "tracking_disable": 1},
    {"default_price_exception_ids": [Command.create({"state": "approved"})]},
    {"default_state": "approved", "default_decided_by_id": 1},
]


@tagged("post_install", "-at_install")
class TestPriceRpc(JsonRpcMixin, PriceCase):
    def setUp(self):
        super().setUp()
        self.rpc_login(self.user_rep.login)
        self.order = self._quotation(discount=20.0)

    def _line(self, discount=30.0):
        return {"product_id": self.product.id, "product_uom_qty": 2, "price_unit": 100.0, "discount": discount}

    def _count(self):
        return self.env["sale.order"].search_count([("partner_id", "=", self.customer.id)])

    def test_confirmation_below_floor_refused(self):
        for context in ATTACK_CONTEXTS:
            with self.subTest(context=context):
                message = self.assertRpcRefused(
                    "sale.order", "action_confirm", self.order.ids, exception=USER_ERROR, context=context
                )
                self.assertIn(FLOOR_TEXT, message)
                self.order.invalidate_recordset()
                self.assertEqual(self.order.state, "draft")

    def test_every_write_path_refused(self):
        before = self._count()
        calls = [
            ("write", [self.order.ids, {"state": "sale"}], {}),
            ("web_save", [self.order.ids, {"state": "sale"}], {"specification": {}}),
            ("write", [self.order.ids, {"state": "sale", "order_line": [Command.create(self._line())]}], {}),
            (
                "create",
                [{"partner_id": self.customer.id, "state": "sale", "order_line": [Command.create(self._line())]}],
                {},
            ),
            (
                "create",
                [{"partner_id": self.customer.id, "order_line": [Command.create(self._line())]}],
                {"context": {"default_state": "sale"}},
            ),
            ("copy", [self.order.ids], {"default": {"state": "sale"}}),
        ]
        for method, args, kwargs in calls:
            with self.subTest(method=method, args=args):
                message = self.assertRpcRefused("sale.order", method, *args, exception=USER_ERROR, **kwargs)
                self.assertIn(FLOOR_TEXT, message)
        self.order.invalidate_recordset()
        self.assertEqual((self.order.state, self._count()), ("draft", before))

    def test_import_confirmed_below_floor_refused(self):
        before = self._count()
        result = self.assertRpcOk(
            "sale.order",
            "load",
            [
                "partner_id/.id",
                "state",
                "order_line/product_id/.id",
                "order_line/product_uom_qty",
                "order_line/discount",
            ],
            [[str(self.customer.id), "sale", str(self.product.id), "3", "40"]],
        )
        self.assertFalse(result["ids"])
        self.assertIn(FLOOR_TEXT, " ".join(m["message"] for m in result["messages"]))
        self.assertEqual(self._count(), before)

    def test_rep_cannot_forge_or_decide(self):
        vals = {
            "order_id": self.order.id,
            "partner_id": self.customer.id,
            "company_id": self.company.id,
            "currency_id": self.order.currency_id.id,
            "state": "approved",
        }
        self.assertRpcRefused("sales.price.exception", "create", [vals])
        self.assertRpcRefused("sale.order", "write", self.order.ids, {"price_exception_ids": [Command.create(vals)]})
        result = self.assertRpcOk(
            "sales.price.exception",
            "load",
            ["order_id/.id", "partner_id/.id", "company_id/.id", "currency_id/.id", "state"],
            [
                [
                    str(self.order.id),
                    str(self.customer.id),
                    str(self.company.id),
                    str(self.order.currency_id.id),
                    "approved",
                ]
            ],
        )
        self.assertFalse(result["ids"])
        # The one click, with forged defaults: a request, nothing more.
        self.assertRpcOk(
            "sale.order",
            "action_request_price_exception",
            self.order.ids,
            context={"default_state": "approved", "default_decided_by_id": self.user_manager.id},
        )
        exception = self.order.price_exception_ids
        self.assertRecordValues(exception, [{"state": "requested", "decided_by_id": False}])
        self.assertRpcRefused("sales.price.exception", "write", exception.ids, {"state": "approved"})
        self.assertRpcRefused("sales.price.exception", "copy", exception.ids, exception=(USER_ERROR, ACCESS_ERROR))
        self.assertRpcRefused("sales.price.exception", "_decide", self.order.ids, "mine")
        self.assertRpcRefused("sales.price.exception.wizard", "create", [{"order_id": self.order.id, "reason": "mine"}])
        self.assertRpcRefused("sale.order", "action_confirm", self.order.ids, exception=USER_ERROR)
        self.env.invalidate_all()
        self.assertEqual((exception.state, self.order.state), ("requested", "draft"))

    def test_manager_approval_over_rpc_lets_it_pass_once(self):
        self.assertRpcOk("sale.order", "action_request_price_exception", self.order.ids)
        self.rpc_login(self.user_manager.login)
        wizard_ids = self.assertRpcOk(
            "sales.price.exception.wizard", "create", [{"order_id": self.order.id, "reason": "Tender won"}]
        )
        self.assertRpcOk("sales.price.exception.wizard", "action_approve", wizard_ids)
        self.rpc_login(self.user_rep.login)
        # A change voids it over RPC too; the manager approves again; the rep confirms.
        self.assertRpcOk("sale.order.line", "write", self.order.order_line.ids, {"discount": 21.0})
        self.env.invalidate_all()
        self.assertEqual(self.order.price_exception_ids[:1].state, "void")
        self.assertRpcRefused("sale.order", "action_confirm", self.order.ids, exception=USER_ERROR)
        self._approve(self.order)
        self.assertRpcOk("sale.order", "action_confirm", self.order.ids)
        self.env.invalidate_all()
        self.assertEqual((self.order.state, self.order.price_exception_ids[:1].state), ("sale", "used"))
        # The confirmed order's line cannot then go further below.
        self.assertRpcRefused(
            "sale.order.line", "write", self.order.order_line.ids, {"discount": 40.0}, exception=USER_ERROR
        )

    def test_rep_cannot_leave_the_grade_pricelist(self):
        self.assertRpcRefused(
            "res.partner",
            "write",
            self.customer.ids,
            {"property_product_pricelist": self.other_pricelist.id},
            exception=USER_ERROR,
        )
        self.assertRpcRefused(
            "sales.credit.status",
            "write",
            self.env["sales.credit.status"]._get_status(self.customer, self.company).ids,
            {"is_pricelist_override": True, "pricelist_override_reason": "mine"},
        )
        self.env.invalidate_all()
        self.assertEqual(self.customer.property_product_pricelist, self.pricelist)

import psycopg2.errors

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestCreditConcurrency(TransactionCase):
    """Two confirmations for one customer at the same moment: only one passes.

    Runs on real, separately committed cursors; everything it commits is removed
    at the end.
    """

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "Concurrent Customer", "is_company": True})
            partner.credit_limit = 1000.0
            product = env["product.product"].create({"name": "Concurrent Widget", "type": "service"})
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "order_line": [
                            Command.create(
                                {"product_id": product.id, "product_uom_qty": 1, "price_unit": 600, "tax_id": False}
                            )
                        ],
                    }
                    for _i in range(2)
                ]
            )
            self.partner_id, self.product_id, self.order_ids = partner.id, product.id, orders.ids
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["sale.order"].browse(self.order_ids).exists()
            orders.with_context(disable_cancel_warning=True).action_cancel()
            orders.unlink()
            env["product.product"].browse(self.product_id).unlink()
            env["res.partner"].browse(self.partner_id).unlink()

    def _order(self, cr, index):
        return api.Environment(cr, SUPERUSER_ID, {})["sale.order"].browse(self.order_ids[index])

    @mute_logger("odoo.sql_db")
    def test_second_concurrent_confirmation_fails_then_is_refused(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            self._order(cr1, 0).action_confirm()
            # cr1 holds the customer's lock: cr2 fails at once (Odoo retries such errors).
            with self.assertRaises(psycopg2.errors.LockNotAvailable), cr2.savepoint(flush=False):
                self._order(cr2, 1).action_confirm()
            cr2.rollback()
            cr1.commit()
        # The retry sees the first order: 600 + 600 > 1000.
        with self.registry.cursor() as cr3:
            with self.assertRaises(UserError):
                self._order(cr3, 1).action_confirm()
            cr3.rollback()

    @mute_logger("odoo.sql_db")
    def test_stale_snapshot_cannot_pass(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            # cr2's snapshot starts before cr1 confirms and commits.
            self.assertEqual(self._order(cr2, 1).state, "draft")
            self._order(cr1, 0).action_confirm()
            cr1.commit()
            with self.assertRaises(psycopg2.errors.SerializationFailure), cr2.savepoint(flush=False):
                self._order(cr2, 1).action_confirm()
            cr2.rollback()

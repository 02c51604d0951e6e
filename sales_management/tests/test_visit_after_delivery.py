import datetime

from odoo import Command
from odoo.tests import freeze_time, tagged

from .visit_common import VisitCase

D = datetime.date


@tagged("post_install", "-at_install")
@freeze_time("2026-03-06")
class TestVisitAfterDelivery(VisitCase):
    """Friday 6 March 2026; next week is Monday 9 to Sunday 15."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.company.chart_template:
            cls.env["account.chart.template"].try_loading("generic_coa", company=cls.company, install_demo=False)
        cls.glue = cls.env["product.category"].create({"name": "Adhesives"})
        cls.wood_glue = cls.env["product.category"].create({"name": "Wood Glue", "parent_id": cls.glue.id})
        cls.other = cls.env["product.category"].create({"name": "Screws"})
        cls.glue_product = cls.env["product.product"].create(
            {"name": "Glue 5 kg", "list_price": 40.0, "categ_id": cls.wood_glue.id, "taxes_id": False}
        )
        cls.screw_product = cls.env["product.product"].create(
            {"name": "Screws 1000", "list_price": 15.0, "categ_id": cls.other.id, "taxes_id": False}
        )
        cls.chosen, cls.plain, cls.third, _fourth = cls.customers
        cls.company.write(
            {
                "visit_after_delivery_days": 3,
                "visit_after_delivery_partner_ids": [Command.set(cls.chosen.ids)],
                "visit_after_delivery_categ_ids": [Command.set(cls.glue.ids)],
            }
        )

    def _invoiced_order(self, partner, product, day):
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": self.user_rep.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 2})],
            }
        )
        order.action_confirm()
        order.order_line.qty_delivered = 2
        invoice = order._create_invoices()
        invoice.invoice_date = day
        invoice.action_post()
        return order

    def _after_delivery(self, orders):
        return self.env["sales.visit"].search([("after_delivery_order_id", "in", orders.ids)])

    def test_invoiced_order_of_chosen_customer_proposes_one_visit(self):
        # Invoiced Thursday 5: due Sunday 8, proposed on Monday 9 by the weekly job.
        order = self._invoiced_order(self.chosen, self.screw_product, D(2026, 3, 5))
        self.env["sales.visit"]._cron_visit_weekly()
        visit = self._after_delivery(order)
        self.assertEqual(len(visit), 1)
        self.assertEqual(
            (visit.date, visit.purpose, visit.mode, visit.user_id, visit.partner_id),
            (D(2026, 3, 9), "after_delivery", "in_person", self.user_rep, self.chosen),
        )
        self.assertIn(order.name, visit.goal)
        # Re-running the weekly job, or its proposal logic, creates none twice.
        self.env["sales.visit"]._cron_visit_weekly()
        self.env["sales.visit"]._propose_visits(self.user_rep, D(2026, 3, 9), D(2026, 3, 15))
        self.assertEqual(self._after_delivery(order), visit)
        # Done or cancelled, it is never proposed again.
        visit.write({"state": "cancelled", "reason": "Customer away"})
        self.env["sales.visit"]._propose_visits(self.user_rep, D(2026, 3, 9), D(2026, 3, 22))
        self.assertEqual(self._after_delivery(order), visit)

    def test_product_category_chosen_in_settings(self):
        glue_order = self._invoiced_order(self.plain, self.glue_product, D(2026, 3, 5))
        screw_order = self._invoiced_order(self.third, self.screw_product, D(2026, 3, 5))
        self.env["sales.visit"]._propose_visits(self.user_rep, D(2026, 3, 9), D(2026, 3, 15))
        self.assertEqual(len(self._after_delivery(glue_order)), 1, "subcategory of a chosen category")
        self.assertFalse(self._after_delivery(screw_order), "neither the customer nor the category is chosen")

    def test_due_day_moves_past_holiday_and_waits_its_week(self):
        self._holiday(D(2026, 3, 9))
        order = self._invoiced_order(self.chosen, self.glue_product, D(2026, 3, 5))
        self.assertFalse(
            self.env["sales.visit"]
            ._propose_visits(self.user_rep, D(2026, 3, 2), D(2026, 3, 8))
            .filtered("after_delivery_order_id"),
            "not due this week",
        )
        self.env["sales.visit"]._propose_visits(self.user_rep, D(2026, 3, 9), D(2026, 3, 15))
        self.assertEqual(self._after_delivery(order).date, D(2026, 3, 10))

    def test_old_deliveries_are_not_proposed(self):
        order = self._invoiced_order(self.chosen, self.glue_product, D(2025, 11, 3))
        self.env["sales.visit"]._propose_visits(self.user_rep, D(2026, 3, 9), D(2026, 3, 15))
        self.assertFalse(self._after_delivery(order))

    def test_propose_visits_of_a_plan_and_negative_feedback(self):
        order = self._invoiced_order(self.chosen, self.glue_product, D(2026, 3, 5))
        plan = self.env["sales.visit.plan"].with_user(self.user_rep).create({})
        plan.with_user(self.user_rep).action_propose_visits()
        visit = self._after_delivery(order)
        self.assertEqual(visit.plan_id, plan)
        self.assertEqual(visit.date, D(2026, 3, 9))
        with freeze_time("2026-03-09 10:00:00"):
            visit = visit.with_user(self.user_rep)
            visit.action_check_in()
            visit.write({"satisfaction": "1", "feedback": "The glue cracks after a week."})
            visit.action_check_out()
        complaint = visit.sudo().complaint_ids
        self.assertEqual((complaint.sale_order_id, complaint.visit_id, complaint.channel), (order, visit, "visit"))
        self.assertEqual(visit.survey_id.score, 1)

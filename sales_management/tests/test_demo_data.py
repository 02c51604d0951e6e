from unittest import SkipTest

from odoo import Command
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoStory(TransactionCase):
    """The demo tells one story, and its generators live in demo/, not in the business models."""

    def test_generators_out_of_the_business_models(self):
        moved = {
            "sales.credit.status": "_generate_credit_demo",
            "sales.quota.plan": "_create_demo_history",
            "sales.visit": "_load_demo_visits",
            "sales.complaint": "_create_demo_complaints",
            "sales.rep.scorecard": "_create_demo_performance",
        }
        for model, method in moved.items():
            self.assertFalse(hasattr(self.env[model], method), f"{model}.{method}")
        for model, method in (
            ("sales.management.demo.credit", "_load_credit_demo"),
            ("sales.management.demo.quota", "_load_quota_demo"),
            ("sales.management.demo.visit", "_load_visit_demo"),
            ("sales.management.demo.complaint", "_load_complaint_demo"),
            ("sales.management.demo.performance", "_load_performance_demo"),
            ("sales.management.demo", "_load_demo_story"),
        ):
            Demo = self.env[model]
            self.assertTrue(Demo._abstract, model)
            self.assertTrue(callable(getattr(Demo, method)), model)

    def test_one_customer_across_the_capabilities(self):
        rep = self.env.ref("sales_management.user_demo_rep", raise_if_not_found=False)
        jade = self.env.ref("sales_management.partner_demo_jade_mountain", raise_if_not_found=False)
        if not rep or not jade:
            raise SkipTest("installed without demo data")
        self.assertEqual(jade.user_id, rep)
        status = self.env["sales.credit.status"].search([("partner_id", "=", jade.id)])
        self.assertIn(status.credit_state, ("overdue", "over_limit", "hold"))
        done = self.env["sales.visit"].search([("partner_id", "=", jade.id), ("state", "=", "done")])
        self.assertTrue(done)
        for visit in done:
            self.assertTrue(visit.check_in and visit.check_in_latitude and visit.outcome and visit.plan_id)
        self.assertTrue(done.followup_visit_id)
        complaint = self.env["sales.complaint"].search([("partner_id", "=", jade.id)])
        self.assertTrue(complaint.visit_id & done)
        self.assertTrue(complaint.invoice_id)
        self.assertTrue(self.env["sale.order"].search([("partner_id", "=", jade.id), ("user_id", "=", rep.id)]))
        # Credit customers have visits and complaints; visits have varied goals.
        credit_partners = self.env["sales.credit.status"].search([("hold", "=", True)]).partner_id
        self.assertTrue(self.env["sales.visit"].search_count([("partner_id", "in", credit_partners.ids)]))
        self.assertTrue(self.env["sales.complaint"].search_count([("partner_id", "in", credit_partners.ids)]))
        goals = self.env["sales.visit"].search([]).mapped("goal")
        self.assertGreater(len(set(goals)), 5)

    def test_demo_rep_makes_his_first_quotation(self):
        rep = self.env.ref("sales_management.user_demo_rep", raise_if_not_found=False)
        golden = self.env.ref("sales_management.partner_demo_golden_dragon", raise_if_not_found=False)
        if not rep or not golden:
            raise SkipTest("installed without demo data")
        self.assertFalse(rep.has_group("sales_team.group_sale_salesman_all_leads"))
        product = self.env["product.product"].search([("sale_ok", "=", True)], limit=1)
        order = (
            self.env["sale.order"]
            .with_user(rep)
            .create({"partner_id": golden.id, "order_line": [Command.create({"product_id": product.id})]})
        )
        self.assertEqual(order.user_id, rep)
        order.with_user(rep).read(["name", "amount_total"])

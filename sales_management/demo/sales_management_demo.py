"""Demo data of sales_management, kept out of the business models (as Odoo's
account/demo/account_demo.py): the demo XML files call these methods with
``<function model="sales.management.demo" name="..."/>``; nothing in production calls them.
One file per capability (credit, quota, complaint, visit, performance), and here the story
that ties them together around one customer."""

import datetime
import logging

from odoo import Command, api, fields, models

_logger = logging.getLogger(__name__)

# The credit demo's customers, by xml id (sales_management.<id>).
CREDIT_DEMO_PARTNERS = {
    "Golden Dragon Trading Co.": "partner_demo_golden_dragon",
    "Eastern Pearl Hardware": "partner_demo_eastern_pearl",
    "Riverside Building Supplies": "partner_demo_riverside",
    "Jade Mountain Furniture": "partner_demo_jade_mountain",
    "Harbour Star Retail": "partner_demo_harbour_star",
    "Northwind Decoration": "partner_demo_northwind",
    "Silk Road Distributors": "partner_demo_silk_road",
    "Lotus Interiors": "partner_demo_lotus",
}


class SalesManagementDemo(models.AbstractModel):
    _name = "sales.management.demo"
    _description = "Sales Management Demo Data"

    @api.model
    def _demo_weekday_before(self, days_ago):
        day = fields.Date.context_today(self) - datetime.timedelta(days=days_ago)
        while day.weekday() >= 5:
            day -= datetime.timedelta(days=1)
        return day

    @api.model
    def _demo_ref(self, name):
        return self.env.ref(f"sales_management.{name}", raise_if_not_found=False)

    @api.model
    def _load_demo_story(self):
        """The story: Li Wei, the demo rep (login ``rep``), serves two credit customers of his
        own, so his first quotation for them works. Jade Mountain Furniture, one of them, has an
        invoice overdue (a yellow row in the credit overview); it is in Li Wei's visit plan, with
        a collection visit done (check-in at the customer, outcome), a complaint raised during it
        on one of its invoices, a follow-up visit planned, a quotation made at the visit, and its
        invoices for the statement of account. Other credit customers get visits and a
        complaint too."""
        rep = self._demo_ref("user_demo_rep")
        jade = self._demo_ref("partner_demo_jade_mountain")
        golden = self._demo_ref("partner_demo_golden_dragon")
        if not rep or not jade or not golden:
            _logger.info("No demo rep or credit demo customers: the demo story is skipped.")
            return
        today = fields.Date.context_today(self)
        team = self.env.ref("sales_team.team_sales_department", raise_if_not_found=False)
        if team:
            team.sudo().member_ids = [Command.link(rep.id)]
        positions = {jade: (31.2304, 121.4737), golden: (31.2397, 121.4998)}
        for partner, (latitude, longitude) in positions.items():
            partner.write(
                {
                    "user_id": rep.id,
                    "visit_user_id": rep.id,
                    "visit_frequency": "biweekly",
                    "partner_latitude": latitude,
                    "partner_longitude": longitude,
                    "city": "Shanghai",
                }
            )
        Visit = self.env["sales.visit"]
        month = today.replace(day=1)
        plan = self.env["sales.visit.plan"].search(
            [("user_id", "=", rep.id), ("date_from", "<=", today), ("date_to", ">=", today)], limit=1
        ) or self.env["sales.visit.plan"].create(
            {"user_id": rep.id, "date_from": month, "date_to": fields.Date.end_of(today, "month")}
        )
        done_day = self._demo_weekday_before(2)
        if done_day < month:
            done_day = today
        visit = Visit.create(
            {
                "user_id": rep.id,
                "partner_id": jade.id,
                "date": done_day,
                "purpose": "collection",
                "goal": "Collect the overdue invoice and agree on a payment date for the rest.",
            }
        )
        start = datetime.datetime.combine(done_day, datetime.time(10, 15))
        visit.write(
            {
                "state": "done",
                "check_in": start,
                "check_out": start + datetime.timedelta(minutes=50),
                "check_in_latitude": 31.2306,
                "check_in_longitude": 121.4741,
                "result": "complaint",
                "outcome": "Will pay the overdue invoice once the cracked table tops are replaced; "
                "asked for a quotation for the spring range.",
                "next_step": "Come back with the after-sales engineer and the replacement tops.",
                # The complaint's follow-up visit, planned by the outcome on this day.
                "next_visit_date": today + datetime.timedelta(days=7),
                "feedback": "Happy with the designs; the packaging must be stronger.",
            }
        )
        Visit.create(
            {
                "user_id": rep.id,
                "partner_id": golden.id,
                "date": today + datetime.timedelta(days=3),
                "purpose": "promotion",
                "goal": "Present the spring promotion and agree on the quarterly volume.",
            }
        )
        invoice = self.env["account.move"].search(
            [("partner_id", "=", jade.id), ("move_type", "=", "out_invoice"), ("state", "=", "posted")],
            order="invoice_date desc",
            limit=1,
        )
        product = self.env["product.product"].search([("sale_ok", "=", True)], limit=1)
        complaint = self.env["sales.complaint"].create(
            {
                "partner_id": jade.id,
                "category_id": self.env.ref("sales_management.complaint_category_quality").id,
                "date_received": start + datetime.timedelta(minutes=30),
                "invoice_id": invoice.id,
                "visit_id": visit.id,
                "product_id": product.id,
                "quantity": 3,
                "description": "<p>Three table tops arrived cracked; the customer holds back the payment.</p>",
            }
        )
        complaint.write({"date_acknowledged": complaint.date_received + datetime.timedelta(hours=4)})
        complaint.write({"state": "acknowledged"})
        if product:
            self.env["sale.order"].create(
                {
                    "partner_id": jade.id,
                    "user_id": rep.id,
                    "team_id": team.id if team else False,
                    "visit_id": visit.id,
                    "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 20})],
                }
            )
        visit.followup_visit_id.goal = "Deliver the replacement table tops and collect the overdue payment."
        for plan_ in plan | visit.followup_visit_id.plan_id:
            if plan_.state == "draft" and plan_.date_from <= today:
                plan_.action_submit()
        self._load_demo_credit_visits()

    @api.model
    def _load_demo_credit_visits(self):
        """Marc's credit customers: a collection visit at the one most overdue, a delivery
        complaint from another."""
        northwind = self._demo_ref("partner_demo_northwind")
        harbour = self._demo_ref("partner_demo_harbour_star")
        rep = northwind.user_id if northwind else False
        if not northwind or not harbour or not rep:
            return
        northwind.write({"partner_latitude": 39.9042, "partner_longitude": 116.4074, "visit_user_id": rep.id})
        day = self._demo_weekday_before(4)
        visit = self.env["sales.visit"].create(
            {
                "user_id": rep.id,
                "partner_id": northwind.id,
                "date": day,
                "purpose": "collection",
                "goal": "Invoices four months overdue: agree on a payment plan before the hold.",
            }
        )
        start = datetime.datetime.combine(day, datetime.time(14, 30))
        visit.write(
            {
                "state": "done",
                "check_in": start,
                "check_out": start + datetime.timedelta(minutes=40),
                "check_in_latitude": 39.9045,
                "check_in_longitude": 116.4071,
                "result": "no_decision",
                "outcome": "The owner asks for three monthly instalments; to be approved by credit control.",
                "next_step": "Send the instalment proposal to the Credit Controller.",
            }
        )
        complaint = self.env["sales.complaint"].create(
            {
                "partner_id": harbour.id,
                "category_id": self.env.ref("sales_management.complaint_category_delivery").id,
                "date_received": fields.Datetime.now() - datetime.timedelta(days=3),
                "description": "<p>The last delivery came four days late; the shop missed a weekend sale.</p>",
            }
        )
        complaint.write({"date_acknowledged": complaint.date_received + datetime.timedelta(hours=6)})
        complaint.write({"state": "acknowledged"})

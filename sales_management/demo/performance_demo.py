import logging
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.fields import Command

from ..tools import scorecard as scorecard_tools

_logger = logging.getLogger(__name__)


class SalesManagementDemo(models.AbstractModel):
    _name = "sales.management.demo.performance"
    _inherit = "sales.management.demo"
    _description = "Sales Management Demo Data: Performance"

    @api.model
    def _load_performance_demo(self):
        """Demo: areas, new customers won, three months of forecasts, this year's scorecards
        (closed up to last month, scored by the manager) and two key-account reviews."""
        reps = self.env["res.users"]
        for xmlid in ("base.user_admin", "base.user_demo"):
            reps |= self.env.ref(xmlid, raise_if_not_found=False) or reps
        team = self.env.ref("sales_team.team_sales_department", raise_if_not_found=False)
        product = self.env["product.product"].search([("sale_ok", "=", True)], limit=1)
        if not team or len(reps) < 2 or not product:
            _logger.info("No sales team, demo reps or product: performance demo data skipped.")
            return
        areas = self._create_demo_areas(team, reps)
        self._create_demo_sales(team, reps, product, areas)
        self._create_demo_forecasts(reps)
        self._create_demo_scorecards(reps)
        self._create_demo_key_accounts(reps)

    @api.model
    def _create_demo_areas(self, team, reps):
        """Shared areas (like the demo sales team) on the team and the reps' customers."""
        admin, demo = reps[0], reps[1]
        Area = self.env["sales.area"]
        china = Area.create({"name": self.env._("China"), "code": "CN", "company_id": False})
        east, north, south = Area.create(
            [
                {"name": self.env._("East China"), "code": "EC", "parent_id": china.id, "company_id": False},
                {"name": self.env._("North China"), "code": "NC", "parent_id": china.id, "company_id": False},
                {"name": self.env._("South China"), "code": "SC", "parent_id": china.id, "company_id": False},
            ]
        )
        team.sudo().write({"area_id": east.id, "member_ids": [Command.link(rep.id) for rep in reps]})
        admin_customers = self.env["res.partner"].browse(
            [
                partner.id
                for xmlid in ("base.res_partner_1", "base.res_partner_2", "base.res_partner_3", "base.res_partner_4")
                if (partner := self.env.ref(xmlid, raise_if_not_found=False))
            ]
        )
        admin_customers.write({"user_id": admin.id, "area_id": east.id})
        demo_customers = self.env["res.partner"].search(
            [("user_id", "=", demo.id), ("is_company", "=", True), ("parent_id", "=", False)], order="id"
        )
        for index, partner in enumerate(demo_customers):
            partner.area_id = (north, south, east)[index % 3]
        return {"east": east, "north": north, "south": south}

    @api.model
    def _create_demo_sales(self, team, reps, product, areas):
        """Mitchell's invoices of this year (two customers a month, every other month paid),
        and new customers won: two by Marc last month, one by Mitchell this month."""
        company = self.env.company
        today = fields.Date.context_today(self)
        admin, demo = reps[0], reps[1]
        last_month = fields.Date.subtract(today.replace(day=1), months=1)
        admin_customers = self.env["res.partner"].search(
            [("user_id", "=", admin.id), ("is_company", "=", True), ("parent_id", "=", False)], order="id", limit=2
        )
        journal = self.env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
        if journal and len(admin_customers) == 2:
            moves = self.env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "journal_id": journal.id,
                        "invoice_date": month + timedelta(days=4 + 7 * index),
                        "invoice_date_due": month + timedelta(days=4 + 7 * index),
                        "invoice_user_id": admin.id,
                        "team_id": team.id,
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "product_id": product.id,
                                    "quantity": 1,
                                    "price_unit": 1000.0 + 150.0 * month.month + 400.0 * index,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                    for month in scorecard_tools.month_starts(today.replace(month=1, day=1), last_month)
                    for index, partner in enumerate(admin_customers)
                ]
            )
            moves.action_post()
            for move in moves.filtered(lambda m: m.invoice_date.month % 2 == 0):
                self.env["account.payment.register"].with_context(
                    active_model="account.move", active_ids=move.ids
                ).create({"payment_date": min(move.invoice_date + timedelta(days=15), today)})._create_payments()
        for name, rep, day, area in (
            (self.env._("Blue Crane Home Store"), demo, last_month + timedelta(days=9), areas["north"]),
            (self.env._("Red Maple Kitchens"), demo, last_month + timedelta(days=16), areas["south"]),
            (self.env._("Osmanthus Living"), admin, today.replace(day=1), areas["east"]),
        ):
            customer = self.env["res.partner"].create(
                {"name": name, "is_company": True, "user_id": rep.id, "area_id": area.id}
            )
            order = self.env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "user_id": rep.id,
                    "team_id": team.id,
                    "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 10})],
                }
            )
            order.action_confirm()
            order.date_order = datetime.combine(day, time(10, 0))

    @api.model
    def _create_demo_forecasts(self, reps):
        """Forecasts of last month (around what was bought), this month and next month."""
        company = self.env.company
        today = fields.Date.context_today(self)
        factors = [0.8, 1.15, 0.95, 1.3, 0.7, 1.05]
        for months in (-1, 0, 1):
            month = fields.Date.add(today.replace(day=1), months=months)
            for rep in reps:
                forecasts = self.env["sales.customer.forecast"]._prepare_forecasts(rep, month, company)
                for index, forecast in enumerate(forecasts.sorted("id")):
                    base = forecast.actual_amount if months < 0 else forecast.forecast_amount or 5000.0
                    forecast.forecast_amount = company.currency_id.round(
                        base * factors[(index + months) % len(factors)]
                    )

    @api.model
    def _create_demo_scorecards(self, reps):
        """This year's monthly scorecards: the months gone are scored by the manager and closed."""
        company = self.env.company
        today = fields.Date.context_today(self)
        Collection = self.env["sales.credit.collection"]
        Scorecard = self.env["sales.rep.scorecard"]
        for month in scorecard_tools.month_starts(today.replace(month=1, day=1), today):
            Collection._generate(month, company)
            date_from, date_to = scorecard_tools.period_bounds("month", month)
            Scorecard.with_company(company)._compute_scorecards(reps, "month", date_from, date_to)
        past = Scorecard.search(
            [("company_id", "=", company.id), ("period_type", "=", "month"), ("date_to", "<", today)]
        )
        for card in past:
            seed = card.date_from.month + card.user_id.id
            card.write(
                {
                    "attitude_score": 70.0 + (seed * 7) % 25,
                    "skill_score": 65.0 + (seed * 11) % 30,
                    "manager_comment": self.env._("Reviewed at the monthly sales meeting."),
                }
            )
        past.write({"state": "closed", "closed_by_id": reps[0].id, "closed_date": fields.Datetime.now()})

    @api.model
    def _create_demo_key_accounts(self, reps):
        """Two of Marc's customers become key accounts, with a concluded and a draft review."""
        key_accounts = self.env["res.partner"].search(
            [("user_id", "=", reps[1].id), ("is_company", "=", True), ("parent_id", "=", False)], order="id", limit=2
        )
        if len(key_accounts) < 2:
            return
        key_accounts.write({"is_key_account": True, "key_account_manager_id": reps[0].id})
        concluded, draft = self.env["sales.key.account.review"].create(
            [{"partner_id": partner.id} for partner in key_accounts]
        )
        concluded.write(
            {
                "rating": "develop",
                "conclusion": self.env._(
                    "<p>Pays on time and keeps growing: offer the AA price list and a quarterly review.</p>"
                ),
            }
        )
        concluded.action_conclude()
        draft.write({"rating": "watch"})

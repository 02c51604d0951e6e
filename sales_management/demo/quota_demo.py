from datetime import date

from odoo import api, fields, models


class SalesManagementDemo(models.AbstractModel):
    _name = "sales.management.demo.quota"
    _inherit = "sales.management.demo"
    _description = "Sales Management Demo Data: Plans & Quotas"

    @api.model
    def _load_quota_demo(self, invoices_per_month=6):
        """Three years of posted invoices with a seasonal pattern and product costs, this year's
        sales so far with a new product and a credit note, and a confirmed plan for this year
        with sales, margin, new-product and quantity targets."""
        company = self.env.company
        journal = self.env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
        products = self.env["product.product"].search(
            [("sale_ok", "=", True), ("type", "=", "consu"), ("company_id", "in", (False, company.id))], limit=6
        )
        partners = self.env["res.partner"].search(
            [("is_company", "=", True), ("id", "!=", company.partner_id.id), ("company_id", "in", (False, company.id))],
            limit=8,
        )
        if not journal or not products or not partners:
            return
        users = self.env.ref("base.user_admin") | self.env.ref("base.user_demo", raise_if_not_found=False)
        team = self.env.ref("sales_team.team_sales_department", raise_if_not_found=False)
        today = fields.Date.context_today(self)
        new_product = self.env["product.product"].create(
            {
                "name": self.env._("Demo New Product"),
                "type": "consu",
                "list_price": 600.0,
                "standard_price": 330.0,
                "launch_date": date(today.year, 1, 1),
                "categ_id": products[0].categ_id.id,
            }
        )
        # Peaks in spring and before the new year, a trough in summer.
        season = [0.6, 0.7, 1.2, 1.3, 1.1, 0.8, 0.5, 0.6, 1.0, 1.2, 1.4, 1.6]

        def invoice_values(day, i, product, price, quantity, move_type="out_invoice"):
            return {
                "move_type": move_type,
                "partner_id": partners[(i * 3 + day.month) % len(partners)].id,
                "invoice_date": day,
                "date": day,
                "journal_id": journal.id,
                "invoice_user_id": users[i % len(users)].id,
                "team_id": team.id if team else False,
                "invoice_line_ids": [
                    fields.Command.create(
                        {
                            "product_id": product.id,
                            "quantity": quantity,
                            "price_unit": price,
                            "tax_ids": [fields.Command.clear()],
                        }
                    )
                ],
            }

        # Costs are taken at posting: each year is posted at that year's costs
        # (55% of the price three years ago, rising a point a year).
        for year in range(today.year - 3, today.year + 1):
            for index, product in enumerate(products):
                product.standard_price = round((400.0 + 20 * (year - today.year + 3)) * (0.55 + 0.01 * index), 2)
            move_vals = []
            last_month = today.month - 1 if year == today.year else 12
            for month in range(1, last_month + 1):
                count = max(2, round(invoices_per_month * season[month - 1]))
                for i in range(count):
                    day = date(year, month, 1 + (i * 5) % 27)
                    product = products[(i + month) % len(products)]
                    price = 400.0 + 50 * (i % 5) + 20 * (year - today.year + 3)
                    move_vals.append(invoice_values(day, i, product, price, 1 + (i % 4)))
                if year == today.year:
                    move_vals.append(invoice_values(date(year, month, 15), month, new_product, 600.0, 2 + month % 3))
            moves = self.env["account.move"].create(move_vals)
            moves.action_post()
        # A credit note for a return: it reduces this year's sales and margin.
        returned = moves.filtered(lambda move: move.invoice_line_ids.product_id == new_product)[:1]
        if returned:
            refund = returned._reverse_moves(
                [
                    {
                        "invoice_date": returned.invoice_date,
                        "date": returned.date,
                        "invoice_user_id": returned.invoice_user_id.id,
                    }
                ]
            )
            refund.invoice_line_ids.quantity = 1
            refund.action_post()
        if team:
            team.sudo().member_ids |= users
        plan = self.env["sales.quota.plan"].create(
            {
                "year": today.year,
                "company_id": company.id,
                "target_mode": "derived",
                "growth_rate": 10.0,
                "quarterly_step": 5.0,
                "fixed_costs": 20000.0,
                "variable_costs": 0.0,
                "planned_profit": 10000.0,
                "net_profit_rate": 8.0,
                "planned_assets": 60000.0,
                "asset_turnover": 2.5,
                "headcount": len(users),
                "value_added_per_person": 40000.0,
                "value_added_rate": 45.0,
            }
        )
        plan._generate()
        # Margin at last year's rate, new products a twentieth of the sales, variable costs the goods' cost.
        last_year = plan._get_year_figures()
        last_sales, last_cost = sum(last_year["last_sales"]), sum(last_year["last_cost"])
        margin_rate = (last_sales - last_cost) / last_sales if last_sales else 0.4
        plan.write(
            {
                "margin_target": plan.currency_id.round(plan.sales_target * margin_rate),
                "new_product_target": plan.currency_id.round(plan.sales_target * 0.05),
                "variable_costs": plan.currency_id.round(plan.sales_target * (1 - margin_rate)),
            }
        )
        plan._generate()
        # Quantity targets: each salesperson's month, in units.
        months = plan.line_ids.filtered(
            lambda line: line.period_level == "month" and line.breakdown == "salesperson" and line.user_id
        )
        for line in months:
            line.target_quantity = round(line.target_amount / 500.0)
        plan.action_confirm()
        self.env["ir.model.data"]._update_xmlids(
            [
                {"xml_id": "sales_management.sales_quota_plan_demo", "record": plan, "noupdate": True},
                {"xml_id": "sales_management.product_quota_demo_new", "record": new_product, "noupdate": True},
            ]
        )

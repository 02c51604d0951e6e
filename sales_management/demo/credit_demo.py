import logging
import random
from datetime import timedelta

from odoo import api, fields, models

from .sales_management_demo import CREDIT_DEMO_PARTNERS

_logger = logging.getLogger(__name__)


class SalesManagementDemo(models.AbstractModel):
    _name = "sales.management.demo.credit"
    _inherit = "sales.management.demo"
    _description = "Sales Management Demo Data: Credit"

    @api.model
    def _load_credit_demo(self):
        """Demo: customers of every kind with three years of invoices and payments."""
        company = self.env.company
        journal = self.env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
        if not journal or not self.env["account.journal"].search_count(
            [("type", "in", ("bank", "cash")), ("company_id", "=", company.id)]
        ):
            _logger.info("No sales or bank journal in %s: credit demo data skipped.", company.name)
            return
        rng = random.Random(42)
        today = fields.Date.context_today(self)
        rep = self.env.ref("base.user_demo", raise_if_not_found=False) or self.env.user
        # (name, invoices, share paid late, max days late, unpaid overdue days or 0)
        profiles = [
            ("Golden Dragon Trading Co.", 14, 0.0, 0, 0),
            ("Eastern Pearl Hardware", 13, 0.1, 8, 0),
            ("Riverside Building Supplies", 12, 0.3, 20, 0),
            ("Jade Mountain Furniture", 10, 0.5, 40, 20),
            ("Harbour Star Retail", 9, 0.6, 60, 45),
            ("Northwind Decoration", 8, 0.8, 90, 120),
            ("Silk Road Distributors", 8, 0.2, 15, 0),
            ("Lotus Interiors", 6, 0.9, 120, 200),
        ]
        partners = self.env["res.partner"]
        for name, count, late_share, max_late, unpaid_overdue in profiles:
            partner = self.env["res.partner"].create(
                {
                    "name": name,
                    "is_company": True,
                    "user_id": rep.id,
                    "credit_trading_since": today - timedelta(days=365 * 3),
                    "credit_industry_position": rng.choice(["leader", "strong", "average", "weak"]),
                }
            )
            partners |= partner
            moves = self.env["account.move"]
            # Spread over three years, plus one recent invoice not yet due.
            dates = [today - timedelta(days=int(1095 * (count - i) / count)) for i in range(count)]
            if not unpaid_overdue:
                dates.append(today - timedelta(days=rng.randint(3, 20)))
            for invoice_date in dates:
                moves |= self.env["account.move"].create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "journal_id": journal.id,
                        "invoice_date": invoice_date,
                        "invoice_date_due": invoice_date + timedelta(days=30),
                        "invoice_user_id": rep.id,
                        "invoice_line_ids": [
                            fields.Command.create(
                                {
                                    "name": self.env._("Goods"),
                                    "quantity": 1,
                                    "price_unit": rng.randrange(2000, 30000, 500),
                                    "tax_ids": [fields.Command.clear()],
                                }
                            )
                        ],
                    }
                )
            if unpaid_overdue:
                overdue_date = today - timedelta(days=unpaid_overdue + 30)
                moves[-1].write({"invoice_date": overdue_date, "invoice_date_due": overdue_date + timedelta(days=30)})
            moves.action_post()
            for move in moves:
                due = move.invoice_date_due
                if due > today or (move == moves[-1] and unpaid_overdue):
                    continue
                late = rng.random() < late_share
                pay_date = min(due + timedelta(days=rng.randint(1, max_late) if late and max_late else -5), today)
                self.env["account.payment.register"].with_context(
                    active_model="account.move", active_ids=move.ids
                ).create({"payment_date": pay_date})._create_payments()
        Status = self.env["sales.credit.status"]
        self.env["ir.model.data"]._update_xmlids(
            [
                {"xml_id": f"sales_management.{xmlid}", "record": partner, "noupdate": True}
                for partner in partners
                if (xmlid := CREDIT_DEMO_PARTNERS.get(partner.name))
            ]
        )
        statuses = Status._get_status(partners, company, create=True)
        statuses._recompute(today)
        Status._compute_abc_classes(company)
        statuses.filtered(lambda s: s.partner_id == partners[2]).write(
            {"hold": True, "hold_reason": self.env._("Disputed delivery; payments stopped until settled.")}
        )
        Collection = self.env["sales.credit.collection"]
        for months_back in range(3, -1, -1):
            Collection._generate(fields.Date.subtract(today.replace(day=1), months=months_back), company)

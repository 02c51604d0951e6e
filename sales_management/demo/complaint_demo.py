import logging
from datetime import timedelta

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class SalesManagementDemo(models.AbstractModel):
    _name = "sales.management.demo.complaint"
    _inherit = "sales.management.demo"
    _description = "Sales Management Demo Data: Complaints"

    @api.model
    def _load_complaint_demo(self):
        """Demo data: complaints across categories and stages, some overdue, one credited."""
        Complaint = self.env["sales.complaint"]
        ref = self.env.ref
        partners = [
            ref(xmlid, raise_if_not_found=False)
            for xmlid in ("base.res_partner_2", "base.res_partner_3", "base.res_partner_4", "base.res_partner_12")
        ]
        partners = [p for p in partners if p] or [self.env["res.partner"].create({"name": "Demo Customer"})]
        products = self.env["product.product"].search([("sale_ok", "=", True)], limit=3)
        now = fields.Datetime.now()
        manager = ref("base.user_admin")
        # (category, days ago, state, extra values)
        plan = [
            ("complaint_category_quality", 1, "new", {}),
            ("complaint_category_quality", 12, "new", {"severity": "high"}),
            ("complaint_category_delivery", 9, "acknowledged", {}),
            ("complaint_category_finish", 20, "investigating", {"root_cause": "Polishing step skipped."}),
            ("complaint_category_freight", 6, "rejected", {"rejection_reason": "Freight as agreed on the quote."}),
            ("complaint_category_technical", 2, "new", {"channel": "email"}),
            ("complaint_category_price", 30, "closed", {"resolution": "explanation", "satisfaction": 4}),
            (
                "complaint_category_service",
                15,
                "closed",
                {"resolution": "compensation", "compensation_amount": 200.0, "satisfaction": 3},
            ),
        ]
        complaints = Complaint.browse()
        for index, (category, days_ago, state, extra) in enumerate(plan):
            complaint = Complaint.create(
                {
                    "partner_id": partners[index % len(partners)].id,
                    "category_id": ref(f"sales_management.{category}").id,
                    "date_received": now - timedelta(days=days_ago),
                    "product_id": products[index % len(products)].id if products else False,
                    "quantity": 1 + index,
                    "description": self.env._("<p>Demo complaint.</p>"),
                    "user_id": manager.id,
                }
            )
            self._demo_complaint_move_to(complaint, state, extra)
            complaints |= complaint
        self._load_demo_credited_complaint(partners[0], products[:1])
        return complaints

    def _demo_complaint_move_to(self, complaint, state, extra):
        if state == "rejected":
            complaint.write(extra)
            complaint.action_reject()
            return
        if state == "new":
            complaint.write(extra)
            return
        complaint.write({"date_acknowledged": complaint.date_received + timedelta(days=1)})
        complaint.write({"state": "acknowledged"})
        path = {"investigating": ["investigating"], "closed": ["investigating", "resolved", "closed"]}
        for step in path.get(state, []):
            complaint.write({**extra, "state": step})

    @api.model
    def _load_demo_credited_complaint(self, partner, product):
        """A posted invoice and a quality complaint resolved with a credit note on it."""
        Complaint = self.env["sales.complaint"]
        journal = self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(self.env.company), ("type", "=", "sale")], limit=1
        )
        if not journal or not product:
            _logger.info("No sale journal or product: the demo credit note is skipped")
            return
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "journal_id": journal.id,
                "invoice_date": fields.Date.context_today(self) - timedelta(days=20),
                "invoice_line_ids": [
                    fields.Command.create({"product_id": product.id, "quantity": 10, "price_unit": 100.0})
                ],
            }
        )
        invoice.action_post()
        complaint = Complaint.create(
            {
                "partner_id": partner.id,
                "category_id": self.env.ref("sales_management.complaint_category_quality").id,
                "date_received": fields.Datetime.now() - timedelta(days=10),
                "invoice_id": invoice.id,
                "product_id": product.id,
                "quantity": 2,
                "lot_name": "LOT-2026-001",
                "description": self.env._("<p>Two units arrived cracked.</p>"),
            }
        )
        complaint.write(
            {"date_acknowledged": complaint.date_received + timedelta(days=1), "date_onsite": fields.Date.today()}
        )
        complaint.write({"state": "acknowledged"})
        complaint.write({"root_cause": "Packaging too thin for long-distance freight.", "state": "investigating"})
        wizard = self.env["sales.complaint.credit.note"].create(
            {"complaint_id": complaint.id, "amount": round(invoice.amount_total / 5, 2)}
        )
        wizard.action_create_credit_note()
        complaint.credit_note_id.action_post()
        complaint.write({"corrective_action": "Double-wall cartons for long distances.", "state": "resolved"})

from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    # -- Complaints --------------------------------------------------------
    complaint_count = fields.Integer(
        compute="_compute_complaint_count", groups="sales_management.group_sales_management_user"
    )

    def _compute_amount(self):
        super()._compute_amount()
        # The complaints' credit note amounts follow their credit note (its total and state:
        # _compute_amount depends on both). A dependency of sales.complaint on
        # credit_note_id.amount_total_signed would instead search the complaints at every
        # posting, payment and reconciliation of the company; only credit notes look here.
        refunds = self.filtered(lambda move: move.move_type == "out_refund" and isinstance(move.id, int))
        if refunds:
            complaints = (
                self.env["sales.complaint"]
                .sudo()
                .with_context(active_test=False)
                .search([("credit_note_id", "in", refunds.ids)])
            )
            complaints.modified(["credit_note_id"])

    def _get_complaint_domain(self):
        return ["|", ("invoice_id", "in", self.ids), ("credit_note_id", "in", self.ids)]

    def _compute_complaint_count(self):
        complaints = self.env["sales.complaint"].search_fetch(
            self._get_complaint_domain(), ["invoice_id", "credit_note_id"]
        )
        for move in self:
            move.complaint_count = len(complaints.filtered(lambda c, m=move: m in (c.invoice_id | c.credit_note_id)))

    def _get_complaint_defaults(self):
        self.ensure_one()
        return {
            "default_partner_id": self.commercial_partner_id.id,
            "default_contact_id": self.partner_id.id,
            "default_invoice_id": self.id if self.move_type == "out_invoice" else False,
            "default_company_id": self.company_id.id,
        }

    def action_view_complaints(self):
        self.ensure_one()
        return self.env["sales.complaint"]._get_records_action_for(
            self._get_complaint_domain(), self._get_complaint_defaults()
        )

    def action_new_complaint(self):
        self.ensure_one()
        return self.env["sales.complaint"]._get_new_action_for(self._get_complaint_defaults())

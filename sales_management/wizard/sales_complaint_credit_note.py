from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare


class SalesComplaintCreditNote(models.TransientModel):
    _name = "sales.complaint.credit.note"
    _inherit = ["sales.management.input.mixin"]
    _description = "Complaint Credit Note"

    complaint_id = fields.Many2one("sales.complaint", required=True, ondelete="cascade")
    invoice_id = fields.Many2one(related="complaint_id.invoice_id")
    currency_id = fields.Many2one(related="invoice_id.currency_id")
    residual = fields.Monetary(related="invoice_id.amount_residual", string="Invoice Remaining Amount")
    amount = fields.Monetary(
        compute="_compute_amount",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        help="Total of the credit note, taxes included; at most the invoice's remaining amount.",
    )
    reason = fields.Char(compute="_compute_reason", store=True, readonly=False, precompute=True)
    date = fields.Date(default=fields.Date.context_today, required=True)

    @api.depends("complaint_id")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = wizard.invoice_id.sudo().amount_residual

    @api.depends("complaint_id")
    def _compute_reason(self):
        for wizard in self:
            wizard.reason = wizard.complaint_id.name

    def _can_create_credit_note(self):
        """Managers, after-sales staff and billing users credit; reps ask one of them."""
        return self._sales_has_rights(
            [
                "sales_team.group_sale_salesman_all_leads",
                "sales_management.group_sales_management_after_sales",
                "account.group_account_invoice",
            ],
            superuser=False,
        )

    def _check_request(self):
        self.ensure_one()
        if not self._can_create_credit_note():
            raise AccessError(
                self.env._("Only sales managers, after-sales staff and accountants create credit notes for complaints.")
            )
        # Reading the complaint as the user enforces his record rules on it.
        complaint = self.complaint_id
        complaint.check_access("write")
        # After-sales staff may have no Invoicing rights: the invoice is checked, not shown.
        invoice = self.invoice_id.sudo()
        if not invoice:
            raise UserError(
                self.env._("Complaint %(name)s has no invoice to credit: link the invoice first.", name=complaint.name)
            )
        if invoice.move_type != "out_invoice" or invoice.state != "posted":
            raise UserError(self.env._("Only a posted customer invoice can be credited (%(inv)s).", inv=invoice.name))
        if complaint.credit_note_id and complaint.credit_note_id.state != "cancel":
            raise UserError(
                self.env._(
                    "Complaint %(name)s already has credit note %(refund)s.",
                    name=complaint.name,
                    refund=complaint.credit_note_id.display_name,
                )
            )
        if complaint.state in ("closed", "rejected"):
            raise UserError(self.env._("Complaint %(name)s is closed.", name=complaint.name))
        if self.date and invoice.invoice_date and self.date < invoice.invoice_date:
            raise UserError(
                self.env._(
                    "The credit note date (%(date)s) cannot be before the date of invoice %(invoice)s "
                    "(%(invoice_date)s).",
                    date=self.date,
                    invoice=invoice.name,
                    invoice_date=invoice.invoice_date,
                )
            )
        rounding = invoice.currency_id.rounding
        if float_compare(self.amount, 0.0, precision_rounding=rounding) <= 0:
            raise UserError(self.env._("The credit note amount must be positive."))
        if float_compare(self.amount, invoice.amount_residual, precision_rounding=rounding) > 0:
            raise UserError(
                self.env._(
                    "The credit note (%(amount)s) cannot exceed the remaining amount of invoice %(invoice)s "
                    "(%(residual)s).",
                    amount=invoice.currency_id.format(self.amount),
                    invoice=invoice.name,
                    residual=invoice.currency_id.format(invoice.amount_residual),
                )
            )

    def _prepare_reversal_values(self):
        self.ensure_one()
        return {
            "move_ids": [fields.Command.set(self.invoice_id.ids)],
            "reason": self.reason,
            "date": self.date,
            "company_id": self.invoice_id.company_id.id,
            "journal_id": self.invoice_id.journal_id.id,
        }

    def action_create_credit_note(self):
        """Reverse the invoice with Odoo's own wizard, then bring the draft refund down to the amount.

        The draft is created as superuser (a sales manager has no Invoicing rights, as when Sales
        invoices an order); the accountant reviews and posts it in Invoicing.
        """
        self.ensure_one()
        self._check_request()
        invoice = self.invoice_id.sudo()
        reversal = (
            self.env["account.move.reversal"]
            .sudo()
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(self._prepare_reversal_values())
        )
        reversal.reverse_moves()
        refund = reversal.new_move_ids
        if float_compare(self.amount, refund.amount_total, precision_rounding=invoice.currency_id.rounding):
            ratio = self.amount / refund.amount_total
            for line in refund.invoice_line_ids:
                line.price_unit = invoice.currency_id.round(line.price_unit * ratio)
        refund.invoice_origin = self.complaint_id.name
        complaint = self.complaint_id
        complaint.sudo().write({"credit_note_id": refund.id, "resolution": complaint.resolution or "credit_note"})
        complaint.message_post(
            # Markup arguments make env._ return escaped Markup: the links stay links.
            body=self.env._(
                "Credit note %(refund)s of %(amount)s created for invoice %(invoice)s.",
                refund=refund._get_html_link(),
                amount=refund.currency_id.format(refund.amount_total),
                invoice=invoice._get_html_link(),
            )
        )
        return complaint.action_view_credit_note()

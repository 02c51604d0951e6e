from odoo import api, fields, models
from odoo.exceptions import UserError


class SalesCreditExceptionWizard(models.TransientModel):
    """A Credit Controller approves one quotation beyond the customer's credit, once.

    The approval itself is a ``sales.credit.exception``, recorded by ``action_approve``
    with the session user as approver.
    """

    _name = "sales.credit.exception.wizard"
    _inherit = ["sales.management.input.mixin"]
    _description = "Approve Credit Exception"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="order_id.partner_id")
    currency_id = fields.Many2one(related="order_id.currency_id")
    amount_total = fields.Monetary(related="order_id.amount_total", string="Order Total")
    refusal = fields.Text("Credit Check", compute="_compute_refusal")
    reason = fields.Text(required=True)
    request_id = fields.Many2one(
        "sales.credit.exception.request", "Request", compute="_compute_request_id", help="The rep's pending request."
    )
    request_note = fields.Text(related="request_id.note", string="Rep's Justification")
    requested_by_id = fields.Many2one(related="request_id.requested_by_id")

    @api.depends("order_id")
    def _compute_request_id(self):
        for wizard in self:
            wizard.request_id = wizard.order_id._get_pending_credit_request() if wizard.order_id else False

    @api.depends("order_id")
    def _compute_refusal(self):
        for wizard in self:
            wizard.refusal = wizard.order_id.sudo()._get_credit_check_message() if wizard.order_id else False

    def action_approve(self):
        self.ensure_one()
        self.env["sales.credit.exception"]._approve(self.order_id, self.reason)
        return {"type": "ir.actions.act_window_close"}

    def action_refuse(self):
        """Refuse the rep's pending request, with the reason given."""
        self.ensure_one()
        request = self.order_id._get_pending_credit_request()
        if not request:
            raise UserError(self.env._("Nobody is waiting for a decision on this quotation."))
        self.env["sales.credit.exception.request"].browse(request.ids)._refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}

from odoo import api, fields, models


class SalesCreditExceptionRequestWizard(models.TransientModel):
    """A rep asks the Credit Controllers for an exception on a quotation the credit check refuses."""

    _name = "sales.credit.exception.request.wizard"
    _description = "Request Credit Exception"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="order_id.partner_id")
    currency_id = fields.Many2one(related="order_id.currency_id")
    amount_total = fields.Monetary(related="order_id.amount_total", string="Order Total")
    refusal = fields.Text("Credit Check", compute="_compute_refusal")
    note = fields.Text("Justification", required=True)

    @api.depends("order_id")
    def _compute_refusal(self):
        for wizard in self:
            wizard.refusal = wizard.order_id.sudo()._get_credit_check_message() if wizard.order_id else False

    def action_request(self):
        self.ensure_one()
        self.env["sales.credit.exception.request"]._request(self.order_id, self.note)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": self.env._("Request sent to the Credit Controllers."),
                "type": "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

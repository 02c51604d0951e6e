from odoo import api, fields, models


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

    @api.depends("order_id")
    def _compute_refusal(self):
        for wizard in self:
            wizard.refusal = wizard.order_id.sudo()._get_credit_check_message() if wizard.order_id else False

    def action_approve(self):
        self.ensure_one()
        self.env["sales.credit.exception"]._approve(self.order_id, self.reason)
        return {"type": "ir.actions.act_window_close"}

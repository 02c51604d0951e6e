from odoo import api, fields, models


class SalesPriceExceptionWizard(models.TransientModel):
    """A sales manager approves or rejects a quotation's special discount, with a reason.

    The decision itself is recorded by ``sales.price.exception._decide`` with the session
    user as approver, at the level the gap calls for.
    """

    _name = "sales.price.exception.wizard"
    _description = "Decide Special Discount"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="order_id.partner_id")
    currency_id = fields.Many2one(related="order_id.currency_id")
    amount_total = fields.Monetary(related="order_id.amount_total", string="Quotation Total")
    breaches = fields.Text("Lines Below Floor", compute="_compute_breaches")
    reason = fields.Text(required=True)

    @api.depends("order_id")
    def _compute_breaches(self):
        for wizard in self:
            found = wizard.order_id._get_price_floor_breaches().get(wizard.order_id.id, []) if wizard.order_id else []
            wizard.breaches = "\n".join(b["message"] for b in found) or False

    def action_approve(self):
        self.ensure_one()
        self.env["sales.price.exception"]._decide(self.order_id, self.reason, approve=True)
        return {"type": "ir.actions.act_window_close"}

    def action_reject(self):
        self.ensure_one()
        self.env["sales.price.exception"]._decide(self.order_id, self.reason, approve=False)
        return {"type": "ir.actions.act_window_close"}

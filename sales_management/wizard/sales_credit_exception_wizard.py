from odoo import api, fields, models
from odoo.exceptions import UserError


class SalesCreditExceptionWizard(models.TransientModel):
    """A Credit Controller approves one order beyond the customer's credit, once."""

    _name = "sales.credit.exception.wizard"
    _description = "Approve Credit Exception"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="order_id.partner_id")
    currency_id = fields.Many2one(related="order_id.currency_id")
    amount_total = fields.Monetary(related="order_id.amount_total", string="Order Total")
    refusal = fields.Text("Credit Check", compute="_compute_refusal")
    reason = fields.Char(required=True)

    @api.depends("order_id")
    def _compute_refusal(self):
        for wizard in self:
            wizard.refusal = wizard.order_id.sudo()._get_credit_check_message()

    def action_approve(self):
        self.ensure_one()
        order = self.order_id
        order._check_credit_exception_rights()
        if not (self.reason or "").strip():
            raise UserError(self.env._("An exception needs a reason."))
        if order.state not in ("draft", "sent"):
            raise UserError(self.env._("Only quotations can receive a credit exception."))
        order.sudo().write(
            {
                "credit_exception_amount": order.amount_total,
                "credit_exception_reason": self.reason,
                "credit_exception_user_id": self.env.uid,
            }
        )
        order.sudo().message_post(
            author_id=self.env.user.partner_id.id,
            body=self.env._(
                "Credit exception approved by %(user)s for %(amount)s %(currency)s: %(reason)s",
                user=self.env.user.name,
                amount=order.amount_total,
                currency=order.currency_id.name,
                reason=self.reason,
            ),
        )
        status = self.env["sales.credit.status"]._get_status(order.partner_id, order.company_id, create=True)
        status._log_change(
            "exception", "", f"{order.name}: {order.amount_total} {order.currency_id.name}", self.reason, order
        )
        return {"type": "ir.actions.act_window_close"}

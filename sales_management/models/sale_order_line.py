from odoo import api, models

# Line changes that void an approved credit exception of the order.
CREDIT_VOIDING_LINE_FIELDS = {"product_id", "product_uom_qty", "price_unit", "discount", "tax_id", "product_uom"}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id.filtered(lambda o: o.state in ("draft", "sent"))._void_credit_exception()
        return lines

    def write(self, vals):
        if CREDIT_VOIDING_LINE_FIELDS & set(vals):
            self.order_id.filtered(lambda o: o.state in ("draft", "sent"))._void_credit_exception()
        return super().write(vals)

    def unlink(self):
        self.order_id.filtered(lambda o: o.state in ("draft", "sent"))._void_credit_exception()
        return super().unlink()

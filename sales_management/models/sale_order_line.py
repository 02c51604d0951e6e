from odoo import api, fields, models

# Line changes that void an approved credit exception of the order.
CREDIT_VOIDING_LINE_FIELDS = {"product_id", "product_uom_qty", "price_unit", "discount", "tax_id", "product_uom"}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # Not stored: they only let _read_group group order lines for quota
    # achievement on the order basis (order date, team, customer, category).
    quota_date = fields.Datetime(related="order_id.date_order", string="Quota Order Date")
    quota_team_id = fields.Many2one(related="order_id.team_id", string="Quota Sales Team")
    quota_partner_id = fields.Many2one(related="order_id.partner_id.commercial_partner_id", string="Quota Customer")
    quota_categ_id = fields.Many2one(related="product_id.categ_id", string="Quota Product Category")

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

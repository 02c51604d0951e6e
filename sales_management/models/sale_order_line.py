from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # Not stored: they only let _read_group group order lines for quota
    # achievement on the order basis (order date, team, customer, category).
    quota_date = fields.Datetime(related="order_id.date_order", string="Quota Order Date")
    quota_team_id = fields.Many2one(related="order_id.team_id", string="Quota Sales Team")
    quota_partner_id = fields.Many2one(related="order_id.partner_id.commercial_partner_id", string="Quota Customer")
    quota_categ_id = fields.Many2one(related="product_id.categ_id", string="Quota Product Category")

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

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
    # The order basis' margin: the product's cost when the line is made or its
    # product, unit or quantity changes, as the Sales margin takes it (without
    # depending on that module), but in company currency so lines of orders in
    # several currencies add up.
    quota_cost = fields.Float(
        "Cost (Company Currency)",
        compute="_compute_quota_cost",
        store=True,
        precompute=True,
        copy=False,
        digits="Product Price",
        help="The product's cost in its unit of measure converted to the line's, times the quantity.",
    )

    def _auto_init(self):
        # Fill the column of existing order lines in one statement, at today's product cost.
        if not column_exists(self.env.cr, "sale_order_line", "quota_cost"):
            create_column(self.env.cr, "sale_order_line", "quota_cost", "numeric")
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE sale_order_line l
                       SET quota_cost = COALESCE((pp.standard_price ->> l.company_id::text)::numeric, 0)
                                        * l.product_uom_qty / lu.factor * pu.factor
                      FROM product_product pp, product_template pt, uom_uom pu, uom_uom lu
                     WHERE pp.id = l.product_id
                       AND pt.id = pp.product_tmpl_id
                       AND pu.id = pt.uom_id
                       AND lu.id = l.product_uom
                       AND lu.category_id = pu.category_id
                       AND lu.factor != 0
                    """
                )
            )
        return super()._auto_init()

    @api.depends("product_id", "product_uom", "product_uom_qty", "company_id")
    def _compute_quota_cost(self):
        for line in self:
            if not line.product_id or not line.company_id:
                line.quota_cost = 0.0
                continue
            product = line.product_id.sudo().with_company(line.company_id)
            unit_cost = product.uom_id._compute_price(product.standard_price, line.product_uom or product.uom_id)
            currency = product.cost_currency_id
            company_currency = line.company_id.currency_id
            if currency and currency != company_currency:
                unit_cost = currency._convert(
                    unit_cost, company_currency, line.company_id, fields.Date.context_today(line)
                )
            line.quota_cost = unit_cost * line.product_uom_qty

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

from odoo import api, fields, models, tools
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

from . import sales_credit_sql
from .sale_order import _CREDIT_CHECK_DISABLED, credit_relevant_fields
from .sales_credit_status import check_credit_inputs, drop_credit_input_defaults


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # Not stored: they only let _read_group group order lines for quota
    # achievement on the order basis (order date, team, customer, category).
    quota_date = fields.Datetime(related="order_id.date_order", string="Quota Order Date")
    quota_team_id = fields.Many2one(related="order_id.team_id", string="Quota Sales Team")
    quota_partner_id = fields.Many2one(related="order_id.partner_id.commercial_partner_id", string="Quota Customer")
    quota_categ_id = fields.Many2one(related="product_id.categ_id", string="Quota Product Category")
    # Stored so that the exposure finds, by index, the open lines of the orders invoiced to
    # a party (their invoices will be its debt), as it finds its own by order_partner_id.
    order_partner_invoice_id = fields.Many2one(
        related="order_id.partner_invoice_id", string="Invoice Address", store=True, index=False
    )

    def init(self):
        res = super().init()
        # The credit check's indexes (sales_credit_sql.INDEXES), once the stored invoice address exists.
        sales_credit_sql.create_indexes(self.env.cr)
        return res

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

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def default_get(self, fields_list):
        return drop_credit_input_defaults(self, super().default_get(fields_list))

    @api.model_create_multi
    def create(self, vals_list):
        check_credit_inputs(self.browse(), vals_list)
        order_ids = {vals.get("order_id") or self.env.context.get("default_order_id") for vals in vals_list}
        orders = self.env["sale.order"].browse(oid for oid in order_ids if isinstance(oid, int))
        return self._call_with_credit_watch(orders, super().create, vals_list)

    def write(self, vals):
        check_credit_inputs(self, [vals])
        if not set(vals) & self._get_credit_relevant_fields():
            return super().write(vals)
        orders = self.order_id
        if isinstance(vals.get("order_id"), int):
            orders |= orders.browse(vals["order_id"])
        return self._call_with_credit_watch(orders, super().write, vals)

    def unlink(self):
        return self._call_with_credit_watch(self.order_id, super().unlink)

    # ------------------------------------------------------------
    # CREDIT CHECK
    # ------------------------------------------------------------

    @api.model
    @tools.ormcache()
    def _get_credit_relevant_fields(self):
        return credit_relevant_fields(self)

    @api.model
    def _call_with_credit_watch(self, orders, method, *args):
        """Run ``method`` while the credit of ``orders`` is watched (see sale.order._watch_credit)."""
        if _CREDIT_CHECK_DISABLED.get():
            return method(*args)
        watched = orders._filter_credit_watched()
        if not watched:
            return method(*args)
        with watched._watch_credit():
            return method(*args)

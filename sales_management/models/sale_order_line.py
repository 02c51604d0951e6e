from odoo import api, fields, models, tools
from odoo.tools import create_index

from .sale_order import _CREDIT_CHECK_DISABLED, credit_relevant_fields
from .sales_credit_status import OPEN_ORDER_LINE_CONDITION, check_credit_inputs, drop_credit_input_defaults


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
        super().init()
        create_index(
            self.env.cr,
            "sale_order_line_sm_credit_open_invoiced_idx",
            "sale_order_line",
            ["order_partner_invoice_id"],
            where=OPEN_ORDER_LINE_CONDITION.replace("sol.", ""),
        )

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

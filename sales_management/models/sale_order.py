from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # -- Visits ----------------------------------------------------------------
    visit_id = fields.Many2one(
        "sales.visit",
        string="Visit",
        index="btree_not_null",
        copy=False,
        check_company=True,
        help="Customer visit during which this quotation was made.",
    )

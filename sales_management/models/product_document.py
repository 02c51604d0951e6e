from odoo import fields, models


class ProductDocument(models.Model):
    _inherit = "product.document"

    # The quotation form reads it (the lines' documents, Sales' PDF quote builder):
    # Credit Controllers, who are not salespeople, open quotations to approve them.
    attached_on_sale = fields.Selection(
        groups="sales_team.group_sale_salesman,sales_management.group_sales_management_credit"
    )

from odoo import fields, models


class ProductTemplate(models.Model):
    _name = "product.template"
    _inherit = ["product.template", "sales.management.input.mixin"]

    is_new_product = fields.Boolean(
        "New Product",
        help="Counts in the new-product sales of every sales plan, whatever its launch date.",
    )
    launch_date = fields.Date(
        help="Sales plans count the product as new when it was launched within the months set in "
        "Settings before the plan year, or during it.",
    )

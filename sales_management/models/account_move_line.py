from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # Not stored: they only let _read_group group invoice lines by the
    # invoice's salesperson and team and the product's category (quota achievement).
    quota_user_id = fields.Many2one(related="move_id.invoice_user_id", string="Quota Salesperson")
    quota_team_id = fields.Many2one(related="move_id.team_id", string="Quota Sales Team")
    quota_categ_id = fields.Many2one(related="product_id.categ_id", string="Quota Product Category")

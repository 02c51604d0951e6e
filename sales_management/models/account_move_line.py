from odoo import api, fields, models

from .sales_credit_status import check_credit_inputs, drop_credit_input_defaults


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # Not stored: they only let _read_group group invoice lines by the
    # invoice's salesperson and team and the product's category (quota achievement).
    quota_user_id = fields.Many2one(related="move_id.invoice_user_id", string="Quota Salesperson")
    quota_team_id = fields.Many2one(related="move_id.team_id", string="Quota Sales Team")
    quota_categ_id = fields.Many2one(related="product_id.categ_id", string="Quota Product Category")

    # -- Customer credit: the exposure reads these amounts (CREDIT_INPUT_FIELDS) --
    @api.model
    def default_get(self, fields_list):
        return drop_credit_input_defaults(self, super().default_get(fields_list))

    @api.model_create_multi
    def create(self, vals_list):
        check_credit_inputs(self.browse(), vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_credit_inputs(self, [vals])
        return super().write(vals)

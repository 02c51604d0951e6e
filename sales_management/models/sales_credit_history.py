from odoo import api, fields, models
from odoo.exceptions import UserError

CHANGE_TYPES = [
    ("grade", "Grade"),
    ("limit", "Credit Limit"),
    ("hold", "Credit Hold"),
    ("exception", "Exception"),
    ("warning", "Credit Warning"),
    ("pricelist", "Pricelist"),
]


class SalesCreditHistory(models.Model):
    """One change of a customer's grade, limit or hold, an exception approved or voided, or an
    order confirmed beyond credit under a warning grade.

    Written only by code (sudo); nobody edits or deletes it.
    """

    _name = "sales.credit.history"
    _description = "Customer Credit History"
    _order = "create_date desc, id desc"
    _rec_name = "change_type"

    status_id = fields.Many2one("sales.credit.status", ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", "Customer", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    change_type = fields.Selection(CHANGE_TYPES, required=True)
    old_value = fields.Char("Old")
    new_value = fields.Char("New")
    reason = fields.Char()
    user_id = fields.Many2one("res.users", "Changed By", default=lambda self: self.env.uid, required=True)
    order_id = fields.Many2one("sale.order", "Sale Order", ondelete="set null")
    exception_id = fields.Many2one("sales.credit.exception", "Credit Exception", ondelete="set null")

    def write(self, vals):
        self.check_access("write")
        if self:
            raise UserError(self.env._("Credit history cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Credit history cannot be deleted."))

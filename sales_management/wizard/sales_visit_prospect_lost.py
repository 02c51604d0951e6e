from odoo import fields, models
from odoo.exceptions import UserError


class SalesVisitProspectLost(models.TransientModel):
    _name = "sales.visit.prospect.lost"
    _inherit = ["sales.management.input.mixin"]
    _description = "Close Prospects as Lost"

    partner_ids = fields.Many2many("res.partner", string="Prospects", required=True)
    reason = fields.Text(required=True, help="Why the prospects are given up; kept on each of them.")

    def action_confirm(self):
        self.ensure_one()
        if not self.partner_ids:
            raise UserError(self.env._("Choose the prospects to close as lost."))
        self.partner_ids._visit_close_lost(self.reason)
        return {"type": "ir.actions.act_window_close"}

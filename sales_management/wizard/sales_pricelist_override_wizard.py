from odoo import api, fields, models


class SalesPricelistOverrideWizard(models.TransientModel):
    """A sales manager puts a graded customer on another pricelist than his grade's, or back on it."""

    _name = "sales.pricelist.override.wizard"
    _description = "Override Customer Pricelist"

    partner_id = fields.Many2one("res.partner", "Customer", required=True, ondelete="cascade")
    grade_id = fields.Many2one("sales.credit.grade", "Credit Grade", compute="_compute_grade")
    grade_pricelist_id = fields.Many2one("product.pricelist", "Grade Pricelist", compute="_compute_grade")
    pricelist_id = fields.Many2one(
        "product.pricelist", "Pricelist", help="Leave empty to put the customer back on his grade's pricelist."
    )
    reason = fields.Char(required=True)

    @api.depends("partner_id")
    def _compute_grade(self):
        Status = self.env["sales.credit.status"].sudo()
        for wizard in self:
            status = Status._get_status(wizard.partner_id, self.env.company)
            wizard.grade_id = status.grade_id
            wizard.grade_pricelist_id = status.grade_id.pricelist_id

    def action_apply(self):
        self.ensure_one()
        status = self.env["sales.credit.status"]._get_status(self.partner_id, self.env.company, create=True)
        status.with_env(self.env)._set_pricelist_override(self.pricelist_id, self.reason)
        return {"type": "ir.actions.act_window_close"}

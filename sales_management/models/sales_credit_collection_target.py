from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .sales_visit import VISIT_REP_GROUPS


class SalesCreditCollectionTarget(models.Model):
    """Cash collection target of a salesperson for a month (现金回款任务)."""

    _name = "sales.credit.collection.target"
    _inherit = ["sales.management.input.mixin"]
    _description = "Collection Target"
    _order = "date desc, user_id"
    _rec_name = "user_id"

    date = fields.Date("Month", required=True, help="First day of the month.")
    user_id = fields.Many2one("res.users", "Salesperson", required=True, index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    target_amount = fields.Monetary("Target")
    planned_amount = fields.Monetary("Planned", compute="_compute_actual")
    collected_amount = fields.Monetary("Collected", compute="_compute_actual")
    achievement = fields.Float("Achievement (%)", compute="_compute_actual")

    _sql_constraints = [
        ("month_user_uniq", "unique(date, user_id, company_id)", "One collection target per salesperson and month."),
    ]

    @api.depends("date", "user_id", "company_id", "target_amount")
    def _compute_actual(self):
        Collection = self.env["sales.credit.collection"].sudo()
        for (date, company), targets in self.grouped(lambda t: (t.date, t.company_id)).items():
            figures = (
                Collection._get_collection_by_user(date, fields.Date.end_of(date, "month"), company)
                if date and company
                else {}
            )
            for target in targets:
                values = figures.get(target.user_id.id, {})
                target.planned_amount = values.get("due", 0.0)
                target.collected_amount = values.get("collected", 0.0)
                target.achievement = (
                    100.0 * target.collected_amount / target.target_amount if target.target_amount else 0.0
                )

    @api.model
    def _get_input_ranges(self):
        return {**super()._get_input_ranges(), "target_amount": (0.0, None)}

    @api.constrains("user_id")
    def _check_user_id(self):
        self._check_input_user("user_id", VISIT_REP_GROUPS)

    @api.constrains("target_amount", "date")
    def _check_values(self):
        for target in self:
            if target.target_amount < 0:
                raise ValidationError(self.env._("A collection target cannot be negative."))
            if target.date.day != 1:
                raise ValidationError(self.env._("A collection target month starts on the first day of the month."))

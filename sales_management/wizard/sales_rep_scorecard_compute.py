from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..models.sales_management_input_mixin import INTERNAL_USER_GROUPS
from ..models.sales_rep_scorecard import PERIOD_TYPES
from ..tools import scorecard as scorecard_tools


class SalesRepScorecardCompute(models.TransientModel):
    """Compute or refresh the scorecards of a period on demand (managers)."""

    _name = "sales.rep.scorecard.compute"
    _inherit = ["sales.management.input.mixin"]
    _description = "Compute Scorecards"

    period_type = fields.Selection(PERIOD_TYPES, string="Period", required=True, default="month")
    date = fields.Date(
        "Any Day of the Period", required=True, default=fields.Date.context_today, help="The period containing it."
    )
    date_from = fields.Date("From", compute="_compute_dates")
    date_to = fields.Date("To", compute="_compute_dates")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    user_ids = fields.Many2many(
        "res.users",
        string="Salespeople",
        domain="[('share', '=', False)]",
        help="Leave empty for every member of the company's sales teams.",
    )

    @api.constrains("user_ids")
    def _check_user_ids(self):
        for wizard in self:
            allowed = self._filter_input_users(wizard.user_ids, INTERNAL_USER_GROUPS)
            for user in wizard.user_ids - allowed:
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot be scored (Salespeople): choose internal users.",
                        user=user.sudo().display_name,
                    )
                )

    @api.depends("period_type", "date")
    def _compute_dates(self):
        for wizard in self:
            if wizard.period_type and wizard.date:
                wizard.date_from, wizard.date_to = scorecard_tools.period_bounds(wizard.period_type, wizard.date)
            else:
                wizard.date_from = wizard.date_to = False

    def action_compute(self):
        self.ensure_one()
        Scorecard = self.env["sales.rep.scorecard"]
        Scorecard._check_manager()
        company = self.company_id
        users = self.user_ids or Scorecard.sudo()._get_scorecard_reps(company, self.date_from, self.date_to)
        Scorecard.sudo().with_company(company)._compute_scorecards(
            users, self.period_type, self.date_from, self.date_to
        )
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_management.sales_rep_scorecard_action")
        action["domain"] = [
            ("company_id", "=", company.id),
            ("period_type", "=", self.period_type),
            ("date_from", "=", self.date_from),
        ]
        return action

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import format_amount

from .sales_rep_scorecard import SCORECARD_MEASURES


class SalesRepScorecardLine(models.Model):
    """One measure of a rep scorecard: its value, points, weight and share of the score."""

    _name = "sales.rep.scorecard.line"
    _inherit = ["sales.management.input.mixin"]
    _description = "Scorecard Measure"
    _order = "scorecard_id, sequence, id"

    scorecard_id = fields.Many2one("sales.rep.scorecard", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    code = fields.Selection(SCORECARD_MEASURES, string="Measure", required=True)
    value = fields.Float(aggregator="avg")
    reference = fields.Float("Scale", help="Value earning full points (no points when lower is better).")
    points = fields.Float(aggregator="avg", help="0-100.")
    weight = fields.Float("Weight (%)", aggregator="avg")
    weighted_points = fields.Float("Weighted Points", aggregator="sum", help="Points × weight.")
    detail = fields.Char(compute="_compute_detail", help="The figures behind the value.")
    # Stored for the pivot and the record rules.
    user_id = fields.Many2one(related="scorecard_id.user_id", store=True, index=True)
    company_id = fields.Many2one(related="scorecard_id.company_id", store=True, index=True)
    team_id = fields.Many2one(related="scorecard_id.team_id", store=True)
    area_id = fields.Many2one(related="scorecard_id.area_id", store=True)
    period_type = fields.Selection(related="scorecard_id.period_type", store=True, string="Period")
    date_from = fields.Date(related="scorecard_id.date_from", store=True)
    state = fields.Selection(related="scorecard_id.state", string="Status")

    @api.depends("code", "value", "scorecard_id")
    def _compute_detail(self):
        for line in self:
            line.detail = line._get_detail()

    def _get_detail(self):
        """A readable account of the figures behind the value. Extension point."""
        self.ensure_one()
        card = self.scorecard_id
        currency = card.currency_id

        def money(amount):
            return format_amount(self.env, amount, currency) if currency else f"{amount:,.2f}"

        _ = self.env._
        details = {
            "sales": lambda: _(
                "%(actual)s of target %(target)s", actual=money(card.sales_actual), target=money(card.sales_target)
            ),
            "collection": lambda: _(
                "%(collected)s collected of %(due)s due",
                collected=money(card.collection_collected),
                due=money(card.collection_due),
            ),
            "visit_completion": lambda: _(
                "%(done)s of %(planned)s planned visits done", done=card.visit_planned_done, planned=card.visit_planned
            ),
            "visit_per_day": lambda: _(
                "%(visits)s visits in %(days)s working days", visits=card.visit_done, days=card.working_days
            ),
            "new_customer": lambda: _(
                "%(won)s won of target %(target)s; %(prospects)s prospects contacted",
                won=card.new_customer_count,
                target=card.new_customer_target,
                prospects=card.prospect_count,
            ),
            "complaint": lambda: _("%(count)s complaints received", count=card.complaint_count),
            "complaint_on_time": lambda: (
                _("%(met)s of %(decided)s on time", met=card.complaint_met_count, decided=card.complaint_decided_count)
                if card.complaint_decided_count
                else _("No complaint decided: full points")
            ),
            "forecast": lambda: (
                _(
                    "Forecast %(forecast)s, actual %(actual)s (%(count)s customers)",
                    forecast=money(card.forecast_amount),
                    actual=money(card.forecast_actual),
                    count=card.forecast_line_count,
                )
                if card.forecast_line_count
                else _("No forecast recorded")
            ),
            "attitude": lambda: _("Scored by the manager"),
            "skill": lambda: _("Scored by the manager"),
        }
        detail = details.get(self.code)
        return detail() if detail else ""

    def write(self, vals):
        # Lines follow their scorecard: only the computation (superuser) changes them.
        if not self.env.su:
            raise AccessError(self.env._("The measures of a scorecard are computed."))
        return super().write(vals)

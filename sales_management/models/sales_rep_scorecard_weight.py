from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .sales_rep_scorecard import LOWER_IS_BETTER_MEASURES, SCORECARD_MEASURES


class SalesRepScorecardWeight(models.Model):
    """One measure of a scorecard policy: its weight and the value of its scale."""

    _name = "sales.rep.scorecard.weight"
    _inherit = ["sales.management.input.mixin"]
    _description = "Scorecard Measure Weight"
    _order = "policy_id, sequence, id"

    policy_id = fields.Many2one("sales.rep.scorecard.policy", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    code = fields.Selection(SCORECARD_MEASURES, string="Measure", required=True)
    weight = fields.Float("Weight (%)", required=True)
    reference = fields.Float(
        "Scale",
        required=True,
        default=100.0,
        help="Higher is better: the value earning full points (points = value ÷ scale × 100, at most 100). "
        "Lower is better (complaints): the value earning no points (points = (1 − value ÷ scale) × 100, "
        "at least 0).",
    )
    is_higher_better = fields.Boolean("Higher Is Better", compute="_compute_is_higher_better")

    _sql_constraints = [
        ("code_uniq", "unique(policy_id, code)", "A measure appears only once in a scorecard policy."),
    ]

    @api.depends("code")
    def _compute_is_higher_better(self):
        for weight in self:
            weight.is_higher_better = weight.code not in LOWER_IS_BETTER_MEASURES

    @api.model
    def _get_input_ranges(self):
        return {**super()._get_input_ranges(), "weight": (0.0, 100.0), "reference": (0.0, None)}

    @api.constrains("weight", "reference")
    def _check_values(self):
        labels = dict(self._fields["code"]._description_selection(self.env))
        for weight in self:
            if weight.weight < 0 or weight.reference < 0:
                raise ValidationError(
                    self.env._(
                        "Weight (%%) and Scale of the measure %(measure)s must be zero or more.",
                        measure=labels.get(weight.code, weight.code),
                    )
                )

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import credit_score


class SalesCreditFactor(models.Model):
    """One factor of a credit scoring policy."""

    _name = "sales.credit.factor"
    _inherit = ["sales.management.input.mixin"]
    _description = "Credit Scoring Factor"
    _order = "policy_id, sequence, id"

    policy_id = fields.Many2one("sales.credit.policy", required=True, ondelete="cascade", index=True)
    # The policy's: a factor weighs in the companies of its policy (record rule).
    company_id = fields.Many2one(related="policy_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    code = fields.Selection(credit_score.CREDIT_FACTORS, "Factor", required=True)
    weight = fields.Float("Weight (%)", required=True)
    scale = fields.Char(
        "Point Scale",
        help="Bands 'threshold:points', e.g. '0:100, 10:80, 30:40'. Lower is better: the first "
        "threshold the value does not exceed; higher is better: the last threshold it reaches; "
        "otherwise 0 points. Empty: the value is already points (manual factors).",
    )
    higher_is_better = fields.Boolean()
    scale_display = fields.Char(
        "Points", compute="_compute_scale_display", help="The point scale in words: the points each band gives."
    )

    _sql_constraints = [
        ("code_uniq", "unique(policy_id, code)", "A factor appears only once in a policy."),
    ]

    @api.model
    def _get_input_ranges(self):
        return {**super()._get_input_ranges(), "weight": (0.0, 100.0)}

    @api.depends("scale", "higher_is_better")
    @api.depends_context("lang")
    def _compute_scale_display(self):
        """'≤ 0: 100 pts · ≤ 10: 80 pts · more: 0 pts' rather than the raw '0:100, 10:80'."""
        for factor in self:
            try:
                bands = credit_score.parse_scale(factor.scale)
            except ValueError:
                factor.scale_display = ""
                continue
            factor.scale_display = factor._describe_bands(bands)

    def _describe_bands(self, bands):
        self.ensure_one()
        env = self.env
        if not bands:
            return env._("The value itself is the points (0-100)")
        labels = [(format(threshold, "g"), format(points, "g")) for threshold, points in bands]
        if self.higher_is_better:
            parts = [env._("less: 0 pts")]
            parts += [env._("≥ %(threshold)s: %(points)s pts", threshold=t, points=p) for t, p in labels]
        else:
            parts = [env._("≤ %(threshold)s: %(points)s pts", threshold=t, points=p) for t, p in labels]
            parts.append(env._("more: 0 pts"))
        return " · ".join(parts)

    @api.constrains("scale", "weight")
    def _check_scale(self):
        for factor in self:
            if factor.weight < 0:
                raise ValidationError(self.env._("A factor weight cannot be negative."))
            factor._check_input_range(["weight"])
            try:
                credit_score.parse_scale(factor.scale)
            except ValueError as exc:
                raise ValidationError(
                    self.env._("The point scale %(scale)r is invalid: %(error)s", scale=factor.scale, error=exc)
                ) from None

    @api.model_create_multi
    def create(self, vals_list):
        factors = super().create(vals_list)
        factors.policy_id._check_weights_at_commit()
        return factors

    def write(self, vals):
        policies = self.policy_id
        result = super().write(vals)
        if {"weight", "policy_id"} & set(vals):
            (policies | self.policy_id)._check_weights_at_commit()
        return result

    def unlink(self):
        policies = self.policy_id
        result = super().unlink()
        policies.exists()._check_weights_at_commit()
        return result

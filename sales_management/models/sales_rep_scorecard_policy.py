from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import scorecard as scorecard_tools


class SalesRepScorecardPolicy(models.Model):
    """How a rep scorecard turns measures into a score: one weight and scale per measure.

    The policy without a company applies wherever a company has none of its own.
    """

    _name = "sales.rep.scorecard.policy"
    _inherit = ["sales.management.input.mixin"]
    _description = "Scorecard Weights"
    _order = "company_id, id"

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one("res.company")
    weight_ids = fields.One2many("sales.rep.scorecard.weight", "policy_id", string="Measures", copy=True)
    # Stored: its recomputation, at the end of any change of the weights (through the
    # policy or on a weight line itself), runs the check below once for all changes.
    total_weight = fields.Float("Total Weight (%)", compute="_compute_total_weight", store=True)

    _sql_constraints = [
        ("company_uniq", "unique(company_id)", "A company has only one scorecard policy."),
    ]

    @api.depends("weight_ids.weight")
    def _compute_total_weight(self):
        for policy in self:
            policy.total_weight = sum(policy.weight_ids.mapped("weight"))

    @api.constrains("name")
    def _check_name(self):
        for policy in self:
            if not (policy.name or "").strip():
                raise ValidationError(self.env._("A scorecard policy needs a name (Name)."))

    @api.constrains("total_weight")
    def _check_weights(self):
        for policy in self:
            try:
                scorecard_tools.check_weights(policy.weight_ids.mapped("weight"))
            except ValueError:
                raise ValidationError(
                    self.env._(
                        "The measure weights of the scorecard policy %(policy)s sum to %(total)s%%; "
                        "they must be zero or more and sum to 100%%.",
                        policy=policy.name,
                        total=round(sum(policy.weight_ids.mapped("weight")), 2),
                    )
                ) from None

    @api.model
    def _get_policy(self, company):
        """The company's policy, else the shared one."""
        policy = self.sudo()
        return policy.search([("company_id", "=", company.id)], limit=1) or policy.search(
            [("company_id", "=", False)], limit=1
        )

    def _check_usable(self):
        """A scorecard needs a policy whose weights sum to 100%."""
        if not self:
            raise UserError(self.env._("Define the scorecard weights (Configuration > Scorecard Weights) first."))
        self._check_weights()

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import credit_score


class SalesCreditPolicy(models.Model):
    """How a credit score is computed: factor weights and point scales.

    The policy without a company applies wherever a company has none of its own.
    """

    _name = "sales.credit.policy"
    _inherit = ["sales.management.input.mixin"]
    _description = "Credit Scoring Policy"
    _order = "company_id, id"

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one("res.company")
    factor_ids = fields.One2many("sales.credit.factor", "policy_id", "Factors", copy=True)
    total_weight = fields.Float(compute="_compute_total_weight")

    _sql_constraints = [
        ("company_uniq", "unique(company_id)", "A company has only one credit scoring policy."),
    ]

    @api.depends("factor_ids.weight")
    def _compute_total_weight(self):
        for policy in self:
            policy.total_weight = sum(policy.factor_ids.mapped("weight"))

    @api.constrains("name")
    def _check_name(self):
        for policy in self:
            if not (policy.name or "").strip():
                raise ValidationError(self.env._("A credit scoring policy needs a name (Name)."))

    @api.constrains("factor_ids")
    def _check_weights(self):
        for policy in self:
            try:
                credit_score.check_weights(policy.factor_ids.mapped("weight"))
            except ValueError:
                raise ValidationError(
                    self.env._(
                        "The factor weights of policy %(policy)s sum to %(total)s%%; they must sum to 100%%.",
                        policy=policy.name,
                        total=round(sum(policy.factor_ids.mapped("weight")), 2),
                    )
                ) from None

    def _check_weights_at_commit(self):
        """Check the weights of these policies once the transaction's changes are all in.

        The policy form changes several factors one after the other (the weights add up
        to 100% only at the end); factors written on their own get the same check.
        """
        pending = self.env.cr.precommit.data.setdefault("sales_management.credit_policy_weights", set())
        if not pending:
            self.env.cr.precommit.add(self._check_pending_weights)
        pending.update(self.ids)

    @api.model
    def _check_pending_weights(self):
        ids = self.env.cr.precommit.data.pop("sales_management.credit_policy_weights", set())
        self.sudo().browse(ids).exists()._check_weights()

    @api.model
    def _get_policy(self, company):
        return self.search([("company_id", "=", company.id)], limit=1) or self.search(
            [("company_id", "=", False)], limit=1
        )

    def _get_scales(self):
        """``{code: (weight, bands, higher_is_better)}`` of the policy's factors."""
        self.ensure_one()
        return {
            factor.code: (factor.weight, credit_score.parse_scale(factor.scale), factor.higher_is_better)
            for factor in self.factor_ids
        }

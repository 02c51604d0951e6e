from odoo import api, fields, models
from odoo.exceptions import ValidationError

SHARE_DIMENSIONS = [
    ("month", "Month"),
    ("category", "Product Category"),
    ("team", "Sales Team"),
    ("customer", "Customer"),
]
MONTH_SELECTION = [(str(m), str(m)) for m in range(1, 13)]


class SalesQuotaPlanShare(models.Model):
    _name = "sales.quota.plan.share"
    _inherit = ["sales.management.input.mixin"]
    _description = "Sales Plan Share"
    _order = "plan_id, dimension, month, share desc, id"
    _check_company_auto = True

    plan_id = fields.Many2one("sales.quota.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    dimension = fields.Selection(SHARE_DIMENSIONS, required=True)
    month = fields.Integer()
    categ_id = fields.Many2one("product.category", string="Product Category")
    team_id = fields.Many2one("crm.team", string="Sales Team", check_company=True)
    partner_id = fields.Many2one("res.partner", string="Customer", check_company=True)
    history_amount = fields.Monetary("History", readonly=True)
    share_history = fields.Float("Share Before (%)", readonly=True)
    share = fields.Float("Share After (%)", help="Adjusted share; the shares of a dimension sum to 100%.")
    is_manual = fields.Boolean("Adjusted", readonly=True, help="Set by hand: kept when the plan is generated again.")
    target_amount = fields.Monetary("Annual Target", compute="_compute_target_amount")

    @api.depends("share", "plan_id.sales_target")
    def _compute_target_amount(self):
        for row in self:
            row.target_amount = row.plan_id.sales_target * row.share / 100.0

    @api.depends("dimension", "month", "categ_id", "team_id", "partner_id")
    def _compute_display_name(self):
        for row in self:
            if row.dimension == "month":
                row.display_name = str(row.month)
            else:
                row.display_name = row[self._get_dimension_field(row.dimension)].display_name or self.env._("None")

    @api.model
    def _get_input_ranges(self):
        return {**super()._get_input_ranges(), "share": (0.0, 100.0), "month": (0, 12)}

    @api.constrains("share", "month", "dimension")
    def _check_share(self):
        for row in self:
            if row.share < 0 or row.share > 100:
                raise ValidationError(
                    self.env._("A share must lie between 0 and 100%% (got %(share).2f%%).", share=row.share)
                )
            if row.dimension == "month" and not 1 <= row.month <= 12:
                raise ValidationError(self.env._("A month share needs a month between 1 and 12."))

    @api.model_create_multi
    def create(self, vals_list):
        self.env["sales.quota.plan"].browse({v.get("plan_id") for v in vals_list})._check_editable()
        if not self.env.context.get("quota_generating"):
            for vals in vals_list:
                vals["is_manual"] = True
        return super().create(vals_list)

    def write(self, vals):
        self.plan_id._check_editable()
        if "share" in vals and not self.env.context.get("quota_generating"):
            vals = dict(vals, is_manual=True)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_confirmed(self):
        self.plan_id._check_editable()

    @api.model
    def _get_dimension_field(self, dimension):
        return {"month": "month", "category": "categ_id", "team": "team_id", "customer": "partner_id"}[dimension]

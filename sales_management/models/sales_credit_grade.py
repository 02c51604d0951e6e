from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import credit_score
from ..tools.visit_frequency import VISIT_FREQUENCIES

# What the credit check does with an order beyond the customer's credit (SAP's risk
# categories): refuse it, or let it through with Odoo's own warning, logged.
CREDIT_CHECK_REACTIONS = [
    ("block", "Block"),
    ("warn", "Warn"),
]


class SalesCreditGrade(models.Model):
    """A credit grade (信用等级) and what it means for the customer.

    Grades without a company apply to every company; a company may add its own.
    Thresholds must not repeat within one company's effective list.
    """

    _name = "sales.credit.grade"
    _inherit = ["sales.management.input.mixin"]
    _description = "Credit Grade"
    _order = "min_score desc, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to use the grade in every company.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
    )
    min_score = fields.Float(
        "Minimum Score",
        required=True,
        help="A customer whose score reaches this value (0-100) gets this grade, "
        "unless a grade with a higher minimum also applies.",
    )
    credit_limit = fields.Monetary(
        "Default Credit Limit",
        help="Credit limit given to a customer when he gets this grade; 0 means no credit.",
    )
    property_payment_term_id = fields.Many2one(
        "account.payment.term",
        "Payment Terms",
        check_company=True,
        help="Customer payment terms set when a customer gets this grade.",
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        "Pricelist",
        check_company=True,
        help="Pricelist set when a customer gets this grade (tier pricing).",
    )
    visit_frequency = fields.Selection(
        VISIT_FREQUENCIES,
        help="Default visit frequency of customers of this grade.",
    )
    credit_check_reaction = fields.Selection(
        CREDIT_CHECK_REACTIONS,
        "Credit Check",
        required=True,
        default="block",
        help="Block: orders beyond the customer's credit (limit, hold, overdue debt) are refused. "
        "Warn: they are confirmed with a warning, logged on the order and in the customer's credit history.",
    )
    partner_count = fields.Integer(compute="_compute_partner_count")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("company_id")
    def _compute_currency_id(self):
        for grade in self:
            grade.currency_id = (grade.company_id or self.env.company).currency_id

    def _compute_partner_count(self):
        counts = dict(
            self.env["sales.credit.status"]._read_group(
                [("grade_id", "in", self.ids), ("company_id", "in", self.env.companies.ids)],
                ["grade_id"],
                ["__count"],
            )
        )
        for grade in self:
            grade.partner_count = counts.get(grade, 0)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.model
    def _get_input_ranges(self):
        return {**super()._get_input_ranges(), "min_score": (0.0, 100.0), "credit_limit": (0.0, None)}

    @api.constrains("name")
    def _check_name(self):
        for grade in self:
            if not (grade.name or "").strip():
                raise ValidationError(self.env._("A credit grade needs a name (Name)."))

    @api.constrains("min_score", "credit_limit")
    def _check_values(self):
        for grade in self:
            if not 0 <= grade.min_score <= 100:
                raise ValidationError(
                    self.env._(
                        "The minimum score of grade %(grade)s must be between 0 and 100, not %(score)s.",
                        grade=grade.name,
                        score=grade.min_score,
                    )
                )
            if grade.credit_limit < 0:
                raise ValidationError(
                    self.env._("The default credit limit of grade %(grade)s cannot be negative.", grade=grade.name)
                )

    @api.constrains("min_score", "company_id", "active")
    def _check_overlapping_thresholds(self):
        for company in self.env["res.company"].search([]):
            grades = self.search([("company_id", "in", (False, company.id))])
            twice = credit_score.overlapping_thresholds(grades.mapped("min_score"))
            if twice:
                names = grades.filtered(lambda g, twice=twice: g.min_score in twice).mapped("name")
                raise ValidationError(
                    self.env._(
                        "Grades %(grades)s share the minimum score %(score)s in company %(company)s: "
                        "each grade needs its own threshold.",
                        grades=", ".join(names),
                        score=twice[0],
                        company=company.name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("credit_check_reaction", "block") != "block" for vals in vals_list):
            self.env["sales.credit.status"]._check_credit_rights()
        return super().create(vals_list)

    def write(self, vals):
        # Whether orders beyond credit are refused is the Credit Controller's decision.
        if "credit_check_reaction" in vals and any(
            g.credit_check_reaction != vals["credit_check_reaction"] for g in self
        ):
            self.env["sales.credit.status"]._check_credit_rights()
        result = super().write(vals)
        if vals.get("pricelist_id"):
            # The grade's customers move with it (those a sales manager overrode stay).
            self.env["sales.credit.status"]._sync_grade_pricelists(self)
        return result

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_management.sales_credit_status_action")
        action["domain"] = [("grade_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _get_grades(self, company):
        """Active grades that apply in ``company``, best first."""
        return self.search([("company_id", "in", (False, company.id))])

    @api.model
    def _grade_for_score(self, score, company):
        grades = self._get_grades(company)
        key = credit_score.grade_for_score(score, [(g.min_score, g.id) for g in grades])
        return self.browse(key) if key else self.browse()

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import complaint_deadline
from .sales_complaint import COMPLAINT_USER_GROUPS

# Scores counted as satisfied on the 1-5 scale.
SATISFIED_SCORE = 4


class SalesComplaintSurvey(models.Model):
    _name = "sales.complaint.survey"
    _inherit = ["mail.thread", "sales.management.input.mixin"]
    _description = "Customer Satisfaction Survey"
    _order = "date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        domain="[('is_company', '=', True)]",
        tracking=True,
    )
    salesperson_id = fields.Many2one(
        related="partner_id.user_id", string="Salesperson", store=True, index=True, readonly=True
    )
    user_id = fields.Many2one(
        "res.users", string="Surveyed By", default=lambda self: self.env.user, domain="[('share', '=', False)]"
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    score = fields.Integer(required=True, tracking=True, aggregator="avg", help="1 (very unhappy) to 5 (very happy).")
    comment = fields.Text()
    is_satisfied = fields.Boolean(string="Satisfied", compute="_compute_satisfaction", store=True)
    satisfied_percent = fields.Float(
        string="Satisfied (%)",
        compute="_compute_satisfaction",
        store=True,
        aggregator="avg",
        help="100 for a satisfied customer, 0 otherwise: its average is the share satisfied.",
    )
    target_percent = fields.Float(
        string="Target (%)",
        compute="_compute_target_percent",
        store=True,
        aggregator="avg",
        help="The company's satisfaction target for the survey's month, from Settings.",
    )
    complaint_count = fields.Integer(string="# Complaints", compute="_compute_complaint_count")

    @api.depends("partner_id", "date")
    def _compute_display_name(self):
        for survey in self:
            survey.display_name = f"{survey.partner_id.display_name or ''} {survey.date or ''}".strip()

    @api.depends("score")
    def _compute_satisfaction(self):
        for survey in self:
            survey.is_satisfied = survey.score >= SATISFIED_SCORE
            survey.satisfied_percent = 100.0 if survey.is_satisfied else 0.0

    @api.depends(
        "date", "company_id.complaint_satisfaction_target_start", "company_id.complaint_satisfaction_target_end"
    )
    def _compute_target_percent(self):
        for survey in self:
            company = survey.company_id
            survey.target_percent = (
                complaint_deadline.target_for_month(
                    company.complaint_satisfaction_target_start,
                    company.complaint_satisfaction_target_end,
                    survey.date.month,
                )
                if survey.date
                else 0.0
            )

    def _compute_complaint_count(self):
        counts = dict(
            self.env["sales.complaint"]._read_group(
                [("partner_id", "in", self.partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for survey in self:
            survey.complaint_count = counts.get(survey.partner_id, 0)

    @api.constrains("score")
    def _check_score(self):
        for survey in self:
            if not 1 <= survey.score <= 5:
                raise ValidationError(
                    self.env._(
                        "A satisfaction score is from 1 to 5, not %(score)s (customer %(customer)s).",
                        score=survey.score,
                        customer=survey.partner_id.display_name,
                    )
                )

    @api.constrains("user_id")
    def _check_user_id(self):
        self._check_input_user("user_id", COMPLAINT_USER_GROUPS)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_input_values(vals_list)
        for vals in vals_list:
            self._check_survey_date(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_input_values([vals])
        self._check_survey_date(vals)
        return super().write(vals)

    @api.model
    def _check_survey_date(self, vals):
        """A survey records answers given: not on a day still to come (the flow is trusted)."""
        day = fields.Date.to_date(vals.get("date")) if vals.get("date") and not self.env.su else None
        if day and day > fields.Date.context_today(self):
            raise ValidationError(
                self.env._(
                    "%(field)s (%(date)s) of a satisfaction survey cannot be later than today.",
                    field=self._fields["date"]._description_string(self.env),
                    date=day,
                )
            )

    @api.model
    def _get_satisfaction_summary(self, date_from, date_to, company=None):
        """Share satisfied against the target over a period: {"surveys", "satisfied_percent", "target_percent"}."""
        company = company or self.env.company
        surveys = self.search([("company_id", "=", company.id), ("date", ">=", date_from), ("date", "<=", date_to)])
        return {
            "surveys": len(surveys),
            "satisfied_percent": complaint_deadline.satisfied_share(surveys.mapped("score"), SATISFIED_SCORE),
            "target_percent": complaint_deadline.target_for_month(
                company.complaint_satisfaction_target_start,
                company.complaint_satisfaction_target_end,
                fields.Date.to_date(date_to).month,
            ),
        }

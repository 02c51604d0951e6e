from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.date_utils import add as date_add

from ..tools import complaint_deadline, quota_measures
from ..tools import scorecard as scorecard_tools
from .sales_complaint import OPEN_STATES
from .sales_credit_status import ABC_CLASSES
from .sales_management_input_mixin import INTERNAL_USER_GROUPS

REVIEW_STATES = [("draft", "Draft"), ("done", "Concluded")]
REVIEW_RATINGS = [
    ("develop", "Develop"),
    ("maintain", "Maintain"),
    ("watch", "Watch"),
    ("reduce", "Reduce Exposure"),
]
# What people write on a review; the figures come from _refresh_figures only.
REVIEW_INPUT_FIELDS = {
    "partner_id",
    "company_id",
    "date",
    "date_from",
    "date_to",
    "manager_id",
    "rating",
    "conclusion",
    "message_main_attachment_id",
}
REVIEW_WORKFLOW_FIELDS = {"state", "concluded_by_id", "concluded_date"}


class SalesKeyAccountReview(models.Model):
    """Key-account review (大客户汇总评定): a key account's figures over twelve months in one
    view, each from the screen that defines it, and the manager's conclusion."""

    _name = "sales.key.account.review"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.management.input.mixin"]
    _description = "Key-Account Review"
    _order = "date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # Default methods
    # ------------------------------------------------------------

    def _default_date_to(self):
        return fields.Date.context_today(self).replace(day=1) - timedelta(days=1)

    def _default_date_from(self):
        return date_add(self._default_date_to().replace(day=1), months=-11)

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Key Account",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        domain="[('is_key_account', '=', True), ('parent_id', '=', False)]",
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date("Review Date", required=True, default=fields.Date.context_today, tracking=True)
    date_from = fields.Date("From", required=True, default=_default_date_from)
    date_to = fields.Date("To", required=True, default=_default_date_to)
    manager_id = fields.Many2one(
        "res.users",
        string="Key Account Manager",
        compute="_compute_manager_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True, index=True)
    area_id = fields.Many2one("sales.area", string="Area", readonly=True, index="btree_not_null")
    state = fields.Selection(REVIEW_STATES, required=True, default="draft", tracking=True, readonly=True)
    rating = fields.Selection(REVIEW_RATINGS, string="Conclusion", tracking=True)
    conclusion = fields.Html("Manager's Conclusion")
    concluded_by_id = fields.Many2one("res.users", string="Concluded By", readonly=True)
    concluded_date = fields.Datetime("Concluded On", readonly=True)
    figures_date = fields.Datetime("Figures Of", readonly=True)
    # Sales and margin (the quota lines' definition)
    sales_amount = fields.Monetary("Sales", readonly=True, help="Sales of the period as the quota lines count them.")
    sales_previous = fields.Monetary("Sales, Year Before", readonly=True)
    sales_growth = fields.Float("Growth (%)", digits=(16, 1), readonly=True, aggregator="avg")
    has_margin = fields.Boolean(readonly=True)
    margin_amount = fields.Monetary("Margin", readonly=True)
    margin_rate = fields.Float("Margin (%)", digits=(16, 1), readonly=True, aggregator="avg")
    # Credit (the credit overview)
    credit_grade_id = fields.Many2one("sales.credit.grade", string="Credit Grade", readonly=True)
    abc_class = fields.Selection(ABC_CLASSES, "ABC Class", readonly=True)
    credit_limit = fields.Monetary(readonly=True)
    credit_exposure = fields.Monetary("Credit Exposure", readonly=True)
    credit_available = fields.Monetary("Available Credit", readonly=True)
    overdue_amount = fields.Monetary("Overdue", readonly=True)
    oldest_overdue_days = fields.Integer("Oldest Overdue (days)", readonly=True)
    dso = fields.Float("DSO (days)", digits=(16, 1), readonly=True)
    is_credit_hold = fields.Boolean("On Credit Hold", readonly=True)
    # Complaints and satisfaction (the complaint statistics)
    complaint_count = fields.Integer("Complaints", readonly=True)
    complaint_open_count = fields.Integer("Open Complaints", readonly=True, help="Open today, whenever received.")
    complaint_on_time_rate = fields.Float("On-time Rate (%)", digits=(16, 1), readonly=True, aggregator="avg")
    complaint_cost = fields.Monetary("Complaint Cost", readonly=True, help="Credit notes and compensation.")
    survey_count = fields.Integer("Surveys", readonly=True)
    satisfaction_score = fields.Float("Satisfaction (1-5)", digits=(16, 1), readonly=True, aggregator="avg")
    satisfied_percent = fields.Float("Satisfied (%)", digits=(16, 1), readonly=True, aggregator="avg")
    # Visits
    visit_count = fields.Integer("Visits Done", readonly=True)
    last_visit_date = fields.Date("Last Visit", readonly=True)
    # Forecast against actual
    forecast_amount = fields.Monetary("Forecast", readonly=True)
    forecast_actual = fields.Monetary("Actual of Forecast Months", readonly=True)
    forecast_accuracy = fields.Float("Forecast Accuracy (%)", digits=(16, 1), readonly=True, aggregator="avg")

    # ------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------

    @api.depends("partner_id", "date")
    def _compute_name(self):
        for review in self:
            review.name = f"{review.partner_id.display_name or ''} · {review.date or ''}"

    @api.depends("partner_id")
    def _compute_manager_id(self):
        for review in self:
            review.manager_id = review.partner_id.key_account_manager_id or review.manager_id

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------

    @api.constrains("manager_id")
    def _check_manager_id(self):
        self._check_input_user("manager_id", INTERNAL_USER_GROUPS)

    @api.constrains("date_from", "date_to", "partner_id")
    def _check_review(self):
        for review in self:
            if review.date_from > review.date_to:
                raise ValidationError(
                    self.env._("The review period of %(review)s ends before it starts.", review=review.name)
                )
            if not review.partner_id.is_key_account:
                raise ValidationError(
                    self.env._(
                        "%(customer)s is not a key account: tick Key Account on the customer first.",
                        customer=review.partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(set(vals) - REVIEW_INPUT_FIELDS for vals in vals_list):
            raise AccessError(self.env._("The figures of a key-account review are computed, not typed in."))
        reviews = super().create(vals_list)
        reviews._refresh_figures()
        return reviews

    def write(self, vals):
        if not self.env.su and set(vals) - REVIEW_INPUT_FIELDS:
            raise AccessError(self.env._("The figures of a key-account review are computed, not typed in."))
        if set(vals) - REVIEW_WORKFLOW_FIELDS and any(review.state == "done" for review in self):
            raise UserError(self.env._("A concluded key-account review is kept as it is."))
        result = super().write(vals)
        if {"partner_id", "company_id", "date_from", "date_to"} & set(vals):
            self._refresh_figures()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(review.state == "done" for review in self):
            raise UserError(self.env._("A concluded key-account review cannot be deleted."))

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_refresh(self):
        if any(review.state == "done" for review in self):
            raise UserError(self.env._("A concluded key-account review is kept as it is."))
        self._refresh_figures()
        return True

    def action_conclude(self):
        for review in self:
            if review.state != "draft":
                raise UserError(self.env._("Only a draft review can be concluded."))
            if not review.rating:
                raise UserError(self.env._("Choose the Conclusion of the review %(review)s first.", review=review.name))
        self._refresh_figures()
        self.sudo().write({"state": "done", "concluded_by_id": self.env.uid, "concluded_date": fields.Datetime.now()})
        return True

    def action_reset_draft(self):
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(self.env._("Only a sales administrator can reopen a concluded review."))
        self.sudo().write({"state": "draft", "concluded_by_id": False, "concluded_date": False})
        return True

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _refresh_figures(self):
        """Write the figures of draft reviews, set-based per company and period."""
        drafts = self.filtered(lambda review: review.state == "draft")
        for (company, date_from, date_to), reviews in drafts.grouped(
            lambda r: (r.company_id, r.date_from, r.date_to)
        ).items():
            figures = self._get_figures(reviews.partner_id, company, date_from, date_to)
            for review in reviews:
                review.sudo().write(figures.get(review.partner_id.id, {}))

    @api.model
    def _get_figures(self, partners, company, date_from, date_to):
        """``{partner_id: {field: value}}`` of key accounts in ``company`` over [date_from, date_to].

        Sales as the quota lines count them, credit as the credit overview shows it,
        complaints as the complaint statistics count them; a fixed number of queries.
        """
        ids = partners.ids
        Plan = self.env["sales.quota.plan"]
        sales = Plan._read_company_actuals(company, date_from, date_to, ("partner",), None, {"partner": ids})
        previous = Plan._read_company_actuals(
            company, date_add(date_from, years=-1), date_add(date_to, years=-1), ("partner",), None, {"partner": ids}
        )
        margins = self._get_margin_values(partners, company, date_from, date_to)
        Status = self.env["sales.credit.status"].sudo()
        statuses = {status.partner_id.id: status for status in Status._get_status(partners, company)}
        exposures = Status._get_exposure(ids, company)
        start = datetime.combine(date_from, time.min)
        end = datetime.combine(date_to + timedelta(days=1), time.min)
        Complaint = self.env["sales.complaint"].sudo()
        window = [
            ("company_id", "=", company.id),
            ("partner_id", "in", ids),
            ("date_received", ">=", start),
            ("date_received", "<", end),
        ]
        complaints = Complaint._get_on_time_figures(window, "partner_id")
        costs = dict(Complaint._read_group(window, ["partner_id"], ["cost_amount:sum"]))
        open_counts = dict(
            Complaint._read_group(
                [("company_id", "=", company.id), ("partner_id", "in", ids), ("state", "in", OPEN_STATES)],
                ["partner_id"],
                ["__count"],
            )
        )
        surveys = {
            partner: (count, score, satisfied)
            for partner, count, score, satisfied in self.env["sales.complaint.survey"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", ids),
                    ("date", ">=", date_from),
                    ("date", "<=", date_to),
                ],
                ["partner_id"],
                ["__count", "score:avg", "satisfied_percent:avg"],
            )
        }
        visits = dict(
            self.env["sales.visit"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("commercial_partner_id", "in", ids),
                    ("state", "=", "done"),
                    ("date", ">=", date_from),
                    ("date", "<=", date_to),
                ],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        Forecast = self.env["sales.customer.forecast"].sudo()
        forecasts = Forecast.search(
            [
                ("company_id", "=", company.id),
                ("partner_id", "in", ids),
                ("date", ">=", date_from.replace(day=1)),
                ("date", "<=", date_to),
            ]
        )
        forecast_actuals = forecasts._get_actuals()
        forecast_pairs = defaultdict(list)
        for forecast in forecasts:
            forecast_pairs[forecast.partner_id.id].append(
                (forecast_actuals.get(forecast.id, 0.0), forecast.forecast_amount)
            )
        result = {}
        for partner in partners.sudo():
            status = statuses.get(partner.id, Status)
            exposure = exposures.get(partner.id, {})
            count, met, decided = complaints.get(partner, (0, 0, 0))
            survey_count, score, satisfied = surveys.get(partner, (0, 0.0, 0.0))
            amount = sales.get((partner.id, None), 0.0)
            before = previous.get((partner.id, None), 0.0)
            margin = margins.get(partner.id)
            pairs = forecast_pairs[partner.id]
            credit_limit = exposure.get("credit_limit", 0.0)
            result[partner.id] = {
                "user_id": partner.user_id.id,
                "area_id": partner.area_id.id,
                "figures_date": fields.Datetime.now(),
                "sales_amount": amount,
                "sales_previous": before,
                "sales_growth": quota_measures.growth_rate(amount, before),
                "has_margin": margin is not None,
                "margin_amount": margin or 0.0,
                "margin_rate": scorecard_tools.rate(margin or 0.0, amount) if margin is not None else 0.0,
                "credit_grade_id": status.grade_id.id,
                "abc_class": status.abc_class,
                "credit_limit": credit_limit,
                "credit_exposure": exposure.get("total", 0.0),
                "credit_available": credit_limit - exposure.get("total", 0.0),
                "overdue_amount": status.overdue_amount,
                "oldest_overdue_days": status.oldest_overdue_days,
                "dso": status.dso,
                "is_credit_hold": status.hold,
                "complaint_count": count,
                "complaint_open_count": open_counts.get(partner, 0),
                "complaint_on_time_rate": complaint_deadline.on_time_rate(met, decided),
                "complaint_cost": costs.get(partner, 0.0),
                "survey_count": survey_count,
                "satisfaction_score": score or 0.0,
                "satisfied_percent": satisfied or 0.0,
                "visit_count": visits.get(partner, 0),
                "last_visit_date": partner.visit_last_date,
                "forecast_amount": sum(forecast for _actual, forecast in pairs),
                "forecast_actual": sum(actual for actual, _forecast in pairs),
                "forecast_accuracy": scorecard_tools.forecast_accuracy(pairs) or 0.0,
            }
        return result

    @api.model
    def _get_margin_values(self, partners, company, date_from, date_to):
        """``{partner_id: margin}`` over the period, missing where unknown. Extension point.

        Waiting for issue 19 (margin actuals from posted invoices at product cost): until
        then no margin is measured and the review says so.
        """
        return {}

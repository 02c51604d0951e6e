from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount

from ..tools import scorecard as scorecard_tools
from .sales_management_input_mixin import INTERNAL_USER_GROUPS

ACCURACY_HELP = (
    "Forecast accuracy = 1 − |actual − forecast| ÷ forecast, at least 0 (without a forecast: 100% when "
    "nothing was bought, else 0%). For a rep or a period: 1 − Σ|actual − forecast| ÷ Σ forecast, so that "
    "errors of customers do not cancel out."
)


class SalesCustomerForecast(models.Model):
    """Customer forecast (客户下月预定订货量): what a customer is expected to order in a month.

    The rep records it before the month starts; the actual is the customer's sales
    of the month as the quota lines count them (the plan's basis).
    """

    _name = "sales.customer.forecast"
    _inherit = ["sales.management.input.mixin"]
    _description = "Customer Forecast"
    _order = "date desc, user_id, partner_id"
    _check_company_auto = True

    def _default_date(self):
        return fields.Date.add(fields.Date.context_today(self).replace(day=1), months=1)

    date = fields.Date("Month", required=True, index=True, default=_default_date, help="First day of the month.")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", compute="_compute_team_id", store=True, precompute=True, readonly=False
    )
    area_id = fields.Many2one(related="partner_id.area_id", string="Area", store=True, index="btree_not_null")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    forecast_amount = fields.Monetary("Forecast", aggregator="sum")
    note = fields.Char()
    actual_amount = fields.Monetary("Actual", compute="_compute_actual", help="The customer's sales of the month.")
    difference_amount = fields.Monetary("Difference", compute="_compute_actual", help="Actual − forecast.")
    accuracy = fields.Float("Accuracy (%)", compute="_compute_actual", digits=(16, 1), help=ACCURACY_HELP)
    is_locked = fields.Boolean(
        "Month Started", compute="_compute_is_locked", help="Once the month has started, only managers change it."
    )

    _sql_constraints = [
        ("month_partner_uniq", "unique(date, partner_id, company_id)", "One forecast per customer and month."),
    ]

    # ------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------

    @api.depends("partner_id", "date")
    def _compute_display_name(self):
        for forecast in self:
            month = forecast.date.strftime("%Y-%m") if forecast.date else ""
            forecast.display_name = f"{forecast.partner_id.display_name or ''} {month}".strip()

    @api.depends("user_id")
    def _compute_team_id(self):
        for forecast in self:
            forecast.team_id = forecast.user_id.sale_team_id

    @api.depends_context("date")
    @api.depends("date", "partner_id", "company_id", "forecast_amount")
    def _compute_actual(self):
        actuals = self._get_actuals()
        for forecast in self:
            actual = actuals.get(forecast.id, 0.0)
            forecast.actual_amount = actual
            forecast.difference_amount = actual - forecast.forecast_amount
            forecast.accuracy = scorecard_tools.line_accuracy(actual, forecast.forecast_amount)

    @api.depends("date")
    @api.depends_context("tz")
    def _compute_is_locked(self):
        month = fields.Date.context_today(self).replace(day=1)
        for forecast in self:
            forecast.is_locked = bool(forecast.date and forecast.date <= month)

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------

    @api.constrains("user_id")
    def _check_user_id(self):
        self._check_input_user("user_id", INTERNAL_USER_GROUPS)

    @api.constrains("date", "forecast_amount")
    def _check_values(self):
        for forecast in self:
            if forecast.date.day != 1:
                raise ValidationError(self.env._("A forecast month (Month) starts on the first day of the month."))
            if forecast.forecast_amount < 0:
                raise ValidationError(
                    self.env._(
                        "The forecast of %(customer)s cannot be negative (Forecast: %(amount)s).",
                        customer=forecast.partner_id.display_name,
                        amount=format_amount(self.env, forecast.forecast_amount, forecast.currency_id),
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        forecasts = super().create(vals_list)
        forecasts._check_rep_rights()
        return forecasts

    def write(self, vals):
        self._check_rep_rights()
        result = super().write(vals)
        self._check_rep_rights()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        self._check_rep_rights()

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _check_rep_rights(self):
        """A rep forecasts for himself, before the month starts; managers change any forecast."""
        if self.env.su or self.env.user.has_group("sales_team.group_sale_salesman_all_leads"):
            return
        for forecast in self:
            if forecast.user_id != self.env.user:
                raise UserError(self.env._("You can only record forecasts as their Salesperson yourself."))
            if forecast.is_locked:
                raise UserError(
                    self.env._(
                        "The month %(month)s has started: its forecast of %(customer)s can no longer be "
                        "changed by the salesperson.",
                        month=forecast.date.strftime("%Y-%m"),
                        customer=forecast.partner_id.display_name,
                    )
                )

    def _get_actuals(self):
        """{forecast id: the customer's sales in the month}, one read per company."""
        result = {}
        Plan = self.env["sales.quota.plan"]
        for company, forecasts in self.filtered(lambda f: f.date and f.partner_id).grouped("company_id").items():
            months = forecasts.mapped("date")
            actuals = Plan._read_company_actuals(
                company,
                min(months),
                fields.Date.end_of(max(months), "month"),
                ("partner",),
                "month",
                {"partner": forecasts.partner_id.ids},
            )
            for forecast in forecasts:
                result[forecast.id] = actuals.get((forecast.partner_id.id, forecast.date), 0.0)
        return result

    @api.model
    def _get_accuracy_by_user(self, users, date_from, date_to, company):
        """Forecast against actual of reps over the months of [date_from, date_to].

        ``{user_id: {"forecast_amount", "forecast_actual", "forecast_accuracy", "forecast_line_count"}}``;
        a rep without forecasts is missing. Two queries whatever the number of reps.
        """
        forecasts = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("user_id", "in", users.ids),
                ("date", ">=", date_from.replace(day=1)),
                ("date", "<=", date_to),
            ]
        )
        actuals = forecasts._get_actuals()
        pairs = defaultdict(list)
        for forecast in forecasts:
            pairs[forecast.user_id.id].append((actuals.get(forecast.id, 0.0), forecast.forecast_amount))
        return {
            user_id: {
                "forecast_amount": sum(forecast for _actual, forecast in rows),
                "forecast_actual": sum(actual for actual, _forecast in rows),
                "forecast_accuracy": scorecard_tools.forecast_accuracy(rows),
                "forecast_line_count": len(rows),
            }
            for user_id, rows in pairs.items()
        }

    @api.model
    def _prepare_forecasts(self, user, month, company):
        """Create the missing forecasts of ``user``'s customers for ``month``, prefilled.

        Customers: those he is salesperson of and those of his customer quota lines of the
        month. Prefill: the customer quota line's target of the month, else the average of
        the customer's last three complete months' sales. Returns the forecasts of the month.
        """
        month = month.replace(day=1)
        month_end = fields.Date.end_of(month, "month")
        quota_lines = (
            self.env["sales.quota.line"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("plan_id.state", "in", ("confirmed", "closed")),
                    ("breakdown", "=", "customer"),
                    ("period_level", "=", "month"),
                    ("date_from", "=", month),
                    ("user_id", "=", user.id),
                ]
            )
        )
        targets = defaultdict(float)
        for line in quota_lines:
            targets[line.partner_id.id] += line.target_amount
        # Customers, not colleagues: partners of internal users and of companies are left out.
        partners = self.env["res.partner"].search(
            [
                ("parent_id", "=", False),
                ("company_id", "in", (False, company.id)),
                ("id", "not in", self.env["res.company"].sudo().search([]).partner_id.ids),
                "|",
                ("user_ids", "=", False),
                ("user_ids.share", "=", True),
                "|",
                ("user_id", "=", user.id),
                ("id", "in", list(targets)),
            ]
        )
        existing = self.sudo().search([("company_id", "=", company.id), ("date", "=", month)])
        partners -= existing.partner_id
        # The last three complete months (the running one is not over yet).
        history_to = fields.Date.context_today(self).replace(day=1) - timedelta(days=1)
        history_from = fields.Date.subtract(history_to.replace(day=1), months=2)
        history = self.env["sales.quota.plan"]._read_company_actuals(
            company, history_from, history_to, ("partner",), None, {"partner": partners.ids}
        )
        currency = company.currency_id
        self.create(
            [
                {
                    "date": month,
                    "partner_id": partner.id,
                    "user_id": user.id,
                    "company_id": company.id,
                    "forecast_amount": currency.round(
                        targets.get(partner.id) or max(history.get((partner.id, None), 0.0), 0.0) / 3.0
                    ),
                }
                for partner in partners
            ]
        )
        return self.search(
            [
                ("company_id", "=", company.id),
                ("date", ">=", month),
                ("date", "<=", month_end),
                ("user_id", "=", user.id),
            ]
        )

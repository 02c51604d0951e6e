from collections import defaultdict
from datetime import date, datetime, time, timedelta

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import quota_measures, seasonality
from .sales_management_xlsx_mixin import XLSX_FIRST_DATA_ROW, XLSX_HEADER_ROW

PLAN_STATES = [("draft", "Draft"), ("confirmed", "Confirmed"), ("closed", "Closed")]
# Target state -> the states a plan may come from (Confirm, Close, Revise).
PLAN_TRANSITIONS = {"confirmed": ("draft",), "closed": ("confirmed",), "draft": ("confirmed",)}
PLAN_BASES = [("invoice", "Posted Invoices"), ("order", "Confirmed Orders")]
TARGET_MODES = [("typed", "Typed"), ("derived", "Last Year × Growth")]
# Targets, costs and plan-basis inputs: none may be negative.
PLAN_NON_NEGATIVE_FIELDS = (
    "sales_target",
    "margin_target",
    "new_product_target",
    "fixed_costs",
    "variable_costs",
    "planned_profit",
    "planned_assets",
    "asset_turnover",
    "net_profit_rate",
    "headcount",
    "value_added_per_person",
    "value_added_rate",
)

# Fields of a quarter line that are the sums of its months.
QUARTER_SUM_FIELDS = (
    "target_amount",
    "margin_target",
    "new_product_target",
    "collection_target",
    "new_customer_target",
    "target_quantity",
)
QUARTER_MONEY_FIELDS = {"target_amount", "margin_target", "new_product_target", "collection_target"}
# Fields a confirmed or closed plan still lets its workflow write.
PLAN_WORKFLOW_FIELDS = {"state", "revision_count", "message_main_attachment_id"}


class SalesQuotaPlan(models.Model):
    _name = "sales.quota.plan"
    _description = "Sales Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.management.input.mixin", "sales.management.xlsx.mixin"]
    _order = "year desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------

    name = fields.Char(compute="_compute_name", store=True, readonly=False, required=True, precompute=True)
    year = fields.Integer(
        required=True,
        default=lambda self: fields.Date.context_today(self).year,
        tracking=True,
        aggregator=False,
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id", store=True)
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team Scope",
        check_company=True,
        tracking=True,
        help="Leave empty for a company-wide plan; set it for a plan of one team only.",
    )
    basis = fields.Selection(
        PLAN_BASES,
        required=True,
        default="invoice",
        tracking=True,
        help="Posted Invoices: customer invoices net of credit notes, in company currency "
        "(the accountants' figure). Confirmed Orders: untaxed amount of confirmed sale orders.",
    )
    state = fields.Selection(PLAN_STATES, required=True, default="draft", tracking=True, copy=False)
    target_mode = fields.Selection(TARGET_MODES, required=True, default="typed")
    growth_rate = fields.Float("Growth (%)", help="Growth on last year's actual sales.")
    quarterly_step = fields.Float(
        "Quarterly Step (%)", help="Extra growth added each quarter, e.g. 5 for +5% a quarter."
    )
    sales_target = fields.Monetary(tracking=True)
    margin_target = fields.Monetary("Profit (Margin) Target", tracking=True)
    new_product_target = fields.Monetary("New-Product Sales Target", tracking=True)
    last_year_amount = fields.Monetary("Last Year's Sales", readonly=True, copy=False)
    history_year_count = fields.Integer("History Years Used", readonly=True, copy=False)
    history_years = fields.Char("Years of History", readonly=True, copy=False)
    split_weeks = fields.Boolean("Split into Weeks", default=True)
    split_days = fields.Boolean("Split into Working Days", default=True)
    share_ids = fields.One2many("sales.quota.plan.share", "plan_id", string="Shares", copy=False)
    line_ids = fields.One2many("sales.quota.line", "plan_id", string="Quota Lines", copy=False)
    line_count = fields.Integer(compute="_compute_line_count")
    generated_date = fields.Datetime("Last Generated", readonly=True, copy=False)
    revision_count = fields.Integer("Revisions", readonly=True, copy=False)
    # Plan bases (表2.2.2), informational: what other ways of setting the target would give.
    fixed_costs = fields.Monetary()
    variable_costs = fields.Monetary(help="Variable costs planned for the sales target.")
    planned_profit = fields.Monetary(
        help="Pre-tax profit the plan aims at; the break-even basis adds it to the fixed costs.",
    )
    marginal_profit_ratio = fields.Float(compute="_compute_plan_bases", digits=(16, 4))
    break_even_amount = fields.Monetary("Break-even Sales", compute="_compute_plan_bases")
    required_sales_amount = fields.Monetary(
        "Sales for the Planned Profit",
        compute="_compute_plan_bases",
        help="(Fixed costs + planned profit) / marginal profit ratio.",
    )
    past_actual_basis = fields.Monetary(compute="_compute_plan_bases", help="Last year's sales x (1 + growth).")
    planned_assets = fields.Monetary()
    asset_turnover = fields.Float("Asset Turnover (Turns a Year)", digits=(16, 2))
    asset_turnover_basis = fields.Monetary("Asset-Turnover Basis", compute="_compute_plan_bases")
    net_profit_rate = fields.Float("Planned Net-Profit Rate (%)", digits=(16, 2))
    net_profit_rate_basis = fields.Monetary("Net-Profit-Rate Basis", compute="_compute_plan_bases")
    headcount = fields.Integer()
    value_added_per_person = fields.Monetary("Value Added per Person")
    value_added_rate = fields.Float("Value-Added Rate (%)", digits=(16, 2))
    value_added_basis = fields.Monetary("Value-Added Basis", compute="_compute_plan_bases")
    # Achievement of the whole plan (its company or team), live and set-based
    actual_amount = fields.Monetary("Actual Sales", compute="_compute_achievement")
    achievement_rate = fields.Float("Achievement (%)", compute="_compute_achievement", digits=(16, 1))
    last_year_actual = fields.Monetary("Last Year's Actual", compute="_compute_achievement")
    growth_actual_rate = fields.Float("Actual Growth (%)", compute="_compute_achievement", digits=(16, 1))
    margin_actual = fields.Monetary("Actual Margin", compute="_compute_achievement")
    margin_achievement_rate = fields.Float("Margin Achievement (%)", compute="_compute_achievement", digits=(16, 1))
    margin_rate = fields.Float("Margin (%)", compute="_compute_achievement", digits=(16, 1))
    last_year_margin_rate = fields.Float("Last Year's Margin (%)", compute="_compute_achievement", digits=(16, 1))
    margin_rate_trend = fields.Float(
        "Margin Trend (points)",
        compute="_compute_achievement",
        digits=(16, 1),
        help="Margin % minus last year's margin %.",
    )
    new_product_actual = fields.Monetary("New-Product Sales", compute="_compute_achievement")
    new_product_rate = fields.Float("New-Product Achievement (%)", compute="_compute_achievement", digits=(16, 1))
    new_product_launch_from = fields.Date(
        "New Products Launched From",
        compute="_compute_new_product_launch_from",
        help="Products launched on or after this date, or flagged New Product, are new in this plan "
        "(the period is set in Settings).",
    )
    quarter_summary = fields.Html("Quarters", compute="_compute_achievement", sanitize=False)

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------

    @api.depends("year", "team_id")
    def _compute_name(self):
        for plan in self:
            name = self.env._("Sales Plan %(year)s", year=plan.year)
            plan.name = f"{name} - {plan.team_id.name}" if plan.team_id else name

    def _compute_line_count(self):
        counts = dict(self.env["sales.quota.line"]._read_group([("plan_id", "in", self.ids)], ["plan_id"], ["__count"]))
        for plan in self:
            plan.line_count = counts.get(plan, 0)

    @api.depends(
        "fixed_costs",
        "variable_costs",
        "planned_profit",
        "sales_target",
        "last_year_amount",
        "growth_rate",
        "planned_assets",
        "asset_turnover",
        "net_profit_rate",
        "headcount",
        "value_added_per_person",
        "value_added_rate",
    )
    def _compute_plan_bases(self):
        for plan in self:
            ratio, break_even = quota_measures.break_even(plan.fixed_costs, plan.variable_costs, plan.sales_target)
            _ratio, required = quota_measures.break_even(
                plan.fixed_costs, plan.variable_costs, plan.sales_target, plan.planned_profit
            )
            plan.marginal_profit_ratio = ratio
            plan.break_even_amount = break_even
            plan.required_sales_amount = required
            plan.past_actual_basis = plan.last_year_amount * (1.0 + plan.growth_rate / 100.0)
            plan.asset_turnover_basis = quota_measures.asset_turnover_sales(plan.planned_assets, plan.asset_turnover)
            plan.net_profit_rate_basis = quota_measures.net_profit_rate_sales(plan.planned_profit, plan.net_profit_rate)
            plan.value_added_basis = quota_measures.value_added_sales(
                plan.headcount, plan.value_added_per_person, plan.value_added_rate
            )

    @api.depends("year", "company_id.quota_new_product_months")
    def _compute_new_product_launch_from(self):
        for plan in self:
            plan.new_product_launch_from = quota_measures.new_product_launch_from(
                plan.year or fields.Date.context_today(plan).year, plan.company_id.quota_new_product_months
            )

    @api.depends_context("date")
    @api.depends(
        "year",
        "company_id.quota_new_product_months",
        "team_id",
        "basis",
        "target_mode",
        "growth_rate",
        "quarterly_step",
        "sales_target",
        "margin_target",
        "new_product_target",
    )
    def _compute_achievement(self):
        """Whole-plan figures: three _read_group per plan (this year by month, last year, new products)."""
        quarter_targets = self._get_quarter_targets()
        for plan in self:
            if not plan.id or not plan.year or not 2000 <= plan.year <= 2100:
                plan._set_empty_achievement()
                continue
            figures = plan._get_year_figures()
            sales, cost = figures["sales"], figures["cost"]
            last_sales, last_cost = figures["last_sales"], figures["last_cost"]
            plan.actual_amount = sum(sales)
            plan.achievement_rate = quota_measures.achievement_rate(plan.actual_amount, plan.sales_target)
            plan.last_year_actual = sum(last_sales)
            plan.growth_actual_rate = quota_measures.growth_rate(plan.actual_amount, plan.last_year_actual)
            plan.margin_actual = plan.actual_amount - sum(cost)
            plan.margin_achievement_rate = quota_measures.achievement_rate(plan.margin_actual, plan.margin_target)
            plan.margin_rate = quota_measures.margin_rate(plan.actual_amount, sum(cost))
            plan.last_year_margin_rate = quota_measures.margin_rate(plan.last_year_actual, sum(last_cost))
            plan.margin_rate_trend = plan.margin_rate - plan.last_year_margin_rate
            plan.new_product_actual = figures["new_product"]
            plan.new_product_rate = quota_measures.achievement_rate(plan.new_product_actual, plan.new_product_target)
            plan.quarter_summary = plan._render_quarter_summary(figures, quarter_targets.get(plan.id, {}))

    def _set_empty_achievement(self):
        for fname in (
            "actual_amount",
            "achievement_rate",
            "last_year_actual",
            "growth_actual_rate",
            "margin_actual",
            "margin_achievement_rate",
            "margin_rate",
            "last_year_margin_rate",
            "margin_rate_trend",
            "new_product_actual",
            "new_product_rate",
        ):
            self[fname] = 0.0
        self.quarter_summary = False

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.model
    def _get_input_ranges(self):
        return {
            **super()._get_input_ranges(),
            "year": (2000, 2100),
            "net_profit_rate": (0.0, 100.0),
            "value_added_rate": (0.0, 100.0),
            # A fall of more than 100% leaves a negative target.
            "growth_rate": (-100.0, None),
            "quarterly_step": (-100.0, None),
        }

    @api.constrains("name")
    def _check_name(self):
        for plan in self:
            if not (plan.name or "").strip():
                raise ValidationError(self.env._("A sales plan needs a name (Name)."))

    @api.constrains("net_profit_rate", "value_added_rate", "growth_rate", "quarterly_step")
    def _check_rates(self):
        self._check_input_range(["net_profit_rate", "value_added_rate", "growth_rate", "quarterly_step"])

    @api.constrains("year")
    def _check_year(self):
        for plan in self:
            if not 2000 <= plan.year <= 2100:
                raise ValidationError(self.env._("The plan year %(year)s is not a valid year.", year=plan.year))

    @api.constrains(*PLAN_NON_NEGATIVE_FIELDS)
    def _check_targets(self):
        for plan in self:
            negative = [fname for fname in PLAN_NON_NEGATIVE_FIELDS if plan[fname] < 0]
            if negative:
                raise ValidationError(
                    self.env._(
                        "Targets, costs and plan-basis inputs of plan %(plan)s cannot be negative: %(fields)s.",
                        plan=plan.name,
                        fields=", ".join(self._fields[fname]._description_string(self.env) for fname in negative),
                    )
                )

    @api.constrains("year", "company_id", "team_id")
    def _check_unique_scope(self):
        for plan in self:
            other = self.search_count(
                [
                    ("id", "!=", plan.id),
                    ("year", "=", plan.year),
                    ("company_id", "=", plan.company_id.id),
                    ("team_id", "=", plan.team_id.id),
                ]
            )
            if other:
                raise ValidationError(
                    self.env._(
                        "There is already a sales plan for %(year)s, company %(company)s and scope %(scope)s.",
                        year=plan.year,
                        company=plan.company_id.name,
                        scope=plan.team_id.name or self.env._("whole company"),
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "draft") != "draft" and not self.env.su:
                raise UserError(
                    self.env._(
                        "A sales plan starts as a draft, not %(state)s: generate its lines, then confirm it.",
                        state=dict(self._fields["state"]._description_selection(self.env)).get(
                            vals["state"], vals["state"]
                        ),
                    )
                )
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals:
            self._check_transition(vals["state"])
        # Not a context flag: the client controls the context, the fields it writes are checked here.
        if set(vals) - PLAN_WORKFLOW_FIELDS:
            self._check_editable()
        result = super().write(vals)
        if vals.get("state") in ("confirmed", "closed"):
            self._check_rules(vals["state"])
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_confirmed(self):
        if any(plan.state != "draft" for plan in self):
            raise UserError(self.env._("Only draft sales plans can be deleted."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_confirm(self):
        self._check_manager()
        for plan in self:
            if plan.state != "draft":
                raise UserError(self.env._("Only a draft plan can be confirmed."))
            if not plan.line_ids:
                raise UserError(
                    self.env._("Generate or import quota lines before confirming %(plan)s.", plan=plan.name)
                )
        self.write({"state": "confirmed"})

    def action_close(self):
        self._check_manager()
        if any(plan.state != "confirmed" for plan in self):
            raise UserError(self.env._("Only a confirmed plan can be closed."))
        self.write({"state": "closed"})

    def action_revise(self):
        """Reopen a confirmed plan for changes; only managers, and it is logged."""
        self._check_manager()
        for plan in self:
            if plan.state != "confirmed":
                raise UserError(self.env._("Only a confirmed plan can be revised."))
            plan.write({"state": "draft", "revision_count": plan.revision_count + 1})
            plan.message_post(
                body=self.env._(
                    "Plan reopened for revision %(count)s by %(user)s.",
                    count=plan.revision_count,
                    user=self.env.user.name,
                )
            )

    def action_generate(self):
        """Compute shares from history and (re)generate the quota lines, keeping manual adjustments."""
        self._generate(reset=False)

    def action_reset_generate(self):
        """Generate again from history, discarding manual adjustments of shares and lines."""
        self._generate(reset=True)

    def action_normalise_shares(self):
        """Rescale the adjusted shares of each dimension to 100%, keeping their proportions."""
        self._check_editable()
        for plan in self:
            for dimension in {s.dimension for s in plan.share_ids}:
                rows = plan.share_ids.filtered(lambda s, d=dimension: s.dimension == d)
                try:
                    result = seasonality.normalise_shares({row.id: row.share for row in rows})
                except ValueError as exc:
                    raise ValidationError(
                        self.env._(
                            "The %(dimension)s shares cannot be normalised: they are all zero.", dimension=dimension
                        )
                    ) from exc
                for row in rows:
                    row.share = result[row.id]

    def action_view_lines(self):
        """The plan's month lines of one breakdown: their targets add up to the plan's.

        Every line belongs to one breakdown and one period level, and each of
        them carries the whole target: summed across them a pivot would show
        the plan several times over. The filters can be changed, one of each
        kind (period, breakdown) keeps the totals right.
        """
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_management.sales_quota_line_action")
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {
            "default_plan_id": self.id,
            "search_default_filter_month": 1,
            "search_default_filter_salesperson": 1,
        }
        return action

    def action_view_quarters(self):
        """The plan's quarter lines by team and salesperson: the quarterly completion rate per rep and team."""
        action = self.action_view_lines()
        action["name"] = self.env._("Quarters")
        action["context"] = {
            "default_plan_id": self.id,
            "search_default_filter_quarter": 1,
            "search_default_filter_salesperson": 1,
            "search_default_group_team": 1,
        }
        return action

    def action_view_new_products(self):
        """The products this plan counts as new."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Products of %(plan)s", plan=self.name),
            "res_model": "product.product",
            "view_mode": "list,form",
            "domain": self._get_new_product_domain(prefix=""),
            "context": {"create": False},
        }

    def action_export_xlsx(self):
        """Plan vs actual as an XLSX download: one sheet per breakdown."""
        self.ensure_one()
        return self._xlsx_download(self._build_xlsx(), f"{self.name}.xlsx")

    # ------------------------------------------------------------------
    # Business methods: checks
    # ------------------------------------------------------------------

    def _check_manager(self):
        self._sales_check_rights(
            "sales_team.group_sale_salesman_all_leads",
            self.env._("Only sales managers can change the state of a sales plan."),
            superuser=False,
        )

    def _check_rules(self, state):
        """Re-run the rules of these plans as they become ``state`` (confirmed or closed), whatever the path.

        Their constraints, their shares' (each dimension sums to 100%) and, at
        confirmation, their quota lines' (periods, targets, teams).
        """
        self._validate_fields(self._fields)
        self._check_company()
        self.share_ids._validate_fields(self.share_ids._fields)
        if state == "confirmed":
            self.line_ids._validate_fields(self.line_ids._fields)
        labels = dict(self.env["sales.quota.plan.share"]._fields["dimension"]._description_selection(self.env))
        states = dict(self._fields["state"]._description_selection(self.env))
        for plan in self:
            for dimension, shares in plan.share_ids.grouped("dimension").items():
                if not seasonality.shares_sum_to_100(shares.mapped("share")):
                    raise ValidationError(
                        self.env._(
                            "The %(dimension)s shares of %(plan)s sum to %(total).2f%%; they must sum to 100%% "
                            "to set the plan %(state)s. Correct them or use Normalise.",
                            dimension=labels[dimension],
                            plan=plan.name,
                            total=sum(shares.mapped("share")),
                            state=states[state],
                        )
                    )

    def _check_transition(self, state):
        """The states follow PLAN_TRANSITIONS, from a button or a direct write (the
        superuser, i.e. code and data loading, excepted); a plan is confirmed with lines."""
        if self.env.su:
            return
        self._check_state_transition(
            state,
            PLAN_TRANSITIONS,
            lambda plan, current, target, allowed: self.env._(
                "The sales plan %(plan)s cannot go from %(current)s to %(target)s; from %(current)s it "
                "can go to: %(allowed)s.",
                plan=plan.name,
                current=current,
                target=target,
                allowed=allowed,
            ),
        )
        if state == "confirmed":
            for plan in self.filtered(lambda plan: plan.state == "draft" and not plan.line_ids):
                raise UserError(
                    self.env._("Generate or import quota lines before confirming %(plan)s.", plan=plan.name)
                )

    def _check_editable(self):
        for plan in self:
            if plan.state != "draft":
                raise UserError(
                    self.env._(
                        "The sales plan %(plan)s is %(state)s: it is read-only. A manager can reopen it with Revise.",
                        plan=plan.name,
                        state=dict(PLAN_STATES)[plan.state],
                    )
                )

    # ------------------------------------------------------------------
    # Business methods: actuals (set-based)
    # ------------------------------------------------------------------

    def _get_basis_fields(self):
        """Field of the basis model for each dimension of a quota line."""
        self.ensure_one()
        if self.basis == "invoice":
            return {
                "team": "quota_team_id",
                "user": "quota_user_id",
                "partner": "partner_id",
                "categ": "quota_categ_id",
                "date": "date",
            }
        return {
            "team": "quota_team_id",
            "user": "salesman_id",
            "partner": "quota_partner_id",
            "categ": "quota_categ_id",
            "date": "quota_date",
        }

    def _get_actuals_domain(self, date_from, date_to):
        """Domain of the invoice or order lines counted as sales between two dates (inclusive)."""
        self.ensure_one()
        if self.basis == "invoice":
            domain = [
                ("company_id", "=", self.company_id.id),
                ("parent_state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("display_type", "=", "product"),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ]
        else:
            domain = [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "sale"),
                ("display_type", "=", False),
                ("quota_date", ">=", datetime.combine(date_from, time.min)),
                ("quota_date", "<", datetime.combine(date_to + timedelta(days=1), time.min)),
            ]
        if self.team_id:
            domain.append(("quota_team_id", "=", self.team_id.id))
        return domain

    def _get_new_product_domain(self, prefix="product_id."):
        """Products that count as new in this plan: flagged, or launched within the company's period."""
        self.ensure_one()
        launched_from = quota_measures.new_product_launch_from(self.year, self.company_id.quota_new_product_months)
        return [
            "|",
            (f"{prefix}is_new_product", "=", True),
            (f"{prefix}launch_date", ">=", launched_from),
        ]

    def _get_groupby(self, dims, granularity):
        fmap = self._get_basis_fields()
        groupby = [fmap[d] for d in dims]
        if granularity:
            groupby.append(f"{fmap['date']}:{granularity}")
        return groupby

    def _read_figures(self, date_from, date_to, dims=(), granularity="month", extra_domain=None):
        """Sales and their cost in company currency, grouped by dimensions and period, in one _read_group.

        Returns {(dimension ids..., period start or None): (sales, cost)}; dims
        are keys of _get_basis_fields ('team', 'user', 'partner', 'categ');
        granularity is 'month', 'day' or None (whole range). Credit notes count
        negative in both, so the margin is sales - cost.
        """
        self.ensure_one()
        groupby = self._get_groupby(dims, granularity)
        domain = self._get_actuals_domain(date_from, date_to) + list(extra_domain or [])
        company = self.company_id
        result = defaultdict(lambda: (0.0, 0.0))
        if self.basis == "invoice":
            rows = self.env["account.move.line"].sudo()._read_group(domain, groupby, ["balance:sum", "quota_cost:sum"])
            for *values, balance, cost in rows:
                result[self._actuals_key(values, granularity)] = (-balance, cost or 0.0)
            return result
        rows = (
            self.env["sale.order.line"]
            .sudo()
            ._read_group(domain, [*groupby, "currency_id"], ["price_subtotal:sum", "quota_cost:sum"])
        )
        for *values, currency, subtotal, cost in rows:
            key = self._actuals_key(values, granularity)
            amount = subtotal
            if currency and currency != company.currency_id:
                day = key[-1] if granularity else date_to
                amount = currency._convert(subtotal, company.currency_id, company, day or date_to)
            sales, costs = result[key]
            result[key] = (sales + amount, costs + (cost or 0.0))
        return result

    def _read_actuals(self, date_from, date_to, dims=(), granularity="month", extra_domain=None):
        """Sales in company currency grouped like _read_figures: {key: amount}."""
        figures = self._read_figures(date_from, date_to, dims, granularity, extra_domain)
        return defaultdict(float, {key: sales for key, (sales, _cost) in figures.items()})

    def _read_quantities(self, date_from, date_to, dims=(), granularity="month", extra_domain=None):
        """Quantities sold by unit of measure, grouped like _read_figures, in one _read_group.

        Returns {key: {uom id: quantity}}, credit notes negative; the caller
        converts them into the unit of its target.
        """
        self.ensure_one()
        groupby = self._get_groupby(dims, granularity)
        domain = self._get_actuals_domain(date_from, date_to) + list(extra_domain or [])
        result = defaultdict(lambda: defaultdict(float))
        if self.basis == "invoice":
            rows = (
                self.env["account.move.line"]
                .sudo()
                ._read_group(
                    [*domain, ("product_uom_id", "!=", False)],
                    [*groupby, "product_uom_id", "move_type"],
                    ["quantity:sum"],
                )
            )
            for *values, uom, move_type, quantity in rows:
                sign = -1.0 if move_type == "out_refund" else 1.0
                result[self._actuals_key(values, granularity)][uom.id] += sign * quantity
            return result
        rows = (
            self.env["sale.order.line"]
            .sudo()
            ._read_group([*domain, ("product_uom", "!=", False)], [*groupby, "product_uom"], ["product_uom_qty:sum"])
        )
        for *values, uom, quantity in rows:
            result[self._actuals_key(values, granularity)][uom.id] += quantity
        return result

    def _get_year_figures(self):
        """This year's and last year's sales and cost by month, and this year's new-product sales."""
        self.ensure_one()
        year_from, year_to = date(self.year, 1, 1), date(self.year, 12, 31)
        current = self._read_figures(year_from, year_to, (), "month")
        previous = self._read_figures(date(self.year - 1, 1, 1), date(self.year - 1, 12, 31), (), "month")
        new = self._read_actuals(year_from, year_to, (), None, self._get_new_product_domain())
        figures = {"new_product": new.get((None,), 0.0)}
        for name, year, values in (("", self.year, current), ("last_", self.year - 1, previous)):
            months = [values.get((date(year, m, 1),), (0.0, 0.0)) for m in seasonality.MONTHS]
            figures[f"{name}sales"] = [sales for sales, _cost in months]
            figures[f"{name}cost"] = [cost for _sales, cost in months]
        return figures

    def _get_quarter_targets(self):
        """{plan id: {quarter: target}} from the month lines of the team and salesperson breakdown."""
        plans = self.filtered("id")
        if not plans:
            return {}
        rows = (
            self.env["sales.quota.line"]
            .sudo()
            ._read_group(
                [("plan_id", "in", plans.ids), ("period_level", "=", "month"), ("breakdown", "=", "salesperson")],
                ["plan_id", "date_from:quarter"],
                ["target_amount:sum"],
            )
        )
        result = defaultdict(dict)
        for plan, quarter_start, amount in rows:
            result[plan.id][quota_measures.quarter_of(quarter_start.month)] = amount
        return result

    def _get_planned_growth(self, quarter, target, last_year):
        """Growth the plan asks of a quarter, in %: the OKR steps when derived, else the target's on last year."""
        self.ensure_one()
        if self.target_mode == "derived":
            return quota_measures.planned_growth(self.growth_rate, self.quarterly_step, quarter)
        return quota_measures.growth_rate(target, last_year)

    def _get_quarter_summary_rows(self, figures, quarter_targets):
        """One row a quarter: target, actual, completion, growth planned and achieved, margin."""
        self.ensure_one()
        rows = []
        quarters = zip(
            quota_measures.QUARTERS,
            quota_measures.quarter_totals(figures["sales"]),
            quota_measures.quarter_totals(figures["cost"]),
            quota_measures.quarter_totals(figures["last_sales"]),
            strict=True,
        )
        for quarter, sales, cost, last_sales in quarters:
            target = quarter_targets.get(quarter, 0.0)
            rows.append(
                {
                    "quarter": quarter,
                    "target": target,
                    "actual": sales,
                    "completion": quota_measures.achievement_rate(sales, target),
                    "last_year": last_sales,
                    "planned_growth": self._get_planned_growth(quarter, target, last_sales),
                    "growth": quota_measures.growth_rate(sales, last_sales),
                    "margin": sales - cost,
                    "margin_rate": quota_measures.margin_rate(sales, cost),
                }
            )
        return rows

    def _render_quarter_summary(self, figures, quarter_targets):
        rows = self._get_quarter_summary_rows(figures, quarter_targets)
        return self.env["ir.qweb"]._render(
            "sales_management.sales_quota_plan_quarter_summary",
            {"plan": self, "rows": rows, "currency": self.currency_id},
        )

    @api.model
    def _get_sales_plan(self, company, year):
        """The plan whose basis defines ``company``'s sales in ``year``: its company-wide
        plan, else a virtual one on posted invoices (the default basis)."""
        plan = self.sudo().search(
            [("company_id", "=", company.id), ("year", "=", year), ("team_id", "=", False)], limit=1
        )
        return plan or self.sudo().new({"company_id": company.id, "year": year, "basis": "invoice"})

    @api.model
    def _read_company_actuals(self, company, date_from, date_to, dims=(), granularity=None, dim_ids=None):
        """Sales of ``company`` as its quota lines count them, year by year on each year's
        plan basis (see _read_actuals); ``dim_ids`` narrows dimensions, e.g. {"partner": ids}."""
        result = defaultdict(float)
        for year in range(date_from.year, date_to.year + 1):
            plan = self._get_sales_plan(company, year)
            basis = plan._get_basis_fields()
            extra = [(basis[dim], "in", list(ids)) for dim, ids in (dim_ids or {}).items()]
            start, end = max(date_from, date(year, 1, 1)), min(date_to, date(year, 12, 31))
            for key, amount in plan._read_actuals(start, end, dims, granularity, extra).items():
                result[key] += amount
        return result

    @api.model
    def _actuals_key(self, values, granularity):
        values = list(values)
        period = None
        if granularity:
            period = values.pop()
            if isinstance(period, datetime):
                period = period.date()
        return (*(v.id if isinstance(v, models.BaseModel) else v for v in values), period)

    # ------------------------------------------------------------------
    # Business methods: generation
    # ------------------------------------------------------------------

    def _generate(self, reset=False):
        self._check_manager()
        self._check_editable()
        for plan in self.with_context(quota_generating=True):
            plan._generate_shares(reset=reset)
            count = plan._generate_lines(reset=reset)
            plan.generated_date = fields.Datetime.now()
            plan.message_post(
                body=self.env._(
                    "Quota lines generated%(reset)s: %(count)s new lines; "
                    "monthly split from %(years)s year(s) of history (%(periods)s).",
                    reset=self.env._(" (manual adjustments reset)") if reset else "",
                    count=count,
                    years=plan.history_year_count,
                    periods=plan.history_years,
                )
            )
            last_start, last_end = plan._get_history_periods()[-1]
            if last_end < date(plan.year - 1, 12, 31):
                plan.message_post(
                    body=self.env._(
                        "%(year)s is not over: last year is taken as the last twelve complete months, "
                        "%(start)s to %(end)s, so that every month counts with its real sales.",
                        year=plan.year - 1,
                        start=last_start,
                        end=last_end,
                    )
                )

    def _get_history_periods(self):
        """The three twelve-month periods of history, oldest first (see quota_measures.history_periods)."""
        self.ensure_one()
        return quota_measures.history_periods(self.year, fields.Date.context_today(self))

    def _history_ranges(self):
        """((history start, history end), (last year's start, last year's end))."""
        periods = self._get_history_periods()
        return (periods[0][0], periods[-1][1]), periods[-1]

    def _generate_shares(self, reset=False):
        """Shares of months, categories, teams and customers from history, manual ones kept."""
        self.ensure_one()
        periods = self._get_history_periods()
        (hist_from, hist_to), (ly_from, ly_to) = self._history_ranges()
        monthly = self._read_actuals(hist_from, hist_to, (), "month")
        # Keyed by period index and calendar month: a period need not be a calendar
        # year (next year's plan made before this one is over).
        history = {}
        for (period,), amount in monthly.items():
            index = next(i for i, (start, end) in enumerate(periods) if start <= period <= end)
            history[(index, period.month)] = amount
        shares, used = seasonality.monthly_shares(history, range(len(periods)))
        last = len(periods) - 1
        last_year = [history.get((last, m), 0.0) for m in seasonality.MONTHS]
        vals = {
            "history_year_count": len(used),
            "history_years": ", ".join(quota_measures.period_label(periods[i]) for i in used)
            or self.env._("none: even split"),
            "last_year_amount": sum(last_year),
        }
        if self.target_mode == "derived":
            targets = quota_measures.derived_monthly_targets(
                last_year, self.growth_rate / 100.0, self.quarterly_step / 100.0
            )
            vals["sales_target"] = self.currency_id.round(sum(targets))
        self.write(vals)

        month_amounts = {m: sum(history.get((i, m), 0.0) for i in used) for m in seasonality.MONTHS}
        month_pct = {m: share * 100.0 for m, share in zip(seasonality.MONTHS, shares, strict=True)}
        self._update_shares("month", month_amounts, month_pct, reset)

        categ = {k[0]: v for k, v in self._read_actuals(hist_from, hist_to, ("categ",), None).items() if k[0]}
        self._update_shares("category", categ, seasonality.shares_from_amounts(categ), reset)

        team = {k[0]: v for k, v in self._read_actuals(ly_from, ly_to, ("team",), None).items()}
        if self.team_id:
            team = {self.team_id.id: team.get(self.team_id.id, 0.0)}
        elif not any(v > 0 for v in team.values()):
            teams = self.env["crm.team"].search([("company_id", "in", (False, self.company_id.id))])
            team = {t.id: 0.0 for t in teams.filtered("member_ids")}
        self._update_shares("team", team, seasonality.shares_from_amounts(team), reset)

        customer = {k[0]: v for k, v in self._read_actuals(ly_from, ly_to, ("partner",), None).items() if k[0]}
        customer = {k: v for k, v in customer.items() if v > 0}
        self._update_shares("customer", customer, seasonality.shares_from_amounts(customer), reset)

    def _update_shares(self, dimension, amounts, history_pct, reset):
        """Write the shares of one dimension: history refreshed, manual shares kept, total 100%."""
        Share = self.env["sales.quota.plan.share"]
        key_field = Share._get_dimension_field(dimension)
        rows = self.share_ids.filtered(lambda s: s.dimension == dimension)
        if reset:
            rows.unlink()
            rows = Share
        by_key = {row[key_field].id if key_field != "month" else row.month: row for row in rows}
        stale = rows.filtered(
            lambda s: not s.is_manual and (s.month if key_field == "month" else s[key_field].id) not in amounts
        )
        stale.unlink()
        create_vals = []
        for key, amount in amounts.items():
            vals = {"history_amount": amount, "share_history": history_pct.get(key, 0.0)}
            row = by_key.get(key)
            if row and row.exists():
                if not row.is_manual:
                    vals["share"] = vals["share_history"]
                row.write(vals)
            else:
                vals.update(plan_id=self.id, dimension=dimension, share=vals["share_history"])
                vals[key_field] = key
                create_vals.append(vals)
        Share.create(create_vals)
        rows = self.share_ids.filtered(lambda s: s.dimension == dimension)
        if not rows:
            return
        manual = rows.filtered("is_manual")
        label = dict(Share._fields["dimension"]._description_selection(self.env))[dimension]
        manual_total = sum(manual.mapped("share"))
        if manual and (
            manual_total > 100.0 + 0.01 or (manual == rows and not seasonality.shares_sum_to_100(rows.mapped("share")))
        ):
            raise ValidationError(
                self.env._(
                    "The adjusted %(dimension)s shares sum to %(total).2f%%; they must sum to 100%%. "
                    "Correct them or use Normalise.",
                    dimension=label,
                    total=manual_total,
                )
            )
        try:
            result = seasonality.normalise_shares({row.id: row.share for row in rows}, fixed=set(manual.ids))
        except ValueError:
            result = {row.id: 100.0 / len(rows) for row in rows}
        for row in rows - manual:
            row.share = result[row.id]

    def _get_team_users(self, team_id, team_user_amounts):
        """(users, weights) of one team: its members weighted by last year's sales, even without."""
        if team_id:
            members = self.env["crm.team"].browse(team_id).sudo().member_ids
        else:
            members = self.env["res.users"].browse(
                [user for (team, user, _p), amount in team_user_amounts.items() if not team and user and amount > 0]
            )
        if not members:
            return [False], [1.0]
        weights = [max(team_user_amounts.get((team_id, user.id, None), 0.0), 0.0) for user in members]
        if not any(weights):
            weights = [1.0] * len(members)
        return members.ids, weights

    def _prepare_line_values(self, breakdown, level, date_from, date_to, amount, **dims):
        """Values of one generated quota line; other modules may add fields."""
        return {
            "plan_id": self.id,
            "breakdown": breakdown,
            "period_level": level,
            "date_from": date_from,
            "date_to": date_to,
            "team_id": dims.get("team_id") or False,
            "user_id": dims.get("user_id") or False,
            "partner_id": dims.get("partner_id") or False,
            "categ_id": dims.get("categ_id") or False,
            "target_amount": amount,
            "is_generated": True,
        }

    def _prepare_customer_line_values(self, partner, date_from, date_to, amount):
        """A customer's month line, on his salesperson and team when they agree with the plan."""
        user = partner.user_id
        # res.partner has no sales team without crm: the salesperson's own team stands for it.
        team = user.sale_team_id or self.team_id
        if self.team_id:
            team = self.team_id
        if team and user and user not in team.member_ids | team.user_id:
            user = self.env["res.users"]
        return self._prepare_line_values(
            "customer", "month", date_from, date_to, amount, partner_id=partner.id, team_id=team.id, user_id=user.id
        )

    def _get_category_month_history(self, date_from, date_to):
        """{calendar month: {category id: sales}} over the history years, one _read_group."""
        history = defaultdict(lambda: defaultdict(float))
        for (categ, period), amount in self._read_actuals(date_from, date_to, ("categ",), "month").items():
            if categ:
                history[period.month][categ] += amount
        return history

    def _generate_lines(self, reset=False):
        """Create the quota lines from the shares; returns how many were created."""
        self.ensure_one()
        Line = self.env["sales.quota.line"]
        if reset:
            self.line_ids.unlink()
        else:
            self.line_ids.filtered(lambda line: line.is_generated and not line.is_manual).unlink()
        kept = {line._get_key() for line in self.line_ids}
        digits = self.currency_id.decimal_places
        shares = defaultdict(dict)
        for share in self.share_ids:
            key = share.month if share.dimension == "month" else share[share._get_dimension_field(share.dimension)].id
            shares[share.dimension][key] = share.share
        month_weights = [shares["month"].get(m, 0.0) for m in seasonality.MONTHS]
        month_targets = seasonality.split_amount(self.sales_target, month_weights, digits)
        (hist_from, hist_to), (ly_from, ly_to) = self._history_ranges()
        team_user = self._read_actuals(ly_from, ly_to, ("team", "user"), None)
        # Category shares month by month (月别商品别): each category's share of the
        # same calendar month in history, scaled by the manager's adjustment.
        categ_history = self._get_category_month_history(hist_from, hist_to) if shares["category"] else {}
        categ_history_pct = {
            share.categ_id.id: share.share_history for share in self.share_ids if share.dimension == "category"
        }
        # Without teams and history, one company-level line a month still carries the target.
        teams = list(shares["team"]) or [False]
        team_users = {team: self._get_team_users(team, team_user) for team in teams}
        partners = self.env["res.partner"].browse(list(shares["customer"])).sudo()
        working_days = set()
        if self.split_weeks or self.split_days:
            working_days = set(self.company_id._get_sales_working_days(date(self.year, 1, 1), date(self.year, 12, 31)))

        vals_list = []
        for month, month_target in zip(seasonality.MONTHS, month_targets, strict=True):
            first, last = seasonality.month_bounds(self.year, month)
            team_targets = seasonality.split_amount(month_target, [shares["team"].get(t, 100.0) for t in teams], digits)
            for team, team_target in zip(teams, team_targets, strict=True):
                users, weights = team_users[team]
                for user, amount in zip(users, seasonality.split_amount(team_target, weights, digits), strict=True):
                    dims = {"team_id": team, "user_id": user}
                    vals_list.append(self._prepare_line_values("salesperson", "month", first, last, amount, **dims))
                    days, weeks = seasonality.working_day_split(amount, first, last, working_days, digits)
                    if self.split_weeks:
                        vals_list += [
                            self._prepare_line_values("salesperson", "week", start, end, part, **dims)
                            for start, end, part in weeks
                        ]
                    if self.split_days:
                        vals_list += [
                            self._prepare_line_values("salesperson", "day", day, day, part, **dims)
                            for day, part in days
                        ]
            categs = list(shares["category"])
            month_categ_pct = seasonality.month_category_shares(
                categ_history.get(month, {}), categ_history_pct, shares["category"]
            )
            for categ, amount in zip(
                categs,
                seasonality.split_amount(month_target, [month_categ_pct[c] for c in categs], digits),
                strict=True,
            ):
                vals_list.append(self._prepare_line_values("category", "month", first, last, amount, categ_id=categ))
            customer_targets = seasonality.split_amount(
                month_target, [shares["customer"][p.id] for p in partners], digits
            )
            vals_list += [
                self._prepare_customer_line_values(partner, first, last, amount)
                for partner, amount in zip(partners, customer_targets, strict=True)
            ]
        self._split_secondary_targets(vals_list, digits)
        vals_list = [vals for vals in vals_list if Line._get_key_from_values(vals) not in kept]
        # Creating the month lines also makes their quarter lines (sales.quota.line.create).
        Line.create(vals_list)
        return len(vals_list)

    def _split_secondary_targets(self, vals_list, digits):
        """Margin and new-product targets follow the sales targets, summing exactly to the plan's.

        The month lines of each breakdown share the plan's target in proportion
        to their sales targets; the weeks and days of a month line share its own.
        """
        self.ensure_one()

        def shape(vals):
            return tuple(vals.get(fname) or False for fname in ("team_id", "user_id", "partner_id", "categ_id"))

        months = defaultdict(list)
        parts = defaultdict(list)
        for vals in vals_list:
            if vals["period_level"] == "month":
                months[vals["breakdown"]].append(vals)
            else:
                parts[(vals["breakdown"], vals["period_level"], vals["date_from"].month, shape(vals))].append(vals)
        for fname in ("margin_target", "new_product_target"):
            month_amounts = {}
            for breakdown, rows in months.items():
                amounts = seasonality.split_amount(self[fname], [vals["target_amount"] for vals in rows], digits)
                for vals, amount in zip(rows, amounts, strict=True):
                    vals[fname] = amount
                    month_amounts[(breakdown, vals["date_from"].month, shape(vals))] = amount
            for (breakdown, _level, month, line_shape), rows in parts.items():
                total = month_amounts.get((breakdown, month, line_shape), 0.0)
                amounts = seasonality.split_amount(total, [vals["target_amount"] for vals in rows], digits)
                for vals, amount in zip(rows, amounts, strict=True):
                    vals[fname] = amount

    def _sync_quarter_lines(self):
        """Make each plan's quarter lines the sums of their month lines, breakdown by breakdown.

        A quarter is a period of its own (the OKR's quarterly steps, the
        quarterly completion rate), with its own lines that are never typed:
        created, updated and deleted here whenever month lines change.
        """
        Line = self.env["sales.quota.line"]
        for plan in self.exists():
            sums = {}
            for line in plan.line_ids.filtered(lambda line: line.period_level == "month"):
                key = line._get_quarter_key()
                values = sums.setdefault(key, dict.fromkeys(QUARTER_SUM_FIELDS, 0.0) | {"uom_id": False})
                for fname in QUARTER_SUM_FIELDS:
                    if fname == "target_quantity":
                        continue
                    values[fname] += line[fname]
                if line.target_quantity:
                    uom = values["uom_id"] and self.env["uom.uom"].browse(values["uom_id"])
                    if not uom:
                        values["uom_id"] = line.uom_id.id
                        values["target_quantity"] += line.target_quantity
                    elif uom.category_id == line.uom_id.category_id:
                        values["target_quantity"] += line.uom_id._compute_quantity(
                            line.target_quantity, uom, round=False
                        )
            digits = plan.currency_id.decimal_places
            quarters = plan.line_ids.filtered(lambda line: line.period_level == "quarter")
            existing = {line._get_quarter_key(): line for line in quarters}
            Line.browse([line.id for key, line in existing.items() if key not in sums])._unlink_quarters()
            create_vals = []
            for key, raw in sums.items():
                values = {
                    fname: round(value, digits) if fname in QUARTER_MONEY_FIELDS else value
                    for fname, value in raw.items()
                }
                line = existing.get(key)
                if not line:
                    create_vals.append(plan._prepare_quarter_line_values(key, values))
                    continue
                changed = {
                    fname: value
                    for fname, value in values.items()
                    if (line[fname].id if fname == "uom_id" else line[fname]) != value
                }
                if changed:
                    line._write_quarter_totals(changed)
            Line._create_quarters(create_vals)

    def _prepare_quarter_line_values(self, key, values):
        """Values of a quarter line from its key (see sales.quota.line._get_quarter_key) and its sums."""
        self.ensure_one()
        breakdown, quarter, team, user, partner, categ = key
        date_from, date_to = quota_measures.quarter_bounds(self.year, quarter)
        return {
            "plan_id": self.id,
            "breakdown": breakdown,
            "period_level": "quarter",
            "date_from": date_from,
            "date_to": date_to,
            "team_id": team,
            "user_id": user,
            "partner_id": partner,
            "categ_id": categ,
            "is_generated": True,
            **values,
        }

    # ------------------------------------------------------------------
    # Business methods: XLSX
    # ------------------------------------------------------------------

    def _get_xlsx_columns(self):
        """(field, title, kind[, numerator, denominator]) of each column of a plan-vs-actual sheet.

        Percent columns name the two money columns their total row divides
        (a growth column divides the difference), so totals are true ratios.
        """
        return [
            ("date_from", self.env._("Period"), "date"),
            ("team_id", self.env._("Sales Team"), "text"),
            ("user_id", self.env._("Salesperson"), "text"),
            ("partner_id", self.env._("Customer"), "text"),
            ("categ_id", self.env._("Product Category"), "text"),
            ("area_id", self.env._("Area"), "text"),
            ("target_amount", self.env._("Target"), "money"),
            ("actual_amount", self.env._("Actual"), "money"),
            ("achievement_rate", self.env._("Achievement %"), "percent", "actual_amount", "target_amount"),
            ("gap_amount", self.env._("Gap"), "money"),
            ("last_year_amount", self.env._("Last Year"), "money"),
            ("growth_rate", self.env._("Growth %"), "growth", "actual_amount", "last_year_amount"),
            ("planned_growth_rate", self.env._("Planned Growth %"), "growth", "target_amount", "last_year_amount"),
            ("projected_amount", self.env._("Projection"), "money"),
            ("margin_target", self.env._("Margin Target"), "money"),
            ("margin_actual", self.env._("Margin"), "money"),
            ("margin_rate", self.env._("Margin %"), "percent", "margin_actual", "actual_amount"),
            (
                "margin_achievement_rate",
                self.env._("Margin Achievement %"),
                "percent",
                "margin_actual",
                "margin_target",
            ),
            ("last_year_margin", self.env._("Last Year's Margin"), "money"),
            (
                "last_year_margin_rate",
                self.env._("Last Year's Margin %"),
                "percent",
                "last_year_margin",
                "last_year_amount",
            ),
            ("new_product_target", self.env._("New-Product Target"), "money"),
            ("new_product_actual", self.env._("New-Product Sales"), "money"),
            ("new_product_rate", self.env._("New-Product %"), "percent", "new_product_actual", "new_product_target"),
            ("target_quantity", self.env._("Target Quantity"), "quantity"),
            ("uom_id", self.env._("Unit"), "text"),
            ("actual_quantity", self.env._("Actual Quantity"), "quantity"),
            ("quantity_rate", self.env._("Quantity %"), "rate"),
            ("collection_target", self.env._("Collection Target"), "money"),
            ("collection_actual", self.env._("Collected"), "money"),
            ("collection_rate", self.env._("Collection %"), "percent", "collection_actual", "collection_target"),
        ]

    def _get_xlsx_sheets(self):
        """[(sheet title, lines)]: the months of each breakdown, then the quarters of each."""
        self.ensure_one()
        breakdowns = dict(self.env["sales.quota.line"]._fields["breakdown"]._description_selection(self.env))
        sheets = []
        for level, level_label in (("month", self.env._("Months")), ("quarter", self.env._("Quarters"))):
            level_lines = self.line_ids.filtered(lambda line, lv=level: line.period_level == lv)
            for breakdown, label in breakdowns.items():
                lines = level_lines.filtered(lambda line, b=breakdown: line.breakdown == b)
                sheets.append((f"{label} - {level_label}", lines))
        return sheets

    def _build_xlsx(self):
        self.ensure_one()
        book, output = self._xlsx_workbook()
        formats = self._xlsx_formats(book)
        total_formats = {"money": formats["total_money"], "percent": formats["total_percent"]}
        columns = self._get_xlsx_columns()
        all_lines = self.line_ids
        # One batch computation of the live measures for every sheet.
        if all_lines:
            all_lines._fields["actual_amount"].compute_value(all_lines)
        title = self.env._("%(plan)s - plan vs actual", plan=self.name)
        period = self._xlsx_period_label(as_of=fields.Date.context_today(self))
        headers = [column_title for _fname, column_title, *_rest in columns]
        for sheet_title, lines in self._get_xlsx_sheets():
            sheet = self._xlsx_sheet(
                book, formats, sheet_title, title, headers, self.company_id, period, widths=[11] + [14] * len(headers)
            )
            row = XLSX_HEADER_ROW
            for row, line in enumerate(lines, start=XLSX_FIRST_DATA_ROW):
                self._write_xlsx_line(sheet, row, line, columns, formats)
            sheet.write_string(row + 1, 0, self.env._("Total"), formats["head"])
            if row > XLSX_HEADER_ROW:
                self._write_xlsx_totals(sheet, XLSX_FIRST_DATA_ROW, row, lines, columns, total_formats)
        book.close()
        return output.getvalue()

    @api.model
    def _write_xlsx_line(self, sheet, row, line, columns, formats):
        for col, (fname, _title, kind, *_ratio) in enumerate(columns):
            value = line[fname]
            if isinstance(value, models.BaseModel) or kind == "date":
                self._xlsx_write(sheet, row, col, value, formats[kind])
            elif kind in ("percent", "growth", "rate"):
                sheet.write_number(row, col, value / 100.0, formats["percent"])
            else:
                sheet.write_number(row, col, value, formats[kind])

    @api.model
    def _write_xlsx_totals(self, sheet, first_row, last_row, lines, columns, formats):
        """Sums of money columns below rows first_row..last_row (0-based), ratios of sums for percentages."""
        total_row = last_row + 1
        letters = {column[0]: xlsxwriter.utility.xl_col_to_name(col) for col, column in enumerate(columns)}
        for col, (fname, _title, kind, *ratio) in enumerate(columns):
            if kind == "money":
                letter = letters[fname]
                sheet.write_formula(
                    total_row,
                    col,
                    f"=SUM({letter}{first_row + 1}:{letter}{last_row + 1})",
                    formats["money"],
                    sum(lines.mapped(fname)),
                )
            elif kind in ("percent", "growth"):
                numerator, denominator = (f"{letters[name]}{total_row + 1}" for name in ratio)
                formula = (
                    f"=IF({denominator}=0,0,({numerator}-{denominator})/ABS({denominator}))"
                    if kind == "growth"
                    else f"=IF({denominator}=0,0,{numerator}/{denominator})"
                )
                sheet.write_formula(total_row, col, formula, formats["percent"])

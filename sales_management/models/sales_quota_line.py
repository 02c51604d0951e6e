from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools.date_utils import add as date_add

from ..tools import quota_measures

PERIOD_LEVELS = [("month", "Month"), ("week", "Week"), ("day", "Day")]
BREAKDOWNS = [
    ("salesperson", "Team and Salesperson"),
    ("category", "Product Category"),
    ("customer", "Customer"),
]
# Dimensions of a line, in the order of _read_actuals' keys.
LINE_DIMENSIONS = [("team", "team_id"), ("user", "user_id"), ("partner", "partner_id"), ("categ", "categ_id")]
TARGET_FIELDS = {"target_amount", "target_quantity", "collection_target", "new_customer_target"}
# What a salesperson may change on his own lines (plan in draft).
REP_WRITABLE_FIELDS = {"note"}


class SalesQuotaLine(models.Model):
    _name = "sales.quota.line"
    _description = "Quota Line"
    _order = "date_from, period_level, breakdown, team_id, user_id, id"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------

    plan_id = fields.Many2one("sales.quota.plan", string="Plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    plan_state = fields.Selection(related="plan_id.state", string="Plan Status")
    breakdown = fields.Selection(BREAKDOWNS, required=True, default="salesperson", index=True)
    period_level = fields.Selection(PERIOD_LEVELS, string="Period", required=True, default="month", index=True)
    date_from = fields.Date("From", required=True, index=True)
    date_to = fields.Date("To", required=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True, check_company=True)
    user_id = fields.Many2one("res.users", string="Salesperson", index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, check_company=True, domain=[("parent_id", "=", False)]
    )
    categ_id = fields.Many2one("product.category", string="Product Category", index=True)
    area_id = fields.Many2one(
        "sales.area",
        string="Area",
        compute="_compute_area_id",
        store=True,
        precompute=True,
        index="btree_not_null",
        help="The customer's area on customer lines, the sales team's otherwise.",
    )
    target_amount = fields.Monetary("Target", aggregator="sum")
    target_quantity = fields.Float("Target Quantity", aggregator="sum")
    collection_target = fields.Monetary(aggregator="sum", help="Cash to collect in the period (现金回款任务).")
    is_generated = fields.Boolean("Generated", readonly=True)
    is_manual = fields.Boolean(
        "Adjusted", readonly=True, help="Changed by hand: kept when the plan is generated again."
    )
    note = fields.Char()
    new_customer_target = fields.Integer(
        "New Customers Target",
        aggregator="sum",
        help="New customers to win (新客户开发) on a salesperson's month line; 0: the target in Settings.",
    )
    new_customer_count = fields.Integer(
        "New Customers Won", compute="_compute_new_customer_count", help="See Settings: first order or invoice."
    )
    # Achievement, live and set-based (not stored)
    actual_amount = fields.Monetary("Actual", compute="_compute_achievement")
    achievement_rate = fields.Float("Achievement (%)", compute="_compute_achievement", digits=(16, 1))
    gap_amount = fields.Monetary("Gap", compute="_compute_achievement")
    last_year_amount = fields.Monetary("Last Year", compute="_compute_achievement")
    growth_rate = fields.Float("Growth (%)", compute="_compute_achievement", digits=(16, 1))
    projected_amount = fields.Monetary("Projection", compute="_compute_achievement")
    collection_actual = fields.Monetary("Collected", compute="_compute_achievement")
    collection_rate = fields.Float("Collection (%)", compute="_compute_achievement", digits=(16, 1))

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------

    @api.depends("plan_id", "breakdown", "period_level", "date_from", "team_id", "user_id", "partner_id", "categ_id")
    def _compute_display_name(self):
        for line in self:
            who = line.partner_id or line.categ_id or line.user_id or line.team_id
            line.display_name = f"{line.plan_id.name or ''} / {line.date_from or ''} / {who.display_name or ''}"

    @api.depends("partner_id.area_id", "team_id.area_id")
    def _compute_area_id(self):
        for line in self:
            line.area_id = line.partner_id.area_id if line.partner_id else line.team_id.area_id

    @api.depends("user_id", "date_from", "date_to", "period_level", "breakdown")
    def _compute_new_customer_count(self):
        """Customers won on salesperson lines, from the scorecard's definition (one query per company)."""
        lines = self.filtered(lambda line: line.breakdown == "salesperson" and line.user_id and line.date_from)
        (self - lines).new_customer_count = 0
        Scorecard = self.env["sales.rep.scorecard"].sudo()
        for company, company_lines in lines.grouped("company_id").items():
            won = Scorecard.with_company(company)._get_won_customers(
                company_lines.user_id, min(company_lines.mapped("date_from")), max(company_lines.mapped("date_to"))
            )
            for line in company_lines:
                line.new_customer_count = sum(
                    1
                    for user_id, _partner_id, day in won
                    if user_id == line.user_id.id and line.date_from <= day <= line.date_to
                )

    @api.depends_context("date")
    @api.depends(
        "plan_id.basis", "date_from", "date_to", "team_id", "user_id", "partner_id", "categ_id", "target_amount"
    )
    def _compute_achievement(self):
        """Actual, last year's and collected amounts with one _read_group per plan, level and line shape."""
        today = fields.Date.context_today(self)
        groups = defaultdict(list)
        for line in self:
            if line.plan_id and line.date_from and line.date_to:
                groups[(line.plan_id, line.period_level, line._get_dimensions())].append(line.id)
        actual = dict.fromkeys(self.ids, 0.0)
        last_year = dict.fromkeys(self.ids, 0.0)
        for (plan, level, dims), line_ids in groups.items():
            lines = self.browse(line_ids)
            granularity = "month" if level == "month" else "day"
            date_from, date_to = min(lines.mapped("date_from")), max(lines.mapped("date_to"))
            extra = lines._get_dimension_domain(plan, dims)
            current = plan._read_actuals(date_from, date_to, dims, granularity, extra)
            previous = plan._read_actuals(
                date_add(date_from, years=-1), date_add(date_to, years=-1), dims, granularity, extra
            )
            for line in lines:
                key = line._get_dimension_key(dims)
                actual[line.id] = line._sum_periods(current, key, granularity, 0)
                last_year[line.id] = line._sum_periods(previous, key, granularity, 1)
        collected = self._compute_collection_actuals()
        for line in self:
            amount = actual.get(line.id, 0.0)
            line.actual_amount = amount
            line.achievement_rate = quota_measures.achievement_rate(amount, line.target_amount)
            line.gap_amount = line.target_amount - amount
            line.last_year_amount = last_year.get(line.id, 0.0)
            line.growth_rate = quota_measures.growth_rate(amount, line.last_year_amount)
            if line.date_from and line.date_to:
                total_days = (line.date_to - line.date_from).days + 1
                elapsed = min((today - line.date_from).days + 1, total_days)
                line.projected_amount = quota_measures.run_rate_projection(amount, elapsed, total_days)
            else:
                line.projected_amount = 0.0
            line.collection_actual = collected.get(line.id, 0.0)
            line.collection_rate = quota_measures.achievement_rate(line.collection_actual, line.collection_target)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("target_amount", "target_quantity", "collection_target", "new_customer_target")
    def _check_targets(self):
        for line in self:
            if min(line.target_amount, line.target_quantity, line.collection_target, line.new_customer_target) < 0:
                raise ValidationError(
                    self.env._("Quota line %(line)s: targets cannot be negative.", line=line.display_name)
                )

    @api.constrains("date_from", "date_to", "plan_id")
    def _check_period(self):
        for line in self:
            if line.date_from > line.date_to:
                raise ValidationError(
                    self.env._("Quota line %(line)s: the period ends before it starts.", line=line.display_name)
                )
            year = line.plan_id.year
            if line.date_from.year != year or line.date_to.year != year:
                raise ValidationError(
                    self.env._(
                        "Quota line %(line)s: the period %(start)s - %(end)s lies outside the plan year %(year)s.",
                        line=line.display_name,
                        start=line.date_from,
                        end=line.date_to,
                        year=year,
                    )
                )

    @api.constrains("team_id", "user_id")
    def _check_salesperson_in_team(self):
        for line in self:
            team = line.team_id.sudo()
            if team and line.user_id and line.user_id not in team.member_ids | team.user_id:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not a member of the sales team %(team)s.",
                        user=line.user_id.name,
                        team=team.name,
                    )
                )

    @api.constrains("team_id", "plan_id")
    def _check_plan_scope(self):
        for line in self:
            if line.plan_id.team_id and line.team_id and line.team_id != line.plan_id.team_id:
                raise ValidationError(
                    self.env._(
                        "The plan %(plan)s covers the team %(team)s only.",
                        plan=line.plan_id.name,
                        team=line.plan_id.team_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self.env["sales.quota.plan"].browse({v.get("plan_id") for v in vals_list if v.get("plan_id")})._check_editable()
        return super().create(vals_list)

    def write(self, vals):
        self.plan_id._check_editable()
        if not self.env.user.has_group("sales_management.group_sales_management_user_all") and (
            set(vals) - REP_WRITABLE_FIELDS
        ):
            raise AccessError(self.env._("Salespeople can only add notes to their quota lines."))
        if TARGET_FIELDS & set(vals) and not self.env.context.get("quota_generating"):
            vals = dict(vals, is_manual=True)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_confirmed(self):
        self.plan_id._check_editable()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _get_dimensions(self):
        """The dimensions this line is set on, e.g. ('team', 'user')."""
        self.ensure_one()
        return tuple(dim for dim, fname in LINE_DIMENSIONS if self[fname])

    def _get_dimension_key(self, dims):
        fmap = dict(LINE_DIMENSIONS)
        return tuple(self[fmap[dim]].id for dim in dims)

    def _get_dimension_domain(self, plan, dims):
        """Restrict the basis lines to the dimension values these lines use."""
        fmap = dict(LINE_DIMENSIONS)
        basis = plan._get_basis_fields()
        return [(basis[dim], "in", self.mapped(fmap[dim]).ids) for dim in dims]

    def _sum_periods(self, amounts, key, granularity, years_back):
        """Sum the grouped amounts of this line's periods (months or days)."""
        self.ensure_one()
        start = date_add(self.date_from, years=-years_back)
        end = date_add(self.date_to, years=-years_back)
        total = 0.0
        if granularity == "month":
            period = start.replace(day=1)
            while period <= end:
                total += amounts.get((*key, period), 0.0)
                period = (period.replace(day=28) + timedelta(days=4)).replace(day=1)
            return total
        day = start
        while day <= end:
            total += amounts.get((*key, day), 0.0)
            day += timedelta(days=1)
        return total

    def _get_key(self):
        self.ensure_one()
        return self._get_key_from_values(
            {
                "breakdown": self.breakdown,
                "period_level": self.period_level,
                "date_from": self.date_from,
                "team_id": self.team_id.id,
                "user_id": self.user_id.id,
                "partner_id": self.partner_id.id,
                "categ_id": self.categ_id.id,
            }
        )

    @api.model
    def _get_key_from_values(self, vals):
        """Identity of a line across generations, to keep the ones adjusted by hand."""
        return (
            vals["breakdown"],
            vals["period_level"],
            fields.Date.to_date(vals["date_from"]),
            *(vals.get(fname) or False for fname in ("team_id", "user_id", "partner_id", "categ_id")),
        )

    def _compute_collection_actuals(self):
        """{line id: collected} for month lines set on a salesperson (no customer or category)."""
        lines = self.filtered(
            lambda line: line.user_id and line.period_level == "month" and not line.partner_id and not line.categ_id
        )
        result = {}
        by_company = defaultdict(list)
        for line in lines:
            by_company[line.company_id].append(line.id)
        for company, line_ids in by_company.items():
            company_lines = self.browse(line_ids)
            collected = self._get_collection_actuals(
                company,
                company_lines.user_id.ids,
                min(company_lines.mapped("date_from")),
                max(company_lines.mapped("date_to")),
            )
            for line in company_lines:
                result[line.id] = collected.get((line.user_id.id, line.date_from.replace(day=1)), 0.0)
        return result

    @api.model
    def _get_collection_actuals(self, company, user_ids, date_from, date_to):
        """Cash collected by invoice salesperson and month, from the Credit capability.

        Returns {(user id, first day of month): amount in company currency}.
        """
        if not user_ids:
            return {}
        return self.env["sales.credit.collection"]._get_collected_by_user_month(
            company, date_from, date_to, user_ids=user_ids
        )

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.date_utils import add as date_add

from ..tools import quota_measures
from .sales_management_input_mixin import INTERNAL_USER_GROUPS

PERIOD_LEVELS = [("quarter", "Quarter"), ("month", "Month"), ("week", "Week"), ("day", "Day")]
BREAKDOWNS = [
    ("salesperson", "Team and Salesperson"),
    ("category", "Product Category"),
    ("customer", "Customer"),
]
# Dimensions of a line, in the order of _read_actuals' keys.
LINE_DIMENSIONS = [("team", "team_id"), ("user", "user_id"), ("partner", "partner_id"), ("categ", "categ_id")]
TARGET_FIELDS = {
    "target_amount",
    "target_quantity",
    "uom_id",
    "margin_target",
    "new_product_target",
    "new_customer_target",
    "collection_target",
}
# Fields whose change on a month line changes its quarter line.
QUARTER_SOURCE_FIELDS = TARGET_FIELDS | {
    "plan_id",
    "breakdown",
    "period_level",
    "date_from",
    "date_to",
    "team_id",
    "user_id",
    "partner_id",
    "categ_id",
}
# What a salesperson may change on his own lines (plan in draft).
REP_WRITABLE_FIELDS = {"note"}
# Live measures (computed, not stored) that grouped views sum from the lines.
LIVE_SUM_FIELDS = (
    "actual_amount",
    "gap_amount",
    "last_year_amount",
    "projected_amount",
    "collection_actual",
    "margin_actual",
    "last_year_margin",
    "new_product_actual",
    "actual_quantity",
)
# Live rates of grouped views: ratio of two sums ("ratio": a / b, "growth": (a - b) / b).
LIVE_RATE_FIELDS = {
    "achievement_rate": ("actual_amount", "target_amount", "ratio"),
    "growth_rate": ("actual_amount", "last_year_amount", "growth"),
    "collection_rate": ("collection_actual", "collection_target", "ratio"),
    "margin_rate": ("margin_actual", "actual_amount", "ratio"),
    "margin_achievement_rate": ("margin_actual", "margin_target", "ratio"),
    "last_year_margin_rate": ("last_year_margin", "last_year_amount", "ratio"),
    "new_product_rate": ("new_product_actual", "new_product_target", "ratio"),
    "quantity_rate": ("actual_quantity", "target_quantity", "ratio"),
}
LIVE_MEASURE_FIELDS = {*LIVE_SUM_FIELDS, *LIVE_RATE_FIELDS, "margin_rate_trend"}
# Key under which read_group gets each group's line ids (removed before returning).
GROUP_IDS_KEY = "__sales_quota_line_ids"


class SalesQuotaLine(models.Model):
    _name = "sales.quota.line"
    _inherit = ["sales.management.input.mixin"]
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
    margin_target = fields.Monetary("Margin Target", aggregator="sum")
    new_product_target = fields.Monetary("New-Product Target", aggregator="sum")
    target_quantity = fields.Float("Target Quantity", aggregator="sum", digits="Product Unit of Measure")
    uom_id = fields.Many2one(
        "uom.uom",
        string="Unit of Measure",
        default=lambda self: self.env.ref("uom.product_uom_unit", raise_if_not_found=False),
        help="Unit of the target quantity. Sales in a unit of the same category (e.g. dozens for units, "
        "grams for kilograms) are converted into it; products measured otherwise do not count.",
    )
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
    # Achievement, live and set-based (not stored; grouped views sum them, see read_group)
    actual_amount = fields.Monetary("Actual", compute="_compute_achievement")
    achievement_rate = fields.Float("Achievement (%)", compute="_compute_achievement", digits=(16, 1), aggregator="avg")
    gap_amount = fields.Monetary("Gap", compute="_compute_achievement")
    last_year_amount = fields.Monetary("Last Year", compute="_compute_achievement")
    growth_rate = fields.Float("Growth (%)", compute="_compute_achievement", digits=(16, 1), aggregator="avg")
    planned_growth_rate = fields.Float(
        "Planned Growth (%)",
        compute="_compute_achievement",
        digits=(16, 1),
        aggregator=None,
        help="Growth on last year the plan asks of this period: the quarterly steps of a derived "
        "target (growth + step per quarter), or the target's own growth on last year.",
    )
    projected_amount = fields.Monetary("Projection", compute="_compute_achievement")
    collection_actual = fields.Monetary("Collected", compute="_compute_achievement")
    collection_rate = fields.Float("Collection (%)", compute="_compute_achievement", digits=(16, 1), aggregator="avg")
    margin_actual = fields.Monetary(
        "Margin",
        compute="_compute_achievement",
        help="Sales minus their product cost at invoice time (see Cost at Posting on invoice lines); "
        "credit notes reduce both.",
    )
    margin_rate = fields.Float("Margin (%)", compute="_compute_achievement", digits=(16, 1), aggregator="avg")
    margin_achievement_rate = fields.Float(
        "Margin Achievement (%)", compute="_compute_achievement", digits=(16, 1), aggregator="avg"
    )
    last_year_margin = fields.Monetary("Last Year's Margin", compute="_compute_achievement")
    last_year_margin_rate = fields.Float(
        "Last Year's Margin (%)", compute="_compute_achievement", digits=(16, 1), aggregator="avg"
    )
    margin_rate_trend = fields.Float(
        "Margin Trend (points)",
        compute="_compute_achievement",
        digits=(16, 1),
        aggregator="avg",
        help="Margin % minus last year's margin % of the same period.",
    )
    new_product_actual = fields.Monetary("New-Product Sales", compute="_compute_achievement")
    new_product_rate = fields.Float(
        "New-Product Achievement (%)", compute="_compute_achievement", digits=(16, 1), aggregator="avg"
    )
    actual_quantity = fields.Float("Actual Quantity", compute="_compute_achievement", digits="Product Unit of Measure")
    quantity_rate = fields.Float(
        "Quantity Achievement (%)", compute="_compute_achievement", digits=(16, 1), aggregator="avg"
    )

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
        "plan_id.basis",
        "plan_id.year",
        "plan_id.company_id.quota_new_product_months",
        "plan_id.target_mode",
        "plan_id.growth_rate",
        "plan_id.quarterly_step",
        "date_from",
        "date_to",
        "team_id",
        "user_id",
        "partner_id",
        "categ_id",
        "target_amount",
        "margin_target",
        "new_product_target",
        "target_quantity",
        "uom_id",
        "collection_target",
    )
    def _compute_achievement(self):
        """Actual, cost, new-product, quantity, last year's and collected figures, set-based.

        One _read_group per plan, period level and line shape for each of this
        year's figures, last year's, new products' and (for lines with a
        quantity target) quantities.
        """
        today = fields.Date.context_today(self)
        groups = defaultdict(list)
        for line in self:
            if line.plan_id and line.date_from and line.date_to:
                groups[(line.plan_id, line.period_level, line._get_dimensions())].append(line.id)
        figures = {}
        for (plan, level, dims), line_ids in groups.items():
            lines = self.browse(line_ids)
            figures.update(lines._read_line_figures(plan, level, dims))
        collected = self._compute_collection_actuals()
        empty = {"sales": 0.0, "cost": 0.0, "last_sales": 0.0, "last_cost": 0.0, "new_product": 0.0, "quantity": 0.0}
        for line in self:
            values = figures.get(line.id, empty)
            amount = values["sales"]
            line.actual_amount = amount
            line.achievement_rate = quota_measures.achievement_rate(amount, line.target_amount)
            line.gap_amount = line.target_amount - amount
            line.last_year_amount = values["last_sales"]
            line.growth_rate = quota_measures.growth_rate(amount, line.last_year_amount)
            line.planned_growth_rate = line._get_planned_growth()
            if line.date_from and line.date_to:
                total_days = (line.date_to - line.date_from).days + 1
                elapsed = min((today - line.date_from).days + 1, total_days)
                line.projected_amount = quota_measures.run_rate_projection(amount, elapsed, total_days)
            else:
                line.projected_amount = 0.0
            line.collection_actual = collected.get(line.id, 0.0)
            line.collection_rate = quota_measures.achievement_rate(line.collection_actual, line.collection_target)
            line.margin_actual = amount - values["cost"]
            line.margin_rate = quota_measures.margin_rate(amount, values["cost"])
            line.margin_achievement_rate = quota_measures.achievement_rate(line.margin_actual, line.margin_target)
            line.last_year_margin = values["last_sales"] - values["last_cost"]
            line.last_year_margin_rate = quota_measures.margin_rate(values["last_sales"], values["last_cost"])
            line.margin_rate_trend = line.margin_rate - line.last_year_margin_rate if amount else 0.0
            line.new_product_actual = values["new_product"]
            line.new_product_rate = quota_measures.achievement_rate(line.new_product_actual, line.new_product_target)
            line.actual_quantity = values["quantity"]
            line.quantity_rate = quota_measures.achievement_rate(line.actual_quantity, line.target_quantity)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains(
        "target_amount",
        "target_quantity",
        "collection_target",
        "margin_target",
        "new_product_target",
        "new_customer_target",
    )
    def _check_targets(self):
        for line in self:
            if (
                min(
                    line.target_amount,
                    line.target_quantity,
                    line.collection_target,
                    line.margin_target,
                    line.new_product_target,
                    line.new_customer_target,
                )
                < 0
            ):
                raise ValidationError(
                    self.env._("Quota line %(line)s: targets cannot be negative.", line=line.display_name)
                )

    @api.constrains("target_quantity", "uom_id")
    def _check_quantity_unit(self):
        for line in self:
            if line.target_quantity and not line.uom_id:
                raise ValidationError(
                    self.env._(
                        "Quota line %(line)s: a target quantity needs its unit of measure.", line=line.display_name
                    )
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

    @api.constrains("user_id")
    def _check_user_id(self):
        self._check_input_user("user_id", INTERNAL_USER_GROUPS)

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
        if any(vals.get("period_level") == "quarter" for vals in vals_list):
            raise UserError(
                self.env._(
                    "Quarter lines are made from the month lines (their sums): create or import month lines instead."
                )
            )
        lines = super().create(vals_list)
        lines.plan_id._sync_quarter_lines()
        return lines

    def write(self, vals):
        self.plan_id._check_editable()
        if not self.env.user.has_group("sales_team.group_sale_salesman_all_leads") and (
            set(vals) - REP_WRITABLE_FIELDS
        ):
            raise AccessError(self.env._("Salespeople can only add notes to their quota lines."))
        if (set(vals) & QUARTER_SOURCE_FIELDS) and (
            vals.get("period_level") == "quarter" or any(line.period_level == "quarter" for line in self)
        ):
            raise UserError(
                self.env._(
                    "A quarter's targets are the sums of its months: change the month lines of %(lines)s instead.",
                    lines=", ".join(self.filtered(lambda line: line.period_level == "quarter").mapped("display_name"))
                    or self.env._("the quarter"),
                )
            )
        if TARGET_FIELDS & set(vals) and not self.env.context.get("quota_generating"):
            vals = dict(vals, is_manual=True)
        plans = self.plan_id
        result = super().write(vals)
        if set(vals) & QUARTER_SOURCE_FIELDS:
            (plans | self.plan_id)._sync_quarter_lines()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_confirmed(self):
        self.plan_id._check_editable()

    def unlink(self):
        # A quarter line deleted on its own comes back from its months.
        plans = self.plan_id
        result = super().unlink()
        plans._sync_quarter_lines()
        return result

    # ------------------------------------------------------------------
    # Grouped views: live measures summed from the lines
    # ------------------------------------------------------------------

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        # The live measures have no column: read_group below fills them in, so
        # that pivots, graphs and list groups show actuals beside targets.
        if aggregate_spec.split(":")[0] in LIVE_MEASURE_FIELDS:
            return SQL("NULL")
        return super()._read_group_select(aggregate_spec, query)

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        wanted = {spec.split(":")[0] for spec in fields} & LIVE_MEASURE_FIELDS
        if not wanted:
            return super().read_group(domain, fields, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy)
        # The same query also gives each group's line ids, so the groups are
        # exactly Odoo's (record rules, date granularity, week start included).
        result = super().read_group(
            domain,
            [*fields, f"{GROUP_IDS_KEY}:array_agg(id)"],
            groupby,
            offset=offset,
            limit=limit,
            orderby=orderby,
            lazy=lazy,
        )
        self._fill_live_measures(result, wanted)
        return result

    @api.model
    def _fill_live_measures(self, groups, wanted):
        """Sum the live measures of each group from its lines, computed once for them all; rates from the sums."""
        group_ids = [group.pop(GROUP_IDS_KEY, None) or [] for group in groups]
        lines = self.browse({line_id for ids in group_ids for line_id in ids})
        if lines:
            # One batch computation for every line (all live fields share one compute method).
            self._fields["actual_amount"].compute_value(lines)
        summed = (*LIVE_SUM_FIELDS, *TARGET_FIELDS - {"uom_id"})
        values = {line.id: [line[fname] for fname in summed] for line in lines}
        for group, ids in zip(groups, group_ids, strict=True):
            sums = dict.fromkeys(summed, 0.0)
            for line_id in ids:
                for fname, value in zip(summed, values[line_id], strict=True):
                    sums[fname] += value
            rates = {}
            for fname, (numerator, denominator, kind) in LIVE_RATE_FIELDS.items():
                if kind == "growth":
                    rates[fname] = quota_measures.growth_rate(sums[numerator], sums[denominator])
                else:
                    rates[fname] = quota_measures.achievement_rate(sums[numerator], sums[denominator])
            rates["margin_rate_trend"] = (
                rates["margin_rate"] - rates["last_year_margin_rate"] if sums["actual_amount"] else 0.0
            )
            for fname in wanted:
                group[fname] = sums[fname] if fname in LIVE_SUM_FIELDS else rates[fname]

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

    def _get_period_starts(self, granularity, years_back):
        """Keys of this line's periods in _read_figures' results (month or day starts), years back."""
        self.ensure_one()
        start = date_add(self.date_from, years=-years_back)
        end = date_add(self.date_to, years=-years_back)
        if granularity == "month":
            period = start.replace(day=1)
            while period <= end:
                yield period
                period = (period.replace(day=28) + timedelta(days=4)).replace(day=1)
            return
        day = start
        while day <= end:
            yield day
            day += timedelta(days=1)

    def _sum_periods(self, amounts, key, granularity, years_back):
        """Sum the grouped amounts of this line's periods (months or days)."""
        return sum(amounts.get((*key, period), 0.0) for period in self._get_period_starts(granularity, years_back))

    def _read_line_figures(self, plan, level, dims):
        """{line id: figures} for lines of one plan, period level and shape, from a few _read_group."""
        granularity = "day" if level in ("week", "day") else "month"
        date_from, date_to = min(self.mapped("date_from")), max(self.mapped("date_to"))
        extra = self._get_dimension_domain(plan, dims)
        args = (dims, granularity, extra)
        current = plan._read_figures(date_from, date_to, *args)
        previous = plan._read_figures(date_add(date_from, years=-1), date_add(date_to, years=-1), *args)
        new = plan._read_actuals(date_from, date_to, dims, granularity, extra + plan._get_new_product_domain())
        quantities = {}
        if any(self.mapped("target_quantity")):
            quantities = plan._read_quantities(date_from, date_to, *args)
        result = {}
        for line in self:
            key = line._get_dimension_key(dims)
            periods = [(*key, period) for period in line._get_period_starts(granularity, 0)]
            last_periods = [(*key, period) for period in line._get_period_starts(granularity, 1)]
            result[line.id] = {
                "sales": sum(current.get(p, (0.0, 0.0))[0] for p in periods),
                "cost": sum(current.get(p, (0.0, 0.0))[1] for p in periods),
                "last_sales": sum(previous.get(p, (0.0, 0.0))[0] for p in last_periods),
                "last_cost": sum(previous.get(p, (0.0, 0.0))[1] for p in last_periods),
                "new_product": sum(new.get(p, 0.0) for p in periods),
                "quantity": line._convert_quantities([quantities.get(p, {}) for p in periods])
                if line.target_quantity
                else 0.0,
            }
        return result

    def _convert_quantities(self, by_uom_list):
        """Quantities sold by unit of measure, summed in this line's unit (units of other categories left out)."""
        self.ensure_one()
        total = 0.0
        for by_uom in by_uom_list:
            for uom_id, quantity in by_uom.items():
                uom = self.env["uom.uom"].browse(uom_id)
                if uom.category_id == self.uom_id.category_id:
                    total += uom._compute_quantity(quantity, self.uom_id, round=False)
        return total

    def _get_planned_growth(self):
        """Growth on last year the plan asks of this line's period, in %."""
        self.ensure_one()
        if not self.plan_id or not self.date_from:
            return 0.0
        quarter = quota_measures.quarter_of(self.date_from.month)
        return self.plan_id._get_planned_growth(quarter, self.target_amount, self.last_year_amount)

    def _get_quarter_key(self):
        """Identity of the quarter line a month (or quarter) line belongs to."""
        self.ensure_one()
        return (
            self.breakdown,
            quota_measures.quarter_of(self.date_from.month),
            self.team_id.id,
            self.user_id.id,
            self.partner_id.id,
            self.categ_id.id,
        )

    @api.model
    def _create_quarters(self, vals_list):
        """Quarter lines, made only by the plan's sync (create refuses them from users)."""
        if vals_list:
            super().create(vals_list)

    def _write_quarter_totals(self, vals):
        """Write the sums of its months on a quarter line (write refuses this from users)."""
        super().write(vals)

    def _unlink_quarters(self):
        super().unlink()

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
        """{line id: collected} for month and quarter lines set on a salesperson (no customer or category)."""
        lines = self.filtered(
            lambda line: line.user_id
            and line.period_level in ("month", "quarter")
            and not line.partner_id
            and not line.categ_id
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
                result[line.id] = line._sum_periods(collected, (line.user_id.id,), "month", 0)
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

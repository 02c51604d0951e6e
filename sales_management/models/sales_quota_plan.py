import io
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import quota_measures, seasonality

PLAN_STATES = [("draft", "Draft"), ("confirmed", "Confirmed"), ("closed", "Closed")]
PLAN_BASES = [("invoice", "Posted Invoices"), ("order", "Confirmed Orders")]
TARGET_MODES = [("typed", "Typed"), ("derived", "Last Year × Growth")]

# Fields a confirmed or closed plan still lets its workflow write.
PLAN_WORKFLOW_FIELDS = {"state", "revision_count", "message_main_attachment_id"}


class SalesQuotaPlan(models.Model):
    _name = "sales.quota.plan"
    _description = "Sales Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "year desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------

    name = fields.Char(compute="_compute_name", store=True, readonly=False, required=True, precompute=True)
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year, tracking=True)
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
    # Break-even helper (informational, from the planning rules)
    fixed_costs = fields.Monetary()
    variable_costs = fields.Monetary()
    marginal_profit_ratio = fields.Float(compute="_compute_break_even", digits=(16, 4))
    break_even_amount = fields.Monetary("Break-even Sales", compute="_compute_break_even")

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

    @api.depends("fixed_costs", "variable_costs", "sales_target")
    def _compute_break_even(self):
        for plan in self:
            ratio, amount = quota_measures.break_even(plan.fixed_costs, plan.variable_costs, plan.sales_target)
            plan.marginal_profit_ratio = ratio
            plan.break_even_amount = amount

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("year")
    def _check_year(self):
        for plan in self:
            if not 2000 <= plan.year <= 2100:
                raise ValidationError(self.env._("The plan year %(year)s is not a valid year.", year=plan.year))

    @api.constrains("sales_target", "margin_target", "new_product_target", "fixed_costs", "variable_costs")
    def _check_targets(self):
        for plan in self:
            if (
                min(
                    plan.sales_target,
                    plan.margin_target,
                    plan.new_product_target,
                    plan.fixed_costs,
                    plan.variable_costs,
                )
                < 0
            ):
                raise ValidationError(
                    self.env._("Targets and costs of plan %(plan)s cannot be negative.", plan=plan.name)
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

    def write(self, vals):
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
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_management.sales_quota_line_action")
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id, "search_default_filter_month": 1}
        return action

    def action_export_xlsx(self):
        """Plan vs actual as an XLSX download: one sheet per breakdown."""
        self.ensure_one()
        content = self._build_xlsx()
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{self.name}.xlsx",
                "raw": content,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    # ------------------------------------------------------------------
    # Business methods: checks
    # ------------------------------------------------------------------

    def _check_manager(self):
        if not self.env.user.has_group("sales_management.group_sales_management_user_all"):
            raise AccessError(self.env._("Only sales managers can change the state of a sales plan."))

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

    def _read_actuals(self, date_from, date_to, dims=(), granularity="month", extra_domain=None):
        """Sales in company currency grouped by dimensions and period, with one _read_group.

        Returns {(dimension ids..., period start or None): amount}; dims are keys
        of _get_basis_fields ('team', 'user', 'partner', 'categ'); granularity is
        'month', 'day' or None (whole range).
        """
        self.ensure_one()
        fmap = self._get_basis_fields()
        groupby = [fmap[d] for d in dims]
        if granularity:
            groupby.append(f"{fmap['date']}:{granularity}")
        domain = self._get_actuals_domain(date_from, date_to) + list(extra_domain or [])
        company = self.company_id
        result = defaultdict(float)
        if self.basis == "invoice":
            model = self.env["account.move.line"].sudo()
            rows = model._read_group(domain, groupby, ["balance:sum"])
            for row in rows:
                key = self._actuals_key(row[:-1], granularity)
                result[key] -= row[-1]
            return result
        model = self.env["sale.order.line"].sudo()
        rows = model._read_group(domain, [*groupby, "currency_id"], ["price_subtotal:sum"])
        for row in rows:
            *values, currency, amount = row
            key = self._actuals_key(values, granularity)
            if currency and currency != company.currency_id:
                day = key[-1] if granularity else date_to
                amount = currency._convert(amount, company.currency_id, company, day or date_to)
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
                    "monthly split from %(years)s year(s) of history.",
                    reset=self.env._(" (manual adjustments reset)") if reset else "",
                    count=count,
                    years=plan.history_year_count,
                )
            )

    def _history_ranges(self):
        year = self.year
        return (date(year - 3, 1, 1), date(year - 1, 12, 31)), (date(year - 1, 1, 1), date(year - 1, 12, 31))

    def _generate_shares(self, reset=False):
        """Shares of months, categories, teams and customers from history, manual ones kept."""
        self.ensure_one()
        (hist_from, hist_to), (ly_from, ly_to) = self._history_ranges()
        monthly = self._read_actuals(hist_from, hist_to, (), "month")
        history = {(period.year, period.month): amount for (period,), amount in monthly.items()}
        shares, used = seasonality.monthly_shares(history, range(self.year - 3, self.year))
        last_year = [history.get((self.year - 1, m), 0.0) for m in seasonality.MONTHS]
        vals = {
            "history_year_count": len(used),
            "history_years": ", ".join(str(y) for y in used) or self.env._("none: even split"),
            "last_year_amount": sum(last_year),
        }
        if self.target_mode == "derived":
            targets = quota_measures.derived_monthly_targets(
                last_year, self.growth_rate / 100.0, self.quarterly_step / 100.0
            )
            vals["sales_target"] = self.currency_id.round(sum(targets))
        self.write(vals)

        month_amounts = {m: sum(history.get((y, m), 0.0) for y in used) for m in seasonality.MONTHS}
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

    def _get_working_days(self, date_from, date_to):
        """Working dates between two dates from the company's calendar and its public holidays."""
        self.ensure_one()
        calendar = self.company_id.resource_calendar_id
        if not calendar:
            days = (date_from + timedelta(days=i) for i in range((date_to - date_from).days + 1))
            return {day for day in days if day.weekday() < 5}
        tz = ZoneInfo(calendar.tz or "UTC")
        start = datetime.combine(date_from, time.min, tzinfo=tz)
        end = datetime.combine(date_to, time.max, tzinfo=tz)
        intervals = calendar._work_intervals_batch(start, end)[False]
        return {interval[0].date() for interval in intervals}

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
            working_days = self._get_working_days(date(self.year, 1, 1), date(self.year, 12, 31))

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
        vals_list = [vals for vals in vals_list if Line._get_key_from_values(vals) not in kept]
        Line.create(vals_list)
        return len(vals_list)

    # ------------------------------------------------------------------
    # Business methods: XLSX
    # ------------------------------------------------------------------

    def _get_xlsx_columns(self):
        return [
            ("date_from", self.env._("Month"), "date"),
            ("team_id", self.env._("Sales Team"), "text"),
            ("user_id", self.env._("Salesperson"), "text"),
            ("partner_id", self.env._("Customer"), "text"),
            ("categ_id", self.env._("Product Category"), "text"),
            ("target_amount", self.env._("Target"), "money"),
            ("actual_amount", self.env._("Actual"), "money"),
            ("achievement_rate", self.env._("Achievement %"), "percent"),
            ("gap_amount", self.env._("Gap"), "money"),
            ("last_year_amount", self.env._("Last Year"), "money"),
            ("growth_rate", self.env._("Growth %"), "percent"),
            ("projected_amount", self.env._("Projection"), "money"),
            ("collection_target", self.env._("Collection Target"), "money"),
            ("collection_actual", self.env._("Collected"), "money"),
        ]

    def _build_xlsx(self):
        self.ensure_one()
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True})
        header = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
        formats = {
            "date": book.add_format({"num_format": "yyyy-mm"}),
            "text": book.add_format(),
            "money": book.add_format({"num_format": "#,##0.00"}),
            "percent": book.add_format({"num_format": "0.0"}),
        }
        total_fmt = book.add_format({"bold": True, "num_format": "#,##0.00", "top": 1})
        columns = self._get_xlsx_columns()
        breakdowns = dict(self.env["sales.quota.line"]._fields["breakdown"]._description_selection(self.env))
        months = self.line_ids.filtered(lambda line: line.period_level == "month")
        for breakdown, label in breakdowns.items():
            lines = months.filtered(lambda line, b=breakdown: line.breakdown == b)
            sheet = book.add_worksheet(label[:31])
            for col, (_fname, title, _kind) in enumerate(columns):
                sheet.write(0, col, title, header)
                sheet.set_column(col, col, 14 if col else 10)
            sheet.freeze_panes(1, 0)
            row = 0
            for row, line in enumerate(lines, start=1):
                for col, (fname, _title, kind) in enumerate(columns):
                    value = line[fname]
                    if isinstance(value, models.BaseModel):
                        value = value.display_name or ""
                    if kind == "date":
                        sheet.write_datetime(row, col, datetime.combine(value, time.min), formats[kind])
                    else:
                        sheet.write(row, col, value, formats[kind])
            total_row = row + 1
            sheet.write(total_row, 0, self.env._("Total"), header)
            for col, (fname, _title, kind) in enumerate(columns):
                if kind == "money" and row:
                    letter = xlsxwriter.utility.xl_col_to_name(col)
                    sheet.write_formula(
                        total_row, col, f"=SUM({letter}2:{letter}{row + 1})", total_fmt, sum(lines.mapped(fname))
                    )
        book.close()
        return output.getvalue()

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------

    @api.model
    def _create_demo_history(self, invoices_per_month=6):
        """Three years of posted invoices with a seasonal pattern, and a confirmed plan for this year."""
        company = self.env.company
        journal = self.env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
        products = self.env["product.product"].search(
            [("sale_ok", "=", True), ("type", "=", "consu"), ("company_id", "in", (False, company.id))], limit=6
        )
        partners = self.env["res.partner"].search(
            [("is_company", "=", True), ("id", "!=", company.partner_id.id), ("company_id", "in", (False, company.id))],
            limit=8,
        )
        if not journal or not products or not partners:
            return
        users = self.env.ref("base.user_admin") | self.env.ref("base.user_demo", raise_if_not_found=False)
        team = self.env.ref("sales_team.team_sales_department", raise_if_not_found=False)
        today = fields.Date.context_today(self)
        # Peaks in spring and before the new year, a trough in summer.
        season = [0.6, 0.7, 1.2, 1.3, 1.1, 0.8, 0.5, 0.6, 1.0, 1.2, 1.4, 1.6]
        move_vals = []
        for year in range(today.year - 3, today.year):
            for month in seasonality.MONTHS:
                count = max(2, round(invoices_per_month * season[month - 1]))
                for i in range(count):
                    day = date(year, month, 1 + (i * 5) % 27)
                    product = products[(i + month) % len(products)]
                    move_vals.append(
                        {
                            "move_type": "out_invoice",
                            "partner_id": partners[(i * 3 + month) % len(partners)].id,
                            "invoice_date": day,
                            "date": day,
                            "journal_id": journal.id,
                            "invoice_user_id": users[i % len(users)].id,
                            "team_id": team.id if team else False,
                            "invoice_line_ids": [
                                fields.Command.create(
                                    {
                                        "product_id": product.id,
                                        "quantity": 1 + (i % 4),
                                        "price_unit": 400.0 + 50 * (i % 5) + 20 * (year - today.year + 3),
                                        "tax_ids": [fields.Command.clear()],
                                    }
                                )
                            ],
                        }
                    )
        moves = self.env["account.move"].create(move_vals)
        moves.action_post()
        if team:
            team.sudo().member_ids |= users
        plan = self.create(
            {
                "year": today.year,
                "company_id": company.id,
                "target_mode": "derived",
                "growth_rate": 10.0,
                "quarterly_step": 5.0,
            }
        )
        plan._generate()
        plan.action_confirm()
        self.env["ir.model.data"]._update_xmlids(
            [{"xml_id": "sales_management.sales_quota_plan_demo", "record": plan, "noupdate": True}]
        )

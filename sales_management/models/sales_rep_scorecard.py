import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tools import SQL

from ..tools import complaint_deadline, quota_measures
from ..tools import scorecard as scorecard_tools
from .sales_management_xlsx_mixin import XLSX_FIRST_DATA_ROW, XLSX_HEADER_ROW

_logger = logging.getLogger(__name__)

PERIOD_TYPES = [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")]
SCORECARD_STATES = [("open", "Open"), ("closed", "Closed")]
# The measures of the scorecard (绩效考核), in their default order.
SCORECARD_MEASURES = [
    ("sales", "Sales Achievement (%)"),
    ("collection", "Collection Rate (%)"),
    ("visit_completion", "Visit Plan Completion (%)"),
    ("visit_per_day", "Visits per Working Day"),
    ("new_customer", "New Customers Won vs Target (%)"),
    ("complaint", "Complaints of His Customers"),
    ("complaint_on_time", "Complaints Handled on Time (%)"),
    ("forecast", "Forecast Accuracy (%)"),
    ("attitude", "Work Attitude"),
    ("skill", "Business Skills"),
]
LOWER_IS_BETTER_MEASURES = {"complaint"}
# The scorecard field holding each measure's value.
MEASURE_VALUE_FIELDS = {
    "sales": "sales_rate",
    "collection": "collection_rate",
    "visit_completion": "visit_completion_rate",
    "visit_per_day": "visits_per_day",
    "new_customer": "new_customer_rate",
    "complaint": "complaint_count",
    "complaint_on_time": "complaint_on_time_rate",
    "forecast": "forecast_accuracy",
    "attitude": "attitude_score",
    "skill": "skill_score",
}
# What a manager writes on a scorecard; every other field is computed.
MANUAL_FIELDS = {"attitude_score", "skill_score", "manager_comment"}
# What the workflow may still write on a closed scorecard.
CLOSING_FIELDS = {"state", "closed_by_id", "closed_date"}
SCORECARD_BATCH = 50
# The scheduled job's key in sales.management.batch (its XML id).
SCORECARD_JOB = "sales_management.ir_cron_rep_scorecard"


class SalesRepScorecard(models.Model):
    """Rep scorecard (绩效考核) of one salesperson for a month, quarter or year.

    Every figure is read from the capability that defines it (quota lines, collection
    plan, visit plans, daily report, complaints, forecasts); each measure becomes
    points 0-100 and counts with its weight (sales.rep.scorecard.policy).
    """

    _name = "sales.rep.scorecard"
    _inherit = ["mail.thread", "sales.management.input.mixin", "sales.management.xlsx.mixin"]
    _description = "Rep Scorecard"
    _order = "date_from desc, period_type, total_score desc, id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one("res.users", string="Salesperson", required=True, index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True, readonly=True)
    area_id = fields.Many2one("sales.area", string="Area", index="btree_not_null", readonly=True)
    period_type = fields.Selection(PERIOD_TYPES, string="Period", required=True, readonly=True)
    date_from = fields.Date("From", required=True, readonly=True)
    date_to = fields.Date("To", required=True, readonly=True)
    state = fields.Selection(SCORECARD_STATES, required=True, default="open", tracking=True, readonly=True)
    policy_id = fields.Many2one("sales.rep.scorecard.policy", string="Weights", readonly=True)
    compute_date = fields.Date("Computed On", readonly=True)
    closed_by_id = fields.Many2one("res.users", string="Closed By", readonly=True)
    closed_date = fields.Datetime("Closed On", readonly=True)
    line_ids = fields.One2many("sales.rep.scorecard.line", "scorecard_id", string="Measures", readonly=True)
    total_score = fields.Float("Score", aggregator="avg", readonly=True)
    rank_team = fields.Integer("Rank in Team", aggregator="min", readonly=True)
    rank_company = fields.Integer("Rank in Company", aggregator="min", readonly=True)
    team_rep_count = fields.Integer("Reps in Team", aggregator="max", readonly=True)
    company_rep_count = fields.Integer("Reps in Company", aggregator="max", readonly=True)
    # Sales achievement: the quota lines of the period.
    sales_target = fields.Monetary(readonly=True)
    sales_actual = fields.Monetary("Sales", readonly=True)
    sales_rate = fields.Float("Sales Achievement (%)", aggregator="avg", readonly=True)
    # Collection: the collection plan.
    collection_due = fields.Monetary(readonly=True)
    collection_collected = fields.Monetary("Collected", readonly=True)
    collection_rate = fields.Float("Collection Rate (%)", aggregator="avg", readonly=True)
    # Visits: the visit plans and the daily sales report.
    visit_planned = fields.Integer("Visits Planned", readonly=True)
    visit_planned_done = fields.Integer("Planned Visits Done", readonly=True)
    visit_completion_rate = fields.Float("Visit Plan Completion (%)", aggregator="avg", readonly=True)
    visit_done = fields.Integer("Visits Done", readonly=True)
    working_days = fields.Integer(readonly=True, aggregator="max")
    visits_per_day = fields.Float("Visits per Working Day", aggregator="avg", readonly=True)
    # New customers won (新客户开发).
    new_customer_count = fields.Integer("New Customers Won", readonly=True)
    new_customer_target = fields.Integer("New Customers Target", readonly=True)
    new_customer_rate = fields.Float("New Customers vs Target (%)", aggregator="avg", readonly=True)
    new_customer_ids = fields.Many2many("res.partner", string="Customers Won", readonly=True)
    prospect_count = fields.Integer("Prospects Contacted", readonly=True, help="Customers visited for the first time.")
    # Complaints of his customers.
    complaint_count = fields.Integer("Complaints", readonly=True)
    complaint_decided_count = fields.Integer("Complaints Decided", readonly=True)
    complaint_met_count = fields.Integer("Complaints on Time", readonly=True)
    complaint_on_time_rate = fields.Float("On-time Rate (%)", aggregator="avg", readonly=True)
    # Forecast accuracy.
    forecast_amount = fields.Monetary("Forecast", readonly=True)
    forecast_actual = fields.Monetary("Actual of Forecasts", readonly=True)
    forecast_accuracy = fields.Float(
        "Forecast Accuracy (%)",
        aggregator="avg",
        readonly=True,
        help="1 − Σ|actual − forecast| ÷ Σ forecast over the rep's customer forecasts of the period, at least 0.",
    )
    forecast_line_count = fields.Integer("Forecasts", readonly=True)
    # The manager's judgement (工作态度, 业务技能).
    attitude_score = fields.Float("Work Attitude", digits=(16, 1), aggregator="avg", help="0-100, by the manager.")
    skill_score = fields.Float("Business Skills", digits=(16, 1), aggregator="avg", help="0-100, by the manager.")
    manager_comment = fields.Text("Manager's Comment")

    _sql_constraints = [
        (
            "rep_period_uniq",
            "unique(user_id, company_id, period_type, date_from)",
            "A salesperson has one scorecard per company and period.",
        ),
    ]

    # ------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------

    @api.depends("user_id", "period_type", "date_from")
    def _compute_name(self):
        for card in self:
            card.name = f"{card.user_id.name or ''} · {card._get_period_label()}"

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------

    @api.constrains("attitude_score", "skill_score")
    def _check_manual_scores(self):
        labels = {fname: self._fields[fname].get_description(self.env)["string"] for fname in MANUAL_FIELDS}
        for card in self:
            for fname in ("attitude_score", "skill_score"):
                if not 0.0 <= card[fname] <= 100.0:
                    raise ValidationError(
                        self.env._(
                            "%(field)s of %(card)s is scored from 0 to 100, not %(value)s.",
                            field=labels[fname],
                            card=card.name,
                            value=card[fname],
                        )
                    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        # Figures are the job's (it writes as superuser); people only give the manual scores.
        if not self.env.su:
            if set(vals) - MANUAL_FIELDS:
                raise AccessError(
                    self.env._("The figures of a scorecard are computed: only the manual scores can be changed.")
                )
            self._check_manual_score_rights()
        if set(vals) - CLOSING_FIELDS and any(card.state == "closed" for card in self):
            raise UserError(
                self.env._("The scorecard %(card)s is closed: its history is kept as it is.", card=self[0].name)
            )
        result = super().write(vals)
        if {"attitude_score", "skill_score"} & set(vals):
            self.sudo()._refresh_lines()
            self.sudo()._update_period_ranks()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed(self):
        if any(card.state == "closed" for card in self):
            raise UserError(self.env._("Closed scorecards are kept as history: they cannot be deleted."))

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_recompute(self):
        """Compute the figures of these open scorecards again."""
        self._check_manager()
        for (company, period_type, date_from, date_to), cards in self.grouped(
            lambda c: (c.company_id, c.period_type, c.date_from, c.date_to)
        ).items():
            self.sudo().with_company(company)._compute_scorecards(cards.user_id, period_type, date_from, date_to)
        return True

    def action_close(self):
        """Close the period of these scorecards: they are kept as they are from now on."""
        self._check_manager()
        cards = self.filtered(lambda c: c.state == "open")
        cards.sudo().write({"state": "closed", "closed_by_id": self.env.uid, "closed_date": fields.Datetime.now()})
        return True

    def action_reopen(self):
        """Reopen closed scorecards (administrators only, logged in the chatter)."""
        self._sales_check_rights(
            "sales_team.group_sale_manager",
            self.env._("Only a sales administrator can reopen a closed scorecard."),
            superuser=False,
        )
        for card in self.filtered(lambda c: c.state == "closed"):
            card.sudo().write({"state": "open", "closed_by_id": False, "closed_date": False})
            card.message_post(body=self.env._("Scorecard reopened by %(user)s.", user=self.env.user.name))
        return True

    def action_export_xlsx(self):
        """The scorecards as a spreadsheet: the cards, their measures, and averages by team and area."""
        cards = self or self.search([])
        return self.browse()._xlsx_download(
            cards._build_xlsx(), self.env._("scorecards_%(date)s.xlsx", date=fields.Date.context_today(self))
        )

    # ------------------------------------------------------------
    # Business methods: rights
    # ------------------------------------------------------------

    def _check_manager(self):
        self._sales_check_rights(
            "sales_team.group_sale_salesman_all_leads", self.env._("Only sales managers compute and close scorecards.")
        )

    def _check_manual_score_rights(self):
        """Managers score others; only a sales administrator may score his own card."""
        self._sales_check_rights(
            "sales_team.group_sale_salesman_all_leads",
            self.env._("Only sales managers score Work Attitude and Business Skills."),
            superuser=False,
        )
        if self.env.user in self.user_id:
            self._sales_check_rights(
                "sales_team.group_sale_manager",
                self.env._("You cannot score your own scorecard: your manager does."),
                superuser=False,
            )

    # ------------------------------------------------------------
    # Business methods: computation
    # ------------------------------------------------------------

    def _get_period_label(self):
        self.ensure_one()
        if not self.date_from:
            return ""
        if self.period_type == "quarter":
            return f"{self.date_from.year} Q{quota_measures.quarter_of(self.date_from.month)}"
        if self.period_type == "year":
            return str(self.date_from.year)
        return self.date_from.strftime("%Y-%m")

    @api.model
    def _compute_scorecards(self, users, period_type, date_from, date_to):
        """Create or refresh the open scorecards of ``users`` in the current company for a period.

        Idempotent: one scorecard per rep and period, closed ones left as they are. The
        figures come set-based for all reps; each rep is written in his own savepoint, so
        one failure only skips him. Returns (reps done, reps failed).
        """
        company = self.env.company
        policy = self.env["sales.rep.scorecard.policy"]._get_policy(company)
        policy._check_usable()
        Scorecard = self.sudo().with_company(company)
        existing = {
            card.user_id.id: card
            for card in Scorecard.search(
                [
                    ("user_id", "in", users.ids),
                    ("company_id", "=", company.id),
                    ("period_type", "=", period_type),
                    ("date_from", "=", date_from),
                ]
            )
        }
        todo = users.filtered(lambda user: existing.get(user.id, Scorecard).state != "closed")
        figures = Scorecard._get_figures(todo, date_from, date_to)
        done = failed = self.env["res.users"]
        for user in todo:
            try:
                with self.env.cr.savepoint():
                    card = existing.get(user.id, Scorecard)
                    vals = Scorecard._prepare_scorecard_values(
                        user, period_type, date_from, date_to, figures.get(user.id, {}), policy, card
                    )
                    if card:
                        card.write(vals)
                    else:
                        Scorecard.create(vals)
                done |= user
            except Exception:
                _logger.exception("Scorecard of user %s for %s %s failed; skipped.", user.id, period_type, date_from)
                failed |= user
        Scorecard._update_ranks(company, period_type, date_from)
        return done, failed

    def _get_measure_getters(self):
        """The ``_get_<measure>_values(reps, date_from, date_to)`` methods the figures come from."""
        return [
            self._get_sales_values,
            self._get_collection_values,
            self._get_visit_completion_values,
            self._get_visit_day_values,
            self._get_new_customer_values,
            self._get_complaint_values,
            self._get_forecast_values,
        ]

    @api.model
    def _get_figures(self, reps, date_from, date_to):
        """``{user_id: {scorecard field: value}}`` of reps in the current company."""
        figures = defaultdict(dict)
        if not reps:
            return figures
        for getter in self._get_measure_getters():
            for user_id, values in getter(reps, date_from, date_to).items():
                figures[user_id].update(values)
        return figures

    @api.model
    def _get_sales_values(self, reps, date_from, date_to):
        """Sales achievement from the reps' month quota lines of confirmed plans (their target
        and live actual); reps without a line get their actual on the plan's basis."""
        company = self.env.company
        lines = (
            self.env["sales.quota.line"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("plan_id.state", "in", ("confirmed", "closed")),
                    ("breakdown", "=", "salesperson"),
                    ("period_level", "=", "month"),
                    ("user_id", "in", reps.ids),
                    ("date_from", ">=", date_from),
                    ("date_to", "<=", date_to),
                ]
            )
        )
        result = {user.id: {"sales_target": 0.0, "sales_actual": 0.0} for user in reps}
        for line in lines:
            values = result[line.user_id.id]
            values["sales_target"] += line.target_amount
            values["sales_actual"] += line.actual_amount
        without_lines = set(reps.ids) - set(lines.user_id.ids)
        if without_lines:
            actuals = self.env["sales.quota.plan"]._read_company_actuals(
                company, date_from, date_to, ("user",), None, {"user": list(without_lines)}
            )
            for (user_id, _period), amount in actuals.items():
                if user_id in without_lines:
                    result[user_id]["sales_actual"] = amount
        for values in result.values():
            values["sales_rate"] = quota_measures.achievement_rate(values["sales_actual"], values["sales_target"])
        return result

    @api.model
    def _get_collection_values(self, reps, date_from, date_to):
        """Collection rate = collected ÷ due, from the collection plan (赊款回收计划)."""
        figures = (
            self.env["sales.credit.collection"].sudo()._get_collection_by_user(date_from, date_to, self.env.company)
        )
        result = {}
        for user in reps:
            values = figures.get(user.id, {})
            due, collected = values.get("due", 0.0), values.get("collected", 0.0)
            result[user.id] = {
                "collection_due": due,
                "collection_collected": collected,
                "collection_rate": scorecard_tools.rate(collected, due),
            }
        return result

    @api.model
    def _get_visit_completion_values(self, reps, date_from, date_to):
        """Visit plan completion = planned visits done ÷ visits planned, from the visit plans."""
        figures = self.env["sales.visit.plan"]._get_completion_by_user(reps, date_from, date_to, self.env.company)
        result = {}
        for user in reps:
            planned, done = figures.get(user.id, (0, 0))
            result[user.id] = {
                "visit_planned": planned,
                "visit_planned_done": done,
                "visit_completion_rate": scorecard_tools.rate(done, planned),
            }
        return result

    @api.model
    def _get_visit_day_values(self, reps, date_from, date_to):
        """Visits done per working day of the company's schedule (so far in a running period),
        and prospects contacted, from the daily sales report."""
        company = self.env.company
        groups = (
            self.env["sales.visit.daily.report"]
            .sudo()
            ._read_group(
                [
                    ("user_id", "in", reps.ids),
                    ("company_id", "=", company.id),
                    ("date", ">=", date_from),
                    ("date", "<=", date_to),
                ],
                ["user_id"],
                ["visit_done_count:sum", "new_customer_count:sum"],
            )
        )
        counts = {user.id: (done, prospects) for user, done, prospects in groups}
        end = min(date_to, fields.Date.context_today(self))
        days = len(company._get_sales_working_days(date_from, end)) if end >= date_from else 0
        result = {}
        for user in reps:
            done, prospects = counts.get(user.id, (0, 0))
            result[user.id] = {
                "visit_done": done,
                "working_days": days,
                "visits_per_day": done / days if days else 0.0,
                "prospect_count": prospects,
            }
        return result

    @api.model
    def _get_new_customer_values(self, reps, date_from, date_to):
        """New customers won against the target (quota lines, else Settings, month by month)."""
        won = defaultdict(list)
        for user_id, partner_id, _day in self._get_won_customers(reps, date_from, date_to):
            won[user_id].append(partner_id)
        targets = self._get_new_customer_targets(reps, date_from, date_to)
        result = {}
        for user in reps:
            count, target = len(won[user.id]), targets.get(user.id, 0)
            result[user.id] = {
                "new_customer_count": count,
                "new_customer_ids": [Command.set(won[user.id])],
                "new_customer_target": target,
                "new_customer_rate": scorecard_tools.rate(count, target),
            }
        return result

    @api.model
    def _get_won_customers(self, users, date_from, date_to):
        """Customers won in [date_from, date_to] in the current company: [(user id, customer id, day)].

        A customer (a commercial entity: contacts count for their company) is won on the
        day of his first confirmed order, or first posted invoice (Settings), credited to
        its salesperson. A person met during a visit as a customer's contact is no new
        customer. One query.
        """
        if not users:
            return []
        company = self.env.company
        self.env.flush_all()
        if company.sales_new_customer_basis == "invoice":
            documents = SQL(
                """SELECT am.id, am.commercial_partner_id AS partner_id, am.invoice_user_id AS user_id,
                          am.invoice_date AS day
                     FROM account_move am
                    WHERE am.company_id = %(company)s AND am.state = 'posted' AND am.move_type = 'out_invoice'""",
                company=company.id,
            )
            period = SQL("doc.day BETWEEN %s AND %s", date_from, date_to)
        else:
            documents = SQL(
                """SELECT so.id, p.commercial_partner_id AS partner_id, so.user_id, so.date_order AS day
                     FROM sale_order so
                     JOIN res_partner p ON p.id = so.partner_id
                    WHERE so.company_id = %(company)s AND so.state = 'sale'""",
                company=company.id,
            )
            period = SQL(
                "doc.day >= %s AND doc.day < %s",
                datetime.combine(date_from, time.min),
                datetime.combine(date_to + timedelta(days=1), time.min),
            )
        rows = self.env.execute_query(
            SQL(
                """
                WITH doc AS (%(documents)s),
                first_doc AS (
                    SELECT DISTINCT ON (doc.partner_id) doc.id, doc.partner_id, doc.user_id, doc.day
                      FROM doc
                     WHERE %(period)s
                  ORDER BY doc.partner_id, doc.day, doc.id
                )
                SELECT f.user_id, f.partner_id, f.day::date
                  FROM first_doc f
                 WHERE f.user_id IN %(users)s
                   AND NOT EXISTS (
                       SELECT 1 FROM doc earlier
                        WHERE earlier.partner_id = f.partner_id
                          AND (earlier.day, earlier.id) < (f.day, f.id))
                   AND NOT EXISTS (
                       SELECT 1 FROM sales_visit v
                        WHERE v.contact_id = f.partner_id AND v.commercial_partner_id != f.partner_id)
              ORDER BY f.day, f.partner_id
                """,
                documents=documents,
                period=period,
                users=tuple(users.ids),
            )
        )
        return [(user_id, partner_id, day) for user_id, partner_id, day in rows]

    @api.model
    def _get_new_customer_targets(self, reps, date_from, date_to):
        """{user_id: target} over the months of the period: each month, the rep's quota lines'
        target where one is set, else the company's target in Settings."""
        company = self.env.company
        months = scorecard_tools.month_starts(date_from, date_to)
        groups = (
            self.env["sales.quota.line"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("plan_id.state", "in", ("confirmed", "closed")),
                    ("breakdown", "=", "salesperson"),
                    ("period_level", "=", "month"),
                    ("user_id", "in", reps.ids),
                    ("date_from", ">=", date_from),
                    ("date_from", "<=", date_to),
                    ("new_customer_target", ">", 0),
                ],
                ["user_id", "date_from:month"],
                ["new_customer_target:sum"],
            )
        )
        set_targets = {(user.id, month): target for user, month, target in groups}
        default = company.sales_new_customer_target
        return {user.id: sum(set_targets.get((user.id, month), default) for month in months) for user in reps}

    @api.model
    def _get_complaint_values(self, reps, date_from, date_to):
        """Complaints of the reps' customers received in the period (rejected ones left out)
        and their on-time rate, as the complaint statistics count them."""
        domain = [
            ("company_id", "=", self.env.company.id),
            ("salesperson_id", "in", reps.ids),
            ("state", "!=", "rejected"),
            ("date_received", ">=", datetime.combine(date_from, time.min)),
            ("date_received", "<", datetime.combine(date_to + timedelta(days=1), time.min)),
        ]
        figures = self.env["sales.complaint"].sudo()._get_on_time_figures(domain, "salesperson_id")
        result = {}
        for user in reps:
            count, met, decided = figures.get(user, (0, 0, 0))
            result[user.id] = {
                "complaint_count": count,
                "complaint_met_count": met,
                "complaint_decided_count": decided,
                "complaint_on_time_rate": complaint_deadline.on_time_rate(met, decided),
            }
        return result

    @api.model
    def _get_forecast_values(self, reps, date_from, date_to):
        """Forecast accuracy of the reps' customer forecasts of the period."""
        figures = self.env["sales.customer.forecast"]._get_accuracy_by_user(reps, date_from, date_to, self.env.company)
        empty = {"forecast_amount": 0.0, "forecast_actual": 0.0, "forecast_accuracy": None, "forecast_line_count": 0}
        result = {}
        for user in reps:
            values = dict(figures.get(user.id, empty))
            values["forecast_accuracy"] = values["forecast_accuracy"] or 0.0
            result[user.id] = values
        return result

    @api.model
    def _prepare_scorecard_values(self, user, period_type, date_from, date_to, figures, policy, card):
        """Values of one rep's scorecard: figures, measure lines and total. Extension point."""
        team = user.sale_team_id
        vals = {
            **figures,
            "user_id": user.id,
            "company_id": self.env.company.id,
            "period_type": period_type,
            "date_from": date_from,
            "date_to": date_to,
            "team_id": team.id,
            "area_id": team.area_id.id,
            "policy_id": policy.id,
            "compute_date": fields.Date.context_today(self),
        }
        manual = {fname: card[fname] if card else 0.0 for fname in ("attitude_score", "skill_score")}
        lines = self._prepare_line_values(policy, {**figures, **manual})
        vals["line_ids"] = [Command.delete(line.id) for line in card.line_ids] + [
            Command.create(line) for line in lines
        ]
        vals["total_score"] = sum(line["weighted_points"] for line in lines)
        return vals

    @api.model
    def _prepare_line_values(self, policy, values):
        """One line per measure of the policy: value, points, weight and weighted points."""
        lines = []
        for weight in policy.weight_ids.sorted("sequence"):
            code = weight.code
            value = values.get(MEASURE_VALUE_FIELDS[code]) or 0.0
            measure_points = self._get_measure_points(code, value, weight.reference, values)
            lines.append(
                {
                    "code": code,
                    "sequence": weight.sequence,
                    "value": value,
                    "reference": weight.reference,
                    "points": measure_points,
                    "weight": weight.weight,
                    "weighted_points": scorecard_tools.weighted_points(measure_points, weight.weight),
                }
            )
        return lines

    @api.model
    def _get_measure_points(self, code, value, reference, values):
        """Points 0-100 of one measure. Extension point."""
        if code == "complaint_on_time" and not values.get("complaint_decided_count"):
            return 100.0  # nothing was late
        return scorecard_tools.points(value, reference, code not in LOWER_IS_BETTER_MEASURES)

    def _refresh_lines(self):
        """Points and total again after the manual scores changed (figures unchanged)."""
        for card in self:
            values = {fname: card[fname] for fname in MEASURE_VALUE_FIELDS.values()}
            values["complaint_decided_count"] = card.complaint_decided_count
            by_code = {line["code"]: line for line in self._prepare_line_values(card.policy_id, values)}
            for line in card.line_ids:
                new = by_code.get(line.code)
                if new:
                    line.write({key: new[key] for key in ("value", "points", "weighted_points")})
            super(SalesRepScorecard, card).write({"total_score": sum(card.line_ids.mapped("weighted_points"))})
        return True

    def _update_period_ranks(self):
        for company, period_type, date_from in {(c.company_id, c.period_type, c.date_from) for c in self}:
            self._update_ranks(company, period_type, date_from)

    @api.model
    def _update_ranks(self, company, period_type, date_from):
        """Rank the period's scorecards in the company and in each team (open ones are written)."""
        cards = self.sudo().search(
            [("company_id", "=", company.id), ("period_type", "=", period_type), ("date_from", "=", date_from)]
        )
        company_ranks = scorecard_tools.rank({card.id: card.total_score for card in cards})
        team_ranks, team_sizes = {}, {}
        for _team, team_cards in cards.grouped("team_id").items():
            team_ranks.update(scorecard_tools.rank({card.id: card.total_score for card in team_cards}))
            team_sizes.update(dict.fromkeys(team_cards.ids, len(team_cards)))
        for card in cards.filtered(lambda c: c.state == "open"):
            vals = {
                "rank_company": company_ranks[card.id],
                "rank_team": team_ranks[card.id],
                "company_rep_count": len(cards),
                "team_rep_count": team_sizes[card.id],
            }
            if any(card[fname] != value for fname, value in vals.items()):
                super(SalesRepScorecard, card).write(vals)
        return True

    @api.model
    def _get_scorecard_reps(self, company, date_from, date_to):
        """Who gets a scorecard in ``company``: members and leaders of its sales teams, and
        salespeople of its quota lines in the period."""
        teams = self.env["crm.team"].sudo().search([("company_id", "in", (False, company.id))])
        users = teams.member_ids | teams.user_id
        users |= (
            self.env["sales.quota.line"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("breakdown", "=", "salesperson"),
                    ("user_id", "!=", False),
                    ("date_from", ">=", date_from),
                    ("date_from", "<=", date_to),
                ]
            )
            .user_id
        )
        return users.filtered(lambda user: user.active and not user.share and company in user.company_ids).sorted("id")

    # ------------------------------------------------------------
    # Business methods: XLSX
    # ------------------------------------------------------------

    def _get_xlsx_columns(self):
        """(field, header, format) of the Scorecards sheet."""
        names = [
            "sales_target",
            "sales_actual",
            "sales_rate",
            "collection_due",
            "collection_collected",
            "collection_rate",
            "visit_planned",
            "visit_planned_done",
            "visit_completion_rate",
            "visit_done",
            "visits_per_day",
            "new_customer_count",
            "new_customer_target",
            "prospect_count",
            "complaint_count",
            "complaint_on_time_rate",
            "forecast_amount",
            "forecast_actual",
            "forecast_accuracy",
            "attitude_score",
            "skill_score",
            "total_score",
            "rank_team",
            "rank_company",
        ]
        kinds = {"Monetary": "money", "Integer": "int", "Float": "number"}
        columns = []
        for name in names:
            field = self._fields[name]
            kind = "percent" if name.endswith("_rate") or name == "forecast_accuracy" else kinds[field.type.title()]
            columns.append((name, field.get_description(self.env)["string"], kind))
        return columns

    def _build_xlsx(self):
        book, output = self._xlsx_workbook()
        formats = self._xlsx_formats(book)
        keys = [
            (self.env._("Period"), lambda c: c._get_period_label()),
            (self.env._("Salesperson"), lambda c: c.user_id.name or ""),
            (self.env._("Sales Team"), lambda c: c.team_id.name or ""),
            (self.env._("Area"), lambda c: c.area_id.complete_name or ""),
            (self.env._("Status"), lambda c: dict(self._fields["state"]._description_selection(self.env))[c.state]),
        ]
        columns = self._get_xlsx_columns()
        cards = self.sorted(lambda c: (c.date_from, c.period_type, c.rank_company or 0, c.id))
        company = cards.company_id[:1] or self.env.company
        period = (
            self._xlsx_period_label(min(cards.mapped("date_from")), max(cards.mapped("date_to")))
            if cards
            else self._xlsx_period_label()
        )
        report_title = self.env._("Scorecards")

        def add_sheet(name, titles, frozen):
            return self._xlsx_sheet(
                book,
                formats,
                name,
                report_title,
                titles,
                company,
                period,
                widths=[18] * frozen + [13] * (len(titles) - frozen),
                frozen_cols=frozen,
            )

        sheet = add_sheet(
            self.env._("Scorecards"), [title for title, _get in keys] + [title for _n, title, _k in columns], 2
        )
        for row, card in enumerate(cards, start=XLSX_FIRST_DATA_ROW):
            for col, (_title, getter) in enumerate(keys):
                sheet.write_string(row, col, getter(card), formats["text"])
            for offset, (name, _title, kind) in enumerate(columns):
                value = (card[name] or 0) / 100.0 if kind == "percent" else card[name] or 0
                sheet.write_number(row, len(keys) + offset, value, formats[kind])
        last = XLSX_FIRST_DATA_ROW + len(cards)
        sheet.write_string(last, 0, self.env._("Total / Average"), formats["total_text"])
        for offset, (name, _title, kind) in enumerate(columns):
            if not cards or name.startswith("rank_"):
                continue
            col = len(keys) + offset
            function = "SUM" if kind in ("money", "int") else "AVERAGE"
            formula = self._xlsx_sum_formula(col, XLSX_FIRST_DATA_ROW, last - 1).replace("SUM", function)
            sheet.write_formula(last, col, formula, formats[f"total_{kind}"])

        measures_title = self.env._("Measures")
        measure_labels = dict(self.env["sales.rep.scorecard.line"]._fields["code"]._description_selection(self.env))
        titles = [
            self.env._("Period"),
            self.env._("Salesperson"),
            self.env._("Measure"),
            self.env._("Value"),
            self.env._("Scale"),
            self.env._("Points"),
            self.env._("Weight (%)"),
            self.env._("Weighted Points"),
        ]
        sheet = add_sheet(measures_title, titles, 3)
        row = XLSX_HEADER_ROW
        for card in cards:
            for line in card.line_ids:
                row += 1
                sheet.write_string(row, 0, card._get_period_label())
                sheet.write_string(row, 1, card.user_id.name or "")
                sheet.write_string(row, 2, measure_labels.get(line.code, line.code))
                for col, value in enumerate(
                    (line.value, line.reference, line.points, line.weight, line.weighted_points), start=3
                ):
                    sheet.write_number(row, col, value, formats["number"])

        for title, groupby in ((self.env._("By Team"), "team_id"), (self.env._("By Area"), "area_id")):
            sheet = add_sheet(
                title,
                [
                    self.env._("Period"),
                    self._fields[groupby].get_description(self.env)["string"],
                    self.env._("Reps"),
                    self.env._("Average Score"),
                    self._fields["sales_target"].get_description(self.env)["string"],
                    self._fields["sales_actual"].get_description(self.env)["string"],
                ],
                2,
            )
            groups = defaultdict(lambda: self.browse())
            for card in cards:
                groups[(card._get_period_label(), card[groupby].display_name or self.env._("None"))] |= card
            for row, ((card_period, name), group) in enumerate(sorted(groups.items()), start=XLSX_FIRST_DATA_ROW):
                sheet.write_string(row, 0, card_period)
                sheet.write_string(row, 1, name)
                sheet.write_number(row, 2, len(group), formats["int"])
                sheet.write_number(row, 3, sum(group.mapped("total_score")) / len(group), formats["number"])
                sheet.write_number(row, 4, sum(group.mapped("sales_target")), formats["money"])
                sheet.write_number(row, 5, sum(group.mapped("sales_actual")), formats["money"])
        book.close()
        return output.getvalue()

    # ------------------------------------------------------------
    # Scheduled actions
    # ------------------------------------------------------------

    @api.model
    def _get_cron_todo(self, today):
        """[(company, period type, first day, last day, reps)] still to compute by today's run
        (a scorecard computed today or closed is done)."""
        todo = []
        for company in self.env["res.company"].sudo().search([]):
            for period_type, date_from, date_to in scorecard_tools.closed_periods(today):
                reps = self._get_scorecard_reps(company, date_from, date_to)
                fresh = (
                    self.sudo()
                    .search(
                        [
                            ("company_id", "=", company.id),
                            ("period_type", "=", period_type),
                            ("date_from", "=", date_from),
                            ("user_id", "in", reps.ids),
                            "|",
                            ("compute_date", ">=", today),
                            ("state", "=", "closed"),
                        ]
                    )
                    .user_id
                )
                reps -= fresh
                if reps:
                    todo.append((company, period_type, date_from, date_to, reps))
        return todo

    @api.model
    def _cron_compute_scorecards(self, batch_size=SCORECARD_BATCH):
        """Monthly: the scorecards of the month just ended (and of its quarter and year when it
        ends them), in batches of reps through ``sales.management.batch._run_batches``.

        A rep is done once his scorecards of the periods are computed today (or closed):
        a run again the same day only does what is left; a rep that failed is logged and
        retried by the next run. Returns the reps processed.
        """
        today = fields.Date.context_today(self)

        def pending_reps(_scope):
            return [("id", "in", sorted({uid for *_rest, reps in self._get_cron_todo(today) for uid in reps.ids}))]

        def compute(users, _scope):
            failed = users.browse()
            for company, period_type, date_from, date_to, reps in self._get_cron_todo(today):
                batch = reps & users
                if batch:
                    _ok, ko = (
                        self.sudo().with_company(company)._compute_scorecards(batch, period_type, date_from, date_to)
                    )
                    failed |= ko
            return failed

        run = self.env["sales.management.batch"]._run_batches(
            SCORECARD_JOB,
            self.env["res.users"].sudo().with_context(active_test=False),
            pending_reps,
            compute,
            batch_size=batch_size,
            group_size=batch_size,
        )
        return run.done

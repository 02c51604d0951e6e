from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import format_amount, formatLang
from odoo.tools.date_utils import add as date_add

from ..tools import quota_measures
from .sales_quota_line import BREAKDOWNS

# Plans snapshotted per call of the monthly job (each in its own savepoint).
SNAPSHOT_BATCH = 20

# Fields copied from the quota line into its snapshot.
SNAPSHOT_LINE_FIELDS = [
    "plan_id",
    "breakdown",
    "date_from",
    "date_to",
    "team_id",
    "user_id",
    "partner_id",
    "categ_id",
    "target_amount",
    "actual_amount",
    "gap_amount",
    "last_year_amount",
    "collection_target",
    "collection_actual",
    "margin_target",
    "margin_actual",
    "new_product_target",
    "new_product_actual",
]


class SalesQuotaSnapshot(models.Model):
    _name = "sales.quota.snapshot"
    _inherit = ["sales.management.input.mixin"]
    _description = "Quota Achievement Snapshot"
    _order = "snapshot_month desc, achievement_rate desc, id"
    _check_company_auto = True

    snapshot_month = fields.Date("Month", required=True, index=True)
    line_id = fields.Many2one("sales.quota.line", string="Quota Line", ondelete="set null", index=True)
    plan_id = fields.Many2one("sales.quota.plan", string="Plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    breakdown = fields.Selection(BREAKDOWNS, required=True)
    date_from = fields.Date("From")
    date_to = fields.Date("To")
    team_id = fields.Many2one("crm.team", string="Sales Team")
    user_id = fields.Many2one("res.users", string="Salesperson", index=True)
    partner_id = fields.Many2one("res.partner", string="Customer")
    categ_id = fields.Many2one("product.category", string="Product Category")
    target_amount = fields.Monetary("Target", aggregator="sum")
    actual_amount = fields.Monetary("Actual", aggregator="sum")
    achievement_rate = fields.Float("Achievement (%)", aggregator="avg", digits=(16, 1))
    gap_amount = fields.Monetary("Gap", aggregator="sum")
    last_year_amount = fields.Monetary("Last Year", aggregator="sum")
    collection_target = fields.Monetary(aggregator="sum")
    collection_actual = fields.Monetary("Collected", aggregator="sum")
    margin_target = fields.Monetary(aggregator="sum")
    margin_actual = fields.Monetary("Margin", aggregator="sum")
    new_product_target = fields.Monetary("New-Product Target", aggregator="sum")
    new_product_actual = fields.Monetary("New-Product Sales", aggregator="sum")
    is_reminded = fields.Boolean("Reminder Sent", readonly=True)

    _sql_constraints = [
        ("line_month_unique", "UNIQUE(line_id, snapshot_month)", "A quota line has one snapshot per month."),
    ]

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _take_snapshots(self, plan, month_start):
        """Create or refresh the snapshots of a plan's month lines; idempotent."""
        lines = plan.line_ids.filtered(lambda line: line.period_level == "month" and line.date_from == month_start)
        existing = {
            snap.line_id.id: snap
            for snap in self.search([("line_id", "in", lines.ids), ("snapshot_month", "=", month_start)])
        }
        create_vals = []
        for line in lines:
            vals = {fname: line[fname] for fname in SNAPSHOT_LINE_FIELDS}
            vals = {k: v.id if isinstance(v, models.BaseModel) else v for k, v in vals.items()}
            vals["achievement_rate"] = line.achievement_rate
            if line.id in existing:
                existing[line.id].write(vals)
            else:
                create_vals.append(dict(vals, line_id=line.id, snapshot_month=month_start))
        return self.create(create_vals) | self.browse([s.id for s in existing.values()])

    @api.model
    def _schedule_reminders(self, plan, month_start):
        """An activity for each salesperson below the company's threshold; once per month."""
        snaps = self.search(
            [
                ("plan_id", "=", plan.id),
                ("snapshot_month", "=", month_start),
                ("breakdown", "=", "salesperson"),
                ("user_id", "!=", False),
            ]
        )
        totals = defaultdict(lambda: [0.0, 0.0, self.browse()])
        for snap in snaps:
            total = totals[snap.user_id]
            total[0] += snap.target_amount
            total[1] += snap.actual_amount
            total[2] |= snap
        threshold = plan.company_id.quota_reminder_threshold
        reminded = self.browse()
        for user, (target, actual, user_snaps) in totals.items():
            rate = quota_measures.achievement_rate(actual, target)
            if not target or rate >= threshold or any(user_snaps.mapped("is_reminded")):
                continue
            # In the salesperson's language, amounts in the plan's currency (the job runs as OdooBot).
            env = plan._get_recipient_env(user)
            currency = plan.currency_id
            plan.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                summary=env._("Quota below target: %(month)s", month=month_start.strftime("%Y-%m")),
                note=env._(
                    "Your achievement for %(month)s is %(rate)s%% (target %(target)s, actual %(actual)s), "
                    "below the %(threshold)s%% threshold.",
                    month=month_start.strftime("%Y-%m"),
                    rate=formatLang(env, rate, digits=1),
                    target=format_amount(env, target, currency),
                    actual=format_amount(env, actual, currency),
                    threshold=formatLang(env, threshold, digits=0),
                ),
            )
            reminded |= user_snaps
        reminded.write({"is_reminded": True})
        return reminded

    @api.model
    def _cron_monthly_snapshot(self, month_start=None, batch_size=SNAPSHOT_BATCH):
        """At month close: snapshot the last month's achievement and remind the reps under the threshold.

        The month is the job's period: each plan's snapshots and reminders are written in
        one savepoint, the plans are scanned once; a plan that fails is kept with its month
        and snapshotted, for that month, by the next run.
        """
        if month_start is None:
            month_start = date_add(fields.Date.context_today(self).replace(day=1), months=-1)

        def snapshot(plans, scope):
            month = fields.Date.to_date(scope)
            for plan in plans:
                self._take_snapshots(plan, month)
                self._schedule_reminders(plan, month)

        self.env["sales.management.batch"]._run_batches(
            "sales_management.ir_cron_quota_monthly_snapshot",
            self.env["sales.quota.plan"],
            lambda scope: [("state", "in", ("confirmed", "closed")), ("year", "=", fields.Date.to_date(scope).year)],
            snapshot,
            scope=fields.Date.to_string(month_start),
            batch_size=batch_size,
            period=True,
        )
        return True

import datetime
import logging
from collections import defaultdict
from zoneinfo import ZoneInfo

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, html_escape
from odoo.tools.mail import html_sanitize

from ..tools import geo_distance, visit_schedule
from ..tools.visit_frequency import FREQUENCY_DAYS

_logger = logging.getLogger(__name__)

VISIT_STATES = [
    ("planned", "Planned"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
    ("missed", "Missed"),
]

VISIT_PURPOSES = [
    ("development", "New-Customer Development"),
    ("routine", "Routine Visit"),
    ("collection", "Collection"),
    ("complaint", "Complaint Follow-up"),
    ("survey", "Market Survey"),
    ("support", "Technical Support"),
    ("promotion", "Promotion"),
]

# Weekly proposals: reps handled per cron call (set-based, one savepoint; a failing
# batch is retried in halves down to the rep that fails).
WEEKLY_BATCH_USERS = 50
OVERDUE_BATCH = 500
# Overdue visits reminded per savepoint.
OVERDUE_GROUP = 50


class SalesVisit(models.Model):
    _name = "sales.visit"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Customer Visit"
    _order = "date desc, id desc"
    _check_company_auto = True

    # -- Fields ----------------------------------------------------------------
    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        "res.users",
        string="Sales Rep",
        required=True,
        default=lambda self: self.env.user,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    plan_id = fields.Many2one(
        "sales.visit.plan",
        string="Visit Plan",
        index="btree_not_null",
        check_company=True,
        domain="[('user_id', '=', user_id), ('state', '!=', 'closed')]",
    )
    is_unplanned = fields.Boolean(
        string="Unplanned",
        tracking=True,
        help="Visit made without being planned beforehand (临时拜访).",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    commercial_partner_id = fields.Many2one(related="partner_id.commercial_partner_id", store=True, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True, tracking=True)
    purpose = fields.Selection(VISIT_PURPOSES, required=True, default="routine", tracking=True)
    goal = fields.Text()
    state = fields.Selection(VISIT_STATES, default="planned", required=True, tracking=True, copy=False, index=True)
    reason = fields.Text(
        string="Reason",
        copy=False,
        tracking=True,
        help="Why the visit was missed or cancelled.",
    )
    check_in = fields.Datetime(copy=False, tracking=True)
    check_out = fields.Datetime(copy=False, tracking=True)
    duration = fields.Float(string="Duration (hours)", compute="_compute_duration", store=True, aggregator="sum")
    check_in_latitude = fields.Float(digits=(10, 7), copy=False)
    check_in_longitude = fields.Float(digits=(10, 7), copy=False)
    distance_km = fields.Float(
        string="Distance (km)",
        compute="_compute_distance_km",
        store=True,
        digits=(16, 3),
        aggregator="avg",
        help="Distance between the check-in position and the customer's address coordinates, when both are known.",
    )
    contact_id = fields.Many2one("res.partner", string="Contact Met", domain="[('parent_id', '=', partner_id)]")
    outcome = fields.Text()
    feedback = fields.Text(string="Customer Feedback")
    competitor_info = fields.Text(string="Competitor Information")
    next_step = fields.Text()
    next_visit_date = fields.Date()
    sale_order_ids = fields.One2many("sale.order", "visit_id", string="Quotations and Orders")
    quotation_count = fields.Integer(compute="_compute_sale_counts")
    order_count = fields.Integer(compute="_compute_sale_counts")
    payment_ids = fields.Many2many(
        "account.payment",
        "sales_visit_account_payment_rel",
        "visit_id",
        "payment_id",
        string="Payments Collected",
        check_company=True,
        domain="[('partner_id', 'child_of', commercial_partner_id), ('payment_type', '=', 'inbound')]",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    complaint_ids = fields.One2many("sales.complaint", "visit_id", string="Complaints Raised")
    complaint_count = fields.Integer(compute="_compute_complaint_count")
    currency_id = fields.Many2one(related="company_id.currency_id")
    payment_amount = fields.Monetary(
        string="Collected",
        compute="_compute_payment_amount",
        help="Payments collected during the visit, in company currency.",
    )
    is_today = fields.Boolean(compute="_compute_is_today", search="_search_is_today")

    # -- Compute methods -------------------------------------------------------
    @api.depends("partner_id.complete_name", "date")
    def _compute_name(self):
        for visit in self:
            visit.name = " · ".join(filter(None, [visit.partner_id.complete_name, visit.date and str(visit.date)]))

    @api.depends("check_in", "check_out")
    def _compute_duration(self):
        for visit in self:
            if visit.check_in and visit.check_out:
                visit.duration = (visit.check_out - visit.check_in).total_seconds() / 3600.0
            else:
                visit.duration = 0.0

    @api.depends(
        "check_in_latitude",
        "check_in_longitude",
        "partner_id.partner_latitude",
        "partner_id.partner_longitude",
    )
    def _compute_distance_km(self):
        for visit in self:
            partner = visit.partner_id
            if geo_distance.has_position(visit.check_in_latitude, visit.check_in_longitude) and (
                geo_distance.has_position(partner.partner_latitude, partner.partner_longitude)
            ):
                visit.distance_km = geo_distance.haversine_km(
                    visit.check_in_latitude,
                    visit.check_in_longitude,
                    partner.partner_latitude,
                    partner.partner_longitude,
                )
            else:
                visit.distance_km = 0.0

    def _compute_complaint_count(self):
        counts = dict(
            self.env["sales.complaint"]._read_group([("visit_id", "in", self.ids)], ["visit_id"], ["__count"])
        )
        for visit in self:
            visit.complaint_count = counts.get(visit, 0)

    def _compute_sale_counts(self):
        groups = self.env["sale.order"]._read_group([("visit_id", "in", self.ids)], ["visit_id", "state"], ["__count"])
        quotations = defaultdict(int)
        orders = defaultdict(int)
        for visit, state, count in groups:
            if state == "sale":
                orders[visit.id] += count
            elif state in ("draft", "sent"):
                quotations[visit.id] += count
        for visit in self:
            visit.quotation_count = quotations[visit.id]
            visit.order_count = orders[visit.id]

    @api.depends_context("uid")
    def _compute_payment_amount(self):
        # Reps see what was collected without reading the payments themselves.
        self.env.cr.execute(
            """
            SELECT rel.visit_id, SUM(p.amount_company_currency_signed)
              FROM sales_visit_account_payment_rel rel
              JOIN account_payment p ON p.id = rel.payment_id
             WHERE rel.visit_id = ANY(%s) AND p.state IN ('in_process', 'paid')
             GROUP BY rel.visit_id
            """,
            [self.ids],
        )
        amounts = dict(self.env.cr.fetchall())
        for visit in self:
            visit.payment_amount = amounts.get(visit.id, 0.0)

    def _compute_is_today(self):
        today = fields.Date.context_today(self)
        for visit in self:
            visit.is_today = visit.date == today

    def _search_is_today(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Operation not supported"))
        today = fields.Date.context_today(self)
        return [("date", "=" if (operator == "=") == value else "!=", today)]

    # -- Constraints -----------------------------------------------------------
    @api.constrains("check_in", "check_out")
    def _check_check_out(self):
        for visit in self:
            if visit.check_out and not visit.check_in:
                raise ValidationError(
                    self.env._("The visit %(visit)s has a check-out but no check-in.", visit=visit.name)
                )
            if visit.check_in and visit.check_out and visit.check_out < visit.check_in:
                raise ValidationError(
                    self.env._(
                        "Check-out (%(out)s) cannot be before check-in (%(in)s) on the visit %(visit)s.",
                        out=visit.check_out,
                        visit=visit.name,
                        **{"in": visit.check_in},
                    )
                )

    @api.constrains("date", "plan_id", "user_id")
    def _check_plan(self):
        for visit in self:
            plan = visit.plan_id
            if not plan:
                continue
            if not plan.date_from <= visit.date <= plan.date_to:
                raise ValidationError(
                    self.env._(
                        "The visit %(visit)s on %(date)s is outside its plan's period (%(start)s to %(end)s).",
                        visit=visit.name,
                        date=visit.date,
                        start=plan.date_from,
                        end=plan.date_to,
                    )
                )
            if plan.user_id != visit.user_id:
                raise ValidationError(
                    self.env._(
                        "The visit %(visit)s belongs to %(rep)s but its plan to %(plan_rep)s.",
                        visit=visit.name,
                        rep=visit.user_id.name,
                        plan_rep=plan.user_id.name,
                    )
                )

    @api.constrains("state", "reason")
    def _check_reason(self):
        for visit in self:
            if visit.state in ("missed", "cancelled") and not (visit.reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "Give the reason why the visit %(visit)s was %(state)s.",
                        visit=visit.name,
                        state=dict(VISIT_STATES)[visit.state].lower(),
                    )
                )

    # -- CRUD ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._link_to_plans(vals_list)
        visits = super().create(vals_list)
        visits.filtered(lambda v: v.state == "done").partner_id._update_visit_last_date()
        return visits

    def write(self, vals):
        if vals.get("user_id"):
            self._check_can_assign(vals["user_id"])
        touches_last_visit = {"state", "date", "partner_id"} & set(vals)
        partners = self.filtered(lambda v: v.state == "done").partner_id if touches_last_visit else None
        result = super().write(vals)
        if touches_last_visit:
            (partners | self.filtered(lambda v: v.state == "done").partner_id)._update_visit_last_date()
        if vals.get("state") in ("in_progress", "done", "missed", "cancelled"):
            self._check_rules()
        return result

    def unlink(self):
        partners = self.filtered(lambda v: v.state == "done").partner_id
        result = super().unlink()
        partners._update_visit_last_date()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_planned(self):
        if any(visit.state not in ("planned", "cancelled") for visit in self):
            raise UserError(self.env._("Only planned or cancelled visits can be deleted."))

    # -- Actions ---------------------------------------------------------------
    def action_check_in(self, latitude=None, longitude=None):
        """Start the visit now, with the browser's position when it gave one."""
        self._check_state({"planned"}, self.env._("Check in"))
        now = fields.Datetime.now()
        vals = {"state": "in_progress", "check_in": now, "date": fields.Date.context_today(self, now)}
        if latitude is not None and longitude is not None:
            vals.update(check_in_latitude=latitude, check_in_longitude=longitude)
        self.write(vals)
        return True

    def action_check_out(self):
        self._check_state({"in_progress"}, self.env._("Check out"))
        self.write({"state": "done", "check_out": fields.Datetime.now()})
        return True

    def action_done(self):
        """Record a visit as done afterwards, without check-in."""
        self._check_state({"planned", "in_progress"}, self.env._("Mark as done"))
        for visit in self:
            vals = {"state": "done"}
            if visit.check_in and not visit.check_out:
                vals["check_out"] = fields.Datetime.now()
            visit.write(vals)
        return True

    def action_missed(self):
        self._check_state({"planned", "in_progress"}, self.env._("Mark as missed"))
        self.write({"state": "missed"})
        return True

    def action_cancel(self):
        self._check_state({"planned", "in_progress"}, self.env._("Cancel"))
        self.write({"state": "cancelled"})
        return True

    def action_reset_planned(self):
        self._check_state({"cancelled", "missed"}, self.env._("Reset to planned"))
        self.write({"state": "planned", "check_in": False, "check_out": False})
        return True

    def action_new_quotation(self):
        """Open a new quotation for the visited customer, linked back to the visit."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Quotation"),
            "res_model": "sale.order",
            "view_mode": "form",
            "views": [(False, "form")],
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_visit_id": self.id,
                "default_user_id": self.user_id.id,
                "default_company_id": self.company_id.id,
            },
        }

    def action_view_sale_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_quotations_with_onboarding")
        action.update(
            domain=[("visit_id", "=", self.id)],
            context={"default_visit_id": self.id, "default_partner_id": self.partner_id.id},
        )
        return action

    def _get_complaint_defaults(self):
        self.ensure_one()
        return {
            "default_partner_id": self.commercial_partner_id.id,
            "default_contact_id": self.contact_id.id or self.partner_id.id,
            "default_visit_id": self.id,
            "default_channel": "visit",
            "default_user_id": self.user_id.id,
            "default_company_id": self.company_id.id,
        }

    def action_new_complaint(self):
        """Record a complaint the customer raised during this visit, linked back to it."""
        self.ensure_one()
        return self.env["sales.complaint"]._get_new_action_for(self._get_complaint_defaults())

    def action_view_complaints(self):
        self.ensure_one()
        return self.env["sales.complaint"]._get_records_action_for(
            [("visit_id", "=", self.id)], self._get_complaint_defaults()
        )

    # -- Business methods ------------------------------------------------------
    def _check_can_assign(self, user_id):
        """A rep keeps his documents: only managers hand them to another rep."""
        if (
            self.env.su
            or user_id == self.env.uid
            or self.env.user.has_group("sales_management.group_sales_management_user_all")
        ):
            return
        raise UserError(self.env._("Only a sales manager can give a visit or a visit plan to another rep."))

    @api.model
    def _link_to_plans(self, vals_list):
        """A visit planned by hand joins its rep's open plan covering its date (one search for all)."""
        context = self.env.context
        if context.get("default_plan_id") or context.get("default_is_unplanned"):
            return
        todo = [vals for vals in vals_list if "plan_id" not in vals and not vals.get("is_unplanned")]
        if not todo:
            return
        today = fields.Date.context_today(self)
        days = [fields.Date.to_date(vals.get("date")) or today for vals in todo]
        plans = self.env["sales.visit.plan"].search(
            [
                ("user_id", "in", list({vals.get("user_id") or self.env.uid for vals in todo})),
                ("state", "!=", "closed"),
                ("date_from", "<=", max(days)),
                ("date_to", ">=", min(days)),
            ]
        )
        for vals, day in zip(todo, days, strict=True):
            user_id = vals.get("user_id") or self.env.uid
            company_id = vals.get("company_id") or self.env.company.id
            plan = next(
                (
                    p
                    for p in plans
                    if p.user_id.id == user_id and p.company_id.id == company_id and p.date_from <= day <= p.date_to
                ),
                None,
            )
            if plan:
                vals["plan_id"] = plan.id

    def _check_rules(self):
        """Re-run the rules of these visits (their constraints) at a change of state, whatever the path."""
        self._validate_fields(self._fields)
        self._check_company()

    def _check_state(self, allowed, action_name):
        for visit in self:
            if visit.state not in allowed:
                raise UserError(
                    self.env._(
                        "%(action)s is not possible on the visit %(visit)s in state %(state)s.",
                        action=action_name,
                        visit=visit.name,
                        state=dict(VISIT_STATES)[visit.state],
                    )
                )

    @api.model
    def _get_working_days(self, company, date_from, date_to):
        """Working days of the company's calendar between two dates, public holidays excluded."""
        calendar = company.resource_calendar_id
        if not calendar:
            return [
                date_from + datetime.timedelta(days=n)
                for n in range((date_to - date_from).days + 1)
                if (date_from + datetime.timedelta(days=n)).weekday() < 5
            ]
        tz = ZoneInfo(calendar.tz or "UTC")
        start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(date_to, datetime.time.max, tzinfo=tz)
        intervals = calendar._work_intervals_batch(
            start, end, domain=[("time_type", "=", "leave"), ("company_id", "in", (company.id, False))]
        )
        return sorted({interval[0].date() for interval in intervals[False]})

    @api.model
    def _prepare_proposed_visit_values(self, partner, user, day, plan, company):
        """Values of one proposed visit. Extension point."""
        return {
            "partner_id": partner.id,
            "user_id": user.id,
            "date": day,
            "plan_id": plan.id,
            "company_id": company.id,
            "purpose": "routine",
            # Stored computed values given upfront: one INSERT, no UPDATE after it.
            "name": f"{partner.complete_name} · {day}",
            "commercial_partner_id": partner.commercial_partner_id.id,
            "duration": 0.0,
            "distance_km": 0.0,
        }

    @api.model
    def _propose_visits(self, users, date_from, date_to, plans=None):
        """Create the visits that frequency and last visit call for, on working days.

        Set-based: a fixed number of queries whatever the number of customers,
        plus the ORM's INSERT of the new visits (one per 100 visits).
        Visits already planned (any rep) count, so running it twice adds nothing.
        Proposals go into the rep's open plan covering their date, if any.
        """
        if not users or date_from > date_to:
            return self.browse()
        partners = (
            self.env["res.partner"]
            .with_context(active_test=True)
            .search_fetch(
                [("visit_user_id", "in", users.ids), ("visit_frequency", "!=", False)],
                [
                    "visit_user_id",
                    "visit_frequency",
                    "visit_last_date",
                    "company_id",
                    "commercial_partner_id",
                    "complete_name",
                ],
                order="visit_user_id, id",
            )
        )
        if not partners:
            return self.browse()
        planned = dict(
            self.sudo()._read_group(
                [("partner_id", "in", partners.ids), ("state", "in", ("planned", "in_progress"))],
                ["partner_id"],
                ["date:array_agg"],
            )
        )
        restrict_to_plans = plans is not None
        if plans is None:
            plans = self.env["sales.visit.plan"].search(
                [
                    ("user_id", "in", users.ids),
                    ("state", "!=", "closed"),
                    ("date_from", "<=", date_to),
                    ("date_to", ">=", date_from),
                ]
            )
        # Group customers by rep and by the company whose calendar applies.
        groups = defaultdict(list)
        for partner in partners:
            user = partner.visit_user_id
            company = partner.company_id or user.company_id
            if restrict_to_plans:
                rep_plans = plans.filtered(lambda p, user=user: p.user_id == user)
                if not rep_plans or partner.company_id not in (rep_plans[0].company_id, self.env["res.company"]):
                    continue
                company = rep_plans[0].company_id
            groups[(user, company)].append(partner)
        working_days = {}
        vals_list = []
        for (user, company), customers in groups.items():
            if company not in working_days:
                working_days[company] = self._get_working_days(company, date_from, date_to)
            rows = [
                (
                    partner,
                    partner.visit_last_date or None,
                    FREQUENCY_DAYS[partner.visit_frequency],
                    planned.get(partner.sudo(), []),
                )
                for partner in customers
            ]
            for partner, day in visit_schedule.propose_visits(rows, working_days[company]):
                plan = plans._get_plan_for(user, day)
                if plan and partner.company_id not in (plan.company_id, self.env["res.company"]):
                    plan = plan.browse()
                visit_company = plan.company_id or partner.company_id or company
                vals_list.append(self._prepare_proposed_visit_values(partner, user, day, plan, visit_company))
        return self.with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True, mail_notrack=True
        ).create(vals_list)

    @api.model
    def _remind_overdue_visits(self, batch_size):
        """One to-do per overdue planned visit; the to-do marks the visit done. Returns how many got one."""
        todo = self.env.ref("mail.mail_activity_data_todo")

        def remind(visits, _scope):
            for visit in visits:
                visit.activity_schedule(
                    act_type_xmlid="mail.mail_activity_data_todo",
                    date_deadline=fields.Date.context_today(self),
                    summary=self.env._("Overdue visit: record it, reschedule it or mark it missed"),
                    user_id=visit.user_id.id,
                )

        return (
            self.env["sales.management.batch"]
            ._run_batches(
                "sales_management.ir_cron_visit_overdue",
                self,
                [
                    ("state", "=", "planned"),
                    ("date", "<", fields.Date.context_today(self)),
                    ("activity_ids", "not any", [("activity_type_id", "=", todo.id)]),
                ],
                remind,
                batch_size=batch_size,
                group_size=OVERDUE_GROUP,
            )
            .done
        )

    @api.model
    def _propose_next_week_visits(self, batch_size):
        """Next week's proposals, a batch of reps per call, set-based in one savepoint.

        The week is the job's period: scanned once, the managers told when it ends. A rep
        whose proposals fail is isolated (the batch is retried in halves), logged, kept
        with his week and retried by the next run, from that day to the end of his week.
        Returns the visits created.
        """
        today = fields.Date.context_today(self)
        week_start, _week_end = visit_schedule.iso_week_bounds(today + datetime.timedelta(days=7))
        rep_ids = [
            user.id
            for [user] in self.env["res.partner"]._read_group(
                [("visit_user_id", "!=", False), ("visit_frequency", "!=", False)], ["visit_user_id"]
            )
        ]
        created = []

        def propose(reps, scope):
            start, end = visit_schedule.iso_week_bounds(fields.Date.to_date(scope))
            start = max(start, today)
            if start > end:
                return
            for company_users in reps.grouped("company_id").values():
                created.append(self._propose_visits(company_users, start, end))

        self.env["sales.management.batch"]._run_batches(
            "sales_management.ir_cron_visit_weekly",
            self.env["res.users"].with_context(active_test=False),
            [("id", "in", rep_ids)],
            propose,
            scope=week_start.isoformat(),
            batch_size=batch_size,
            group_size=batch_size,
            period=True,
            on_complete=lambda _scope: self._notify_managers_overdue_customers(),
        )
        return self.union(*created).exists()

    @api.model
    def _get_visit_managers(self, reps):
        """{manager: reps} to tell about overdue customers: the reps' sales team leaders."""
        managers = defaultdict(lambda: self.env["res.users"])
        for rep in reps:
            leader = rep.sale_team_id.user_id
            if leader and leader != rep:
                managers[leader] |= rep
        return managers

    @api.model
    def _notify_managers_overdue_customers(self):
        overdue = self.env["res.partner"].search_fetch(
            [("is_visit_overdue", "=", True)],
            ["visit_user_id", "visit_last_date", "visit_frequency", "display_name"],
            order="visit_user_id, visit_last_date",
        )
        by_rep = overdue.grouped("visit_user_id")
        for manager, reps in self._get_visit_managers(self.env["res.users"].union(*by_rep)).items():
            lines = []
            for rep in reps:
                names = ", ".join(
                    f"{p.display_name} ({format_date(self.env, p.visit_last_date) if p.visit_last_date else '-'})"
                    for p in by_rep[rep]
                )
                lines.append(f"<li><b>{html_escape(rep.name)}</b> ({len(by_rep[rep])}): {html_escape(names)}</li>")
            intro = html_escape(self.env._("Customers not seen within their visit frequency:"))
            self.env["mail.thread"].message_notify(
                partner_ids=manager.partner_id.ids,
                subject=self.env._("Customers overdue for a visit"),
                body=html_sanitize(f"<p>{intro}</p><ul>{''.join(lines)}</ul>"),
            )

    # -- Scheduled actions -----------------------------------------------------
    @api.model
    def _cron_visit_overdue(self, batch_size=OVERDUE_BATCH):
        """Daily: each planned visit whose day has passed gets one to-do for its rep."""
        # All companies' visits, whatever the cron user's companies.
        return self.sudo()._remind_overdue_visits(batch_size)

    @api.model
    def _cron_visit_weekly(self, batch_size=WEEKLY_BATCH_USERS):
        """Weekly: propose next week's visits, then tell managers who is not seen within frequency."""
        # All companies' reps and customers, whatever the cron user's companies.
        return self.sudo()._propose_next_week_visits(batch_size)

    # -- Demo data -------------------------------------------------------------
    @api.model
    def _load_demo_visits(self):
        """Demo: plans for the demo reps, with done, missed and planned visits around today."""
        today = fields.Date.context_today(self)
        reps = [self.env.ref(xmlid, raise_if_not_found=False) for xmlid in ("base.user_admin", "base.user_demo")]
        partners = [self.env.ref(f"base.res_partner_{n}", raise_if_not_found=False) for n in (1, 2, 3, 4, 10, 12, 18)]
        reps = [rep for rep in reps if rep]
        partners = [partner for partner in partners if partner]
        Plan = self.env["sales.visit.plan"]
        purposes = [key for key, _label in VISIT_PURPOSES]
        for rep_index, rep in enumerate(reps):
            customers = partners[rep_index::2]
            for customer in customers:
                customer.write({"visit_user_id": rep.id, "visit_frequency": "weekly" if rep_index else "biweekly"})
            plans = {}
            for offset in range(-20, 11):
                day = today + datetime.timedelta(days=offset)
                if day.weekday() >= 5:
                    continue
                month = day.replace(day=1)
                if month not in plans:
                    plans[month] = Plan.search(
                        [("user_id", "=", rep.id), ("date_from", "<=", day), ("date_to", ">=", day)], limit=1
                    ) or Plan.create(
                        {"user_id": rep.id, "date_from": month, "date_to": fields.Date.end_of(day, "month")}
                    )
                plan = plans[month]
                customer = customers[(offset + 20) % len(customers)]
                visit = self.create(
                    {
                        "user_id": rep.id,
                        "plan_id": plan.id,
                        "partner_id": customer.id,
                        "date": day,
                        "company_id": plan.company_id.id,
                        "purpose": purposes[(offset + 20) % len(purposes)],
                        "goal": "Present the new catalogue and check stock levels.",
                    }
                )
                if offset >= 0:
                    continue
                if offset % 5 == 0:
                    visit.write({"reason": "Customer closed for inventory.", "state": "missed"})
                    continue
                start = datetime.datetime.combine(day, datetime.time(9 + (offset % 3) * 2))
                visit.write(
                    {
                        "state": "done",
                        "check_in": start,
                        "check_out": start + datetime.timedelta(minutes=50),
                        "outcome": "Order discussed; samples left.",
                        "feedback": "Satisfied with delivery times, asks for better prices.",
                        "competitor_info": "A competitor offers 3% discount on volume.",
                        "next_step": "Send a quotation.",
                    }
                )
            unplanned = self.create(
                {
                    "user_id": rep.id,
                    "partner_id": customers[0].id,
                    "date": today - datetime.timedelta(days=1),
                    "is_unplanned": True,
                    "purpose": "collection",
                }
            )
            unplanned.write({"state": "done"})
            for plan in plans.values():
                if plan.date_to < today and plan.visit_ids:
                    plan.sudo().write({"state": "approved"})
                    plan.sudo().write({"state": "closed"})
                elif plan.visit_ids:
                    plan.write({"state": "submitted"})

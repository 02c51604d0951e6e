import datetime
import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date, html_escape
from odoo.tools.mail import html_sanitize, plaintext2html

from ..tools import geo_distance, visit_schedule
from ..tools.visit_frequency import FREQUENCY_DAYS
from ..tools.visit_schedule import FOLLOWUP_MODES, FOLLOWUP_RULES, IN_PERSON_MODES, VISIT_MODES, VISIT_RESULTS

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
    ("after_delivery", "After-Delivery Visit"),
]
SATISFACTION_SCORES = [
    ("1", "1 - Very Unhappy"),
    ("2", "2 - Unhappy"),
    ("3", "3 - Neutral"),
    ("4", "4 - Happy"),
    ("5", "5 - Very Happy"),
]
# A satisfaction at or below this score is negative feedback: it opens a complaint.
NEGATIVE_SCORE = 2
# Set by the follow-up and after-delivery flow, never typed in (see write).
FLOW_FIELDS = (
    "origin_visit_id",
    "followup_visit_id",
    "followup_activity_id",
    "followup_date",
    "has_followup",
    "after_delivery_order_id",
    "survey_id",
)
# The flow of the states: state -> states it may come from, on every write path.
VISIT_TRANSITIONS = {
    "in_progress": ("planned",),
    "done": ("planned", "in_progress"),
    "missed": ("planned", "in_progress"),
    # A visit recorded by mistake is cancelled afterwards, with the reason.
    "cancelled": ("planned", "in_progress", "done"),
    "planned": ("missed", "cancelled"),
}
# Who may hold a visit or a visit plan: a sales rep, in the ladder of Sales or of the addon.
VISIT_REP_GROUPS = ("sales_team.group_sale_salesman",)
# Clock difference allowed between the browser and the server for a check-in or check-out.
CLOCK_TOLERANCE = datetime.timedelta(minutes=5)
# Writing these on a done visit may call for its follow-up or satisfaction records.
DONE_TRIGGER_FIELDS = {"state", "result", "satisfaction"}
# Working days read ahead of a follow-up's wanted day, to move it past weekends and holidays.
FOLLOWUP_LOOKAHEAD_DAYS = 60

# Weekly proposals: reps handled per cron call (set-based, one savepoint; a failing
# batch is retried in halves down to the rep that fails).
WEEKLY_BATCH_USERS = 50
OVERDUE_BATCH = 500
# Overdue visits reminded per savepoint.
OVERDUE_GROUP = 50


class SalesVisit(models.Model):
    _name = "sales.visit"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.management.input.mixin"]
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
    area_id = fields.Many2one(
        related="partner_id.commercial_partner_id.area_id",
        string="Area",
        store=True,
        precompute=True,
        index="btree_not_null",
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True, tracking=True)
    purpose = fields.Selection(VISIT_PURPOSES, required=True, default="routine", tracking=True)
    mode = fields.Selection(
        VISIT_MODES,
        required=True,
        default="in_person",
        tracking=True,
        index=True,
        help="How the customer is met. Only visits in person (at the customer's) count for the visit "
        "frequency, the last visit and the visits per working day; the others are counted apart.",
    )
    goal = fields.Text()
    state = fields.Selection(VISIT_STATES, default="planned", required=True, tracking=True, copy=False, index=True)
    reason = fields.Text(
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
    check_in_position = fields.Char(string="Check-in Position", compute="_compute_check_in_position")
    check_in_map_url = fields.Char(string="Map", compute="_compute_check_in_position")
    contact_id = fields.Many2one("res.partner", string="Contact Met", domain="[('parent_id', '=', partner_id)]")
    result = fields.Selection(
        VISIT_RESULTS,
        string="Outcome",
        tracking=True,
        index="btree_not_null",
        help="When the visit is done, its outcome schedules exactly one follow-up: a visit or a call on "
        "the next visit date, or a to-do.",
    )
    outcome = fields.Text(string="Outcome Details")
    feedback = fields.Text(string="Customer Feedback")
    satisfaction = fields.Selection(
        SATISFACTION_SCORES,
        string="Customer Satisfaction",
        help="Recorded as a satisfaction survey when the visit is done; 1 or 2 also opens a complaint.",
    )
    competitor_info = fields.Text(string="Competitor Information")
    next_step = fields.Text()
    next_mode = fields.Selection(
        FOLLOWUP_MODES,
        string="Follow-up As",
        compute="_compute_next_mode",
        store=True,
        readonly=False,
        help="The follow-up the outcome calls for: a visit or a call planned in the rep's plan, or a to-do.",
    )
    next_visit_date = fields.Date(
        help="Day of the follow-up. Empty: the outcome's usual delay (after a rejection, the period set in "
        "Settings). Moved to the next working day when it is not one."
    )
    origin_visit_id = fields.Many2one(
        "sales.visit",
        string="Follow-up Of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    followup_visit_id = fields.Many2one(
        "sales.visit", string="Follow-up Visit", readonly=True, copy=False, check_company=True
    )
    followup_activity_id = fields.Many2one(
        "mail.activity", string="Follow-up To-Do", readonly=True, copy=False, ondelete="set null"
    )
    followup_date = fields.Date(string="Follow-up On", readonly=True, copy=False)
    has_followup = fields.Boolean(
        string="Follow-up Scheduled",
        readonly=True,
        copy=False,
        help="The follow-up of this visit's outcome was scheduled (once, whatever happens to it afterwards).",
    )
    after_delivery_order_id = fields.Many2one(
        "sale.order",
        string="After-Delivery Order",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        help="The delivered order this visit hears about.",
    )
    survey_id = fields.Many2one(
        "sales.complaint.survey", string="Satisfaction Survey", readonly=True, copy=False, check_company=True
    )
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
        string="Paid at Visit",
        compute="_compute_payment_amount",
        help="Payments handed over during the visit (matched with invoices or not), in company currency. "
        "Not the cash collected of the collection plan, quotas and daily report, which counts payments "
        "once matched with invoices.",
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

    @api.depends("check_in_latitude", "check_in_longitude")
    def _compute_check_in_position(self):
        for visit in self:
            latitude, longitude = visit.check_in_latitude, visit.check_in_longitude
            if geo_distance.has_position(latitude, longitude):
                # Five decimals: about a metre, all a browser position is worth.
                lat, lon = f"{latitude:.5f}", f"{longitude:.5f}"
                visit.check_in_position = f"{lat}, {lon}"
                visit.check_in_map_url = f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
            else:
                visit.check_in_position = False
                visit.check_in_map_url = False

    @api.depends("result")
    def _compute_next_mode(self):
        for visit in self:
            visit.next_mode = FOLLOWUP_RULES[visit.result][0] if visit.result else False

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
        today = fields.Date.context_today(self)
        return self._search_boolean_field("is_today", operator, value, [("date", "=", today)])

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

    @api.model
    def _get_input_ranges(self):
        # Positions on the globe, in degrees.
        return {
            **super()._get_input_ranges(),
            "check_in_latitude": (-90.0, 90.0),
            "check_in_longitude": (-180.0, 180.0),
        }

    @api.constrains("check_in_latitude", "check_in_longitude")
    def _check_coordinates(self):
        self._check_input_range(["check_in_latitude", "check_in_longitude"])

    @api.constrains("date", "next_visit_date")
    def _check_next_visit_date(self):
        for visit in self:
            if visit.next_visit_date and visit.next_visit_date < visit.date:
                raise ValidationError(
                    self.env._(
                        "The next visit date (%(next)s) of the visit %(visit)s cannot be before the visit itself "
                        "(%(date)s).",
                        next=visit.next_visit_date,
                        visit=visit.name,
                        date=visit.date,
                    )
                )

    @api.constrains("user_id")
    def _check_user_id(self):
        self._check_input_user("user_id", VISIT_REP_GROUPS)

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
        if not self.env.su and any(set(FLOW_FIELDS) & set(vals) for vals in vals_list):
            raise AccessError(self.env._("Follow-ups and after-delivery visits are linked by their own flow."))
        # Values first: the checks below read them.
        self._check_input_values(vals_list)
        for vals in vals_list:
            self._check_clock_values(vals)
        self._link_to_plans(vals_list)
        visits = super().create(vals_list)
        done = visits.filtered(lambda v: v.state == "done")
        done.partner_id._update_visit_last_date()
        done._process_done_visits()
        return visits

    def write(self, vals):
        if not self.env.su and set(FLOW_FIELDS) & set(vals):
            raise AccessError(self.env._("Follow-ups and after-delivery visits are linked by their own flow."))
        # Values first: the checks below read them.
        self._check_input_values([vals])
        if vals.get("user_id"):
            self._check_can_assign(vals["user_id"])
        self._check_clock_values(vals)
        if "state" in vals:
            self._check_transition(vals["state"])
        touches_last_visit = {"state", "date", "partner_id", "mode"} & set(vals)
        partners = self.filtered(lambda v: v.state == "done").partner_id if touches_last_visit else None
        result = super().write(vals)
        if touches_last_visit:
            (partners | self.filtered(lambda v: v.state == "done").partner_id)._update_visit_last_date()
        if vals.get("state") in ("in_progress", "done", "missed", "cancelled"):
            self._check_rules()
        if DONE_TRIGGER_FIELDS & set(vals):
            self._process_done_visits()
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
    def _check_transition(self, state):
        """The states follow VISIT_TRANSITIONS, whether from a button or a direct write."""
        self._check_state_transition(
            state,
            VISIT_TRANSITIONS,
            lambda visit, current, target, allowed: self.env._(
                "The visit %(visit)s cannot go from %(current)s to %(target)s; from %(current)s it can "
                "go to: %(allowed)s.",
                visit=visit.name,
                current=current,
                target=target,
                allowed=allowed,
            ),
        )

    @api.model
    def _check_clock_values(self, vals):
        """Check-in and check-out are taken, not foretold: never later than now."""
        if self.env.su:
            return
        latest = fields.Datetime.now() + CLOCK_TOLERANCE
        for name in ("check_in", "check_out"):
            value = vals.get(name)
            if value and isinstance(value, str | datetime.date):
                moment = fields.Datetime.to_datetime(value)
                if moment and moment > latest:
                    raise ValidationError(
                        self.env._(
                            "%(field)s (%(value)s) cannot be later than now.",
                            field=self._fields[name]._description_string(self.env),
                            value=moment,
                        )
                    )

    def _check_can_assign(self, user_id):
        """A rep keeps his documents: only managers hand them to another rep."""
        if user_id == self.env.uid:
            return
        self._sales_check_rights(
            "sales_team.group_sale_salesman_all_leads",
            self.env._("Only a sales manager can give a visit or a visit plan to another rep."),
        )

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

    # -- Follow-ups and satisfaction ---------------------------------------------
    def _process_done_visits(self):
        """What a done visit leads to: its outcome's follow-up, its satisfaction records."""
        done = self.filtered(lambda v: v.state == "done")
        if done:
            done._schedule_followups()
            done._record_satisfaction()

    def _get_followup_rule(self):
        """(mode, delay in days, purpose) of this visit's follow-up. Extension point."""
        self.ensure_one()
        mode, delay, purpose = FOLLOWUP_RULES[self.result]
        if delay is None:
            delay = self.company_id.visit_rejection_followup_days
        return self.next_mode or mode, delay, purpose

    def _schedule_followups(self):
        """Exactly one follow-up per done visit with an outcome: a planned visit (or call)
        on the next visit date moved to a working day, or a to-do for the rep.

        Prospects a manager closed as lost get none.
        """
        visits = self.filtered(
            lambda v: v.state == "done"
            and v.result
            and not v.has_followup
            and not v.commercial_partner_id.visit_lost_date
        )
        if not visits:
            return
        followup_vals = []
        for company, company_visits in visits.grouped("company_id").items():
            rules = {visit: visit._get_followup_rule() for visit in company_visits}
            start = min(company_visits.mapped("date"))
            wanted = [
                visit.next_visit_date or visit.date + datetime.timedelta(days=delay)
                for visit, (_mode, delay, _purpose) in rules.items()
            ]
            end = max([*wanted, start]) + datetime.timedelta(days=FOLLOWUP_LOOKAHEAD_DAYS)
            working_days = company._get_sales_working_days(start, end)
            for visit, (mode, delay, purpose) in rules.items():
                day = visit_schedule.followup_date(visit.date, visit.next_visit_date, delay, working_days)
                day = day or visit.next_visit_date or visit.date + datetime.timedelta(days=delay)
                flags = {"has_followup": True, "followup_date": day}
                if visit.next_visit_date != day:
                    flags["next_visit_date"] = day
                if mode == "activity":
                    activity = visit.sudo().activity_schedule(
                        "mail.mail_activity_data_todo",
                        date_deadline=day,
                        summary=visit._get_followup_summary(),
                        note=plaintext2html(visit.next_step) if visit.next_step else False,
                        user_id=visit.user_id.id,
                    )
                    visit.sudo().write({**flags, "followup_activity_id": activity.id})
                else:
                    followup_vals.append((visit, flags, visit._prepare_followup_visit_values(day, mode, purpose)))
        if followup_vals:
            followups = self.sudo().create([vals for _visit, _flags, vals in followup_vals])
            for (visit, flags, _vals), followup in zip(followup_vals, followups, strict=True):
                visit.sudo().write({**flags, "followup_visit_id": followup.id})

    def _get_followup_summary(self):
        self.ensure_one()
        env = self.with_context(lang=self.user_id.lang or self.env.lang).env
        outcome = dict(self._fields["result"]._description_selection(env)).get(self.result, "")
        return env._("Follow up %(customer)s: %(outcome)s", customer=self.partner_id.display_name, outcome=outcome)

    def _prepare_followup_visit_values(self, day, mode, purpose):
        """Values of the follow-up visit of this visit. Extension point."""
        self.ensure_one()
        env = self.with_context(lang=self.user_id.lang or self.env.lang).env
        outcome = dict(self._fields["result"]._description_selection(env)).get(self.result, "")
        goal = env._(
            "Follow-up of the visit of %(date)s (%(outcome)s).",
            date=format_date(env, self.date),
            outcome=outcome,
        )
        return {
            "partner_id": self.partner_id.id,
            "contact_id": self.contact_id.id,
            "user_id": self.user_id.id,
            "company_id": self.company_id.id,
            "date": day,
            "mode": mode,
            "purpose": purpose,
            "origin_visit_id": self.id,
            "goal": "\n".join(filter(None, [goal, self.next_step])),
        }

    def _record_satisfaction(self):
        """A satisfaction given on a done visit becomes a satisfaction survey; negative
        feedback (score NEGATIVE_SCORE or below) also opens a complaint, unless one was
        raised from the visit already."""
        visits = self.filtered(lambda v: v.state == "done" and v.satisfaction and not v.survey_id)
        for visit in visits:
            survey = self.env["sales.complaint.survey"].sudo().create(visit._prepare_survey_values())
            visit.sudo().write({"survey_id": survey.id})
            if int(visit.satisfaction) <= NEGATIVE_SCORE and not visit.sudo().complaint_ids:
                complaint = self.env["sales.complaint"].sudo().create(visit._prepare_feedback_complaint_values())
                env = visit.with_context(lang=visit.user_id.lang or self.env.lang).env
                visit.sudo().message_post(
                    body=env._("Negative feedback: complaint %(complaint)s opened.", complaint=complaint.name),
                    subtype_xmlid="mail.mt_note",
                )

    def _prepare_survey_values(self):
        self.ensure_one()
        return {
            "partner_id": self.commercial_partner_id.id,
            "company_id": self.company_id.id,
            "user_id": self.user_id.id,
            "date": self.date,
            "score": int(self.satisfaction),
            "comment": self.feedback,
        }

    def _prepare_feedback_complaint_values(self):
        """Complaint opened by negative feedback during a visit. Extension point."""
        self.ensure_one()
        env = self.with_context(lang=self.user_id.lang or self.env.lang).env
        order = self.after_delivery_order_id
        description = self.feedback or env._(
            "Customer unhappy (satisfaction %(score)s of 5) during the visit %(visit)s.",
            score=self.satisfaction,
            visit=self.name,
        )
        return {
            "partner_id": self.commercial_partner_id.id,
            "contact_id": self.contact_id.id or self.partner_id.id,
            "company_id": self.company_id.id,
            "channel": "visit",
            "visit_id": self.id,
            "sale_order_id": order.id,
            "category_id": self._get_feedback_complaint_category().id,
            "user_id": self.user_id.id,
            "description": plaintext2html(description),
        }

    def _get_feedback_complaint_category(self):
        """Category of a complaint opened by negative feedback: 'Other', for after-sales to sort."""
        return self.env.ref("sales_management.complaint_category_other", raise_if_not_found=False) or self.env[
            "sales.complaint.category"
        ].sudo().search([], limit=1)

    # -- Proposals -------------------------------------------------------------
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
            "mode": "in_person",
            # Stored computed values given upfront: one INSERT, no UPDATE after it.
            "name": f"{partner.complete_name} · {day}",
            "commercial_partner_id": partner.commercial_partner_id.id,
            "duration": 0.0,
            "distance_km": 0.0,
            "next_mode": False,
        }

    @api.model
    def _propose_visits(self, users, date_from, date_to, plans=None):
        """Create the visits that frequency and last visit call for, on working days,
        and the after-delivery visits that delivered orders call for.

        Set-based: a fixed number of queries whatever the number of customers,
        plus the ORM's INSERT of the new visits (one per 100 visits).
        Visits already planned in person (any rep, follow-ups included) count, so
        running it twice adds nothing. Internal contacts, prospects closed as lost
        and prospects whose last visit was a rejection (their second follow-up is
        planned from that outcome) get no frequency visits.
        Proposals go into the rep's open plan covering their date, if any.
        """
        if not users or date_from > date_to:
            return self.browse()
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
        working_days = {}

        def get_working_days(company):
            if company not in working_days:
                working_days[company] = company._get_sales_working_days(date_from, date_to)
            return working_days[company]

        vals_list = self._prepare_frequency_proposals(
            users, date_from, date_to, plans, restrict_to_plans, get_working_days
        )
        vals_list += self._prepare_after_delivery_proposals(
            users, date_from, date_to, plans, restrict_to_plans, get_working_days
        )
        if not vals_list:
            return self.browse()
        # Superuser for the after-delivery link only (a flow field): the values are ours.
        return (
            self.sudo()
            .with_context(
                tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True, mail_notrack=True
            )
            .create(vals_list)
            .with_env(self.env)
        )

    @api.model
    def _get_proposal_customer_domain(self, users):
        """Customers whose frequency calls for visits. Extension point."""
        return [
            ("visit_user_id", "in", users.ids),
            ("visit_frequency", "!=", False),
            ("is_internal_contact", "=", False),
            ("commercial_partner_id.visit_lost_date", "=", False),
        ]

    @api.model
    def _get_partners_last_rejected(self, partners):
        """Partners whose last visit done ended in a rejection: their next visit is the
        second follow-up that outcome planned, not the frequency's."""
        if not partners:
            return set()
        self.flush_model(["partner_id", "state", "date", "result"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT ON (v.partner_id) v.partner_id, v.result
                  FROM sales_visit v
                 WHERE v.partner_id = ANY(%s) AND v.state = 'done'
                 ORDER BY v.partner_id, v.date DESC, v.id DESC
                """,
                partners.ids,
            )
        )
        return {partner_id for partner_id, result in rows if result == "rejected"}

    @api.model
    def _prepare_frequency_proposals(self, users, date_from, date_to, plans, restrict_to_plans, get_working_days):
        partners = (
            self.env["res.partner"]
            .with_context(active_test=True)
            .search_fetch(
                self._get_proposal_customer_domain(users),
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
        rejected = self._get_partners_last_rejected(partners)
        partners = partners.filtered(lambda p: p.id not in rejected)
        if not partners:
            return []
        planned = dict(
            self.sudo()._read_group(
                [
                    ("partner_id", "in", partners.ids),
                    ("state", "in", ("planned", "in_progress")),
                    ("mode", "in", IN_PERSON_MODES),
                ],
                ["partner_id"],
                ["date:array_agg"],
            )
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
        vals_list = []
        for (user, company), customers in groups.items():
            rows = [
                (
                    partner,
                    partner.visit_last_date or None,
                    FREQUENCY_DAYS[partner.visit_frequency],
                    planned.get(partner.sudo(), []),
                )
                for partner in customers
            ]
            for partner, day in visit_schedule.propose_visits(rows, get_working_days(company)):
                plan = plans._get_plan_for(user, day)
                if plan and partner.company_id not in (plan.company_id, self.env["res.company"]):
                    plan = plan.browse()
                visit_company = plan.company_id or partner.company_id or company
                vals_list.append(self._prepare_proposed_visit_values(partner, user, day, plan, visit_company))
        return vals_list

    @api.model
    def _get_after_delivery_orders(self, users, date_from, date_to, companies):
        """[(order id, rep id, delivery day)] of the companies' confirmed orders chosen in
        Settings (customer or product category) delivered or invoiced lately, for `users`,
        that have no after-delivery visit yet (in any state: proposed once only).

        Delivery day: the first posted invoice's date, or the first delivery's with
        sale_stock installed (its effective date), whichever comes first.
        """
        conditions = []
        for company in companies:
            categories = (
                self.env["product.category"]
                .sudo()
                .search([("id", "child_of", company.visit_after_delivery_categ_ids.ids)])
                if company.visit_after_delivery_categ_ids
                else self.env["product.category"]
            )
            conditions.append(
                SQL(
                    """(so.company_id = %(company)s AND (cp.id = ANY(%(partners)s) OR EXISTS (
                        SELECT 1 FROM sale_order_line l
                          JOIN product_product pp ON pp.id = l.product_id
                          JOIN product_template pt ON pt.id = pp.product_tmpl_id
                         WHERE l.order_id = so.id AND pt.categ_id = ANY(%(categories)s))))""",
                    company=company.id,
                    partners=company.visit_after_delivery_partner_ids.commercial_partner_id.ids,
                    categories=categories.ids,
                )
            )
        has_effective_date = "effective_date" in self.env["sale.order"]._fields
        self.env.flush_all()
        earliest = date_from - datetime.timedelta(
            days=visit_schedule.AFTER_DELIVERY_CATCH_UP_DAYS + max(companies.mapped("visit_after_delivery_days"))
        )
        query = SQL(
            """
            WITH candidate AS (
                SELECT so.id, so.company_id, COALESCE(cp.visit_user_id, so.user_id) AS user_id,
                       %(effective)s AS delivered_on
                  FROM sale_order so
                  JOIN res_partner rp ON rp.id = so.partner_id
                  JOIN res_partner cp ON cp.id = rp.commercial_partner_id
                 WHERE so.state = 'sale'
                   AND COALESCE(cp.visit_user_id, so.user_id) = ANY(%(users)s)
                   AND cp.visit_lost_date IS NULL
                   AND (%(conditions)s)
                   AND NOT EXISTS (SELECT 1 FROM sales_visit v WHERE v.after_delivery_order_id = so.id)
            ), invoiced AS (
                SELECT sol.order_id, MIN(am.invoice_date) AS invoiced_on
                  FROM sale_order_line sol
                  JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = sol.id
                  JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                  JOIN account_move am ON am.id = aml.move_id
                 WHERE sol.order_id IN (SELECT id FROM candidate)
                   AND am.move_type = 'out_invoice' AND am.state = 'posted'
                 GROUP BY sol.order_id
            )
            SELECT c.id, c.user_id, c.company_id, LEAST(c.delivered_on, i.invoiced_on) AS delivered_on
              FROM candidate c
              LEFT JOIN invoiced i ON i.order_id = c.id
             WHERE LEAST(c.delivered_on, i.invoiced_on) BETWEEN %(earliest)s AND %(latest)s
             ORDER BY c.user_id, c.id
            """,
            effective=SQL("so.effective_date::date") if has_effective_date else SQL("NULL::date"),
            users=users.ids,
            conditions=SQL(" OR ").join(conditions),
            earliest=earliest,
            latest=date_to,
        )
        return self.env.execute_query(query)

    @api.model
    def _prepare_after_delivery_proposals(self, users, date_from, date_to, plans, restrict_to_plans, get_working_days):
        companies = (
            self.env["res.company"]
            .sudo()
            .search([])
            .filtered(lambda c: c.visit_after_delivery_partner_ids or c.visit_after_delivery_categ_ids)
        )
        if restrict_to_plans:
            companies &= plans.company_id
        if not companies:
            return []
        vals_list = []
        for order_id, user_id, company_id, delivered_on in self._get_after_delivery_orders(
            users, date_from, date_to, companies
        ):
            user = self.env["res.users"].browse(user_id)
            company = self.env["res.company"].browse(company_id)
            day = visit_schedule.after_delivery_day(
                delivered_on, company.visit_after_delivery_days, date_from, get_working_days(company)
            )
            if not day:
                continue
            plan = plans._get_plan_for(user, day)
            if plan.company_id != company:
                plan = plan.browse()
            if restrict_to_plans and not plan:
                continue
            order = self.env["sale.order"].sudo().browse(order_id)
            vals_list.append(self._prepare_after_delivery_visit_values(order, user, day, plan, company))
        return vals_list

    @api.model
    def _prepare_after_delivery_visit_values(self, order, user, day, plan, company):
        """Values of one after-delivery visit (售后回访). Extension point."""
        partner = order.partner_id.commercial_partner_id
        env = self.with_context(lang=user.lang or self.env.lang).env
        return {
            "partner_id": partner.id,
            "contact_id": order.partner_id.id if order.partner_id != partner else False,
            "user_id": user.id,
            "date": day,
            "plan_id": plan.id,
            "company_id": company.id,
            "purpose": "after_delivery",
            "mode": "in_person",
            "after_delivery_order_id": order.id,
            "goal": env._("After delivery of %(order)s: hear how the product is used.", order=order.name),
        }

    @api.model
    def _remind_overdue_visits(self, batch_size):
        """One to-do per overdue planned visit; the to-do marks the visit done. Returns how many got one."""
        todo = self.env.ref("mail.mail_activity_data_todo")

        def remind(visits, _scope):
            for visit in visits:
                env = visit._get_recipient_env(visit.user_id)  # the rep's language, not OdooBot's
                visit.activity_schedule(
                    act_type_xmlid="mail.mail_activity_data_todo",
                    date_deadline=fields.Date.context_today(self),
                    summary=env._("Overdue visit: record it, reschedule it or mark it missed"),
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

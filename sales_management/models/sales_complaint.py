import logging
from collections import defaultdict
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import complaint_deadline

_logger = logging.getLogger(__name__)

COMPLAINT_CHANNELS = [
    ("phone", "Phone"),
    ("letter", "Letter"),
    ("email", "E-mail"),
    ("visit", "Visit"),
    ("portal", "Portal"),
]
COMPLAINT_SEVERITIES = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
]
COMPLAINT_STATES = [
    ("new", "New"),
    ("acknowledged", "Acknowledged"),
    ("investigating", "Investigating"),
    ("corrective", "Corrective Action"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
    ("rejected", "Rejected"),
]
COMPLAINT_RESOLUTIONS = [
    ("return", "Return"),
    ("exchange", "Exchange"),
    ("repair", "Repair"),
    ("credit_note", "Credit Note"),
    ("compensation", "Compensation"),
    ("explanation", "Explanation"),
]
DEADLINE_STATUSES = [
    ("pending", "Pending"),
    ("met", "On Time"),
    ("missed", "Late"),
]
# States in which a complaint still runs against its deadlines.
OPEN_STATES = ("new", "acknowledged", "investigating", "corrective")
DONE_STATES = ("resolved", "closed")
# The flow of the buttons: state -> states it may come from.
TRANSITIONS = {
    "acknowledged": ("new",),
    "investigating": ("acknowledged",),
    "corrective": ("acknowledged", "investigating"),
    "resolved": ("acknowledged", "investigating", "corrective"),
    "closed": ("resolved",),
    "rejected": OPEN_STATES,
}
# Stamped when the complaint reaches the state, whatever the path, unless given.
STATE_DATES = {
    "acknowledged": "date_acknowledged",
    "resolved": "date_resolved",
    "closed": "date_closed",
    "rejected": "date_closed",
}
# Who may be responsible for a complaint: sales users and after-sales staff.
COMPLAINT_USER_GROUPS = (
    "sales_team.group_sale_salesman",
    "sales_management.group_sales_management_after_sales",
)
# Clock difference allowed between the user's and the server's clock for the flow dates.
CLOCK_TOLERANCE = timedelta(minutes=5)
ESCALATION_BATCH = 200
# Complaints escalated per savepoint; a failing group is retried one by one.
ESCALATION_GROUP = 20
# Set by the flow (credit note wizard, escalation job), never typed in.
FLOW_FIELDS = ("credit_note_id", "is_escalated", "date_escalated")


class SalesComplaint(models.Model):
    _name = "sales.complaint"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.management.input.mixin"]
    _description = "Customer Complaint"
    _order = "date_received desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "partner_id.name", "description"]

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        help="The customer (commercial entity) who complains.",
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id)]",
    )
    salesperson_id = fields.Many2one(
        related="partner_id.user_id", string="Salesperson", store=True, index=True, readonly=True
    )
    area_id = fields.Many2one(related="partner_id.area_id", string="Area", store=True, index="btree_not_null")
    channel = fields.Selection(COMPLAINT_CHANNELS, required=True, default="phone")
    date_received = fields.Datetime(string="Received At", required=True, default=fields.Datetime.now, tracking=True)
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sale Order",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
        tracking=True,
    )
    invoice_id = fields.Many2one(
        "account.move",
        string="Invoice",
        index="btree_not_null",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('commercial_partner_id', '=', partner_id)]",
        tracking=True,
    )
    visit_id = fields.Many2one(
        "sales.visit",
        string="Raised During Visit",
        index="btree_not_null",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id)]",
        tracking=True,
    )
    product_id = fields.Many2one("product.product", string="Product", index="btree_not_null", check_company=True)
    quantity = fields.Float(digits="Product Unit of Measure")
    lot_name = fields.Char(string="Lot / Serial", help="Lot or serial number as the customer gives it.")
    category_id = fields.Many2one("sales.complaint.category", string="Category", required=True, tracking=True)
    is_quality = fields.Boolean(related="category_id.is_quality", store=True)
    severity = fields.Selection(COMPLAINT_SEVERITIES, required=True, default="medium", tracking=True)
    description = fields.Html()
    team_id = fields.Many2one(
        "crm.team",
        string="Responsible Team",
        check_company=True,
        tracking=True,
        compute="_compute_team_id",
        store=True,
        readonly=False,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    state = fields.Selection(
        COMPLAINT_STATES, string="Stage", required=True, default="new", tracking=True, copy=False, index=True
    )
    rejection_reason = fields.Text(tracking=True, copy=False)
    root_cause = fields.Text(tracking=True)
    corrective_action = fields.Text(tracking=True)
    preventive_action = fields.Text(tracking=True)
    resolution = fields.Selection(COMPLAINT_RESOLUTIONS, tracking=True, copy=False)
    resolution_note = fields.Text()
    compensation_amount = fields.Monetary(tracking=True, copy=False, aggregator="sum")
    credit_note_id = fields.Many2one(
        "account.move",
        string="Credit Note",
        readonly=True,
        copy=False,
        check_company=True,
        tracking=True,
        domain="[('move_type', '=', 'out_refund')]",
    )
    credit_note_state = fields.Selection(related="credit_note_id.state", string="Credit Note Status")
    credit_note_amount = fields.Monetary(
        compute="_compute_credit_note_amount", store=True, aggregator="sum", help="Total of the credit note."
    )
    cost_amount = fields.Monetary(
        string="Cost", compute="_compute_cost_amount", store=True, aggregator="sum", help="Credit note + compensation."
    )
    satisfaction = fields.Integer(
        tracking=True,
        copy=False,
        aggregator="avg",
        help="Customer's satisfaction at closing, 1 (bad) to 5 (very good).",
    )
    satisfaction_comment = fields.Text(copy=False)
    # Dates of the flow: they decide whether deadlines were met.
    date_acknowledged = fields.Datetime(string="Acknowledged At", readonly=True, copy=False)
    date_onsite = fields.Date(
        string="On-site On", copy=False, tracking=True, help="Day the responsible department was on site."
    )
    date_resolved = fields.Datetime(string="Resolved At", readonly=True, copy=False)
    date_closed = fields.Datetime(string="Closed At", readonly=True, copy=False)
    # Deadlines (投诉处理时限), fixed when the complaint is created.
    reply_deadline = fields.Date(compute="_compute_deadlines", store=True, readonly=True, tracking=True)
    onsite_deadline = fields.Date(
        string="On-site Deadline", compute="_compute_deadlines", store=True, readonly=True, tracking=True
    )
    is_reply_met = fields.Boolean(string="Reply On Time", compute="_compute_deadline_status", store=True)
    is_onsite_met = fields.Boolean(string="On-site On Time", compute="_compute_deadline_status", store=True)
    deadline_status = fields.Selection(
        DEADLINE_STATUSES,
        compute="_compute_deadline_status",
        store=True,
        help="On Time: every deadline met. Late: a deadline was missed (late answer or escalated).",
    )
    deadline_met_count = fields.Integer(
        string="# On Time",
        compute="_compute_deadline_status",
        store=True,
        aggregator="sum",
        help="1 when every deadline was met; with # Decided it gives the on-time rate.",
    )
    deadline_decided_count = fields.Integer(
        string="# Decided",
        compute="_compute_deadline_status",
        store=True,
        aggregator="sum",
        help="1 once the complaint is on time or late.",
    )
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue", help="A deadline has passed."
    )
    is_escalated = fields.Boolean(readonly=True, copy=False, tracking=True)
    date_escalated = fields.Datetime(string="Escalated At", readonly=True, copy=False)
    is_repeat = fields.Boolean(
        string="Repeat Complaint",
        compute="_compute_is_repeat",
        store=True,
        help="The same customer complained about the same product within the repeat period set in Settings.",
    )
    complaint_count = fields.Integer(string="# Complaints", default=1, readonly=True, aggregator="sum")

    # ------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------

    @api.depends("sale_order_id", "partner_id")
    def _compute_team_id(self):
        for complaint in self:
            if complaint.team_id:
                continue
            complaint.team_id = complaint.sale_order_id.team_id or complaint.partner_id.user_id.sale_team_id

    # Also recomputed when the credit note's total or state changes (account.move._compute_amount).
    @api.depends("credit_note_id")
    def _compute_credit_note_amount(self):
        for complaint in self:
            refund = complaint.credit_note_id
            complaint.credit_note_amount = abs(refund.amount_total_signed) if refund.state != "cancel" else 0.0

    @api.depends("credit_note_amount", "compensation_amount")
    def _compute_cost_amount(self):
        for complaint in self:
            complaint.cost_amount = complaint.credit_note_amount + complaint.compensation_amount

    @api.depends("category_id", "date_received", "company_id")
    def _compute_deadlines(self):
        off_days_cache = {}
        for complaint in self:
            category = complaint.category_id
            if not category or not complaint.date_received:
                complaint.reply_deadline = complaint.onsite_deadline = False
                continue
            received = complaint._get_received_date()
            complaint.reply_deadline = complaint._add_deadline_days(received, category.reply_days, off_days_cache)
            complaint.onsite_deadline = (
                complaint._add_deadline_days(received, category.onsite_days, off_days_cache)
                if category.is_quality
                else False
            )

    @api.depends("reply_deadline", "onsite_deadline", "date_acknowledged", "date_onsite", "is_escalated")
    def _compute_deadline_status(self):
        for complaint in self:
            reply_met = complaint_deadline.is_met(complaint.reply_deadline, complaint._get_acknowledged_date())
            onsite_met = complaint_deadline.is_met(complaint.onsite_deadline, complaint.date_onsite)
            complaint.is_reply_met = bool(reply_met)
            complaint.is_onsite_met = bool(onsite_met)
            outcomes = [reply_met] + ([onsite_met] if complaint.onsite_deadline else [])
            if complaint.is_escalated or False in outcomes:
                complaint.deadline_status = "missed"
            elif all(outcomes):
                complaint.deadline_status = "met"
            else:
                complaint.deadline_status = "pending"
            complaint.deadline_met_count = int(complaint.deadline_status == "met")
            complaint.deadline_decided_count = int(complaint.deadline_status != "pending")

    @api.depends("reply_deadline", "onsite_deadline", "date_acknowledged", "date_onsite", "state")
    @api.depends_context("tz")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for complaint in self:
            complaint.is_overdue = complaint.state in OPEN_STATES and (
                complaint_deadline.is_overdue(complaint.reply_deadline, complaint.date_acknowledged, today)
                or complaint_deadline.is_overdue(complaint.onsite_deadline, complaint.date_onsite, today)
            )

    def _search_is_overdue(self, operator, value):
        today = fields.Date.context_today(self)
        domain = [
            "&",
            ("state", "in", OPEN_STATES),
            "|",
            "&",
            "&",
            ("reply_deadline", "!=", False),
            ("reply_deadline", "<", today),
            ("date_acknowledged", "=", False),
            "&",
            "&",
            ("onsite_deadline", "!=", False),
            ("onsite_deadline", "<", today),
            ("date_onsite", "=", False),
        ]
        return self._search_boolean_field("is_overdue", operator, value, domain)

    @api.depends("partner_id", "product_id", "date_received", "company_id")
    def _compute_is_repeat(self):
        """A complaint repeats one of the same customer about the same product received
        within the company's repeat period before it (one query for all of ``self``)."""
        candidates = self.filtered(
            lambda c: c.partner_id and c.product_id and c.date_received and c.company_id.complaint_repeat_days
        )
        (self - candidates).is_repeat = False
        if not candidates:
            return
        earliest = min(
            complaint_deadline.repeat_window_start(c.date_received, c.company_id.complaint_repeat_days)
            for c in candidates
        )
        earlier = self.with_context(active_test=False).search_fetch(
            [
                ("company_id", "in", candidates.company_id.ids),
                ("partner_id", "in", candidates.partner_id.ids),
                ("product_id", "in", candidates.product_id.ids),
                ("state", "!=", "rejected"),
                ("date_received", ">=", earliest),
                ("date_received", "<=", max(candidates.mapped("date_received"))),
            ],
            ["company_id", "partner_id", "product_id", "date_received"],
        )
        received = defaultdict(list)
        for other in earlier:
            received[other.company_id, other.partner_id, other.product_id].append((other.id, other.date_received))
        for complaint in candidates:
            start = complaint_deadline.repeat_window_start(
                complaint.date_received, complaint.company_id.complaint_repeat_days
            )
            complaint.is_repeat = any(
                other_id != complaint._origin.id and start <= date <= complaint.date_received
                for other_id, date in received[complaint.company_id, complaint.partner_id, complaint.product_id]
            )

    # ------------------------------------------------------------
    # Constraints and onchanges
    # ------------------------------------------------------------

    @api.constrains("partner_id", "sale_order_id", "invoice_id", "contact_id", "credit_note_id", "visit_id")
    def _check_partner_documents(self):
        for complaint in self:
            customer = complaint.partner_id.commercial_partner_id
            order = complaint.sale_order_id
            if order and order.partner_id.commercial_partner_id != customer:
                raise ValidationError(
                    self.env._(
                        "Sale order %(order)s belongs to %(owner)s, not to the complaining customer %(customer)s.",
                        order=order.name,
                        owner=order.partner_id.commercial_partner_id.display_name,
                        customer=customer.display_name,
                    )
                )
            invoice = complaint.invoice_id
            if invoice and (invoice.move_type != "out_invoice" or invoice.commercial_partner_id != customer):
                raise ValidationError(
                    self.env._(
                        "Invoice %(invoice)s is not a customer invoice of %(customer)s.",
                        invoice=invoice.name,
                        customer=customer.display_name,
                    )
                )
            refund = complaint.credit_note_id
            if refund and (refund.move_type != "out_refund" or refund.reversed_entry_id != invoice):
                raise ValidationError(
                    self.env._(
                        "Credit note %(refund)s does not reverse the complaint's invoice %(invoice)s.",
                        refund=refund.display_name,
                        invoice=invoice.name or "-",
                    )
                )
            visit = complaint.visit_id
            if visit and visit.commercial_partner_id != customer:
                raise ValidationError(
                    self.env._(
                        "Visit %(visit)s was paid to %(owner)s, not to the complaining customer %(customer)s.",
                        visit=visit.display_name,
                        owner=visit.commercial_partner_id.display_name,
                        customer=customer.display_name,
                    )
                )
            contact = complaint.contact_id
            if contact and contact.commercial_partner_id != customer:
                raise ValidationError(
                    self.env._(
                        "Contact %(contact)s does not belong to customer %(customer)s.",
                        contact=contact.display_name,
                        customer=customer.display_name,
                    )
                )

    @api.constrains("state", "resolution", "root_cause", "rejection_reason")
    def _check_state_requirements(self):
        for complaint in self:
            if complaint.state in DONE_STATES and not complaint.resolution:
                raise ValidationError(
                    self.env._(
                        "Complaint %(name)s needs a resolution before it is resolved or closed.",
                        name=complaint.name,
                    )
                )
            if complaint.state in DONE_STATES and complaint.is_quality and not (complaint.root_cause or "").strip():
                raise ValidationError(
                    self.env._(
                        "Complaint %(name)s is a quality complaint: record its root cause before resolving it.",
                        name=complaint.name,
                    )
                )
            if complaint.state == "rejected" and not (complaint.rejection_reason or "").strip():
                raise ValidationError(
                    self.env._("Complaint %(name)s can only be rejected with a reason.", name=complaint.name)
                )

    @api.constrains("satisfaction")
    def _check_satisfaction(self):
        for complaint in self:
            if complaint.satisfaction and not 1 <= complaint.satisfaction <= 5:
                raise ValidationError(
                    self.env._(
                        "Satisfaction is a score from 1 to 5 (0 when not given), not %(score)s (complaint %(name)s).",
                        score=complaint.satisfaction,
                        name=complaint.name,
                    )
                )

    @api.model
    def _get_input_ranges(self):
        return {**super()._get_input_ranges(), "compensation_amount": (0, None), "quantity": (0, None)}

    @api.constrains("compensation_amount", "quantity")
    def _check_amounts(self):
        self._check_input_range(["compensation_amount", "quantity"])

    @api.constrains("date_received", "date_acknowledged", "date_onsite", "date_resolved", "date_closed")
    def _check_flow_dates(self):
        """Nothing happens to a complaint before it is received: earlier dates would fake
        its deadline status."""
        for complaint in self:
            received = complaint.date_received
            if not received:
                continue
            for name in ("date_acknowledged", "date_resolved", "date_closed"):
                if complaint[name] and complaint[name] < received:
                    raise ValidationError(
                        self.env._(
                            "%(field)s (%(date)s) of complaint %(name)s cannot be before it was received "
                            "(%(received)s).",
                            field=self._fields[name]._description_string(self.env),
                            date=complaint[name],
                            name=complaint.name,
                            received=received,
                        )
                    )
            if complaint.date_onsite and complaint.date_onsite < complaint._get_received_date():
                raise ValidationError(
                    self.env._(
                        "%(field)s (%(date)s) of complaint %(name)s cannot be before the day it was received "
                        "(%(received)s).",
                        field=self._fields["date_onsite"]._description_string(self.env),
                        date=complaint.date_onsite,
                        name=complaint.name,
                        received=complaint._get_received_date(),
                    )
                )
            if complaint.date_resolved and complaint.date_closed and complaint.date_closed < complaint.date_resolved:
                raise ValidationError(
                    self.env._(
                        "Complaint %(name)s cannot be closed (%(closed)s) before it was resolved (%(resolved)s).",
                        name=complaint.name,
                        closed=complaint.date_closed,
                        resolved=complaint.date_resolved,
                    )
                )

    @api.constrains("user_id")
    def _check_user_id(self):
        self._check_input_user("user_id", COMPLAINT_USER_GROUPS)

    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        if self.sale_order_id:
            self.partner_id = self.sale_order_id.partner_id.commercial_partner_id
            self.team_id = self.sale_order_id.team_id

    @api.onchange("invoice_id")
    def _onchange_invoice_id(self):
        if self.invoice_id:
            self.partner_id = self.invoice_id.commercial_partner_id

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # Values first: the normalisation and the checks below read them.
        self._check_input_values(vals_list)
        for vals in vals_list:
            if vals.get("state", "new") != "new":
                raise UserError(
                    self.env._(
                        "A complaint starts as New, not %(state)s: it then follows the stages.",
                        state=dict(COMPLAINT_STATES).get(vals["state"], vals["state"]),
                    )
                )
            self._check_clock_values(vals)
            self._normalize_customer_values(vals)
            if vals.get("name", self.env._("New")) == self.env._("New"):
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                    "sales.complaint"
                ) or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        # Values first: the normalisation and the checks below read them.
        self._check_input_values([vals])
        self._check_clock_values(vals)
        self._normalize_customer_values(vals)
        if (
            not self.env.su
            and set(FLOW_FIELDS) & set(vals)
            and not self.env.user.has_group("sales_team.group_sale_manager")
        ):
            raise AccessError(
                self.env._("The credit note and the escalation of a complaint are set by their own actions.")
            )
        to_stamp = self.browse()
        stamp = STATE_DATES.get(vals.get("state"))
        if "state" in vals:
            self._check_transition(vals["state"])
            if stamp and stamp not in vals:
                to_stamp = self.filtered(lambda c: not c[stamp])
        result = super().write(vals)
        if to_stamp:
            to_stamp.write({stamp: fields.Datetime.now()})
        if "state" in vals:
            self._check_rules()
        if {"state", "date_acknowledged", "date_onsite"} & set(vals):
            self.filtered(lambda c: c.is_escalated and not c.is_overdue)._close_escalation_activities()
        return result

    def _close_escalation_activities(self):
        """The manager's overdue-complaint activities are done once the complaint is no longer overdue."""
        activity_type = self.env.ref("sales_management.mail_activity_type_complaint_escalation")
        activities = self.sudo().activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        for complaint in self:
            mine = activities.filtered(lambda a, c=complaint: a.res_id == c.id)
            if mine:
                mine.action_feedback(
                    feedback=self.env._(
                        "%(name)s is no longer overdue: %(stage)s.",
                        name=complaint.name,
                        stage=dict(self._fields["state"]._description_selection(self.env))[complaint.state],
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_acknowledged(self):
        for complaint in self:
            if complaint.state != "new" or complaint.date_acknowledged:
                raise UserError(
                    self.env._(
                        "Complaint %(name)s has been acknowledged: it can no longer be deleted, only archived.",
                        name=complaint.name,
                    )
                )

    def _check_rules(self):
        """Re-run the rules of these complaints (their constraints) at each change of stage, whatever the path."""
        self._validate_fields(self._fields)
        self._check_company()

    def _check_transition(self, state):
        """The stages follow the flow (TRANSITIONS), whether from a button or a direct write."""
        self._check_state_transition(
            state,
            TRANSITIONS,
            lambda complaint, current, target, _allowed: self.env._(
                "Complaint %(name)s cannot go from %(current)s to %(target)s.",
                name=complaint.name,
                current=current,
                target=target,
            ),
        )

    @api.model
    def _check_clock_values(self, vals):
        """The flow dates are recorded, not foretold: never later than now (today for the
        on-site day). The flow and data loading (superuser) are trusted."""
        if self.env.su:
            return
        now = fields.Datetime.now()
        for name in ("date_received", *dict.fromkeys(STATE_DATES.values())):
            value = vals.get(name)
            moment = fields.Datetime.to_datetime(value) if value else None
            if moment and moment > now + CLOCK_TOLERANCE:
                raise ValidationError(
                    self.env._(
                        "%(field)s (%(date)s) cannot be later than now.",
                        field=self._fields[name]._description_string(self.env),
                        date=moment,
                    )
                )
        onsite = fields.Date.to_date(vals.get("date_onsite")) if vals.get("date_onsite") else None
        if onsite and onsite > fields.Date.context_today(self):
            raise ValidationError(
                self.env._(
                    "%(field)s (%(date)s) cannot be later than today.",
                    field=self._fields["date_onsite"]._description_string(self.env),
                    date=onsite,
                )
            )

    @api.model
    def _normalize_customer_values(self, vals):
        """The customer is always the commercial entity; a person given as customer becomes the contact."""
        if vals.get("partner_id"):
            partner = self.env["res.partner"].browse(vals["partner_id"])
            commercial = partner.commercial_partner_id
            if commercial != partner:
                vals["partner_id"] = commercial.id
                vals.setdefault("contact_id", partner.id)

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def _set_state(self, state, extra_values=None):
        self.write({"state": state, **(extra_values or {})})
        return True

    def action_acknowledge(self):
        return self._set_state("acknowledged")

    def action_investigate(self):
        return self._set_state("investigating")

    def action_corrective(self):
        return self._set_state("corrective")

    def action_resolve(self):
        return self._set_state("resolved", {"date_resolved": fields.Datetime.now()})

    def action_close(self):
        return self._set_state("closed", {"date_closed": fields.Datetime.now()})

    def action_reject(self):
        return self._set_state("rejected", {"date_closed": fields.Datetime.now()})

    def action_mark_onsite(self):
        self.filtered(lambda c: not c.date_onsite).write({"date_onsite": fields.Date.context_today(self)})
        return True

    def action_open_credit_note_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit Note"),
            "res_model": "sales.complaint.credit.note",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    def action_view_credit_note(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "view_mode": "form",
            "res_id": self.credit_note_id.id,
        }

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    @api.model
    def _get_records_action_for(self, domain, context):
        """The complaints action narrowed to `domain`, for the smart buttons of customers, orders, invoices."""
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_management.sales_complaint_action")
        action["domain"] = domain
        action["context"] = context
        return action

    @api.model
    def _get_new_action_for(self, context):
        """A new complaint form prefilled from the record it is filed from."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Complaint"),
            "res_model": "sales.complaint",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": context,
        }

    def _get_deadline_tz(self):
        self.ensure_one()
        return ZoneInfo(self.company_id.resource_calendar_id.tz or self.env.user.tz or "UTC")

    def _get_received_date(self):
        """The day of receipt in the company schedule's time zone."""
        self.ensure_one()
        return self.date_received.replace(tzinfo=UTC).astimezone(self._get_deadline_tz()).date()

    def _get_acknowledged_date(self):
        self.ensure_one()
        if not self.date_acknowledged:
            return None
        return self.date_acknowledged.replace(tzinfo=UTC).astimezone(self._get_deadline_tz()).date()

    def _get_off_days(self, start, days):
        """Non-working days of the company from `start` on (res.company._get_sales_off_days)."""
        self.ensure_one()
        end = start + timedelta(days=complaint_deadline.search_horizon(days))
        return self.company_id._get_sales_off_days(start, end)

    def _add_deadline_days(self, start, days, cache):
        self.ensure_one()
        mode = self.company_id.complaint_deadline_mode or "calendar"
        off_days = frozenset()
        if mode == "working":
            key = (self.company_id.id, start, days)
            if key not in cache:
                cache[key] = self._get_off_days(start, days)
            off_days = cache[key]
        return complaint_deadline.add_days(start, days, mode, off_days)

    def _get_escalation_user(self):
        """Who hears of an overdue complaint: the team leader, else the responsible's leader, else him."""
        self.ensure_one()
        return self.team_id.user_id or self.user_id.sale_team_id.user_id or self.user_id

    def _prepare_escalation_note(self):
        self.ensure_one()
        return self.env._(
            "Complaint %(name)s of %(customer)s is overdue (reply due %(reply)s%(onsite)s).",
            name=self.name,
            customer=self.partner_id.display_name,
            reply=self.reply_deadline or "-",
            onsite=self.env._(", on site due %s", self.onsite_deadline) if self.onsite_deadline else "",
        )

    def _escalate(self):
        """Give the manager one activity per overdue complaint, never twice."""
        activity_type = self.env.ref("sales_management.mail_activity_type_complaint_escalation")
        for record in self:
            manager = record._get_escalation_user()
            if not manager:
                _logger.info("Complaint %s is overdue but has nobody to escalate to", record.name)
            # In the manager's language: the scheduled job runs in OdooBot's.
            complaint = record.with_env(record._get_recipient_env(manager))
            summary = complaint.env._("Overdue complaint")
            already = complaint.activity_ids.filtered(
                lambda a, m=manager, s=summary: (a.user_id, a.summary, a.activity_type_id) == (m, s, activity_type)
            )
            if manager and not already:
                complaint.activity_schedule(
                    activity_type_id=activity_type.id,
                    date_deadline=fields.Date.context_today(complaint),
                    summary=summary,
                    note=complaint._prepare_escalation_note(),
                    user_id=manager.id,
                )
            complaint.write({"is_escalated": True, "date_escalated": fields.Datetime.now()})

    @api.model
    def _get_on_time_rate(self, domain=None):
        """On-time rate (%) of the complaints in `domain` whose deadlines are decided."""
        groups = dict(
            self._read_group(
                [*(domain or []), ("deadline_status", "in", ("met", "missed"))], ["deadline_status"], ["__count"]
            )
        )
        met = groups.get("met", 0)
        return complaint_deadline.on_time_rate(met, met + groups.get("missed", 0))

    @api.model
    def _get_on_time_figures(self, domain, groupby):
        """``{group: (complaints, met, decided)}`` of the complaints in `domain`, one _read_group;
        the on-time rate of a group is met ÷ decided, as _get_on_time_rate gives it."""
        result = {}
        for key, status, count in self._read_group(domain, [groupby, "deadline_status"], ["__count"]):
            complaints, met, decided = result.get(key, (0, 0, 0))
            result[key] = (
                complaints + count,
                met + (count if status == "met" else 0),
                decided + (count if status in ("met", "missed") else 0),
            )
        return result

    # ------------------------------------------------------------
    # Scheduled actions
    # ------------------------------------------------------------

    @api.model
    def _cron_escalate_overdue(self, batch_size=ESCALATION_BATCH):
        """Daily: escalate overdue complaints to their manager, once each, in batches.

        ``is_escalated``, written with the activity, marks a complaint done: one that fails
        stays unescalated and the next run escalates it. Returns how many were escalated.
        """

        def escalate(complaints, _scope):
            for complaint in complaints:
                complaint._escalate()

        return (
            self.env["sales.management.batch"]
            ._run_batches(
                "sales_management.ir_cron_complaint_escalation",
                self,
                [("is_overdue", "=", True), ("is_escalated", "=", False)],
                escalate,
                batch_size=batch_size,
                group_size=ESCALATION_GROUP,
            )
            .done
        )

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

PLAN_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("closed", "Closed"),
]


class SalesVisitPlan(models.Model):
    _name = "sales.visit.plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Visit Plan"
    _order = "date_from desc, user_id"
    _check_company_auto = True

    # -- Default methods -------------------------------------------------------
    def _default_date_from(self):
        return fields.Date.context_today(self).replace(day=1)

    def _default_date_to(self):
        return fields.Date.end_of(fields.Date.context_today(self), "month")

    # -- Fields ----------------------------------------------------------------
    name = fields.Char(compute="_compute_name", store=True, readonly=False)
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
    date_from = fields.Date(string="From", required=True, default=_default_date_from, tracking=True)
    date_to = fields.Date(string="To", required=True, default=_default_date_to, tracking=True)
    state = fields.Selection(PLAN_STATES, default="draft", required=True, tracking=True, copy=False, index=True)
    visit_ids = fields.One2many("sales.visit", "plan_id", string="Planned Visits", copy=False)
    approved_by_id = fields.Many2one("res.users", string="Approved By", readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)
    note = fields.Html()
    visit_planned_count = fields.Integer(
        string="Planned", compute="_compute_visit_counts", store=True, aggregator="sum"
    )
    visit_done_count = fields.Integer(string="Done", compute="_compute_visit_counts", store=True, aggregator="sum")
    visit_missed_count = fields.Integer(string="Missed", compute="_compute_visit_counts", store=True, aggregator="sum")
    completion_rate = fields.Float(
        string="Completion (%)",
        compute="_compute_visit_counts",
        store=True,
        aggregator="avg",
        help="Visits done ÷ visits planned (cancelled visits left out).",
    )

    # -- Compute methods -------------------------------------------------------
    @api.depends("user_id", "date_from")
    def _compute_name(self):
        for plan in self:
            month = plan.date_from.strftime("%Y-%m") if plan.date_from else ""
            plan.name = f"{plan.user_id.name or ''} {month}".strip()

    @api.depends("visit_ids.state", "visit_ids.is_unplanned")
    def _compute_visit_counts(self):
        groups = self.env["sales.visit"]._read_group(
            [("plan_id", "in", self.ids), ("is_unplanned", "=", False)],
            ["plan_id", "state"],
            ["__count"],
        )
        counts = {}
        for plan, state, count in groups:
            counts.setdefault(plan.id, {})[state] = count
        for plan in self:
            by_state = counts.get(plan.id, {})
            planned = sum(count for state, count in by_state.items() if state != "cancelled")
            plan.visit_planned_count = planned
            plan.visit_done_count = by_state.get("done", 0)
            plan.visit_missed_count = by_state.get("missed", 0)
            plan.completion_rate = 100.0 * plan.visit_done_count / planned if planned else 0.0

    # -- Constraints -----------------------------------------------------------
    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for plan in self:
            if plan.date_to < plan.date_from:
                raise ValidationError(
                    self.env._("The visit plan %(plan)s ends before it starts.", plan=plan.display_name)
                )

    @api.constrains("user_id", "company_id", "date_from", "date_to")
    def _check_overlap(self):
        for plan in self:
            other = self.search(
                [
                    ("id", "!=", plan.id),
                    ("user_id", "=", plan.user_id.id),
                    ("company_id", "=", plan.company_id.id),
                    ("date_from", "<=", plan.date_to),
                    ("date_to", ">=", plan.date_from),
                ],
                limit=1,
            )
            if other:
                raise ValidationError(
                    self.env._(
                        "%(rep)s already has the visit plan %(other)s from %(start)s to %(end)s, "
                        "which overlaps %(start_new)s to %(end_new)s.",
                        rep=plan.user_id.name,
                        other=other.name,
                        start=other.date_from,
                        end=other.date_to,
                        start_new=plan.date_from,
                        end_new=plan.date_to,
                    )
                )

    # -- CRUD ------------------------------------------------------------------
    def write(self, vals):
        if vals.get("user_id"):
            self.env["sales.visit"]._check_can_assign(vals["user_id"])
        if vals.get("state") == "approved" or vals.get("approved_by_id") or vals.get("approved_date"):
            self._check_can_approve()
        if vals.get("state") == "closed" and not (
            self.env.su or self.env.user.has_group("sales_management.group_sales_management_user_all")
        ):
            raise UserError(self.env._("Only a sales manager can close visit plans."))
        result = super().write(vals)
        if vals.get("state") in ("submitted", "approved", "closed"):
            self._check_rules()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(plan.state != "draft" for plan in self):
            raise UserError(self.env._("Only draft visit plans can be deleted."))

    # -- Actions ---------------------------------------------------------------
    def action_submit(self):
        self._check_state({"draft"}, self.env._("Submit"))
        for plan in self:
            if not plan.visit_ids:
                raise UserError(self.env._("The visit plan %(plan)s has no visits to submit.", plan=plan.name))
        self.write({"state": "submitted"})
        for plan in self:
            manager = plan._get_approver()
            if manager:
                plan.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Approve the visit plan"),
                    user_id=manager.id,
                )

    def action_approve(self):
        self._check_state({"submitted"}, self.env._("Approve"))
        self.write({"state": "approved", "approved_by_id": self.env.uid, "approved_date": fields.Datetime.now()})
        self.activity_feedback(["mail.mail_activity_data_todo"])

    def action_reset_draft(self):
        self._check_state({"submitted", "approved"}, self.env._("Reset to Draft"))
        self.write({"state": "draft", "approved_by_id": False, "approved_date": False})

    def action_close(self):
        self._check_state({"approved"}, self.env._("Close"))
        self.write({"state": "closed"})

    def action_propose_visits(self):
        """Add the visits that frequency and last visit call for, from today to the plan's end."""
        self._check_state({"draft", "submitted", "approved"}, self.env._("Propose Visits"))
        today = fields.Date.context_today(self)
        created = self.env["sales.visit"]
        for plan in self:
            start = max(plan.date_from, today)
            if start > plan.date_to:
                continue
            created |= self.env["sales.visit"]._propose_visits(plan.user_id, start, plan.date_to, plans=plan)
        message = (
            self.env._("%(count)s visits proposed.", count=len(created))
            if created
            else self.env._("Nothing to propose: every customer is planned or not due.")
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": "success" if created else "info",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_view_visits_by_week(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_management.sales_visit_action")
        action.update(
            domain=[("plan_id", "=", self.id)],
            context={"default_plan_id": self.id, "default_user_id": self.user_id.id, "group_by": ["date:week"]},
            view_mode="list,calendar,form",
            views=[(False, "list"), (False, "calendar"), (False, "form")],
        )
        return action

    # -- Business methods ------------------------------------------------------
    def _check_state(self, allowed, action_name):
        for plan in self:
            if plan.state not in allowed:
                raise UserError(
                    self.env._(
                        "%(action)s is not possible on the visit plan %(plan)s in state %(state)s.",
                        action=action_name,
                        plan=plan.name,
                        state=dict(PLAN_STATES)[plan.state],
                    )
                )

    def _check_rules(self):
        """Re-run the rules of these plans and of their visits at a submission, approval or closing."""
        self._validate_fields(self._fields)
        self._check_company()
        self.visit_ids._check_rules()

    def _check_can_approve(self):
        """Only a manager approves, and never his own plan (checked on the server)."""
        if self.env.su:
            return
        if not self.env.user.has_group("sales_management.group_sales_management_user_all"):
            raise UserError(self.env._("Only a sales manager can approve visit plans."))
        for plan in self:
            if plan.user_id == self.env.user:
                raise UserError(
                    self.env._("You cannot approve your own visit plan %(plan)s: ask your manager.", plan=plan.name)
                )

    def _get_approver(self):
        """Who is asked to approve the plan: the rep's sales team leader. Extension point."""
        self.ensure_one()
        leader = self.user_id.sale_team_id.user_id
        return leader if leader != self.user_id else self.env["res.users"]

    def _get_plan_for(self, user, day):
        """The open plan of `user` covering `day` among self."""
        return next(
            (p for p in self if p.user_id == user and p.date_from <= day <= p.date_to and p.state != "closed"),
            self.browse(),
        )

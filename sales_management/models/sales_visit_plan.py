from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date
from odoo.tools.mail import plaintext2html

from ..tools.visit_schedule import IN_PERSON_MODES
from .mail_activity import approval_activities
from .sales_visit import VISIT_REP_GROUPS

PLAN_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("closed", "Closed"),
]
# The flow of the states: state -> states it may come from, on every write path.
PLAN_TRANSITIONS = {
    "submitted": ("draft",),
    "approved": ("submitted",),
    "draft": ("submitted", "approved"),
    "closed": ("approved",),
}
# A plan is a month (shown by week); a year at most, which Propose Visits still reads quickly.
MAX_PLAN_DAYS = 366
# The period and the rep of a plan change while it is a draft only.
DRAFT_ONLY_FIELDS = ("date_from", "date_to", "user_id")
# Set by the approval, never typed in.
APPROVAL_FIELDS = ("approved_by_id", "approved_date")


class SalesVisitPlan(models.Model):
    _name = "sales.visit.plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.management.input.mixin"]
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
    visit_in_person_count = fields.Integer(
        string="Done in Person",
        compute="_compute_visit_counts",
        store=True,
        aggregator="sum",
        help="Visits done in person (at the customer's); calls, video calls and meetings at our premises "
        "are counted apart.",
    )
    visit_remote_count = fields.Integer(
        string="Other Contacts Done",
        compute="_compute_visit_counts",
        store=True,
        aggregator="sum",
        help="Calls, video calls and meetings at our premises done.",
    )
    refusal_reason = fields.Text(
        tracking=True,
        copy=False,
        help="Why the manager sends the plan back to the rep; required to refuse it.",
    )
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

    @api.depends("visit_ids.state", "visit_ids.is_unplanned", "visit_ids.mode")
    def _compute_visit_counts(self):
        groups = self.env["sales.visit"]._read_group(
            [("plan_id", "in", self.ids)],
            ["plan_id", "state", "mode", "is_unplanned"],
            ["__count"],
        )
        counts = {}
        done_by_mode = {}
        for plan, state, mode, is_unplanned, count in groups:
            if state == "done":
                in_person = mode in IN_PERSON_MODES
                done_by_mode.setdefault(plan.id, [0, 0])[0 if in_person else 1] += count
            if not is_unplanned:
                by_state = counts.setdefault(plan.id, {})
                by_state[state] = by_state.get(state, 0) + count
        for plan in self:
            by_state = counts.get(plan.id, {})
            planned = sum(count for state, count in by_state.items() if state != "cancelled")
            plan.visit_planned_count = planned
            plan.visit_done_count = by_state.get("done", 0)
            plan.visit_missed_count = by_state.get("missed", 0)
            plan.completion_rate = 100.0 * plan.visit_done_count / planned if planned else 0.0
            plan.visit_in_person_count, plan.visit_remote_count = done_by_mode.get(plan.id, (0, 0))

    # -- Constraints -----------------------------------------------------------
    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for plan in self:
            if plan.date_to < plan.date_from:
                raise ValidationError(
                    self.env._(
                        "The visit plan %(plan)s ends (%(end)s) before it starts (%(start)s).",
                        plan=plan.display_name,
                        end=plan.date_to,
                        start=plan.date_from,
                    )
                )
            if (plan.date_to - plan.date_from).days + 1 > MAX_PLAN_DAYS:
                raise ValidationError(
                    self.env._(
                        "The visit plan %(plan)s covers %(days)s days (%(start)s to %(end)s): a visit plan covers "
                        "at most %(max)s days.",
                        plan=plan.display_name,
                        days=(plan.date_to - plan.date_from).days + 1,
                        start=plan.date_from,
                        end=plan.date_to,
                        max=MAX_PLAN_DAYS,
                    )
                )

    @api.constrains("user_id")
    def _check_user_id(self):
        self._check_input_user("user_id", VISIT_REP_GROUPS)

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
    @api.model_create_multi
    def create(self, vals_list):
        self._check_input_values(vals_list)
        for vals in vals_list:
            if vals.get("state", "draft") != "draft":
                raise UserError(
                    self.env._(
                        "A visit plan starts as a draft, not %(state)s: submit it, then a manager approves it.",
                        state=dict(PLAN_STATES).get(vals["state"], vals["state"]),
                    )
                )
            if not self.env.su and any(vals.get(name) for name in APPROVAL_FIELDS):
                raise UserError(self.env._("A visit plan is approved by a manager's action only."))
        plans = super().create(vals_list)
        plans._adopt_planned_visits()
        return plans

    def write(self, vals):
        self._check_input_values([vals])
        if "state" in vals:
            self._check_transition(vals["state"])
        self._check_draft_only_fields(vals)
        if vals.get("user_id"):
            self.env["sales.visit"]._check_can_assign(vals["user_id"])
        if vals.get("state") == "approved" or vals.get("approved_by_id") or vals.get("approved_date"):
            self._check_can_approve()
        if vals.get("state") == "closed" and not (
            self.env.su or self.env.user.has_group("sales_team.group_sale_salesman_all_leads")
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
        self.write({"state": "submitted", "refusal_reason": False})
        for plan in self:
            # The rep's "revise the plan" to-do of a refusal is done by submitting again.
            plan.sudo().activity_feedback(["mail.mail_activity_data_todo"], user_id=plan.user_id.id)
            manager = plan._get_approver()
            if manager:
                env = plan.with_context(lang=manager.lang or self.env.lang).env
                with approval_activities():
                    plan.sudo().activity_schedule(
                        "sales_management.mail_activity_type_visit_plan_approval",
                        summary=env._("Approve the visit plan"),
                        note=env._(
                            "%(rep)s submitted the visit plan %(plan)s: %(count)s visits from %(start)s to %(end)s.",
                            rep=plan.user_id.name,
                            plan=plan.name,
                            count=plan.visit_planned_count,
                            start=format_date(env, plan.date_from),
                            end=format_date(env, plan.date_to),
                        ),
                        user_id=manager.id,
                    )

    def action_approve(self):
        self._check_state({"submitted"}, self.env._("Approve"))
        self.write({"state": "approved", "approved_by_id": self.env.uid, "approved_date": fields.Datetime.now()})
        for plan in self:
            plan._close_approval_activities()
            plan._tell_rep(
                lambda env, plan=plan: env._(
                    "Your visit plan %(plan)s was approved by %(manager)s.", plan=plan.name, manager=self.env.user.name
                )
            )

    def action_refuse(self):
        """Send the plan back to its rep with the reason; he revises and submits again."""
        self._check_state({"submitted"}, self.env._("Refuse"))
        self._check_can_approve()
        for plan in self:
            if not (plan.refusal_reason or "").strip():
                raise UserError(
                    self.env._("Give the reason for refusing the visit plan %(plan)s first.", plan=plan.name)
                )
        self.write({"state": "draft"})
        for plan in self:
            plan._close_approval_activities(feedback=plan.refusal_reason)
            env = plan.with_context(lang=plan.user_id.lang or self.env.lang).env
            plan.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=env._("Revise the visit plan"),
                note=plaintext2html(plan.refusal_reason),
                user_id=plan.user_id.id,
            )
            plan._tell_rep(
                lambda env, plan=plan: env._(
                    "Your visit plan %(plan)s was refused by %(manager)s: %(reason)s",
                    plan=plan.name,
                    manager=self.env.user.name,
                    reason=plan.refusal_reason,
                )
            )

    def action_reset_draft(self):
        self._check_state({"submitted", "approved"}, self.env._("Reset to Draft"))
        self.write({"state": "draft", "approved_by_id": False, "approved_date": False})
        # Withdrawn: nothing left for the manager to approve.
        for plan in self:
            plan._close_approval_activities(unlink=True)

    def action_close(self):
        self._check_state({"approved"}, self.env._("Close"))
        self.write({"state": "closed"})

    def action_propose_visits(self):
        """Add the visits that frequency and last visit call for, from today to the plan's end."""
        self._check_state({"draft", "submitted", "approved"}, self.env._("Propose Visits"))
        today = fields.Date.context_today(self)
        created = self.env["sales.visit"]
        adopted = self._adopt_planned_visits()
        for plan in self:
            start = max(plan.date_from, today)
            if start > plan.date_to:
                continue
            created |= self.env["sales.visit"]._propose_visits(plan.user_id, start, plan.date_to, plans=plan)
        if created or adopted:
            message = (
                self.env._(
                    "%(count)s visits proposed, %(adopted)s follow-ups already planned added to the plan.",
                    count=len(created),
                    adopted=len(adopted),
                )
                if adopted
                else self.env._("%(count)s visits proposed.", count=len(created))
            )
        else:
            message = "\n".join(plan._get_nothing_to_propose_reason() for plan in self)
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
    def _check_transition(self, state):
        """The states follow PLAN_TRANSITIONS, whether from a button or a direct write
        (the superuser, i.e. code and data loading, excepted, as for the approval)."""
        if self.env.su:
            return
        self._check_state_transition(
            state,
            PLAN_TRANSITIONS,
            lambda plan, current, target, allowed: self.env._(
                "The visit plan %(plan)s cannot go from %(current)s to %(target)s; from %(current)s it "
                "can go to: %(allowed)s.",
                plan=plan.name,
                current=current,
                target=target,
                allowed=allowed,
            ),
        )

    def _check_draft_only_fields(self, vals):
        """Period and rep are what the manager approved: changed on a draft only (reset it first)."""
        changed = [name for name in DRAFT_ONLY_FIELDS if name in vals]
        if not changed or self.env.su or vals.get("state") == "draft":
            return
        for plan in self.filtered(lambda p: p.state != "draft"):
            new = {
                name: vals[name].id if isinstance(vals[name], models.BaseModel) else vals[name] or False
                for name in changed
            }
            current = {
                "date_from": plan.date_from,
                "date_to": plan.date_to,
                "user_id": plan.user_id.id,
            }
            if any(
                (fields.Date.to_date(value) if name != "user_id" else value) != current[name]
                for name, value in new.items()
            ):
                raise UserError(
                    self.env._(
                        "The visit plan %(plan)s is %(state)s: its period and rep change only while it is a "
                        "draft. Reset it to draft first.",
                        plan=plan.name,
                        state=dict(self._fields["state"]._description_selection(self.env))[plan.state],
                    )
                )

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
        self._sales_check_rights(
            "sales_team.group_sale_salesman_all_leads", self.env._("Only a sales manager can approve visit plans.")
        )
        for plan in self:
            if plan.user_id == self.env.user:
                raise UserError(
                    self.env._("You cannot approve your own visit plan %(plan)s: ask your manager.", plan=plan.name)
                )

    def _get_approver(self):
        """Who is asked to approve the plan: the rep's sales team leader, else a Sales
        administrator of the plan's company. Extension point."""
        self.ensure_one()
        leader = self.user_id.sale_team_id.user_id
        if leader and leader != self.user_id:
            return leader
        return self.env["res.users"].search(
            [
                ("groups_id", "in", self.env.ref("sales_team.group_sale_manager").id),
                ("share", "=", False),
                ("company_ids", "in", self.company_id.id),
                ("id", "!=", self.user_id.id),
            ],
            order="id",
            limit=1,
        )

    def _close_approval_activities(self, feedback=None, unlink=False):
        """Mark the approval activities of the plan done (or drop them when withdrawn)."""
        self.ensure_one()
        approval = self.env.ref("sales_management.mail_activity_type_visit_plan_approval")
        # Plans submitted before the approval had its own type were asked with a to-do.
        todo = self.env.ref("mail.mail_activity_data_todo")
        activities = self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == approval or (a.activity_type_id == todo and a.user_id != self.user_id)
        )
        with approval_activities():
            if unlink:
                activities.unlink()
            elif activities:
                activities.action_feedback(feedback=feedback)

    def _tell_rep(self, render):
        """Post the outcome of the approval to the rep, in his language."""
        self.ensure_one()
        env = self.with_context(lang=self.user_id.lang or self.env.lang).env
        self.message_post(
            body=render(env),
            partner_ids=self.user_id.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )

    def _adopt_planned_visits(self):
        """Planned visits of the rep in the period that belong to no plan (follow-ups,
        after-delivery visits scheduled before the plan existed) join it."""
        Visit = self.env["sales.visit"]
        adopted = Visit
        for plan in self.filtered(lambda p: p.state != "closed"):
            visits = Visit.search(
                [
                    ("user_id", "=", plan.user_id.id),
                    ("company_id", "=", plan.company_id.id),
                    ("plan_id", "=", False),
                    ("is_unplanned", "=", False),
                    ("state", "=", "planned"),
                    ("date", ">=", plan.date_from),
                    ("date", "<=", plan.date_to),
                ]
            )
            if visits:
                visits.write({"plan_id": plan.id})
                adopted |= visits
        return adopted

    def _get_nothing_to_propose_reason(self):
        """Why Propose Visits added nothing to this plan, in words the rep can act on."""
        self.ensure_one()
        Visit = self.env["sales.visit"]
        start = max(self.date_from, fields.Date.context_today(self))
        if start > self.date_to:
            return self.env._("The period of the visit plan %(plan)s is over: nothing left to propose.", plan=self.name)
        customers = self.env["res.partner"].search_count(Visit._get_proposal_customer_domain(self.user_id))
        if not customers and self.user_id == self.env.user:
            return self.env._(
                "You have no customers to visit: make yourself the Visit Rep of your customers, with a "
                "visit frequency, on the customer form (Sales & Purchase tab), or ask your manager to."
            )
        if not customers:
            return self.env._(
                "%(rep)s has no customers to visit: make him the Visit Rep of his customers, with a visit "
                "frequency, on the customer form (Sales & Purchase tab).",
                rep=self.user_id.name,
            )
        if not self.company_id._get_sales_working_days(start, self.date_to):
            return self.env._(
                "No working day left from %(start)s to %(end)s in the company's working schedule.",
                start=format_date(self.env, start),
                end=format_date(self.env, self.date_to),
            )
        return self.env._(
            "Nothing to propose: each of the %(count)s customers of %(rep)s is already planned or not due "
            "before %(end)s.",
            count=customers,
            rep=self.user_id.name,
            end=format_date(self.env, self.date_to),
        )

    @api.model
    def _get_completion_by_user(self, users, date_from, date_to, company):
        """Plan completion of reps: ``{user_id: (planned, done)}`` over their plans starting
        in [date_from, date_to], as the plans count them; one query."""
        groups = self.sudo()._read_group(
            [
                ("user_id", "in", users.ids),
                ("company_id", "=", company.id),
                ("date_from", ">=", date_from),
                ("date_from", "<=", date_to),
            ],
            ["user_id"],
            ["visit_planned_count:sum", "visit_done_count:sum"],
        )
        return {user.id: (planned, done) for user, planned, done in groups}

    def _get_plan_for(self, user, day):
        """The open plan of `user` covering `day` among self."""
        return next(
            (p for p in self if p.user_id == user and p.date_from <= day <= p.date_to and p.state != "closed"),
            self.browse(),
        )

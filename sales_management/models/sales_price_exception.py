from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .mail_activity import approval_activities

PRICE_EXCEPTION_STATES = [
    ("requested", "Requested"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("used", "Used"),
    ("void", "Void"),
]
# Who may approve a special discount, by the size of its gap (see _get_required_level).
APPROVAL_LEVELS = [
    ("leader", "Sales Manager (All Documents)"),
    ("manager", "Sales Administrator"),
]
APPROVAL_GROUPS = {
    "leader": "sales_team.group_sale_salesman_all_leads",
    "manager": "sales_team.group_sale_manager",
}
# The order line values an approval covers: a change of any voids it.
COVERED_LINE_FIELDS = ("product_id", "price_unit", "discount", "product_uom_qty", "product_uom")

# Set only while this model's own methods record a request, an approval, its use or its
# voiding: a Python switch that no RPC call, context key or sudo() from elsewhere reaches.
_PRICE_EXCEPTION_WRITING = ContextVar("sales_management_price_exception_writing", default=False)


@contextmanager
def _writing_price_exceptions():
    token = _PRICE_EXCEPTION_WRITING.set(True)
    try:
        yield
    finally:
        _PRICE_EXCEPTION_WRITING.reset(token)


def line_snapshot(line):
    """The covered values of an order line, as stored in an approval (JSON-safe)."""
    return [line.product_id.id, line.price_unit, line.discount, line.product_uom_qty, line.product_uom.id]


class SalesPriceException(models.Model):
    """A special-discount request (特殊客户优惠申请) for a quotation's lines below their price floor.

    A rep requests it from the quotation; the approver (a sales manager, or the level
    the gap calls for in Settings) gets an activity, approves or rejects it with a
    reason, and the rep is told. An approval covers the lines below floor as they were
    approved (product, price, discount, quantity, unit), for one confirmation; a change
    of any of them voids it. Records are written only by this model's methods, as
    superuser once the caller's right is checked, the user taken from the session: no
    access right, default, copy or import makes one.
    """

    _name = "sales.price.exception"
    _inherit = ["sales.management.approval.mixin"]
    _description = "Special Discount Request"
    _order = "requested_date desc, id desc"
    _rec_name = "order_id"
    _check_company_auto = True

    order_id = fields.Many2one(
        "sale.order", "Quotation", required=True, readonly=True, ondelete="cascade", index=True, check_company=True
    )
    partner_id = fields.Many2one("res.partner", "Customer", required=True, readonly=True, index=True)
    grade_id = fields.Many2one("sales.credit.grade", "Credit Grade", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    amount_total = fields.Monetary("Quotation Total", readonly=True, currency_field="currency_id")
    state = fields.Selection(PRICE_EXCEPTION_STATES, required=True, readonly=True, default="requested", index=True)
    gap = fields.Float(
        "Largest Gap (points)", readonly=True, digits=(5, 2), help="How far the worst line falls below its floor."
    )
    approval_level = fields.Selection(APPROVAL_LEVELS, "Approved By Level", readonly=True)
    line_summary = fields.Text("Lines Below Floor", readonly=True)
    line_snapshot = fields.Json(readonly=True, copy=False)
    requested_by_id = fields.Many2one("res.users", "Requested By", readonly=True)
    requested_date = fields.Datetime("Requested On", readonly=True)
    approver_id = fields.Many2one("res.users", "Approver", readonly=True, help="The user asked to decide.")
    activity_id = fields.Many2one("mail.activity", readonly=True, ondelete="set null")
    decided_by_id = fields.Many2one("res.users", "Decided By", readonly=True)
    decided_date = fields.Datetime("Decided On", readonly=True)
    reason = fields.Text("Decision Reason", readonly=True)
    used_date = fields.Datetime("Used On", readonly=True)
    void_reason = fields.Char(readonly=True)
    void_date = fields.Datetime("Voided On", readonly=True)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def _is_writing_allowed(self):
        return _PRICE_EXCEPTION_WRITING.get()

    @api.model
    def _get_writing_refusal(self):
        return self.env._(
            "Special discounts are recorded only by a rep's request from the quotation and a "
            "sales manager's decision."
        )

    @api.model
    def _get_copy_refusal(self):
        return self.env._("A special-discount request cannot be copied: request it from the quotation.")

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _get_clean_context(self):
        return {k: v for k, v in self.env.context.items() if not k.startswith("default_")}

    @api.model
    def _get_required_level(self, gap, company):
        """'leader' when a sales manager of all documents may approve a gap this size, else 'manager'."""
        limit = company.price_exception_leader_gap
        return "leader" if limit and gap <= limit else "manager"

    @api.model
    def _can_decide(self, user, level):
        return user.has_group(APPROVAL_GROUPS[level]) or user.has_group(APPROVAL_GROUPS["manager"])

    @api.model
    def _get_approver(self, order, level):
        """The user asked to decide: the team leader for small gaps, else the company's approver."""
        team_leader = order.team_id.user_id
        if level == "leader" and team_leader and self._can_decide(team_leader, level):
            return team_leader
        approver = order.company_id.price_exception_approver_id
        if approver and self._can_decide(approver, level):
            return approver
        managers = (
            self.env.ref(APPROVAL_GROUPS["manager"])
            .sudo()
            .users.filtered(
                lambda u: u.active
                and not u.share
                and order.company_id in u.company_ids
                and u.id != self.env.ref("base.user_root").id
            )
        )
        return managers[:1]

    @api.model
    def _describe(self, breaches):
        return "\n".join(breach["message"] for breach in breaches)

    @api.model
    def _request(self, order):
        """The session user asks for a special discount on ``order`` (a quotation below floor)."""
        order.ensure_one()
        # The rep must be allowed to change the quotation himself (record rules, companies).
        order.check_access("write")
        if order.company_id not in self.env.companies:
            raise AccessError(self.env._("You may request special discounts only in your companies."))
        user = self.env.user
        order = order.with_env(order.env(context=self._get_clean_context(), su=True))
        if order.state not in ("draft", "sent"):
            raise UserError(self.env._("Only quotations can receive a special discount."))
        breaches = order._get_price_floor_breaches().get(order.id, [])
        if not breaches:
            raise UserError(self.env._("No line of %(order)s is below its price floor.", order=order.name))
        open_ones = order.price_exception_ids.filtered(lambda e: e.state in ("requested", "approved"))
        open_ones._void(self.env._("Replaced by a new request."))
        gap = max(breach["gap"] for breach in breaches)
        level = self._get_required_level(gap, order.company_id)
        approver = self._get_approver(order, level)
        with _writing_price_exceptions():
            exception = self.with_env(self.env(context=self._get_clean_context(), su=True)).create(
                {
                    "order_id": order.id,
                    "partner_id": order.partner_id.commercial_partner_id.id,
                    "grade_id": breaches[0]["grade"].id,
                    "company_id": order.company_id.id,
                    "currency_id": order.currency_id.id,
                    "amount_total": order.amount_total,
                    "state": "requested",
                    "gap": gap,
                    "approval_level": level,
                    "line_summary": self._describe(breaches),
                    "line_snapshot": {str(b["line"].id): line_snapshot(b["line"]) for b in breaches},
                    "requested_by_id": user.id,
                    "requested_date": fields.Datetime.now(),
                    "approver_id": approver.id,
                }
            )
            if approver:
                with approval_activities():
                    activity = order.activity_schedule(
                        "sales_management.mail_activity_type_price_exception",
                        user_id=approver.id,
                        summary=self.env._("Special discount for %(order)s", order=order.name),
                        note=exception.line_summary,
                    )
                exception.activity_id = activity
        order.message_post(
            author_id=user.partner_id.id,
            body=self.env._(
                "Special discount requested by %(user)s (largest gap %(gap)s points), to be decided by "
                "%(approver)s:\n%(lines)s",
                user=user.name,
                gap=round(gap, 2),
                approver=approver.name or self.env._("a sales manager"),
                lines=exception.line_summary,
            ),
        )
        return exception

    @api.model
    def _decide(self, order, reason, approve=True):
        """The session user approves (or rejects) the special discount of ``order`` with ``reason``.

        The user must be at the level the gap calls for (Settings); the approval covers
        the lines below floor as they are now. The request's activity is marked done and
        the rep is told.
        """
        order.ensure_one()
        user = self.env.user
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("A special discount decision needs a reason."))
        order.check_access("read")
        if order.company_id not in self.env.companies:
            raise AccessError(self.env._("You may decide special discounts only in your companies."))
        order = order.with_env(order.env(context=self._get_clean_context(), su=True))
        if order.state not in ("draft", "sent"):
            raise UserError(self.env._("Only quotations can receive a special discount."))
        breaches = order._get_price_floor_breaches().get(order.id, [])
        if approve and not breaches:
            raise UserError(self.env._("No line of %(order)s is below its price floor.", order=order.name))
        gap = max((breach["gap"] for breach in breaches), default=0.0)
        level = self._get_required_level(gap, order.company_id)
        if not self._can_decide(user, level):
            raise AccessError(
                self.env._(
                    "A gap of %(gap)s points below the price floor is decided by a %(level)s.",
                    gap=round(gap, 2),
                    level=dict(self._fields["approval_level"]._description_selection(self.env))[level],
                )
            )
        exception = order.price_exception_ids.filtered(lambda e: e.state == "requested")[:1]
        snapshot = {str(b["line"].id): line_snapshot(b["line"]) for b in breaches}
        values = {
            "state": "approved" if approve else "rejected",
            "gap": gap,
            "approval_level": level,
            "line_summary": self._describe(breaches) if breaches else exception.line_summary,
            "line_snapshot": snapshot if approve else exception.line_snapshot,
            "decided_by_id": user.id,
            "decided_date": fields.Datetime.now(),
            "reason": reason,
            "amount_total": order.amount_total,
        }
        (order.price_exception_ids.filtered(lambda e: e.state == "approved") - exception)._void(
            self.env._("Replaced by a new decision.")
        )
        with _writing_price_exceptions():
            if exception:
                exception.write(values)
            else:
                exception = self.with_env(self.env(context=self._get_clean_context(), su=True)).create(
                    {
                        "order_id": order.id,
                        "partner_id": order.partner_id.commercial_partner_id.id,
                        "grade_id": breaches[0]["grade"].id if breaches else False,
                        "company_id": order.company_id.id,
                        "currency_id": order.currency_id.id,
                        "requested_by_id": order.user_id.id or user.id,
                        "requested_date": fields.Datetime.now(),
                        "approver_id": user.id,
                        **values,
                    }
                )
        if exception.activity_id:
            with approval_activities():
                exception.activity_id.sudo().action_feedback(feedback=reason)
        if approve:
            body = self.env._("Special discount approved by %(user)s: %(reason)s", user=user.name, reason=reason)
        else:
            body = self.env._("Special discount rejected by %(user)s: %(reason)s", user=user.name, reason=reason)
        rep = exception.requested_by_id
        order.message_post(
            author_id=user.partner_id.id,
            body=body,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=rep.partner_id.ids if rep and rep != user else [],
        )
        return exception

    def _covers(self, order, breaches):
        """Whether this approval covers ``order``'s lines below floor as they are now."""
        self.ensure_one()
        if not (
            self.state == "approved"
            and self.order_id == order
            and self.partner_id == order.partner_id.commercial_partner_id
            and self.currency_id == order.currency_id
        ):
            return False
        snapshot = self.line_snapshot or {}
        return all(snapshot.get(str(b["line"].id)) == line_snapshot(b["line"]) for b in breaches)

    def _is_changed(self):
        """Whether a line this request or approval covers changed (or is gone) since."""
        self.ensure_one()
        lines = {str(line.id): line for line in self.order_id.order_line}
        for line_id, values in (self.line_snapshot or {}).items():
            line = lines.get(line_id)
            if not line or line_snapshot(line) != values:
                return True
        return self.partner_id != self.order_id.partner_id.commercial_partner_id

    def _mark_used(self):
        with _writing_price_exceptions():
            self.sudo().write({"state": "used", "used_date": fields.Datetime.now()})

    def _void(self, reason):
        """Void these requests or approvals with ``reason``; their activities go, their orders are told."""
        exceptions = self.sudo().filtered(lambda e: e.state in ("requested", "approved"))
        if not exceptions:
            return
        activities = exceptions.activity_id
        with _writing_price_exceptions():
            exceptions.write({"state": "void", "void_reason": reason, "void_date": fields.Datetime.now()})
        with approval_activities():
            activities.sudo().unlink()
        for exception in exceptions:
            exception.order_id.message_post(
                body=self.env._("The special discount was voided: %(reason)s", reason=reason)
            )

    # ------------------------------------------------------------
    # DEMO
    # ------------------------------------------------------------

    @api.model
    def _generate_price_demo(self):
        """Demo: two quotations of the demo rep below the floor, one approved by the admin, one pending."""
        rep = self.env.ref("base.user_demo", raise_if_not_found=False)
        admin = self.env.ref("base.user_admin", raise_if_not_found=False)
        company = self.env.company
        statuses = self.env["sales.credit.status"].search(
            [("company_id", "=", company.id), ("grade_id", "!=", False)], order="score desc", limit=2
        )
        category = self.env.ref("sales_management.product_category_price_demo", raise_if_not_found=False)
        if not rep or not admin or not category or len(statuses) < 2:
            return
        product = self.env["product.product"].create(
            {
                "name": self.env._("Ceramic Floor Tile 600x600"),
                "categ_id": category.id,
                "type": "consu",
                "list_price": 100.0,
                "standard_price": 60.0,
            }
        )
        Order = self.env["sale.order"].with_user(rep).with_context(tracking_disable=True)
        for status, discount, approve in ((statuses[0], 30.0, True), (statuses[1], 25.0, False)):
            partner = status.partner_id
            if partner.user_id != rep:
                partner.user_id = rep
            order = Order.create(
                {
                    "partner_id": partner.id,
                    "user_id": rep.id,
                    "order_line": [
                        fields.Command.create({"product_id": product.id, "product_uom_qty": 50, "discount": discount})
                    ],
                }
            )
            self.with_user(rep)._request(order)
            if approve:
                self.with_user(admin)._decide(
                    order, self.env._("Strategic project order; volume commitment for the year."), approve=True
                )

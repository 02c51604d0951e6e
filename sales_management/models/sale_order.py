from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_datetime

from .sales_credit_exception_request import REQUEST_STATES
from .sales_credit_status import check_credit_inputs, drop_credit_input_defaults
from .sales_price_exception import PRICE_EXCEPTION_STATES

# The fields an order's credit is read from: its credit amount (see _get_credit_amounts),
# its parties (customer and invoiced party), company and state. A write of any of them,
# or of a field they depend on, may change the order's credit (_get_credit_relevant_fields).
CREDIT_MEASURE_FIELDS = {
    "sale.order": [
        "state",
        "partner_id",
        "partner_invoice_id",
        "company_id",
        "currency_id",
        "currency_rate",
        "order_line",
    ],
    "sale.order.line": [
        "order_id",
        "display_type",
        "is_downpayment",
        "product_uom_qty",
        "qty_invoiced",
        "price_total",
        "invoice_lines",
    ],
}

# Python-only switch of the credit check, for tests and benchmarks: RPC callers choose
# their context, never this (see credit_check_disabled).
_CREDIT_CHECK_DISABLED = ContextVar("sales_management_credit_check_disabled", default=False)
# The orders whose credit the current ORM call (and every call it makes) may change:
# {order id: their state before it, or _NEW}. The outermost call checks them once it
# has applied all its values (sale.order._watch_credit).
_CREDIT_WATCH = ContextVar("sales_management_credit_watch", default=None)
_NEW = "new"


@contextmanager
def credit_check_disabled():
    """Confirm and change orders without the credit check, in this thread (tests, benchmarks).

    Python only: nothing an RPC caller sends reaches it.
    """
    token = _CREDIT_CHECK_DISABLED.set(True)
    try:
        yield
    finally:
        _CREDIT_CHECK_DISABLED.reset(token)


def credit_relevant_fields(model):
    """Names of ``model``'s fields whose change may change an order's credit."""
    registry = model.env.registry
    measure = {model.env[name]._fields[fname] for name, fnames in CREDIT_MEASURE_FIELDS.items() for fname in fnames}
    return frozenset(
        name
        for name, field in model._fields.items()
        if field in measure or any(dependent in measure for dependent in registry.get_dependent_fields(field))
    )


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "sales.management.input.mixin"]

    # -- Complaints --------------------------------------------------------
    complaint_ids = fields.One2many(
        "sales.complaint",
        "sale_order_id",
        groups="sales_team.group_sale_salesman,sales_management.group_sales_management_after_sales",
    )
    complaint_count = fields.Integer(
        compute="_compute_complaint_count",
        groups="sales_team.group_sale_salesman,sales_management.group_sales_management_after_sales",
    )

    def _compute_complaint_count(self):
        counts = dict(
            self.env["sales.complaint"]._read_group([("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"])
        )
        for order in self:
            order.complaint_count = counts.get(order, 0)

    def _get_complaint_defaults(self):
        self.ensure_one()
        return {
            "default_partner_id": self.partner_id.commercial_partner_id.id,
            "default_contact_id": self.partner_id.id,
            "default_sale_order_id": self.id,
            "default_team_id": self.team_id.id,
            "default_company_id": self.company_id.id,
        }

    def action_view_complaints(self):
        self.ensure_one()
        return self.env["sales.complaint"]._get_records_action_for(
            [("sale_order_id", "=", self.id)], self._get_complaint_defaults()
        )

    def action_new_complaint(self):
        self.ensure_one()
        return self.env["sales.complaint"]._get_new_action_for(self._get_complaint_defaults())

    # -- Visits ----------------------------------------------------------------
    visit_id = fields.Many2one(
        "sales.visit",
        string="Visit",
        index="btree_not_null",
        copy=False,
        check_company=True,
        help="Customer visit during which this quotation was made.",
    )
    # -- Customer credit (read-only for reps; computed as superuser; hidden from
    # portal and other users, like the customer's credit fields) --
    partner_credit_grade_id = fields.Many2one(
        "sales.credit.grade",
        "Credit Grade",
        compute="_compute_partner_credit",
        compute_sudo=True,
        groups="sales_team.group_sale_salesman,sales_management.group_sales_management_credit",
    )
    partner_credit_hold = fields.Boolean(
        "Customer On Credit Hold",
        compute="_compute_partner_credit",
        compute_sudo=True,
        groups="sales_team.group_sale_salesman,sales_management.group_sales_management_credit",
    )
    partner_credit_hold_reason = fields.Char(
        "Credit Hold Reason",
        compute="_compute_partner_credit",
        compute_sudo=True,
        groups="sales_team.group_sale_salesman,sales_management.group_sales_management_credit",
    )
    partner_credit_available = fields.Monetary(
        "Available Credit",
        compute="_compute_partner_credit",
        compute_sudo=True,
        currency_field="company_currency_id",
        groups="sales_team.group_sale_salesman,sales_management.group_sales_management_credit",
    )
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    credit_check_message = fields.Text(
        "Credit Check",
        compute="_compute_credit_check_message",
        compute_sudo=True,
        groups="sales_team.group_sale_salesman,sales_management.group_sales_management_credit",
        help="What the credit check says of this quotation now (empty when it passes).",
    )
    # The approval that covers this order; set and cleared only by sales.credit.exception.
    credit_exception_id = fields.Many2one(
        "sales.credit.exception",
        "Credit Exception",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="sales_team.group_sale_salesman,sales_management.group_sales_management_credit",
    )
    credit_exception_ids = fields.One2many(
        "sales.credit.exception",
        "order_id",
        "Credit Exceptions",
        readonly=True,
        groups="sales_team.group_sale_salesman,sales_management.group_sales_management_credit",
    )
    credit_exception_count = fields.Integer(
        compute="_compute_credit_exception_count",
        groups="sales_team.group_sale_salesman,sales_management.group_sales_management_credit",
    )
    credit_exception_request_ids = fields.One2many(
        "sales.credit.exception.request",
        "order_id",
        "Credit Exception Requests",
        readonly=True,
        groups="sales_team.group_sale_salesman,sales_management.group_sales_management_credit",
    )
    credit_exception_request_state = fields.Selection(
        REQUEST_STATES,
        "Credit Exception Request",
        compute="_compute_credit_exception_request_state",
        compute_sudo=True,
        groups="sales_team.group_sale_salesman,sales_management.group_sales_management_credit",
        help="Where the latest request for a credit exception on this quotation stands.",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("partner_id", "company_id")
    def _compute_partner_credit(self):
        for order in self:
            partner = order.partner_id.commercial_partner_id.with_company(order.company_id)
            order.partner_credit_grade_id = partner.credit_grade_id
            order.partner_credit_hold = partner.credit_hold
            order.partner_credit_hold_reason = partner.credit_hold_reason
            order.partner_credit_available = partner.credit_available

    @api.depends("state", "partner_id", "partner_invoice_id", "company_id", "order_line.price_total", "currency_rate")
    def _compute_credit_check_message(self):
        for order in self:
            quotation = order.state in ("draft", "sent") and order.partner_id
            order.credit_check_message = order._get_credit_check_message() if quotation else False

    def _compute_credit_exception_count(self):
        counts = dict(
            self.env["sales.credit.exception"]._read_group([("order_id", "in", self.ids)], ["order_id"], ["__count"])
        )
        for order in self:
            order.credit_exception_count = counts.get(order, 0)

    @api.depends("credit_exception_request_ids.state")
    def _compute_credit_exception_request_state(self):
        for order in self:
            requests = order.credit_exception_request_ids.sorted("id")
            order.credit_exception_request_state = requests[-1:].state or False

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def default_get(self, fields_list):
        return drop_credit_input_defaults(self, super().default_get(fields_list))

    @api.model_create_multi
    def create(self, vals_list):
        # The addon's fields first: the credit checks below read the values given.
        self._check_input_values(vals_list)
        check_credit_inputs(self.browse(), vals_list)
        with self.browse()._watch_credit() as watch:
            orders = super().create(vals_list)
            if watch is not None:
                # Created confirmed (imports, copies, other modules): checked like a confirmation.
                watch.update(dict.fromkeys(orders.ids, _NEW))
        return orders

    # super().write is called by _write_credit_watched, inside the credit watch.
    def write(self, vals):  # pylint: disable=method-required-super
        self._check_input_values([vals])
        check_credit_inputs(self, [vals])
        result = self._write_credit_watched(vals)
        if "partner_id" in vals:
            # An approval is given for one customer: another one voids it.
            self._void_changed_price_exceptions()
        return result

    def _write_credit_watched(self, vals):
        if _CREDIT_CHECK_DISABLED.get() or not set(vals) & self._get_credit_relevant_fields():
            return super().write(vals)
        watched = self._filter_credit_watched(entering=vals.get("state") == "sale")
        # An order written out of 'sale' cannot stay there: its amount before is not needed.
        with watched._watch_credit(measure=vals.get("state", "sale") == "sale"):
            return super().write(vals)

    def unlink(self):
        # Deleted within a watched call: nothing left to check (sale.order._watch_credit).
        watch = _CREDIT_WATCH.get()
        if watch:
            for order_id in self.ids:
                watch.pop(order_id, None)
        return super().unlink()

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_credit_exception_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Approve Credit Exception"),
            "res_model": "sales.credit.exception.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def action_request_credit_exception(self):
        """The rep asks the Credit Controllers for an exception on this refused quotation."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request Credit Exception"),
            "res_model": "sales.credit.exception.request.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def action_withdraw_credit_exception_request(self):
        self.ensure_one()
        self.check_access("write")
        self._get_pending_credit_request()._cancel(self.env._("withdrawn by %(user)s.", user=self.env.user.name))
        return True

    def _action_confirm(self):
        result = super()._action_confirm()
        # Confirmed (within credit or under an exception): nothing left to decide.
        self.sudo().credit_exception_request_ids._cancel(self.env._("the quotation was confirmed."))
        return result

    def _action_cancel(self):
        result = super()._action_cancel()
        self.sudo().credit_exception_request_ids._cancel(self.env._("the quotation was cancelled."))
        return result

    def _get_pending_credit_request(self):
        """The request for a credit exception of this order waiting for a decision, if any."""
        self.ensure_one()
        return self.sudo().credit_exception_request_ids.filtered(lambda r: r.state == "pending")[:1]

    def action_view_credit_exceptions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_management.sales_credit_exception_action")
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------
    # CREDIT CHECK
    # ------------------------------------------------------------

    @api.model
    @tools.ormcache()
    def _get_credit_relevant_fields(self):
        return credit_relevant_fields(self)

    def _filter_credit_watched(self, entering=False):
        """The orders whose credit a change may move: confirmed, entering 'sale', or with an approval."""
        if entering:
            return self
        return self.filtered(lambda o: o.state == "sale" or o.sudo().credit_exception_id)

    @contextmanager
    def _watch_credit(self, measure=True):
        """Note these orders' credit, run the ORM call, then check what it changed.

        Only the outermost call checks, once every value of it (and of the calls it made:
        lines, defaults, computed amounts) is applied; ``measure=False`` skips their credit
        amount (the call takes them out of 'sale'). Yields the watch, or None when the
        check is disabled.
        """
        if _CREDIT_CHECK_DISABLED.get():
            yield None
            return
        watch = _CREDIT_WATCH.get()
        outer = watch is None
        if outer:
            watch = {}
            token = _CREDIT_WATCH.set(watch)
        try:
            todo = self.filtered(lambda o: o.id not in watch)
            if todo:
                watch.update(todo._get_credit_snapshots(measure))
            yield watch
        finally:
            if outer:
                _CREDIT_WATCH.reset(token)
        if outer and watch:
            self.browse(list(watch))._check_credit_changes(watch)

    def _get_credit_parties(self):
        """Commercial entities this order's credit counts for: its customer and its invoiced party."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        return customer | (self.partner_invoice_id or self.partner_id).commercial_partner_id

    def _get_credit_snapshots(self, measure=True):
        orders = self.sudo()
        measured = orders.filtered(lambda o: o.state == "sale" or o.credit_exception_id) if measure else orders.browse()
        amounts = measured._get_credit_amounts()
        return {
            order.id: {
                "state": order.state,
                "parties": order._get_credit_parties().ids,
                "company": order.company_id.id,
                "currency": order.currency_id.id,
                "amounts": amounts.get(order.id),
            }
            for order in orders
        }

    def _get_credit_amounts(self):
        """Each order's credit amount, as the exposure counts it once confirmed.

        What is left to invoice of its lines with a quantity, less the down payments
        invoiced but not yet deducted, in the order's currency (``order``) and in company
        currency at the order's rate (``company``): ``{order id: {order, company}}``.
        The same sum as sales_management_credit_exposure's, from the same stored values.
        """
        result = {}
        for order in self.sudo():
            to_invoice = advanced = 0.0
            for line in order.order_line:
                if line.display_type:
                    continue
                if line.is_downpayment:
                    if line.qty_invoiced < line.product_uom_qty or line.qty_invoiced:
                        invoice_lines = line.invoice_lines.filtered(lambda aml: aml.parent_state != "cancel")
                        advanced += sum(invoice_lines.mapped("price_total"))
                elif line.product_uom_qty > 0 and line.qty_invoiced < line.product_uom_qty:
                    to_invoice += (line.product_uom_qty - line.qty_invoiced) * line.price_total / line.product_uom_qty
            amount = max(to_invoice - advanced, 0.0)
            result[order.id] = {
                "order": order.currency_id.round(amount),
                "company": order.company_id.currency_id.round(amount / (order.currency_rate or 1.0)),
            }
        return result

    def _check_credit_changes(self, watch):
        """Check the orders an ORM call changed, from their ``watch`` taken before it.

        Orders entering 'sale' are checked (an approval may cover them); confirmed orders
        are checked when their credit amount rose or moved to other parties or another
        company, their approval then voided; quotations whose approved amount rose or
        moved lose their approval; an order leaving 'sale' loses its approval. Nothing is
        read when no order is, or stays, confirmed.
        """
        orders = self.sudo()
        if all(before == _NEW for before in watch.values()) and "sale" not in orders.mapped("state"):
            return  # quotations created: nothing to check (and nothing read)
        entering, changed, voids = orders.browse(), orders.browse(), {}
        compared = orders.filtered(lambda o: watch[o.id] != _NEW and (watch[o.id]["amounts"] is not None))
        compared = compared.filtered(lambda o: o.state == "sale" or o.credit_exception_id)
        amounts = compared._get_credit_amounts()
        for order in orders:
            before = watch[order.id]
            exception = order.credit_exception_id
            was_confirmed = before != _NEW and before["state"] == "sale"
            if order.state == "sale" and (not was_confirmed or before["amounts"] is None):
                # Confirmed now (or its amount before is unknown): checked as a confirmation.
                entering |= order
                continue
            if order.state != "sale":
                if exception and was_confirmed:
                    voids[exception] = self.env._("The order left the confirmed state.")
                elif exception and order in compared and order._is_credit_raised(before, amounts[order.id], "order"):
                    voids[exception] = self.env._("The order changed after the approval.")
                continue
            if order in compared and order._is_credit_raised(before, amounts[order.id], "company"):
                if exception:
                    voids[exception] = self.env._("The confirmed order's credit amount rose or moved.")
                changed |= order
        for exception, reason in voids.items():
            exception._void(reason)
        # Price floors first: they read no credit and lock nothing.
        entering.with_env(self.env)._check_price_floor()
        (entering | changed).with_env(self.env)._check_credit(entering=entering.ids)

    def _is_credit_raised(self, before, amounts, currency):
        """Whether the order's credit rose (in ``currency``: 'order' or 'company') or moved since ``before``."""
        self.ensure_one()
        if (
            before["parties"] != self._get_credit_parties().ids
            or before["company"] != self.company_id.id
            or (currency == "order" and before["currency"] != self.currency_id.id)
        ):
            return True
        rounding = self.currency_id if currency == "order" else self.company_id.currency_id
        return rounding.compare_amounts(amounts[currency], before["amounts"][currency]) > 0

    def _get_credit_reaction(self, position):
        """'block' or 'warn': what the check does when ``position``'s party is beyond its credit."""
        grade = self.env["sales.credit.grade"].sudo().browse(position["grade_id"])
        return grade.credit_check_reaction if grade else self.company_id.credit_check_reaction

    def _get_credit_refusal(self, position, included):
        """Message refusing this order for ``position``'s party, or False.

        ``position``: the party's, from ``sales.credit.status._get_exposure``; ``included``:
        whether its exposure already counts this order (it is confirmed).
        """
        self.ensure_one()
        company = self.company_id
        customer = self.env["res.partner"].browse(position["commercial_partner_id"])
        if position["hold"]:
            status = self.env["sales.credit.status"].sudo().browse(position["status_id"])
            return self.env._(
                "Customer %(customer)s is on credit hold (%(reason)s). A Credit Controller can approve an exception.",
                customer=customer.display_name,
                # An automatic hold's reason in the reader's language, not the nightly job's.
                reason=status._get_hold_reason(),
            )
        tolerance = company.credit_overdue_tolerance_days
        if position["oldest_due"]:
            days = (fields.Date.context_today(self) - position["oldest_due"]).days
            if days > tolerance:
                overdue = self.env["sales.credit.status"].sudo()._get_overdue_amount(customer, company)
                return self.env._(
                    "Customer %(customer)s has %(amount)s overdue for %(days)s days, beyond the tolerance of "
                    "%(tolerance)s days. A Credit Controller can approve an exception.",
                    customer=customer.display_name,
                    amount=format_amount(self.env, overdue, company.currency_id),
                    days=days,
                    tolerance=tolerance,
                )
        if not position["limit_applied"]:
            return False
        currency = company.currency_id
        limit = position["credit_limit"]
        if included and currency.compare_amounts(position["total"], limit) <= 0:
            return False
        order_amount = self._get_credit_amounts()[self.id]["company"]
        total = position["total"] if included else position["total"] + order_amount
        if currency.compare_amounts(total, limit) <= 0:
            return False
        return self.env._(
            "Credit limit exceeded for %(customer)s: exposure %(exposure)s + this order %(order)s = "
            "%(total)s, above the limit of %(limit)s. A Credit Controller can approve an exception.",
            customer=customer.display_name,
            exposure=format_amount(self.env, total - order_amount, currency),
            order=format_amount(self.env, order_amount, currency),
            total=format_amount(self.env, total, currency),
            limit=format_amount(self.env, limit, currency),
        )

    def _get_credit_check_message(self):
        """What the credit check would say of this order now ('' when it passes)."""
        self.ensure_one()
        order = self.sudo()
        if not order.partner_id:
            return ""
        parties = order._get_credit_parties()
        positions = self.env["sales.credit.status"].sudo()._get_exposure(parties.ids, order.company_id)
        refusals = [order._get_credit_refusal(positions[party.id], order.state == "sale") for party in parties]
        return "\n".join(refusal for refusal in refusals if refusal)

    def _check_credit(self, entering=None):
        """Refuse confirmed orders beyond their parties' credit (limit, hold, overdue debt).

        ``self``: orders in 'sale' whose credit was just applied (every value written and
        counted by the exposure); ``entering``: ids of those just confirmed (all by
        default), which an approved exception may cover. For each party of each order
        (customer and invoiced party), a grade whose check only warns lets the order
        through, logged on it and in the party's credit history.

        One query when it passes, whatever the number of the customers' invoices or
        orders. The parties' rows are locked first, which serialises confirmations of one
        customer: a concurrent one fails at once (lock not available), one whose snapshot
        predates our commit fails with a serialisation error (the lock updates the row).
        Odoo retries both, and the retry sees this order confirmed.
        """
        if not self or _CREDIT_CHECK_DISABLED.get():
            return
        entering = set(self.ids if entering is None else entering)
        Status = self.env["sales.credit.status"].sudo()
        # Every value applied and computed first, in one statement per table (the exposure
        # reads the database).
        self.env.flush_all()
        for company, orders in self.sudo().grouped("company_id").items():
            # Asked by partner (the function resolves their commercial entities).
            partners = orders.partner_id | orders.partner_invoice_id
            positions = Status._get_exposure(partners.ids, company, lock=True)
            # Parties confirmed for the first time get their status (the credit overview lists them).
            new_parties = {p["commercial_partner_id"] for p in positions.values() if not p["status_id"]}
            if new_parties:
                statuses = Status._get_status(self.env["res.partner"].browse(new_parties), company, create=True)
                status_ids = {status.partner_id.id: status.id for status in statuses}
                for position in positions.values():
                    position["status_id"] = position["status_id"] or status_ids.get(position["commercial_partner_id"])
            for order in orders:
                exception = order.credit_exception_id
                if order.id in entering and exception.state == "approved":
                    if exception._covers(order, order._get_credit_amounts()[order.id]):
                        exception._mark_used()
                        order._post_credit_note(
                            self.env._(
                                "Confirmed under the credit exception approved by %(user)s: %(reason)s",
                                user=exception.approved_by_id.name,
                                reason=exception.reason,
                            )
                        )
                        continue
                    exception._void(self.env._("It does not cover the order as confirmed."))
                # Its customer, and the party it is invoiced to when another one.
                parties = [positions[order.partner_id.id]]
                invoiced = positions[(order.partner_invoice_id or order.partner_id).id]
                if invoiced["commercial_partner_id"] != parties[0]["commercial_partner_id"]:
                    parties.append(invoiced)
                for position in parties:
                    refusal = order._get_credit_refusal(position, included=True)
                    if not refusal:
                        continue
                    if order._get_credit_reaction(position) == "block":
                        raise UserError(order._get_credit_refusal_with_request(refusal))
                    order._log_credit_warning(refusal, position, order.id in entering)

    def _get_credit_refusal_with_request(self, refusal):
        """The refusal, with what the rep does next: request an exception, or wait for the one requested."""
        self.ensure_one()
        request = self._get_pending_credit_request()
        if request:
            hint = self.env._(
                "Your request for a credit exception of %(date)s is waiting for a Credit Controller.",
                date=format_datetime(self.env, request.request_date),
            )
        else:
            hint = self.env._("Use Request Credit Exception on the quotation to ask a Credit Controller for one.")
        return f"{refusal}\n{hint}"

    def _post_credit_note(self, body):
        self.ensure_one()
        self.sudo().message_post(body=body, author_id=self.env.user.partner_id.id)

    def _log_credit_warning(self, refusal, position, confirmed):
        """An order let through beyond credit by a warning grade: on the order and in the party's history."""
        self.ensure_one()
        if confirmed:
            body = self.env._("Confirmed beyond credit (the credit check only warns): %(refusal)s", refusal=refusal)
        else:
            body = self.env._("Changed beyond credit (the credit check only warns): %(refusal)s", refusal=refusal)
        self._post_credit_note(body)
        amount = self._get_credit_amounts()[self.id]["order"]
        self.env["sales.credit.status"].sudo().browse(position["status_id"])._log_change(
            "warning", "", f"{self.name}: {self.currency_id.format(amount)}", refusal, self
        )

    # ------------------------------------------------------------
    # PRICE FLOORS (价格底线) AND SPECIAL DISCOUNTS (特殊客户优惠申请)
    # ------------------------------------------------------------

    price_exception_ids = fields.One2many(
        "sales.price.exception",
        "order_id",
        "Special Discounts",
        readonly=True,
        copy=False,
        groups="sales_team.group_sale_salesman",
    )
    price_exception_state = fields.Selection(
        PRICE_EXCEPTION_STATES,
        "Special Discount",
        compute="_compute_price_floor",
        compute_sudo=True,
        groups="sales_team.group_sale_salesman",
        help="State of the quotation's latest special-discount request.",
    )
    price_floor_message = fields.Text(
        "Price Floor Check",
        compute="_compute_price_floor",
        compute_sudo=True,
        groups="sales_team.group_sale_salesman",
        help="The lines below their grade's price floor (empty when none is).",
    )
    is_below_price_floor = fields.Boolean(
        "Below Price Floor", compute="_compute_price_floor", compute_sudo=True, groups="sales_team.group_sale_salesman"
    )

    @api.depends(
        "state", "partner_id", "company_id", "currency_rate", "order_line.price_subtotal", "order_line.product_id"
    )
    def _compute_price_floor(self):
        quotations = self.filtered(lambda o: o.state in ("draft", "sent") and o.partner_id)
        breaches = quotations._get_price_floor_breaches() if quotations else {}
        for order in self:
            found = breaches.get(order.id) or []
            latest = order.price_exception_ids[:1]
            order.price_exception_state = latest.state
            order.is_below_price_floor = bool(found)
            order.price_floor_message = "\n".join(b["message"] for b in found) or False

    def _void_changed_price_exceptions(self):
        """Void the open requests and approvals of these orders whose covered lines changed."""
        open_ones = self.sudo().price_exception_ids.filtered(lambda e: e.state in ("requested", "approved"))
        changed = open_ones.filtered(lambda e: e._is_changed())
        changed._void(self.env._("A line it covers changed (product, price, discount, quantity or unit)."))

    def action_request_price_exception(self):
        """The rep's one click: ask the approver for a special discount on this quotation."""
        for order in self:
            self.env["sales.price.exception"]._request(order)
        return True

    def action_open_price_exception_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Decide Special Discount"),
            "res_model": "sales.price.exception.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def action_view_price_exceptions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_management.sales_price_exception_action")
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {}
        return action

    def _get_price_floor_breaches(self):
        """The lines of these orders below their customer's grade floor: ``{order id: [breach]}``.

        A breach: ``{line, grade, floor, list_price, net_price, discount, gap, message}``,
        prices per unit of the line in company currency. Set-based: one query for the
        customers' grades and one for the floors per company.
        """
        result = {}
        orders = self.sudo()
        Floor = self.env["sales.price.floor"]
        for company, company_orders in orders.grouped("company_id").items():
            if not Floor._has_floors(company.id):
                continue
            statuses = self.env["sales.credit.status"]._get_status(company_orders.partner_id, company)
            grades = {status.partner_id.id: status.grade_id for status in statuses if status.grade_id}
            if not grades:
                continue
            floors = Floor._get_floor_values(self.env["sales.credit.grade"].union(*grades.values()), company)
            for order in company_orders:
                grade = grades.get(order.partner_id.commercial_partner_id.id)
                if not grade or grade.id not in floors:
                    continue
                for line in order.order_line:
                    breach = line._get_price_floor_breach(grade, floors[grade.id])
                    if breach:
                        result.setdefault(order.id, []).append(breach)
        return result

    def _check_price_floor(self):
        """Refuse orders just confirmed with a line below its floor, unless an approval covers them.

        Called once every value of the ORM call is applied (sale.order._watch_credit), on
        every path into 'sale'; an approval covers one confirmation.
        """
        if not self:
            return
        breaches = self._get_price_floor_breaches()
        for order in self.sudo():
            found = breaches.get(order.id)
            if not found:
                continue
            approved = order.price_exception_ids.filtered(lambda e: e.state == "approved")[:1]
            if approved and approved._covers(order, found):
                approved._mark_used()
                order.message_post(
                    body=self.env._(
                        "Confirmed under the special discount approved by %(user)s: %(reason)s",
                        user=approved.decided_by_id.name,
                        reason=approved.reason,
                    )
                )
                continue
            raise UserError(
                self.env._(
                    "%(order)s has lines below the price floor of grade %(grade)s:\n%(lines)s\n"
                    "Request a special discount; it can be confirmed once a sales manager approves it.",
                    order=order.name,
                    grade=found[0]["grade"].name,
                    lines="\n".join(b["message"] for b in found),
                )
            )

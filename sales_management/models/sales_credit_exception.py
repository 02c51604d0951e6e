from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

EXCEPTION_STATES = [
    ("approved", "Approved"),
    ("used", "Used"),
    ("void", "Void"),
]

# Set only while this model's own methods record an approval, its use or its voiding:
# a Python switch, which no RPC call, context key or sudo() from elsewhere reaches.
_EXCEPTION_WRITING = ContextVar("sales_management_credit_exception_writing", default=False)


@contextmanager
def _writing_exceptions():
    token = _EXCEPTION_WRITING.set(True)
    try:
        yield
    finally:
        _EXCEPTION_WRITING.reset(token)


class SalesCreditException(models.Model):
    """A Credit Controller's approval of one order beyond its customer's credit.

    Created only by the approval action (``sales.credit.exception.wizard``), as the
    superuser once the caller is known to be a Credit Controller, with the approver
    taken from the session; nobody may create, change or delete one otherwise (no
    access right, and the ORM methods refuse outside this model's own methods). It
    covers its order, for its customer, invoiced party, company and currency, up to
    the approved amount, at one confirmation; it is voided when the order changes in a
    way that raises or moves its credit, or leaves the confirmed state.
    """

    _name = "sales.credit.exception"
    _inherit = ["sales.management.approval.mixin"]
    _description = "Credit Exception"
    _order = "approved_date desc, id desc"
    _rec_name = "order_id"
    _check_company_auto = True

    order_id = fields.Many2one(
        "sale.order", "Sale Order", required=True, readonly=True, ondelete="cascade", index=True, check_company=True
    )
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, readonly=True, index=True, help="The order's commercial entity."
    )
    invoice_partner_id = fields.Many2one(
        "res.partner",
        "Invoiced Party",
        required=True,
        readonly=True,
        help="The commercial entity the order is invoiced to, when approved.",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    amount = fields.Monetary(
        "Approved Amount",
        required=True,
        readonly=True,
        currency_field="company_currency_id",
        help="The order's credit amount approved, in company currency at the order's rate when approved.",
    )
    currency_id = fields.Many2one("res.currency", "Order Currency", required=True, readonly=True)
    order_amount = fields.Monetary(
        "Approved Order Amount",
        required=True,
        readonly=True,
        currency_field="currency_id",
        help="The order's credit amount approved, in the order's currency: the order is covered up to it.",
    )
    order_total = fields.Monetary(readonly=True, currency_field="currency_id")
    reason = fields.Text(required=True, readonly=True)
    approved_by_id = fields.Many2one("res.users", "Approved By", required=True, readonly=True)
    approved_date = fields.Datetime("Approved On", required=True, readonly=True)
    state = fields.Selection(EXCEPTION_STATES, required=True, readonly=True, default="approved", index=True)
    used_date = fields.Datetime("Used On", readonly=True)
    void_reason = fields.Char(readonly=True)
    void_date = fields.Datetime("Voided On", readonly=True)
    # The customer's credit when approved, as the credit approval form (信用审批单) prints it.
    has_credit_snapshot = fields.Boolean(readonly=True)
    credit_grade_id = fields.Many2one("sales.credit.grade", "Credit Grade", readonly=True)
    credit_limit = fields.Monetary(readonly=True, currency_field="company_currency_id")
    credit_exposure = fields.Monetary(
        readonly=True,
        currency_field="company_currency_id",
        help="The customer's exposure when approved, this order left out.",
    )
    request_id = fields.Many2one(
        "sales.credit.exception.request", "Request", readonly=True, help="The rep's request this approval answered."
    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def _is_writing_allowed(self):
        return _EXCEPTION_WRITING.get()

    @api.model
    def _get_writing_refusal(self):
        return self.env._("Credit exceptions are recorded only by a Credit Controller's approval of an order.")

    @api.model
    def _get_copy_refusal(self):
        return self.env._("A credit exception cannot be copied: a Credit Controller approves each one.")

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _approve(self, order, reason):
        """Record the session user's approval of ``order`` (a quotation) for its current credit amount.

        The caller must be a Credit Controller (checked here); the record is written as
        superuser with a context free of defaults, and replaces the order's previous approval.
        """
        self._sales_check_rights(
            "sales_management.group_sales_management_credit",
            self.env._("Only Credit Controllers may approve credit exceptions."),
            superuser=False,
        )
        user = self.env.user
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("A credit exception needs a reason."))
        # The controller must see the order himself (record rules, companies).
        order.check_access("read")
        if order.company_id not in self.env.companies:
            raise AccessError(self.env._("You may approve credit exceptions only in your companies."))
        # The clean context replaces the caller's (not merged into it).
        order = order.with_env(order.env(context=self._get_clean_context(), su=True))
        if order.state not in ("draft", "sent"):
            raise UserError(self.env._("Only quotations can receive a credit exception."))
        if order.credit_exception_id.state == "approved":
            order.credit_exception_id._void(self.env._("Replaced by a new approval."))
        amounts = order._get_credit_amounts()[order.id]
        request = order._get_pending_credit_request()
        with _writing_exceptions():
            exception = self.with_env(self.env(context=self._get_clean_context(), su=True)).create(
                {
                    "order_id": order.id,
                    "partner_id": order.partner_id.commercial_partner_id.id,
                    "invoice_partner_id": (order.partner_invoice_id or order.partner_id).commercial_partner_id.id,
                    "company_id": order.company_id.id,
                    "amount": amounts["company"],
                    "currency_id": order.currency_id.id,
                    "order_amount": amounts["order"],
                    "order_total": order.amount_total,
                    "reason": reason,
                    "approved_by_id": user.id,
                    "approved_date": fields.Datetime.now(),
                    "state": "approved",
                    "request_id": request.id,
                    **self._prepare_credit_snapshot_values(order),
                }
            )
        order.write({"credit_exception_id": exception.id})
        order.message_post(
            author_id=user.partner_id.id,
            body=self.env._(
                "Credit exception approved by %(user)s for %(amount)s: %(reason)s",
                user=user.name,
                amount=order.currency_id.format(amounts["order"]),
                reason=reason,
            ),
        )
        exception._log_history("", self.env._("Approved"), reason)
        request._mark_approved(exception)
        return exception

    @api.model
    def _prepare_credit_snapshot_values(self, order):
        """The customer's grade, limit and exposure (this quotation left out) now, in company currency."""
        customer = order.partner_id.commercial_partner_id
        position = self.env["sales.credit.status"].sudo()._get_exposure(customer.ids, order.company_id).get(customer.id)
        if not position:
            return {}
        return {
            "has_credit_snapshot": True,
            "credit_grade_id": position["grade_id"] or False,
            "credit_limit": position["credit_limit"],
            "credit_exposure": position["total"],
        }

    def _mark_used(self):
        with _writing_exceptions():
            self.sudo().write({"state": "used", "used_date": fields.Datetime.now()})

    def _void(self, reason):
        """Void these exceptions (the order changed), with ``reason``; their orders are told."""
        exceptions = self.sudo().filtered(lambda e: e.state != "void")
        if not exceptions:
            return
        with _writing_exceptions():
            exceptions.write({"state": "void", "void_reason": reason, "void_date": fields.Datetime.now()})
        orders = exceptions.order_id.filtered(lambda o: o.credit_exception_id in exceptions)
        orders.write({"credit_exception_id": False})
        for exception in exceptions:
            exception.order_id.message_post(
                body=self.env._("The credit exception was voided: %(reason)s", reason=reason)
            )
            exception._log_history(self.env._("Approved"), self.env._("Void"), reason)

    def _log_history(self, old, new, reason):
        """One line of the customer's credit history for this exception."""
        for exception in self.sudo():
            status = self.env["sales.credit.status"]._get_status(
                exception.partner_id, exception.company_id, create=True
            )
            order = exception.order_id
            status._log_change(
                "exception",
                old,
                f"{new}: {order.name} {order.currency_id.format(exception.order_amount)}",
                reason,
                order,
                exception=exception,
            )

    @api.model
    def _get_clean_context(self):
        """The current context without the keys that would fill fields by default."""
        return {k: v for k, v in self.env.context.items() if not k.startswith("default_")}

    def _covers(self, order, amounts):
        """Whether this approval covers ``order`` at its credit ``amounts`` now (at its confirmation)."""
        self.ensure_one()
        currency = order.currency_id
        return bool(
            self.state == "approved"
            and self.order_id == order
            and self.partner_id == order.partner_id.commercial_partner_id
            and self.invoice_partner_id == (order.partner_invoice_id or order.partner_id).commercial_partner_id
            and self.company_id == order.company_id
            and self.currency_id == currency
            and currency.compare_amounts(amounts["order"], self.order_amount) <= 0
        )

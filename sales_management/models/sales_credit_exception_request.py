from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount
from odoo.tools.mail import plaintext2html

from .mail_activity import approval_activities

REQUEST_STATES = [
    ("pending", "Waiting for Approval"),
    ("approved", "Approved"),
    ("refused", "Refused"),
    ("cancelled", "Withdrawn"),
]


class SalesCreditExceptionRequest(models.Model):
    """A rep's request for a credit exception on a quotation the credit check refuses.

    It asks the Credit Controllers of the order's company (an activity each, on the
    order) and is decided by one of them: approving records the exception itself
    (``sales.credit.exception._approve``), refusing sends it back to the rep with the
    reason. Nobody writes a request directly (no access right): its own methods record
    it, its decision and its withdrawal, as superuser once the caller is checked.
    """

    _name = "sales.credit.exception.request"
    _description = "Credit Exception Request"
    _order = "request_date desc, id desc"
    _rec_name = "order_id"
    _check_company_auto = True

    order_id = fields.Many2one(
        "sale.order", "Quotation", required=True, readonly=True, ondelete="cascade", index=True, check_company=True
    )
    partner_id = fields.Many2one("res.partner", "Customer", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one("res.currency", "Order Currency", required=True, readonly=True)
    order_amount = fields.Monetary(
        "Requested Amount",
        readonly=True,
        currency_field="currency_id",
        help="The order's credit amount when requested.",
    )
    credit_check_message = fields.Text("Credit Check", readonly=True, help="What the credit check said when requested.")
    note = fields.Text("Justification", required=True, readonly=True)
    requested_by_id = fields.Many2one("res.users", "Requested By", required=True, readonly=True, index=True)
    request_date = fields.Datetime("Requested On", required=True, readonly=True)
    state = fields.Selection(REQUEST_STATES, required=True, readonly=True, default="pending", index=True)
    decided_by_id = fields.Many2one("res.users", "Decided By", readonly=True)
    decision_date = fields.Datetime("Decided On", readonly=True)
    decision_note = fields.Text("Decision", readonly=True)
    exception_id = fields.Many2one("sales.credit.exception", "Credit Exception", readonly=True)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _request(self, order, note):
        """The session user asks the Credit Controllers for an exception on ``order``.

        Only someone who may change the quotation asks (its rep, a manager); only a
        quotation the credit check refuses, and one request at a time.
        """
        order.ensure_one()
        note = (note or "").strip()
        if not note:
            raise UserError(self.env._("Tell the Credit Controller why this order should go beyond the credit."))
        # Record rules and access rights of the quotation: the rep's own, a manager's.
        order.check_access("write")
        user = self.env.user
        order = order.sudo()
        if order.state not in ("draft", "sent"):
            raise UserError(self.env._("A credit exception is requested for a quotation only."))
        if order.credit_exception_id.state == "approved":
            raise UserError(self.env._("The quotation %(order)s already has an approved exception.", order=order.name))
        message = order._get_credit_check_message()
        if not message:
            raise UserError(
                self.env._("The credit check accepts the quotation %(order)s: confirm it.", order=order.name)
            )
        if order._get_pending_credit_request():
            raise UserError(
                self.env._(
                    "A credit exception for %(order)s was already requested: a Credit Controller decides on it.",
                    order=order.name,
                )
            )
        controllers = self._get_controllers(order.company_id)
        if not controllers:
            raise UserError(
                self.env._(
                    "Nobody is a Credit Controller in %(company)s to approve the exception: ask your administrator.",
                    company=order.company_id.name,
                )
            )
        request = self.sudo().create(
            {
                "order_id": order.id,
                "partner_id": order.partner_id.commercial_partner_id.id,
                "company_id": order.company_id.id,
                "currency_id": order.currency_id.id,
                "order_amount": order._get_credit_amounts()[order.id]["order"],
                "credit_check_message": message,
                "note": note,
                "requested_by_id": user.id,
                "request_date": fields.Datetime.now(),
            }
        )
        order.message_post(
            author_id=user.partner_id.id,
            body=plaintext2html(
                self.env._("Credit exception requested by %(user)s: %(note)s", user=user.name, note=note)
            ),
        )
        request._schedule_controller_activities(controllers)
        return request

    @api.model
    def _get_controllers(self, company):
        """The Credit Controllers asked for ``company``'s exceptions. Extension point."""
        group = self.env.ref("sales_management.group_sales_management_credit")
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [("groups_id", "in", group.id), ("share", "=", False), ("company_ids", "in", company.id)], order="id"
            )
        )

    def _schedule_controller_activities(self, controllers):
        self.ensure_one()
        order = self.order_id.sudo()
        activity_type = self.env.ref("sales_management.mail_activity_type_credit_exception_request")
        with approval_activities():
            for controller in controllers:
                env = self.with_context(lang=controller.lang or self.env.lang).env
                order.activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=controller.id,
                    summary=env._("Approve a credit exception"),
                    note=plaintext2html(
                        env._(
                            "%(rep)s asks for a credit exception on %(order)s of %(customer)s (%(amount)s): "
                            "%(note)s\n\n%(check)s",
                            rep=self.requested_by_id.name,
                            order=order.name,
                            customer=self.partner_id.display_name,
                            amount=format_amount(env, self.order_amount, self.currency_id),
                            note=self.note,
                            check=self.credit_check_message or "",
                        )
                    ),
                )

    def _close_activities(self, feedback=None, unlink=False):
        """Mark the Credit Controllers' activities of these requests done (or drop them)."""
        activity_type = self.env.ref("sales_management.mail_activity_type_credit_exception_request")
        activities = self.order_id.sudo().activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        with approval_activities():
            if unlink:
                activities.unlink()
            elif activities:
                activities.action_feedback(feedback=feedback)

    def _mark_approved(self, exception):
        """The Credit Controller approved (``exception``): the requests are closed, the reps told."""
        requests = self.sudo().filtered(lambda r: r.state == "pending")
        if not requests:
            return
        requests.write(
            {
                "state": "approved",
                "exception_id": exception.id,
                "decided_by_id": self.env.uid,
                "decision_date": fields.Datetime.now(),
                "decision_note": exception.reason,
            }
        )
        requests._close_activities(feedback=exception.reason)
        for request in requests:
            request._tell_rep(
                lambda env, request=request: env._(
                    "Your credit exception request for %(order)s was approved by %(user)s for %(amount)s: "
                    "%(reason)s. Confirm the quotation now.",
                    order=request.order_id.name,
                    user=self.env.user.name,
                    amount=format_amount(env, exception.order_amount, exception.currency_id),
                    reason=exception.reason,
                )
            )

    def _refuse(self, reason):
        """The session user, a Credit Controller, refuses these pending requests with ``reason``."""
        user = self.env.user
        if not user.has_group("sales_management.group_sales_management_credit"):
            raise AccessError(self.env._("Only Credit Controllers may refuse credit exception requests."))
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for refusing the credit exception."))
        self.order_id.check_access("read")
        if self.company_id - self.env.companies:
            raise AccessError(self.env._("You may decide on credit exceptions only in your companies."))
        requests = self.sudo()
        if any(request.state != "pending" for request in requests):
            raise UserError(self.env._("This credit exception request was already decided or withdrawn."))
        requests.write(
            {
                "state": "refused",
                "decided_by_id": user.id,
                "decision_date": fields.Datetime.now(),
                "decision_note": reason,
            }
        )
        requests._close_activities(feedback=reason)
        for request in requests:
            order = request.order_id
            order.message_post(
                author_id=user.partner_id.id,
                body=plaintext2html(
                    self.env._("Credit exception refused by %(user)s: %(reason)s", user=user.name, reason=reason)
                ),
            )
            rep = request.requested_by_id
            env = request.with_context(lang=rep.lang or self.env.lang).env
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=rep.id,
                summary=env._("Credit exception refused"),
                note=plaintext2html(
                    env._(
                        "%(user)s refused the credit exception for %(order)s: %(reason)s",
                        user=user.name,
                        order=order.name,
                        reason=reason,
                    )
                ),
            )
            request._tell_rep(
                lambda env, request=request: env._(
                    "Your credit exception request for %(order)s was refused by %(user)s: %(reason)s",
                    order=request.order_id.name,
                    user=user.name,
                    reason=reason,
                )
            )

    def _cancel(self, reason):
        """Withdraw these pending requests (the quotation was confirmed, cancelled or withdrawn)."""
        requests = self.sudo().filtered(lambda r: r.state == "pending")
        if not requests:
            return
        requests.write(
            {
                "state": "cancelled",
                "decided_by_id": self.env.uid,
                "decision_date": fields.Datetime.now(),
                "decision_note": reason,
            }
        )
        requests._close_activities(unlink=True)
        for request in requests:
            request.order_id.message_post(
                body=self.env._("The credit exception request was withdrawn: %(reason)s", reason=reason)
            )

    def _tell_rep(self, render):
        """Notify the requesting rep of the decision, in his language (his inbox and e-mail)."""
        self.ensure_one()
        rep = self.requested_by_id
        env = self.with_context(lang=rep.lang or self.env.lang).env
        self.order_id.sudo().message_post(
            author_id=self.env.user.partner_id.id,
            body=plaintext2html(render(env)),
            partner_ids=rep.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )

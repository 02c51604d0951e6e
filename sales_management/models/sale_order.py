from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, format_amount

# Changes of these fields void an approved credit exception.
CREDIT_EXCEPTION_FIELDS = ["credit_exception_amount", "credit_exception_reason", "credit_exception_user_id"]
CREDIT_VOIDING_FIELDS = {"order_line", "partner_id", "partner_invoice_id", "currency_id", "pricelist_id", "company_id"}


class SaleOrder(models.Model):
    _inherit = "sale.order"

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
    credit_exception_amount = fields.Monetary(
        "Credit Exception Amount", readonly=True, copy=False, currency_field="currency_id"
    )
    credit_exception_reason = fields.Char(readonly=True, copy=False)
    credit_exception_user_id = fields.Many2one("res.users", "Credit Exception Approved By", readonly=True, copy=False)

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

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if any(f in vals for f in CREDIT_EXCEPTION_FIELDS):
                self._check_credit_exception_rights()
        orders = super().create(vals_list)
        # Orders created confirmed (imports, other modules) pass the same check.
        orders.filtered(lambda o: o.state == "sale")._check_credit()
        return orders

    def write(self, vals):
        if any(f in vals for f in CREDIT_EXCEPTION_FIELDS):
            self._check_credit_exception_rights()
        if vals.get("state") == "sale":
            # Every confirmation goes through here: action_confirm writes the state.
            self.filtered(lambda o: o.state in ("draft", "sent"))._check_credit()
        elif CREDIT_VOIDING_FIELDS & set(vals) and not any(f in vals for f in CREDIT_EXCEPTION_FIELDS):
            self._void_credit_exception()
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_credit_exception_wizard(self):
        self.ensure_one()
        self._check_credit_exception_rights()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Approve Credit Exception"),
            "res_model": "sales.credit.exception.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    # ------------------------------------------------------------
    # CREDIT CHECK
    # ------------------------------------------------------------

    def _check_credit_exception_rights(self):
        if not (self.env.su or self.env.user.has_group("sales_management.group_sales_management_credit")):
            raise AccessError(self.env._("Only Credit Controllers may approve credit exceptions."))

    def _void_credit_exception(self):
        approved = self.filtered("credit_exception_user_id")
        for order in approved:
            order.message_post(body=self.env._("The credit exception was voided: the order was changed."))
        if approved:
            super(SaleOrder, approved.sudo()).write(dict.fromkeys(CREDIT_EXCEPTION_FIELDS, False))

    def _has_valid_credit_exception(self):
        self.ensure_one()
        return bool(
            self.credit_exception_user_id
            and float_compare(
                self.credit_exception_amount, self.amount_total, precision_rounding=self.currency_id.rounding
            )
            == 0
        )

    def _get_credit_amount(self):
        """The order total in company currency, at the order's rate (as the exposure counts it)."""
        self.ensure_one()
        return self.company_id.currency_id.round(self.amount_total / (self.currency_rate or 1.0))

    def _get_credit_refusal(self, position, extra_amount):
        """Message refusing the confirmation, or False.

        ``position``: the customer's, from ``sales.credit.status._get_exposure``;
        ``extra_amount``: other orders of this batch for the same customer.
        """
        self.ensure_one()
        company = self.company_id
        customer = self.env["res.partner"].browse(position["commercial_partner_id"])
        if position["hold"]:
            status = self.env["sales.credit.status"].sudo().browse(position["status_id"])
            return self.env._(
                "Customer %(customer)s is on credit hold (%(reason)s). A Credit Controller can approve an exception.",
                customer=customer.display_name,
                reason=status.hold_reason or "",
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
        if position["limit_applied"]:
            order_amount = self._get_credit_amount()
            exposure = position["total"] + extra_amount
            limit = position["credit_limit"]
            if float_compare(exposure + order_amount, limit, precision_rounding=company.currency_id.rounding) > 0:
                return self.env._(
                    "Credit limit exceeded for %(customer)s: exposure %(exposure)s + this order %(order)s = "
                    "%(total)s, above the limit of %(limit)s. A Credit Controller can approve an exception.",
                    customer=customer.display_name,
                    exposure=format_amount(self.env, exposure, company.currency_id),
                    order=format_amount(self.env, order_amount, company.currency_id),
                    total=format_amount(self.env, exposure + order_amount, company.currency_id),
                    limit=format_amount(self.env, limit, company.currency_id),
                )
        return False

    def _get_credit_check_message(self):
        """What the credit check would say now for this quotation ('' when it passes)."""
        self.ensure_one()
        if not self.partner_id:
            return ""
        positions = self.env["sales.credit.status"].sudo()._get_exposure(self.partner_id.ids, self.company_id)
        return self._get_credit_refusal(positions[self.partner_id.id], 0.0) or ""

    def _check_credit(self):
        """Refuse confirming orders beyond the customer's credit (limit, hold, overdue debt).

        Runs on every confirmation: one query when it passes, whatever the number of
        the customer's invoices or orders. The customers' rows are locked first, which
        serialises confirmations of one customer: a concurrent one fails at once (lock
        not available), one whose snapshot predates our commit fails with a
        serialisation error (the lock updates the row). Odoo retries both, and the
        retry sees this order confirmed.
        """
        if not self or self.env.context.get("skip_credit_check"):
            return
        Status = self.env["sales.credit.status"].sudo()
        for company, orders in self.grouped("company_id").items():
            positions = Status._get_exposure(orders.partner_id.ids, company, lock=True)
            # Customers confirmed for the first time get their status (the credit overview lists them).
            new_customers = {p["commercial_partner_id"] for p in positions.values() if not p["status_id"]}
            if new_customers:
                Status._get_status(self.env["res.partner"].browse(new_customers), company, create=True)
            pending = defaultdict(float)
            for order in orders:
                position = positions[order.partner_id.id]
                customer_id = position["commercial_partner_id"]
                if order._has_valid_credit_exception():
                    order.message_post(
                        body=self.env._(
                            "Confirmed under the credit exception approved by %(user)s: %(reason)s",
                            user=order.credit_exception_user_id.name,
                            reason=order.credit_exception_reason,
                        )
                    )
                else:
                    refusal = order._get_credit_refusal(position, pending[customer_id])
                    if refusal:
                        raise UserError(refusal)
                pending[customer_id] += order._get_credit_amount()

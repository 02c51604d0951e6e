import datetime
from zoneinfo import ZoneInfo

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import complaint_deadline
from .sales_credit_grade import CREDIT_CHECK_REACTIONS

NEW_CUSTOMER_BASES = [("order", "First Confirmed Order"), ("invoice", "First Posted Invoice")]

# Longest periods the settings accept: beyond them the date arithmetic of the
# capabilities leaves the calendar, and no business rule needs more.
MAX_FOLLOWUP_DAYS = 365
MAX_PERIOD_DAYS = 3660


class ResCompany(models.Model):
    _name = "res.company"
    _inherit = ["res.company", "sales.management.input.mixin"]

    # -- Plans & Quotas --
    quota_reminder_threshold = fields.Float(
        "Quota Reminder Threshold (%)",
        default=80.0,
        help="At month close, salespeople whose achievement is below this percentage get a reminder activity.",
    )
    quota_new_product_months = fields.Integer(
        "New Product Period (Months)",
        default=12,
        help="A product counts in a plan's new-product sales when it was launched within this many months "
        "before the plan year or during it, or when it is flagged New Product.",
    )
    # -- Performance --------------------------------------------------------
    sales_new_customer_basis = fields.Selection(
        NEW_CUSTOMER_BASES,
        string="New Customer Won On",
        default="order",
        required=True,
        help="A customer counts as won (新客户开发) in the month of his first confirmed order or of his "
        "first posted invoice, for the salesperson of that document.",
    )
    sales_new_customer_target = fields.Integer(
        string="New Customers per Month",
        default=5,
        help="Target of new customers won per salesperson and month, unless his quota line sets one.",
    )
    # -- Complaints --------------------------------------------------------
    complaint_deadline_mode = fields.Selection(
        complaint_deadline.DEADLINE_MODES,
        string="Complaint Deadlines In",
        default="calendar",
        required=True,
        help="Count complaint reply and on-site days in calendar days, or in working days of the "
        "company's working schedule (weekends and public holidays skipped).",
    )
    complaint_repeat_days = fields.Integer(
        string="Repeat Complaint Period (Days)",
        default=90,
        help="A complaint of the same customer about the same product within this many days is a repeat.",
    )
    complaint_satisfaction_target_start = fields.Float(
        string="Satisfaction Target in January (%)",
        default=85.0,
        help="Share of satisfied customers (score 4 or 5) aimed at in January; the target rises month by "
        "month to December's.",
    )
    complaint_satisfaction_target_end = fields.Float(string="Satisfaction Target in December (%)", default=90.0)
    # -- Visits --------------------------------------------------------------
    visit_rejection_followup_days = fields.Integer(
        string="Second Follow-up After a Rejection (Days)",
        default=30,
        help="A prospect who rejected us is visited again this many days later (on the next working day), "
        "unless the rep gives another date or a manager closes him as lost.",
    )
    visit_after_delivery_days = fields.Integer(
        string="After-Delivery Visit (Days After Delivery)",
        default=7,
        help="Days after an order is delivered or invoiced before the visit that hears how the product is used.",
    )
    visit_after_delivery_partner_ids = fields.Many2many(
        "res.partner",
        "res_company_visit_after_delivery_partner_rel",
        "company_id",
        "partner_id",
        string="After-Delivery Visits for Customers",
        help="Orders of these customers propose an after-delivery visit.",
    )
    visit_after_delivery_categ_ids = fields.Many2many(
        "product.category",
        "res_company_visit_after_delivery_categ_rel",
        "company_id",
        "categ_id",
        string="After-Delivery Visits for Product Categories",
        help="Orders with a product of these categories (or their subcategories) propose an after-delivery visit.",
    )
    # -- Customer credit --
    credit_overdue_tolerance_days = fields.Integer(
        "Overdue Tolerance (days)",
        default=30,
        help="Orders are refused, and the nightly job puts the customer on hold, when debt is "
        "overdue longer than this.",
    )
    credit_check_reaction = fields.Selection(
        CREDIT_CHECK_REACTIONS,
        "Credit Check Without Grade",
        required=True,
        default="block",
        help="What the credit check does with an order beyond the credit of a customer without a credit "
        "grade (a grade sets its own).",
    )
    credit_dso_days = fields.Integer("DSO Window (days)", default=90)
    credit_notes_account_ids = fields.Many2many(
        "account.account",
        "res_company_credit_notes_account_rel",
        "company_id",
        "account_id",
        "Notes Receivable Accounts",
        help="Receivable accounts holding customers' notes receivable (应收票据); their open "
        "balance counts in the exposure and the DSO.",
    )
    # -- Documents --
    is_amount_in_words_on_documents = fields.Boolean(
        "Amount in Words on Quotations and Invoices",
        help="Print the total in words on Odoo's quotation, order and invoice PDFs: in capital "
        "figures (人民币大写) for customers who read simplified Chinese, in words otherwise.",
    )

    # -- Price discipline ---------------------------------------------------
    price_exception_leader_gap = fields.Float(
        "Special Discounts a Team Leader Approves (points)",
        help="A special discount whose worst line is at most this many percentage points below its "
        "price floor may be approved by a sales manager of all documents (team leader, area "
        "manager); larger gaps, or all of them when 0, by a Sales Administrator.",
    )
    price_exception_approver_id = fields.Many2one(
        "res.users",
        "Special Discount Approver",
        help="Who gets the activity of special-discount requests beyond the team leaders' gap (the "
        "deputy director); a Sales Administrator of the company when empty.",
    )

    # -- Constraints -------------------------------------------------------
    @api.model
    def _get_input_ranges(self):
        percent = (0.0, 100.0)
        return {
            **super()._get_input_ranges(),
            "quota_reminder_threshold": percent,
            "complaint_repeat_days": (0, MAX_PERIOD_DAYS),
            "complaint_satisfaction_target_start": percent,
            "complaint_satisfaction_target_end": percent,
            "visit_rejection_followup_days": (1, MAX_FOLLOWUP_DAYS),
            "visit_after_delivery_days": (0, MAX_FOLLOWUP_DAYS),
            "credit_overdue_tolerance_days": (0, MAX_PERIOD_DAYS),
            "credit_dso_days": (1, MAX_PERIOD_DAYS),
            "price_exception_leader_gap": percent,
        }

    # -- Working days (shared by plans, visits, complaints, reports) --
    def _get_sales_working_days(self, date_from, date_to):
        """The company's working days from ``date_from`` to ``date_to`` (both included), sorted.

        The one definition of a working day in the addon (plan split, visit proposals
        and follow-ups, complaint deadlines, daily report, scorecard): a day with work
        in the company's working schedule (``resource_calendar_id``), minus its public
        holidays (time off of kind "leave" of the calendar or of every calendar, of this
        company or of none). A company without a schedule works Monday to Friday.
        """
        self.ensure_one()
        if date_to < date_from:
            return []
        calendar = self.resource_calendar_id
        if not calendar:
            return [
                date_from + datetime.timedelta(days=n)
                for n in range((date_to - date_from).days + 1)
                if (date_from + datetime.timedelta(days=n)).weekday() < 5
            ]
        tz = ZoneInfo(calendar.tz or "UTC")
        start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(date_to, datetime.time.max, tzinfo=tz)
        intervals = calendar.sudo()._work_intervals_batch(
            start, end, domain=[("time_type", "=", "leave"), ("company_id", "in", (self.id, False))]
        )
        return sorted({interval[0].date() for interval in intervals[False]})

    def _get_sales_off_days(self, date_from, date_to):
        """The days from ``date_from`` to ``date_to`` that are not working days (see _get_sales_working_days)."""
        self.ensure_one()
        working = set(self._get_sales_working_days(date_from, date_to))
        return frozenset(
            day
            for day in (date_from + datetime.timedelta(days=n) for n in range((date_to - date_from).days + 1))
            if day not in working
        )

    @api.constrains("quota_reminder_threshold")
    def _check_quota_reminder_threshold(self):
        self._check_input_range(["quota_reminder_threshold"])

    @api.constrains("complaint_repeat_days", "complaint_satisfaction_target_start", "complaint_satisfaction_target_end")
    def _check_complaint_settings(self):
        self._check_input_range(
            ["complaint_repeat_days", "complaint_satisfaction_target_start", "complaint_satisfaction_target_end"]
        )
        for company in self:
            if company.complaint_satisfaction_target_end < company.complaint_satisfaction_target_start:
                raise ValidationError(
                    self.env._(
                        "The satisfaction target rises over the year: December's (%(end)s%%) cannot be below "
                        "January's (%(start)s%%).",
                        end=company.complaint_satisfaction_target_end,
                        start=company.complaint_satisfaction_target_start,
                    )
                )

    @api.constrains("quota_new_product_months")
    def _check_quota_settings(self):
        for company in self:
            if company.quota_new_product_months < 0:
                raise ValidationError(
                    self.env._(
                        "The new product period is %(months)s months: it must be zero or more.",
                        months=company.quota_new_product_months,
                    )
                )

    @api.constrains("sales_new_customer_target")
    def _check_sales_new_customer_target(self):
        for company in self:
            if company.sales_new_customer_target < 0:
                raise ValidationError(
                    self.env._(
                        "New Customers per Month must be zero or more, not %(target)s.",
                        target=company.sales_new_customer_target,
                    )
                )

    @api.constrains("visit_rejection_followup_days", "visit_after_delivery_days")
    def _check_visit_settings(self):
        self._check_input_range(["visit_rejection_followup_days", "visit_after_delivery_days"])

    @api.constrains("price_exception_leader_gap")
    def _check_price_exception_leader_gap(self):
        self._check_input_range(["price_exception_leader_gap"])

    @api.constrains("credit_overdue_tolerance_days", "credit_dso_days", "credit_notes_account_ids")
    def _check_credit_settings(self):
        self._check_input_range(["credit_overdue_tolerance_days", "credit_dso_days"])
        for company in self:
            wrong = company.credit_notes_account_ids.filtered(lambda a: a.account_type != "asset_receivable")
            if wrong:
                raise ValidationError(
                    self.env._(
                        "Notes receivable accounts must be of type Receivable: %(accounts)s is not.",
                        accounts=", ".join(wrong.mapped("display_name")),
                    )
                )

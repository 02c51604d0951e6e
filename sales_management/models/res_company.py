from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import complaint_deadline

NEW_CUSTOMER_BASES = [("order", "First Confirmed Order"), ("invoice", "First Posted Invoice")]


class ResCompany(models.Model):
    _inherit = "res.company"

    # -- Plans & Quotas --
    quota_reminder_threshold = fields.Float(
        "Quota Reminder Threshold (%)",
        default=80.0,
        help="At month close, salespeople whose achievement is below this percentage get a reminder activity.",
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
    # -- Customer credit --
    credit_overdue_tolerance_days = fields.Integer(
        "Overdue Tolerance (days)",
        default=30,
        help="Orders are refused, and the nightly job puts the customer on hold, when debt is "
        "overdue longer than this.",
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

    @api.constrains("credit_overdue_tolerance_days", "credit_dso_days", "credit_notes_account_ids")
    def _check_credit_settings(self):
        for company in self:
            if company.credit_overdue_tolerance_days < 0:
                raise ValidationError(self.env._("The overdue tolerance cannot be negative."))
            if company.credit_dso_days < 1:
                raise ValidationError(self.env._("The DSO window must be at least one day."))
            wrong = company.credit_notes_account_ids.filtered(lambda a: a.account_type != "asset_receivable")
            if wrong:
                raise ValidationError(
                    self.env._(
                        "Notes receivable accounts must be of type Receivable: %(accounts)s is not.",
                        accounts=", ".join(wrong.mapped("display_name")),
                    )
                )

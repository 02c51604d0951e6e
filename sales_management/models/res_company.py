from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import complaint_deadline


class ResCompany(models.Model):
    _inherit = "res.company"

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

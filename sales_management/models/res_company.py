from odoo import fields, models

from ..tools import complaint_deadline


class ResCompany(models.Model):
    _inherit = "res.company"

    # -- Plans & Quotas --
    quota_reminder_threshold = fields.Float(
        "Quota Reminder Threshold (%)",
        default=80.0,
        help="At month close, salespeople whose achievement is below this percentage get a reminder activity.",
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

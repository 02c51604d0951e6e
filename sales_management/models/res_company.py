from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # -- Plans & Quotas --
    quota_reminder_threshold = fields.Float(
        "Quota Reminder Threshold (%)",
        default=80.0,
        help="At month close, salespeople whose achievement is below this percentage get a reminder activity.",
    )

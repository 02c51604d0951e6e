from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _name = "res.config.settings"
    # The settings' own values are checked before they reach the company.
    _inherit = ["res.config.settings", "sales.management.input.mixin"]

    # Same definition as hr's, so both modules can be installed together.
    # Visit proposals, the quota day split and complaint deadlines count
    # working days on this calendar and its public holidays.
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        "Company Working Hours",
        related="company_id.resource_calendar_id",
        readonly=False,
    )

    # -- Plans & Quotas --
    quota_reminder_threshold = fields.Float(related="company_id.quota_reminder_threshold", readonly=False)
    quota_new_product_months = fields.Integer(related="company_id.quota_new_product_months", readonly=False)
    # -- Performance --------------------------------------------------------
    sales_new_customer_basis = fields.Selection(related="company_id.sales_new_customer_basis", readonly=False)
    sales_new_customer_target = fields.Integer(related="company_id.sales_new_customer_target", readonly=False)
    # -- Complaints --------------------------------------------------------
    complaint_deadline_mode = fields.Selection(related="company_id.complaint_deadline_mode", readonly=False)
    complaint_repeat_days = fields.Integer(related="company_id.complaint_repeat_days", readonly=False)
    complaint_satisfaction_target_start = fields.Float(
        related="company_id.complaint_satisfaction_target_start", readonly=False
    )
    complaint_satisfaction_target_end = fields.Float(
        related="company_id.complaint_satisfaction_target_end", readonly=False
    )
    # -- Visits --
    visit_rejection_followup_days = fields.Integer(related="company_id.visit_rejection_followup_days", readonly=False)
    visit_after_delivery_days = fields.Integer(related="company_id.visit_after_delivery_days", readonly=False)
    visit_after_delivery_partner_ids = fields.Many2many(
        related="company_id.visit_after_delivery_partner_ids", readonly=False
    )
    visit_after_delivery_categ_ids = fields.Many2many(
        related="company_id.visit_after_delivery_categ_ids", readonly=False
    )
    # -- Customer credit --
    credit_overdue_tolerance_days = fields.Integer(
        related="company_id.credit_overdue_tolerance_days",
        readonly=False,
    )
    credit_check_reaction = fields.Selection(related="company_id.credit_check_reaction", readonly=False)
    credit_dso_days = fields.Integer(related="company_id.credit_dso_days", readonly=False)
    credit_notes_account_ids = fields.Many2many(
        related="company_id.credit_notes_account_ids",
        readonly=False,
    )
    # -- Price discipline --
    price_exception_leader_gap = fields.Float(related="company_id.price_exception_leader_gap", readonly=False)
    price_exception_approver_id = fields.Many2one(related="company_id.price_exception_approver_id", readonly=False)
    # -- Documents --
    is_amount_in_words_on_documents = fields.Boolean(
        related="company_id.is_amount_in_words_on_documents",
        readonly=False,
    )

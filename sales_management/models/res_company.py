from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

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

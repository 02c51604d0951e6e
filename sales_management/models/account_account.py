from odoo import models


class AccountAccount(models.Model):
    _inherit = "account.account"

    def write(self, vals):
        result = super().write(vals)
        # Customers' open balances count receivable-type accounts only.
        if "account_type" in vals:
            self.env["sales.credit.balance"].sudo()._rebuild(account_ids=self.ids)
        return result

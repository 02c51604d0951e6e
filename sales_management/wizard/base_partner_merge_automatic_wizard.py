from odoo import models
from odoo.exceptions import AccessError


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        # Merging moves the orders and invoices of the merged partners onto the one
        # kept and deletes the others with their credit status: with a watched
        # customer among them, that is changing who owes what, a Credit Controller's call.
        partners = self.env["res.partner"].browse(partner_ids).exists()
        if not self.env["sales.credit.status"]._has_credit_rights():
            watched = partners.sudo().commercial_partner_id._get_credit_watched()
            if watched:
                raise AccessError(
                    self.env._(
                        "Only a Credit Controller may merge contacts of %(customers)s, whose credit is watched "
                        "(credit limit, grade, hold or open exposure).",
                        customers=", ".join(watched.mapped("display_name")),
                    )
                )
        return super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # -- Complaints --------------------------------------------------------
    complaint_count = fields.Integer(
        compute="_compute_complaint_count", groups="sales_management.group_sales_management_user"
    )

    def _compute_complaint_count(self):
        commercial = self.commercial_partner_id
        counts = dict(
            self.env["sales.complaint"]._read_group([("partner_id", "in", commercial.ids)], ["partner_id"], ["__count"])
        )
        for partner in self:
            partner.complaint_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_complaints(self):
        self.ensure_one()
        return self.env["sales.complaint"]._get_records_action_for(
            [("partner_id", "=", self.commercial_partner_id.id)],
            {"default_partner_id": self.commercial_partner_id.id, "default_contact_id": self.id},
        )

    def action_new_complaint(self):
        self.ensure_one()
        return self.env["sales.complaint"]._get_new_action_for(
            {"default_partner_id": self.commercial_partner_id.id, "default_contact_id": self.id}
        )

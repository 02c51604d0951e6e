from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # -- Complaints --------------------------------------------------------
    complaint_ids = fields.One2many(
        "sales.complaint", "sale_order_id", groups="sales_management.group_sales_management_user"
    )
    complaint_count = fields.Integer(
        compute="_compute_complaint_count", groups="sales_management.group_sales_management_user"
    )

    def _compute_complaint_count(self):
        counts = dict(
            self.env["sales.complaint"]._read_group([("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"])
        )
        for order in self:
            order.complaint_count = counts.get(order, 0)

    def _get_complaint_defaults(self):
        self.ensure_one()
        return {
            "default_partner_id": self.partner_id.commercial_partner_id.id,
            "default_contact_id": self.partner_id.id,
            "default_sale_order_id": self.id,
            "default_team_id": self.team_id.id,
            "default_company_id": self.company_id.id,
        }

    def action_view_complaints(self):
        self.ensure_one()
        return self.env["sales.complaint"]._get_records_action_for(
            [("sale_order_id", "=", self.id)], self._get_complaint_defaults()
        )

    def action_new_complaint(self):
        self.ensure_one()
        return self.env["sales.complaint"]._get_new_action_for(self._get_complaint_defaults())

    # -- Visits ----------------------------------------------------------------
    visit_id = fields.Many2one(
        "sales.visit",
        string="Visit",
        index="btree_not_null",
        copy=False,
        check_company=True,
        help="Customer visit during which this quotation was made.",
    )

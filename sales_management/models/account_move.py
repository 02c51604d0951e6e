from odoo import api, fields, models

from .sales_credit_status import check_credit_inputs, drop_credit_input_defaults


class AccountMove(models.Model):
    _inherit = "account.move"

    # -- Complaints --------------------------------------------------------
    complaint_count = fields.Integer(
        compute="_compute_complaint_count",
        groups="sales_team.group_sale_salesman,sales_management.group_sales_management_after_sales",
    )

    def _compute_amount(self):
        res = super()._compute_amount()
        # The complaints' credit note amounts follow their credit note (its total and state:
        # _compute_amount depends on both). A dependency of sales.complaint on
        # credit_note_id.amount_total_signed would instead search the complaints at every
        # posting, payment and reconciliation of the company; only credit notes look here.
        refunds = self.filtered(lambda move: move.move_type == "out_refund" and isinstance(move.id, int))
        if refunds:
            complaints = (
                self.env["sales.complaint"]
                .sudo()
                .with_context(active_test=False)
                .search([("credit_note_id", "in", refunds.ids)])
            )
            complaints.modified(["credit_note_id"])
        return res

    # -- Customer credit: the exposure reads these amounts (CREDIT_INPUT_FIELDS) --
    @api.model
    def default_get(self, fields_list):
        return drop_credit_input_defaults(self, super().default_get(fields_list))

    @api.model_create_multi
    def create(self, vals_list):
        check_credit_inputs(self.browse(), vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_credit_inputs(self, [vals])
        return super().write(vals)

    def _get_complaint_domain(self):
        return ["|", ("invoice_id", "in", self.ids), ("credit_note_id", "in", self.ids)]

    def _compute_complaint_count(self):
        complaints = self.env["sales.complaint"].search_fetch(
            self._get_complaint_domain(), ["invoice_id", "credit_note_id"]
        )
        for move in self:
            move.complaint_count = len(complaints.filtered(lambda c, m=move: m in (c.invoice_id | c.credit_note_id)))

    def _get_complaint_defaults(self):
        self.ensure_one()
        return {
            "default_partner_id": self.commercial_partner_id.id,
            "default_contact_id": self.partner_id.id,
            "default_invoice_id": self.id if self.move_type == "out_invoice" else False,
            "default_company_id": self.company_id.id,
        }

    def action_view_complaints(self):
        self.ensure_one()
        return self.env["sales.complaint"]._get_records_action_for(
            self._get_complaint_domain(), self._get_complaint_defaults()
        )

    def action_new_complaint(self):
        self.ensure_one()
        return self.env["sales.complaint"]._get_new_action_for(self._get_complaint_defaults())

    # -- Plans & Quotas ----------------------------------------------------
    def _post(self, soft=True):
        # Before posting: the lines are still editable and the cost is the one of the posting day.
        # line_ids, which posting reads anyway (invoice_line_ids would be one more query).
        self.filtered(lambda move: move.move_type in ("out_invoice", "out_refund")).line_ids.filtered(
            lambda line: line.display_type == "product"
        )._capture_quota_cost()
        return super()._post(soft=soft)

from odoo import api, fields, models
from odoo.exceptions import UserError


class SalesCreditStatementWizard(models.TransientModel):
    """Print or e-mail customers' statements of account for a period of payments."""

    _name = "sales.credit.statement.wizard"
    _inherit = ["sales.management.input.mixin"]
    _description = "Statement of Account"

    def _default_date_from(self):
        return fields.Date.subtract(fields.Date.context_today(self).replace(day=1), months=1)

    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        required=True,
        domain=[("is_company", "=", True)],
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date_from = fields.Date("Payments From", required=True, default=_default_date_from)
    date_to = fields.Date("Payments To", required=True, default=fields.Date.context_today)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        active_ids = self.env.context.get("active_ids") or []
        active_model = self.env.context.get("active_model")
        if active_model == "res.partner" and active_ids:
            values["partner_ids"] = [
                fields.Command.set(self.env["res.partner"].browse(active_ids).commercial_partner_id.ids)
            ]
        elif active_model == "sales.credit.status" and active_ids:
            statuses = self.env["sales.credit.status"].browse(active_ids)
            values["partner_ids"] = [fields.Command.set(statuses.partner_id.ids)]
            if len(statuses.company_id) == 1:
                values["company_id"] = statuses.company_id.id
        return values

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_print(self):
        self.ensure_one()
        self._check_statement()
        return self.env.ref("sales_management.action_report_partner_statement").report_action(
            self.partner_ids, data=self._prepare_report_data()
        )

    def action_send(self):
        """Open the e-mail composer with the statement template, the PDF of this period attached."""
        self.ensure_one()
        self._check_statement()
        template = self.env.ref("sales_management.mail_template_partner_statement")
        data = self._prepare_report_data()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send Statement"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": "res.partner",
                "default_res_ids": self.partner_ids.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment" if len(self.partner_ids) == 1 else "mass_mail",
                "default_email_layout_xmlid": "mail.mail_notification_light",
                # The attachment is rendered by the composer: it reads the period from here.
                "statement_date_from": data["date_from"],
                "statement_date_to": data["date_to"],
                "statement_company_id": data["company_id"],
            },
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _check_statement(self):
        if self.date_from > self.date_to:
            raise UserError(
                self.env._(
                    "The statement period starts on %(start)s, after its end %(end)s: choose a start before the end.",
                    start=self.date_from,
                    end=self.date_to,
                )
            )
        # Refuse now rather than when the report renders.
        self.env["report.sales_management.report_partner_statement"]._check_statement_access(
            self.partner_ids.commercial_partner_id, self.company_id
        )

    def _prepare_report_data(self):
        return {
            "date_from": fields.Date.to_string(self.date_from),
            "date_to": fields.Date.to_string(self.date_to),
            "company_id": self.company_id.id,
        }

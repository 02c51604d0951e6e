from odoo import api, models


class ReportCreditStatusStatement(models.AbstractModel):
    """The statement of account printed from the credit overview: one per status,
    its customer in its company (values of ``report_partner_statement``)."""

    _name = "report.sales_management.report_credit_status_statement"
    _description = "Statement of Account from the Credit Overview"

    @api.model
    def _get_report_values(self, docids, data=None):
        statuses = self.env["sales.credit.status"].browse(docids)
        # The status's own rules (its company) first; the statement's own check follows.
        statuses.check_access("read")
        return self.env["report.sales_management.report_partner_statement"]._get_statement_report_values(
            [(status.partner_id.commercial_partner_id, status.company_id) for status in statuses], data or {}
        )

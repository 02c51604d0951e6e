from odoo import api, models


class ReportVisitDaily(models.AbstractModel):
    """The daily sales report (营业日报) printed from its rows: one per rep and day."""

    _name = "report.sales_management.report_visit_daily"
    _description = "Daily Sales Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        rows = self.env["sales.visit.daily.report"].browse(docids)
        rows.check_access("read")
        return self.env["report.sales_management.report_visit_day"]._get_day_report_values(
            [(row.user_id, row.date, row.company_id) for row in rows]
        )

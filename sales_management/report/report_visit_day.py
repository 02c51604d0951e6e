from odoo import api, models


class ReportVisitDay(models.AbstractModel):
    """Visit report and daily sales report (拜访记录 · 营业日报) of a rep and a day: the
    day's figures of the daily report against the week's plan, then each visit.

    Printed from visits (one report per rep and day among them); the daily report's
    own print (``report_visit_daily``) uses the same values.
    """

    _name = "report.sales_management.report_visit_day"
    _description = "Visit Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        visits = self.env["sales.visit"].browse(docids)
        visits.check_access("read")
        keys = [(visit.user_id, visit.date, visit.company_id) for visit in visits]
        return self._get_day_report_values(keys)

    @api.model
    def _get_day_report_values(self, keys):
        """Report values of the (rep, day, company) ``keys``, in their order, read with the
        user's own rights (a rep sees his own days, a manager every rep's); two searches."""
        keys = list(dict.fromkeys(keys))
        users = self.env["res.users"].union(*(user for user, _day, _company in keys))
        companies = self.env["res.company"].union(*(company for _user, _day, company in keys))
        days = sorted({day for _user, day, _company in keys})
        domain = [("user_id", "in", users.ids), ("date", "in", days), ("company_id", "in", companies.ids)]
        rows = {
            (row.user_id, row.date, row.company_id): row for row in self.env["sales.visit.daily.report"].search(domain)
        }
        visits_by_key = {}
        for visit in self.env["sales.visit"].search(domain, order="date, check_in, id"):
            key = (visit.user_id, visit.date, visit.company_id)
            visits_by_key[key] = visits_by_key.get(key, self.env["sales.visit"]) | visit
        reports = [
            {
                "user": user,
                "date": day,
                "company": company,
                "row": rows.get((user, day, company), self.env["sales.visit.daily.report"]),
                "visits": visits_by_key.get((user, day, company), self.env["sales.visit"]),
            }
            for user, day, company in keys
        ]
        return {
            "doc_ids": [visit.id for report in reports for visit in report["visits"]],
            "doc_model": "sales.visit",
            "docs": self.env["sales.visit"].union(*(report["visits"] for report in reports)),
            "reports": reports,
        }

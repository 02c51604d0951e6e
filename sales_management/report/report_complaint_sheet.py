from odoo import api, fields, models

from ..tools import complaint_deadline


class ReportComplaintSheet(models.AbstractModel):
    """Complaint handling sheet (客户投诉处理单): the complaint, its deadlines, what was
    found and done, the credit note and the customer's satisfaction, for signature."""

    _name = "report.sales_management.report_complaint_sheet"
    _description = "Complaint Handling Sheet"

    @api.model
    def _get_report_values(self, docids, data=None):
        complaints = self.env["sales.complaint"].browse(docids)
        # Whoever may read the complaint may print it (its record rules: own customers
        # for salespeople, all for managers and after-sales); the sheet then shows the
        # linked order, invoice and credit note even where their own rules would not.
        complaints.check_access("read")
        complaints = complaints.sudo()
        return {
            "doc_ids": complaints.ids,
            "doc_model": "sales.complaint",
            "docs": complaints,
            "deadlines": {complaint.id: self._get_deadlines(complaint) for complaint in complaints},
        }

    @api.model
    def _get_deadlines(self, complaint):
        """``[{label, deadline, done_on, status}]`` of the complaint's deadlines, status one of
        met, missed, overdue, pending (the complaint's own rule: done on or before the day)."""
        today = fields.Date.context_today(self)
        deadlines = [(self.env._("Reply"), complaint.reply_deadline, complaint._get_acknowledged_date())]
        if complaint.onsite_deadline:
            deadlines.append((self.env._("On site"), complaint.onsite_deadline, complaint.date_onsite))
        result = []
        for label, deadline, done_on in deadlines:
            met = complaint_deadline.is_met(deadline, done_on)
            if met is None:
                status = "overdue" if complaint_deadline.is_overdue(deadline, done_on, today) else "pending"
            else:
                status = "met" if met else "missed"
            result.append({"label": label, "deadline": deadline, "done_on": done_on, "status": status})
        return result

import base64
import io
from datetime import timedelta

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import LazyTranslate

from ..tools import complaint_deadline

_lt = LazyTranslate(__name__)

# (sheet title, groupby spec): one sheet per view of the statistics.
STATISTICS_SHEETS = [
    (_lt("By Category"), "category_id"),
    (_lt("By Product"), "product_id"),
    (_lt("By Customer"), "partner_id"),
    (_lt("By Salesperson"), "salesperson_id"),
    (_lt("By Area"), "area_id"),
    (_lt("By Month"), "date_received:month"),
]


class SalesComplaintStatistics(models.TransientModel):
    _name = "sales.complaint.statistics"
    _inherit = ["sales.management.input.mixin"]
    _description = "Complaint Statistics Export"

    date_from = fields.Date(required=True, default=lambda self: fields.Date.context_today(self).replace(month=1, day=1))
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from and wizard.date_to and wizard.date_to < wizard.date_from:
                raise ValidationError(
                    self.env._(
                        "The period of the complaint statistics ends (%(end)s) before it starts (%(start)s): "
                        "choose a start not after the end.",
                        end=wizard.date_to,
                        start=wizard.date_from,
                    )
                )

    def _get_domain(self):
        self.ensure_one()
        return [
            ("company_id", "=", self.company_id.id),
            ("date_received", ">=", fields.Datetime.to_datetime(self.date_from)),
            ("date_received", "<", fields.Datetime.to_datetime(self.date_to) + timedelta(days=1)),
        ]

    @api.model
    def _format_key(self, key):
        if isinstance(key, models.BaseModel):
            return key.display_name or self.env._("Undefined")
        if hasattr(key, "strftime"):
            return key.strftime("%Y-%m")
        return str(key) if key else self.env._("Undefined")

    def _get_rows(self, groupby):
        """[(label, count, on-time rate, repeats, credit notes, compensation, cost)] for one grouping."""
        Complaint = self.env["sales.complaint"]
        domain = self._get_domain()
        totals = Complaint._read_group(
            domain,
            [groupby],
            ["__count", "credit_note_amount:sum", "compensation_amount:sum", "cost_amount:sum"],
            order=f"{groupby} asc",
        )
        statuses = {
            (key, status): count
            for key, status, count in Complaint._read_group(domain, [groupby, "deadline_status"], ["__count"])
        }
        repeats = dict(Complaint._read_group([*domain, ("is_repeat", "=", True)], [groupby], ["__count"]))
        rows = []
        for key, count, credit, compensation, cost in totals:
            met = statuses.get((key, "met"), 0)
            decided = met + statuses.get((key, "missed"), 0)
            rows.append(
                (
                    self._format_key(key),
                    count,
                    complaint_deadline.on_time_rate(met, decided) / 100.0,
                    repeats.get(key, 0),
                    credit,
                    compensation,
                    cost,
                )
            )
        return rows

    def _build_workbook(self):
        self.ensure_one()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        money = workbook.add_format({"num_format": "#,##0.00"})
        money_bold = workbook.add_format({"num_format": "#,##0.00", "bold": True, "top": 1})
        percent = workbook.add_format({"num_format": "0.0%"})
        total_bold = workbook.add_format({"bold": True, "top": 1})
        headers = [
            self.env._("Group"),
            self.env._("Complaints"),
            self.env._("On-time Rate"),
            self.env._("Repeats"),
            self.env._("Credit Notes"),
            self.env._("Compensation"),
            self.env._("Cost"),
        ]
        for title, groupby in STATISTICS_SHEETS:
            sheet = workbook.add_worksheet(str(title)[:31])
            sheet.write_row(0, 0, headers, bold)
            sheet.freeze_panes(1, 1)
            sheet.set_column(0, 0, 36)
            sheet.set_column(1, 6, 15)
            rows = self._get_rows(groupby)
            for index, row in enumerate(rows, start=1):
                sheet.write(index, 0, row[0])
                sheet.write_number(index, 1, row[1])
                sheet.write_number(index, 2, row[2], percent)
                sheet.write_number(index, 3, row[3])
                for col in (4, 5, 6):
                    sheet.write_number(index, col, row[col], money)
            last = len(rows) + 1
            sheet.write(last, 0, self.env._("Total"), total_bold)
            if rows:
                for col in (1, 3):
                    letter = chr(ord("A") + col)
                    sheet.write_formula(last, col, f"=SUM({letter}2:{letter}{last})", total_bold)
                for col in (4, 5, 6):
                    letter = chr(ord("A") + col)
                    sheet.write_formula(last, col, f"=SUM({letter}2:{letter}{last})", money_bold)
            sheet.write_number(
                last, 2, self.env["sales.complaint"]._get_on_time_rate(self._get_domain()) / 100.0, percent
            )
        workbook.close()
        return output.getvalue()

    def action_export_xlsx(self):
        self.ensure_one()
        self._check_dates()
        filename = self.env._("complaint_statistics_%(start)s_%(end)s.xlsx", start=self.date_from, end=self.date_to)
        attachment = self.env["ir.attachment"].create(
            {
                "name": filename,
                "datas": base64.b64encode(self._build_workbook()),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

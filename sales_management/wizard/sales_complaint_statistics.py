from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..models.sales_management_xlsx_mixin import XLSX_FIRST_DATA_ROW
from ..tools import complaint_deadline


class SalesComplaintStatistics(models.TransientModel):
    _name = "sales.complaint.statistics"
    _inherit = ["sales.management.input.mixin", "sales.management.xlsx.mixin"]
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

    def _get_sheets(self):
        """[(sheet title, groupby spec)]: one sheet per view of the statistics."""
        return [
            (self.env._("By Category"), "category_id"),
            (self.env._("By Product"), "product_id"),
            (self.env._("By Customer"), "partner_id"),
            (self.env._("By Salesperson"), "salesperson_id"),
            (self.env._("By Area"), "area_id"),
            (self.env._("By Month"), "date_received:month"),
        ]

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
        workbook, output = self._xlsx_workbook()
        formats = self._xlsx_formats(workbook)
        headers = [
            self.env._("Group"),
            self.env._("Complaints"),
            self.env._("On-time Rate"),
            self.env._("Repeats"),
            self.env._("Credit Notes"),
            self.env._("Compensation"),
            self.env._("Cost"),
        ]
        cell_formats = {1: formats["int"], 2: formats["percent"], 3: formats["int"]} | {
            col: formats["money"] for col in (4, 5, 6)
        }
        period = self._xlsx_period_label(self.date_from, self.date_to)
        for title, groupby in self._get_sheets():
            sheet = self._xlsx_sheet(
                workbook,
                formats,
                str(title),
                self.env._("Complaint Statistics"),
                headers,
                self.company_id,
                period,
                widths=[36, 15, 15, 15, 15, 15, 15],
            )
            rows = self._get_rows(groupby)
            for index, row in enumerate(rows, start=XLSX_FIRST_DATA_ROW):
                self._xlsx_write_row(sheet, index, row, cell_formats)
            last = XLSX_FIRST_DATA_ROW + len(rows)
            sheet.write_string(last, 0, self.env._("Total"), formats["total_text"])
            for col in (1, 3, 4, 5, 6):
                kind = "int" if col in (1, 3) else "money"
                formula = self._xlsx_sum_formula(col, XLSX_FIRST_DATA_ROW, last - 1)
                sheet.write_formula(last, col, formula, formats[f"total_{kind}"], sum(row[col] for row in rows))
            sheet.write_number(
                last,
                2,
                self.env["sales.complaint"]._get_on_time_rate(self._get_domain()) / 100.0,
                formats["total_percent"],
            )
        workbook.close()
        return output.getvalue()

    def action_export_xlsx(self):
        self.ensure_one()
        self._check_dates()
        filename = self.env._("complaint_statistics_%(start)s_%(end)s.xlsx", start=self.date_from, end=self.date_to)
        return self._xlsx_download(self._build_workbook(), filename)

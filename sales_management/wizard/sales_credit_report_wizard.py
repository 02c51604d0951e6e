import base64
import io

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.ageing import AGEING_BUCKETS

AGEING_FIELDS = [f"ageing_{key}" for key, *_rest in AGEING_BUCKETS]


class SalesCreditReportWizard(models.TransientModel):
    """XLSX exports: ageing and DSO; collection plan against actual."""

    _name = "sales.credit.report.wizard"
    _inherit = ["sales.management.input.mixin"]
    _description = "Credit XLSX Report"

    report_type = fields.Selection(
        [("ageing", "Ageing and DSO"), ("collection", "Collection Plan vs Actual")],
        required=True,
        default="ageing",
    )
    date_from = fields.Date(default=lambda self: fields.Date.context_today(self).replace(month=1, day=1))
    date_to = fields.Date(default=fields.Date.context_today)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from and wizard.date_to and wizard.date_to < wizard.date_from:
                raise ValidationError(
                    self.env._(
                        "The period of the %(report)s ends (%(end)s) before it starts (%(start)s): "
                        "choose a start not after the end.",
                        report=self.env["ir.model"]._get(self._name).name,
                        end=wizard.date_to,
                        start=wizard.date_from,
                    )
                )

    def action_export(self):
        self.ensure_one()
        if self.report_type == "collection" and (
            not self.date_from or not self.date_to or self.date_from > self.date_to
        ):
            raise UserError(self.env._("Choose a period whose start is not after its end."))
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True})
        formats = {
            "head": book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True}),
            "money": book.add_format({"num_format": "#,##0.00"}),
            "days": book.add_format({"num_format": "0.0"}),
            "pct": book.add_format({"num_format": "0.0%"}),
            "total": book.add_format({"bold": True, "num_format": "#,##0.00", "top": 1}),
            "total_label": book.add_format({"bold": True, "top": 1}),
        }
        if self.report_type == "ageing":
            self._write_ageing(book, formats)
            name = "credit_ageing_dso.xlsx"
        else:
            self._write_collection(book, formats)
            name = "collection_plan_vs_actual.xlsx"
        book.close()
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "datas": base64.b64encode(output.getvalue()),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}

    # ------------------------------------------------------------
    # SHEETS
    # ------------------------------------------------------------

    def _write_sheet(self, book, formats, title, headers, rows, money_columns, extra_formats=None):
        """One sheet: frozen header, formatted numbers, a totals row for money columns."""
        sheet = book.add_worksheet(title)
        sheet.freeze_panes(1, 1)
        sheet.set_column(0, 0, 32)
        sheet.set_column(1, len(headers) - 1, 14)
        for col, header in enumerate(headers):
            sheet.write(0, col, header, formats["head"])
        extra_formats = extra_formats or {}
        for row_index, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                fmt = formats["money"] if col in money_columns else extra_formats.get(col)
                sheet.write(row_index, col, value, fmt)
        total_row = len(rows) + 1
        sheet.write(total_row, 0, self.env._("Total"), formats["total_label"])
        for col in money_columns:
            letter = xlsxwriter.utility.xl_col_to_name(col)
            sheet.write_formula(total_row, col, f"=SUM({letter}2:{letter}{total_row})", formats["total"])
        return sheet

    def _write_ageing(self, book, formats):
        statuses = self.env["sales.credit.status"].search([("company_id", "=", self.company_id.id)])
        labels = [label for _key, label, *_rest in AGEING_BUCKETS]
        money = set(range(2, 3 + len(labels)))
        headers = [self.env._("Customer"), self.env._("DSO"), self.env._("Receivable"), *labels]
        rows = [
            [s.partner_id.display_name, s.dso, s.receivable_amount, *(s[f] for f in AGEING_FIELDS)]
            for s in statuses.sorted(lambda s: -s.receivable_amount)
        ]
        self._write_sheet(book, formats, self.env._("By Customer"), headers, rows, money, {1: formats["days"]})
        for title, groupby in (
            (self.env._("By Salesperson"), "user_id"),
            (self.env._("By Team"), "team_id"),
            (self.env._("By Area"), "area_id"),
        ):
            groups = self.env["sales.credit.status"]._read_group(
                [("company_id", "=", self.company_id.id)],
                [groupby],
                ["receivable_amount:sum", "dso:avg", *(f"{f}:sum" for f in AGEING_FIELDS)],
            )
            rows = [
                [record.display_name or self.env._("None"), dso or 0.0, receivable or 0.0, *buckets]
                for record, receivable, dso, *buckets in groups
            ]
            headers[0] = {"user_id": self.env._("Salesperson"), "team_id": self.env._("Sales Team")}.get(
                groupby, self.env._("Area")
            )
            self._write_sheet(
                book, formats, title, [*headers[:1], self.env._("Average DSO"), *headers[2:]], rows, money
            )

    def _write_collection(self, book, formats):
        domain = [
            ("company_id", "=", self.company_id.id),
            ("date", ">=", self.date_from.replace(day=1)),
            ("date", "<=", self.date_to),
        ]
        lines = self.env["sales.credit.collection"].search(domain, order="date, partner_id")
        headers = [
            self.env._("Customer"),
            self.env._("Month"),
            self.env._("Salesperson"),
            self.env._("Falling Due"),
            self.env._("Planned"),
            self.env._("Collected"),
            self.env._("Collection Rate"),
        ]
        rows = [
            [
                line.partner_id.display_name,
                line.date.strftime("%Y-%m"),
                line.user_id.name or "",
                line.due_amount,
                line.planned_amount,
                line.collected_amount,
                line.collected_amount / line.planned_amount if line.planned_amount else 0.0,
            ]
            for line in lines
        ]
        self._write_sheet(book, formats, self.env._("Plan vs Actual"), headers, rows, {3, 4, 5}, {6: formats["pct"]})
        by_user = self.env["sales.credit.collection"]._get_collection_by_user(
            self.date_from.replace(day=1), self.date_to, self.company_id
        )
        users = self.env["res.users"].browse([uid for uid in by_user if uid])
        rows = [
            [
                user.name,
                by_user[user.id]["due"],
                by_user[user.id]["collected"],
                by_user[user.id]["collected"] / by_user[user.id]["due"] if by_user[user.id]["due"] else 0.0,
            ]
            for user in users
        ]
        self._write_sheet(
            book,
            formats,
            self.env._("By Salesperson"),
            [self.env._("Salesperson"), self.env._("Planned"), self.env._("Collected"), self.env._("Collection Rate")],
            rows,
            {1, 2},
            {3: formats["pct"]},
        )

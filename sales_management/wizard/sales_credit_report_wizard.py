from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..models.sales_management_xlsx_mixin import XLSX_FIRST_DATA_ROW
from ..tools.ageing import AGEING_BUCKETS

AGEING_FIELDS = [f"ageing_{key}" for key, *_rest in AGEING_BUCKETS]


class SalesCreditReportWizard(models.TransientModel):
    """XLSX exports: ageing and DSO; collection plan against actual."""

    _name = "sales.credit.report.wizard"
    _inherit = ["sales.management.input.mixin", "sales.management.xlsx.mixin"]
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
        book, output = self._xlsx_workbook()
        formats = self._xlsx_formats(book)
        if self.report_type == "ageing":
            self._write_ageing(book, formats)
            name = "credit_ageing_dso.xlsx"
        else:
            self._write_collection(book, formats)
            name = "collection_plan_vs_actual.xlsx"
        book.close()
        return self._xlsx_download(output.getvalue(), name)

    # ------------------------------------------------------------
    # SHEETS
    # ------------------------------------------------------------

    def _write_sheet(self, book, formats, title, headers, rows, money_columns, extra_formats=None, period=None):
        """One sheet: title block, frozen header, formatted numbers, a totals row for money columns."""
        sheet = self._xlsx_sheet(
            book,
            formats,
            title,
            self._get_report_title(),
            headers,
            self.company_id,
            period or self._get_period_label(),
            widths=[32],
        )
        cell_formats = {col: formats["money"] for col in money_columns} | (extra_formats or {})
        for row_index, row in enumerate(rows, start=XLSX_FIRST_DATA_ROW):
            self._xlsx_write_row(sheet, row_index, row, cell_formats)
        total_row = XLSX_FIRST_DATA_ROW + len(rows)
        sheet.write_string(total_row, 0, self.env._("Total"), formats["total_text"])
        for col in money_columns:
            sheet.write_formula(
                total_row,
                col,
                self._xlsx_sum_formula(col, XLSX_FIRST_DATA_ROW, total_row - 1),
                formats["total_money"],
                sum(row[col] or 0.0 for row in rows),
            )
        return sheet

    def _get_report_title(self):
        return dict(self._fields["report_type"]._description_selection(self.env))[self.report_type]

    def _get_period_label(self):
        if self.report_type == "ageing":
            return self._xlsx_period_label(as_of=fields.Date.context_today(self))
        return self._xlsx_period_label(self.date_from.replace(day=1), self.date_to)

    def _write_ageing(self, book, formats):
        statuses = self.env["sales.credit.status"].search([("company_id", "=", self.company_id.id)])
        labels = [label for _key, label, *_rest in AGEING_BUCKETS]
        money = set(range(2, 3 + len(labels)))
        headers = [self.env._("Customer"), self.env._("DSO"), self.env._("Receivable"), *labels]
        rows = [
            [
                s.partner_id.display_name,
                s.dso if s.dso_defined else None,
                s.receivable_amount,
                *(s[f] for f in AGEING_FIELDS),
            ]
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
        """Two sheets of the same plan lines: per customer and month, then per salesperson.

        The salesperson sheet groups the very lines of the first sheet (planned, collected
        in the same months), customers without a salesperson under "None": its totals are
        the first sheet's.
        """
        Collection = self.env["sales.credit.collection"]
        domain = [
            ("company_id", "=", self.company_id.id),
            ("date", ">=", self.date_from.replace(day=1)),
            ("date", "<=", self.date_to),
        ]
        lines = Collection.search(domain, order="date, partner_id")
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
                line.user_id.name or self.env._("None"),
                line.due_amount,
                line.planned_amount,
                line.collected_amount,
                line.collected_amount / line.planned_amount if line.planned_amount else 0.0,
            ]
            for line in lines
        ]
        self._write_sheet(
            book, formats, self.env._("Plan vs Actual"), headers, rows, {3, 4, 5}, {6: formats["percent"]}
        )
        groups = Collection._read_group(
            domain, ["user_id"], ["due_amount:sum", "planned_amount:sum", "collected_amount:sum"]
        )
        rows = [
            [
                user.name or self.env._("None"),
                due,
                planned,
                collected,
                collected / planned if planned else 0.0,
            ]
            for user, due, planned, collected in sorted(groups, key=lambda g: (not g[0], g[0].name or ""))
        ]
        self._write_sheet(
            book,
            formats,
            self.env._("By Salesperson"),
            [
                self.env._("Salesperson"),
                self.env._("Falling Due"),
                self.env._("Planned"),
                self.env._("Collected"),
                self.env._("Collection Rate"),
            ],
            rows,
            {1, 2, 3},
            {4: formats["percent"]},
        )

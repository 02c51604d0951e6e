import base64
import datetime
import io

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from odoo import api, fields, models

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Number formats of the exports, by kind. Percentages are written as fractions
# (0.25) under a percent format, so a spreadsheet computes with them.
XLSX_NUMBER_FORMATS = {
    "int": "#,##0",
    "money": "#,##0.00",
    "quantity": "#,##0.00",
    "number": "#,##0.0",
    "days": "0.0",
    "ratio": "0.00",
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
}

# Rows of every sheet: the title (company and report), the period or as-of date and
# the currency, then the column headers; the data starts on XLSX_FIRST_DATA_ROW.
XLSX_HEADER_ROW = 2
XLSX_FIRST_DATA_ROW = XLSX_HEADER_ROW + 1


class SalesManagementXlsxMixin(models.AbstractModel):
    """The one XLSX export of the addon: formats, a title block, safe cells, download.

    Every workbook (plan vs actual, collection plan, ageing and DSO, daily report,
    scorecards, complaint statistics) is written through these methods, so that:

    - each sheet opens with the company, the report, its period or as-of date and
      the currency (``_xlsx_sheet``);
    - headers are in the user's language (the caller builds them with
      ``self.env._`` or ``_xlsx_field_label`` under the user's language);
    - text is written as text (``write_string``): a customer called ``=HYPERLINK(..)``,
      ``+86 ...`` or ``@home`` never becomes a formula;
    - percentages are fractions under a percent format;
    - the file is an attachment downloaded through ``/web/content``.
    """

    _name = "sales.management.xlsx.mixin"
    _description = "Sales Management XLSX Export"

    # ------------------------------------------------------------
    # WORKBOOK AND FORMATS
    # ------------------------------------------------------------

    @api.model
    def _xlsx_workbook(self):
        """(workbook, output buffer); strings are never turned into formulas, numbers or links."""
        output = io.BytesIO()
        book = xlsxwriter.Workbook(
            output,
            {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
        )
        return book, output

    @api.model
    def _xlsx_formats(self, book):
        """The formats of a workbook: ``title``, ``subtitle``, ``head``, ``text``, each number kind of
        XLSX_NUMBER_FORMATS, and ``total_<kind>`` (bold, top border) of each."""
        formats = {
            "title": book.add_format({"bold": True, "font_size": 12}),
            "subtitle": book.add_format({"italic": True, "font_color": "#555555"}),
            "head": book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True}),
            "text": book.add_format(),
            "total_text": book.add_format({"bold": True, "top": 1}),
        }
        for kind, num_format in XLSX_NUMBER_FORMATS.items():
            formats[kind] = book.add_format({"num_format": num_format})
            formats[f"total_{kind}"] = book.add_format({"bold": True, "top": 1, "num_format": num_format})
        return formats

    # ------------------------------------------------------------
    # SHEETS AND CELLS
    # ------------------------------------------------------------

    @api.model
    def _xlsx_period_label(self, date_from=None, date_to=None, as_of=None):
        """'Period: 2026-01-01 – 2026-03-31' or 'As of 2026-03-31' (dates in ISO, as accountants file them)."""
        if as_of or not (date_from and date_to):
            return self.env._("As of %(date)s", date=fields.Date.to_string(as_of or fields.Date.context_today(self)))
        return self.env._(
            "Period: %(start)s – %(end)s", start=fields.Date.to_string(date_from), end=fields.Date.to_string(date_to)
        )

    @api.model
    def _xlsx_sheet(self, book, formats, name, title, headers, company, period_label, widths=None, frozen_cols=1):
        """A new sheet with its title block and column headers; returns it (data from XLSX_FIRST_DATA_ROW).

        Row 1: company and report title; row 2: period or as-of date and currency;
        row 3: the headers, frozen with the first ``frozen_cols`` columns.
        """
        sheet = book.add_worksheet(name[:31])
        sheet.write_string(0, 0, f"{company.name} – {title}", formats["title"])
        sheet.write_string(
            1,
            0,
            self.env._("%(period)s · Currency: %(currency)s", period=period_label, currency=company.currency_id.name),
            formats["subtitle"],
        )
        for col, header in enumerate(headers):
            sheet.write_string(XLSX_HEADER_ROW, col, str(header), formats["head"])
            width = widths[col] if widths and col < len(widths) else (28 if col < frozen_cols else 14)
            sheet.set_column(col, col, width)
        sheet.freeze_panes(XLSX_FIRST_DATA_ROW, frozen_cols)
        return sheet

    @api.model
    def _xlsx_write(self, sheet, row, col, value, cell_format=None):
        """Write one cell by the value's type; text always as text (never a formula)."""
        if value is None or value is False:
            return sheet.write_blank(row, col, None, cell_format)
        if isinstance(value, bool):
            return sheet.write_boolean(row, col, value, cell_format)
        if isinstance(value, int | float):
            return sheet.write_number(row, col, value, cell_format)
        if isinstance(value, datetime.datetime):
            return sheet.write_datetime(row, col, value, cell_format)
        if isinstance(value, datetime.date):
            return sheet.write_datetime(row, col, datetime.datetime.combine(value, datetime.time.min), cell_format)
        if isinstance(value, models.BaseModel):
            value = value.display_name or ""
        return sheet.write_string(row, col, str(value), cell_format)

    @api.model
    def _xlsx_write_row(self, sheet, row, values, cell_formats=None):
        """Write a row of values from column 0; ``cell_formats``: {column: format}."""
        cell_formats = cell_formats or {}
        for col, value in enumerate(values):
            self._xlsx_write(sheet, row, col, value, cell_formats.get(col))

    @api.model
    def _xlsx_sum_formula(self, col, first_row, last_row):
        """'=SUM(C4:C9)' over 0-based rows first_row..last_row of one column ('=0' when empty)."""
        if last_row < first_row:
            return "=0"
        letter = xl_col_to_name(col)
        return f"=SUM({letter}{first_row + 1}:{letter}{last_row + 1})"

    @api.model
    def _xlsx_field_label(self, model, field_name):
        """A field's label in the user's language, for a header."""
        return self.env[model]._fields[field_name].get_description(self.env)["string"]

    # ------------------------------------------------------------
    # DOWNLOAD
    # ------------------------------------------------------------

    def _xlsx_download(self, content, filename):
        """Store the workbook as an attachment and return the action that downloads it."""
        values = {"name": filename, "datas": base64.b64encode(content), "mimetype": XLSX_MIMETYPE}
        # A wizard's file hangs on the wizard (and goes with it); a report of records the
        # user may only read is his own attachment (linking it would need write access).
        if self._transient and len(self) == 1:
            values.update(res_model=self._name, res_id=self.id)
        attachment = self.env["ir.attachment"].create(values)
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}

import io

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from odoo import fields, models

# Measures of the daily report, in sheet order: (field, xlsx format key).
DAILY_MEASURES = [
    ("visit_planned_count", "int"),
    ("visit_done_count", "int"),
    ("visit_unplanned_count", "int"),
    ("new_customer_count", "int"),
    ("quotation_count", "int"),
    ("quotation_amount", "money"),
    ("order_count", "int"),
    ("order_amount", "money"),
    ("invoiced_amount", "money"),
    ("cash_collected", "money"),
    ("week_planned_count", "int"),
    ("week_done_count", "int"),
]


class SalesVisitDailyReport(models.Model):
    _name = "sales.visit.daily.report"
    _description = "Daily Sales Report"
    _auto = False
    _order = "date desc, user_id"

    date = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", string="Sales Rep", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    visit_planned_count = fields.Integer(string="Visits Planned", readonly=True, aggregator="sum")
    visit_done_count = fields.Integer(string="Visits Done", readonly=True, aggregator="sum")
    visit_per_day = fields.Float(
        string="Visits per Day",
        readonly=True,
        aggregator="avg",
        help="Visits done, averaged over the days shown.",
    )
    visit_unplanned_count = fields.Integer(string="Unplanned Visits", readonly=True, aggregator="sum")
    new_customer_count = fields.Integer(
        string="New Customers Contacted",
        readonly=True,
        aggregator="sum",
        help="Customers visited for the first time that day.",
    )
    quotation_count = fields.Integer(string="Quotations", readonly=True, aggregator="sum")
    quotation_amount = fields.Monetary(string="Quoted (untaxed)", readonly=True, aggregator="sum")
    order_count = fields.Integer(string="Orders", readonly=True, aggregator="sum")
    order_amount = fields.Monetary(string="Ordered (untaxed)", readonly=True, aggregator="sum")
    invoiced_amount = fields.Monetary(
        string="Invoiced (untaxed)",
        readonly=True,
        aggregator="sum",
        help="Posted customer invoices net of credit notes, by invoice date and salesperson.",
    )
    cash_collected = fields.Monetary(
        readonly=True,
        aggregator="sum",
        help="Customer payments received from the rep's customers (visit rep, else salesperson).",
    )
    week_planned_count = fields.Integer(
        string="Week Planned",
        readonly=True,
        aggregator="max",
        help="Visits planned in the week of the day.",
    )
    week_done_count = fields.Integer(
        string="Week Done",
        readonly=True,
        aggregator="max",
        help="Visits done in the week of the day, up to that day.",
    )

    @property
    def _table_query(self):
        return """
            WITH visit AS (
                SELECT v.user_id, v.company_id, v.date AS day,
                       COUNT(*) FILTER (WHERE v.state <> 'cancelled' AND NOT COALESCE(v.is_unplanned, FALSE))
                           AS visit_planned_count,
                       COUNT(*) FILTER (WHERE v.state = 'done') AS visit_done_count,
                       COUNT(*) FILTER (WHERE v.state = 'done' AND v.is_unplanned) AS visit_unplanned_count,
                       COUNT(DISTINCT v.commercial_partner_id) FILTER (
                           WHERE v.state = 'done' AND NOT EXISTS (
                               SELECT 1 FROM sales_visit e
                                WHERE e.commercial_partner_id = v.commercial_partner_id
                                  AND e.state = 'done' AND e.date < v.date)
                       ) AS new_customer_count
                  FROM sales_visit v
                 GROUP BY v.user_id, v.company_id, v.date
            ), quotation AS (
                SELECT so.user_id, so.company_id, so.create_date::date AS day,
                       COUNT(*) AS quotation_count,
                       SUM(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1.0)) AS quotation_amount
                  FROM sale_order so
                 WHERE so.user_id IS NOT NULL
                 GROUP BY so.user_id, so.company_id, so.create_date::date
            ), sale AS (
                SELECT so.user_id, so.company_id, so.date_order::date AS day,
                       COUNT(*) AS order_count,
                       SUM(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1.0)) AS order_amount
                  FROM sale_order so
                 WHERE so.user_id IS NOT NULL AND so.state = 'sale'
                 GROUP BY so.user_id, so.company_id, so.date_order::date
            ), invoice AS (
                SELECT am.invoice_user_id AS user_id, am.company_id, am.invoice_date AS day,
                       SUM(am.amount_untaxed_signed) AS invoiced_amount
                  FROM account_move am
                 WHERE am.move_type IN ('out_invoice', 'out_refund') AND am.state = 'posted'
                   AND am.invoice_user_id IS NOT NULL
                 GROUP BY am.invoice_user_id, am.company_id, am.invoice_date
            ), cash AS (
                SELECT COALESCE(cp.visit_user_id, cp.user_id) AS user_id, ap.company_id, ap.date AS day,
                       SUM(ap.amount_company_currency_signed) AS cash_collected
                  FROM account_payment ap
                  JOIN res_partner rp ON rp.id = ap.partner_id
                  JOIN res_partner cp ON cp.id = rp.commercial_partner_id
                 WHERE ap.payment_type = 'inbound' AND ap.partner_type = 'customer'
                   AND ap.state IN ('in_process', 'paid')
                   AND COALESCE(cp.visit_user_id, cp.user_id) IS NOT NULL
                 GROUP BY 1, ap.company_id, ap.date
            ), day_row AS (
                SELECT user_id, company_id, day,
                       SUM(visit_planned_count) AS visit_planned_count,
                       SUM(visit_done_count) AS visit_done_count,
                       SUM(visit_unplanned_count) AS visit_unplanned_count,
                       SUM(new_customer_count) AS new_customer_count,
                       SUM(quotation_count) AS quotation_count,
                       SUM(quotation_amount) AS quotation_amount,
                       SUM(order_count) AS order_count,
                       SUM(order_amount) AS order_amount,
                       SUM(invoiced_amount) AS invoiced_amount,
                       SUM(cash_collected) AS cash_collected
                  FROM (
                      SELECT user_id, company_id, day, visit_planned_count, visit_done_count,
                             visit_unplanned_count, new_customer_count, 0 AS quotation_count,
                             0 AS quotation_amount, 0 AS order_count, 0 AS order_amount,
                             0 AS invoiced_amount, 0 AS cash_collected FROM visit
                      UNION ALL
                      SELECT user_id, company_id, day, 0, 0, 0, 0, quotation_count, quotation_amount,
                             0, 0, 0, 0 FROM quotation
                      UNION ALL
                      SELECT user_id, company_id, day, 0, 0, 0, 0, 0, 0, order_count, order_amount,
                             0, 0 FROM sale
                      UNION ALL
                      SELECT user_id, company_id, day, 0, 0, 0, 0, 0, 0, 0, 0, invoiced_amount, 0 FROM invoice
                      UNION ALL
                      SELECT user_id, company_id, day, 0, 0, 0, 0, 0, 0, 0, 0, 0, cash_collected FROM cash
                  ) parts
                 WHERE day IS NOT NULL
                 GROUP BY user_id, company_id, day
            ), week AS (
                SELECT v.user_id, v.company_id, date_trunc('week', v.date)::date AS week_start, v.date,
                       v.state, v.is_unplanned
                  FROM sales_visit v
            )
            SELECT ROW_NUMBER() OVER (ORDER BY d.day, d.user_id, d.company_id) AS id,
                   d.day AS date, d.user_id, d.company_id,
                   d.visit_planned_count, d.visit_done_count, d.visit_done_count::float AS visit_per_day,
                   d.visit_unplanned_count, d.new_customer_count,
                   d.quotation_count, d.quotation_amount, d.order_count, d.order_amount,
                   d.invoiced_amount, d.cash_collected,
                   (SELECT COUNT(*) FROM week w
                     WHERE w.user_id = d.user_id AND w.company_id = d.company_id
                       AND w.week_start = date_trunc('week', d.day)::date
                       AND w.state <> 'cancelled' AND NOT COALESCE(w.is_unplanned, FALSE)
                   ) AS week_planned_count,
                   (SELECT COUNT(*) FROM week w
                     WHERE w.user_id = d.user_id AND w.company_id = d.company_id
                       AND w.week_start = date_trunc('week', d.day)::date
                       AND w.date <= d.day AND w.state = 'done'
                   ) AS week_done_count
              FROM day_row d
        """

    def _search(self, domain, offset=0, limit=None, order=None):
        # The view reads other models' tables: write their pending changes first.
        self.env.flush_all()
        return super()._search(domain, offset=offset, limit=limit, order=order)

    # -- Actions ---------------------------------------------------------------
    def action_export_xlsx(self):
        """Download the selected rows (or the last 31 days) as a spreadsheet."""
        rows = self or self.search([("date", ">=", fields.Date.subtract(fields.Date.context_today(self), days=31))])
        content = self._build_xlsx(rows)
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._("daily_sales_report_%(date)s.xlsx", date=fields.Date.context_today(self)),
                "raw": content,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "res_model": self._name,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _build_xlsx(self, rows):
        """One sheet per view: the daily rows, then one line per rep. Returns bytes."""
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
        formats = {
            "int": workbook.add_format({"num_format": "#,##0"}),
            "money": workbook.add_format({"num_format": "#,##0.00"}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "text": workbook.add_format(),
        }
        total_formats = {
            key: workbook.add_format({"bold": True, "top": 1, "num_format": fmt.num_format})
            for key, fmt in formats.items()
        }
        measures = [
            (name, kind, self._fields[name].get_description(self.env)["string"]) for name, kind in DAILY_MEASURES
        ]

        def write_sheet(title, key_columns, data, measures):
            sheet = workbook.add_worksheet(title)
            headers = [label for label, _kind in key_columns] + [label for _n, _k, label in measures]
            for col, header in enumerate(headers):
                sheet.write(0, col, header, bold)
                sheet.set_column(col, col, 16 if col >= len(key_columns) else 20)
            sheet.freeze_panes(1, len(key_columns))
            for row_index, (keys, values) in enumerate(data, start=1):
                for col, (value, (_label, kind)) in enumerate(zip(keys, key_columns, strict=True)):
                    sheet.write(row_index, col, value, formats[kind])
                for offset, ((_name, kind, _label), value) in enumerate(zip(measures, values, strict=True)):
                    sheet.write_number(row_index, len(key_columns) + offset, value or 0, formats[kind])
            total_row = len(data) + 1
            sheet.write(total_row, 0, self.env._("Total"), total_formats["text"])
            for offset, (name, kind, _label) in enumerate(measures):
                col = len(key_columns) + offset
                if name.startswith("week_"):
                    continue  # a week's figure repeats on each of its days: no sum
                letter = xl_col_to_name(col)
                formula = f"=SUM({letter}2:{letter}{total_row})" if data else "=0"
                sheet.write_formula(total_row, col, formula, total_formats[kind])

        names = [name for name, _kind in DAILY_MEASURES]
        daily = [
            ((row.date, row.user_id.name or "", row.company_id.name or ""), [row[name] for name in names])
            for row in rows.sorted(lambda r: (r.date, r.user_id.name or ""))
        ]
        write_sheet(
            self.env._("Daily Report"),
            [(self.env._("Date"), "date"), (self.env._("Sales Rep"), "text"), (self.env._("Company"), "text")],
            daily,
            measures,
        )
        # Per rep, the day figures add up; the week figures (repeated on each day) are left out.
        rep_measures = [measure for measure in measures if not measure[0].startswith("week_")]
        by_rep = {}
        for row in rows:
            totals = by_rep.setdefault(row.user_id.name or "", [0] * len(rep_measures))
            for index, (name, _kind, _label) in enumerate(rep_measures):
                totals[index] += row[name]
        write_sheet(
            self.env._("By Rep"),
            [(self.env._("Sales Rep"), "text")],
            [((rep,), values) for rep, values in sorted(by_rep.items())],
            rep_measures,
        )
        workbook.close()
        return output.getvalue()

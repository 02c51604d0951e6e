from odoo import fields, models
from odoo.tools import SQL
from odoo.tools.lru import LRU

from ..models.sales_management_xlsx_mixin import XLSX_FIRST_DATA_ROW
from ..tools import visit_schedule
from ..tools.visit_schedule import IN_PERSON_MODES

# Working days per company and range, for the report's rows (see _working_days_sql).
_WORKING_DAYS_CACHE = LRU(32)

# Measures of the daily report, in sheet order: (field, xlsx format key).
DAILY_MEASURES = [
    ("visit_planned_count", "int"),
    ("visit_done_count", "int"),
    ("visit_in_person_count", "int"),
    ("visit_remote_count", "int"),
    ("working_day_count", "int"),
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
    _inherit = ["sales.management.input.mixin", "sales.management.xlsx.mixin"]
    _description = "Daily Sales Report"
    _auto = False
    _order = "date desc, user_id"

    date = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", string="Sales Rep", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    visit_planned_count = fields.Integer(string="Visits Planned", readonly=True, aggregator="sum")
    visit_done_count = fields.Integer(string="Visits Done", readonly=True, aggregator="sum")
    visit_in_person_count = fields.Integer(
        string="Visits in Person",
        readonly=True,
        aggregator="sum",
        help="Visits done in person, at the customer's.",
    )
    visit_remote_count = fields.Integer(
        string="Calls and Other Contacts",
        readonly=True,
        aggregator="sum",
        help="Phone and video calls and meetings at our premises done.",
    )
    working_day_count = fields.Integer(
        string="Working Days",
        readonly=True,
        aggregator="sum",
        help="1 on a working day of the company's working schedule (public holidays excluded), 0 otherwise.",
    )
    visit_per_day = fields.Float(
        string="Visits in Person per Working Day",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
        help="Visits done in person divided by the working days of the period (company working schedule, "
        "public holidays excluded), days without any visit included.",
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
        # Rows up to the user's today (a daily report has no future days), for internal
        # sales users only (not OdooBot, not portal users), with a row for every working
        # day of every rep who visits, so that visits per working day divide by the
        # period's working days, not by the days that happen to have a record.
        today = fields.Date.context_today(self)
        salesman = self.env.ref("sales_team.group_sale_salesman")
        return SQL(
            """
            WITH rep AS (
                SELECT u.id AS user_id
                  FROM res_users u
                 WHERE u.active AND NOT u.share
                   AND EXISTS (SELECT 1 FROM res_groups_users_rel g WHERE g.uid = u.id AND g.gid = %(salesman)s)
            ), working_day AS (
                SELECT wd.company_id, wd.day
                  FROM (%(working_days)s) wd
            ), visit AS (
                SELECT v.user_id, v.company_id, v.date AS day,
                       COUNT(*) FILTER (WHERE v.state <> 'cancelled' AND NOT COALESCE(v.is_unplanned, FALSE))
                           AS visit_planned_count,
                       COUNT(*) FILTER (WHERE v.state = 'done') AS visit_done_count,
                       COUNT(*) FILTER (WHERE v.state = 'done' AND v.mode IN %(in_person)s) AS visit_in_person_count,
                       COUNT(*) FILTER (WHERE v.state = 'done' AND v.mode NOT IN %(in_person)s) AS visit_remote_count,
                       COUNT(*) FILTER (WHERE v.state = 'done' AND v.is_unplanned) AS visit_unplanned_count,
                       COUNT(DISTINCT v.commercial_partner_id) FILTER (
                           WHERE v.state = 'done' AND NOT EXISTS (
                               SELECT 1 FROM sales_visit e
                                WHERE e.commercial_partner_id = v.commercial_partner_id
                                  AND e.state = 'done' AND e.date < v.date)
                       ) AS new_customer_count
                  FROM sales_visit v
                 WHERE v.date <= %(today)s
                 GROUP BY v.user_id, v.company_id, v.date
            ), quotation AS (
                SELECT so.user_id, so.company_id, so.create_date::date AS day,
                       COUNT(*) AS quotation_count,
                       SUM(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1.0)) AS quotation_amount
                  FROM sale_order so
                 WHERE so.user_id IS NOT NULL AND so.create_date::date <= %(today)s
                 GROUP BY so.user_id, so.company_id, so.create_date::date
            ), sale AS (
                SELECT so.user_id, so.company_id, so.date_order::date AS day,
                       COUNT(*) AS order_count,
                       SUM(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1.0)) AS order_amount
                  FROM sale_order so
                 WHERE so.user_id IS NOT NULL AND so.state = 'sale' AND so.date_order::date <= %(today)s
                 GROUP BY so.user_id, so.company_id, so.date_order::date
            ), invoice AS (
                SELECT am.invoice_user_id AS user_id, am.company_id, am.invoice_date AS day,
                       SUM(am.amount_untaxed_signed) AS invoiced_amount
                  FROM account_move am
                 WHERE am.move_type IN ('out_invoice', 'out_refund') AND am.state = 'posted'
                   AND am.invoice_user_id IS NOT NULL AND am.invoice_date <= %(today)s
                 GROUP BY am.invoice_user_id, am.company_id, am.invoice_date
            ), cash AS (
                -- Cash collected as everywhere (sales.credit.collection._collected_sql),
                -- credited to the customer's visit rep, else his salesperson.
                SELECT COALESCE(cp.visit_user_id, cp.user_id) AS user_id, c.company_id, c.date AS day,
                       SUM(c.amount) AS cash_collected
                  FROM (%(collected)s) c
                  JOIN res_partner cp ON cp.id = c.partner_id
                 WHERE COALESCE(cp.visit_user_id, cp.user_id) IS NOT NULL
                 GROUP BY 1, c.company_id, c.date
            ), rep_day AS (
                -- Every working day from the company's first visit, for each rep who visits there.
                SELECT r.user_id, r.company_id, w.day
                  FROM (SELECT DISTINCT user_id, company_id FROM sales_visit) r
                  JOIN working_day w ON w.company_id = r.company_id
            ), day_row AS (
                SELECT parts.user_id, parts.company_id, parts.day,
                       SUM(visit_planned_count) AS visit_planned_count,
                       SUM(visit_done_count) AS visit_done_count,
                       SUM(visit_in_person_count) AS visit_in_person_count,
                       SUM(visit_remote_count) AS visit_remote_count,
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
                             visit_in_person_count, visit_remote_count,
                             visit_unplanned_count, new_customer_count, 0 AS quotation_count,
                             0 AS quotation_amount, 0 AS order_count, 0 AS order_amount,
                             0 AS invoiced_amount, 0 AS cash_collected FROM visit
                      UNION ALL
                      SELECT user_id, company_id, day, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 FROM rep_day
                      UNION ALL
                      SELECT user_id, company_id, day, 0, 0, 0, 0, 0, 0, quotation_count, quotation_amount,
                             0, 0, 0, 0 FROM quotation
                      UNION ALL
                      SELECT user_id, company_id, day, 0, 0, 0, 0, 0, 0, 0, 0, order_count, order_amount,
                             0, 0 FROM sale
                      UNION ALL
                      SELECT user_id, company_id, day, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, invoiced_amount, 0 FROM invoice
                      UNION ALL
                      SELECT user_id, company_id, day, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, cash_collected FROM cash
                  ) parts
                  JOIN rep ON rep.user_id = parts.user_id
                 WHERE parts.day IS NOT NULL AND parts.day <= %(today)s
                 GROUP BY parts.user_id, parts.company_id, parts.day
            ), week_plan AS (
                SELECT v.user_id, v.company_id, date_trunc('week', v.date)::date AS week_start,
                       COUNT(*) AS week_planned_count
                  FROM sales_visit v
                 WHERE v.state <> 'cancelled' AND NOT COALESCE(v.is_unplanned, FALSE)
                 GROUP BY v.user_id, v.company_id, date_trunc('week', v.date)::date
            )
            SELECT ROW_NUMBER() OVER (ORDER BY d.day, d.user_id, d.company_id) AS id,
                   d.day AS date, d.user_id, d.company_id,
                   d.visit_planned_count, d.visit_done_count, d.visit_in_person_count, d.visit_remote_count,
                   CASE WHEN w.day IS NULL THEN 0 ELSE 1 END AS working_day_count,
                   d.visit_in_person_count::float AS visit_per_day,
                   d.visit_unplanned_count, d.new_customer_count,
                   d.quotation_count, d.quotation_amount, d.order_count, d.order_amount,
                   d.invoiced_amount, d.cash_collected,
                   COALESCE(wp.week_planned_count, 0) AS week_planned_count,
                   SUM(d.visit_done_count) OVER (
                       PARTITION BY d.user_id, d.company_id, date_trunc('week', d.day) ORDER BY d.day
                   ) AS week_done_count
              FROM day_row d
              LEFT JOIN working_day w ON w.company_id = d.company_id AND w.day = d.day
              LEFT JOIN week_plan wp ON wp.user_id = d.user_id AND wp.company_id = d.company_id
                                    AND wp.week_start = date_trunc('week', d.day)::date
            """,
            salesman=salesman.id,
            working_days=self._working_days_sql(today),
            in_person=tuple(IN_PERSON_MODES),
            today=today,
            collected=self.env["sales.credit.collection"]._collected_sql(date_to=today),
        )

    def _working_days_sql(self, today):
        """(company_id, day) of each company's working days from its first visit to today,
        from the company's working schedule and public holidays (res.company._get_sales_working_days).

        The days are kept in a small process cache keyed by the calendars' and leaves'
        content, so the report does not rebuild years of intervals at every query.
        """
        self.env.flush_all()
        firsts = self.env.execute_query(
            SQL("SELECT company_id, MIN(date) FROM sales_visit WHERE date <= %s GROUP BY company_id", today)
        )
        if not firsts:
            return SQL("SELECT NULL::int AS company_id, NULL::date AS day WHERE FALSE")
        [(signature,)] = self.env.execute_query(
            SQL(
                """
                SELECT md5(concat(
                    (SELECT string_agg(concat_ws(':', id, calendar_id, company_id, resource_id, time_type,
                                                 date_from, date_to), ',' ORDER BY id)
                       FROM resource_calendar_leaves),
                    (SELECT string_agg(concat_ws(':', id, calendar_id, dayofweek, hour_from, hour_to, day_period,
                                                 week_type, date_from, date_to, resource_id), ',' ORDER BY id)
                       FROM resource_calendar_attendance),
                    (SELECT string_agg(concat_ws(':', id, resource_calendar_id), ',' ORDER BY id) FROM res_company),
                    (SELECT string_agg(concat_ws(':', id, tz, two_weeks_calendar, active), ',' ORDER BY id)
                       FROM resource_calendar)
                ))
                """
            )
        )
        companies, days = [], []
        for company_id, first in firsts:
            key = (self.env.cr.dbname, company_id, first, today, signature)
            if key not in _WORKING_DAYS_CACHE:
                company = self.env["res.company"].sudo().browse(company_id)
                _WORKING_DAYS_CACHE[key] = company._get_sales_working_days(first, today)
            company_days = _WORKING_DAYS_CACHE[key]
            companies.extend([company_id] * len(company_days))
            days.extend(company_days)
        return SQL("SELECT company_id, day FROM unnest(%s::int[], %s::date[]) AS t(company_id, day)", companies, days)

    def _read_group_select(self, aggregate_spec, query):
        # Visits per working day of a group: its in-person visits over its working days,
        # not the average of its rows.
        if aggregate_spec.startswith("visit_per_day:"):
            return SQL(
                "COALESCE(SUM(%s)::float / NULLIF(SUM(%s), 0), 0.0)",
                self._field_to_sql(self._table, "visit_in_person_count", query),
                self._field_to_sql(self._table, "working_day_count", query),
            )
        return super()._read_group_select(aggregate_spec, query)

    def _search(self, domain, offset=0, limit=None, order=None):
        # The view reads other models' tables: write their pending changes first.
        self.env.flush_all()
        return super()._search(domain, offset=offset, limit=limit, order=order)

    # -- Actions ---------------------------------------------------------------
    def action_export_xlsx(self):
        """Download the selected rows (or the last 31 days) as a spreadsheet."""
        rows = self or self.search([("date", ">=", fields.Date.subtract(fields.Date.context_today(self), days=31))])
        return self.browse()._xlsx_download(
            self._build_xlsx(rows),
            self.env._("daily_sales_report_%(date)s.xlsx", date=fields.Date.context_today(self)),
        )

    def _build_xlsx(self, rows):
        """One sheet per view: the daily rows, then one line per rep. Returns bytes."""
        workbook, output = self._xlsx_workbook()
        formats = self._xlsx_formats(workbook)
        measures = [(name, kind, self._xlsx_field_label(self._name, name)) for name, kind in DAILY_MEASURES]
        company = rows.company_id[:1] or self.env.company
        dates = rows.mapped("date")
        period = self._xlsx_period_label(min(dates), max(dates)) if dates else self._xlsx_period_label()
        report_title = self.env._("Daily Sales Report")

        def write_sheet(title, key_columns, data, measures):
            headers = [label for label, _kind in key_columns] + [label for _n, _k, label in measures]
            sheet = self._xlsx_sheet(
                workbook,
                formats,
                title,
                report_title,
                headers,
                company,
                period,
                widths=[20] * len(key_columns) + [16] * len(measures),
                frozen_cols=len(key_columns),
            )
            for row_index, (keys, values) in enumerate(data, start=XLSX_FIRST_DATA_ROW):
                for col, (value, (_label, kind)) in enumerate(zip(keys, key_columns, strict=True)):
                    self._xlsx_write(sheet, row_index, col, value, formats[kind])
                for offset, ((_name, kind, _label), value) in enumerate(zip(measures, values, strict=True)):
                    sheet.write_number(row_index, len(key_columns) + offset, value or 0, formats[kind])
            total_row = XLSX_FIRST_DATA_ROW + len(data)
            sheet.write_string(total_row, 0, self.env._("Total"), formats["total_text"])
            for offset, (name, kind, _label) in enumerate(measures):
                col = len(key_columns) + offset
                if name.startswith("week_") or name == "visit_per_day":
                    continue  # a week's figure repeats on each of its days, a ratio does not add up
                formula = self._xlsx_sum_formula(col, XLSX_FIRST_DATA_ROW, total_row - 1)
                sheet.write_formula(total_row, col, formula, formats[f"total_{kind}"])

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
        # Visits in person per working day of each rep: his visits over his working days.
        rep_names = [name for name, _kind, _label in rep_measures]
        in_person, working = rep_names.index("visit_in_person_count"), rep_names.index("working_day_count")
        ratio = ("visit_per_day", "ratio", self._xlsx_field_label(self._name, "visit_per_day"))
        write_sheet(
            self.env._("By Rep"),
            [(self.env._("Sales Rep"), "text")],
            [
                ((rep,), [*values, visit_schedule.per_working_day(values[in_person], values[working])])
                for rep, values in sorted(by_rep.items())
            ],
            [*rep_measures, ratio],
        )
        workbook.close()
        return output.getvalue()

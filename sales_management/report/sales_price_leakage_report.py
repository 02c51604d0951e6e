import io

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from odoo import fields, models
from odoo.tools import SQL

# Summed measures, in sheet order: (field, xlsx format key).
LEAKAGE_MEASURES = [
    ("qty", "qty"),
    ("list_amount", "money"),
    ("net_amount", "money"),
    ("discount_amount", "money"),
    ("allowed_discount_amount", "money"),
    ("excess_discount_amount", "money"),
    ("below_floor_amount", "money"),
    ("below_floor_approved_amount", "money"),
    ("below_floor_unapproved_amount", "money"),
    ("below_floor_count", "int"),
    ("ly_qty", "qty"),
    ("ly_net_amount", "money"),
]
# Ratios of a group, from its sums (never the average of its rows): field -> (numerator, denominator, kind).
LEAKAGE_RATIOS = {
    "discount_pct": ("discount_amount", "list_amount", "pct"),
    "allowed_discount_pct": ("allowed_discount_amount", "list_amount", "pct"),
    "avg_unit_price": ("net_amount", "qty", "price"),
    "ly_avg_unit_price": ("ly_net_amount", "ly_qty", "price"),
}
# The dimensions of the XLSX sheets, one sheet each (titles in _get_sheet_titles).
LEAKAGE_SHEETS = ["user_id", "partner_id", "grade_id", "categ_id", "date:month"]


class SalesPriceLeakageReport(models.Model):
    """Price leakage (价格流失): what confirmed order lines gave away against the list price and the grade's floor.

    One row per confirmed order line (its measures), and one per line of a year before,
    dated a year later, carrying only the last-year measures: grouped by rep, customer,
    grade, category and month, a group shows its average unit price beside the same
    period last year's. Amounts in company currency; the grade is the customer's today.
    """

    _name = "sales.price.leakage.report"
    _inherit = ["sales.management.input.mixin"]
    _description = "Price Leakage Report"
    _auto = False
    _order = "date desc, id"

    date = fields.Date("Order Date", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    line_id = fields.Many2one("sale.order.line", "Order Line", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", "Sales Team", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    grade_id = fields.Many2one("sales.credit.grade", "Credit Grade", readonly=True)
    categ_id = fields.Many2one("product.category", "Product Category", readonly=True)
    product_id = fields.Many2one("product.product", "Product", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    floor_id = fields.Many2one("sales.price.floor", "Price Floor", readonly=True)
    is_last_year = fields.Boolean("Last Year's Line", readonly=True)
    is_below_floor = fields.Boolean("Below Floor", readonly=True)
    is_approved = fields.Boolean("Special Discount Approved", readonly=True)
    qty = fields.Float("Quantity", readonly=True, aggregator="sum", digits="Product Unit of Measure")
    list_amount = fields.Monetary("List Price", readonly=True, aggregator="sum")
    net_amount = fields.Monetary("Net Price", readonly=True, aggregator="sum")
    discount_amount = fields.Monetary("Discount Given", readonly=True, aggregator="sum")
    allowed_discount_amount = fields.Monetary(
        "Discount Allowed by Grade",
        readonly=True,
        aggregator="sum",
        help="The largest discount the grade's price floor allows on these lines.",
    )
    excess_discount_amount = fields.Monetary(
        "Discount Beyond Policy", readonly=True, aggregator="sum", help="Discount given beyond what the floor allows."
    )
    below_floor_amount = fields.Monetary("Sales Below Floor", readonly=True, aggregator="sum")
    below_floor_approved_amount = fields.Monetary("Below Floor, Approved", readonly=True, aggregator="sum")
    below_floor_unapproved_amount = fields.Monetary("Below Floor, Not Approved", readonly=True, aggregator="sum")
    below_floor_count = fields.Integer("Lines Below Floor", readonly=True, aggregator="sum")
    ly_qty = fields.Float("Quantity Last Year", readonly=True, aggregator="sum", digits="Product Unit of Measure")
    ly_net_amount = fields.Monetary("Net Price Last Year", readonly=True, aggregator="sum")
    discount_pct = fields.Float("Discount (%)", readonly=True, aggregator="avg", digits=(16, 2))
    allowed_discount_pct = fields.Float("Discount Allowed (%)", readonly=True, aggregator="avg", digits=(16, 2))
    avg_unit_price = fields.Float("Average Unit Price", readonly=True, aggregator="avg", digits="Product Price")
    ly_avg_unit_price = fields.Float(
        "Average Unit Price Last Year", readonly=True, aggregator="avg", digits="Product Price"
    )

    @property
    def _table_query(self):
        return SQL(
            """
            WITH line AS (
                SELECT sol.id AS line_id, so.id AS order_id, so.date_order::date AS date, so.user_id, so.team_id,
                       customer.id AS partner_id, status.grade_id, pt.categ_id, sol.product_id, so.company_id,
                       flr.id AS floor_id,
                       sol.product_uom_qty AS qty,
                       COALESCE(sol.price_list_total, 0) AS list_amount,
                       sol.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1) AS net_amount,
                       COALESCE(sol.quota_cost, 0) AS cost,
                       sol.product_uom_qty / NULLIF(lu.factor, 0) * pu.factor AS product_qty,
                       flr.floor_type, flr.max_discount, flr.min_price, flr.min_margin,
                       EXISTS (
                           SELECT 1 FROM sales_price_exception e
                            WHERE e.order_id = so.id AND e.state = 'used' AND e.line_snapshot ? sol.id::text
                       ) AS is_approved
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                  JOIN res_partner p ON p.id = so.partner_id
                  JOIN res_partner customer ON customer.id = p.commercial_partner_id
                  JOIN product_product pp ON pp.id = sol.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN uom_uom pu ON pu.id = pt.uom_id
                  JOIN uom_uom lu ON lu.id = sol.product_uom
             LEFT JOIN product_category pc ON pc.id = pt.categ_id
             LEFT JOIN sales_credit_status status
                    ON status.partner_id = customer.id AND status.company_id = so.company_id
             LEFT JOIN LATERAL (
                    -- As sales.price.floor._pick: the product's own, else the nearest category's,
                    -- a company's own before a shared one, then the lowest id.
                    SELECT f.id, f.floor_type, f.max_discount, f.min_price, f.min_margin
                      FROM sales_price_floor f
                 LEFT JOIN product_category fc ON fc.id = f.categ_id
                     WHERE f.active AND f.grade_id = status.grade_id
                       AND (f.company_id IS NULL OR f.company_id = so.company_id)
                       AND (f.product_id = sol.product_id
                            OR (f.product_id IS NULL AND pc.parent_path LIKE fc.parent_path || '%%'))
                  ORDER BY f.product_id IS NULL, length(fc.parent_path) - length(replace(fc.parent_path, '/', '')) DESC,
                           f.company_id IS NULL, f.id
                     LIMIT 1
             ) flr ON TRUE
                 WHERE so.state = 'sale'
                   AND sol.display_type IS NULL
                   AND sol.is_downpayment IS NOT TRUE
                   AND sol.product_uom_qty > 0
            ), judged AS (
                SELECT line.*,
                       CASE
                           WHEN floor_id IS NULL THEN 0
                           WHEN floor_type = 'discount' THEN list_amount * COALESCE(max_discount, 0) / 100
                           ELSE GREATEST(list_amount - COALESCE(min_price, 0) * product_qty, 0)
                       END AS allowed_discount_amount,
                       floor_id IS NOT NULL AND (
                           (floor_type = 'discount' AND list_amount > 0
                               AND (1 - net_amount / list_amount) * 100 > COALESCE(max_discount, 0) + 0.000001)
                           OR (floor_type = 'price' AND min_price > 0
                               AND (min_price * product_qty - net_amount) / (min_price * product_qty) * 100 > 0.000001)
                           OR (COALESCE(min_margin, 0) > 0 AND cost > 0
                               AND (net_amount <= 0 OR (1 - cost / net_amount) * 100 < min_margin - 0.000001))
                       ) AS is_below_floor
                  FROM line
            )
            SELECT line_id * 2 AS id, line_id, order_id, date, user_id, team_id, partner_id, grade_id, categ_id,
                   product_id, company_id, floor_id, FALSE AS is_last_year, is_below_floor, is_approved,
                   qty, list_amount, net_amount, list_amount - net_amount AS discount_amount,
                   allowed_discount_amount,
                   CASE WHEN floor_id IS NULL THEN 0
                        ELSE GREATEST(list_amount - net_amount - allowed_discount_amount, 0) END
                       AS excess_discount_amount,
                   CASE WHEN is_below_floor THEN net_amount ELSE 0 END AS below_floor_amount,
                   CASE WHEN is_below_floor AND is_approved THEN net_amount ELSE 0 END AS below_floor_approved_amount,
                   CASE WHEN is_below_floor AND NOT is_approved THEN net_amount ELSE 0 END
                       AS below_floor_unapproved_amount,
                   CASE WHEN is_below_floor THEN 1 ELSE 0 END AS below_floor_count,
                   0.0 AS ly_qty, 0.0 AS ly_net_amount,
                   CASE WHEN list_amount > 0 THEN (list_amount - net_amount) / list_amount * 100 ELSE 0 END
                       AS discount_pct,
                   CASE WHEN list_amount > 0 THEN allowed_discount_amount / list_amount * 100 ELSE 0 END
                       AS allowed_discount_pct,
                   net_amount / qty AS avg_unit_price,
                   0.0 AS ly_avg_unit_price
              FROM judged
             UNION ALL
            -- Last year's lines, a year later: only their last-year measures.
            SELECT line_id * 2 + 1, line_id, order_id, (date + INTERVAL '1 year')::date, user_id, team_id,
                   partner_id, grade_id, categ_id, product_id, company_id, floor_id, TRUE, FALSE, FALSE,
                   0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0,
                   qty, net_amount, 0.0, 0.0, 0.0, net_amount / qty
              FROM line
            """
        )

    def _read_group_select(self, aggregate_spec, query):
        # A group's ratio is the ratio of its sums, not the average of its rows.
        fname = aggregate_spec.split(":")[0]
        if fname in LEAKAGE_RATIOS:
            numerator, denominator, kind = LEAKAGE_RATIOS[fname]
            factor = 100.0 if kind == "pct" else 1.0
            return SQL(
                "COALESCE(SUM(%s) * %s / NULLIF(SUM(%s), 0), 0.0)",
                self._field_to_sql(self._table, numerator, query),
                factor,
                self._field_to_sql(self._table, denominator, query),
            )
        return super()._read_group_select(aggregate_spec, query)

    def _search(self, domain, offset=0, limit=None, order=None):
        # The view reads other models' tables: write their pending changes first.
        self.env.flush_all()
        return super()._search(domain, offset=offset, limit=limit, order=order)

    # ------------------------------------------------------------
    # XLSX
    # ------------------------------------------------------------

    def action_export_xlsx(self):
        """Download the report (the selected rows' domain, or the last twelve months) as a spreadsheet."""
        if self:
            domain = [("id", "in", self.ids)]
        else:
            start = fields.Date.subtract(fields.Date.context_today(self), months=12).replace(day=1)
            domain = [("date", ">=", start)]
        content = self._build_xlsx(domain)
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._("price_leakage_%(date)s.xlsx", date=fields.Date.context_today(self)),
                "raw": content,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "res_model": self._name,
            }
        )
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}

    def _get_sheet_titles(self):
        return {
            "user_id": self.env._("By Salesperson"),
            "partner_id": self.env._("By Customer"),
            "grade_id": self.env._("By Grade"),
            "categ_id": self.env._("By Product Category"),
            "date:month": self.env._("By Month"),
        }

    def _get_sheet_rows(self, domain, groupby):
        """``[(label, {measure: value})]`` of ``domain`` grouped by ``groupby``, sums and ratios."""
        aggregates = [f"{name}:sum" for name, _kind in LEAKAGE_MEASURES] + [f"{name}:avg" for name in LEAKAGE_RATIOS]
        rows = []
        for key, *values in self._read_group(domain, [groupby], aggregates, order=groupby):
            if groupby.startswith("date"):
                label = key.strftime("%Y-%m") if key else ""
            else:
                label = key.display_name if key else self.env._("None")
            names = [name for name, _kind in LEAKAGE_MEASURES] + list(LEAKAGE_RATIOS)
            rows.append((label, dict(zip(names, values, strict=True))))
        return rows

    def _build_xlsx(self, domain):
        """One sheet per dimension (rep, customer, grade, category, month), totals as formulas. Returns bytes."""
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        head = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
        formats = {
            "money": workbook.add_format({"num_format": "#,##0.00"}),
            "qty": workbook.add_format({"num_format": "#,##0.00"}),
            "int": workbook.add_format({"num_format": "#,##0"}),
            "price": workbook.add_format({"num_format": "#,##0.00"}),
            "pct": workbook.add_format({"num_format": "0.00"}),
        }
        totals = {
            key: workbook.add_format({"bold": True, "top": 1, "num_format": f.num_format}) for key, f in formats.items()
        }
        total_label = workbook.add_format({"bold": True, "top": 1})
        columns = [(name, kind) for name, kind in LEAKAGE_MEASURES] + [
            (name, kind) for name, (_n, _d, kind) in LEAKAGE_RATIOS.items()
        ]
        by_name = {name: index + 1 for index, (name, _kind) in enumerate(columns)}
        titles = self._get_sheet_titles()
        for groupby in LEAKAGE_SHEETS:
            field = self._fields[groupby.split(":")[0]]
            sheet = workbook.add_worksheet(titles[groupby])
            headers = [field.get_description(self.env)["string"]] + [
                self._fields[name].get_description(self.env)["string"] for name, _kind in columns
            ]
            for col, header in enumerate(headers):
                sheet.write(0, col, header, head)
            sheet.set_column(0, 0, 32)
            sheet.set_column(1, len(headers) - 1, 15)
            sheet.freeze_panes(1, 1)
            rows = self._get_sheet_rows(domain, groupby)
            for row_index, (label, values) in enumerate(rows, start=1):
                sheet.write(row_index, 0, label)
                for col, (name, kind) in enumerate(columns, start=1):
                    sheet.write_number(row_index, col, values[name] or 0.0, formats[kind])
            total_row = len(rows) + 1
            sheet.write(total_row, 0, self.env._("Total"), total_label)
            for col, (name, kind) in enumerate(columns, start=1):
                if name in LEAKAGE_RATIOS:
                    # The total's ratio from the totals, as the groups'.
                    numerator, denominator, _kind = LEAKAGE_RATIOS[name]
                    num = xl_col_to_name(by_name[numerator])
                    den = xl_col_to_name(by_name[denominator])
                    factor = "*100" if kind == "pct" else ""
                    formula = f"=IF({den}{total_row + 1}=0,0,{num}{total_row + 1}/{den}{total_row + 1}{factor})"
                else:
                    letter = xl_col_to_name(col)
                    formula = f"=SUM({letter}2:{letter}{total_row})" if rows else "=0"
                sheet.write_formula(total_row, col, formula, totals[kind])
        workbook.close()
        return output.getvalue()

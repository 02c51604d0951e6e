from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

from .sales_credit_status import check_credit_inputs, drop_credit_input_defaults


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # Not stored: they only let _read_group group invoice lines by the
    # invoice's salesperson and team and the product's category (quota achievement).
    quota_user_id = fields.Many2one(related="move_id.invoice_user_id", string="Quota Salesperson")
    quota_team_id = fields.Many2one(related="move_id.team_id", string="Quota Sales Team")
    quota_categ_id = fields.Many2one(related="product_id.categ_id", string="Quota Product Category")

    # Core account keeps no cost on a customer invoice line (without stock, no
    # cost of goods sold is posted), and a product's cost changes over time:
    # the margin of a sale is only right with the cost of the day it was
    # invoiced, so it is taken once, when the invoice is posted.
    quota_cost = fields.Monetary(
        "Cost at Posting",
        currency_field="company_currency_id",
        readonly=True,
        copy=False,
        help="Product cost of the line when its customer invoice or credit note was posted, in company "
        "currency: the product's cost in its unit of measure converted to the line's, times the quantity "
        "(as the Sales margin computes it). Negative on credit notes, which return the quantity at the cost "
        "of the invoice they reverse. Margin = sales - cost.",
    )

    def _auto_init(self):
        # Fill the column for the invoices posted before the addon came, in one
        # statement (the ORM would compute millions of lines one by one): at the
        # product's cost of today, the only one known.
        if not column_exists(self.env.cr, "account_move_line", "quota_cost"):
            create_column(self.env.cr, "account_move_line", "quota_cost", "numeric")
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE account_move_line l
                       SET quota_cost = ROUND(
                               CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END
                               * COALESCE((pp.standard_price ->> l.company_id::text)::numeric, 0)
                               * l.quantity / lu.factor * pu.factor,
                               cur.decimal_places)
                      FROM account_move m, product_product pp, product_template pt, uom_uom pu, uom_uom lu,
                           res_company c, res_currency cur
                     WHERE m.id = l.move_id
                       AND m.state = 'posted'
                       AND m.move_type IN ('out_invoice', 'out_refund')
                       AND l.display_type = 'product'
                       AND pp.id = l.product_id
                       AND pt.id = pp.product_tmpl_id
                       AND pu.id = pt.uom_id
                       AND lu.id = l.product_uom_id
                       AND lu.category_id = pu.category_id
                       AND lu.factor != 0
                       AND c.id = l.company_id
                       AND cur.id = c.currency_id
                    """
                )
            )
        return super()._auto_init()

    # -- Customer credit: the exposure reads these amounts (CREDIT_INPUT_FIELDS) --
    @api.model
    def default_get(self, fields_list):
        return drop_credit_input_defaults(self, super().default_get(fields_list))

    @api.model_create_multi
    def create(self, vals_list):
        check_credit_inputs(self.browse(), vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_credit_inputs(self, [vals])
        return super().write(vals)

    def _get_quota_unit_cost(self):
        """Cost of one unit (the product's unit of measure) in company currency, at posting.

        The product's cost, as the Sales margin takes it; a module with another
        valuation (stock's average or FIFO cost) can override this.
        """
        self.ensure_one()
        product = self.product_id.sudo().with_company(self.company_id)
        cost = product.standard_price
        currency = product.cost_currency_id
        if currency and currency != self.company_currency_id:
            cost = currency._convert(
                cost, self.company_currency_id, self.company_id, self.date or fields.Date.context_today(self)
            )
        return cost

    def _get_quota_product_quantity(self):
        """The line's quantity in its product's unit of measure (unconverted across categories)."""
        self.ensure_one()
        # The product's unit is not a secret of the line's: read without the product's rules.
        product_uom = self.product_id.sudo().uom_id
        if not self.product_uom_id or not self.product_id or self.product_uom_id == product_uom:
            return self.quantity
        return self.product_uom_id._compute_quantity(self.quantity, product_uom, round=False, raise_if_failure=False)

    def _get_quota_costs(self):
        """``{line: cost}`` of customer invoice and credit note product lines, as they are posted."""
        refunds = self.filtered(lambda line: line.move_id.move_type == "out_refund" and line.move_id.reversed_entry_id)
        # A credit note returns the goods at the cost they were invoiced at, not today's.
        reversed_costs = {}
        for line in refunds.move_id.reversed_entry_id.line_ids.filtered(
            lambda invoiced: invoiced.product_id and invoiced.quota_cost
        ):
            cost, quantity = reversed_costs.get((line.move_id.id, line.product_id.id), (0.0, 0.0))
            reversed_costs[(line.move_id.id, line.product_id.id)] = (
                cost + abs(line.quota_cost),
                quantity + abs(line._get_quota_product_quantity()),
            )
        costs = {}
        for line in self:
            if not line.product_id:
                costs[line] = 0.0
                continue
            quantity = line._get_quota_product_quantity()
            sign = 1.0
            unit_cost = None
            if line.move_id.move_type == "out_refund":
                sign = -1.0
                cost, invoiced = reversed_costs.get((line.move_id.reversed_entry_id.id, line.product_id.id), (0.0, 0.0))
                if invoiced:
                    unit_cost = cost / invoiced
            if unit_cost is None:
                unit_cost = line._get_quota_unit_cost()
            costs[line] = line.company_currency_id.round(sign * unit_cost * quantity)
        return costs

    def _capture_quota_cost(self):
        """Store the cost of customer invoice and credit note product lines, as they are posted.

        One UPDATE for the lines whose cost changes (none when it is already the stored
        one): a write of the ORM would run, per line, account's whole write of journal
        items (lock dates, dynamic lines' sync, balance checks) for a column nothing else
        reads or depends on; it was a third of the time of posting an invoice (issue 16).
        """
        self.flush_recordset(["quota_cost"])
        changed = {
            line.id: cost
            for line, cost in self._get_quota_costs().items()
            if line.company_currency_id.compare_amounts(cost, line.quota_cost)
        }
        if not changed:
            return
        values = SQL(", ").join(SQL("(%s, %s::numeric)", line_id, cost) for line_id, cost in changed.items())
        self.env.cr.execute(
            SQL(
                "UPDATE account_move_line AS l SET quota_cost = v.cost"
                " FROM (VALUES %s) AS v(id, cost) WHERE l.id = v.id",
                values,
            )
        )
        lines = self.browse(changed)
        lines.invalidate_recordset(["quota_cost"])
        lines.modified(["quota_cost"])

import logging

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

TRIGGER_FUNCTION = "sales_management_credit_balance_sync"
TRIGGERS = {
    "INSERT": "sales_management_credit_balance_insert",
    "UPDATE": "sales_management_credit_balance_update",
    "DELETE": "sales_management_credit_balance_delete",
}

# Which journal items count, and how much: the same rule as the exposure's scan.
# Only receivable-type accounts get rows (notes-receivable accounts are receivable-type).
OPEN_LINE_CONDITION = "t.parent_state = 'posted' AND t.reconciled IS NOT TRUE AND t.partner_id IS NOT NULL"

# Statement-level: one pass over the rows a statement inserted, updated or deleted,
# whatever wrote them (ORM flush, reconciliation, imports, raw SQL). The deltas are
# summed per key and applied in key order, so concurrent statements lock the
# balances in the same order (no deadlock between two postings); keys whose delta is
# zero (a column the balances do not read changed) are not written, so not locked.
#
# PostgreSQL allows no column list (UPDATE OF ...) on a trigger with transition tables,
# so the function runs for every statement; it returns at once when no row before or
# after the statement can count: draft documents, items without partner, reconciled
# items, which are most of the ORM's statements while invoices are made and edited.
# A row-level design (AFTER UPDATE OF ... FOR EACH ROW WHEN (OLD.x IS DISTINCT FROM
# NEW.x ...)) does fire only when a column it reads changes, but pays one function call
# and one upsert per row: measured (bench/peer.py and README), it saves under 0.05 ms
# on a one-row statement and costs seconds on a 10,000-line reconciliation, and it
# would lock the balances in row order.
APPLY_DELTAS = """
    INSERT INTO sales_credit_balance AS b (partner_id, company_id, account_id, amount_residual)
    SELECT d.partner_id, d.company_id, d.account_id, SUM(d.amount_residual)
      FROM ({deltas}) d
      JOIN account_account acc ON acc.id = d.account_id AND acc.account_type = 'asset_receivable'
  GROUP BY d.partner_id, d.company_id, d.account_id
    HAVING SUM(d.amount_residual) != 0
  ORDER BY d.partner_id, d.company_id, d.account_id
        ON CONFLICT (partner_id, company_id, account_id)
        DO UPDATE SET amount_residual = b.amount_residual + EXCLUDED.amount_residual;
"""
ROWS = "SELECT partner_id, company_id, account_id, {sign}amount_residual AS amount_residual FROM {table} t WHERE {cond}"
NEW_ROWS = ROWS.format(sign="", table="new_rows", cond=OPEN_LINE_CONDITION)
OLD_ROWS = ROWS.format(sign="-", table="old_rows", cond=OPEN_LINE_CONDITION)
NONE_COUNTS = "NOT EXISTS (SELECT FROM {table} t WHERE " + OPEN_LINE_CONDITION + ")"
# A transition table exists only for the operations that have it: one statement per operation.
TRIGGER_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {TRIGGER_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF {NONE_COUNTS.format(table="new_rows")} THEN
            RETURN NULL;
        END IF;
        {APPLY_DELTAS.format(deltas=NEW_ROWS)}
    ELSIF TG_OP = 'UPDATE' THEN
        IF {NONE_COUNTS.format(table="new_rows")} AND {NONE_COUNTS.format(table="old_rows")} THEN
            RETURN NULL;
        END IF;
        {APPLY_DELTAS.format(deltas=NEW_ROWS + " UNION ALL " + OLD_ROWS)}
    ELSE
        IF {NONE_COUNTS.format(table="old_rows")} THEN
            RETURN NULL;
        END IF;
        {APPLY_DELTAS.format(deltas=OLD_ROWS)}
    END IF;
    RETURN NULL;
END
$body$
"""
TRANSITION_TABLES = {
    "INSERT": "NEW TABLE AS new_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
}


class SalesCreditBalance(models.Model):
    """Open receivable balance of one partner on one account in one company.

    The credit check at confirmation reads the customer's receivables from here
    instead of summing its open journal items, so its cost does not grow with the
    number of open invoices. A PostgreSQL trigger on ``account_move_line`` keeps the
    rows right for every way journal items are written; ``_rebuild`` recomputes
    them from the journal items (at install and update, when an account changes
    type, and for the customers the nightly job finds out of line).
    """

    _name = "sales.credit.balance"
    _description = "Customer Open Receivable Balance"
    _log_access = False

    # The unique constraint's index (partner first) serves the check's lookups.
    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    account_id = fields.Many2one("account.account", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_residual = fields.Monetary("Open Balance", required=True)

    _sql_constraints = [
        (
            "partner_company_account_uniq",
            "unique(partner_id, company_id, account_id)",
            "One balance per partner, company and account.",
        ),
    ]

    def init(self):
        super().init()
        cr = self.env.cr
        cr.execute(TRIGGER_FUNCTION_SQL)
        for operation, trigger in TRIGGERS.items():
            cr.execute(f"DROP TRIGGER IF EXISTS {trigger} ON account_move_line")
            cr.execute(
                f"""CREATE TRIGGER {trigger} AFTER {operation} ON account_move_line
                    REFERENCING {TRANSITION_TABLES[operation]}
                    FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER_FUNCTION}()"""
            )
        # Installed on a database with invoices, or updated: start from the journal items.
        self._rebuild()

    @api.model
    def _rebuild(self, partner_ids=None, account_ids=None):
        """Recompute the balances (of these partners / accounts, or all) from the journal items."""
        self.env["account.move.line"].flush_model()
        self.env["account.account"].flush_model(["account_type"])
        conditions = [SQL("TRUE")]
        if partner_ids is not None:
            conditions.append(SQL("t.partner_id = ANY(%s)", list(partner_ids)))
        if account_ids is not None:
            conditions.append(SQL("t.account_id = ANY(%s)", list(account_ids)))
        where = SQL(" AND ").join(conditions)
        cr = self.env.cr
        cr.execute(SQL("DELETE FROM sales_credit_balance t WHERE %s", where))
        cr.execute(
            SQL(
                """
                INSERT INTO sales_credit_balance (partner_id, company_id, account_id, amount_residual)
                SELECT t.partner_id, t.company_id, t.account_id, SUM(t.amount_residual)
                  FROM account_move_line t
                  JOIN account_account acc ON acc.id = t.account_id AND acc.account_type = 'asset_receivable'
                 WHERE %s AND %s
              GROUP BY t.partner_id, t.company_id, t.account_id
                HAVING SUM(t.amount_residual) != 0
                """,
                SQL(OPEN_LINE_CONDITION),
                where,
            )
        )
        self.invalidate_model()

    @api.model
    def _drop_trigger(self):
        for trigger in TRIGGERS.values():
            self.env.cr.execute(f"DROP TRIGGER IF EXISTS {trigger} ON account_move_line")
        self.env.cr.execute(f"DROP FUNCTION IF EXISTS {TRIGGER_FUNCTION}()")

    @api.model
    def _repair(self, scanned, company):
        """Rebuild the balances of the customers whose scanned open total differs.

        ``scanned``: ``{commercial partner id: open receivable total}`` from a scan of
        the journal items (the nightly job's). The trigger keeps the balances right;
        this catches what it cannot see (a trigger disabled for a restore, say).
        """
        self.env.cr.execute(
            """
            SELECT p.commercial_partner_id, SUM(b.amount_residual)
              FROM res_partner p
              JOIN sales_credit_balance b ON b.partner_id = p.id
             WHERE p.commercial_partner_id = ANY(%s) AND b.company_id = %s
          GROUP BY p.commercial_partner_id
            """,
            [list(scanned), company.id],
        )
        kept = dict(self.env.cr.fetchall())
        compare = company.currency_id.compare_amounts
        wrong = [pid for pid, amount in scanned.items() if compare(amount, kept.get(pid) or 0.0)]
        if wrong:
            _logger.warning("Open receivable balances out of line for customers %s; rebuilt.", wrong)
            children = (
                self.env["res.partner"].with_context(active_test=False).search([("commercial_partner_id", "in", wrong)])
            )
            self._rebuild(partner_ids=children.ids)
        return wrong

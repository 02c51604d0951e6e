"""The credit capability's SQL in the database, in one place.

What the addon keeps in PostgreSQL outside its tables, and the conditions its
queries share:

- ``OPEN_ITEM_PREDICATE`` / ``open_receivable(alias)``: the open-receivable condition
  (a posted journal item of a partner, not fully reconciled, on a receivable-type
  account), written once and used by the balance trigger, the balances' rebuild, the
  exposure function, the nightly scan and the overdue amount;
- the balance trigger on ``account_move_line`` that keeps ``sales_credit_balance``
  right (``install_balance_trigger``);
- the exposure function the credit check calls (``install_exposure_function``);
- the indexes those read by (``create_indexes``);
- ``drop_all``: everything above, for the uninstall hook.

The models call these from their ``init`` (sales.credit.balance, sales.credit.status,
res.partner, sale.order.line): each at the moment its tables and columns exist.
Statements are composed with ``odoo.tools.SQL``; names are identifiers, never
values spliced into the text.
"""

from odoo.tools import SQL, create_index
from odoo.tools.sql import column_exists

# ------------------------------------------------------------
# CONDITIONS
# ------------------------------------------------------------

# An open journal item: posted, not fully reconciled. The partial indexes below have
# this predicate; queries repeat it word for word so that PostgreSQL can use them.
OPEN_ITEM_PREDICATE = "parent_state = 'posted' AND reconciled IS NOT TRUE"
RECEIVABLE_ACCOUNTS = "ARRAY(SELECT id FROM account_account WHERE account_type = 'asset_receivable')"


def open_receivable(alias="aml"):
    """The open-receivable condition on the journal items aliased ``alias`` (text).

    An open item of a partner on a receivable-type account (notes-receivable accounts
    are receivable-type: callers split them off where they count apart).
    """
    predicate = " AND ".join(f"{alias}.{part}" for part in OPEN_ITEM_PREDICATE.split(" AND "))
    return f"{predicate} AND {alias}.partner_id IS NOT NULL AND {alias}.account_id = ANY({RECEIVABLE_ACCOUNTS})"


def open_receivable_sql(alias="aml"):
    """``open_receivable`` as an ``SQL`` object, to compose into a query."""
    return SQL(open_receivable(alias))


# Order lines the exposure counts: confirmed, left to invoice, or down payments not yet
# deducted (the partial indexes on the customer and the invoiced party have this predicate).
OPEN_ORDER_LINE_PREDICATE = (
    "state = 'sale' AND display_type IS NULL "
    "AND (qty_invoiced < product_uom_qty OR (is_downpayment IS TRUE AND qty_invoiced != 0))"
)
OPEN_ORDER_LINE_CONDITION = (
    "sol.state = 'sale' AND sol.display_type IS NULL "
    "AND (sol.qty_invoiced < sol.product_uom_qty OR (sol.is_downpayment IS TRUE AND sol.qty_invoiced != 0))"
)

# ------------------------------------------------------------
# INDEXES
# ------------------------------------------------------------

# name: (table, columns, predicate). The credit check and the nightly job read a
# customer's documents through its commercial entity: these keep those reads
# independent of the data volume (fully paid history and invoiced orders cost nothing).
INDEXES = {
    "res_partner_sm_credit_commercial_idx": ("res_partner", ["commercial_partner_id"], None),
    "account_move_sm_credit_draft_idx": (
        "account_move",
        ["commercial_partner_id"],
        "state = 'draft' AND move_type IN ('out_invoice', 'out_refund')",
    ),
    "account_move_sm_credit_commercial_idx": (
        "account_move",
        ["commercial_partner_id", "company_id"],
        "move_type IN ('out_invoice', 'out_refund')",
    ),
    # Open items by due date: the check reads a customer's oldest overdue item as the
    # first entry (its balance comes from sales.credit.balance).
    "account_move_line_sm_credit_open_due_idx": (
        "account_move_line",
        ["partner_id", "date_maturity"],
        OPEN_ITEM_PREDICATE,
    ),
    "sale_order_line_sm_credit_open_lines_idx": (
        "sale_order_line",
        ["order_partner_id"],
        OPEN_ORDER_LINE_PREDICATE,
    ),
    # The open lines of the orders invoiced to a party (their invoices will be its debt).
    "sale_order_line_sm_credit_open_invoiced_idx": (
        "sale_order_line",
        ["order_partner_invoice_id"],
        OPEN_ORDER_LINE_PREDICATE,
    ),
}
# Names earlier versions used.
OLD_INDEXES = ["account_move_line_sm_credit_open_idx", "sale_order_line_sm_credit_open_idx"]


def create_indexes(cr):
    """Create the indexes whose columns exist (called by each model's init: the last one
    to run, when every column is there, completes the set; existing ones are kept)."""
    for name in OLD_INDEXES:
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
    for name, (table, columns, where) in INDEXES.items():
        if all(column_exists(cr, table, column) for column in columns):
            create_index(cr, name, table, columns, where=where)


# ------------------------------------------------------------
# BALANCE TRIGGER
# ------------------------------------------------------------

BALANCE_TRIGGER_FUNCTION = "sales_management_credit_balance_sync"
BALANCE_TRIGGERS = {
    "INSERT": "sales_management_credit_balance_insert",
    "UPDATE": "sales_management_credit_balance_update",
    "DELETE": "sales_management_credit_balance_delete",
}
# A transition table exists only for the operations that have it: one statement per operation.
TRANSITION_TABLES = {
    "INSERT": "NEW TABLE AS new_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
}

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
_APPLY_DELTAS = """
    INSERT INTO sales_credit_balance AS b (partner_id, company_id, account_id, amount_residual)
    SELECT d.partner_id, d.company_id, d.account_id, SUM(d.amount_residual)
      FROM ({deltas}) d
  GROUP BY d.partner_id, d.company_id, d.account_id
    HAVING SUM(d.amount_residual) != 0
  ORDER BY d.partner_id, d.company_id, d.account_id
        ON CONFLICT (partner_id, company_id, account_id)
        DO UPDATE SET amount_residual = b.amount_residual + EXCLUDED.amount_residual;
"""
_ROWS = (
    "SELECT partner_id, company_id, account_id, {sign}amount_residual AS amount_residual " "FROM {table} t WHERE {cond}"
)
_NEW_ROWS = _ROWS.format(sign="", table="new_rows", cond=open_receivable("t"))
_OLD_ROWS = _ROWS.format(sign="-", table="old_rows", cond=open_receivable("t"))
_NONE_COUNTS = "NOT EXISTS (SELECT FROM {table} t WHERE " + open_receivable("t") + ")"
BALANCE_TRIGGER_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {BALANCE_TRIGGER_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF {_NONE_COUNTS.format(table="new_rows")} THEN
            RETURN NULL;
        END IF;
        {_APPLY_DELTAS.format(deltas=_NEW_ROWS)}
    ELSIF TG_OP = 'UPDATE' THEN
        IF {_NONE_COUNTS.format(table="new_rows")} AND {_NONE_COUNTS.format(table="old_rows")} THEN
            RETURN NULL;
        END IF;
        {_APPLY_DELTAS.format(deltas=_NEW_ROWS + " UNION ALL " + _OLD_ROWS)}
    ELSE
        IF {_NONE_COUNTS.format(table="old_rows")} THEN
            RETURN NULL;
        END IF;
        {_APPLY_DELTAS.format(deltas=_OLD_ROWS)}
    END IF;
    RETURN NULL;
END
$body$
"""


def install_balance_trigger(cr):
    """(Re)create the balance trigger function and its three statement triggers."""
    cr.execute(SQL(BALANCE_TRIGGER_FUNCTION_SQL))
    for operation, trigger in BALANCE_TRIGGERS.items():
        cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON account_move_line", SQL.identifier(trigger)))
        cr.execute(
            SQL(
                "CREATE TRIGGER %s AFTER %s ON account_move_line REFERENCING %s "
                "FOR EACH STATEMENT EXECUTE FUNCTION %s()",
                SQL.identifier(trigger),
                SQL(operation),
                SQL(TRANSITION_TABLES[operation]),
                SQL.identifier(BALANCE_TRIGGER_FUNCTION),
            )
        )


def drop_balance_trigger(cr):
    for trigger in BALANCE_TRIGGERS.values():
        cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON account_move_line", SQL.identifier(trigger)))
    cr.execute(SQL("DROP FUNCTION IF EXISTS %s()", SQL.identifier(BALANCE_TRIGGER_FUNCTION)))


def rebuild_balances_sql(where):
    """The statement that recomputes the balances of the journal items matching ``where`` (SQL)."""
    return SQL(
        """
        INSERT INTO sales_credit_balance (partner_id, company_id, account_id, amount_residual)
        SELECT t.partner_id, t.company_id, t.account_id, SUM(t.amount_residual)
          FROM account_move_line t
         WHERE %s AND %s
      GROUP BY t.partner_id, t.company_id, t.account_id
        HAVING SUM(t.amount_residual) != 0
        """,
        open_receivable_sql("t"),
        where,
    )


# ------------------------------------------------------------
# EXPOSURE FUNCTION
# ------------------------------------------------------------

# The credit position of customers, as a PL/pgSQL function: PostgreSQL keeps the plans
# of its queries for the session, which saves their planning (four fifths of their
# cost) on each confirmation, and one call returns all the check needs, so a passing
# check reads nothing else. Receivables come from sales_credit_balance, the oldest
# overdue item from the first entry of an index, orders from the lines left to
# invoice: nothing grows with the number of a customer's open invoices. Draft invoices
# already count the invoiced part of orders (qty_invoiced includes them), and down
# payments invoiced but not yet deducted by a final invoice are taken off their order's
# part (their invoices count already); orders are converted at their rate. An order
# counts for its customer and for the party it is invoiced to (their commercial
# entities), since its invoices will be that party's debt. One row per partner asked,
# for its commercial entity; the credit limit is NULL where the company has none stored
# for it. With p_lock, the commercial entities' rows are locked first
# (sale.order._check_credit).
EXPOSURE_FUNCTION = "sales_management_credit_exposure"
EXPOSURE_FUNCTION_ARGS = "integer[], integer, date, boolean"
EXPOSURE_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {EXPOSURE_FUNCTION}(
    p_partners integer[], p_company integer, p_today date, p_lock boolean)
RETURNS TABLE (partner_id integer, commercial_partner_id integer, status_id integer, hold boolean,
               grade_id integer, credit_limit numeric, receivable numeric, notes numeric, oldest_due date,
               draft numeric, orders numeric)
LANGUAGE plpgsql
-- Its queries look up a few index entries per customer: one generic plan fits every call.
SET plan_cache_mode = force_generic_plan
AS $body$
#variable_conflict use_column
DECLARE
    notes_accounts integer[] := ARRAY(
        SELECT account_id FROM res_company_credit_notes_account_rel WHERE company_id = p_company);
BEGIN
    IF p_lock THEN
        PERFORM 1 FROM res_partner
          WHERE id IN (SELECT commercial_partner_id FROM res_partner WHERE id = ANY(p_partners))
          ORDER BY id FOR NO KEY UPDATE NOWAIT;
        UPDATE res_partner SET write_date = write_date
         WHERE id IN (SELECT commercial_partner_id FROM res_partner WHERE id = ANY(p_partners));
    END IF;
    RETURN QUERY
    SELECT req.id, req.commercial_partner_id, status.id, COALESCE(status.hold, FALSE), status.grade_id,
           (customer.credit_limit ->> p_company::text)::numeric,
           COALESCE(balance.receivable, 0), COALESCE(balance.notes, 0), overdue.oldest_due,
           COALESCE(drafts.draft, 0), COALESCE(orders.orders, 0)
      FROM res_partner req
      JOIN res_partner customer ON customer.id = req.commercial_partner_id
      LEFT JOIN sales_credit_status status
             ON status.partner_id = req.commercial_partner_id AND status.company_id = p_company
      LEFT JOIN LATERAL (
          SELECT SUM(b.amount_residual) FILTER (WHERE b.account_id != ALL(notes_accounts)) AS receivable,
                 SUM(b.amount_residual) FILTER (WHERE b.account_id = ANY(notes_accounts)) AS notes
            FROM res_partner c
            JOIN sales_credit_balance b ON b.partner_id = c.id AND b.company_id = p_company
           WHERE c.commercial_partner_id = req.commercial_partner_id
      ) balance ON TRUE
      LEFT JOIN LATERAL (
          SELECT MIN(first_item.date_maturity) AS oldest_due
            FROM res_partner c
           CROSS JOIN LATERAL (
                 SELECT aml.date_maturity
                   FROM account_move_line aml
                  WHERE aml.partner_id = c.id
                    AND {open_receivable("aml")}
                    AND aml.date_maturity < p_today
                    AND aml.amount_residual > 0
                    AND aml.company_id = p_company
                    AND aml.account_id != ALL(notes_accounts)
               ORDER BY aml.date_maturity
                  LIMIT 1
           ) first_item
           WHERE c.commercial_partner_id = req.commercial_partner_id
      ) overdue ON TRUE
      LEFT JOIN LATERAL (
          SELECT SUM(am.amount_total_signed) AS draft
            FROM account_move am
           WHERE am.commercial_partner_id = req.commercial_partner_id
             AND am.state = 'draft'
             AND am.move_type IN ('out_invoice', 'out_refund')
             AND am.company_id = p_company
      ) drafts ON TRUE
      LEFT JOIN LATERAL (
          SELECT SUM(GREATEST(open_order.to_invoice - open_order.advanced, 0)) AS orders
            FROM (
                SELECT so.id,
                       COALESCE(SUM((sol.product_uom_qty - sol.qty_invoiced) * sol.price_total / sol.product_uom_qty)
                                FILTER (WHERE sol.is_downpayment IS NOT TRUE), 0)
                           / COALESCE(NULLIF(so.currency_rate, 0), 1) AS to_invoice,
                       COALESCE(SUM(advance.amount) FILTER (WHERE sol.is_downpayment IS TRUE), 0)
                           / COALESCE(NULLIF(so.currency_rate, 0), 1) AS advanced
                  FROM (
                      -- As customer, and as invoiced party (a line of its own order counts once).
                      SELECT sol.id
                        FROM res_partner c
                        JOIN sale_order_line sol ON sol.order_partner_id = c.id
                       WHERE c.commercial_partner_id = req.commercial_partner_id
                         AND {OPEN_ORDER_LINE_CONDITION}
                      UNION
                      SELECT sol.id
                        FROM res_partner c
                        JOIN sale_order_line sol ON sol.order_partner_invoice_id = c.id
                       WHERE c.commercial_partner_id = req.commercial_partner_id
                         AND {OPEN_ORDER_LINE_CONDITION}
                  ) party_line
                  JOIN sale_order_line sol ON sol.id = party_line.id
                  JOIN sale_order so ON so.id = sol.order_id
                  LEFT JOIN LATERAL (
                      SELECT SUM(aml.price_total) AS amount
                        FROM sale_order_line_invoice_rel rel
                        JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                       WHERE rel.order_line_id = sol.id
                         AND aml.parent_state != 'cancel'
                         AND sol.is_downpayment IS TRUE
                  ) advance ON TRUE
                 WHERE sol.company_id = p_company
                   AND (sol.product_uom_qty > 0 OR sol.is_downpayment IS TRUE)
              GROUP BY so.id, so.currency_rate
            ) open_order
      ) orders ON TRUE
     WHERE req.id = ANY(p_partners);
END
$body$
"""


def _exposure_signature():
    return SQL("%s(%s)", SQL.identifier(EXPOSURE_FUNCTION), SQL(EXPOSURE_FUNCTION_ARGS))


def install_exposure_function(cr):
    """(Re)create the exposure function; dropped first, since CREATE OR REPLACE cannot
    change the columns an older version returned."""
    drop_exposure_function(cr)
    cr.execute(SQL(EXPOSURE_FUNCTION_SQL))


def drop_exposure_function(cr):
    cr.execute(SQL("DROP FUNCTION IF EXISTS %s", _exposure_signature()))


def exposure_query(partner_ids, company_id, today, lock):
    """The call of the exposure function (SQL)."""
    return SQL(
        "SELECT * FROM %s(%s, %s, %s, %s)",
        SQL.identifier(EXPOSURE_FUNCTION),
        list(partner_ids),
        company_id,
        today,
        lock,
    )


# ------------------------------------------------------------
# UNINSTALL
# ------------------------------------------------------------


def drop_all(cr):
    """Drop what the credit capability added to the database outside its tables."""
    drop_balance_trigger(cr)
    drop_exposure_function(cr)
    for name in [*INDEXES, *OLD_INDEXES]:
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))

import logging

from odoo import api, fields, models
from odoo.tools import SQL

from . import sales_credit_sql

_logger = logging.getLogger(__name__)


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
        res = super().init()
        # The trigger, like every SQL object of the credit capability, is defined in sales_credit_sql.
        sales_credit_sql.install_balance_trigger(self.env.cr)
        # Installed on a database with invoices, or updated: start from the journal items.
        self._rebuild()
        return res

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
        cr.execute(sales_credit_sql.rebuild_balances_sql(where))
        self.invalidate_model()

    @api.model
    def _drop_trigger(self):
        sales_credit_sql.drop_balance_trigger(self.env.cr)

    @api.model
    def _repair(self, scanned, company):
        """Rebuild the balances of the customers whose scanned open total differs.

        ``scanned``: ``{commercial partner id: open receivable total}`` from a scan of
        the journal items (the nightly job's). The trigger keeps the balances right;
        this catches what it cannot see (a trigger disabled for a restore, say).
        """
        kept = dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT p.commercial_partner_id, SUM(b.amount_residual)
                      FROM res_partner p
                      JOIN sales_credit_balance b ON b.partner_id = p.id
                     WHERE p.commercial_partner_id = ANY(%s) AND b.company_id = %s
                  GROUP BY p.commercial_partner_id
                    """,
                    list(scanned),
                    company.id,
                )
            )
        )
        compare = company.currency_id.compare_amounts
        wrong = [pid for pid, amount in scanned.items() if compare(amount, kept.get(pid) or 0.0)]
        if wrong:
            _logger.warning("Open receivable balances out of line for customers %s; rebuilt.", wrong)
            children = (
                self.env["res.partner"].with_context(active_test=False).search([("commercial_partner_id", "in", wrong)])
            )
            self._rebuild(partner_ids=children.ids)
        return wrong

from odoo import Command
from odoo.tests import tagged

from .credit_common import CreditCase


@tagged("post_install", "-at_install")
class TestCreditBalance(CreditCase):
    """The open balances the check reads stay equal to a scan of the journal items."""

    def _scanned(self):
        self.env.flush_all()
        self.cr.execute(
            """
            SELECT aml.partner_id, aml.company_id, aml.account_id, SUM(aml.amount_residual)
              FROM account_move_line aml
              JOIN account_account acc ON acc.id = aml.account_id AND acc.account_type = 'asset_receivable'
             WHERE aml.parent_state = 'posted' AND aml.reconciled IS NOT TRUE AND aml.partner_id IS NOT NULL
          GROUP BY 1, 2, 3
            HAVING SUM(aml.amount_residual) != 0
            """
        )
        return {row[:3]: row[3] for row in self.cr.fetchall()}

    def _kept(self):
        self.env.flush_all()
        self.cr.execute("SELECT partner_id, company_id, account_id, amount_residual FROM sales_credit_balance")
        return {row[:3]: row[3] for row in self.cr.fetchall() if row[3]}

    def assertBalancesKept(self):
        self.assertEqual(self._kept(), self._scanned())

    def _customer_balance(self, partner=None):
        kept = self._kept()
        partner = partner or self.customer
        return sum(amount for (pid, cid, _aid), amount in kept.items() if pid == partner.id and cid == self.company.id)

    def test_invoice_life_cycle(self):
        invoice = self._invoice(500)
        self.assertEqual(self._customer_balance(), 500)
        self._pay(invoice, amount=200)
        self.assertEqual(self._customer_balance(), 300)
        self.assertBalancesKept()
        refund = self._invoice(100, move_type="out_refund")
        self.assertEqual(self._customer_balance(), 200)
        (invoice | refund).line_ids.filtered(lambda line: line.account_type == "asset_receivable").reconcile()
        self.assertEqual(self._customer_balance(), 200)
        self.assertBalancesKept()
        self._pay(invoice)
        self.assertEqual(self._customer_balance(), 0)
        # Reset to draft drops the invoice's items; posting again brings them back.
        second = self._invoice(80)
        second.button_draft()
        self.assertEqual(self._customer_balance(), 0)
        second.action_post()
        self.assertEqual(self._customer_balance(), 80)
        second.button_draft()
        second.button_cancel()
        self.assertEqual(self._customer_balance(), 0)
        self.assertBalancesKept()

    def test_contact_payment_and_other_company(self):
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": self.customer.id})
        invoice = self._invoice(300, partner=contact)
        company_2 = self.setup_other_company()["company"]
        self._invoice(900, company=company_2)
        self.assertBalancesKept()
        # The exposure of the commercial entity adds its contacts' balances, in its company only.
        self.customer.invalidate_recordset()
        self.assertAlmostEqual(self.customer.credit_exposure_receivable, 300.0)
        self._pay(invoice)
        self.customer.invalidate_recordset()
        self.assertAlmostEqual(self.customer.credit_exposure_receivable, 0.0)
        self.assertBalancesKept()

    def test_entry_on_receivable_and_unlink(self):
        receivable = self.company_data["default_account_receivable"]
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "line_ids": [
                    Command.create({"account_id": receivable.id, "partner_id": self.customer.id, "debit": 40.0}),
                    Command.create({"account_id": self.company_data["default_account_revenue"].id, "credit": 40.0}),
                ],
            }
        )
        self.assertEqual(self._customer_balance(), 0)
        move.action_post()
        self.assertEqual(self._customer_balance(), 40)
        move.button_draft()
        move.unlink()
        self.assertEqual(self._customer_balance(), 0)
        self.assertBalancesKept()

    def test_nightly_job_repairs_balances_out_of_line(self):
        self._invoice(250)
        self.env.flush_all()
        self.cr.execute("UPDATE sales_credit_balance SET amount_residual = 1 WHERE partner_id = %s", [self.customer.id])
        self.cr.execute("DELETE FROM sales_credit_balance WHERE partner_id != %s", [self.customer.id])
        status = self.env["sales.credit.status"]._get_status(self.customer, self.company, create=True)
        with self.assertLogs("odoo.addons.sales_management.models.sales_credit_balance", "WARNING"):
            status._recompute()
        self.assertEqual(self._customer_balance(), 250)
        # Only the recomputed customer is repaired; a full rebuild repairs the rest.
        self.env["sales.credit.balance"]._rebuild()
        self.assertBalancesKept()

    def test_raw_sql_statements(self):
        """Imports, bulk updates and deletes in SQL, of items that count and of items that do not."""
        other = self.env["res.partner"].create({"name": "Other Customer", "is_company": True})
        invoice = self._invoice(120)
        draft = self._invoice(70, post=False)
        self.env.flush_all()
        receivable = invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        columns = (
            "move_id, account_id, partner_id, company_id, company_currency_id, currency_id, journal_id, display_type, "
            "date, date_maturity, debit, credit, balance, amount_currency, amount_residual, amount_residual_currency, "
            "reconciled, parent_state, name"
        )
        # An import of open items, and of draft ones (which do not count), in one statement each.
        self.cr.execute(
            f"INSERT INTO account_move_line ({columns}) SELECT {columns} FROM account_move_line, generate_series(1, 3)"
            " WHERE id = %s",
            [receivable.id],
        )
        draft_columns = columns.replace("parent_state", "'draft'")
        self.cr.execute(
            f"INSERT INTO account_move_line ({columns}) SELECT {draft_columns} FROM account_move_line WHERE id = %s",
            [receivable.id],
        )
        self.assertEqual(self._customer_balance(), 480)
        # A column the balances do not read; then their key and amount, draft and posted items mixed.
        self.cr.execute("UPDATE account_move_line SET write_date = now() WHERE partner_id = %s", [self.customer.id])
        self.assertEqual(self._customer_balance(), 480)
        self.cr.execute(
            "UPDATE account_move_line SET partner_id = %s, amount_residual = amount_residual / 2"
            " WHERE id IN (SELECT MAX(id) FROM account_move_line WHERE partner_id = %s AND parent_state = 'posted')"
            " OR move_id = %s",
            [other.id, self.customer.id, draft.id],
        )
        self.assertEqual(self._customer_balance(), 360)
        self.assertEqual(self._customer_balance(other), 60)
        self.assertBalancesKept()
        self.cr.execute("DELETE FROM account_move_line WHERE partner_id = %s", [other.id])
        self.assertEqual(self._customer_balance(other), 0)
        self.assertBalancesKept()

import base64
import datetime
import io
import zipfile

from odoo import fields
from odoo.tests import freeze_time, tagged

from .visit_common import VisitCase

D = datetime.date


@tagged("post_install", "-at_install")
class TestVisitReports(VisitCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.company.chart_template:
            cls.env["account.chart.template"].try_loading("generic_coa", company=cls.company, install_demo=False)
        cls.product = cls.env["product.product"].create(
            {"name": "Report Widget", "list_price": 100.0, "taxes_id": False}
        )

    def _order(self, partner, price, confirm=False):
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": self.user_rep.id,
                "order_line": [fields.Command.create({"product_id": self.product.id, "price_unit": price})],
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def test_daily_report_figures(self):
        today = fields.Date.context_today(self.env.user)
        first, second, third, _fourth = self.customers
        self._visit(first, today - datetime.timedelta(days=8))  # seen before: not new today
        self._visit(first, today)
        self._visit(second, today)  # first visit ever: new customer
        self._visit(third, today, state="missed")
        self._visit(third, today, is_unplanned=True)  # also new
        self._order(first, 100.0)
        self._order(second, 250.0, confirm=True)
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": first.id,
                "invoice_user_id": self.user_rep.id,
                "invoice_date": today,
                "invoice_line_ids": [
                    fields.Command.create({"name": "Goods", "quantity": 2, "price_unit": 300.0, "tax_ids": False})
                ],
            }
        )
        invoice.action_post()
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": first.id,
                "invoice_user_id": self.user_rep.id,
                "invoice_date": today,
                "invoice_line_ids": [
                    fields.Command.create({"name": "Return", "quantity": 1, "price_unit": 50.0, "tax_ids": False})
                ],
            }
        )
        refund.action_post()
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": second.id,
                "amount": 80.0,
                "date": today,
            }
        )
        payment.action_post()
        rows = self.env["sales.visit.daily.report"].with_user(self.user_rep).search([("date", "=", today)])
        self.assertEqual(len(rows), 1)
        row = rows
        self.assertEqual(row.user_id, self.user_rep)
        self.assertEqual(row.visit_planned_count, 3, "done, done, missed; the unplanned one is not planned")
        self.assertEqual(row.visit_done_count, 3)
        self.assertEqual(row.visit_unplanned_count, 1)
        self.assertEqual(row.new_customer_count, 2)
        self.assertEqual(row.quotation_count, 2)
        self.assertAlmostEqual(row.quotation_amount, 350.0)
        self.assertEqual(row.order_count, 1)
        self.assertAlmostEqual(row.order_amount, 250.0)
        self.assertAlmostEqual(row.invoiced_amount, 550.0)
        self.assertAlmostEqual(row.cash_collected, 80.0)
        self.assertGreaterEqual(row.week_planned_count, 3)
        # Another rep sees none of it; a manager does.
        self.assertFalse(self.env["sales.visit.daily.report"].with_user(self.user_rep2).search([("date", "=", today)]))
        self.assertTrue(
            self.env["sales.visit.daily.report"]
            .with_user(self.user_manager)
            .search([("date", "=", today), ("user_id", "=", self.user_rep.id)])
        )
        # XLSX: a real workbook with both sheets.
        action = rows.with_user(self.user_rep).action_export_xlsx()
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        content = base64.b64decode(self.env["ir.attachment"].browse(attachment_id).datas)
        with zipfile.ZipFile(io.BytesIO(content)) as workbook:
            names = workbook.namelist()
        self.assertIn("xl/worksheets/sheet1.xml", names)
        self.assertIn("xl/worksheets/sheet2.xml", names)

    @freeze_time("2026-03-20")
    def test_coverage_hand_worked(self):
        """Ruth's 4 customers (biweekly): seen 10 days ago, 14 days ago, 20 days ago, never.

        Seen within frequency: 2 of 4 = 50 %; overdue: 20 days ago and never = 2.
        """
        a, b, c, _d = self.customers
        self._visit(a, D(2026, 3, 10))
        self._visit(b, D(2026, 3, 6))
        self._visit(c, D(2026, 2, 28))
        Report = self.env["sales.visit.coverage.report"].with_user(self.user_manager)
        rows = Report.search([("partner_id", "in", self.customers.ids)])
        self.assertEqual(len(rows), 4)
        self.assertEqual(rows.filtered("is_covered").partner_id, a | b)
        self.assertEqual(len(rows.filtered("is_overdue")), 2)
        [group] = Report._read_group(
            [("partner_id", "in", self.customers.ids)],
            ["user_id"],
            ["coverage_rate:avg", "overdue_count:sum", "customer_count:sum"],
        )
        self.assertEqual(group[0], self.user_rep)
        self.assertAlmostEqual(group[1], 50.0)
        self.assertEqual((group[2], group[3]), (2, 4))
        # The rep sees only his own customers' rows.
        self.assertEqual(
            len(
                self.env["sales.visit.coverage.report"]
                .with_user(self.user_rep2)
                .search([("partner_id", "in", self.customers.ids)])
            ),
            0,
        )

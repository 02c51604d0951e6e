import base64
import datetime
import io
import zipfile

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.tests import freeze_time, tagged
from odoo.tools.safe_eval import safe_eval

from ..tools import visit_schedule
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
        # Cash collected is a payment reconciled with an invoice (sales.credit.collection._collected_sql);
        # a payment still unmatched on the customer's account is not collected yet.
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"payment_date": today, "amount": 80.0}
        )._create_payments()
        unmatched = self.env["account.payment"].create(
            {"payment_type": "inbound", "partner_type": "customer", "partner_id": second.id, "amount": 30.0}
        )
        unmatched.action_post()
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

    def _filter_domain(self, model, name, today):
        """The domain of a search-view filter, evaluated as the web client does on `today`."""
        arch = etree.fromstring(self.env[model].get_view(view_type="search")["arch"])
        [node] = arch.xpath(f"//filter[@name='{name}']")
        return safe_eval(node.get("domain"), {"context_today": lambda: today, "relativedelta": relativedelta})

    @freeze_time("2026-03-11")
    def test_daily_report_stops_today_and_lists_sales_reps_only(self):
        today = D(2026, 3, 11)
        self._visit(self.customers[0], today)
        self._visit(self.customers[1], D(2026, 3, 12), state="planned")  # tomorrow
        self._visit(self.customers[2], D(2026, 3, 16), state="planned")  # next week
        bot_invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customers[0].id,
                "invoice_user_id": self.env.ref("base.user_root").id,
                "invoice_date": today,
                "invoice_line_ids": [
                    fields.Command.create({"name": "Goods", "quantity": 1, "price_unit": 10.0, "tax_ids": False})
                ],
            }
        )
        bot_invoice.action_post()
        Report = self.env["sales.visit.daily.report"].with_user(self.user_manager)
        rows = Report.search([])
        self.assertTrue(rows)
        self.assertLessEqual(max(rows.mapped("date")), today, "no future day")
        salesman = self.env.ref("sales_team.group_sale_salesman")
        self.assertTrue(all(not u.share and salesman in u.groups_id for u in rows.user_id))
        self.assertNotIn(self.env.ref("base.user_root"), rows.user_id)
        self.assertTrue(all(rows.mapped("user_id")), "no row without a rep")
        # The week's plan still counts the visits planned later in the week.
        [row] = Report.search([("date", "=", today), ("user_id", "=", self.user_rep.id)])
        self.assertEqual((row.week_planned_count, row.week_done_count), (2, 1))
        # "Last 7 Days" is today and the six days before it.
        domain = self._filter_domain("sales.visit.daily.report", "last_7_days", today)
        self.assertEqual(domain, [("date", ">=", "2026-03-05"), ("date", "<=", "2026-03-11")])
        self.assertIn(row, Report.search(domain))

    @freeze_time("2026-03-10")
    def test_visits_per_day_over_working_days(self):
        """Week of 2-8 March, Wednesday 4 a public holiday: 4 working days.

        In person: 3 on Monday, 1 on Tuesday (and a call), 1 on the holiday: 5 ÷ 4 = 1.25
        (averaging the 3 days that have a visit would give 1.67).
        """
        self._holiday(D(2026, 3, 4))
        for n in range(3):
            self._visit(self.customers[n], D(2026, 3, 2))
        self._visit(self.customers[0], D(2026, 3, 3))
        self._visit(self.customers[1], D(2026, 3, 3), mode="phone")
        self._visit(self.customers[2], D(2026, 3, 4))
        Report = self.env["sales.visit.daily.report"].with_user(self.user_manager)
        domain = [("user_id", "=", self.user_rep.id), ("date", ">=", D(2026, 3, 2)), ("date", "<=", D(2026, 3, 8))]
        [(per_day, working_days, in_person, remote)] = Report._read_group(
            domain,
            [],
            ["visit_per_day:avg", "working_day_count:sum", "visit_in_person_count:sum", "visit_remote_count:sum"],
        )
        self.assertEqual((working_days, in_person, remote), (4, 5, 1))
        self.assertAlmostEqual(per_day, 1.25)
        self.assertAlmostEqual(per_day, visit_schedule.per_working_day(in_person, working_days))
        # Days without any visit are rows of the report (zero), so a manager sees them.
        self.assertEqual(Report.search_count([*domain, ("working_day_count", "=", 1)]), 4)
        # The web client's group-by gives the same figure.
        [group] = Report.read_group(domain, ["visit_per_day:avg"], ["user_id"])
        self.assertAlmostEqual(group["visit_per_day"], 1.25)
        # XLSX "By Rep": the same ratio.
        rows = Report.search(domain)
        sheet = self._sheet_values(rows._build_xlsx(rows), "xl/worksheets/sheet2.xml")
        self.assertIn("1.25", sheet)

    def _sheet_values(self, content, name):
        with zipfile.ZipFile(io.BytesIO(content)) as workbook:
            return workbook.read(name).decode()

    @freeze_time("2026-03-20")
    def test_coverage_lists_customers_only(self):
        a, _b, _c, never = self.customers
        self._visit(a, D(2026, 3, 10))
        self.user_rep2.partner_id.write({"visit_user_id": self.user_rep.id, "visit_frequency": "weekly"})
        company_contact = self.env["res.partner"].create(
            {"name": "Our Own Buyer", "parent_id": self.company.partner_id.id, "visit_user_id": self.user_rep.id}
        )
        Report = self.env["sales.visit.coverage.report"].with_user(self.user_manager)
        rows = Report.search([("user_id", "=", self.user_rep.id)])
        self.assertNotIn(self.user_rep2.partner_id, rows.partner_id, "an internal user is no customer")
        self.assertNotIn(company_contact, rows.partner_id, "nor a contact of our company")
        self.assertIn(never, rows.partner_id)
        [never_row] = rows.filtered(lambda r: r.partner_id == never)
        self.assertTrue(never_row.is_never_visited)
        self.assertTrue(never_row.is_overdue)
        [(avg_days,)] = Report._read_group([("partner_id", "in", (a | never).ids)], [], ["days_since_visit:avg"])
        self.assertEqual(avg_days, 10, "never visited is not 0 days since")
        # And the list says so in words: "Never", not "0 days since".
        [seen_row] = rows.filtered(lambda r: r.partner_id == a)
        self.assertEqual(never_row.last_visit_label, "Never")
        self.assertEqual(seen_row.last_visit_label, "10 days ago")
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["sales_management"], ["zh_CN"], overwrite=True)
        zh_row = Report.with_context(lang="zh_CN").browse(never_row.id)
        self.assertEqual(zh_row.last_visit_label, "从未拜访")
        # The overdue list and the proposals leave them out too.
        overdue = self.env["res.partner"].search(
            [("is_visit_overdue", "=", True), ("visit_user_id", "=", self.user_rep.id)]
        )
        self.assertNotIn(self.user_rep2.partner_id, overdue)
        created = self.env["sales.visit"]._propose_visits(self.user_rep, D(2026, 3, 23), D(2026, 3, 27))
        self.assertFalse((self.user_rep2.partner_id | company_contact) & created.partner_id)
        self.assertIn(never, created.partner_id)

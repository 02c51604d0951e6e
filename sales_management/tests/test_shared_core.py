"""The shared core: each figure defined once and used by every capability (issue 11)."""

import io
from datetime import date, datetime, timedelta

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged
from odoo.tools import SQL

from ..models.sales_management_xlsx_mixin import XLSX_FIRST_DATA_ROW
from ..tools import visit_schedule
from ..tools.visit_frequency import FREQUENCY_DAYS
from .common import SalesManagementCase
from .credit_common import CreditCase
from .visit_common import VisitCase

MON = date(2030, 3, 4)  # a Monday; Wednesday 2030-03-06 is made a public holiday


@tagged("post_install", "-at_install")
class TestSharedWorkingDays(VisitCase):
    """One definition of a working day (res.company._get_sales_working_days) for every capability."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()  # a Monday-to-Friday calendar
        cls.company.complaint_deadline_mode = "working"
        # A public holiday of the company, for every calendar.
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": False,
                "company_id": cls.company.id,
                "date_from": datetime(2030, 3, 6, 0, 0),
                "date_to": datetime(2030, 3, 6, 23, 59),
            }
        )

    def _complaint_deadline(self, start, days):
        complaint = self.env["sales.complaint"].new({"company_id": self.company.id})
        return complaint._add_deadline_days(start, days, {})

    def _visit_followup_day(self, start, delay):
        working = self.company._get_sales_working_days(start, start + timedelta(days=60))
        return visit_schedule.followup_date(start, None, delay, working)

    def test_calendar_and_public_holiday(self):
        week = self.company._get_sales_working_days(MON, MON + timedelta(days=6))
        self.assertEqual(week, [MON, MON + timedelta(days=1), MON + timedelta(days=3), MON + timedelta(days=4)])
        self.assertEqual(
            self.company._get_sales_off_days(MON, MON + timedelta(days=6)),
            {MON + timedelta(days=d) for d in (2, 5, 6)},
        )
        # Complaint deadline: three working days after Monday skip the holiday: Friday.
        self.assertEqual(self._complaint_deadline(MON, 3), MON + timedelta(days=4))
        # A visit's follow-up due on the holiday moves to the next working day.
        self.assertEqual(self._visit_followup_day(MON, 2), MON + timedelta(days=3))
        # The same days as the plan split (sales.quota.plan) and the scorecard use.
        self.assertIn(MON + timedelta(days=3), week)

    def test_one_rule_without_a_calendar(self):
        """Without a working schedule every capability works Monday to Friday."""
        self.company.resource_calendar_id = False
        week = self.company._get_sales_working_days(MON, MON + timedelta(days=6))
        self.assertEqual(week, [MON + timedelta(days=d) for d in range(5)])
        # Complaint deadlines too (they used to count weekends then): Friday + 1 working day = Monday.
        self.assertEqual(self._complaint_deadline(MON + timedelta(days=4), 1), MON + timedelta(days=7))
        self.assertEqual(self._visit_followup_day(MON + timedelta(days=3), 2), MON + timedelta(days=7))


@tagged("post_install", "-at_install")
class TestSharedRights(SalesManagementCase):
    """One rights helper (base._sales_check_rights): always an AccessError."""

    def test_helper_refuses_with_access_error(self):
        group = "sales_team.group_sale_salesman_all_leads"
        Partner = self.env["res.partner"]
        with self.assertRaises(AccessError):
            Partner.with_user(self.user_rep)._sales_check_rights(group, "no")
        # The superuser passes where it is meant to...
        Partner.with_user(self.user_rep).sudo()._sales_check_rights(group, "no")
        # ...and not where a person must pass himself, even in sudo.
        with self.assertRaises(AccessError):
            Partner.with_user(self.user_rep).sudo()._sales_check_rights(group, "no", superuser=False)
        Partner.with_user(self.user_manager).sudo()._sales_check_rights(group, "no", superuser=False)

    def test_callers_raise_access_error(self):
        with self.assertRaises(AccessError):
            self.env["sales.credit.status"].with_user(self.user_rep)._check_credit_rights()
        self.env["sales.credit.status"].with_user(self.user_rep).sudo()._check_credit_rights()
        # A plan's state is a manager's decision, in sudo too.
        plan = self.env["sales.quota.plan"].create({"year": 2031, "sales_target": 1000.0})
        with self.assertRaises(AccessError):
            plan.with_user(self.user_rep).sudo()._check_manager()
        # Giving a visit to another rep: was a UserError, now the same AccessError as every rights refusal.
        with self.assertRaises(AccessError):
            self.env["sales.visit"].with_user(self.user_rep)._check_can_assign(self.user_manager.id)


@tagged("post_install", "-at_install")
class TestSharedXlsx(SalesManagementCase):
    """One XLSX mixin: title block, text never a formula, percent formats."""

    def test_text_is_never_a_formula(self):
        import openpyxl

        Mixin = self.env["sales.credit.report.wizard"]
        book, output = Mixin._xlsx_workbook()
        formats = Mixin._xlsx_formats(book)
        texts = ['=HYPERLINK("http://example.com","x")', "+86 21 1234", "-5 days", "@home"]
        sheet = Mixin._xlsx_sheet(
            book, formats, "Test", "Report", ["Name", "Rate"], self.company, Mixin._xlsx_period_label()
        )
        for row, text in enumerate(texts, start=XLSX_FIRST_DATA_ROW):
            Mixin._xlsx_write_row(sheet, row, [text, 0.25], {1: formats["percent"]})
        book.close()
        ws = openpyxl.load_workbook(io.BytesIO(output.getvalue()))["Test"]
        self.assertIn(self.company.name, ws["A1"].value)
        self.assertIn(self.company.currency_id.name, ws["A2"].value)
        self.assertEqual([c.value for c in ws[XLSX_FIRST_DATA_ROW]], ["Name", "Rate"])
        for row, text in enumerate(texts, start=XLSX_FIRST_DATA_ROW + 1):
            self.assertEqual((ws.cell(row, 1).value, ws.cell(row, 1).data_type), (text, "s"))
            self.assertEqual(ws.cell(row, 2).number_format, "0.0%")

    def test_headers_in_the_users_language(self):
        import openpyxl

        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["sales_management"], ["zh_CN"], overwrite=True)
        self.user_credit.lang = "zh_CN"
        wizard = (
            self.env["sales.credit.report.wizard"]
            .with_user(self.user_credit)
            .with_context(lang="zh_CN")
            .create({"report_type": "ageing"})
        )
        action = wizard.action_export()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        book = openpyxl.load_workbook(io.BytesIO(attachment.raw))
        sheet = book["按客户"]
        self.assertIn("账龄与应收账款周转天数", sheet["A1"].value)
        self.assertIn("币种", sheet["A2"].value)
        self.assertEqual([c.value for c in sheet[XLSX_FIRST_DATA_ROW]][:3], ["客户", "应收账款周转天数", "应收账款"])


@tagged("post_install", "-at_install")
class TestFiguresReconcile(CreditCase):
    """Money collected has one definition; the Collection Plan vs Actual sheets reconcile;
    DSO is empty without sales in the window."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A customer without salesperson, whose name a spreadsheet would take for a formula.
        cls.orphan = cls.env["res.partner"].create({"name": '=HYPERLINK("http://x","Orphan")', "is_company": True})
        cls.inv_rep = cls._invoice(1000, days_ago=0, due_days=0)
        cls.inv_orphan = cls._invoice(600, partner=cls.orphan, days_ago=0, due_days=0)
        cls._pay(cls.inv_rep, amount=400)
        cls._pay(cls.inv_orphan)
        # A payment not matched with any invoice is not collected yet.
        unmatched = cls.env["account.payment"].create(
            {"payment_type": "inbound", "partner_type": "customer", "partner_id": cls.customer.id, "amount": 77.0}
        )
        unmatched.action_post()
        cls.month = cls.today.replace(day=1)
        cls.env["sales.credit.collection"]._generate(cls.month, cls.company)

    def _export(self, report_type):
        import openpyxl

        wizard = (
            self.env["sales.credit.report.wizard"]
            .with_user(self.user_credit)
            .create({"report_type": report_type, "date_from": self.month, "date_to": self.today})
        )
        action = wizard.action_export()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        return openpyxl.load_workbook(io.BytesIO(attachment.raw))

    @staticmethod
    def _rows(sheet):
        """Data rows (after the title block and headers) without the total row, and the total row."""
        rows = [row for row in sheet.iter_rows(min_row=XLSX_FIRST_DATA_ROW + 1, values_only=True) if row[0]]
        return rows[:-1], rows[-1]

    def test_collected_is_one_figure(self):
        Collection = self.env["sales.credit.collection"]
        lines = Collection.search([("date", "=", self.month), ("company_id", "=", self.company.id)])
        by_partner = {line.partner_id: line.collected_amount for line in lines}
        self.assertEqual(by_partner, {self.customer: 400.0, self.orphan: 600.0})
        # The same money per invoice salesperson (quota lines, scorecards): same total.
        by_user = Collection._get_collected_by_user_month(self.company, self.month, self.today)
        self.assertAlmostEqual(sum(by_user.values()), 1000.0)
        by_user_figures = Collection._get_collection_by_user(self.month, self.today, self.company)
        self.assertAlmostEqual(sum(v["collected"] for v in by_user_figures.values()), 1000.0)

    def test_collection_sheets_reconcile(self):
        book = self._export("collection")
        detail, detail_total = self._rows(book["Plan vs Actual"])
        by_rep, by_rep_total = self._rows(book["By Salesperson"])
        self.assertIn(self.company.name, book["Plan vs Actual"]["A1"].value)
        # Customer, month, salesperson, due, planned, collected, rate / salesperson, due, planned, collected, rate
        planned = sum(row[4] for row in detail)
        collected = sum(row[5] for row in detail)
        self.assertEqual((planned, collected), (1600.0, 1000.0))
        self.assertEqual(sum(row[2] for row in by_rep), planned)
        self.assertEqual(sum(row[3] for row in by_rep), collected)
        self.assertIn("None", [row[0] for row in by_rep], "customers without salesperson are counted")
        self.assertEqual({row[0] for row in by_rep}, {self.user_rep.name, "None"})
        # Totals are formulas over the rows; their cached values are the sums too.
        self.assertTrue(str(detail_total[4]).startswith("=SUM("))
        self.assertTrue(str(by_rep_total[2]).startswith("=SUM("))
        # The formula-looking customer name is text; rates are percent-formatted fractions.
        sheet = book["Plan vs Actual"]
        names = [sheet.cell(row, 1) for row in range(XLSX_FIRST_DATA_ROW + 1, XLSX_FIRST_DATA_ROW + 3)]
        orphan_cell = next(cell for cell in names if cell.value == self.orphan.name)
        self.assertEqual(orphan_cell.data_type, "s")
        self.assertEqual(sheet.cell(XLSX_FIRST_DATA_ROW + 1, 7).number_format, "0.0%")
        rates = {row[0]: row[6] for row in detail}
        self.assertAlmostEqual(rates[self.orphan.name], 1.0)

    def test_dso_empty_without_sales_in_the_window(self):
        self.company.credit_dso_days = 90
        old_customer = self.env["res.partner"].create({"name": "Old Debt Ltd", "is_company": True})
        self._invoice(500, partner=old_customer, days_ago=200, due_days=30)
        Status = self.env["sales.credit.status"]
        statuses = Status._get_status(old_customer | self.customer, self.company, create=True)
        statuses._recompute()
        old_status = statuses.filtered(lambda s: s.partner_id == old_customer)
        recent = statuses - old_status
        self.assertFalse(old_status.dso_defined)
        self.assertTrue(recent.dso_defined)
        [(stored,)] = self.env.execute_query(SQL("SELECT dso FROM sales_credit_status WHERE id = %s", old_status.id))
        self.assertIsNone(stored, "no 90.0 (the window) stored as a DSO")
        # Averages skip it: the group's DSO is the recent customer's alone.
        [(average,)] = Status._read_group([("id", "in", statuses.ids)], [], ["dso:avg"])
        self.assertAlmostEqual(average, recent.dso)
        rows, _total = self._rows(self._export("ageing")["By Customer"])
        by_name = {row[0]: row for row in rows}
        self.assertIsNone(by_name[old_customer.display_name][1])
        self.assertEqual(by_name[old_customer.display_name][2], 500.0)


@tagged("post_install", "-at_install")
class TestVisitScheduleTools(VisitCase):
    """Production follows tools.visit_schedule: the customer's next visit and overdue
    flag call it, and the coverage report's SQL gives the same answers."""

    @freeze_time("2026-03-20")
    def test_coverage_follows_the_tool(self):
        today = date(2026, 3, 20)
        first, second, third, fourth = self.customers
        (first | second | third | fourth).write({"visit_frequency": "weekly"})
        self._visit(first, today - timedelta(days=3))  # seen within the week
        self._visit(second, today - timedelta(days=7))  # due today: covered, not overdue
        self._visit(third, today - timedelta(days=20))  # overdue; the fourth was never visited
        days = FREQUENCY_DAYS["weekly"]
        rows = self.env["sales.visit.coverage.report"].search([("partner_id", "in", self.customers.ids)])
        self.assertEqual(len(rows), 4)
        for row in rows:
            partner = row.partner_id
            last = partner.visit_last_date
            self.assertEqual(partner.visit_next_date or None, visit_schedule.next_due_date(last, days))
            self.assertEqual(row.is_covered, visit_schedule.is_covered(last, days, today), partner.name)
            self.assertEqual(row.is_overdue, visit_schedule.is_overdue(last, days, today), partner.name)
            self.assertEqual(partner.is_visit_overdue, row.is_overdue, partner.name)
        self.assertEqual(rows.filtered("is_overdue").partner_id, third | fourth)

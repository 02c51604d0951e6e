import importlib
import importlib.metadata
from datetime import datetime, time, timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .documents_common import DocumentsCase


@tagged("post_install", "-at_install")
class TestAmountInWords(DocumentsCase):
    """The one ORM helper: Odoo's amount_to_text (num2words) or Chinese capitals (cn2an)."""

    def test_english_through_amount_to_text(self):
        usd = self.env.ref("base.USD")
        cases = {
            0.0: "Zero Dollars",
            0.05: "Zero Dollars and Five Cents",
            10.10: "Ten Dollars and Ten Cents",
            1_000_000.01: "One Million Dollars and One Cents",
            -1234.5: "Minus One Thousand, Two Hundred And Thirty-Four Dollars and Fifty Cents",
            -0.05: "Minus Zero Dollars and Five Cents",
        }
        for amount, words in cases.items():
            self.assertEqual(usd._get_amount_in_words(amount, "en_US"), words)
            if amount >= 0:
                self.assertEqual(usd.with_context(lang="en_US").amount_to_text(amount), words)
        # A language that is not installed: the user's words (Odoo refuses such a context).
        self.assertEqual(usd._get_amount_in_words(10.10, "xx_XX"), "Ten Dollars and Ten Cents")

    def test_chinese_capitals(self):
        cny = self.env.ref("base.CNY")
        cases = {
            0.0: "零元整",
            0.05: "伍分",
            10.10: "壹拾元壹角",
            1_000_000.01: "壹佰万元零壹分",
            12345.67: "壹万贰仟叁佰肆拾伍元陆角柒分",
            -12345.67: "负壹万贰仟叁佰肆拾伍元陆角柒分",
        }
        for amount, words in cases.items():
            self.assertEqual(cny._get_amount_in_words(amount, "zh_CN"), words)
        self.assertEqual(self.env.ref("base.USD")._get_amount_in_words(10.10, "zh_CN"), "美元壹拾元壹角")
        # The document's language decides, else the user's.
        self.env["res.lang"]._activate_lang("zh_CN")
        self.assertEqual(cny.with_context(lang="zh_CN")._get_amount_in_words(3), "叁元整")
        self.assertEqual(cny.with_context(lang="zh_CN")._get_amount_in_words(3, "en_US"), "Three Yuan")

    def test_missing_library_refuses_the_install_clearly(self):
        real_version, real_import = importlib.metadata.version, importlib.import_module
        for library in ("cn2an", "num2words"):

            def version(name, library=library):
                if name == library:
                    raise importlib.metadata.PackageNotFoundError(name)
                return real_version(name)

            def import_module(name, *args, library=library):
                if name == library:
                    raise ImportError(name)
                return real_import(name, *args)

            with (
                patch("importlib.metadata.version", side_effect=version),
                patch("importlib.import_module", side_effect=import_module),
                self.assertRaisesRegex(
                    UserError,
                    f'Unable to install module "sales_management" because an external dependency is not met: '
                    f"External dependency {library} not installed",
                ),
            ):
                self.env["ir.module.module"].check_external_dependencies("sales_management")

    def test_amount_in_words_on_quotations_and_invoices(self):
        cny = self.setup_other_currency("CNY")
        self.env["res.lang"]._activate_lang("zh_CN")
        customer = self.env["res.partner"].create({"name": "Shanghai Buyer", "is_company": True, "lang": "zh_CN"})
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "pricelist_id": self.env["product.pricelist"].create({"name": "CNY", "currency_id": cny.id}).id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "product_uom_qty": 1, "price_unit": 12345.67})
                ],
            }
        )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "currency_id": cny.id,
                "invoice_date": self.today,
                "invoice_line_ids": [
                    Command.create({"name": "line", "price_unit": 12345.67, "tax_ids": [Command.clear()]})
                ],
            }
        )
        invoice.action_post()
        report = self.env["ir.actions.report"]
        words = "壹万贰仟叁佰肆拾伍元陆角柒分"
        self.company.is_amount_in_words_on_documents = False
        self.assertNotIn(words, report._render_qweb_html("sale.action_report_saleorder", order.ids)[0].decode())
        self.assertNotIn(words, report._render_qweb_html("account.account_invoices", invoice.ids)[0].decode())
        self.company.is_amount_in_words_on_documents = True
        self.assertIn(words, report._render_qweb_html("sale.action_report_saleorder", order.ids)[0].decode())
        self.assertIn(words, report._render_qweb_html("account.account_invoices", invoice.ids)[0].decode())
        customer.lang = "en_US"
        self.assertIn(
            "Twelve Thousand, Three Hundred And Forty-Five Yuan and Sixty-Seven Fen",
            report._render_qweb_html("sale.action_report_saleorder", order.ids)[0].decode(),
        )


@tagged("post_install", "-at_install")
class TestComplaintSheet(DocumentsCase):
    """Complaint handling sheet (客户投诉处理单)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        received = datetime.combine(cls._date(10), time(9, 0))
        cls.complaint = cls.env["sales.complaint"].create(
            {
                "partner_id": cls.customer.id,
                "category_id": cls.env.ref("sales_management.complaint_category_quality").id,
                "date_received": received,
                "invoice_id": cls.inv_45.id,
                "user_id": cls.user_rep.id,
                "description": "<p>Scratched table tops</p>",
            }
        )
        cls.complaint.category_id.write({"reply_days": 3, "onsite_days": 5})
        cls.complaint.action_acknowledge()
        # Replied on the next day (on time), on site seven days after receipt (two days late).
        cls.complaint.write({"date_acknowledged": received + timedelta(days=1), "date_onsite": cls._date(3)})
        cls.env["sales.complaint.credit.note"].create(
            {"complaint_id": cls.complaint.id, "amount": 250.0}
        ).action_create_credit_note()
        cls.complaint.write(
            {
                "root_cause": "Packing without corner guards",
                "corrective_action": "Corner guards on every table top",
                "preventive_action": "Packing check at dispatch",
                "resolution": "credit_note",
                "satisfaction": 4,
            }
        )
        cls.complaint.action_resolve()

    def _sheet(self, user, complaints=None):
        html, _format = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_qweb_html("sales_management.action_report_complaint_sheet", (complaints or self.complaint).ids)
        )
        return html.decode()

    def test_sheet_content(self):
        self.assertEqual((self.complaint.is_reply_met, self.complaint.is_onsite_met), (True, False))
        html = self._sheet(self.user_rep)
        for text in (
            "Complaint Handling Sheet",
            self.complaint.name,
            "Scratched table tops",
            "Packing without corner guards",
            "Corner guards on every table top",
            self.complaint.credit_note_id.name,
            "Two Hundred And Fifty Dollars",
            "Customer confirmation",
        ):
            self.assertIn(text, html)
        self.assertRegex(html, r'name="satisfaction">\s*<span>4</span> / 5')
        self.assertIn('name="deadline_met"', html, "the reply deadline was met")
        self.assertIn('name="deadline_missed"', html, "the on-site deadline was missed")

    def test_sheet_access(self):
        # The rep reads his customer's complaint, its credit note included (which Sales
        # rules alone would hide from him); after-sales and managers read every complaint.
        self.assertIn(self.complaint.name, self._sheet(self.user_after_sales))
        self.assertIn(self.complaint.name, self._sheet(self.user_manager))
        for user in (self.user_rep2, self.user_portal):
            with self.assertRaises(AccessError):
                self._sheet(user)


@tagged("post_install", "-at_install")
class TestVisitReport(DocumentsCase):
    """Visit report / daily sales report (营业日报) of a rep and a day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.day = cls._date(1)
        cls.visit = cls.env["sales.visit"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.user_rep.id,
                "date": cls.day,
                "purpose": "collection",
                "check_in": datetime.combine(cls.day, time(9, 0)),
                "check_out": datetime.combine(cls.day, time(9, 45)),
                "outcome": "Promised to pay the overdue invoice",
                "competitor_info": "Competitor offers 60 days",
            }
        )
        cls.visit.state = "done"
        cls.missed = cls.env["sales.visit"].create(
            {"partner_id": cls.contact.id, "user_id": cls.user_rep.id, "date": cls.day}
        )
        cls.missed.write({"state": "missed", "reason": "Customer closed for inventory"})
        cls.visit_other = cls.env["sales.visit"].create(
            {"partner_id": cls.other_customer.id, "user_id": cls.user_rep2.id, "date": cls.day}
        )
        cls._pay(cls.inv_not_due, amount=120.0, days_ago=1)

    def _render(self, user, report, records):
        html, _format = self.env["ir.actions.report"].with_user(user)._render_qweb_html(report, records.ids)
        return html.decode()

    def test_day_report_from_a_visit(self):
        html = self._render(self.user_rep, "sales_management.action_report_visit_day", self.visit)
        for text in (
            "Daily Sales Report",
            self.user_rep.name,
            "Credit Customer",
            "Promised to pay the overdue invoice",
            "Competitor offers 60 days",
            "Customer closed for inventory",
            "One Hundred And Twenty Dollars",
        ):
            self.assertIn(text, html)
        self.assertNotIn("Rob Customer Ltd", html)
        row = self.env["sales.visit.daily.report"].search([("user_id", "=", self.user_rep.id), ("date", "=", self.day)])
        self.assertEqual((row.visit_done_count, row.cash_collected), (1, 120.0))
        self.assertRegex(html, r'name="visit_done_count"><span>1</span>')

    def test_day_report_from_the_daily_report(self):
        rows = self.env["sales.visit.daily.report"].search(
            [("user_id", "in", (self.user_rep | self.user_rep2).ids), ("date", "=", self.day)]
        )
        self.assertEqual(len(rows), 2)
        html = self._render(self.user_manager, "sales_management.action_report_visit_daily", rows)
        self.assertIn("Promised to pay the overdue invoice", html)
        self.assertIn("Rob Customer Ltd", html)
        self.assertEqual(html.count("Reviewed by the manager"), 2, "one report per rep and day")

    def test_day_report_access(self):
        with self.assertRaises(AccessError):
            self._render(self.user_rep2, "sales_management.action_report_visit_day", self.visit)
        rep_row = self.env["sales.visit.daily.report"].search(
            [("user_id", "=", self.user_rep.id), ("date", "=", self.day)]
        )
        with self.assertRaises(AccessError):
            self._render(self.user_rep2, "sales_management.action_report_visit_daily", rep_row)
        with self.assertRaises(AccessError):
            self._render(self.user_portal, "sales_management.action_report_visit_day", self.visit)


@tagged("post_install", "-at_install")
class TestDocumentsPdf(DocumentsCase, HttpCase):
    """The reports through wkhtmltopdf, and through the web client's report route."""

    def setUp(self):
        super().setUp()
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() != "ok":
            self.skipTest("wkhtmltopdf is not installed: the PDFs cannot be rendered here")

    def test_pdf_of_every_report(self):
        complaint = self.env["sales.complaint"].create(
            {
                "partner_id": self.customer.id,
                "category_id": self.env.ref("sales_management.complaint_category_quality").id,
                "user_id": self.user_rep.id,
            }
        )
        visit = self.env["sales.visit"].create(
            {"partner_id": self.customer.id, "user_id": self.user_rep.id, "date": fields.Date.today()}
        )
        row = self.env["sales.visit.daily.report"].search(
            [("user_id", "=", self.user_rep.id), ("date", "=", visit.date)]
        )
        report = self.env["ir.actions.report"].with_user(self.user_rep).with_context(force_report_rendering=True)
        for action, records in (
            ("sales_management.action_report_partner_statement", self.customer),
            ("sales_management.action_report_complaint_sheet", complaint),
            ("sales_management.action_report_visit_day", visit),
            ("sales_management.action_report_visit_daily", row),
        ):
            pdf, report_format = report._render_qweb_pdf(action, records.ids)
            self.assertEqual(report_format, "pdf")
            self.assertTrue(pdf.startswith(b"%PDF"), action)

    def test_report_route_enforces_the_rules(self):
        self.authenticate("sm_credit_rep", "sm_credit_rep")
        own = self.url_open(f"/report/html/sales_management.report_partner_statement/{self.customer.id}")
        self.assertEqual(own.status_code, 200)
        self.assertIn(self.inv_45.name, own.text)
        other = self.url_open(f"/report/html/sales_management.report_partner_statement/{self.other_customer.id}")
        self.assertNotEqual(other.status_code, 200)
        self.assertNotIn(self.inv_other.name, other.text)
        pdf = self.url_open(f"/report/pdf/sales_management.report_partner_statement/{self.other_customer.id}")
        self.assertNotEqual(pdf.status_code, 200)

import base64
import io
import shutil
import tempfile

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationImporter

from .documents_common import DocumentsCase

AGEING_FIELDS = ["ageing_not_due", "ageing_1_30", "ageing_31_60", "ageing_61_90", "ageing_91_180", "ageing_over_180"]


@tagged("post_install", "-at_install")
class TestStatement(DocumentsCase):
    """Statement of account / payment notice (对账单 / 收款通知书)."""

    def _values(self, user, partners, data=None):
        return (
            self.env["report.sales_management.report_partner_statement"]
            .with_user(user)
            ._get_report_values(partners.ids, data=data or {})
        )

    def test_statement_figures_hand_worked(self):
        [statement] = self._values(self.user_rep, self.contact)["statements"]
        self.assertEqual(statement["partner"], self.customer, "a contact's statement is its company's")
        self.assertEqual(statement["ageing"], self.expected_ageing)
        self.assertEqual(statement["balance"], 2750.0)
        self.assertEqual(statement["overdue"], 1700.0)
        self.assertEqual(
            sorted(line["item"].move_id.name for line in statement["lines"]),
            sorted((self.inv_not_due | self.inv_contact | self.refund | self.inv_45 | self.inv_200).mapped("name")),
        )
        line_45 = next(line for line in statement["lines"] if line["item"].move_id == self.inv_45)
        self.assertEqual((line_45["days_overdue"], line_45["amount"], line_45["residual"]), (45, 2000.0, 1500.0))
        # Default period: the previous month to today, so only the recent payment.
        self.assertEqual(statement["date_from"], fields.Date.subtract(self.today.replace(day=1), months=1))
        self.assertEqual(statement["payments"].move_id, self.payment_recent.move_id)
        self.assertEqual(statement["payments_total"], 500.0)
        self.assertEqual(statement["balance_words"], "Two Thousand, Seven Hundred And Fifty Dollars")

    def test_statement_totals_equal_the_ageing_report(self):
        status = self.env["sales.credit.status"]._get_status(self.customer, self.company, create=True)
        status._recompute(self.today)
        [statement] = self._values(self.user_credit, self.customer)["statements"]
        self.assertEqual(
            [statement["ageing"][name.removeprefix("ageing_")] for name in AGEING_FIELDS],
            [status[name] for name in AGEING_FIELDS],
        )
        self.assertEqual(statement["balance"], status.receivable_amount)
        # The XLSX ageing report (By Customer sheet) shows the same figures.
        import openpyxl  # an Odoo requirement

        action = (
            self.env["sales.credit.report.wizard"]
            .with_user(self.user_credit)
            .create({"report_type": "ageing", "company_id": self.company.id})
            .action_export()
        )
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))["By Customer"]
        [row] = [row for row in sheet.iter_rows(values_only=True) if row[0] == self.customer.display_name]
        expected = [statement["balance"], *(statement["ageing"][key] for key in self.expected_ageing)]
        self.assertEqual(list(row[2:9]), expected)

    def test_statement_html_shows_items_payments_plan_and_words(self):
        self.env["sales.credit.collection"].create(
            {
                "date": self.today.replace(day=1),
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "user_id": self.user_rep.id,
                "due_amount": 1000.0,
                "promised_amount": 800.0,
                "promised_date": self._date(-7),
                "instrument": "acceptance",
            }
        )
        html = self._statement_html(self.user_rep, self.customer)
        for text in (
            "Statement of Account / Payment Notice",
            self.inv_45.name,
            self.inv_200.name,
            self.refund.name,
            self.payment_recent.move_id.name,
            "Two Thousand, Seven Hundred And Fifty Dollars",
            "Acceptance Draft",
            "Signature and stamp",
        ):
            self.assertIn(text, html)
        self.assertNotIn(self.inv_other.name, html)
        self.assertNotIn(self.inv_paid.name, html, "a paid invoice is not an open item")
        self.assertNotIn(self.payment_old.move_id.name, html, "outside the period")

    def test_statement_period_from_the_wizard(self):
        wizard = Form(
            self.env["sales.credit.statement.wizard"]
            .with_user(self.user_rep)
            .with_context(active_model="res.partner", active_ids=self.contact.ids)
        )
        wizard.date_from = self._date(120)
        wizard = wizard.save()
        self.assertEqual(wizard.partner_ids, self.customer)
        action = wizard.action_print()
        self.assertEqual(action["report_name"], "sales_management.report_partner_statement")
        html = self._statement_html(self.user_rep, self.customer, data=action["data"])
        self.assertIn(self.payment_old.move_id.name, html)
        self.assertIn(self.payment_recent.move_id.name, html)
        wizard.date_to = self._date(130)
        with self.assertRaisesRegex(UserError, "statement period starts on"):
            wizard.action_print()
        with self.assertRaisesRegex(UserError, "statement period starts on"):
            self._values(self.user_rep, self.customer, {"date_from": "2026-02-01", "date_to": "2026-01-31"})

    def test_send_statement_attaches_the_period_statement(self):
        self.customer.email = "accounts@credit-customer.example.com"
        # Sending posts on the customer's chatter: Odoo lets those who may edit contacts do it.
        self.user_rep.groups_id += self.env.ref("base.group_partner_manager")
        wizard = (
            self.env["sales.credit.statement.wizard"]
            .with_user(self.user_rep)
            .create({"partner_ids": self.customer.ids, "date_from": self._date(120), "date_to": self.today})
        )
        action = wizard.action_send()
        composer = (
            self.env["mail.compose.message"].with_user(self.user_rep).with_context(**action["context"]).create({})
        )
        self.assertEqual(composer.template_id, self.env.ref("sales_management.mail_template_partner_statement"))
        self.assertIn("Statement of Account of Credit Customer", composer.subject)
        [attachment] = composer.attachment_ids
        self.assertTrue(attachment.name.startswith("Statement - Credit Customer"))
        content = base64.b64decode(attachment.datas).decode()
        self.assertIn(self.payment_old.move_id.name, content, "the attachment covers the wizard's period")
        composer.action_send_mail()
        self.assertIn(attachment, self.customer.message_ids.attachment_ids)

    def test_statement_from_the_credit_overview(self):
        status = self.env["sales.credit.status"]._get_status(self.customer, self.company, create=True)
        wizard = (
            self.env["sales.credit.statement.wizard"]
            .with_user(self.user_credit)
            .with_context(active_model="sales.credit.status", active_ids=status.ids)
            .create({})
        )
        self.assertEqual((wizard.partner_ids, wizard.company_id), (self.customer, self.company))
        html = self._statement_html(
            self.user_credit, status, report="sales_management.action_report_credit_status_statement"
        )
        self.assertIn(self.inv_45.name, html)
        self.assertIn("Two Thousand, Seven Hundred And Fifty Dollars", html)

    def test_negative_balance_worded_in_english_and_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        customer = self.env["res.partner"].create(
            {"name": "Overpaid Ltd", "is_company": True, "user_id": self.user_rep.id, "lang": "en_US"}
        )
        self._invoice(80.10, partner=customer, days_ago=2, move_type="out_refund")
        [statement] = self._values(self.user_rep, customer)["statements"]
        self.assertEqual(statement["balance"], -80.10)
        self.assertEqual(statement["balance_words"], "Minus Eighty Dollars and Ten Cents")
        customer.lang = "zh_CN"
        html = self._statement_html(self.user_rep, customer)
        self.assertIn("美元负捌拾元壹角", html)
        self.assertIn(f"{self.today.year}年", html, "dated the Chinese way")

    def test_statement_in_chinese_with_the_users_terms(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        # The addon's zh_CN.po as it is: Odoo's loader reads a .po through the module's
        # template .pot, which is regenerated when new terms are integrated.
        with tempfile.NamedTemporaryFile(suffix=".txt") as copy:
            shutil.copyfile(file_path("sales_management/i18n/zh_CN.po"), copy.name)
            with open(copy.name, "rb") as po_file:
                importer = TranslationImporter(self.env.cr, verbose=False)
                importer.load(po_file, "po", "zh_CN")
                importer.save(overwrite=True)
        self.customer.lang = "zh_CN"
        html = self._statement_html(self.user_rep, self.customer)
        terms = ("对账单 / 收款通知书", "未结清款项", "账龄", "应付余额（大写）：", "签字盖章")
        for text in (*terms, "美元贰仟柒佰伍拾元整"):
            self.assertIn(text, html)
        self.assertNotIn("Open Items", html)

    def test_statement_access(self):
        # Salespeople print their own customers' statements only.
        with self.assertRaisesRegex(AccessError, "Rob Customer Ltd"):
            self._statement_html(self.user_rep, self.other_customer)
        with self.assertRaises(AccessError):
            self._statement_html(self.user_rep, self.customer | self.other_customer)
        with self.assertRaises(AccessError):
            self.env["sales.credit.statement.wizard"].with_user(self.user_rep).create(
                {"partner_ids": self.other_customer.ids}
            ).action_print()
        # Managers and credit controllers print any customer's.
        self.assertIn(self.inv_other.name, self._statement_html(self.user_manager, self.other_customer))
        self.assertIn(self.inv_other.name, self._statement_html(self.user_credit, self.other_customer))
        # Portal users and users without sales rights get nothing.
        for user in (self.user_portal, self.user_after_sales):
            with self.assertRaises(AccessError):
                self._statement_html(user, self.customer)
        # Nor from a company the user does not work in.
        other_company = self.env["res.company"].create({"name": "Other Company"})
        with self.assertRaisesRegex(AccessError, "companies you work in"):
            self._statement_html(self.user_manager, self.customer, data={"company_id": other_company.id})

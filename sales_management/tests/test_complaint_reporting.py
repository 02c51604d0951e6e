import base64
import io
import zipfile
from datetime import date, datetime

from odoo.tests import tagged

from .common_complaint import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintReporting(ComplaintCase):
    def test_survey_share_against_target(self):
        Survey = self.env["sales.complaint.survey"]
        self.company.write({"complaint_satisfaction_target_start": 85.0, "complaint_satisfaction_target_end": 90.0})
        for score in (5, 4, 4, 2):
            Survey.create({"partner_id": self.customer.id, "score": score, "date": date(2026, 12, 5)})
        summary = Survey._get_satisfaction_summary(date(2026, 12, 1), date(2026, 12, 31))
        self.assertEqual(summary["surveys"], 4)
        self.assertEqual(summary["satisfied_percent"], 75.0)
        self.assertEqual(summary["target_percent"], 90.0)
        january = Survey.create({"partner_id": self.customer.id, "score": 5, "date": date(2026, 1, 10)})
        self.assertEqual(january.target_percent, 85.0)
        self.assertTrue(january.is_satisfied)
        # The survey's own rule: a rep sees surveys of his customers, not others'.
        other = Survey.create({"partner_id": self.other_customer.id, "score": 3, "user_id": self.user_rep2.id})
        self.assertNotIn(other, Survey.with_user(self.user_rep).search([]))
        self.assertIn(january, Survey.with_user(self.user_rep).search([]))

    def test_statistics_workbook(self):
        self._complaint(compensation_amount=30.0)
        self._complaint(category_id=self.quality.id, date_received=datetime(2026, 9, 26, 10, 0))
        wizard = (
            self.env["sales.complaint.statistics"]
            .with_user(self.user_manager)
            .create({"date_from": date(2026, 9, 1), "date_to": date(2026, 9, 30)})
        )
        rows = wizard._get_rows("category_id")
        self.assertEqual({row[0] for row in rows}, {self.quality.name, self.delivery.name})
        self.assertEqual(sum(row[1] for row in rows), 2)
        self.assertEqual(sum(row[6] for row in rows), 30.0)
        action = wizard.action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        content = base64.b64decode(attachment.datas)
        with zipfile.ZipFile(io.BytesIO(content)) as xlsx:
            workbook = xlsx.read("xl/workbook.xml").decode()
        for title in ("By Category", "By Product", "By Customer", "By Salesperson", "By Month"):
            self.assertIn(title, workbook)

import io
import zipfile
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .scorecard_common import ScorecardCase


@tagged("post_install", "-at_install")
class TestSalesArea(ScorecardCase):
    def test_customer_area_defaults_from_the_sales_team(self):
        self.assertEqual(self.alder.area_id, self.area)
        self.assertEqual(self.birch_buyer.area_id, self.area)  # a contact follows his company
        north = self.env["sales.area"].create({"name": "North China", "company_id": self.company.id})
        self.alder.area_id = north  # editable
        self.assertEqual(self.alder.area_id, north)
        loner = self.env["res.users"].create(
            {"name": "Lone Rep", "login": "sm_sc_lone", "company_id": self.company.id, "company_ids": self.company.ids}
        )
        self.alder.user_id = loner  # a salesperson without an area keeps the customer's
        self.assertEqual(self.alder.area_id, north)
        self.alder.user_id = self.rep2
        self.assertEqual(self.alder.area_id, self.area)
        with self.assertRaises(UserError):  # a cycle ("Recursion Detected")
            self.area.parent_id = self.env["sales.area"].create(
                {"name": "East sub", "parent_id": self.area.id, "company_id": self.company.id}
            )
        self.assertEqual(self.area.partner_count, 5)  # Alder, Birch, Carl, Dogwood, Elm
        with self.assertRaises(AccessError):
            self.env["sales.area"].with_user(self.manager).create({"name": "Mine"})

    def test_area_is_a_dimension_of_every_screen(self):
        invoice = self._invoice(self.alder, date(2026, 10, 5), 1000.0)
        self.assertTrue(invoice)
        self._visit(self.alder, date(2026, 10, 6))
        self._complaint(self.alder, date(2026, 10, 7))
        plan = self._plan(
            lines=[
                {"user_id": self.rep.id, "date_from": date(2026, 10, 1), "date_to": date(2026, 10, 31)},
                {
                    "breakdown": "customer",
                    "partner_id": self.alder.id,
                    "user_id": self.rep.id,
                    "date_from": date(2026, 10, 1),
                    "date_to": date(2026, 10, 31),
                },
            ]
        )
        self.assertEqual(set(plan.line_ids.mapped("area_id")), {self.area})
        Status = self.env["sales.credit.status"]
        Status._ensure_statuses(self.company)  # statuses made in SQL get their stored related fields
        status = Status.search([("partner_id", "=", self.alder.id), ("company_id", "=", self.company.id)])
        self.assertEqual((status.area_id, status.user_id, status.team_id), (self.area, self.rep, self.team))
        for model in ("sales.visit", "sales.complaint", "sales.credit.status", "sales.quota.line"):
            groups = self.env[model]._read_group([("area_id", "!=", False)], ["area_id"], ["__count"])
            self.assertEqual([area for area, _count in groups], [self.area], model)
        # Moving the customer to another area moves his documents with him.
        north = self.env["sales.area"].create({"name": "North China", "company_id": self.company.id})
        self.alder.area_id = north
        self.assertEqual(self.env["sales.visit"].search([("partner_id", "=", self.alder.id)]).area_id, north)
        self.assertEqual(status.area_id, north)
        # The exports have a sheet by area.
        wizard = self.env["sales.credit.report.wizard"].create({"report_type": "ageing", "company_id": self.company.id})
        self.assertIn("By Area", self._sheet_names(wizard.action_export()))
        statistics = self.env["sales.complaint.statistics"].create(
            {"date_from": date(2026, 10, 1), "date_to": date(2026, 10, 31), "company_id": self.company.id}
        )
        self.assertIn("By Area", self._sheet_names(statistics.action_export_xlsx()))

    def test_team_area_on_the_team_form(self):
        team = self.env["crm.team"].create(
            {"name": "West", "company_id": self.company.id, "member_ids": [Command.set(self.rep2.ids)]}
        )
        self.assertFalse(team.area_id)
        self.assertIn(self.team, self.area.team_ids)

    def _sheet_names(self, action):
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        with zipfile.ZipFile(io.BytesIO(attachment.raw)) as book:
            return book.read("xl/workbook.xml").decode()

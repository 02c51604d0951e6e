import datetime

from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged
from odoo.tools.safe_eval import safe_eval

from .visit_common import VisitCase

D = datetime.date


@tagged("post_install", "-at_install")
class TestVisit(VisitCase):
    def _new(self, user=None, **vals):
        user = user or self.user_rep
        return self.env["sales.visit"].with_user(user).create({"partner_id": self.customers[0].id, **vals})

    def test_check_in_out_flow(self):
        visit = self._new()
        self.assertEqual((visit.state, visit.user_id), ("planned", self.user_rep))
        with freeze_time("2026-03-03 09:00:00"):
            visit.action_check_in(latitude=31.2304, longitude=121.4737)
        self.assertEqual(visit.state, "in_progress")
        self.assertEqual(visit.date, D(2026, 3, 3))
        with freeze_time("2026-03-03 10:30:00"):
            visit.action_check_out()
        self.assertEqual(visit.state, "done")
        self.assertAlmostEqual(visit.duration, 1.5)
        self.assertEqual(self.customers[0].visit_last_date, D(2026, 3, 3))
        with self.assertRaises(UserError):
            visit.action_check_in()

    def test_distance_to_customer(self):
        self.customers[0].write({"partner_latitude": 39.9087, "partner_longitude": 116.3975})
        visit = self._new(check_in_latitude=31.2304, check_in_longitude=121.4737)
        self.assertAlmostEqual(visit.distance_km, 1067, delta=8)
        self.customers[1].write({"partner_latitude": 0.0, "partner_longitude": 0.0})
        unknown = self._new(partner_id=self.customers[1].id, check_in_latitude=31.2, check_in_longitude=121.4)
        self.assertEqual(unknown.distance_km, 0.0, "no customer coordinates, no distance")

    def test_check_out_before_check_in(self):
        count = self.env["sales.visit"].search_count([])
        with self.assertRaises(ValidationError):
            self._new(check_in="2026-03-03 10:00:00", check_out="2026-03-03 09:00:00")
        self.assertEqual(self.env["sales.visit"].search_count([]), count, "nothing written")

    def test_missed_needs_reason(self):
        visit = self._new()
        with self.assertRaises(ValidationError):
            visit.action_missed()
        self.assertEqual(visit.state, "planned")
        visit.reason = "Customer away"
        visit.action_missed()
        self.assertEqual(visit.state, "missed")
        with self.assertRaises(ValidationError):
            visit.write({"reason": " "})
        visit.action_reset_planned()
        self.assertEqual(visit.state, "planned")

    def test_customer_of_another_company(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        foreign = self.env["res.partner"].create({"name": "Foreign", "company_id": other_company.id})
        count = self.env["sales.visit"].search_count([])
        with self.assertRaises(UserError):
            self.env["sales.visit"].create(
                [
                    {"partner_id": self.customers[0].id, "user_id": self.user_rep.id},
                    {"partner_id": foreign.id, "user_id": self.user_rep.id, "company_id": self.company.id},
                ]
            )
        self.assertEqual(self.env["sales.visit"].search_count([]), count, "nothing written half-way")

    def test_rep_cannot_see_other_reps_visits(self):
        mine = self._new()
        other = self._new(user=self.user_rep2)
        Visit = self.env["sales.visit"].with_user(self.user_rep)
        self.assertEqual(Visit.search([("id", "in", (mine | other).ids)]), mine)
        with self.assertRaises(AccessError):
            other.with_user(self.user_rep).read(["partner_id"])
        with self.assertRaises(AccessError):
            self._new(user_id=self.user_rep2.id)
        with self.assertRaises(AccessError):
            other.with_user(self.user_rep).write({"outcome": "hijack"})
        with self.assertRaises(UserError):
            mine.with_user(self.user_rep).write({"user_id": self.user_rep2.id})
        mine.with_user(self.user_manager).write({"user_id": self.user_rep2.id})
        self.assertEqual(mine.sudo().user_id, self.user_rep2)
        manager = self.env["sales.visit"].with_user(self.user_manager)
        self.assertEqual(manager.search([("id", "in", (mine | other).ids)]), mine | other)

    def test_multi_company_isolation(self):
        other_company = self.env["res.company"].create({"name": "Branch Co"})
        foreign_customer = self.env["res.partner"].create({"name": "Branch Customer", "company_id": other_company.id})
        self.user_admin.write({"company_ids": [(4, other_company.id)]})
        foreign = self.env["sales.visit"].create(
            {
                "partner_id": foreign_customer.id,
                "user_id": self.user_admin.id,
                "company_id": other_company.id,
            }
        )
        home = self._new()
        manager = self.env["sales.visit"].with_user(self.user_manager)
        self.assertEqual(manager.search([("id", "in", (home | foreign).ids)]), home)
        with self.assertRaises(AccessError):
            foreign.with_user(self.user_manager).read(["partner_id"])
        admin = (
            self.env["sales.visit"]
            .with_user(self.user_admin)
            .with_context(allowed_company_ids=[self.company.id, other_company.id])
        )
        self.assertEqual(admin.search([("id", "in", (home | foreign).ids)]), home | foreign)
        report = self.env["sales.visit.daily.report"].with_user(self.user_manager)
        self.assertFalse(report.search([("company_id", "=", other_company.id)]))

    def test_new_quotation_links_back(self):
        visit = self._new()
        visit.action_check_in()
        action = visit.with_user(self.user_rep).action_new_quotation()
        self.assertEqual(action["context"]["default_visit_id"], visit.id)
        product = self.env["product.product"].create({"name": "Visit Widget", "list_price": 10.0})
        form = Form(self.env["sale.order"].with_user(self.user_rep).with_context(**action["context"]))
        with form.order_line.new() as line:
            line.product_id = product
        order = form.save()
        self.assertEqual(order.visit_id, visit)
        self.assertEqual(order.partner_id, self.customers[0])
        self.assertEqual((visit.quotation_count, visit.order_count), (1, 0))
        order.action_confirm()
        visit.invalidate_recordset(["quotation_count", "order_count"])
        self.assertEqual((visit.quotation_count, visit.order_count), (0, 1))
        self.assertEqual(visit.action_view_sale_orders()["domain"], [("visit_id", "=", visit.id)])

    def test_done_without_check_in(self):
        visit = self._new(date=fields.Date.today())
        visit.action_done()
        self.assertEqual(visit.state, "done")
        with self.assertRaises(UserError):
            visit.unlink()

    def test_position_rounded_with_map_link(self):
        visit = self._new()
        visit.action_check_in(latitude=31.2304123, longitude=121.4737456)
        self.assertEqual(visit.check_in_position, "31.23041, 121.47375")
        self.assertEqual(
            visit.check_in_map_url,
            "https://www.openstreetmap.org/?mlat=31.23041&mlon=121.47375#map=17/31.23041/121.47375",
        )
        self.assertFalse(self._new().check_in_position, "no position, no link")

    def test_my_visits_today_means_mine_and_today(self):
        """The menu's two default filters sit in different groups of the search view, so
        the web client ANDs them (filters of one group are ORed)."""
        action = self.env.ref("sales_management.sales_visit_action_today")
        context = safe_eval(action.context)
        defaults = [key.removeprefix("search_default_") for key in context if key.startswith("search_default_")]
        self.assertEqual(set(defaults), {"my_visits", "today"})
        arch = etree.fromstring(self.env["sales.visit"].get_view(action.search_view_id.id, "search")["arch"])
        group_of, group = {}, 0
        for node in arch:
            if node.tag in ("separator", "group"):
                group += 1
            elif node.tag == "filter":
                group_of[node.get("name")] = group
        self.assertNotEqual(group_of["my_visits"], group_of["today"])
        # What the rep sees: his visits of today, not every visit of today nor all of his.
        today = fields.Date.context_today(self.env.user)
        mine_today = self._new(date=today)
        self._new(date=today - datetime.timedelta(days=1))
        self._new(user=self.user_rep2, date=today)
        domain = [
            *safe_eval(arch.xpath("//filter[@name='my_visits']")[0].get("domain"), {"uid": self.user_rep.id}),
            *safe_eval(arch.xpath("//filter[@name='today']")[0].get("domain")),
        ]
        self.assertEqual(self.env["sales.visit"].with_user(self.user_rep).search(domain), mine_today)

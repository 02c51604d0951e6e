import datetime

from odoo.tests import freeze_time, tagged

from .visit_common import VisitCase

D = datetime.date


@tagged("post_install", "-at_install")
class TestVisitPartner(VisitCase):
    def test_default_frequency_hook(self):
        partner = self.env["res.partner"].create({"name": "New Customer"})
        self.assertEqual(partner.visit_frequency, "biweekly")
        self.assertEqual(partner._get_default_visit_frequency(), "biweekly")

    def test_visit_rep_defaults_to_salesperson(self):
        partner = self.env["res.partner"].create({"name": "Sold By Ruth", "user_id": self.user_rep.id})
        self.assertEqual(partner.visit_user_id, self.user_rep)
        partner.visit_user_id = self.user_rep2
        partner.user_id = self.user_manager
        self.assertEqual(partner.visit_user_id, self.user_rep2, "a rep set by hand is kept")
        contact = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": partner.id, "user_id": self.user_rep.id}
        )
        self.assertFalse(contact.visit_user_id, "contacts are not visited on their own")

    @freeze_time("2026-03-20")
    def test_last_next_and_overdue(self):
        weekly, biweekly, never, _other = self.customers
        weekly.visit_frequency = "weekly"
        self._visit(weekly, D(2026, 3, 10))
        self._visit(weekly, D(2026, 3, 12), state="missed")
        self._visit(biweekly, D(2026, 3, 16))
        self.assertEqual(weekly.visit_last_date, D(2026, 3, 10))
        self.assertEqual(weekly.visit_next_date, D(2026, 3, 17))
        self.assertTrue(weekly.is_visit_overdue)
        self.assertEqual(biweekly.visit_next_date, D(2026, 3, 30))
        self.assertFalse(biweekly.is_visit_overdue)
        self.assertFalse(never.visit_last_date)
        self.assertTrue(never.is_visit_overdue, "a customer never visited is due")
        overdue = self.env["res.partner"].search([("id", "in", self.customers.ids), ("is_visit_overdue", "=", True)])
        self.assertEqual(overdue, self.customers - biweekly)
        not_overdue = self.env["res.partner"].search(
            [("id", "in", self.customers.ids), ("is_visit_overdue", "=", False)]
        )
        self.assertEqual(not_overdue, biweekly)

    def test_smart_button(self):
        partner = self.customers[0]
        self._visit(partner, D(2026, 3, 10))
        self.assertEqual(partner.with_user(self.user_rep).visit_count, 1)
        action = partner.action_view_visits()
        self.assertEqual(action["domain"], [("partner_id", "=", partner.id)])

    def test_last_visit_follows_done_visits(self):
        partner = self.customers[0]
        visit = self._visit(partner, D(2026, 3, 10))
        planned = self._visit(partner, D(2026, 3, 12), state="planned")
        self.assertEqual(partner.visit_last_date, D(2026, 3, 10))
        planned.action_done()
        self.assertEqual(partner.visit_last_date, D(2026, 3, 12))
        planned.write({"reason": "Wrong record", "state": "cancelled"})
        self.assertEqual(partner.visit_last_date, D(2026, 3, 10))
        visit.partner_id = self.customers[1]
        self.assertFalse(partner.visit_last_date)
        self.assertEqual(self.customers[1].visit_last_date, D(2026, 3, 10))

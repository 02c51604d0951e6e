from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .visit_common import VisitCase


@tagged("post_install", "-at_install")
class TestVisitComplaint(VisitCase):
    """A complaint raised during a visit is linked both ways."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers.user_id = cls.user_rep
        cls.category = cls.env.ref("sales_management.complaint_category_delivery")

    def test_new_complaint_from_visit_as_rep(self):
        visit = self._visit(self.customers[0], "2026-11-20", state="planned").with_user(self.user_rep)
        visit.action_check_in()
        action = visit.action_new_complaint()
        form = Form(self.env["sales.complaint"].with_user(self.user_rep).with_context(**action["context"]))
        form.category_id = self.category
        complaint = form.save()
        self.assertEqual(complaint.visit_id, visit)
        self.assertEqual(complaint.channel, "visit")
        self.assertEqual(complaint.partner_id, self.customers[0])
        self.assertEqual(visit.complaint_count, 1)
        self.assertEqual(visit.action_view_complaints()["domain"], [("visit_id", "=", visit.id)])

    def test_visit_of_another_customer_refused(self):
        visit = self._visit(self.customers[0], "2026-11-20")
        # assertRaises (not assertRaisesRegex) rolls back to a savepoint, as the UI would.
        with self.assertRaises(ValidationError) as caught:
            self.env["sales.complaint"].create(
                {"partner_id": self.customers[1].id, "category_id": self.category.id, "visit_id": visit.id}
            )
        self.assertIn("not to the complaining customer", str(caught.exception))
        self.assertFalse(self.env["sales.complaint"].search([("visit_id", "=", visit.id)]))

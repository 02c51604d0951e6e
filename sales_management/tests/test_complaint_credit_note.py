from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestComplaintCreditNote(AccountTestInvoicingCommon):
    """Credit note from a complaint through Odoo's reversal: linked, shown, posted by the accountant."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        users = {"company_id": company.id, "company_ids": [Command.set(company.ids)]}
        cls.user_rep = new_test_user(cls.env, login="sm_cn_rep", groups="sales_team.group_sale_salesman", **users)
        cls.user_manager = new_test_user(
            cls.env, login="sm_cn_manager", groups="sales_team.group_sale_salesman_all_leads", **users
        )
        cls.user_after_sales = new_test_user(
            cls.env,
            login="sm_cn_after_sales",
            groups="base.group_user,sales_management.group_sales_management_after_sales",
            **users,
        )
        cls.user_credit = new_test_user(
            cls.env,
            login="sm_cn_credit",
            groups="base.group_user,sales_management.group_sales_management_credit",
            **users,
        )
        cls.partner_a.user_id = cls.user_rep
        cls.invoice = cls.init_invoice("out_invoice", partner=cls.partner_a, products=cls.product_a, post=True)
        cls.complaint = cls.env["sales.complaint"].create(
            {
                "partner_id": cls.partner_a.id,
                "category_id": cls.env.ref("sales_management.complaint_category_quality").id,
                "invoice_id": cls.invoice.id,
                "product_id": cls.product_a.id,
                "user_id": cls.user_rep.id,
            }
        )
        cls.complaint.action_acknowledge()

    def _wizard(self, user, amount):
        return (
            self.env["sales.complaint.credit.note"]
            .with_user(user)
            .create({"complaint_id": self.complaint.id, "amount": amount})
        )

    def test_credit_note_flow(self):
        wizard = self._wizard(self.user_manager, 250.0)
        self.assertEqual(wizard.residual, self.invoice.amount_total)
        default = self.env["sales.complaint.credit.note"].create({"complaint_id": self.complaint.id})
        self.assertEqual(default.amount, self.invoice.amount_total, "defaults to the remaining amount")
        wizard.action_create_credit_note()
        refund = self.complaint.credit_note_id
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.reversed_entry_id, self.invoice)
        self.assertEqual(refund.state, "draft")
        self.assertAlmostEqual(refund.amount_total, 250.0)
        self.assertAlmostEqual(self.complaint.credit_note_amount, 250.0)
        self.assertAlmostEqual(self.complaint.cost_amount, 250.0)
        self.assertEqual(self.complaint.resolution, "credit_note")
        self.assertEqual(self.invoice.complaint_count, 1)
        self.assertEqual(refund.complaint_count, 1)
        # The accountant posts it in Invoicing like any credit note.
        refund.with_user(self.user_credit).action_post()
        self.assertEqual(refund.state, "posted")
        self.complaint.compensation_amount = 50.0
        self.assertAlmostEqual(self.complaint.cost_amount, 300.0)
        with self.assertRaises(UserError) as caught:
            self._wizard(self.user_manager, 10.0).action_create_credit_note()
        self.assertIn("already has credit note", str(caught.exception))

    def test_credit_note_amount_follows_the_credit_note(self):
        self._wizard(self.user_manager, 250.0).action_create_credit_note()
        refund = self.complaint.credit_note_id
        # Edited in draft by the accountant: the complaint's amount and cost follow.
        refund.with_user(self.user_credit).write(
            {"invoice_line_ids": [Command.update(refund.invoice_line_ids.id, {"price_unit": 100.0})]}
        )
        self.assertAlmostEqual(self.complaint.credit_note_amount, refund.amount_total)
        self.assertNotAlmostEqual(refund.amount_total, 250.0)
        self.assertAlmostEqual(self.complaint.cost_amount, refund.amount_total)
        refund.with_user(self.user_credit).button_cancel()
        self.assertEqual(self.complaint.credit_note_amount, 0.0)
        self.assertEqual(self.complaint.cost_amount, 0.0)
        refund.with_user(self.user_credit).button_draft()
        refund.with_user(self.user_credit).action_post()
        self.assertAlmostEqual(self.complaint.credit_note_amount, refund.amount_total)
        # Stored, so the statistics' sums read it from the table.
        self.env.flush_all()
        self.cr.execute("SELECT credit_note_amount FROM sales_complaint WHERE id = %s", [self.complaint.id])
        self.assertAlmostEqual(self.cr.fetchone()[0], refund.amount_total)

    def test_new_complaint_from_invoice(self):
        context = self.invoice.action_new_complaint()["context"]
        self.assertEqual(context["default_invoice_id"], self.invoice.id)
        self.assertEqual(context["default_partner_id"], self.partner_a.id)
        self.assertEqual(self.invoice.action_view_complaints()["res_model"], "sales.complaint")

    def test_after_sales_creates_credit_note(self):
        total = self.invoice.amount_total
        self._wizard(self.user_after_sales, total).action_create_credit_note()
        self.assertAlmostEqual(self.complaint.credit_note_amount, total)
        self.assertEqual(self.complaint.credit_note_id.invoice_line_ids.price_unit, 1000.0, "full reversal kept")

    def test_credit_note_larger_than_residual(self):
        wizard = self._wizard(self.user_manager, self.invoice.amount_residual + 0.01)
        with self.assertRaises(UserError) as caught:
            wizard.action_create_credit_note()
        self.assertIn("cannot exceed the remaining amount", str(caught.exception))
        self.assertFalse(self.complaint.credit_note_id)
        self.assertFalse(self.env["account.move"].search([("reversed_entry_id", "=", self.invoice.id)]))

    def test_rep_cannot_create_credit_note(self):
        with self.assertRaises(AccessError):
            self._wizard(self.user_rep, 100.0).action_create_credit_note()
        self.assertFalse(self.complaint.credit_note_id)

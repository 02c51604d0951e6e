from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .credit_common import CreditCase
from .rpc_common import JsonRpcMixin

REQUEST_TYPE = "sales_management.mail_activity_type_credit_exception_request"


class CreditRequestCase(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.request_type = cls.env.ref(REQUEST_TYPE)
        cls.Request = cls.env["sales.credit.exception.request"]

    def _refused_quotation(self, amount=1500):
        order = self._order(amount, user=self.user_rep)
        self.assertTrue(order.sudo().credit_check_message, "the quotation is beyond the customer's credit")
        return order

    def _request(self, order, user=None, note="Customer pays the old invoice next week."):
        user = user or self.user_rep
        wizard = (
            self.env["sales.credit.exception.request.wizard"]
            .with_user(user)
            .create({"order_id": order.id, "note": note})
        )
        wizard.action_request()
        return order.sudo().credit_exception_request_ids.sorted("id")[-1:]

    def _decide(self, order, reason, refuse=False, user=None):
        wizard = (
            self.env["sales.credit.exception.wizard"]
            .with_user(user or self.user_credit)
            .create({"order_id": order.id, "reason": reason})
        )
        return wizard.action_refuse() if refuse else wizard.action_approve()

    def _request_activities(self, order):
        return order.sudo().activity_ids.filtered(lambda a: a.activity_type_id == self.request_type)


@tagged("post_install", "-at_install")
class TestCreditExceptionRequest(CreditRequestCase):
    def test_refusal_says_the_rep_can_request(self):
        order = self._refused_quotation()
        # assertRaises (not assertRaisesRegex) rolls the refused confirmation back.
        with self.assertRaises(UserError) as refused:
            order.with_user(self.user_rep).action_confirm()
        self.assertRegex(str(refused.exception), "Credit limit exceeded.*\n.*Request Credit Exception")
        self._request(order)
        with self.assertRaises(UserError) as refused:
            order.with_user(self.user_rep).action_confirm()
        self.assertIn("waiting for a Credit Controller", str(refused.exception))
        self.assertEqual(order.state, "draft")

    def test_request_asks_every_credit_controller_of_the_company(self):
        order = self._refused_quotation()
        request = self._request(order)
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.requested_by_id, self.user_rep)
        self.assertEqual(request.order_amount, 1500.0)
        self.assertIn("Credit limit exceeded", request.credit_check_message)
        self.assertEqual(order.with_user(self.user_rep).credit_exception_request_state, "pending")
        controllers = self.Request._get_controllers(self.company)
        self.assertIn(self.user_credit, controllers)
        self.assertNotIn(self.user_rep, controllers)
        activities = self._request_activities(order)
        self.assertEqual(activities.user_id, controllers, "one activity for each Credit Controller")
        self.assertEqual(len(activities), len(controllers))
        mine = activities.filtered(lambda a: a.user_id == self.user_credit)
        self.assertIn("Rep Ruth", mine.note)
        self.assertIn("next week", mine.note)
        # The activity links to the quotation, which the controller can open.
        self.assertEqual((mine.res_model, mine.res_id), ("sale.order", order.id))
        order.with_user(self.user_credit).check_access("read")
        # One request at a time.
        with self.assertRaisesRegex(UserError, "already requested"):
            self._request(order)

    def test_a_controller_of_another_company_is_not_asked(self):
        other = self.env["res.company"].create({"name": "Other Credit Co"})
        elsewhere = new_test_user(
            self.env,
            login="sm_credit_elsewhere",
            groups="base.group_user,sales_management.group_sales_management_credit",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        self._request(self._refused_quotation())
        self.assertNotIn(elsewhere, self.Request._get_controllers(self.company))
        self.assertFalse(self.env["mail.activity"].search([("user_id", "=", elsewhere.id)]))

    def test_approval_closes_the_request_and_tells_the_rep(self):
        order = self._refused_quotation()
        request = self._request(order)
        self._decide(order, "Guaranteed by the parent company.")
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.decided_by_id, self.user_credit)
        exception = order.sudo().credit_exception_id
        self.assertEqual(request.exception_id, exception)
        self.assertEqual(exception.request_id, request)
        self.assertFalse(self._request_activities(order), "the controllers' activities are done")
        done = order.sudo().message_ids.filtered(lambda m: m.mail_activity_type_id == self.request_type)
        self.assertTrue(done, "marked done, with the approval as feedback")
        self.assertIn("parent company", done[0].body)
        told = order.sudo().message_ids.filtered(lambda m: self.user_rep.partner_id in m.partner_ids)
        self.assertEqual(len(told), 1)
        self.assertIn("approved by Credit Chen", told.body)
        self.assertIn("1,500.00", told.body)
        # The rep confirms now; the request stays approved.
        order.with_user(self.user_rep).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(request.state, "approved")

    def test_refusal_sends_the_request_back_to_the_rep(self):
        order = self._refused_quotation()
        request = self._request(order)
        with self.assertRaises(UserError):
            self._decide(order, "  ", refuse=True)
        self._decide(order, "Two invoices overdue: collect them first.", refuse=True)
        self.assertEqual(request.state, "refused")
        self.assertEqual(request.decision_note, "Two invoices overdue: collect them first.")
        self.assertFalse(self._request_activities(order))
        self.assertFalse(order.sudo().credit_exception_id, "no exception is recorded by a refusal")
        [todo] = order.sudo().activity_ids
        self.assertEqual(todo.user_id, self.user_rep)
        self.assertIn("collect them first", todo.note)
        told = order.sudo().message_ids.filtered(lambda m: self.user_rep.partner_id in m.partner_ids)
        self.assertIn("refused by Credit Chen", told.body)
        with self.assertRaises(UserError):
            order.with_user(self.user_rep).action_confirm()
        self.env.invalidate_all()
        # He may ask again, with a better reason.
        again = self._request(order, note="Cash on delivery agreed.")
        self.assertEqual(again.state, "pending")
        self.assertTrue(self._request_activities(order))

    def test_withdrawn_or_cancelled_request_drops_the_activities(self):
        order = self._refused_quotation()
        request = self._request(order)
        order.with_user(self.user_rep).action_withdraw_credit_exception_request()
        self.assertEqual(request.state, "cancelled")
        self.assertFalse(self._request_activities(order))
        second = self._request(order)
        order.with_user(self.user_rep).action_cancel()
        self.assertEqual(second.state, "cancelled")
        self.assertFalse(self._request_activities(order))

    def test_nothing_to_request_for_an_accepted_or_confirmed_order(self):
        order = self._order(500, user=self.user_rep)
        with self.assertRaisesRegex(UserError, "accepts the quotation"):
            self._request(order)
        order.with_user(self.user_rep).action_confirm()
        with self.assertRaisesRegex(UserError, "quotation only"):
            self._request(order)

    def test_rep_cannot_decide_nor_mark_the_controllers_activity(self):
        order = self._refused_quotation()
        request = self._request(order)
        [activity] = self._request_activities(order).filtered(lambda a: a.user_id == self.user_credit)
        as_rep = activity.with_user(self.user_rep)
        for attempt in (
            as_rep.action_feedback,
            as_rep.action_done,
            as_rep.unlink,
            lambda: as_rep.write({"user_id": self.user_rep.id}),
            lambda: as_rep.write({"date_deadline": "2030-01-01"}),
        ):
            with self.assertRaises(AccessError):
                attempt()
        # Nor the assignee marks it by hand: he decides on the request.
        with self.assertRaises(AccessError):
            activity.with_user(self.user_credit).action_feedback(feedback="seen")
        activity.with_user(self.user_credit).write({"date_deadline": "2030-01-01"})
        # Nobody schedules a request by hand, with the type as a value or a default.
        with self.assertRaises(AccessError):
            self.env["mail.activity"].with_user(self.user_rep).with_context(
                default_activity_type_id=self.request_type.id
            ).create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("sale.order"),
                    "res_id": order.id,
                    "user_id": self.user_credit.id,
                }
            )
        with self.assertRaises(AccessError):
            order.with_user(self.user_rep).activity_schedule(
                activity_type_id=self.request_type.id, user_id=self.user_credit.id
            )
        with self.assertRaises(AccessError):
            request.with_user(self.user_rep)._refuse("I refuse nothing")
        with self.assertRaises(AccessError):
            self.env["sales.credit.exception.wizard"].with_user(self.user_rep).create(
                {"order_id": order.id, "reason": "Self-approved"}
            )
        with self.assertRaises(AccessError):
            self.env["sales.credit.exception"].with_user(self.user_rep)._approve(order, "Self-approved")
        self.assertEqual(request.state, "pending")
        self.assertTrue(activity.exists())

    def test_a_rep_requests_only_for_quotations_he_may_change(self):
        rep2 = new_test_user(
            self.env, login="sm_credit_rep2", groups="sales_team.group_sale_salesman", company_id=self.company.id
        )
        order = self._refused_quotation()
        with self.assertRaises(AccessError):
            self._request(order, user=rep2)
        self.assertFalse(order.sudo().credit_exception_request_ids)


@tagged("post_install", "-at_install")
class TestCreditExceptionRequestRpc(JsonRpcMixin, CreditRequestCase, HttpCase):
    """The rep's attempts over JSON-RPC, as the web client would send them."""

    def test_rep_over_rpc(self):
        order = self._refused_quotation()
        self.rpc_login("sm_credit_rep")
        refusal = self.assertRpcRefused(
            "sale.order", "action_confirm", [order.id], exception="odoo.exceptions.UserError"
        )
        self.assertIn("Request Credit Exception", refusal)
        action = self.assertRpcOk("sale.order", "action_request_credit_exception", [order.id])
        wizard_id = self.assertRpcOk(
            action["res_model"], "create", {"order_id": order.id, "note": "Paid by cheque tomorrow."}
        )
        self.assertRpcOk(action["res_model"], "action_request", [wizard_id])
        request = order.sudo().credit_exception_request_ids
        self.assertEqual(request.state, "pending")
        activity = self._request_activities(order).filtered(lambda a: a.user_id == self.user_credit)
        # The request and the exception are never written directly.
        self.assertRpcRefused(
            "sales.credit.exception.request",
            "create",
            {"order_id": order.id, "note": "x", "requested_by_id": self.user_rep.id},
        )
        self.assertRpcRefused("sales.credit.exception.request", "write", [request.id], {"state": "approved"})
        self.assertRpcRefused(
            "sales.credit.exception",
            "create",
            {"order_id": order.id, "reason": "x", "amount": 1e6, "order_amount": 1e6},
        )
        self.assertRpcRefused("sales.credit.exception", "_approve", order.id, "mine")
        self.assertRpcRefused("sales.credit.exception.request", "_refuse", [request.id], "no")
        # Nor his controller's activity is marked done or taken over.
        self.assertRpcRefused("mail.activity", "action_feedback", [activity.id], feedback="done")
        self.assertRpcRefused("mail.activity", "unlink", [activity.id])
        self.assertRpcRefused("mail.activity", "write", [activity.id], {"user_id": self.user_rep.id})
        self.assertRpcRefused(
            "mail.activity",
            "create",
            {
                "res_model_id": self.env["ir.model"]._get_id("sale.order"),
                "res_id": order.id,
                "activity_type_id": self.request_type.id,
                "user_id": self.user_credit.id,
            },
        )
        self.env.invalidate_all()
        self.assertTrue(activity.exists())
        self.assertEqual(request.state, "pending")
        self.assertFalse(order.sudo().credit_exception_id)
        # The controller decides; then the rep confirms.
        self.rpc_login("sm_credit_ctl")
        wizard_id = self.assertRpcOk(
            "sales.credit.exception.wizard", "create", {"order_id": order.id, "reason": "Cheque seen."}
        )
        self.assertRpcOk("sales.credit.exception.wizard", "action_approve", [wizard_id])
        self.env.invalidate_all()
        self.assertEqual(request.state, "approved")
        self.assertFalse(self._request_activities(order))
        self.rpc_login("sm_credit_rep")
        self.assertRpcOk("sale.order", "action_confirm", [order.id])
        self.env.invalidate_all()
        self.assertEqual(order.state, "sale")

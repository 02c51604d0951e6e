import datetime

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, freeze_time, tagged

from .visit_common import VisitCase

D = datetime.date


@tagged("post_install", "-at_install")
@freeze_time("2026-03-10")
class TestVisitProspect(VisitCase):
    """Prospects visited in March 2026 by Ruth (and one by Rob), seen on Tuesday 10 March."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.company.chart_template:
            cls.env["account.chart.template"].try_loading("generic_coa", company=cls.company, install_demo=False)
        cls.product = cls.env["product.product"].create({"name": "Prospect Widget", "list_price": 10.0})
        names = ["followed", "to_do", "silent", "dropped", "won", "lost", "old_customer", "robs"]
        partners = cls.env["res.partner"].create([{"name": f"Prospect {n}", "is_company": True} for n in names])
        cls.p = dict(zip(names, partners, strict=True))
        partners.visit_user_id = cls.user_rep
        cls.p["robs"].visit_user_id = cls.user_rep2

    def _done(self, partner, day, result=False, user=None):
        return self._visit(partner, day, user=user, result=result)

    def _order(self, partner, day):
        order = self.env["sale.order"].create(
            {"partner_id": partner.id, "order_line": [Command.create({"product_id": self.product.id})]}
        )
        order.action_confirm()
        order.date_order = datetime.datetime.combine(day, datetime.time(10))
        return order

    def _build_pipeline(self):
        p = self.p
        self._done(p["followed"], D(2026, 3, 2), "interested")  # a visit planned on the 9th
        self._done(p["to_do"], D(2026, 3, 3), "quotation")  # a to-do
        self._done(p["silent"], D(2026, 3, 3))  # no outcome, nothing planned
        dropped = self._done(p["dropped"], D(2026, 3, 4), "interested")
        dropped.followup_visit_id.write({"state": "cancelled", "reason": "Rep ill"})
        self._done(p["won"], D(2026, 3, 2), "quotation")
        self._order(p["won"], D(2026, 3, 5))
        self._done(p["lost"], D(2026, 3, 2), "rejected")
        p["lost"].with_user(self.user_manager)._visit_close_lost("Closed his shop")
        self._order(p["old_customer"], D(2026, 2, 1))
        self._done(p["old_customer"], D(2026, 3, 2))
        self._done(p["robs"], D(2026, 3, 5), user=self.user_rep2)
        # An internal contact visited is no prospect either.
        self._done(self.user_manager.partner_id, D(2026, 3, 5))

    def _rows(self, user=None, domain=()):
        Report = self.env["sales.visit.prospect.report"].with_user(user or self.user_manager)
        return Report.search([("partner_id", "in", [*self.p_ids, self.user_manager.partner_id.id]), *domain])

    @property
    def p_ids(self):
        return [partner.id for partner in self.p.values()]

    def test_pipeline_states(self):
        self._build_pipeline()
        states = {row.partner_id: row.state for row in self._rows()}
        p = self.p
        self.assertEqual(
            states,
            {
                p["followed"]: "follow_up",
                p["to_do"]: "follow_up",
                p["silent"]: "no_next_step",
                p["dropped"]: "no_next_step",
                p["won"]: "won",
                p["lost"]: "lost",
                p["robs"]: "no_next_step",
            },
        )
        [won] = self._rows(domain=[("partner_id", "=", p["won"].id)])
        self.assertEqual((won.won_date, won.first_visit_date), (D(2026, 3, 5), D(2026, 3, 2)))
        [lost] = self._rows(domain=[("partner_id", "=", p["lost"].id)])
        self.assertEqual((lost.lost_reason, lost.last_result), ("Closed his shop", "rejected"))
        [followed] = self._rows(domain=[("partner_id", "=", p["followed"].id)])
        self.assertEqual(followed.next_step_date, D(2026, 3, 9))
        # Per rep and month: Ruth contacted 6 prospects in March, 2 in follow-up, 2 without a
        # next step, 1 won, 1 lost; Rob 1 without a next step.
        groups = self.env["sales.visit.prospect.report"]._read_group(
            [("partner_id", "in", self.p_ids)],
            ["user_id", "first_visit_date:month"],
            ["prospect_count:sum", "followup_count:sum", "no_next_step_count:sum", "won_count:sum", "lost_count:sum"],
        )
        self.assertEqual(
            sorted((user.login, month.month, *counts) for user, month, *counts in groups),
            [("sm_rep", 3, 6, 2, 2, 1, 1), ("sm_rep2", 3, 1, 0, 1, 0, 0)],
        )

    def test_no_next_step_list_equals_prospects_without_next_step(self):
        self._build_pipeline()
        # The prospects, worked out from the records themselves.
        Visit = self.env["sales.visit"]
        visited = Visit.search([("state", "=", "done"), ("commercial_partner_id", "in", self.p_ids)])
        expected = self.env["res.partner"]
        for partner in visited.commercial_partner_id:
            first = min(visited.filtered(lambda v, p=partner: v.commercial_partner_id == p).mapped("date"))
            orders = self.env["sale.order"].search([("partner_id", "child_of", partner.id), ("state", "=", "sale")])
            if any(o.date_order.date() < first for o in orders):
                continue  # a customer already
            if orders or partner.visit_lost_date:
                continue  # won or lost
            planned = Visit.search_count(
                [("commercial_partner_id", "=", partner.id), ("state", "in", ("planned", "in_progress"))]
            )
            visits = Visit.search([("commercial_partner_id", "=", partner.id)])
            if planned or visits.activity_ids or partner.activity_ids:
                continue
            expected |= partner
        listed = self._rows(domain=[("state", "=", "no_next_step")]).partner_id
        self.assertEqual(listed, expected)
        self.assertEqual(listed, self.p["silent"] | self.p["dropped"] | self.p["robs"])
        # Giving one a next step takes him off the list at once.
        self.p["silent"].activity_schedule("mail.mail_activity_data_todo", user_id=self.user_rep.id)
        self.assertNotIn(self.p["silent"], self._rows(domain=[("state", "=", "no_next_step")]).partner_id)

    def test_rep_sees_his_prospects_only(self):
        self._build_pipeline()
        mine = self._rows(user=self.user_rep)
        self.assertNotIn(self.p["robs"], mine.partner_id)
        self.assertIn(self.p["silent"], mine.partner_id)
        self.assertEqual(self._rows(user=self.user_rep2).partner_id, self.p["robs"])
        # Closing as lost from the list is a manager's action.
        [silent] = self._rows(domain=[("partner_id", "=", self.p["silent"].id)])
        action = silent.with_user(self.user_manager).action_close_lost()
        self.assertEqual(action["res_model"], "sales.visit.prospect.lost")
        with self.assertRaises(AccessError):
            silent.with_user(self.user_rep).action_reopen()


@tagged("post_install", "-at_install")
class TestVisitProspectRpc(VisitCase, HttpCase):
    """Over real JSON-RPC, a rep cannot close a prospect as lost nor erase a follow-up."""

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_rep_rpc_refused_manager_allowed(self):
        prospect = self.customers[0]
        visit = self._visit(prospect, D(2026, 3, 2), result="rejected")
        self.authenticate("sm_rep", "sm_rep")
        for model, method, args in (
            ("res.partner", "write", [[prospect.id], {"visit_lost_date": "2026-03-10", "visit_lost_reason": "x"}]),
            ("res.partner", "_visit_close_lost", [[prospect.id], "x"]),
            ("sales.visit", "write", [[visit.id], {"has_followup": False, "followup_visit_id": False}]),
            ("sales.visit.prospect.lost", "create", [{"partner_ids": [[6, 0, [prospect.id]]], "reason": "x"}]),
        ):
            with self.subTest(method=f"{model}.{method}"), self.assertRaises(JsonRpcException):
                self._call(model, method, args)
        prospect.invalidate_recordset()
        self.assertFalse(prospect.visit_lost_date)
        self.assertEqual(visit.followup_visit_id.state, "planned")
        self.authenticate("sm_manager", "sm_manager")
        [wizard_id] = self._call(
            "sales.visit.prospect.lost", "create", [[{"partner_ids": [[6, 0, [prospect.id]]], "reason": "Moved away"}]]
        )
        self._call("sales.visit.prospect.lost", "action_confirm", [[wizard_id]])
        prospect.invalidate_recordset()
        self.assertEqual(prospect.visit_lost_reason, "Moved away")
        self.assertEqual(visit.followup_visit_id.state, "cancelled")

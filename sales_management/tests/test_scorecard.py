import io
import logging
import zipfile
from datetime import date
from unittest.mock import patch
from xmlrpc.client import Fault

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from ..models.sales_rep_scorecard import SalesRepScorecard
from .scorecard_common import MONTH_END, MONTH_START, ScorecardCase


@tagged("post_install", "-at_install")
class TestScorecardMeasures(ScorecardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._hand_worked_month()

    @freeze_time("2026-11-15")
    def test_each_measure_hand_worked(self):
        cards = self._compute()
        ruth = cards.filtered(lambda c: c.user_id == self.rep)
        ruth.with_user(self.manager).write({"attitude_score": 90.0, "skill_score": 80.0})
        lines = {line.code: line for line in ruth.line_ids}
        # Sales: 5000 + 2000 + 1000 invoiced in October of a 10000 target.
        self.assertAlmostEqual(ruth.sales_target, 10000.0)
        self.assertAlmostEqual(ruth.sales_actual, 8000.0)
        self.assertAlmostEqual(lines["sales"].value, 80.0)
        self.assertAlmostEqual(lines["sales"].weighted_points, 20.0)
        # Collection: 6000 collected of 8000 falling due in October.
        self.assertAlmostEqual(ruth.collection_due, 8000.0)
        self.assertAlmostEqual(ruth.collection_collected, 6000.0)
        self.assertAlmostEqual(lines["collection"].value, 75.0)
        self.assertAlmostEqual(lines["collection"].weighted_points, 11.25)
        # Visit plan: 6 done of 7 planned (the cancelled one left out, the unplanned one not in the plan).
        self.assertEqual((ruth.visit_planned, ruth.visit_planned_done), (7, 6))
        self.assertAlmostEqual(lines["visit_completion"].value, 600 / 7, places=2)
        self.assertAlmostEqual(lines["visit_completion"].weighted_points, 60 / 7, places=3)
        # Visits per working day: 7 done (with the unplanned one) in 21 working days (1 October is a holiday).
        self.assertEqual((ruth.visit_done, ruth.working_days), (7, 21))
        self.assertAlmostEqual(ruth.visits_per_day, 1 / 3)
        self.assertAlmostEqual(lines["visit_per_day"].points, 100 / 12, places=3)
        self.assertAlmostEqual(lines["visit_per_day"].weighted_points, 5 / 12, places=3)
        self.assertEqual(ruth.prospect_count, 3)  # Alder, Birch and Dogwood seen for the first time
        # New customers: Birch only (Alder bought in 2025; Carl is Alder's buyer met during a visit).
        self.assertEqual(ruth.new_customer_ids, self.birch)
        self.assertEqual((ruth.new_customer_count, ruth.new_customer_target), (1, 4))
        self.assertAlmostEqual(lines["new_customer"].weighted_points, 2.5)
        # Complaints: 3 (the rejected one left out), 1 on time of 2 decided.
        self.assertEqual(ruth.complaint_count, 3)
        self.assertEqual((ruth.complaint_met_count, ruth.complaint_decided_count), (1, 2))
        self.assertAlmostEqual(lines["complaint"].points, 40.0)
        self.assertAlmostEqual(lines["complaint"].weighted_points, 2.0)
        self.assertAlmostEqual(lines["complaint_on_time"].weighted_points, 2.5)
        # Forecasts: |5000-6000| + |2000-1000| + |0-1000| = 3000 of 8000 forecast.
        self.assertAlmostEqual(ruth.forecast_amount, 8000.0)
        self.assertAlmostEqual(ruth.forecast_actual, 7000.0)
        self.assertAlmostEqual(ruth.forecast_accuracy, 62.5)
        self.assertAlmostEqual(lines["forecast"].weighted_points, 6.25)
        # The manager's scores.
        self.assertAlmostEqual(lines["attitude"].weighted_points, 9.0)
        self.assertAlmostEqual(lines["skill"].weighted_points, 4.0)
        self.assertAlmostEqual(ruth.total_score, 20 + 11.25 + 60 / 7 + 5 / 12 + 2.5 + 2 + 2.5 + 6.25 + 9 + 4, places=2)
        # Ray: no sales of his 5000, no visit, 0 of 5 new customers (Settings), no complaint (full points).
        ray = cards - ruth
        self.assertEqual(ray.new_customer_target, 5)
        self.assertAlmostEqual(ray.total_score, 10.0)
        self.assertEqual((ruth.rank_company, ray.rank_company, ruth.rank_team, ray.rank_team), (1, 2, 1, 2))
        self.assertEqual((ruth.team_id, ruth.area_id, ruth.company_rep_count), (self.team, self.area, 2))
        self.assertTrue(all(line.detail for line in ruth.line_ids))

    @freeze_time("2026-11-15")
    def test_figures_agree_with_the_other_screens(self):
        ruth = self._compute().filtered(lambda c: c.user_id == self.rep)
        quota_line = self.plan.line_ids.filtered(lambda line: line.user_id == self.rep and line.period_level == "month")
        self.assertAlmostEqual(ruth.sales_actual, quota_line.actual_amount)
        self.assertAlmostEqual(ruth.sales_rate, quota_line.achievement_rate)
        self.assertEqual(ruth.new_customer_count, quota_line.new_customer_count)
        target = self.env["sales.credit.collection.target"].create(
            {"date": MONTH_START, "user_id": self.rep.id, "company_id": self.company.id, "target_amount": 1.0}
        )
        self.assertAlmostEqual(ruth.collection_due, target.planned_amount)
        self.assertAlmostEqual(ruth.collection_collected, target.collected_amount)
        visit_plan = self.env["sales.visit.plan"].search([("user_id", "=", self.rep.id)])
        self.assertAlmostEqual(ruth.visit_completion_rate, visit_plan.completion_rate)
        report = self.env["sales.visit.daily.report"].search(
            [("user_id", "=", self.rep.id), ("date", ">=", MONTH_START), ("date", "<=", MONTH_END)]
        )
        self.assertEqual(ruth.visit_done, sum(report.mapped("visit_done_count")))
        self.assertEqual(ruth.working_days, len(self.company._get_sales_working_days(MONTH_START, MONTH_END)))
        Complaint = self.env["sales.complaint"]
        domain = [
            ("salesperson_id", "=", self.rep.id),
            ("state", "!=", "rejected"),
            ("date_received", ">=", "2026-10-01 00:00:00"),
            ("date_received", "<", "2026-11-01 00:00:00"),
        ]
        self.assertEqual(ruth.complaint_count, Complaint.search_count(domain))
        self.assertAlmostEqual(ruth.complaint_on_time_rate, Complaint._get_on_time_rate(domain))
        forecasts = self.env["sales.customer.forecast"].search([("user_id", "=", self.rep.id)])
        self.assertAlmostEqual(ruth.forecast_actual, sum(forecasts.mapped("actual_amount")))

    @freeze_time("2026-11-15")
    def test_new_customer_on_first_confirmed_order(self):
        self.company.sales_new_customer_basis = "order"
        orders = self.env["sale.order"].create(
            [
                # Dogwood's first order, placed by his contact in October: won by Ruth.
                {
                    "partner_id": self.env["res.partner"].create({"name": "Dan", "parent_id": self.dogwood.id}).id,
                    "user_id": self.rep.id,
                    "date_order": "2026-10-20 10:00:00",
                    "order_line": [Command.create({"product_id": self.product_a.id, "price_unit": 100.0})],
                },
                # Elm ordered in September already: not new in October.
                {
                    "partner_id": self.elm.id,
                    "user_id": self.rep2.id,
                    "date_order": "2026-09-20 10:00:00",
                    "order_line": [Command.create({"product_id": self.product_a.id, "price_unit": 100.0})],
                },
                {
                    "partner_id": self.elm.id,
                    "user_id": self.rep2.id,
                    "date_order": "2026-10-03 10:00:00",
                    "order_line": [Command.create({"product_id": self.product_a.id, "price_unit": 100.0})],
                },
            ]
        )
        orders.action_confirm()  # confirming dates the orders today: put them back in their months
        for order, when in zip(
            orders, ("2026-10-20 10:00:00", "2026-09-20 10:00:00", "2026-10-03 10:00:00"), strict=True
        ):
            order.date_order = when
        won = (
            self.env["sales.rep.scorecard"]
            .with_company(self.company)
            ._get_won_customers(self.rep | self.rep2, MONTH_START, MONTH_END)
        )
        self.assertEqual(won, [(self.rep.id, self.dogwood.id, date(2026, 10, 20))])

    def test_weights_must_sum_to_100(self):
        policy = self.env.ref("sales_management.sales_rep_scorecard_policy_default")
        self.assertAlmostEqual(policy.total_weight, 100.0)
        sales = policy.weight_ids.filtered(lambda w: w.code == "sales")
        collection = policy.weight_ids.filtered(lambda w: w.code == "collection")
        admin = self.admin
        # Through the form: one measure up, none down.
        with self.assertRaises(ValidationError) as refused:
            policy.with_user(admin).write({"weight_ids": [Command.update(sales.id, {"weight": 35.0})]})
            policy.flush_recordset()
        self.assertIn("sum to 110", str(refused.exception))
        # On a weight line itself (as an RPC caller could).
        with self.assertRaises(ValidationError) as refused:
            sales.with_user(admin).weight = 15.0
            self.env.flush_all()
        self.assertIn("sum to 90", str(refused.exception))
        with self.assertRaises(ValidationError):
            sales.with_user(admin).unlink()
            self.env.flush_all()
        with self.assertRaises(ValidationError):
            self.env["sales.rep.scorecard.policy"].with_user(admin).create(
                {
                    "name": "Half",
                    "company_id": self.company.id,
                    "weight_ids": [Command.create({"code": "sales", "weight": 50.0})],
                }
            )
            self.env.flush_all()
        self.assertAlmostEqual(policy.total_weight, 100.0)
        # Moving weight from one measure to another keeps 100%.
        policy.with_user(admin).write(
            {
                "weight_ids": [
                    Command.update(sales.id, {"weight": 30.0}),
                    Command.update(collection.id, {"weight": 10.0}),
                ]
            }
        )
        self.env.flush_all()
        self.assertAlmostEqual(policy.total_weight, 100.0)
        with self.assertRaises(ValidationError):
            sales.with_user(admin).weight = -5.0
        # A rep reads the weights, never changes them.
        with self.assertRaises(AccessError):
            sales.with_user(self.rep).weight = 20.0


@tagged("post_install", "-at_install")
class TestScorecardAccess(ScorecardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._plan(
            lines=[
                {"user_id": cls.rep.id, "date_from": MONTH_START, "date_to": MONTH_END, "target_amount": 1000.0},
                {"user_id": cls.rep2.id, "date_from": MONTH_START, "date_to": MONTH_END, "target_amount": 1000.0},
            ]
        )
        cards = cls.env["sales.rep.scorecard"].sudo().with_company(cls.company)
        cards._compute_scorecards(cls.rep | cls.rep2 | cls.manager, "month", MONTH_START, MONTH_END)
        cls.cards = cards.search([("company_id", "=", cls.company.id), ("date_from", "=", MONTH_START)])
        cls.ruth = cls.cards.filtered(lambda c: c.user_id == cls.rep)
        cls.ray = cls.cards.filtered(lambda c: c.user_id == cls.rep2)
        cls.mei = cls.cards.filtered(lambda c: c.user_id == cls.manager)

    def test_rep_sees_only_his_own_scorecard(self):
        Scorecard = self.env["sales.rep.scorecard"].with_user(self.rep)
        self.assertEqual(Scorecard.search([]), self.ruth)
        self.assertEqual(self.env["sales.rep.scorecard.line"].with_user(self.rep).search([]), self.ruth.line_ids)
        with self.assertRaises(AccessError):
            self.ray.with_user(self.rep).read(["total_score"])
        self.assertEqual(
            self.env["sales.rep.scorecard"].with_user(self.manager).search([("company_id", "=", self.company.id)]),
            self.cards,
        )

    def test_manual_scores_are_the_managers(self):
        with self.assertRaises(AccessError):
            self.ruth.with_user(self.rep).write({"attitude_score": 100.0})
        with self.assertRaises(AccessError):
            self.ruth.line_ids[:1].with_user(self.rep).write({"points": 100.0})
        # The manager scores his reps, not himself, and never the figures.
        self.ruth.with_user(self.manager).write({"attitude_score": 70.0, "skill_score": 60.0})
        self.assertAlmostEqual(self.ruth.attitude_score, 70.0)
        with self.assertRaises(AccessError):
            self.mei.with_user(self.manager).write({"attitude_score": 100.0})
        with self.assertRaises(AccessError):
            self.ruth.with_user(self.manager).write({"sales_actual": 1e9})
        with self.assertRaises(AccessError):
            self.ruth.line_ids[:1].with_user(self.manager).write({"points": 100.0})
        with self.assertRaises(ValidationError) as refused:
            self.ruth.with_user(self.manager).write({"skill_score": 120.0})
        self.assertIn("from 0 to 100", str(refused.exception))
        # The sales administrator may score anyone.
        self.mei.with_user(self.admin).write({"attitude_score": 80.0})
        self.assertAlmostEqual(self.mei.attitude_score, 80.0)

    def test_closed_scorecards_are_kept(self):
        self.ruth.with_user(self.manager).write({"attitude_score": 50.0})
        with self.assertRaises(AccessError):
            self.ruth.with_user(self.rep).action_close()
        self.cards.with_user(self.manager).action_close()
        total = self.ruth.total_score
        with self.assertRaises(UserError):
            self.ruth.with_user(self.manager).write({"attitude_score": 100.0})
        with self.assertRaises(UserError):
            self.ruth.with_user(self.admin).unlink()
        # Recomputing skips closed scorecards: the history stays as it was.
        self.env["sales.rep.scorecard"].sudo().with_company(self.company)._compute_scorecards(
            self.rep, "month", MONTH_START, MONTH_END
        )
        self.assertEqual(self.ruth.total_score, total)
        self.assertEqual(self.ruth.state, "closed")
        with self.assertRaises(AccessError):
            self.ruth.with_user(self.manager).action_reopen()
        self.ruth.with_user(self.admin).action_reopen()
        self.assertEqual(self.ruth.state, "open")

    def test_compute_on_demand(self):
        with self.assertRaises(AccessError):
            self.env["sales.rep.scorecard.compute"].with_user(self.rep).create({}).action_compute()
        wizard = (
            self.env["sales.rep.scorecard.compute"]
            .with_user(self.manager)
            .create({"period_type": "quarter", "date": date(2026, 11, 3), "user_ids": [Command.set(self.rep.ids)]})
        )
        self.assertEqual((wizard.date_from, wizard.date_to), (date(2026, 10, 1), date(2026, 12, 31)))
        action = wizard.action_compute()
        quarter = self.env["sales.rep.scorecard"].search(action["domain"])
        self.assertEqual(quarter.user_id, self.rep)
        self.assertEqual(quarter.sales_target, 1000.0)

    def test_xlsx_export(self):
        action = self.cards.with_user(self.manager).action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        with zipfile.ZipFile(io.BytesIO(attachment.raw)) as book:
            workbook = book.read("xl/workbook.xml").decode()
        for sheet in ("Scorecards", "Measures", "By Team", "By Area"):
            self.assertIn(f'name="{sheet}"', workbook)


@tagged("post_install", "-at_install")
class TestScorecardCron(ScorecardCase):
    def test_cron_twice_gives_one_scorecard_per_rep_and_period(self):
        Scorecard = self.env["sales.rep.scorecard"]
        with freeze_time("2026-10-01 04:00:00"):
            Scorecard._cron_compute_scorecards()
            first = Scorecard.search([("company_id", "=", self.company.id)])
            Scorecard._cron_compute_scorecards()
        with freeze_time("2026-10-02 04:00:00"):
            Scorecard._cron_compute_scorecards()
        cards = Scorecard.search([("company_id", "=", self.company.id)])
        self.assertEqual(cards, first)
        keys = [(c.user_id, c.period_type, c.date_from) for c in cards]
        self.assertEqual(len(keys), len(set(keys)))
        # September, and the third quarter it ends, for each member of the team.
        ours = self.rep | self.rep2 | self.manager
        keys = sorted((c.user_id.login, c.period_type, c.date_from) for c in cards if c.user_id in ours)
        expected = sorted(
            (user.login, period_type, start)
            for user in (self.rep, self.rep2, self.manager)
            for period_type, start in (("month", date(2026, 9, 1)), ("quarter", date(2026, 7, 1)))
        )
        self.assertEqual(keys, expected)

    def test_cron_batches_and_carries_on_past_a_failing_rep(self):
        Scorecard = self.env["sales.rep.scorecard"]
        original = SalesRepScorecard._prepare_scorecard_values

        def prepare(self, user, *args, **kwargs):
            if user.login == "sm_sc_rep":
                raise ValueError("broken rep")
            return original(self, user, *args, **kwargs)

        progress = []
        with (
            freeze_time("2026-11-01 04:00:00"),
            patch.object(SalesRepScorecard, "_prepare_scorecard_values", prepare),
            patch.object(
                type(self.env["ir.cron"]), "_notify_progress", lambda self, done, remaining: progress.append(remaining)
            ),
            self.assertLogs("odoo.addons.sales_management.models.sales_rep_scorecard", logging.ERROR),
        ):
            Scorecard._cron_compute_scorecards(batch_size=2)
            Scorecard._cron_compute_scorecards(batch_size=2)
            Scorecard._cron_compute_scorecards(batch_size=2)
        ours = self.rep | self.rep2 | self.manager
        cards = Scorecard.search([("company_id", "=", self.company.id), ("date_from", "=", date(2026, 10, 1))])
        self.assertEqual(cards.user_id & ours, self.rep2 | self.manager)
        self.assertEqual(progress[-1], 0)
        # The next run retries the rep that failed.
        with freeze_time("2026-11-02 04:00:00"):
            Scorecard._cron_compute_scorecards()
        cards = Scorecard.search([("company_id", "=", self.company.id), ("date_from", "=", date(2026, 10, 1))])
        self.assertEqual(cards.user_id & ours, ours)


@tagged("post_install", "-at_install")
class TestScorecardRpc(ScorecardCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cards = cls.env["sales.rep.scorecard"].sudo().with_company(cls.company)
        cards._compute_scorecards(cls.rep | cls.rep2, "month", MONTH_START, MONTH_END)
        cls.ruth = cards.search([("user_id", "=", cls.rep.id)])
        cls.ray = cards.search([("user_id", "=", cls.rep2.id)])

    def _rpc(self, login, model, method, *args):
        user = self.env["res.users"].search([("login", "=", login)])
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, user.id, login, model, method, list(args))

    def test_rep_over_rpc(self):
        rows = self._rpc("sm_sc_rep", "sales.rep.scorecard", "search_read", [], ["user_id", "total_score"])
        self.assertEqual([row["id"] for row in rows], self.ruth.ids)
        with self.assertRaises(Fault):
            self._rpc("sm_sc_rep", "sales.rep.scorecard", "read", self.ray.ids, ["total_score"])
        with self.assertRaises(Fault):
            self._rpc("sm_sc_rep", "sales.rep.scorecard", "write", self.ruth.ids, {"attitude_score": 100})
        with self.assertRaises(Fault):
            self._rpc("sm_sc_rep", "sales.rep.scorecard.line", "write", self.ruth.line_ids.ids, {"points": 100})
        self.ruth.invalidate_recordset()
        self.assertEqual(self.ruth.attitude_score, 0.0)
        # The manager scores over RPC, within 0-100.
        self._rpc("sm_sc_manager", "sales.rep.scorecard", "write", self.ruth.ids, {"attitude_score": 75})
        self.ruth.invalidate_recordset()
        self.assertEqual(self.ruth.attitude_score, 75.0)

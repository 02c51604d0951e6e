import base64
from datetime import date, datetime, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .quota_common import QuotaCase


@tagged("post_install", "-at_install")
class TestQuotaGeneration(QuotaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._history()

    def _month_line(self, plan, month, user=None):
        return self._lines(
            plan,
            breakdown="salesperson",
            period_level="month",
            date_from=date(plan.year, month, 1),
            user_id=(user or self.rep).id,
        )

    @freeze_time("2026-03-15")
    def test_seasonality_from_three_years(self):
        """Jan 2000, Jul 3500 (a refund), Dec 200 (EUR at the invoice date); 2023 empty; other company ignored."""
        plan = self._plan()
        plan.with_user(self.manager).action_generate()
        self.assertEqual(plan.history_year_count, 2)
        self.assertEqual(plan.history_years, "2024, 2025")
        self.assertAlmostEqual(plan.last_year_amount, 1000.0 + 1500.0 + 200.0)
        months = {s.month: s for s in plan.share_ids if s.dimension == "month"}
        self.assertAlmostEqual(months[1].share_history, 2000 / 5700 * 100, places=3)
        self.assertAlmostEqual(months[7].share_history, 3500 / 5700 * 100, places=3)
        self.assertAlmostEqual(months[12].share_history, 200 / 5700 * 100, places=3)
        self.assertAlmostEqual(months[4].share_history, 0.0)
        # The team's target goes to its two members by last year's sales: all to Ruth.
        self.assertAlmostEqual(self._month_line(plan, 1).target_amount, 20000.0)
        self.assertAlmostEqual(self._month_line(plan, 7).target_amount, 35000.0)
        self.assertAlmostEqual(self._month_line(plan, 12).target_amount, 2000.0)
        self.assertAlmostEqual(self._month_line(plan, 1, self.rep2).target_amount, 0.0)
        # Category and customer breakdowns carry the same total.
        categ = self._lines(plan, breakdown="category", period_level="month")
        self.assertAlmostEqual(sum(categ.mapped("target_amount")), 57000.0)
        self.assertEqual(categ.categ_id, self.categ)
        customer = self._lines(plan, breakdown="customer", period_level="month")
        self.assertEqual(customer.partner_id, self.customer)

    @freeze_time("2026-03-15")
    def test_category_shares_month_by_month(self):
        """月别商品别: a category that only sells in July gets no January target."""
        lamps = self.env["product.category"].create({"name": "Lamps"})
        self.product_b.categ_id = lamps
        july = self._invoice(date(2025, 7, 20), 1500.0, post=False)
        july.invoice_line_ids.product_id = self.product_b
        july.invoice_line_ids.price_unit = 1500.0
        july.action_post()
        plan = self._plan()
        plan.with_user(self.manager).action_generate()

        def categ_lines(month):
            lines = self._lines(plan, breakdown="category", period_level="month", date_from=date(2026, month, 1))
            return {line.categ_id: line.target_amount for line in lines}

        january, july_lines = categ_lines(1), categ_lines(7)
        self.assertAlmostEqual(january[lamps], 0.0)
        self.assertAlmostEqual(january[self.categ], sum(january.values()))
        # July history: 3,500 of the first category, 1,500 of lamps.
        self.assertAlmostEqual(july_lines[lamps] / sum(july_lines.values()), 0.3, places=4)
        self.assertAlmostEqual(sum(july_lines.values()), self._month_line(plan, 7).target_amount, places=2)

    @freeze_time("2026-03-15")
    def test_derived_target_with_quarterly_steps(self):
        plan = self._plan(target_mode="derived", growth_rate=10.0, quarterly_step=5.0, sales_target=0.0)
        plan.with_user(self.manager).action_generate()
        # 2025: Jan 1000 (Q1 +10%), Jul 1500 (Q3 +20%), Dec 200 (Q4 +25%)
        self.assertAlmostEqual(plan.sales_target, 1100.0 + 1800.0 + 250.0)

    @freeze_time("2026-03-15")
    def test_even_split_without_history(self):
        plan = self._plan(year=2031, sales_target=12000.0)
        plan.with_user(self.manager).action_generate()
        self.assertEqual(plan.history_year_count, 0)
        months = self._lines(plan, breakdown="salesperson", period_level="month", user_id=self.rep.id)
        self.assertEqual(len(months), 12)
        # No history: the team's members share evenly.
        self.assertEqual(set(months.mapped("target_amount")), {500.0})

    @freeze_time("2026-03-15")
    def test_week_and_day_split_honour_weekends_and_holiday(self):
        calendar = self.company.resource_calendar_id
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": calendar.id,
                "date_from": datetime(2030, 3, 6, 0, 0),
                "date_to": datetime(2030, 3, 6, 23, 59),
            }
        )
        plan = self._plan(year=2030, sales_target=24000.0)
        plan.with_user(self.manager).action_generate()
        month = self._lines(plan, period_level="month", breakdown="salesperson", user_id=self.rep.id)
        march = month.filtered(lambda line: line.date_from == date(2030, 3, 1))
        days = self._lines(plan, period_level="day", user_id=self.rep.id).filtered(
            lambda line: line.date_from.month == 3
        )
        weekdays = [date(2030, 3, 1) + timedelta(days=i) for i in range(31)]
        expected = [d for d in weekdays if d.weekday() < 5 and d != date(2030, 3, 6)]
        self.assertEqual(sorted(days.mapped("date_from")), expected)
        self.assertAlmostEqual(sum(days.mapped("target_amount")), march.target_amount, places=2)
        weeks = self._lines(plan, period_level="week", user_id=self.rep.id).filtered(
            lambda line: line.date_from.month == 3
        )
        self.assertAlmostEqual(sum(weeks.mapped("target_amount")), march.target_amount, places=2)
        self.assertTrue(all(w.date_to.month == 3 for w in weeks))

    @freeze_time("2026-03-15")
    def test_regeneration_keeps_manual_adjustments(self):
        plan = self._plan()
        plan.with_user(self.manager).action_generate()
        jan_share = plan.share_ids.filtered(lambda s: s.dimension == "month" and s.month == 1)
        jan_share.with_user(self.manager).share = 50.0
        self.assertTrue(jan_share.is_manual)
        line = self._month_line(plan, 2)
        line.with_user(self.manager).target_amount = 1234.0
        self.assertTrue(line.is_manual)
        plan.with_user(self.manager).action_generate()
        self.assertAlmostEqual(jan_share.share, 50.0)
        month_shares = plan.share_ids.filtered(lambda s: s.dimension == "month")
        self.assertAlmostEqual(sum(month_shares.mapped("share")), 100.0, places=4)
        # Jul keeps its proportion to Dec among the rest: 3500:200 of the remaining 50%.
        jul = month_shares.filtered(lambda s: s.month == 7)
        self.assertAlmostEqual(jul.share, 50.0 * 3500 / 3700, places=3)
        self.assertAlmostEqual(self._month_line(plan, 1).target_amount, 28500.0)
        self.assertEqual(self._month_line(plan, 2), line)
        self.assertAlmostEqual(line.target_amount, 1234.0)
        # Reset discards them.
        plan.with_user(self.manager).action_reset_generate()
        self.assertFalse(line.exists())
        jan_share = plan.share_ids.filtered(lambda s: s.dimension == "month" and s.month == 1)
        self.assertAlmostEqual(jan_share.share, 2000 / 5700 * 100, places=3)

    @freeze_time("2026-03-15")
    def test_adjusted_shares_must_sum_to_100(self):
        plan = self._plan()
        plan.with_user(self.manager).action_generate()
        count = plan.line_count
        months = plan.share_ids.filtered(lambda s: s.dimension == "month")
        months.filtered(lambda s: s.month == 1).with_user(self.manager).share = 70.0
        months.filtered(lambda s: s.month == 7).with_user(self.manager).share = 60.0
        with self.assertRaisesRegex(ValidationError, "130.00%"):
            plan.with_user(self.manager).action_generate()
        plan.invalidate_recordset()
        self.assertEqual(plan.line_count, count)
        # Normalise rescales them all to 100%.
        plan.with_user(self.manager).action_normalise_shares()
        self.assertAlmostEqual(sum(months.mapped("share")), 100.0, places=4)
        plan.with_user(self.manager).action_generate()


@tagged("post_install", "-at_install")
class TestQuotaAchievement(QuotaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._history()
        cls._invoice(date(2026, 1, 12), 1500.0)
        cls._invoice(date(2026, 1, 14), 300.0, move_type="out_refund")
        cls._invoice(date(2026, 1, 15), 900.0, user=cls.rep2)

    @freeze_time("2026-01-16")
    def test_achievement_on_invoices(self):
        plan = self._plan()
        plan.with_user(self.manager).action_generate()
        line = self._lines(plan, breakdown="salesperson", period_level="month", user_id=self.rep.id).filtered(
            lambda line: line.date_from == date(2026, 1, 1)
        )
        line = line.with_user(self.rep)
        self.assertAlmostEqual(line.actual_amount, 1200.0)
        self.assertAlmostEqual(line.last_year_amount, 1000.0)
        self.assertAlmostEqual(line.growth_rate, 20.0)
        self.assertAlmostEqual(line.achievement_rate, 1200.0 / 20000.0 * 100)
        self.assertAlmostEqual(line.gap_amount, 18800.0)
        self.assertAlmostEqual(line.projected_amount, 1200.0 * 31 / 16)
        categ = self._lines(plan, breakdown="category", period_level="month").filtered(
            lambda line: line.date_from == date(2026, 1, 1)
        )
        self.assertAlmostEqual(categ.actual_amount, 2100.0)
        day = self._lines(plan, period_level="day", user_id=self.rep.id, date_from=date(2026, 1, 12))
        self.assertAlmostEqual(day.actual_amount, 1500.0)

    @freeze_time("2026-01-16")
    def test_achievement_on_orders(self):
        plan = self._plan(basis="order")
        plan.with_user(self.manager).action_generate()
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.rep.id,
                "team_id": self.team.id,
                "company_id": self.company.id,
                "order_line": [Command.create({"product_id": self.product_a.id, "price_unit": 800.0, "tax_id": False})],
            }
        )
        self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.rep.id,
                "team_id": self.team.id,
                "company_id": self.company.id,
                "order_line": [Command.create({"product_id": self.product_a.id, "price_unit": 999.0})],
            }
        )  # a quotation, not counted
        order.action_confirm()
        line = self._lines(plan, breakdown="salesperson", period_level="month", user_id=self.rep.id).filtered(
            lambda line: line.date_from == date(2026, 1, 1)
        )
        self.assertAlmostEqual(line.actual_amount, 800.0)

    @freeze_time("2026-01-20")
    def test_collection_beside_sales(self):
        plan = self._plan()
        plan.with_user(self.manager).action_generate()
        invoice = self.env["account.move"].search(
            [("invoice_date", "=", date(2026, 1, 12)), ("move_type", "=", "out_invoice")]
        )
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"payment_date": date(2026, 1, 18), "amount": 1000.0}
        )._create_payments()
        line = self._lines(plan, breakdown="salesperson", period_level="month", user_id=self.rep.id).filtered(
            lambda line: line.date_from == date(2026, 1, 1)
        )
        line.with_user(self.manager).collection_target = 2000.0
        self.assertAlmostEqual(line.collection_actual, 1000.0)
        self.assertAlmostEqual(line.collection_rate, 50.0)

    def test_monthly_snapshot_is_idempotent(self):
        with freeze_time("2026-01-16"):
            plan = self._plan()
            plan.with_user(self.manager).action_generate()
            plan.with_user(self.manager).action_confirm()
        self.company.quota_reminder_threshold = 80.0
        Snapshot = self.env["sales.quota.snapshot"]
        with freeze_time("2026-02-01"):
            Snapshot._cron_monthly_snapshot()
            snaps = Snapshot.search([("plan_id", "=", plan.id)])
            activities = plan.activity_ids
            Snapshot._cron_monthly_snapshot()
        self.assertEqual(Snapshot.search([("plan_id", "=", plan.id)]), snaps)
        self.assertEqual(set(snaps.mapped("snapshot_month")), {date(2026, 1, 1)})
        self.assertEqual(plan.activity_ids, activities)
        # Ruth is at 6% of 20000: reminded once; Ray has no target.
        self.assertEqual(activities.user_id, self.rep)
        ruth = snaps.filtered(lambda s: s.user_id == self.rep and s.breakdown == "salesperson")
        self.assertAlmostEqual(ruth.actual_amount, 1200.0)
        self.assertTrue(ruth.is_reminded)
        # The rep sees his own snapshots only.
        self.assertEqual(Snapshot.with_user(self.rep).search([("plan_id", "=", plan.id)]).user_id, self.rep)

    @freeze_time("2026-01-16")
    def test_xlsx_export(self):
        plan = self._plan()
        plan.with_user(self.manager).action_generate()
        action = plan.with_user(self.rep).action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        self.assertTrue(base64.b64decode(attachment.datas).startswith(b"PK"))


@tagged("post_install", "-at_install")
class TestQuotaAccessAndChecks(QuotaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.env["sales.quota.plan"].create(
            {"year": 2026, "company_id": cls.company.id, "team_id": cls.team.id, "sales_target": 12000.0}
        )
        with freeze_time("2026-01-05"):
            cls.plan.with_user(cls.manager).action_generate()

    def test_rep_sees_only_own_lines(self):
        lines = self.env["sales.quota.line"].with_user(self.rep).search([("plan_id", "=", self.plan.id)])
        self.assertTrue(lines)
        self.assertEqual(lines.user_id, self.rep)
        other = self._lines(self.plan, user_id=self.rep2.id)[:1]
        with self.assertRaises(AccessError):
            other.with_user(self.rep).read(["target_amount"])

    def test_rep_cannot_plan(self):
        with self.assertRaises(AccessError):
            self.env["sales.quota.plan"].with_user(self.rep).create({"year": 2027, "company_id": self.company.id})
        with self.assertRaises(AccessError):
            self.plan.with_user(self.rep).action_generate()
        own = self._lines(self.plan, user_id=self.rep.id)[:1].with_user(self.rep)
        with self.assertRaises(AccessError):
            own.target_amount = 1.0
        own.note = "Big order expected"

    def test_confirmed_plan_is_read_only_until_revised(self):
        self.plan.with_user(self.manager).action_confirm()
        own = self._lines(self.plan, user_id=self.rep.id)[:1]
        with self.assertRaises(UserError):
            own.with_user(self.rep).note = "late"
        with self.assertRaises(UserError):
            own.with_user(self.manager).target_amount = 5.0
        with self.assertRaises(UserError):
            self.plan.with_user(self.manager).sales_target = 1.0
        with self.assertRaises(AccessError):
            self.plan.with_user(self.rep).action_revise()
        self.plan.with_user(self.manager).action_revise()
        self.assertEqual(self.plan.state, "draft")
        self.assertEqual(self.plan.revision_count, 1)
        self.assertIn("revision 1", self.plan.message_ids[0].body)
        own.with_user(self.manager).target_amount = 5.0

    def test_bad_input(self):
        Line = self.env["sales.quota.line"].with_user(self.manager)
        base = {"plan_id": self.plan.id, "date_from": date(2026, 5, 1), "date_to": date(2026, 5, 31)}
        with self.assertRaisesRegex(ValidationError, "negative"):
            Line.create({**base, "target_amount": -1.0})
        with self.assertRaisesRegex(ValidationError, "outside the plan year"):
            Line.create({**base, "date_to": date(2027, 1, 31), "target_amount": 1.0})
        with self.assertRaisesRegex(ValidationError, "not a member"):
            Line.create({**base, "team_id": self.team.id, "user_id": self.rep_out.id})
        with self.assertRaisesRegex(ValidationError, "already a sales plan"):
            self.env["sales.quota.plan"].with_user(self.manager).create(
                {"year": 2026, "company_id": self.company.id, "team_id": self.team.id}
            )
        with self.assertRaisesRegex(ValidationError, "negative"):
            self.env["sales.quota.plan"].with_user(self.manager).create(
                {"year": 2027, "company_id": self.company.id, "sales_target": -5.0}
            )

    def test_import_rolls_back_on_a_bad_row(self):
        Line = self.env["sales.quota.line"].with_user(self.manager)
        before = Line.search_count([])
        result = Line.load(
            ["plan_id", "date_from", "date_to", "team_id", "user_id", "partner_id", "target_amount"],
            [
                [self.plan.name, "2026-06-01", "2026-06-30", self.team.name, self.rep.name, self.customer.name, "100"],
                [self.plan.name, "2026-06-01", "2026-06-30", self.team.name, self.rep.name, "No Such Customer", "100"],
            ],
        )
        self.assertFalse(result["ids"])
        self.assertTrue(any(m["type"] == "error" and m.get("record") == 1 for m in result["messages"]))
        self.assertEqual(Line.search_count([]), before)
        result = Line.load(
            ["plan_id", "date_from", "date_to", "team_id", "user_id", "partner_id", "target_amount"],
            [[self.plan.name, "2026-06-01", "2026-06-30", self.team.name, self.rep.name, self.customer.name, "100"]],
        )
        self.assertEqual(len(result["ids"]), 1, result["messages"])

    def test_break_even(self):
        self.plan.with_user(self.manager).write({"fixed_costs": 3000.0, "variable_costs": 6000.0})
        self.assertAlmostEqual(self.plan.marginal_profit_ratio, 0.5)
        self.assertAlmostEqual(self.plan.break_even_amount, 6000.0)

    def test_menus(self):
        def visible(user):
            menus = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            return set(self.env["ir.ui.menu"].browse(menus).get_external_id().values())

        rep_menus, manager_menus = visible(self.rep), visible(self.manager)
        self.assertIn("sales_management.sales_quota_line_menu_my", rep_menus)
        self.assertNotIn("sales_management.sales_quota_plan_menu", rep_menus)
        self.assertNotIn("sales_management.sales_quota_snapshot_menu", rep_menus)
        self.assertIn("sales_management.sales_quota_plan_menu", manager_menus)
        self.assertIn("sales_management.sales_quota_snapshot_menu", manager_menus)

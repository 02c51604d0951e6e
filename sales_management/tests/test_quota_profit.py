import base64
import io
from datetime import date

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .quota_common import QuotaCase


class QuotaProfitCase(QuotaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.uom_unit = cls.env.ref("uom.product_uom_unit")
        cls.uom_dozen = cls.env.ref("uom.product_uom_dozen")
        cls.uom_kg = cls.env.ref("uom.product_uom_kgm")
        cls.widget = cls._create_product(name="Widget", standard_price=60.0, categ_id=cls.categ.id, taxes_id=False)

    @classmethod
    def _invoice_lines(cls, when, lines, move_type="out_invoice", post=True):
        """An invoice of (product, quantity, unit price[, unit of measure]) lines for the team's rep."""
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": cls.customer.id,
                "invoice_date": when,
                "date": when,
                "invoice_user_id": cls.rep.id,
                "team_id": cls.team.id,
                "journal_id": cls.company_data["default_journal_sale"].id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": quantity,
                            "price_unit": price,
                            "tax_ids": [Command.clear()],
                            **({"product_uom_id": uom[0].id} if uom else {}),
                        }
                    )
                    for product, quantity, price, *uom in lines
                ],
            }
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def _refund(cls, invoice, when, quantity):
        """A credit note of ``quantity`` of the invoice's first line, made by Odoo's reversal."""
        # As the reversal wizard does: the credit note stays the invoice's salesperson's.
        refund = invoice._reverse_moves(
            [{"invoice_date": when, "date": when, "invoice_user_id": invoice.invoice_user_id.id}]
        )
        others = refund.invoice_line_ids[1:]
        refund.write({"invoice_line_ids": [Command.unlink(line.id) for line in others]})
        refund.invoice_line_ids.quantity = quantity
        refund.action_post()
        return refund

    def _month(self, plan, month, breakdown="salesperson", **domain):
        lines = self._lines(plan, breakdown=breakdown, period_level="month", date_from=date(plan.year, month, 1))
        if breakdown == "salesperson":
            lines = lines.filtered(lambda line: line.user_id == self.rep)
        return lines.filtered_domain([(k, "=", v) for k, v in domain.items()])


@tagged("post_install", "-at_install")
class TestQuotaMargin(QuotaProfitCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Last year: 10 x 100 at cost 50 (margin 50%).
        cls.widget.standard_price = 50.0
        cls._invoice_lines(date(2025, 1, 15), [(cls.widget, 10, 100.0)])
        # This year: invoice 1 posted at cost 60, the cost rises to 70, invoice 2 posted;
        # a credit note returns 2 units of invoice 1 after the change.
        cls.widget.standard_price = 60.0
        cls.invoice_1 = cls._invoice_lines(date(2026, 1, 10), [(cls.widget, 10, 100.0)])
        invoice_2 = cls._invoice_lines(date(2026, 1, 20), [(cls.widget, 5, 100.0)], post=False)
        cls.widget.standard_price = 70.0
        invoice_2.action_post()
        cls.invoice_2 = invoice_2
        cls.refund = cls._refund(cls.invoice_1, date(2026, 1, 25), 2)

    def test_cost_taken_at_posting(self):
        self.assertAlmostEqual(self.invoice_1.invoice_line_ids.quota_cost, 600.0)
        # Created at cost 60, posted at 70: the posting day's cost.
        self.assertAlmostEqual(self.invoice_2.invoice_line_ids.quota_cost, 350.0)
        # The returned units go back at the cost they were invoiced at (60), negative.
        self.assertAlmostEqual(self.refund.invoice_line_ids.quota_cost, -120.0)
        # Changing the product's cost afterwards changes nothing posted.
        self.widget.standard_price = 90.0
        self.assertAlmostEqual(self.invoice_1.invoice_line_ids.quota_cost, 600.0)

    @freeze_time("2026-01-31")
    def test_margin_on_lines_and_plan(self):
        """Sales 1000 + 500 - 200 = 1300, cost 600 + 350 - 120 = 830: margin 470, 36.15%."""
        plan = self._plan(sales_target=12000.0, margin_target=2400.0)
        plan.with_user(self.manager).action_generate()
        margin, margin_pct = 470.0, 470.0 / 1300.0 * 100
        # By team and rep, by customer, by category: all of January's sales are theirs.
        rep_line = self._month(plan, 1).with_user(self.rep)
        customer_line = self._month(plan, 1, "customer", partner_id=self.customer.id)
        categ_line = self._month(plan, 1, "category", categ_id=self.categ.id)
        for line in (rep_line, customer_line, categ_line):
            self.assertEqual(len(line), 1)
            self.assertAlmostEqual(line.actual_amount, 1300.0)
            self.assertAlmostEqual(line.margin_actual, margin)
            # Rates are kept to one decimal, as shown.
            self.assertAlmostEqual(line.margin_rate, margin_pct, places=1)
            # Last January: 1000 at cost 500.
            self.assertAlmostEqual(line.last_year_margin_rate, 50.0)
            self.assertAlmostEqual(line.margin_rate_trend, margin_pct - 50.0, places=1)
            self.assertAlmostEqual(line.margin_achievement_rate, margin * 100 / line.margin_target, places=1)
        # The margin target follows the sales target, exactly the plan's in each breakdown.
        for breakdown in ("salesperson", "category", "customer"):
            months = self._lines(plan, breakdown=breakdown, period_level="month")
            self.assertAlmostEqual(sum(months.mapped("margin_target")), 2400.0, places=2)
        self.assertAlmostEqual(plan.margin_actual, margin)
        self.assertAlmostEqual(plan.margin_rate, margin_pct, places=1)
        self.assertAlmostEqual(plan.last_year_margin_rate, 50.0)
        self.assertAlmostEqual(plan.margin_achievement_rate, margin * 100 / 2400.0, places=1)
        self.assertIn("Q1", plan.quarter_summary)

    @freeze_time("2026-01-31")
    def test_margin_on_the_order_basis(self):
        """An order line keeps the cost of its making: 10 x 100 at 60 stays 600 when the cost rises."""
        self.widget.standard_price = 60.0
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.rep.id,
                "team_id": self.team.id,
                "company_id": self.company.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.widget.id, "product_uom_qty": 10, "price_unit": 100.0, "tax_id": False}
                    )
                ],
            }
        )
        order.action_confirm()
        self.widget.standard_price = 75.0
        self.assertAlmostEqual(order.order_line.quota_cost, 600.0)
        plan = self._plan(basis="order")
        plan.with_user(self.manager).action_generate()
        line = self._month(plan, 1)
        self.assertAlmostEqual(line.actual_amount, 1000.0)
        self.assertAlmostEqual(line.margin_actual, 400.0)


@tagged("post_install", "-at_install")
class TestQuotaNewProductsAndQuantities(QuotaProfitCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.quota_new_product_months = 12
        cls.old = cls._create_product(name="Old", launch_date=date(2024, 6, 1), taxes_id=False)
        cls.recent = cls._create_product(name="Recent", launch_date=date(2025, 3, 1), taxes_id=False)
        cls.flagged = cls._create_product(name="Flagged", is_new_product=True, taxes_id=False)
        invoice = cls._invoice_lines(
            date(2026, 3, 5), [(cls.recent, 4, 100.0), (cls.old, 10, 100.0), (cls.flagged, 3, 100.0)]
        )
        cls._refund(invoice, date(2026, 3, 6), 1)  # one Recent returned: -100
        # Quantities: 12 units, 1 dozen, 6 units returned, 5 kg (another category).
        cls.bolt = cls._create_product(name="Bolt", standard_price=2.0, taxes_id=False)
        cls.sand = cls._create_product(name="Sand", uom_id=cls.uom_kg.id, uom_po_id=cls.uom_kg.id, taxes_id=False)
        cls.bolts = cls._invoice_lines(
            date(2026, 2, 3),
            [(cls.bolt, 12, 1.0), (cls.bolt, 1, 12.0, cls.uom_dozen), (cls.sand, 5, 3.0, cls.uom_kg)],
        )
        cls._refund(cls.bolts, date(2026, 2, 4), 6)

    @freeze_time("2026-03-31")
    def test_new_product_sales(self):
        """New: launched since 2025-01-01 (12 months before 2026) or flagged: 400 - 100 + 300 = 600."""
        plan = self._plan(sales_target=12000.0, new_product_target=1200.0)
        plan.with_user(self.manager).action_generate()
        self.assertEqual(plan.new_product_launch_from, date(2025, 1, 1))
        self.assertAlmostEqual(plan.new_product_actual, 600.0)
        self.assertAlmostEqual(plan.new_product_rate, 50.0)
        march = self._month(plan, 3)
        self.assertAlmostEqual(march.new_product_actual, 600.0)
        self.assertAlmostEqual(march.actual_amount, 300.0 + 1000.0 + 300.0)
        months = self._lines(plan, period_level="month", breakdown="salesperson")
        self.assertAlmostEqual(sum(months.mapped("new_product_target")), 1200.0, places=2)
        products = self.env["product.product"].search(plan.action_view_new_products()["domain"])
        self.assertIn(self.recent, products)
        self.assertIn(self.flagged, products)
        self.assertNotIn(self.old, products)
        # Six months only: Recent (March 2025) is no longer new.
        self.company.quota_new_product_months = 6
        plan.invalidate_recordset()
        march.invalidate_recordset()
        self.assertAlmostEqual(plan.new_product_actual, 300.0)
        self.assertAlmostEqual(march.new_product_actual, 300.0)
        with self.assertRaisesRegex(ValidationError, "new product period"):
            self.company.quota_new_product_months = -1

    def test_cost_in_the_line_unit(self):
        # A dozen of a product costing 2 a unit costs 24.
        dozen_line = self.bolts.invoice_line_ids.filtered(lambda line: line.product_uom_id == self.uom_dozen)
        self.assertAlmostEqual(dozen_line.quota_cost, 24.0)

    @freeze_time("2026-03-31")
    def test_quantities_in_two_units(self):
        """12 units + 1 dozen - 6 units = 18 units = 1.5 dozens; kilograms do not count."""
        plan = self._plan(sales_target=12000.0)
        plan.with_user(self.manager).action_generate()
        february = self._month(plan, 2).with_user(self.manager)
        february.write({"target_quantity": 24.0, "uom_id": self.uom_unit.id})
        self.assertAlmostEqual(february.actual_quantity, 18.0)
        self.assertAlmostEqual(february.quantity_rate, 75.0)
        february.write({"target_quantity": 2.0, "uom_id": self.uom_dozen.id})
        self.assertAlmostEqual(february.actual_quantity, 1.5)
        self.assertAlmostEqual(february.quantity_rate, 75.0)
        # The quarter carries the month's quantity target.
        quarter = self._lines(plan, period_level="quarter", breakdown="salesperson", user_id=self.rep.id).filtered(
            lambda line: line.date_from == date(2026, 1, 1)
        )
        self.assertAlmostEqual(quarter.target_quantity, 2.0)
        self.assertEqual(quarter.uom_id, self.uom_dozen)
        # Q1 also holds March's 4 + 10 + 3 - 1 units of other products: 16 units, 1.33 dozens.
        self.assertAlmostEqual(quarter.actual_quantity, 1.5 + 16 / 12, places=2)
        with self.assertRaisesRegex(ValidationError, "unit of measure"):
            february.write({"uom_id": False})


@tagged("post_install", "-at_install")
class TestQuotaQuarters(QuotaProfitCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._history()
        cls._invoice(date(2026, 1, 12), 1500.0)
        cls._invoice(date(2026, 2, 12), 700.0, user=cls.rep2)
        cls._invoice(date(2026, 5, 3), 400.0)

    def _quarters(self, plan, **domain):
        return self._lines(plan, period_level="quarter", **domain)

    def _months_of(self, quarter):
        months = self._lines(
            quarter.plan_id,
            period_level="month",
            breakdown=quarter.breakdown,
            team_id=quarter.team_id.id,
            user_id=quarter.user_id.id,
            partner_id=quarter.partner_id.id,
            categ_id=quarter.categ_id.id,
        )
        return months.filtered(lambda line: quarter.date_from <= line.date_from <= quarter.date_to)

    @freeze_time("2026-06-15")
    def test_quarter_totals_equal_their_months(self):
        plan = self._plan(margin_target=5700.0, new_product_target=570.0)
        plan.with_user(self.manager).action_generate()
        quarters = self._quarters(plan)
        # Four quarters for each line shape of every breakdown.
        self.assertEqual(len(quarters), len(self._lines(plan, period_level="month")) / 3)
        for quarter in quarters:
            months = self._months_of(quarter)
            self.assertEqual(len(months), 3)
            for fname in ("target_amount", "margin_target", "new_product_target", "actual_amount", "margin_actual"):
                self.assertAlmostEqual(quarter[fname], sum(months.mapped(fname)), places=2, msg=fname)
        for breakdown in ("salesperson", "category", "customer"):
            self.assertAlmostEqual(
                sum(self._quarters(plan, breakdown=breakdown).mapped("target_amount")), plan.sales_target, places=2
            )
        # A month changed by hand: its quarter follows.
        february = self._month(plan, 2)
        february.with_user(self.manager).target_amount = 9999.0
        q1 = self._quarters(plan, breakdown="salesperson", user_id=self.rep.id, date_from=date(2026, 1, 1))
        self.assertAlmostEqual(q1.target_amount, sum(self._months_of(q1).mapped("target_amount")), places=2)
        # Quarterly completion: Ruth sold 1500 in Q1 and 400 in Q2.
        self.assertAlmostEqual(q1.actual_amount, 1500.0)
        self.assertAlmostEqual(q1.achievement_rate, 1500.0 * 100 / q1.target_amount, places=1)
        q2 = self._quarters(plan, breakdown="salesperson", user_id=self.rep.id, date_from=date(2026, 4, 1))
        self.assertAlmostEqual(q2.actual_amount, 400.0)
        # Deleting a month line takes it out of its quarter.
        february.with_user(self.manager).unlink()
        self.assertAlmostEqual(q1.target_amount, sum(self._months_of(q1).mapped("target_amount")), places=2)

    @freeze_time("2026-06-15")
    def test_quarter_lines_are_not_typed(self):
        plan = self._plan()
        plan.with_user(self.manager).action_generate()
        quarter = self._quarters(plan, breakdown="salesperson", user_id=self.rep.id)[:1]
        with self.assertRaisesRegex(UserError, "sums of its months"):
            quarter.with_user(self.manager).target_amount = 1.0
        with self.assertRaises(AccessError):
            quarter.with_user(self.rep).target_amount = 1.0
        with self.assertRaisesRegex(UserError, "Quarter lines are made from the month lines"):
            self.env["sales.quota.line"].with_user(self.manager).create(
                {
                    "plan_id": plan.id,
                    "period_level": "quarter",
                    "date_from": date(2026, 1, 1),
                    "date_to": date(2026, 3, 31),
                }
            )
        # A quarter deleted on its own comes back from its months.
        key = quarter._get_quarter_key()
        quarter.with_user(self.manager).unlink()
        self.assertIn(key, [line._get_quarter_key() for line in self._quarters(plan)])

    @freeze_time("2026-06-15")
    def test_okr_steps_against_what_happened(self):
        """Derived +10% and +5% a quarter; Q1 last year 1000, this year 1500 + 700 = 2200."""
        plan = self._plan(target_mode="derived", growth_rate=10.0, quarterly_step=5.0, sales_target=0.0)
        plan.with_user(self.manager).action_generate()
        q1 = self._quarters(plan, breakdown="salesperson", user_id=self.rep.id, date_from=date(2026, 1, 1))
        q3 = self._quarters(plan, breakdown="salesperson", user_id=self.rep.id, date_from=date(2026, 7, 1))
        self.assertAlmostEqual(q1.planned_growth_rate, 10.0)
        self.assertAlmostEqual(q3.planned_growth_rate, 20.0)
        self.assertAlmostEqual(q1.last_year_amount, 1000.0)
        self.assertAlmostEqual(q1.growth_rate, 50.0)
        rows = plan._get_quarter_summary_rows(plan._get_year_figures(), plan._get_quarter_targets()[plan.id])
        self.assertEqual([row["planned_growth"] for row in rows], [10.0, 15.0, 20.0, 25.0])
        self.assertAlmostEqual(rows[0]["actual"], 2200.0)
        self.assertAlmostEqual(rows[0]["last_year"], 1000.0)
        self.assertAlmostEqual(rows[0]["growth"], 120.0)
        q1_months = self._lines(plan, breakdown="salesperson", period_level="month").filtered(
            lambda line: line.date_from.month <= 3
        )
        self.assertAlmostEqual(rows[0]["target"], sum(q1_months.mapped("target_amount")), places=2)
        self.assertAlmostEqual(sum(row["target"] for row in rows), plan.sales_target, places=2)

    @freeze_time("2026-06-15")
    def test_quarterly_completion_per_rep_and_team_in_grouped_views(self):
        plan = self._plan()
        plan.with_user(self.manager).action_generate()
        domain = [("plan_id", "=", plan.id), ("period_level", "=", "quarter"), ("breakdown", "=", "salesperson")]
        Line = self.env["sales.quota.line"].with_user(self.manager)
        groups = Line.read_group(
            domain,
            ["target_amount:sum", "actual_amount:sum", "achievement_rate:avg"],
            ["user_id", "date_from:quarter"],
            lazy=False,
        )
        self.assertEqual(len(groups), 8)  # two reps, four quarters
        for group in groups:
            (line,) = Line.search(group["__domain"])
            self.assertAlmostEqual(group["actual_amount"], line.actual_amount)
            self.assertAlmostEqual(group["achievement_rate"], line.achievement_rate, places=1)
        ruth_q1 = next(g for g in groups if g["user_id"][0] == self.rep.id and "Q1" in g["date_from:quarter"])
        self.assertAlmostEqual(ruth_q1["actual_amount"], 1500.0)
        team = Line.read_group(domain, ["target_amount:sum", "actual_amount:sum", "achievement_rate:avg"], ["team_id"])
        self.assertEqual(len(team), 1)
        self.assertAlmostEqual(team[0]["actual_amount"], 1500.0 + 700.0 + 400.0)
        self.assertAlmostEqual(team[0]["achievement_rate"], 2600.0 * 100 / plan.sales_target)
        # The live measures are offered to pivots and graphs.
        self.assertEqual(Line.fields_get(["actual_amount"])["actual_amount"]["aggregator"], "sum")
        # A salesperson's grouped view holds his own lines only.
        mine = self.env["sales.quota.line"].with_user(self.rep).read_group(domain, ["actual_amount:sum"], ["user_id"])
        self.assertEqual([g["user_id"][0] for g in mine], [self.rep.id])
        self.assertAlmostEqual(mine[0]["actual_amount"], 1900.0)

    def test_achievement_query_count_does_not_grow_with_lines(self):
        with freeze_time("2026-06-15"):
            plan = self._plan()
            plan.with_user(self.manager).action_generate()
        lines = self._lines(plan, breakdown="salesperson", period_level="month")
        self.assertGreater(len(lines), 12)

        def queries(records):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            records._fields["actual_amount"].compute_value(records.with_user(self.manager))
            return self.cr.sql_log_count - before

        queries(lines)  # warm the caches that do not depend on the lines
        # Half the lines (one salesperson's year) or all of them: the same queries.
        self.assertEqual(queries(lines.filtered(lambda line: line.user_id == self.rep)), queries(lines))


@tagged("post_install", "-at_install")
class TestQuotaPlanScreens(QuotaProfitCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._history()
        cls._invoice(date(2026, 1, 12), 1500.0)

    def _shown_lines(self, action):
        """The lines an action opens with: its domain and default search filters (different groups: AND)."""
        arch = etree.fromstring(self.env.ref("sales_management.sales_quota_line_view_search").arch)
        domain = list(action["domain"])
        for key, value in action["context"].items():
            if key.startswith("search_default_") and value:
                node = arch.xpath(f"//filter[@name='{key.removeprefix('search_default_')}']")[0]
                if node.get("domain"):
                    domain += safe_eval(node.get("domain"), {"uid": self.env.uid})
        return self.env["sales.quota.line"].with_user(self.manager).search(domain)

    @freeze_time("2026-03-15")
    def test_quota_lines_button_reconciles_with_the_plan(self):
        plan = self._plan(margin_target=5000.0)
        plan.with_user(self.manager).action_generate()
        shown = self._shown_lines(plan.with_user(self.manager).action_view_lines())
        self.assertEqual(set(shown.mapped("breakdown")), {"salesperson"})
        self.assertEqual(set(shown.mapped("period_level")), {"month"})
        self.assertAlmostEqual(sum(shown.mapped("target_amount")), plan.sales_target, places=2)
        self.assertAlmostEqual(sum(shown.mapped("margin_target")), plan.margin_target, places=2)
        # The pivot's totals, as the web client asks them.
        pivot = (
            self.env["sales.quota.line"]
            .with_user(self.manager)
            .read_group(
                [("id", "in", shown.ids)],
                ["target_amount:sum", "actual_amount:sum", "gap_amount:sum"],
                [],
                lazy=False,
            )
        )
        self.assertAlmostEqual(pivot[0]["target_amount"], plan.sales_target, places=2)
        self.assertAlmostEqual(pivot[0]["actual_amount"], plan.actual_amount)
        self.assertAlmostEqual(pivot[0]["gap_amount"], plan.sales_target - plan.actual_amount, places=2)
        quarters = self._shown_lines(plan.with_user(self.manager).action_view_quarters())
        self.assertEqual(set(quarters.mapped("period_level")), {"quarter"})
        self.assertAlmostEqual(sum(quarters.mapped("target_amount")), plan.sales_target, places=2)
        # A salesperson's My Targets: his lines of one breakdown.
        my_action = self.env["ir.actions.act_window"]._for_xml_id("sales_management.sales_quota_line_action_my")
        my_action["domain"] = safe_eval(my_action["domain"], {"uid": self.rep.id})
        my_action["context"] = safe_eval(my_action["context"])
        mine = self._shown_lines(my_action)
        self.assertEqual(set(mine.mapped("breakdown")), {"salesperson"})
        self.assertEqual(mine.user_id, self.rep)

    def test_year_is_shown_without_thousands_separator(self):
        Plan = self.env["sales.quota.plan"]
        self.assertFalse(Plan.fields_get(["year"])["year"].get("aggregator"))
        views = Plan.get_views([(False, "list"), (False, "form")])["views"]
        for view_type in ("list", "form"):
            arch = etree.fromstring(views[view_type]["arch"])
            (node,) = arch.xpath("//field[@name='year']")
            self.assertEqual(safe_eval(node.get("options")), {"enable_formatting": False}, view_type)

    @freeze_time("2026-12-02")
    def test_december_plan_uses_twelve_complete_months(self):
        """A 2027 plan made on 2 December 2026: last year is Dec 2025 - Nov 2026, not 2026's eleven months."""
        plan_year = 2027
        for month in range(1, 13):
            self._invoice(date(2025, month, 3), 100.0, user=self.rep2)
        for month in range(2, 12):  # January 2026 already has 1500
            self._invoice(date(2026, month, 3), 100.0, user=self.rep2)
        self._invoice(date(2026, 12, 1), 20.0, user=self.rep2)  # December just begun
        plan = self._plan(year=plan_year, target_mode="derived", growth_rate=10.0, sales_target=0.0)
        plan.with_user(self.manager).action_generate()
        # Dec 2025: 200 (600 EUR) + 100; Jan 2026: 1500; Feb-Nov 2026: 1000. Not the 20 of December 2026.
        last_twelve = 300.0 + 1500.0 + 1000.0
        self.assertAlmostEqual(plan.last_year_amount, last_twelve)
        self.assertAlmostEqual(plan.sales_target, last_twelve * 1.1)
        self.assertIn("2025-12 – 2026-11", plan.history_years)
        self.assertIn("not over", plan.message_ids[0].body + plan.message_ids[1].body)
        # December's share comes from December 2025 (and 2024), not from an unfinished month.
        december = plan.share_ids.filtered(lambda s: s.dimension == "month" and s.month == 12)
        self.assertAlmostEqual(december.history_amount, 300.0)

    @freeze_time("2026-03-15")
    def test_break_even_and_plan_bases(self):
        plan = self._plan(sales_target=12000.0, fixed_costs=3000.0, variable_costs=6000.0)
        plan.with_user(self.manager).action_generate()
        # Without planned profit: the break-even point itself.
        self.assertAlmostEqual(plan.marginal_profit_ratio, 0.5)
        self.assertAlmostEqual(plan.break_even_amount, 6000.0)
        self.assertAlmostEqual(plan.required_sales_amount, 6000.0)
        plan.with_user(self.manager).write(
            {
                "planned_profit": 1500.0,
                "planned_assets": 10000.0,
                "asset_turnover": 1.5,
                "net_profit_rate": 10.0,
                "headcount": 2,
                "value_added_per_person": 3000.0,
                "value_added_rate": 50.0,
                "growth_rate": 10.0,
            }
        )
        # (3000 + 1500) / 0.5
        self.assertAlmostEqual(plan.required_sales_amount, 9000.0)
        self.assertAlmostEqual(plan.break_even_amount, 6000.0)
        self.assertAlmostEqual(plan.asset_turnover_basis, 15000.0)
        self.assertAlmostEqual(plan.net_profit_rate_basis, 15000.0)
        self.assertAlmostEqual(plan.value_added_basis, 12000.0)
        # Last year: Jan 1000 + Jul 2000 - 500 + Dec 200, grown 10%.
        self.assertAlmostEqual(plan.past_actual_basis, 2700.0 * 1.1)
        with self.assertRaisesRegex(ValidationError, "Planned Profit"):
            plan.with_user(self.manager).planned_profit = -1.0

    @freeze_time("2026-01-16")
    def test_xlsx_has_the_profit_columns_and_true_totals(self):
        try:
            import openpyxl  # an Odoo requirement; only this test reads XLSX
        except ImportError:
            self.skipTest("openpyxl is not installed")
        plan = self._plan(margin_target=5700.0)
        plan.with_user(self.manager).action_generate()
        action = plan.with_user(self.rep).action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        self.assertEqual(len(book.sheetnames), 6)
        sheet = book.worksheets[0]
        headers = [cell.value for cell in sheet[3]]
        for title in ("Margin", "Margin %", "New-Product Sales", "Actual Quantity", "Planned Growth %"):
            self.assertIn(title, headers)
        rows = list(sheet.iter_rows(min_row=4, values_only=True))
        total = rows[-1]
        self.assertEqual(total[0], "Total")
        margin_col = headers.index("Margin %")
        self.assertTrue(str(total[margin_col]).startswith("=IF("))
        self.assertEqual(sheet.cell(4, margin_col + 1).number_format, "0.0%")
        # The rep sees his own lines: his January line carries his sales.
        january = next(row for row in rows[:-1] if row[0].month == 1)
        self.assertAlmostEqual(january[headers.index("Actual")], 1500.0)


# Runs in the page: passes once the selector is rendered, fails on a JavaScript
# error (HttpCase turns console errors into failures) or a timeout.
WAIT_FOR = """
    const deadline = Date.now() + 30000;
    (function wait() {
        const found = document.querySelector(%(selector)r);
        if (found && (!%(text)r || found.textContent.includes(%(text)r))) {
            console.log("test successful");
        } else if (Date.now() > deadline) {
            console.error("not rendered: " + %(selector)r);
        } else {
            setTimeout(wait, 100);
        }
    })();
"""


@tagged("post_install", "-at_install")
class TestQuotaScreensInBrowser(HttpCase):
    """The plan form (quarters table, plan bases) and the quota-line pivot with actuals open in a browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, login="sm_qb_manager", groups="sales_team.group_sale_salesman_all_leads")
        team = cls.env["crm.team"].create({"name": "Browser Team", "member_ids": [Command.set(cls.manager.ids)]})
        cls.plan = cls.env["sales.quota.plan"].create(
            {"year": 2030, "team_id": team.id, "sales_target": 12000.0, "margin_target": 3000.0, "fixed_costs": 1000.0}
        )
        cls.plan.with_user(cls.manager).action_generate()

    def _wait(self, url, selector, text=""):
        self.browser_js(url, WAIT_FOR % {"selector": selector, "text": text}, login="sm_qb_manager")

    def test_plan_form(self):
        self._wait(
            f"/odoo/action-sales_management.sales_quota_plan_action/{self.plan.id}",
            ".o_form_view .o_field_widget[name='quarter_summary'] table",
            "Q4",
        )

    def test_quota_line_pivot_and_graph_show_actuals(self):
        self._wait(
            "/odoo/action-sales_management.sales_quota_line_action?view_type=pivot",
            ".o_pivot table thead",
            "Actual",
        )
        self._wait("/odoo/action-sales_management.sales_quota_line_action?view_type=graph", ".o_graph_renderer canvas")

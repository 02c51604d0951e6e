import io
import zipfile
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .price_common import PriceCase


@tagged("post_install", "-at_install")
class TestPriceLeakageReport(PriceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_customer = cls.env["res.partner"].create({"name": "Ungraded Customer", "is_company": True})
        cls.eur = cls.env["res.currency"].with_context(active_test=False).search([("name", "=", "EUR")])
        if cls.eur == cls.company.currency_id:
            cls.eur = cls.env["res.currency"].with_context(active_test=False).search([("name", "=", "CNY")])
        cls.eur.active = True
        cls.env["res.currency.rate"].create({"currency_id": cls.eur.id, "rate": 2.0, "name": "2000-01-01"})

    def _confirmed(self, discount, qty=10.0, partner=None, product=None, approve=False, date=None, **vals):
        order = self._quotation(discount=discount, qty=qty, partner=partner, product=product, **vals)
        if approve:
            self._approve(order)
        order.action_confirm()
        if date:
            order.date_order = date
        return order

    def _report(self, domain=None):
        return self.env["sales.price.leakage.report"].search(
            [("partner_id", "in", (self.customer | self.other_customer).ids), *(domain or [])]
        )

    def test_totals_equal_the_order_lines(self):
        now = fields.Datetime.now()
        last_year = now - timedelta(days=365)
        orders = (
            self._confirmed(5.0)
            | self._confirmed(20.0, approve=True)
            | self._confirmed(0.0, qty=3, product=self.other_product, partner=self.other_customer)
            | self._confirmed(8.0, qty=4, date=last_year)
        )
        eur_pricelist = self.env["product.pricelist"].create({"name": "EUR", "currency_id": self.eur.id})
        orders |= self._confirmed(2.0, qty=2, partner=self.other_customer, pricelist_id=eur_pricelist.id)
        # A quotation is no sale; nor is a section line.
        self._quotation(discount=50.0)
        orders[0].order_line = [Command.create({"display_type": "line_section", "name": "Section"})]
        lines = orders.order_line.filtered(lambda line: not line.display_type)
        rows = self._report([("is_last_year", "=", False)])
        self.assertEqual(len(rows), len(lines))

        def company_net(line):
            return line.price_subtotal / line.order_id.currency_rate

        Report = self.env["sales.price.leakage.report"]
        domain = [("partner_id", "in", (self.customer | self.other_customer).ids)]
        [[qty, list_amount, net, discount, below, approved, unapproved, ly_net]] = Report._read_group(
            domain,
            [],
            [
                "qty:sum",
                "list_amount:sum",
                "net_amount:sum",
                "discount_amount:sum",
                "below_floor_amount:sum",
                "below_floor_approved_amount:sum",
                "below_floor_unapproved_amount:sum",
                "ly_net_amount:sum",
            ],
        )
        self.assertAlmostEqual(qty, sum(lines.mapped("product_uom_qty")))
        self.assertAlmostEqual(list_amount, sum(lines.mapped("price_list_total")))
        self.assertAlmostEqual(net, sum(company_net(line) for line in lines))
        self.assertAlmostEqual(discount, list_amount - net)
        approved_line = orders[1].order_line
        self.assertAlmostEqual(below, company_net(approved_line))
        self.assertAlmostEqual((approved, unapproved), (company_net(approved_line), 0.0))
        self.assertAlmostEqual(ly_net, sum(company_net(line) for line in lines))
        # The order in another currency counts at its rate.
        eur_line = orders[-1].order_line
        self.assertAlmostEqual(rows.filtered(lambda r: r.line_id == eur_line).net_amount, company_net(eur_line))

        # Per month, per grade, per rep, per customer, per category: each group sums its own lines.
        for groupby in ("date:month", "grade_id", "user_id", "partner_id", "categ_id"):
            groups = Report._read_group([*domain, ("is_last_year", "=", False)], [groupby], ["net_amount:sum"])
            with self.subTest(groupby=groupby):
                self.assertAlmostEqual(sum(net for _key, net in groups), net)

        # Last year's line appears a year later as last year's figure.
        this_month = now.date().replace(day=1)
        next_month = fields.Date.add(this_month, months=1)
        [[ly_qty, ly_net_month, avg, ly_avg]] = Report._read_group(
            [
                ("partner_id", "=", self.customer.id),
                ("date", ">=", this_month),
                ("date", "<", next_month),
                ("product_id", "=", self.product.id),
            ],
            [],
            ["ly_qty:sum", "ly_net_amount:sum", "avg_unit_price:avg", "ly_avg_unit_price:avg"],
        )
        old_line = orders[3].order_line
        if (last_year + timedelta(days=365)).date() >= this_month:
            self.assertAlmostEqual(ly_qty, old_line.product_uom_qty)
            self.assertAlmostEqual(ly_avg, company_net(old_line) / old_line.product_uom_qty)
        # The group's average unit price is its net over its quantity, not an average of rows.
        month_lines = (orders[0] | orders[1]).order_line
        self.assertAlmostEqual(
            avg, sum(company_net(line) for line in month_lines) / sum(month_lines.mapped("product_uom_qty"))
        )

    def test_policy_and_floor_measures(self):
        # Confirmed while the grade had no floor: below today's 10%, not approved.
        self.floor.active = False
        self._confirmed(20.0)
        self._confirmed(30.0)
        self.floor.active = True
        rows = self._report()
        [[allowed, excess, unapproved, count]] = self.env["sales.price.leakage.report"]._read_group(
            [("id", "in", rows.ids)],
            [],
            [
                "allowed_discount_amount:sum",
                "excess_discount_amount:sum",
                "below_floor_unapproved_amount:sum",
                "below_floor_count:sum",
            ],
        )
        # Both lines: list 1000 each, 10% allowed, given 20% and 30%.
        self.assertAlmostEqual(allowed, 200.0)
        self.assertAlmostEqual(excess, 100.0 + 200.0)
        self.assertAlmostEqual(unapproved, 800.0 + 700.0)
        self.assertEqual(count, 2)

    def test_xlsx_export(self):
        self._confirmed(5.0)
        self._confirmed(20.0, approve=True)
        Report = self.env["sales.price.leakage.report"]
        rows = Report._get_sheet_rows([("partner_id", "=", self.customer.id)], "user_id")
        self.assertEqual(len(rows), 1)
        self.assertAlmostEqual(rows[0][1]["net_amount"], 950.0 + 800.0)
        self.assertAlmostEqual(rows[0][1]["discount_pct"], 250.0 / 2000.0 * 100)
        action = Report.action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        with zipfile.ZipFile(io.BytesIO(attachment.raw)) as book:
            sheets = [name for name in book.namelist() if name.startswith("xl/worksheets/sheet")]
        self.assertEqual(len(sheets), 5)

"""The credit SQL in one place (models/sales_credit_sql.py): the exposure function's figures
equal a plain ORM reading, its queries use the indexes, and other modules extend it."""

from datetime import timedelta
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from ..models import sales_credit_sql
from .credit_common import CreditCase

HISTORY_PARTNERS = 2000
HISTORY_ITEMS = 20000


@tagged("post_install", "-at_install")
class TestCreditSql(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Status = cls.env["sales.credit.status"]
        cls.customer.credit_limit = 0.0  # no limit: the figures, not the check, are tested here
        cls.contact = cls.env["res.partner"].create({"name": "Buyer Bo", "parent_id": cls.customer.id})
        cls.overdue = cls._invoice(500, days_ago=45, due_days=15)
        cls.not_due = cls._invoice(300, days_ago=0, due_days=30)
        cls._pay(cls.not_due, amount=100)
        cls.of_contact = cls._invoice(50, partner=cls.contact, days_ago=20, due_days=0)
        cls.paid = cls._invoice(700, days_ago=60, due_days=0)
        cls._pay(cls.paid)
        cls.draft = cls._invoice(200, post=False)
        cls.order = cls._order(400)
        cls.order.action_confirm()

    # -- helpers -----------------------------------------------------------------
    def _orm_position(self, partner):
        """The customer's credit position from plain ORM reads (no SQL of the addon)."""
        today = self.today
        items = [
            ("partner_id.commercial_partner_id", "=", partner.id),
            ("company_id", "=", self.company.id),
            ("parent_state", "=", "posted"),
            ("reconciled", "=", False),
            ("account_id.account_type", "=", "asset_receivable"),
        ]
        AML = self.env["account.move.line"]
        [(receivable,)] = AML._read_group(items, [], ["amount_residual:sum"])
        [(oldest_due,)] = AML._read_group(
            [*items, ("amount_residual", ">", 0), ("date_maturity", "<", today)], [], ["date_maturity:min"]
        )
        [(draft,)] = self.env["account.move"]._read_group(
            [
                ("commercial_partner_id", "=", partner.id),
                ("company_id", "=", self.company.id),
                ("state", "=", "draft"),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ],
            [],
            ["amount_total_signed:sum"],
        )
        lines = self.env["sale.order.line"].search(
            [
                ("order_partner_id.commercial_partner_id", "=", partner.id),
                ("company_id", "=", self.company.id),
                ("state", "=", "sale"),
                ("display_type", "=", False),
                ("is_downpayment", "=", False),
            ]
        )
        orders = sum(
            (line.product_uom_qty - line.qty_invoiced) * line.price_total / line.product_uom_qty
            for line in lines
            if line.qty_invoiced < line.product_uom_qty
        )
        return {"receivable": receivable, "oldest_due": oldest_due, "draft": draft, "orders": orders}

    # -- figures -----------------------------------------------------------------
    def test_exposure_equals_orm_read_group(self):
        position = self.Status._get_exposure([self.contact.id], self.company)[self.contact.id]
        expected = self._orm_position(self.customer)
        # Hand-worked: 500 + (300 - 100) + 50 open; the paid invoice is gone; 200 draft; 400 ordered.
        self.assertEqual(expected["receivable"], 750.0)
        self.assertEqual(expected["draft"], 200.0)
        self.assertEqual(expected["orders"], 400.0)
        self.assertEqual(position["commercial_partner_id"], self.customer.id)
        for key in ("receivable", "draft", "orders"):
            self.assertAlmostEqual(position[key], expected[key], msg=key)
        self.assertEqual(position["notes"], 0.0)
        self.assertEqual(position["oldest_due"], expected["oldest_due"])
        self.assertEqual(position["oldest_due"], self.today - timedelta(days=30))
        self.assertAlmostEqual(position["total"], sum(expected[k] for k in ("receivable", "draft", "orders")))

    def test_nightly_scan_equals_the_function(self):
        """The nightly scan and the function read the same open items (one condition)."""
        scan = self.Status._get_open_item_figures([self.customer.id], self.company, self.today)[self.customer.id]
        position = self.Status._get_exposure([self.customer.id], self.company)[self.customer.id]
        self.assertAlmostEqual(scan["receivable"], position["receivable"])
        self.assertEqual(scan["oldest_due"], position["oldest_due"])
        self.assertAlmostEqual(sum(scan["buckets"]), scan["receivable"] + scan["notes"])
        self.assertAlmostEqual(self.Status._get_overdue_amount(self.customer, self.company), scan["overdue_amount"])

    def test_ageing_buckets_follow_the_tool(self):
        from ..tools import ageing

        scan = self.Status._get_open_item_figures([self.customer.id], self.company, self.today)[self.customer.id]
        items = self.env["account.move.line"].search(
            [
                ("partner_id.commercial_partner_id", "=", self.customer.id),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("account_id.account_type", "=", "asset_receivable"),
            ]
        )
        expected = ageing.ageing([(item.amount_residual, item.date_maturity) for item in items], self.today)
        self.assertEqual(
            dict(zip((key for key, *_rest in ageing.AGEING_BUCKETS), scan["buckets"], strict=True)), expected
        )

    # -- extension points --------------------------------------------------------
    def test_a_module_adds_an_exposure_component(self):
        # What a module inheriting sales.credit.status would write, as a patch of the class.
        Status = type(self.Status)
        customer = self.customer.id
        base_components, base_extra = Status._get_exposure_components, Status._get_exposure_extra

        def components(self):
            return [*base_components(self), "guarantees"]

        def extra(self, partner_ids, company, today):
            result = base_extra(self, partner_ids, company, today)
            result.setdefault(customer, {})["guarantees"] = 1234.0
            return result

        before = self.Status._get_exposure([customer], self.company)[customer]["total"]
        with (
            patch.object(Status, "_get_exposure_components", components, create=True),
            patch.object(Status, "_get_exposure_extra", extra, create=True),
        ):
            after = self.Status._get_exposure([customer], self.company)[customer]
        self.assertEqual(after["guarantees"], 1234.0)
        self.assertAlmostEqual(after["total"], before + 1234.0)

    def test_a_module_adds_a_score_factor(self):
        Status = type(self.Status)
        Policy = type(self.env["sales.credit.policy"])
        customer = self.customer.id
        status = self.Status._get_status(self.customer, self.company, create=True)
        self.env["sales.credit.policy"].create(
            {
                "name": "Test",
                "company_id": self.company.id,
                "factor_ids": [Command.create({"code": "dso", "weight": 100, "scale": "30:100, 60:50"})],
            }
        )

        def scales(self):
            # The whole weight on the new factor: the score is its points.
            return {"guarantee": (100.0, [(0.0, 20.0), (1000.0, 100.0)], True)}

        def values(self, partner_ids, company, today):
            return {customer: {"guarantee": 5000.0}}

        with (
            patch.object(Policy, "_get_scales", scales),
            patch.object(Status, "_get_extra_factor_values", values, create=True),
        ):
            figures = status._compute_figures(self.company, self.today)[status.id]
        self.assertIn("guarantee", figures["score_breakdown"])
        self.assertEqual(figures["score"], 100.0)
        # A factor declared without its values has nothing to rate: refused, not scored 0.
        with patch.object(Policy, "_get_scales", scales), self.assertRaises(KeyError):
            status._compute_figures(self.company, self.today)

    # -- indexes -----------------------------------------------------------------
    def _add_history(self):
        """A realistic history around the customer: other customers, fully paid items and
        invoiced order lines (what the indexes keep the check from reading)."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(
            SQL(
                """
                INSERT INTO res_partner (name, active, is_company, type, autopost_bills, create_date, write_date)
                SELECT 'History ' || n, TRUE, TRUE, 'contact', 'ask', now(), now() FROM generate_series(1, %s) n
                RETURNING id
                """,
                HISTORY_PARTNERS,
            )
        )
        partners = [row[0] for row in cr.fetchall()]
        cr.execute(SQL("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", partners))
        columns = [
            name
            for (name,) in self.env.execute_query(
                SQL(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = 'account_move_line' AND column_name NOT IN ('id', 'partner_id', 'reconciled')"
                )
            )
        ]
        line = self.paid.line_ids.filtered(lambda aml: aml.account_id.account_type == "asset_receivable")
        cr.execute(
            SQL(
                """
                INSERT INTO account_move_line (%(columns)s, partner_id, reconciled)
                SELECT %(columns)s, (%(partners)s::int[])[1 + mod(n, %(count)s)], TRUE
                  FROM account_move_line, generate_series(1, %(items)s) n
                 WHERE id = %(line)s
                """,
                columns=SQL(", ").join(SQL.identifier(c) for c in columns),
                partners=partners,
                count=len(partners),
                items=HISTORY_ITEMS,
                line=line.id,
            )
        )
        # Invoiced order lines of the other customers (fully invoiced: out of the open-line indexes).
        columns = [
            name
            for (name,) in self.env.execute_query(
                SQL(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = 'sale_order_line' "
                    "AND column_name NOT IN ('id', 'order_partner_id', 'order_partner_invoice_id', 'qty_invoiced')"
                )
            )
        ]
        cr.execute(
            SQL(
                """
                INSERT INTO sale_order_line (%(columns)s, order_partner_id, order_partner_invoice_id, qty_invoiced)
                SELECT %(columns)s, p.id, p.id, product_uom_qty
                  FROM sale_order_line,
                       LATERAL (SELECT (%(partners)s::int[])[1 + mod(n, %(count)s)] AS id
                                  FROM generate_series(1, %(items)s) n) p
                 WHERE sale_order_line.id = %(line)s
                """,
                columns=SQL(", ").join(SQL.identifier(c) for c in columns),
                partners=partners,
                count=len(partners),
                items=HISTORY_ITEMS,
                line=self.order.order_line[:1].id,
            )
        )
        for table in ("res_partner", "account_move_line", "account_move", "sale_order_line"):
            cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))

    def _nested_plans(self, partner_ids):
        """The plans of the statements the exposure function runs (auto_explain, nested)."""
        cr = self.env.cr
        [(superuser,)] = self.env.execute_query(SQL("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
        if not superuser:
            self.skipTest("auto_explain needs a superuser connection to show the function's plans")
        cr.execute(SQL("LOAD 'auto_explain'"))
        for setting, value in (
            ("auto_explain.log_min_duration", "0"),
            ("auto_explain.log_nested_statements", "on"),
            ("auto_explain.log_level", "notice"),
            ("client_min_messages", "notice"),
        ):
            cr.execute(SQL("SELECT set_config(%s, %s, true)", setting, value))
        connection = cr._cnx
        del connection.notices[:]
        self.Status._get_exposure(partner_ids, self.company)
        plans = "\n".join(connection.notices)
        cr.execute(SQL("SELECT set_config('auto_explain.log_min_duration', '-1', true)"))
        return plans

    def test_the_function_reads_by_index(self):
        """On 20,000 paid journal items and 20,000 invoiced order lines of 2,000 other
        customers, the function reaches the customer's rows by the credit indexes, with
        the planner's default settings (no enable_seqscan = off)."""
        self._add_history()
        plans = self._nested_plans([self.customer.id])
        self.assertIn("Query Text", plans, "auto_explain reported the nested statements")
        for index in (
            "res_partner_sm_credit_commercial_idx",
            "account_move_line_sm_credit_open_due_idx",
            "account_move_sm_credit_draft_idx",
            "sale_order_line_sm_credit_open_lines_idx",
            "sale_order_line_sm_credit_open_invoiced_idx",
        ):
            self.assertIn(index, plans, f"{index} not used:\n{plans}")
        self.assertNotRegex(plans, r"Seq Scan on (account_move_line|sale_order_line|res_partner)\b")

    def test_indexes_defined_once_and_dropped(self):
        cr = self.env.cr
        names = list(sales_credit_sql.INDEXES)
        [(count,)] = self.env.execute_query(SQL("SELECT COUNT(*) FROM pg_indexes WHERE indexname = ANY(%s)", names))
        self.assertEqual(count, len(names))
        sales_credit_sql.drop_all(cr)
        [(count,)] = self.env.execute_query(SQL("SELECT COUNT(*) FROM pg_indexes WHERE indexname = ANY(%s)", names))
        self.assertEqual(count, 0)
        [(functions,)] = self.env.execute_query(
            SQL(
                "SELECT COUNT(*) FROM pg_proc WHERE proname IN %s",
                (sales_credit_sql.EXPOSURE_FUNCTION, sales_credit_sql.BALANCE_TRIGGER_FUNCTION),
            )
        )
        self.assertEqual(functions, 0)
        [(triggers,)] = self.env.execute_query(
            SQL("SELECT COUNT(*) FROM pg_trigger WHERE tgname IN %s", tuple(sales_credit_sql.BALANCE_TRIGGERS.values()))
        )
        self.assertEqual(triggers, 0)
        # Back as the models' init makes them (the test transaction is rolled back anyway).
        sales_credit_sql.install_balance_trigger(cr)
        sales_credit_sql.install_exposure_function(cr)
        sales_credit_sql.create_indexes(cr)
        self.assertTrue(self.Status._get_exposure([self.customer.id], self.company))

"""Benchmark of the customer credit capability (issue 3, Speed).

Creates a database, installs sales_management with a generic chart of accounts,
generates customers and receivable lines with SQL (generate_series), then prints:

1. the credit check at confirmation: query count for a customer with 10 and with
   --big open invoices, and the time of a confirmation with / without the check;
2. the nightly recompute of every customer: time of the addon's set-based
   recompute, against a per-customer ORM loop computing the same figures
   (timed on --orm-sample customers and extrapolated) and against one
   hand-written SQL aggregate computing the same sums.

    python3 bench/credit.py --customers 20000 --lines 1000000
"""

import argparse
import contextlib
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
from odoo_env import addons_path, install_addon  # noqa: E402


def install(db):
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    install_addon(db, stdout=None)


def generate(env, customers, lines, big):
    """Customers and posted receivable lines (30% open), all with SQL."""
    cr = env.cr
    company = env.company
    journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    receivable = env["account.account"].search(
        [("account_type", "=", "asset_receivable"), ("company_ids", "in", company.id)], limit=1
    )
    params = {
        "n": customers,
        "lines": lines,
        "big": big,
        "company": company.id,
        "currency": company.currency_id.id,
        "journal": journal.id,
        "account": receivable.id,
    }
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, is_company, active, type, autopost_bills,
                                 customer_rank, create_date, write_date)
        SELECT 'Bench ' || g, 'Bench ' || g, TRUE, TRUE, 'contact', 'ask', 1, now(), now()
          FROM generate_series(0, %(n)s + 1) g;
        UPDATE res_partner SET commercial_partner_id = id WHERE name LIKE 'Bench %%';
        CREATE TEMP TABLE bench_partner AS
            SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM res_partner WHERE name LIKE 'Bench %%';
        """,
        params,
    )
    # Customers 0..n-1 share `lines` invoices; customer n gets `big` open ones, n+1 gets 10.
    cr.execute(
        """
        CREATE TEMP TABLE bench_inv AS
        SELECT g, CASE WHEN g < %(lines)s THEN g %% %(n)s
                       WHEN g < %(lines)s + %(big)s THEN %(n)s ELSE %(n)s + 1 END AS k,
               CASE WHEN g < %(lines)s THEN CURRENT_DATE - (g %% 1095)
                    ELSE CURRENT_DATE - (g %% 25) END AS d,
               (100 + g %% 900)::numeric AS amount,
               g >= %(lines)s OR g %% 10 < 3 AS open
          FROM generate_series(0, %(lines)s + %(big)s + 10 - 1) g;
        INSERT INTO account_move (name, move_type, state, date, invoice_date, invoice_date_due, journal_id,
                                  currency_id, company_id, partner_id, commercial_partner_id, auto_post,
                                  amount_total_signed, amount_total, amount_residual, amount_residual_signed,
                                  payment_state, create_date, write_date)
        SELECT 'BENCH/' || i.g, 'out_invoice', 'posted', i.d, i.d, i.d + 30, %(journal)s, %(currency)s,
               %(company)s, p.id, p.id, 'no', i.amount, i.amount,
               CASE WHEN i.open THEN i.amount ELSE 0 END, CASE WHEN i.open THEN i.amount ELSE 0 END,
               CASE WHEN i.open THEN 'not_paid' ELSE 'paid' END, now(), now()
          FROM bench_inv i JOIN bench_partner p ON p.k = i.k;
        INSERT INTO account_move_line (move_id, account_id, partner_id, company_id, company_currency_id,
                                       currency_id, journal_id, display_type, date, date_maturity, debit, credit,
                                       balance, amount_currency, amount_residual, amount_residual_currency,
                                       reconciled, parent_state, name, create_date, write_date)
        SELECT m.id, %(account)s, m.partner_id, %(company)s, %(currency)s, %(currency)s, %(journal)s,
               'payment_term', m.date, m.invoice_date_due, m.amount_total, 0, m.amount_total, m.amount_total,
               m.amount_residual, m.amount_residual, m.amount_residual = 0, 'posted', m.name, now(), now()
          FROM account_move m WHERE m.name LIKE 'BENCH/%%';
        ANALYZE account_move; ANALYZE account_move_line; ANALYZE res_partner;
        """,
        params,
    )
    cr.execute("SELECT id FROM bench_partner ORDER BY k")
    ids = [r[0] for r in cr.fetchall()]
    return (
        env["res.partner"].browse(ids[:customers]),
        env["res.partner"].browse(ids[customers]),
        env["res.partner"].browse(ids[customers + 1]),
    )


def bench_check(env, big_partner, small_partner, rounds):
    from odoo import Command

    product = env["product.product"].create({"name": "Bench", "type": "service", "taxes_id": [Command.clear()]})
    for partner in (big_partner, small_partner):
        partner.credit_limit = 1e12
    env.cr.commit()

    def new_order(partner):
        return env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1, "price_unit": 10})],
            }
        )

    counts = {}
    for _warm in range(2):
        for label, partner in (("10", small_partner), ("big", big_partner)):
            order = new_order(partner)
            order.amount_total  # noqa: B018
            env.flush_all()
            env.invalidate_all()
            before = env.cr.sql_log_count
            order._check_credit()
            counts[label] = env.cr.sql_log_count - before
    # Each confirmation in its own transaction, as one request of the web client
    # (the commit is not timed); the two kinds alternate so that both see the same
    # database. The first two rounds warm caches and are not counted.
    # "Without" runs under credit_check_disabled(), a Python-only switch (no context key
    # turns the check off).
    from odoo.addons.sales_management.models.sale_order import credit_check_disabled

    timings = {"with": 0.0, "without": 0.0}
    for index in range(rounds + 2):
        for label, switch in (("without", credit_check_disabled), ("with", contextlib.nullcontext)):
            order = new_order(big_partner)
            env.cr.commit()
            start = time.perf_counter()
            with switch():
                order.action_confirm()
                env.flush_all()
            elapsed = time.perf_counter() - start
            env.cr.commit()
            if index >= 2:
                timings[label] += elapsed
    return counts, timings


HAND_SQL = """
WITH aml AS (
    SELECT rp.commercial_partner_id AS pid,
           SUM(aml.amount_residual) AS receivable,
           SUM(aml.amount_residual) FILTER (WHERE aml.amount_residual > 0 AND aml.date_maturity < %(today)s) AS overdue,
           MIN(aml.date_maturity) FILTER (WHERE aml.amount_residual > 0 AND aml.date_maturity < %(today)s) AS oldest,
           SUM(aml.amount_residual) FILTER (WHERE aml.date_maturity >= %(today)s) AS b0,
           SUM(aml.amount_residual) FILTER (WHERE %(today)s - aml.date_maturity BETWEEN 1 AND 30) AS b1,
           SUM(aml.amount_residual) FILTER (WHERE %(today)s - aml.date_maturity BETWEEN 31 AND 60) AS b2,
           SUM(aml.amount_residual) FILTER (WHERE %(today)s - aml.date_maturity BETWEEN 61 AND 90) AS b3,
           SUM(aml.amount_residual) FILTER (WHERE %(today)s - aml.date_maturity BETWEEN 91 AND 180) AS b4,
           SUM(aml.amount_residual) FILTER (WHERE %(today)s - aml.date_maturity > 180) AS b5
      FROM account_move_line aml
      JOIN account_account acc ON acc.id = aml.account_id
      JOIN res_partner rp ON rp.id = aml.partner_id
     WHERE aml.company_id = %(company)s AND aml.parent_state = 'posted' AND aml.reconciled IS NOT TRUE
       AND acc.account_type = 'asset_receivable'
  GROUP BY 1
), sales AS (
    SELECT am.commercial_partner_id AS pid,
           SUM(am.amount_total_signed) FILTER (WHERE am.invoice_date > %(window)s) AS window_sales,
           SUM(am.amount_total_signed) FILTER (WHERE am.invoice_date > %(year)s) AS sales_12m,
           MIN(am.invoice_date) AS first_invoice
      FROM account_move am
     WHERE am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund') AND am.company_id = %(company)s
  GROUP BY 1
), punctual AS (
    SELECT am.commercial_partner_id AS pid, COUNT(*) AS n,
           COUNT(*) FILTER (WHERE COALESCE(paid.paid_date, %(today)s) > aml.date_maturity
                              AND (aml.reconciled OR aml.date_maturity < %(today)s)) AS late,
           AVG(GREATEST(CASE WHEN aml.reconciled THEN paid.paid_date ELSE %(today)s END
                        - aml.date_maturity, 0)) AS avg_late
      FROM account_move_line aml
      JOIN account_move am ON am.id = aml.move_id
      JOIN account_account acc ON acc.id = aml.account_id
      LEFT JOIN LATERAL (SELECT MAX(apr.max_date) AS paid_date FROM account_partial_reconcile apr
                          WHERE apr.debit_move_id = aml.id) paid ON TRUE
     WHERE am.state = 'posted' AND am.move_type = 'out_invoice' AND am.company_id = %(company)s
       AND am.invoice_date > %(year)s AND acc.account_type = 'asset_receivable'
  GROUP BY 1
)
SELECT * FROM sales LEFT JOIN aml USING (pid) LEFT JOIN punctual USING (pid)
"""


def orm_loop(env, statuses, today):
    """What a naive implementation does: per customer, ORM searches, Python sums, one write."""
    from odoo.addons.sales_management.tools import ageing

    AML = env["account.move.line"]
    Move = env["account.move"]
    for status in statuses:
        partner = status.partner_id
        lines = AML.search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", status.company_id.id),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("account_id.account_type", "=", "asset_receivable"),
            ]
        )
        buckets = ageing.ageing([(line.amount_residual, line.date_maturity) for line in lines], today)
        receivable = sum(lines.mapped("amount_residual"))
        overdue = [line for line in lines if line.amount_residual > 0 and line.date_maturity < today]
        moves = Move.search(
            [
                ("commercial_partner_id", "=", partner.id),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ]
        )
        window = sum(m.amount_total_signed for m in moves if m.invoice_date > today - timedelta(days=90))
        sales_12m = sum(m.amount_total_signed for m in moves if m.invoice_date > today - timedelta(days=365))
        status.write(
            {
                "receivable_amount": receivable,
                "overdue_amount": sum(line.amount_residual for line in overdue),
                "oldest_overdue_days": max(((today - line.date_maturity).days for line in overdue), default=0),
                "dso": ageing.dso(receivable, 0.0, window, 90),
                "sales_12m": sales_12m,
                **{f"ageing_{key}": value for key, value in buckets.items()},
            }
        )
        env.flush_all()


def bench_recompute(env, customers, args):
    from odoo import fields

    cr = env.cr
    Status = env["sales.credit.status"]
    today = fields.Date.context_today(Status)
    Status._ensure_statuses(env.company)
    statuses = Status.search([("partner_id", "in", customers.ids)], order="id")
    cr.commit()

    def night():
        """What the nightly cron does, batch after batch, until every customer is done."""
        cr.execute("UPDATE sales_credit_status SET recompute_date = NULL")
        Status.invalidate_model(["recompute_date"])
        cr.commit()
        start = time.perf_counter()
        while True:
            Status._cron_recompute_credit(batch_size=args.batch)
            env.flush_all()
            env.invalidate_all()
            if not Status.search_count(["|", ("recompute_date", "=", False), ("recompute_date", "<", today)]):
                break
        elapsed = time.perf_counter() - start
        cr.commit()
        return elapsed

    first = night()  # gives every customer its first grade (and limit, terms, history)
    start = time.perf_counter()
    figures = statuses[: args.batch]._compute_figures(env.company, today)
    statuses[: args.batch]._write_figures(figures, today)
    env.flush_all()
    batch_figures = time.perf_counter() - start
    addon = night()  # a normal night: every figure recomputed, few grades change
    cr.rollback()
    print(
        f"first night (initial grade, limit and history for all {len(statuses)} customers): {first:.1f}s; "
        f"one batch of {min(args.batch, len(statuses))} figures: {batch_figures:.2f}s"
    )

    start = time.perf_counter()
    cr.execute(
        HAND_SQL,
        {
            "company": env.company.id,
            "today": today,
            "window": today - timedelta(days=90),
            "year": today - timedelta(days=365),
        },
    )
    cr.fetchall()
    hand = time.perf_counter() - start

    sample = statuses[: args.orm_sample]
    start = time.perf_counter()
    orm_loop(env, sample, today)
    orm = (time.perf_counter() - start) * len(statuses) / max(len(sample), 1)
    cr.rollback()
    print(
        f"nightly recompute of {len(statuses)} customers: addon {addon:.1f}s "
        f"(figures, scores, grades, holds, activities, ABC, all written)"
    )
    print(
        f"  per-customer ORM loop (timed on {len(sample)}, extrapolated): {orm:.1f}s -> "
        f"addon is {orm / addon:.1f}x faster (target >= 20x)"
    )
    print(
        f"  one hand-written SQL aggregate (same sums, no writes): {hand:.1f}s -> "
        f"addon / SQL = {addon / hand:.2f} (target <= 2)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=20000)
    parser.add_argument("--lines", type=int, default=1000000, help="receivable lines of the customers")
    parser.add_argument("--big", type=int, default=10000, help="open invoices of the check's big customer")
    parser.add_argument("--orm-sample", type=int, default=300, help="customers timed in the ORM loop")
    parser.add_argument("--rounds", type=int, default=50, help="confirmations timed with and without check")
    parser.add_argument("--batch", type=int, default=20000, help="the cron's batch size (its default)")
    parser.add_argument("--db", default="sm_credit_bench")
    parser.add_argument("--port", type=int, default=8109)
    parser.add_argument("--skip-install", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()

    if not args.skip_install:
        install(args.db)
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.tools import config

    config.parse_config([f"--addons-path={addons_path()}", "-d", args.db, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.db)
    try:
        with registry.cursor() as cr:
            # The context the web client sends with every call (language and time zone).
            env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US", "tz": "Asia/Shanghai"})
            if not env["account.journal"].search_count([("type", "=", "sale")]):
                env["account.chart.template"].try_loading("generic_coa", env.company, install_demo=False)
            start = time.perf_counter()
            customers, big, small = generate(env, args.customers, args.lines, args.big)
            cr.commit()
            print(
                f"data: {args.customers} customers, {args.lines} receivable lines (30% open), "
                f"one customer with {args.big} open invoices: {time.perf_counter() - start:.1f}s"
            )

            # 1. The check at confirmation.
            counts, timings = bench_check(env, big, small, args.rounds)
            print(f"check queries: 10 open invoices = {counts['10']}, {args.big} open invoices = {counts['big']}")
            print(
                f"confirmation ({args.rounds} orders of the {args.big}-invoice customer): "
                f"with check {timings['with'] * 1000 / args.rounds:.1f} ms, "
                f"without {timings['without'] * 1000 / args.rounds:.1f} ms, "
                f"ratio {timings['with'] / timings['without']:.2f} (target <= 1.2)"
            )
            cr.rollback()

            # 2. The nightly recompute.
            bench_recompute(env, customers, args)
    finally:
        odoo.modules.registry.Registry.delete(args.db)
        if not args.keep:
            odoo.sql_db.close_all()
            subprocess.run(["dropdb", "--if-exists", args.db], check=False)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()

#!/usr/bin/env python3
"""Benchmark: quota generation + achievement against raw SQL and a per-line Python loop.

    python3 bench/quota.py [INVOICE_LINES] [--keep] [--db=NAME]     (default 1,000,000)

Creates a database, installs sales_management without demo data, inserts four
years of posted customer invoices (three of history and the plan year) with
SQL ``INSERT ... SELECT generate_series``, then times on one plan:

- ORM: the set-based reads generation and achievement make (``_read_group`` in
  ``sales.quota.plan._read_figures``, sales and their cost at posting): history
  shares by month, category, team, customer and team x salesperson, then the
  achievement (actual, margin, last year, new-product sales) of every
  month-level quota line in one compute call;
- SQL: the same sums computed by hand-written ``GROUP BY`` queries, replaying the
  exact calls the ORM made (same dimensions, periods and filters);
- loop: the same sums computed by a Python loop over every invoice line (fetched
  once with a plain SELECT).

It prints the times and the ratios, plus the full generation time (which also
creates the quota lines). The database is dropped unless --keep is given.
"""

import os
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
from odoo_env import addons_path, install_addon  # noqa: E402

USERS, TEAMS, PARTNERS, PRODUCTS, CATEGORIES = 20, 4, 500, 50, 10


def setup_master_data(env):
    company = env.company
    account = env["account.account"].create({"name": "Bench Sales", "code": "BENCH700", "account_type": "income"})
    journal = env["account.journal"].create({"name": "Bench Sales", "code": "BSAL", "type": "sale"})
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create([{"name": f"Bench Rep {i}", "login": f"bench_rep_{i}"} for i in range(USERS)])
    )
    per_team = USERS // TEAMS
    teams = env["crm.team"].create(
        [
            {"name": f"Bench Team {t}", "member_ids": [(6, 0, users[t * per_team : (t + 1) * per_team].ids)]}
            for t in range(TEAMS)
        ]
    )
    categs = env["product.category"].create([{"name": f"Bench Category {c}"} for c in range(CATEGORIES)])
    products = env["product.product"].create(
        [
            {
                "name": f"Bench Product {p}",
                "categ_id": categs[p % CATEGORIES].id,
                # One in ten launched this year: new-product sales to measure.
                "launch_date": date(date.today().year, 1, 1) if p % 10 == 0 else False,
            }
            for p in range(PRODUCTS)
        ]
    )
    partners = env["res.partner"].create([{"name": f"Bench Customer {p}", "is_company": True} for p in range(PARTNERS)])
    return company, account, journal, users, teams, products, partners


def insert_invoices(env, n_lines, year, company, account, journal, users, teams, products, partners):
    """n_lines invoice lines, four per invoice, over year-3 .. mid-year, one in twenty a credit note."""
    cr = env.cr
    n_moves = max(n_lines // 4, 1)
    per_team = USERS // TEAMS
    params = {
        "journal": journal.id,
        "company": company.id,
        "currency": company.currency_id.id,
        "start": date(year - 3, 1, 1),
        "span": (date(year, 6, 30) - date(year - 3, 1, 1)).days,
        "moves": n_moves,
        "users": users.ids,
        "teams": [teams[u // per_team].id for u in range(USERS)],
        "partners": partners.ids,
        "nusers": USERS,
        "npartners": PARTNERS,
    }
    cr.execute(
        """
        INSERT INTO account_move (journal_id, company_id, currency_id, date, invoice_date, state, move_type,
                                  auto_post, invoice_user_id, team_id, partner_id, commercial_partner_id, name,
                                  create_date, write_date)
        SELECT %(journal)s, %(company)s, %(currency)s, d, d, 'posted',
               CASE WHEN i %% 20 = 0 THEN 'out_refund' ELSE 'out_invoice' END, 'no',
               (%(users)s::int[])[1 + i %% %(nusers)s], (%(teams)s::int[])[1 + i %% %(nusers)s],
               (%(partners)s::int[])[1 + (i * 7) %% %(npartners)s], (%(partners)s::int[])[1 + (i * 7) %% %(npartners)s],
               'BENCH/' || i, now(), now()
          FROM (SELECT i, %(start)s::date + ((i * 7919) %% %(span)s) AS d FROM generate_series(1, %(moves)s) i) s
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO account_move_line (move_id, company_id, journal_id, account_id, currency_id, company_currency_id,
                                       date, parent_state, display_type, partner_id, product_id, quantity,
                                       price_unit, balance, debit, credit, amount_currency, quota_cost, name,
                                       create_date, write_date)
        SELECT m.id, m.company_id, m.journal_id, %(account)s, m.currency_id, m.currency_id, m.date, 'posted',
               'product', m.partner_id, (%(products)s::int[])[1 + (m.id * 7 + k) %% %(nproducts)s], 1, a.amt,
               CASE WHEN m.move_type = 'out_refund' THEN a.amt ELSE -a.amt END,
               CASE WHEN m.move_type = 'out_refund' THEN a.amt ELSE 0 END,
               CASE WHEN m.move_type = 'out_refund' THEN 0 ELSE a.amt END,
               CASE WHEN m.move_type = 'out_refund' THEN a.amt ELSE -a.amt END,
               ROUND(CASE WHEN m.move_type = 'out_refund' THEN -0.6 ELSE 0.6 END * a.amt, 2),
               'bench', now(), now()
          FROM account_move m
    CROSS JOIN generate_series(1, 4) k
    CROSS JOIN LATERAL (SELECT (100 + (m.id * 37 + k * 11) %% 900)::numeric AS amt) a
         WHERE m.journal_id = %(journal)s
        """,
        {"account": account.id, "products": products.ids, "nproducts": PRODUCTS, "journal": journal.id},
    )
    cr.execute("ANALYZE account_move; ANALYZE account_move_line")
    cr.execute("SELECT count(*) FROM account_move_line WHERE journal_id = %s", [journal.id])
    return cr.fetchone()[0]


# -- raw SQL and Python loop computing the same sums ---------------------------

SQL_COLUMNS = {"team": "m.team_id", "user": "m.invoice_user_id", "partner": "l.partner_id", "categ": "t.categ_id"}


def raw_sql_sums(cr, company_id, date_from, date_to, dims, granularity, extra, new_since):
    cols = [SQL_COLUMNS[d] for d in dims]
    if granularity:
        cols.append(f"date_trunc('{granularity}', l.date)::date")
    where = [
        "l.company_id = %(company)s",
        "l.parent_state = 'posted'",
        "l.display_type = 'product'",
        "m.move_type IN ('out_invoice', 'out_refund')",
        "l.date BETWEEN %(date_from)s AND %(date_to)s",
    ]
    params = {"company": company_id, "date_from": date_from, "date_to": date_to}
    for i, (dim, ids) in enumerate(extra):
        where.append(f"{SQL_COLUMNS[dim]} = ANY(%(ids{i})s)")
        params[f"ids{i}"] = list(ids)
    if new_since:
        where.append("(t.is_new_product OR t.launch_date >= %(new_since)s)")
        params["new_since"] = new_since
    select = ", ".join([*cols, "-SUM(l.balance)", "SUM(l.quota_cost)"])
    group = " GROUP BY " + ", ".join(str(i + 1) for i in range(len(cols))) if cols else ""
    cr.execute(
        f"""SELECT {select}
              FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id
         LEFT JOIN product_product p ON p.id = l.product_id
         LEFT JOIN product_template t ON t.id = p.product_tmpl_id
             WHERE {" AND ".join(where)}{group}""",
        params,
    )
    return {tuple(row[:-2]): (row[-2], row[-1] or 0) for row in cr.fetchall()}


def fetch_all_lines(cr, company_id):
    cr.execute(
        """SELECT l.date, m.team_id, m.invoice_user_id, l.partner_id, t.categ_id, l.balance, l.quota_cost,
                  t.is_new_product, t.launch_date
             FROM account_move_line l
             JOIN account_move m ON m.id = l.move_id
        LEFT JOIN product_product p ON p.id = l.product_id
        LEFT JOIN product_template t ON t.id = p.product_tmpl_id
            WHERE l.company_id = %s AND l.parent_state = 'posted' AND l.display_type = 'product'
              AND m.move_type IN ('out_invoice', 'out_refund')""",
        [company_id],
    )
    return cr.fetchall()


LOOP_INDEX = {"team": 1, "user": 2, "partner": 3, "categ": 4}


def python_loop_sums(rows, date_from, date_to, dims, granularity, extra, new_since):
    filters = [(LOOP_INDEX[dim], set(ids)) for dim, ids in extra]
    idx = [LOOP_INDEX[d] for d in dims]
    sums = defaultdict(lambda: [0.0, 0.0])
    for row in rows:
        day = row[0]
        if day < date_from or day > date_to:
            continue
        if any(row[i] not in allowed for i, allowed in filters):
            continue
        if new_since and not (row[7] or (row[8] and row[8] >= new_since)):
            continue
        key = tuple(row[i] for i in idx)
        if granularity == "month":
            key += (day.replace(day=1),)
        elif granularity == "day":
            key += (day,)
        sums[key][0] -= float(row[5])
        sums[key][1] += float(row[6] or 0)
    return sums


def extra_to_dims(plan, extra):
    """(dimension filters, new-product launch date or None) of an extra domain of _read_figures."""
    reverse = {v: k for k, v in plan._get_basis_fields().items()}
    terms = [term for term in extra or [] if isinstance(term, tuple)]
    new_since = next((value for fname, _op, value in terms if fname == "product_id.launch_date"), None)
    dims = [(reverse[fname], ids) for fname, _op, ids in terms if fname in reverse]
    return dims, new_since


def measure(env, plan, lines):
    """Time the ORM reads, then replay them as raw SQL and as a Python loop; print the ratios."""
    cr = env.cr
    calls = []
    plan_class = type(plan)
    original = plan_class._read_figures

    read_group_time = [0.0]

    def recording(self, date_from, date_to, dims=(), granularity="month", extra_domain=None):
        calls.append((date_from, date_to, tuple(dims), granularity, *extra_to_dims(self, extra_domain)))
        started = time.monotonic()
        result = original(self, date_from, date_to, dims, granularity, extra_domain)
        read_group_time[0] += time.monotonic() - started
        return result

    plan_class._read_figures = recording
    try:
        env.invalidate_all()
        started = time.monotonic()
        with env.cr.savepoint(flush=False):
            plan.with_context(quota_generating=True)._generate_shares()
            _hist, (ly_from, ly_to) = plan._history_ranges()
            plan._read_actuals(ly_from, ly_to, ("team", "user"), None)
            lines._fields["actual_amount"].compute_value(lines)
        orm_time = time.monotonic() - started
    finally:
        plan_class._read_figures = original
    orm_actual = sum(lines.mapped("actual_amount"))

    started = time.monotonic()
    sql_results = [raw_sql_sums(cr, plan.company_id.id, *call) for call in calls]
    sql_time = time.monotonic() - started

    started = time.monotonic()
    rows = fetch_all_lines(cr, plan.company_id.id)
    loop_results = [python_loop_sums(rows, *call) for call in calls]
    loop_time = time.monotonic() - started

    sql_total = sum(float(v[0]) for result in sql_results for v in result.values())
    loop_total = sum(v[0] for result in loop_results for v in result.values())
    sql_cost = sum(float(v[1]) for result in sql_results for v in result.values())
    loop_cost = sum(v[1] for result in loop_results for v in result.values())
    print(f"aggregations replayed: {len(calls)} (month lines whose achievement was computed: {len(lines)})")
    print(f"check: SQL total {sql_total:,.2f} == loop total {loop_total:,.2f}; ORM month actual {orm_actual:,.2f}")
    print(f"check: SQL cost {sql_cost:,.2f} == loop cost {loop_cost:,.2f}")
    orm_reads = read_group_time[0]
    print(f"ORM _read_group calls of generation + achievement:    {orm_reads:8.2f}s")
    print(f"  end to end (shares written, {len(lines)} lines' measures): {orm_time:8.2f}s")
    print(f"raw SQL GROUP BY, same sums:                            {sql_time:8.2f}s")
    print(f"per-line Python loop, same sums:                        {loop_time:8.2f}s")
    print(f"ratio ORM _read_group / raw SQL:   {orm_reads / sql_time:6.2f}  (target: within 2x)")
    print(f"ratio end to end / raw SQL:        {orm_time / sql_time:6.2f}")
    print(f"ratio per-line loop / ORM _read_group: {loop_time / orm_reads:6.2f}")
    print(f"ratio per-line loop / end to end:      {loop_time / orm_time:6.2f}")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    keep = "--keep" in sys.argv
    n_lines = int(args[0]) if args else 1_000_000
    db = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--db=")), f"sm_quota_bench_{os.getpid()}")
    print(f"database {db}: installing sales_management ...", flush=True)
    install_addon(db)
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config([f"--addons-path={addons_path()}", "-d", db, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(db)
    try:
        year = date.today().year
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            started = time.monotonic()
            master = setup_master_data(env)
            inserted = insert_invoices(env, n_lines, year, *master)
            print(f"inserted {inserted} invoice lines in {time.monotonic() - started:.0f}s", flush=True)

        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            plan = env["sales.quota.plan"].create({"year": year, "sales_target": 10_000_000.0, "split_days": True})
            started = time.monotonic()
            plan._generate()
            env.flush_all()
            full_generation = time.monotonic() - started
            lines = plan.line_ids.filtered(lambda line: line.period_level == "month")
            print(
                f"full generation (shares + {len(plan.line_ids)} quota lines created): {full_generation:.2f}s",
                flush=True,
            )

            measure(env, plan, lines)
            cr.rollback()
    finally:
        if not keep:
            odoo.sql_db.close_all()
            subprocess.run(["dropdb", "--if-exists", db], check=False)
            print(f"dropped {db}")


if __name__ == "__main__":
    main()

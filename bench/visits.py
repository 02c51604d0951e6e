"""Benchmark: weekly visit proposals, set-based.

    python3 bench/visits.py [REPS] [CUSTOMERS_PER_REP]     (default 50 1500)

Creates a database (sm_visit_bench_<pid>), installs sales_management without
demo data, inserts REPS reps and REPS x CUSTOMERS_PER_REP customers with SQL
(INSERT ... SELECT generate_series), then runs the weekly job
(`sales.visit._cron_visit_weekly`) twice: once with a tenth of the customers
and once with all of them, each in a rolled-back savepoint. It prints the
queries and the time of each run and their ratios, then drops the database.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def addons_path():
    import odoo

    odoo_dir = Path(odoo.__file__).resolve().parent
    paths = [p for p in (odoo_dir / "addons", odoo_dir.parent / "addons") if p.is_dir()]
    return ",".join(str(p) for p in [*paths, REPO])


def install(db):
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        f"--addons-path={addons_path()}",
        "-d",
        db,
        "-i",
        "sales_management",
        "--without-demo=all",
        "--stop-after-init",
        "--max-cron-threads=0",
        "--no-http",
        "--log-level=warn",
    ]
    subprocess.run(cmd, check=True, cwd=REPO)


def make_reps(env, count):
    group = env.ref("sales_team.group_sale_salesman")
    users = env["res.users"].with_context(no_reset_password=True, mail_create_nolog=True)
    return users.create(
        [{"name": f"Bench Rep {n}", "login": f"bench_rep_{n}", "groups_id": [(6, 0, group.ids)]} for n in range(count)]
    )


def insert_customers(cr, reps, per_rep):
    """Customers with a rep, a frequency and a last visit within the last 100 days."""
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, active, is_company, type, autopost_bills,
                                 visit_user_id, visit_frequency, visit_last_date, create_date, write_date)
        SELECT 'Bench Customer ' || r.idx || '-' || n, 'Bench Customer ' || r.idx || '-' || n,
               TRUE, TRUE, 'contact', 'ask', r.user_id,
               (ARRAY['weekly', 'biweekly', 'monthly', 'quarterly'])[1 + n % 4],
               CASE WHEN n % 10 = 0 THEN NULL ELSE CURRENT_DATE - (n % 100) END,
               NOW(), NOW()
          FROM unnest(%s::int[]) WITH ORDINALITY AS r(user_id, idx),
               generate_series(1, %s) AS n
        """,
        [reps.ids, per_rep],
    )
    cr.execute(
        """
        UPDATE res_partner
           SET commercial_partner_id = id,
               visit_next_date = visit_last_date + CASE visit_frequency WHEN 'weekly' THEN 7
                   WHEN 'biweekly' THEN 14 WHEN 'monthly' THEN 30 ELSE 91 END
         WHERE name LIKE 'Bench Customer %%'
        """
    )


def measure(env, reps, per_rep):
    cr = env.cr
    cr.execute("SAVEPOINT bench")
    insert_customers(cr, reps, per_rep)
    env.invalidate_all()
    env.registry.clear_cache()
    env["ir.config_parameter"].set_param("sales_management.visit_weekly_cursor", "")
    env.flush_all()
    queries_before = cr.sql_log_count
    start = time.perf_counter()
    created = env["sales.visit"]._cron_visit_weekly(batch_size=len(reps))
    env.flush_all()
    elapsed = time.perf_counter() - start
    queries = cr.sql_log_count - queries_before
    count = len(created)
    cr.execute("ROLLBACK TO SAVEPOINT bench")
    env.invalidate_all()
    return queries, elapsed, count


def main():
    reps_count = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    per_rep = int(sys.argv[2]) if len(sys.argv) > 2 else 1500
    small = max(1, per_rep // 10)
    db = f"sm_visit_bench_{os.getpid()}"
    subprocess.run(["createdb", db], check=True)
    try:
        print(f"installing sales_management in {db} ...", flush=True)
        install(db)
        import odoo
        from odoo import SUPERUSER_ID, api

        odoo.tools.config.parse_config([f"--addons-path={addons_path()}", "-d", db, "--log-level=warn"])
        registry = odoo.modules.registry.Registry(db)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            reps = make_reps(env, reps_count)
            env.flush_all()
            results = {}
            for size in (small, per_rep):
                queries, elapsed, count = measure(env, reps, size)
                results[size] = (queries, elapsed, count)
                print(
                    f"{reps_count} reps x {size} customers = {reps_count * size} customers: "
                    f"{count} visits proposed, {queries} queries, {elapsed:.2f} s",
                    flush=True,
                )
            cr.rollback()
        (q1, t1, c1), (q2, t2, c2) = results[small], results[per_rep]
        print(
            f"customers x{per_rep / small:.1f}: queries x{q2 / q1:.2f}, "
            f"visits x{c2 / max(c1, 1):.2f}, time x{t2 / t1:.2f}"
        )
        print(f"time per proposed visit: {1000 * t2 / max(c2, 1):.2f} ms at the full size")
        odoo.modules.registry.Registry.delete(db)
    finally:
        subprocess.run(["dropdb", "--if-exists", "--force", db], check=False)


if __name__ == "__main__":
    main()

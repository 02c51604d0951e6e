"""Benchmark: weekly visit proposals, set-based.

    python3 bench/visits.py [REPS] [CUSTOMERS_PER_REP]     (default 50 1500)

Reading and deciding take a fixed number of queries; creating the visits
goes through the ORM, which inserts them (and writes their stored computed
fields) in batches of 100 rows, so that part grows with the visits created.

Creates a database (sm_visit_bench_<pid>), installs sales_management without
demo data, inserts REPS reps and REPS x CUSTOMERS_PER_REP customers with SQL
(INSERT ... SELECT generate_series), then runs the weekly job
(`sales.visit._cron_visit_weekly`) after a warm-up run: once with a tenth of
the customers and once with all of them, each in a rolled-back savepoint. It prints the
queries and the time of each run and their ratios, then drops the database.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
from odoo_env import addons_path, install_addon  # noqa: E402


def make_reps(env, count):
    group = env.ref("sales_team.group_sale_salesman")
    users = env["res.users"].with_context(no_reset_password=True, mail_create_nolog=True)
    return users.create(
        [{"name": f"Bench Rep {n}", "login": f"bench_rep_{n}", "groups_id": [(6, 0, group.ids)]} for n in range(count)]
    )


def insert_customers(cr, reps, per_rep):
    """Customers with a rep, a frequency and a last visit within the last 100 days."""
    days = "CASE s.frequency WHEN 'weekly' THEN 7 WHEN 'biweekly' THEN 14 WHEN 'monthly' THEN 30 ELSE 91 END"
    cr.execute(
        f"""
        INSERT INTO res_partner (id, commercial_partner_id, name, complete_name, active, is_company, type,
                                 autopost_bills, visit_user_id, visit_frequency, visit_last_date,
                                 visit_next_date, create_date, write_date)
        SELECT s.id, s.id, s.name, s.name, TRUE, TRUE, 'contact', 'ask', s.user_id, s.frequency, s.last_date,
               s.last_date + {days}, NOW(), NOW()
          FROM (
              SELECT nextval('res_partner_id_seq') AS id,
                     'Bench Customer ' || r.idx || '-' || n AS name,
                     r.user_id,
                     (ARRAY['weekly', 'biweekly', 'monthly', 'quarterly'])[1 + mod(n, 4)] AS frequency,
                     CASE WHEN mod(n, 10) = 0 THEN NULL ELSE CURRENT_DATE - mod(n, 100) END AS last_date
                FROM unnest(%s::int[]) WITH ORDINALITY AS r(user_id, idx),
                     generate_series(1, %s) AS n
          ) s
        """,
        [reps.ids, per_rep],
    )
    # Their last visits, done, so the stored last-visit dates are what the ORM computes.
    cr.execute(
        """
        INSERT INTO sales_visit (partner_id, commercial_partner_id, user_id, company_id, date, state, purpose,
                                 name, is_unplanned, create_date, write_date)
        SELECT p.id, p.id, p.visit_user_id, u.company_id, p.visit_last_date, 'done', 'routine', p.name, FALSE,
               NOW(), NOW()
          FROM res_partner p JOIN res_users u ON u.id = p.visit_user_id
         WHERE p.name LIKE 'Bench Customer %%' AND p.visit_last_date IS NOT NULL
        """
    )


def measure(env, reps, per_rep):
    """(queries other than the visits' INSERT batches, INSERT batches, seconds, visits) of one weekly run."""
    cr = env.cr
    cr.execute("SAVEPOINT bench")
    insert_customers(cr, reps, per_rep)
    env.invalidate_all()
    env.registry.clear_cache()
    env["ir.config_parameter"].set_param("sales_management.visit_weekly_cursor", "")
    env.flush_all()
    inserts = statements = 0
    cursor_class = type(cr)
    original_execute = cursor_class.execute

    def execute(self, query, params=None, log_exceptions=True):
        nonlocal inserts, statements
        statements += 1
        text = str(getattr(query, "code", query))
        inserts += text.lstrip().startswith('INSERT INTO "sales_visit"')
        return original_execute(self, query, params, log_exceptions)

    cursor_class.execute = execute
    try:
        start = time.perf_counter()
        created = env["sales.visit"]._cron_visit_weekly(batch_size=len(reps))
        env.flush_all()
        elapsed = time.perf_counter() - start
    finally:
        cursor_class.execute = original_execute
    count = len(created)
    cr.execute("ROLLBACK TO SAVEPOINT bench")
    env.invalidate_all()
    return statements - inserts, inserts, elapsed, count


def main():
    reps_count = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    per_rep = int(sys.argv[2]) if len(sys.argv) > 2 else 1500
    small = max(1, per_rep // 10)
    db = f"sm_visit_bench_{os.getpid()}"
    subprocess.run(["createdb", db], check=True)
    try:
        print(f"installing sales_management in {db} ...", flush=True)
        install_addon(db, stdout=None)
        import odoo
        from odoo import SUPERUSER_ID, api

        odoo.tools.config.parse_config([f"--addons-path={addons_path()}", "-d", db, "--log-level=warn"])
        registry = odoo.modules.registry.Registry(db)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            reps = make_reps(env, reps_count)
            env.flush_all()
            results = {}
            measure(env, reps, small)  # warm-up: the first run fills caches the others reuse
            for size in (small, per_rep):
                results[size] = measure(env, reps, size)
                other, inserts, elapsed, count = results[size]
                print(
                    f"{reps_count} reps x {size} customers = {reps_count * size} customers: "
                    f"{count} visits proposed in {elapsed:.2f} s; {other} queries + {inserts} INSERT batches "
                    f"of up to 100 visits",
                    flush=True,
                )
            cr.rollback()
        (q1, i1, t1, c1), (q2, i2, t2, c2) = results[small], results[per_rep]
        print(
            f"customers x{per_rep / small:.1f}: queries besides the INSERT batches x{q2 / q1:.2f} "
            f"({q1} -> {q2}), visits x{c2 / max(c1, 1):.2f}, INSERT batches x{i2 / max(i1, 1):.2f}, "
            f"time x{t2 / t1:.2f}"
        )
        print(f"time per proposed visit: {1000 * t2 / max(c2, 1):.2f} ms at the full size")
        odoo.modules.registry.Registry.delete(db)
    finally:
        subprocess.run(["dropdb", "--if-exists", "--force", db], check=False)


if __name__ == "__main__":
    main()

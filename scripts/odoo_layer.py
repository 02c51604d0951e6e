"""Run the addon's Odoo tests on fresh databases, with demo data and without.

Called by ./test.sh once `import odoo` works. Fails (exit 1) on a test failure,
on any ERROR or CRITICAL log line, on a WARNING line that names sales_management,
when the module is not installed afterwards, or when it does not uninstall
cleanly. Prints one line and exits 0 when PostgreSQL does not answer.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from odoo_env import addons_path

REPO = Path(__file__).resolve().parent.parent
MODULE = "sales_management"
LOG_DIR = REPO / ".test-logs"
ERROR_RE = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")
WARNING_RE = re.compile(r"^\S+ \S+ \d+ WARNING .*sales_management")
# Odoo's own summary line, e.g. "0 failed, 0 error(s) of 12 tests when loading database".
SUMMARY_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")


# Connection settings: environment variable -> (Odoo option, libpq keyword).
DB_SETTINGS = {
    "ODOO_DB_HOST": ("--db_host", "host"),
    "ODOO_DB_PORT": ("--db_port", "port"),
    "ODOO_DB_USER": ("--db_user", "user"),
    "ODOO_DB_PASSWORD": ("--db_password", "password"),
}


def db_args():
    return [f"{opt}={os.environ[env]}" for env, (opt, _key) in DB_SETTINGS.items() if os.environ.get(env)]


def pg_connect(dbname="postgres"):
    import psycopg2  # an Odoo requirement

    kwargs = {key: os.environ[env] for env, (_opt, key) in DB_SETTINGS.items() if os.environ.get(env)}
    return psycopg2.connect(dbname=dbname, **kwargs)


def odoo(db, *extra, command=(), stdin=None, log_name):
    LOG_DIR.mkdir(exist_ok=True)
    log_file = LOG_DIR / f"{log_name}.log"
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        *command,
        f"--addons-path={addons_path()}",
        *db_args(),
        "-d",
        db,
        "--db-filter",
        f"^{db}$",
        *(() if command else ("--http-port", str(18000 + os.getpid() % 1000))),
        "--max-cron-threads=0",
        "--log-level=info",
        *extra,
    ]
    print("$", " ".join(cmd), f"> {log_file.relative_to(REPO)}", flush=True)
    started = time.monotonic()
    with open(log_file, "w") as log:
        proc = subprocess.run(cmd, input=stdin, text=True, stdout=log, stderr=subprocess.STDOUT, check=False)
    print(f"  exit {proc.returncode} after {time.monotonic() - started:.0f}s", flush=True)
    return proc.returncode, log_file.read_text(errors="replace").splitlines()


def module_state(db):
    conn = pg_connect(db)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT state FROM ir_module_module WHERE name = %s", [MODULE])
            row = cr.fetchone()
            return row and row[0]
    finally:
        conn.close()


def leftovers(db):
    """Database objects the addon made outside its tables that are still there."""
    conn = pg_connect(db)
    try:
        with conn.cursor() as cr:
            cr.execute(
                """
                SELECT 'trigger ' || tgname FROM pg_trigger WHERE tgname LIKE 'sales_management%%'
                 UNION ALL
                SELECT 'function ' || proname FROM pg_proc WHERE proname LIKE 'sales_management%%'
                 UNION ALL
                SELECT 'index ' || indexname FROM pg_indexes WHERE indexname LIKE '%%_sm_credit_%%'
                """
            )
            return [row[0] for row in cr.fetchall()]
    finally:
        conn.close()


def drop(db):
    if os.environ.get("KEEP_DB"):
        print(f"  kept database {db} (KEEP_DB)")
        return
    conn = pg_connect()
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{db}"')
    finally:
        conn.close()


def check_log(lines, label):
    problems = [line for line in lines if ERROR_RE.match(line) or WARNING_RE.match(line)]
    summaries = [SUMMARY_RE.search(line) for line in lines]
    summaries = [m for m in summaries if m]
    failed = sum(int(m.group(1)) + int(m.group(2)) for m in summaries)
    ran = sum(int(m.group(3)) for m in summaries)
    for line in problems[:40]:
        print("  " + line)
    print(f"  {label}: {ran} Odoo tests ran, {failed} failed or errored, {len(problems)} ERROR/CRITICAL/WARNING lines")
    return problems, failed, ran


def run_case(label, db, demo):
    drop(db)
    extra = ["-i", MODULE, "--test-enable", "--test-tags", f"/{MODULE}", "--stop-after-init"]
    if not demo:
        extra.append("--without-demo=all")
    rc, lines = odoo(db, *extra, log_name=label)
    problems, failed, ran = check_log(lines, label)
    state = module_state(db)
    ok = rc == 0 and not problems and not failed and ran > 0 and state == "installed"
    if state != "installed":
        print(f"  {label}: module state is {state!r}, not 'installed'")
    if ran == 0:
        print(f"  {label}: no Odoo test ran")
    return ok, ran, failed


def run_uninstall(db):
    script = (
        f"env['ir.module.module'].search([('name', '=', '{MODULE}')]).button_immediate_uninstall()\n"
        "env.cr.commit()\n"
    )
    rc, lines = odoo(db, "--no-http", command=["shell"], stdin=script, log_name="uninstall")
    problems = [line for line in lines if ERROR_RE.match(line) or "Traceback" in line]
    for line in problems[:20]:
        print("  " + line)
    state = module_state(db)
    left = leftovers(db)
    print(f"  uninstall: exit {rc}, module state afterwards {state!r}, left in the database: {left or 'nothing'}")
    return rc == 0 and not problems and state == "uninstalled" and not left


def main():
    try:
        pg_connect().close()
    except Exception as exc:
        print(f"Odoo layer SKIPPED: PostgreSQL does not answer ({exc}).".replace("\n", " "))
        return 0
    suffix = os.getpid()
    results = {}
    ran = failed = 0
    dbs = {"demo": f"sm_test_demo_{suffix}", "nodemo": f"sm_test_nodemo_{suffix}"}
    try:
        for label, name, demo in (("demo", "with demo data", True), ("nodemo", "without demo data", False)):
            ok, case_ran, case_failed = run_case(label, dbs[label], demo=demo)
            results[name] = ok
            ran += case_ran
            failed += case_failed
        results["uninstall"] = run_uninstall(dbs["nodemo"])
    finally:
        for db in dbs.values():
            drop(db)
    print()
    for name, ok in results.items():
        print(f"Odoo layer, {name}: {'passed' if ok else 'FAILED'}")
    # The closing line CI reads: Odoo tests, plus one failure per failed step.
    passed = max(ran - failed, 0)
    failed += sum(1 for ok in results.values() if not ok)
    print(f"odoo: {passed} passed, {failed} failed")
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Side by side with OCA's credit modules, and what the addon costs every other flow (issue 16).

One run makes three fresh databases with the same generated data:

- ``core``: Odoo with ``sale_management``, no credit check;
- ``oca``: core + OCA's ``account_financial_risk`` + ``sale_financial_risk`` (18.0, from PyPI,
  installed with ``pip install --no-deps --target .bench-cache/oca`` by this script; they
  need no other OCA module), every risk component included in the customers' risk and a
  credit limit above it, so the check runs at confirmation and at invoice posting;
- ``addon``: core + sales_management, a credit limit above the exposure, so the check
  runs at every confirmation and its trigger keeps the open balances.

Then, for each size of open invoices per customer (made with SQL ``generate_series``),
it times the sales-to-cash flow per phase, one document per transaction as the web client
does (commits not timed): create orders, confirm them, create their invoices, post them,
register their payments, import a bank statement with one line per payment and reconcile
each line with its payment. Phases alternate between the databases (the order rotates
each round) and the best round counts. Last, the cost per statement of the addon's
trigger on journal items: a 1,000-line import and a 10,000-line reconciliation, with and
without the addon, and updates of one line.

    python3 bench/peer.py --customers 10 --orders 100 --open 10,1000,10000 --rounds 3
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
from odoo_env import addons_path  # noqa: E402

CACHE = REPO / ".bench-cache"
OCA_DIR = CACHE / "oca"
OCA_PACKAGES = ["odoo-addon-account-financial-risk==18.0.*", "odoo-addon-sale-financial-risk==18.0.*"]
FLAVOURS = {
    "core": "sale_management",
    "oca": "sale_management,sale_financial_risk",
    "addon": "sales_management",
}
PHASES = ["create", "confirm", "invoice", "post", "payment", "statement"]
PHASE_LABELS = {
    "create": "create orders",
    "confirm": "confirm",
    "invoice": "create invoices",
    "post": "post invoices",
    "payment": "register payments",
    "statement": "bank statement",
}
# Goals of issue 16: the addon's time over core's, per phase (every phase also <= OCA's).
CORE_GOALS = {"confirm": 1.2, "post": 1.05, "payment": 1.05}
CREDIT_LIMIT = 1e9  # above any exposure the benchmark builds: every confirmation passes


def oca_addons():
    """OCA's two modules, installed from PyPI into the benchmark's own folder."""
    target = OCA_DIR / "odoo" / "addons"
    if not (target / "sale_financial_risk").is_dir():
        pip = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(OCA_DIR), *OCA_PACKAGES],
            capture_output=True,
            text=True,
            check=False,
        )
        if pip.returncode:
            sys.exit(f"pip could not install OCA's modules:\n{pip.stdout}{pip.stderr}")
    return target


def full_addons_path():
    return f"{addons_path()},{oca_addons()}"


def install(db, modules):
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        f"--addons-path={full_addons_path()}",
        "-d",
        db,
        "-i",
        modules,
        "--without-demo=all",
        "--stop-after-init",
        "--no-http",
        "--max-cron-threads=0",
        "--log-level=warn",
    ]
    subprocess.run(cmd, check=True, cwd=REPO, stdout=subprocess.DEVNULL)


# ----------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------


def setup(env, flavour, customers):
    """Chart of accounts, customers with their credit settings, one product: the same everywhere."""
    company = env.company
    if not env["account.journal"].search_count([("type", "=", "sale"), ("company_id", "=", company.id)]):
        env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
    partners = env["res.partner"].search([("name", "=like", "Peer %")], order="id")
    if len(partners) != customers:
        partners = env["res.partner"].create(
            [{"name": f"Peer {k}", "is_company": True, "customer_rank": 1} for k in range(customers)]
        )
    partners.credit_limit = CREDIT_LIMIT
    enabled = "no credit check"
    if flavour == "oca":
        # OCA's documented set-up: a limit on the partner and the risk components it includes;
        # the company lets nothing over the risk be confirmed nor posted (the defaults).
        include = {
            fname: True for fname in partners._fields if fname.startswith("risk_") and fname.endswith("_include")
        }
        partners.write(include)
        company.write({"allow_overrisk_sale_confirmation": False, "allow_overrisk_invoice_validation": False})
        enabled = (
            f"credit limit {CREDIT_LIMIT:.0e} and {', '.join(sorted(include))} on every customer; "
            "risk checked at confirmation and at invoice posting"
        )
    elif flavour == "addon":
        enabled = (
            f"credit limit {CREDIT_LIMIT:.0e} on every customer, overdue tolerance "
            f"{company.credit_overdue_tolerance_days} days; credit check at confirmation, "
            "open balances kept by the trigger on journal items"
        )
    products = env["product.product"].search([("name", "=like", "Peer %")], order="id")
    if len(products) != 2:
        products = env["product.product"].create(
            [
                # With a cost, so that posting captures one (the addon's quota cost).
                {
                    "name": "Peer Service",
                    "type": "service",
                    "invoice_policy": "order",
                    "list_price": 100.0,
                    "standard_price": 60.0,
                },
                {
                    "name": "Peer Goods",
                    "type": "consu",
                    "invoice_policy": "order",
                    "list_price": 35.0,
                    "standard_price": 20.0,
                },
            ]
        )
    env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", company.id)], limit=1).ensure_one()
    # The administrator runs the flow; bank statements need the full accounting features.
    env.ref("base.user_admin").groups_id |= env.ref("account.group_account_user")
    env.cr.commit()
    return partners, products, enabled


def top_up_open_invoices(env, partners, per_customer):
    """Posted open customer invoices (one receivable item each) until each customer has ``per_customer``.

    Made with SQL like bench/credit.py; due dates from 20 days ago (within the overdue
    tolerance) to 60 days ahead, so every check passes on limits, not on overdue debt.
    """
    cr = env.cr
    company = env.company
    cr.execute("SELECT COUNT(*) FROM account_move WHERE name LIKE 'PEER/%%'")
    done = cr.fetchone()[0] // len(partners)
    if done >= per_customer:
        return
    # A journal of their own: the sales journal's numbering stays Odoo's.
    journal = env["account.journal"].search([("code", "=", "PEERH"), ("company_id", "=", company.id)])
    if not journal:
        journal = env["account.journal"].create({"name": "Peer History", "code": "PEERH", "type": "sale"})
    receivable = partners[0].with_company(company).property_account_receivable_id
    cr.execute(
        """
        CREATE TEMP TABLE peer_inv ON COMMIT DROP AS
        SELECT g, p.id AS partner_id, CURRENT_DATE - 30 + (g %% 50) AS d, (100 + g %% 900)::numeric AS amount
          FROM generate_series(%(start)s, %(stop)s - 1) g
          JOIN (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM res_partner WHERE id = ANY(%(partners)s)) p
            ON p.k = g %% %(n)s;
        INSERT INTO account_move (name, move_type, state, date, invoice_date, invoice_date_due, journal_id,
                                  currency_id, company_id, partner_id, commercial_partner_id, auto_post,
                                  amount_total_signed, amount_total, amount_residual, amount_residual_signed,
                                  amount_untaxed, amount_untaxed_signed, amount_total_in_currency_signed,
                                  payment_state, create_date, write_date)
        SELECT 'PEER/' || i.g, 'out_invoice', 'posted', i.d, i.d, i.d + 10, %(journal)s, %(currency)s,
               %(company)s, i.partner_id, i.partner_id, 'no', i.amount, i.amount, i.amount, i.amount,
               i.amount, i.amount, i.amount, 'not_paid', now(), now()
          FROM peer_inv i;
        INSERT INTO account_move_line (move_id, account_id, partner_id, company_id, company_currency_id,
                                       currency_id, journal_id, display_type, date, date_maturity, debit, credit,
                                       balance, amount_currency, amount_residual, amount_residual_currency,
                                       reconciled, parent_state, name, create_date, write_date)
        SELECT m.id, %(account)s, m.partner_id, %(company)s, %(currency)s, %(currency)s, %(journal)s,
               'payment_term', m.date, m.invoice_date_due, m.amount_total, 0, m.amount_total, m.amount_total,
               m.amount_total, m.amount_total, FALSE, 'posted', m.name, now(), now()
          FROM account_move m JOIN peer_inv i ON m.name = 'PEER/' || i.g;
        ANALYZE account_move; ANALYZE account_move_line;
        """,
        {
            "start": done * len(partners),
            "stop": per_customer * len(partners),
            "n": len(partners),
            "partners": partners.ids,
            "journal": journal.id,
            "currency": company.currency_id.id,
            "company": company.id,
            "account": receivable.id,
        },
    )
    cr.commit()
    env.invalidate_all()


# ----------------------------------------------------------------------------
# The flow
# ----------------------------------------------------------------------------


class Clock:
    """Wall time, and CPU time of this process plus the PostgreSQL backend of its cursor.

    The machine is shared: other work lengthens the wall time of a phase, much less the
    CPU time the phase itself spends in Odoo and in PostgreSQL, which the table compares.
    """

    TICKS = os.sysconf("SC_CLK_TCK")

    def __init__(self, cr):
        cr.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cr.fetchone()[0]}/stat")
        self.stat = stat if stat.exists() else None  # PostgreSQL on another machine: this process only
        self.wall = self.cpu = 0.0

    def _now(self):
        cpu = time.process_time()
        if self.stat:
            fields = self.stat.read_text().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / self.TICKS  # utime + stime
        return time.perf_counter(), cpu

    def __enter__(self):
        self._start = self._now()

    def __exit__(self, *exc):
        wall, cpu = self._now()
        self.wall += wall - self._start[0]
        self.cpu += cpu - self._start[1]

    def take(self):
        """(wall, cpu) seconds since the last take."""
        result = (self.wall, self.cpu)
        self.wall = self.cpu = 0.0
        return result


class Flow:
    """One database's sales-to-cash flow, phase by phase, one document per transaction.

    Each phase is a generator that handles one document per step, so that the runner can
    interleave the databases document by document: a burst of other work on the shared
    machine then hits the three alike.
    """

    def __init__(self, env, flavour, partners, products):
        self.env = env
        self.clock = Clock(env.cr)
        self.queries = 0
        self.flavour = flavour
        self.partners = partners
        self.products = products
        self.bank = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", env.company.id)], limit=1)

    def step(self, action):
        """Run ``action()`` in its own transaction, timed without the commit; returns its result."""
        env = self.env
        before = env.cr.sql_log_count
        with self.clock:
            result = action()
            env.flush_all()
        self.queries += env.cr.sql_log_count - before
        env.cr.commit()
        # Each request starts with an empty cache, as in a web worker.
        env.invalidate_all()
        return result

    def each(self, records, action, results=None):
        for record in records:
            value = self.step(lambda record=record: action(record))
            if results is not None:
                results.append(value)
            yield

    def phase_create(self, count):
        from odoo import Command

        product, product_2 = self.products
        Order = self.env["sale.order"]

        def create(k):
            partner = self.partners[k % len(self.partners)]
            return Order.create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 1 + k % 3}),
                        Command.create({"product_id": product_2.id, "product_uom_qty": 2}),
                    ],
                }
            ).id

        ids = []
        yield from self.each(range(count), create, ids)
        self.orders = Order.browse(ids)

    def phase_confirm(self, count):
        yield from self.each(self.orders, lambda order: order.action_confirm())
        self._expect(self.orders, "state", "sale", "confirmed")

    def phase_invoice(self, count):
        ids = []
        yield from self.each(self.orders, lambda order: order._create_invoices().id, ids)
        self.invoices = self.env["account.move"].browse(ids)

    def phase_post(self, count):
        yield from self.each(self.invoices, lambda invoice: invoice.action_post())
        self._expect(self.invoices, "state", "posted", "posted")

    def phase_payment(self, count):
        Register = self.env["account.payment.register"]

        def pay(invoice):
            wizard = Register.with_context(active_model="account.move", active_ids=invoice.ids).create(
                {"journal_id": self.bank.id}
            )
            return wizard._create_payments().id

        ids = []
        yield from self.each(self.invoices, pay, ids)
        self.payments = self.env["account.payment"].browse(ids)
        self._expect(self.invoices, "payment_state", "paid", "paid")

    def phase_statement(self, count):
        """Import one statement with a line per payment, then match each line with its payment.

        What the reconciliation widget does, with the Community API: the statement line's
        suspense item goes to the payment's outstanding account and both are reconciled.
        """
        from odoo import Command

        payments = self.payments
        statement = self.step(
            lambda: self.env["account.bank.statement"].create(
                {
                    "name": f"Peer {payments[:1].id}",
                    "journal_id": self.bank.id,
                    "line_ids": [
                        Command.create(
                            {
                                "payment_ref": payment.memo or payment.name,
                                "partner_id": payment.partner_id.id,
                                "amount": payment.amount,
                                "date": payment.date,
                            }
                        )
                        for payment in payments
                    ],
                }
            )
        )
        yield
        pairs = list(zip(statement.line_ids.sorted("id"), payments, strict=True))

        def match(pair):
            st_line, payment = pair
            st_line = st_line.with_context(skip_account_move_synchronization=True)
            _liquidity, suspense, _other = st_line._seek_for_lines()
            outstanding = payment.move_id.line_ids.filtered(
                lambda line: line.account_id == payment.outstanding_account_id
            )
            suspense.write({"account_id": outstanding.account_id.id})
            (suspense | outstanding).reconcile()

        yield from self.each(pairs, match)
        self._expect(statement.line_ids, "is_reconciled", True, "reconciled")

    def _expect(self, records, fname, value, label):
        wrong = records.filtered(lambda r: r[fname] != value)
        if wrong:
            raise RuntimeError(f"{self.flavour}: {len(wrong)} of {len(records)} not {label} ({wrong[:3]})")

    def phase(self, phase, count):
        return getattr(self, f"phase_{phase}")(count)

    def take(self):
        """(wall, cpu, queries) since the last take."""
        queries, self.queries = self.queries, 0
        return (*self.clock.take(), queries)


# ----------------------------------------------------------------------------
# One worker process per database
# ----------------------------------------------------------------------------


def worker(conn, db, flavour, customers, path):
    """Serve one database's flow to the parent, step by step, as one Odoo worker process would.

    A process per database keeps each registry's caches its own, as with a web worker
    serving one database; the parent interleaves the three in time.
    """
    try:
        import odoo
        from odoo import SUPERUSER_ID, api
        from odoo.tools import config

        config.parse_config([f"--addons-path={path}", "--log-level=warn"])
        cr = odoo.modules.registry.Registry(db).cursor()
        root = api.Environment(cr, SUPERUSER_ID, {})
        partners, products, enabled = setup(root, flavour, customers)
        # The flow runs as the administrator (access rights and record rules apply), with
        # the context the web client sends.
        env = api.Environment(cr, root.ref("base.user_admin").id, {"lang": "en_US", "tz": "Asia/Shanghai"})
        flow = Flow(env, flavour, partners.with_env(env), products.with_env(env))
        conn.send(enabled)
        steps = iter(())
        while True:
            command, arg = conn.recv()
            if command == "phase":
                steps = flow.phase(*arg)
                flow.take()
                conn.send(None)
            elif command == "step":
                conn.send(next(steps, StopIteration) is not StopIteration)
            elif command == "take":
                conn.send(flow.take())
            elif command == "top_up":
                top_up_open_invoices(env, flow.partners, arg)
                conn.send(None)
            elif command == "trigger":
                conn.send(trigger_cost(env, flow.partners[0], *arg))
            else:
                break
        cr.close()
    except Exception:  # the parent prints it and stops
        import traceback

        conn.send(RuntimeError(f"{flavour}: {traceback.format_exc()}"))


class Workers:
    def __init__(self, dbs, customers, path):
        import multiprocessing

        context = multiprocessing.get_context("fork")  # the parent never imports Odoo
        self.conns, self.procs = {}, {}
        for flavour, db in dbs.items():
            parent, child = context.Pipe()
            self.procs[flavour] = context.Process(target=worker, args=(child, db, flavour, customers, path))
            self.procs[flavour].start()
            self.conns[flavour] = parent

    def ask(self, flavour, command, arg=None):
        if command != "setup":
            self.conns[flavour].send((command, arg))
        answer = self.conns[flavour].recv()
        if isinstance(answer, Exception):
            raise answer
        return answer

    def all(self, command, arg=None):
        return {flavour: self.ask(flavour, command, arg) for flavour in self.conns}

    def close(self):
        for flavour, conn in self.conns.items():
            if self.procs[flavour].is_alive():
                conn.send(("stop", None))
        for proc in self.procs.values():
            proc.join(60)


def run_phase(workers, phase, count, order):
    """One phase in every database, document by document, the order rotating; {flavour: (wall, cpu, queries)}."""
    workers.all("phase", (phase, count))
    pending = list(order)
    turn = 0
    while pending:
        for flavour in pending[turn % len(pending) :] + pending[: turn % len(pending)]:
            if not workers.ask(flavour, "step"):
                pending.remove(flavour)
        turn += 1
    return workers.all("take")


# ----------------------------------------------------------------------------
# The trigger's cost per statement
# ----------------------------------------------------------------------------

AML_COLUMNS = """move_id, account_id, partner_id, company_id, company_currency_id, currency_id, journal_id,
    display_type, date, date_maturity, debit, credit, balance, amount_currency, amount_residual,
    amount_residual_currency, reconciled, {state}, name"""
OPEN_ITEMS = (
    "SELECT id FROM account_move_line WHERE partner_id = %(partner)s AND name LIKE 'PEER/%%' AND NOT reconciled"
)
ONE_ITEM = "SELECT MIN(id) FROM account_move_line WHERE partner_id = %(partner)s AND name LIKE 'PEER/%%'"
# (label, statement): what a bank import, a reconciliation and the ORM's flushes do to journal items.
TRIGGER_CASES = [
    (
        "import 1,000 posted receivable items (INSERT)",
        f"""INSERT INTO account_move_line ({AML_COLUMNS.format(state="parent_state")})
            SELECT {AML_COLUMNS.format(state="parent_state")} FROM account_move_line
             WHERE id IN ({OPEN_ITEMS} LIMIT 1000)""",
    ),
    (
        "insert 1 draft item (INSERT, as invoice creation)",
        f"""INSERT INTO account_move_line ({AML_COLUMNS.format(state="parent_state")})
            SELECT {AML_COLUMNS.format(state="'draft'")} FROM account_move_line WHERE id = ({ONE_ITEM})""",
    ),
    (
        "reconcile 10,000 open items (UPDATE amount_residual, reconciled)",
        f"""UPDATE account_move_line SET amount_residual = 0, amount_residual_currency = 0, reconciled = TRUE
             WHERE id IN ({OPEN_ITEMS} LIMIT 10000)""",
    ),
    (
        "10,000 open items, a column it does not read (UPDATE write_date)",
        f"UPDATE account_move_line SET write_date = now() WHERE id IN ({OPEN_ITEMS} LIMIT 10000)",
    ),
    (
        "1 open item, a column it reads (UPDATE amount_residual)",
        f"UPDATE account_move_line SET amount_residual = amount_residual - 1 WHERE id = ({ONE_ITEM})",
    ),
    (
        "1 open item, a column it does not read (UPDATE write_date)",
        f"UPDATE account_move_line SET write_date = now() WHERE id = ({ONE_ITEM})",
    ),
]

# The alternative the addon does not ship, measured beside it: a row-level trigger that
# fires only when a column the balances read changes, one upsert per row.
ROW_LEVEL_COLUMNS = "partner_id, company_id, account_id, amount_residual, parent_state, reconciled"
ROW_LEVEL_COUNTS = "{t}.parent_state = 'posted' AND {t}.reconciled IS NOT TRUE AND {t}.partner_id IS NOT NULL"
ROW_LEVEL_SQL = f"""
CREATE FUNCTION peer_bench_row_balance() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    INSERT INTO sales_credit_balance AS b (partner_id, company_id, account_id, amount_residual)
    SELECT d.partner_id, d.company_id, d.account_id, SUM(d.amount)
      FROM (SELECT OLD.partner_id, OLD.company_id, OLD.account_id, -OLD.amount_residual
             WHERE TG_OP != 'INSERT' AND {ROW_LEVEL_COUNTS.format(t="OLD")}
            UNION ALL
            SELECT NEW.partner_id, NEW.company_id, NEW.account_id, NEW.amount_residual
             WHERE TG_OP != 'DELETE' AND {ROW_LEVEL_COUNTS.format(t="NEW")}
           ) d(partner_id, company_id, account_id, amount)
      JOIN account_account acc ON acc.id = d.account_id AND acc.account_type = 'asset_receivable'
  GROUP BY 1, 2, 3 HAVING SUM(d.amount) != 0
        ON CONFLICT (partner_id, company_id, account_id)
        DO UPDATE SET amount_residual = b.amount_residual + EXCLUDED.amount_residual;
    RETURN NULL;
END
$body$;
CREATE TRIGGER peer_row_insert AFTER INSERT ON account_move_line FOR EACH ROW
  WHEN ({ROW_LEVEL_COUNTS.format(t="NEW")}) EXECUTE FUNCTION peer_bench_row_balance();
CREATE TRIGGER peer_row_update AFTER UPDATE OF {ROW_LEVEL_COLUMNS} ON account_move_line FOR EACH ROW
  WHEN ((({ROW_LEVEL_COUNTS.format(t="OLD")}) OR ({ROW_LEVEL_COUNTS.format(t="NEW")}))
        AND (OLD.{ROW_LEVEL_COLUMNS.replace(", ", ", OLD.")})
            IS DISTINCT FROM (NEW.{ROW_LEVEL_COLUMNS.replace(", ", ", NEW.")}))
  EXECUTE FUNCTION peer_bench_row_balance();
CREATE TRIGGER peer_row_delete AFTER DELETE ON account_move_line FOR EACH ROW
  WHEN ({ROW_LEVEL_COUNTS.format(t="OLD")}) EXECUTE FUNCTION peer_bench_row_balance();
"""


def trigger_cost(env, partner, repeat, row_level=False):
    """{label: (best ms, rows)} of each statement, run ``repeat`` times and rolled back.

    With ``row_level`` (addon database only), the addon's triggers are replaced by the
    row-level alternative for the measure, in the same transaction, rolled back after.
    """
    cr = env.cr
    env.flush_all()
    cr.commit()
    if row_level:
        cr.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'sales_management%%' AND NOT tgisinternal")
        for (trigger,) in cr.fetchall():
            cr.execute(f"ALTER TABLE account_move_line DISABLE TRIGGER {trigger}")
        cr.execute(ROW_LEVEL_SQL)
    result = {}
    for label, query in TRIGGER_CASES:
        times = []
        for index in range(repeat + 1):
            cr.execute("SAVEPOINT peer_trigger")
            start = time.perf_counter()
            cr.execute(query, {"partner": partner.id})
            elapsed = time.perf_counter() - start
            rows = cr.rowcount
            cr.execute("ROLLBACK TO SAVEPOINT peer_trigger")
            if index:  # the first run plans the statement and the trigger's queries
                times.append(elapsed)
        result[label] = (min(times) * 1000, rows)
    cr.rollback()
    return result


# ----------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    mem_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    pg = subprocess.run(
        ["psql", "-XAtc", "SHOW server_version", "postgres"], capture_output=True, text=True, check=False
    ).stdout
    return f"{os.cpu_count()} cores ({cpu}), {mem_kb / 2**20:.0f} GiB RAM, PostgreSQL {pg.strip()}"


def verdict(ok):
    return "ok" if ok else "MISSED"


def print_table(size, rounds, count):
    """Per phase: ms per document of the best round in each database, ratios and goals.

    ``rounds``: {flavour: {phase: [(wall, cpu, queries) per round]}}. Wall-clock time is
    what the table compares; the CPU time (Odoo + PostgreSQL backend) ratio and the
    queries per document stand beside it.
    """

    def best(flavour, phase, index):
        return min(run[index] for run in rounds[flavour][phase])

    print(f"\n### {size} open invoices per customer\n")
    print(
        "| phase | core ms | OCA ms | addon ms | addon/core | addon/OCA | goal | CPU addon/core | CPU addon/OCA "
        "| queries core/OCA/addon |"
    )
    print("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|")
    for phase in PHASES:
        ms = {flavour: best(flavour, phase, 0) * 1000 / count for flavour in FLAVOURS}
        cpu = {flavour: best(flavour, phase, 1) for flavour in FLAVOURS}
        queries = "/".join(f"{rounds[f][phase][-1][2] / count:.0f}" for f in FLAVOURS)
        vs_core = ms["addon"] / ms["core"]
        vs_oca = ms["addon"] / ms["oca"]
        goals = [f"<= OCA {verdict(vs_oca <= 1.0)}"]
        if phase in CORE_GOALS:
            goals.append(f"<= {CORE_GOALS[phase]}x core {verdict(vs_core <= CORE_GOALS[phase])}")
        print(
            f"| {PHASE_LABELS[phase]} | {ms['core']:.1f} | {ms['oca']:.1f} | {ms['addon']:.1f} "
            f"| {vs_core:.2f} | {vs_oca:.2f} | {', '.join(goals)} "
            f"| {cpu['addon'] / cpu['core']:.2f} | {cpu['addon'] / cpu['oca']:.2f} | {queries} |"
        )

    def spread(index):
        values = [
            max(run[index] for run in runs) / min(run[index] for run in runs) - 1
            for phases in rounds.values()
            for runs in phases.values()
        ]
        return f"median {statistics.median(values):.0%}, max {max(values):.0%}"

    print(f"\nnoise, worst round over best per phase and database: wall {spread(0)}; CPU {spread(1)}")


def print_trigger_costs(workers, repeat):
    print(f"\n### The trigger on journal items: ms per statement (best of {repeat}, rolled back)\n")
    print(
        "| statement | rows | core | addon (statement-level) | addon - core | row-level alternative "
        "| row-level - core |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    core = workers.ask("core", "trigger", (repeat, False))
    addon = workers.ask("addon", "trigger", (repeat, False))
    row = workers.ask("addon", "trigger", (repeat, True))
    for label, _query in TRIGGER_CASES:
        (c, rows), (a, _rows), (r, _rows) = core[label], addon[label], row[label]
        print(f"| {label} | {rows} | {c:.2f} | {a:.2f} | {a - c:+.2f} | {r:.2f} | {r - c:+.2f} |")


def run_sizes(workers, sizes, args):
    # A short warm-up flow in each database (caches, plans), not counted.
    order = list(FLAVOURS)
    workers.all("top_up", sizes[0])
    for phase in PHASES:
        run_phase(workers, phase, min(args.orders, 10), order)
    for size in sizes:
        start = time.perf_counter()
        workers.all("top_up", size)
        print(f"\ndata: {size} open invoices per customer ({time.perf_counter() - start:.0f}s, SQL)", flush=True)
        rounds = {flavour: {phase: [] for phase in PHASES} for flavour in FLAVOURS}
        for index in range(args.rounds):
            rotation = order[index % 3 :] + order[: index % 3]
            for phase in PHASES:
                for flavour, measure in run_phase(workers, phase, args.orders, rotation).items():
                    rounds[flavour][phase].append(measure)
            print(f"  round {index + 1}/{args.rounds} done", flush=True)
        print_table(size, rounds, args.orders)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=10)
    parser.add_argument("--orders", type=int, default=100, help="orders per round (and database)")
    parser.add_argument("--open", default="10,1000,10000", help="open invoices per customer, one table each")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per size; the best counts")
    parser.add_argument("--trigger-repeat", type=int, default=10, help="runs of each trigger statement")
    parser.add_argument("--db-prefix", default="sm_peer")
    parser.add_argument("--skip-install", action="store_true", help="reuse the databases of a --keep run")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    args = parser.parse_args()
    sizes = [int(s) for s in args.open.split(",")]
    dbs = {flavour: f"{args.db_prefix}_{flavour}" for flavour in FLAVOURS}

    path = full_addons_path()
    if not args.skip_install:
        for flavour, modules in FLAVOURS.items():
            start = time.perf_counter()
            install(dbs[flavour], modules)
            print(f"installed {modules} in {dbs[flavour]}: {time.perf_counter() - start:.0f}s", flush=True)

    workers = None
    try:
        workers = Workers(dbs, args.customers, path)
        for flavour in FLAVOURS:
            print(f"{flavour}: {workers.ask(flavour, 'setup')}")
        print(f"machine: {machine()}")
        print(
            f"flow: {args.customers} customers, {args.orders} orders per round and database (2 lines each), "
            f"{args.rounds} rounds per size; one process per database, the databases interleaved "
            "document by document"
        )
        run_sizes(workers, sizes, args)
        # On the largest size: the first customer has that many open items.
        print_trigger_costs(workers, args.trigger_repeat)
    finally:
        if workers:
            workers.close()
        if not args.keep:
            for db in dbs.values():
                subprocess.run(["dropdb", "--if-exists", db], check=False)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()

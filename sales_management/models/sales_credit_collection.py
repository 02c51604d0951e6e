from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

COLLECTION_INSTRUMENTS = [
    ("transfer", "Bank Transfer"),
    ("cash", "Cash"),
    ("acceptance", "Acceptance Draft"),
]

REP_WRITABLE_FIELDS = ["promised_amount", "promised_date", "instrument", "note"]

COLLECTION_JOB = "sales_management.ir_cron_credit_collection"
# Companies refreshed per call of the nightly job.
COLLECTION_BATCH_COMPANIES = 10


class SalesCreditCollection(models.Model):
    """Collection plan line (赊款回收计划): what one customer should pay in one month.

    The due amount comes from the open invoices' due dates, the salesperson
    adjusts it (promised date, amount, instrument), the collected amount from
    the payments reconciled in the month.
    """

    _name = "sales.credit.collection"
    _inherit = ["sales.management.input.mixin"]
    _description = "Collection Plan Line"
    _order = "date desc, partner_id"
    _rec_name = "partner_id"
    _check_company_auto = True

    date = fields.Date("Month", required=True, index=True, help="First day of the month.")
    partner_id = fields.Many2one("res.partner", "Customer", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", "Salesperson", index=True)
    due_amount = fields.Monetary(
        "Falling Due", readonly=True, help="Customer invoice amounts falling due in the month (paid or not)."
    )
    promised_amount = fields.Monetary(help="The salesperson's adjusted amount; empty: the amount falling due.")
    promised_date = fields.Date()
    instrument = fields.Selection(COLLECTION_INSTRUMENTS)
    note = fields.Char()
    planned_amount = fields.Monetary(compute="_compute_planned_amount", store=True)
    collected_amount = fields.Monetary("Collected", readonly=True)
    collection_rate = fields.Float("Collection Rate (%)", compute="_compute_collection_rate", aggregator="avg")

    _sql_constraints = [
        ("month_partner_uniq", "unique(date, partner_id, company_id)", "One plan line per customer and month."),
    ]

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("due_amount", "promised_amount")
    def _compute_planned_amount(self):
        for line in self:
            line.planned_amount = line.promised_amount or line.due_amount

    @api.depends("planned_amount", "collected_amount")
    def _compute_collection_rate(self):
        for line in self:
            line.collection_rate = 100.0 * line.collected_amount / line.planned_amount if line.planned_amount else 0.0

    @api.model
    def _get_input_ranges(self):
        return {**super()._get_input_ranges(), "promised_amount": (0.0, None)}

    @api.constrains("promised_amount", "date")
    def _check_values(self):
        for line in self:
            if line.promised_amount < 0:
                raise ValidationError(self.env._("A promised amount cannot be negative."))
            if line.date.day != 1:
                raise ValidationError(self.env._("A collection plan month starts on the first day of the month."))

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        # Salespeople adjust their lines; the figures are the job's and the controller's.
        if set(vals) - set(REP_WRITABLE_FIELDS):
            self.env["sales.credit.status"]._check_credit_rights()
        return super().write(vals)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _generate(self, month, company):
        """Create or refresh the plan lines of ``month`` in ``company`` (set-based).

        Returns the customers whose line could not be written (each logged and left for
        the next refresh); the other customers' lines are kept.
        """
        date_from = month.replace(day=1)
        date_to = fields.Date.add(date_from, months=1)
        self.env["account.move.line"].flush_model()
        cr = self.env.cr
        params = {"company": company.id, "from": date_from, "to": date_to}
        cr.execute(
            """
            SELECT am.commercial_partner_id, SUM(aml.balance)
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id
              JOIN account_account acc ON acc.id = aml.account_id
             WHERE aml.company_id = %(company)s AND am.state = 'posted' AND am.move_type = 'out_invoice'
               AND acc.account_type = 'asset_receivable'
               AND aml.date_maturity >= %(from)s AND aml.date_maturity < %(to)s
          GROUP BY am.commercial_partner_id
            """,
            params,
        )
        due = dict(cr.fetchall())
        collected = self._get_collected_by_partner(date_from, date_to, company)
        existing = self.search([("date", "=", date_from), ("company_id", "=", company.id)])
        partners = self.env["res.partner"].browse(sorted(set(due) | set(collected) | set(existing.partner_id.ids)))
        # All lines in one savepoint; when one fails, the others are written without it.
        return self.env["sales.management.batch"]._run_isolated(
            COLLECTION_JOB,
            partners,
            self._write_plan_lines,
            date_from,
            company,
            due,
            collected,
            label=f"collection plan {date_from:%Y-%m}, company {company.id}",
        )

    @api.model
    def _write_plan_lines(self, partners, date_from, company, due, collected):
        """Write the figures of the ``partners``' plan lines of one month and company, creating the missing ones."""
        existing = self.search(
            [("date", "=", date_from), ("company_id", "=", company.id), ("partner_id", "in", partners.ids)]
        )
        for line in existing:
            pid = line.partner_id.id
            line.sudo().write({"due_amount": due.get(pid, 0.0), "collected_amount": collected.get(pid, 0.0)})
        self.sudo().create(
            [
                {
                    "date": date_from,
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "user_id": partner.user_id.id,
                    "due_amount": due.get(partner.id, 0.0),
                    "collected_amount": collected.get(partner.id, 0.0),
                }
                for partner in partners - existing.partner_id
            ]
        )

    @api.model
    def _get_collected_by_partner(self, date_from, date_to, company):
        """Customer payments reconciled with receivables in [date_from, date_to), by commercial partner."""
        self.env["account.partial.reconcile"].flush_model()
        self.env.cr.execute(
            """
            SELECT rp.commercial_partner_id, SUM(apr.amount)
              FROM account_partial_reconcile apr
              JOIN account_move_line aml ON aml.id = apr.debit_move_id
              JOIN account_account acc ON acc.id = aml.account_id
              JOIN res_partner rp ON rp.id = aml.partner_id
              JOIN account_move_line cl ON cl.id = apr.credit_move_id
              JOIN account_move cm ON cm.id = cl.move_id
             WHERE aml.company_id = %(company)s AND acc.account_type = 'asset_receivable'
               AND cm.move_type NOT IN ('out_refund', 'out_invoice')
               AND apr.max_date >= %(from)s AND apr.max_date < %(to)s
          GROUP BY rp.commercial_partner_id
            """,
            {"company": company.id, "from": date_from, "to": date_to},
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _get_collection_by_user(self, date_from, date_to, company):
        """Collection due and collected per salesperson, for the Quotas capability.

        ``{user_id: {"due": float, "collected": float}}``: due = planned amounts of the
        plan lines whose month starts in [date_from, date_to]; collected = payments
        reconciled in that range, by the invoice's salesperson. Set-based.
        """
        result = {}
        for user, planned in self._read_group(
            [("company_id", "=", company.id), ("date", ">=", date_from), ("date", "<=", date_to)],
            ["user_id"],
            ["planned_amount:sum"],
        ):
            result.setdefault(user.id, {"due": 0.0, "collected": 0.0})["due"] = planned
        collected = self._get_collected_by_user_month(company, date_from, date_to)
        for (user_id, _month), amount in collected.items():
            result.setdefault(user_id or False, {"due": 0.0, "collected": 0.0})["collected"] += amount
        return result

    @api.model
    def _get_collected_by_user_month(self, company, date_from, date_to, user_ids=None):
        """Cash collected (货款回笼): customer payments and bank statement lines reconciled
        with customer invoices, by the invoice's salesperson and month of reconciliation.

        ``{(user_id, first day of month): amount in company currency}``; one query.
        """
        self.env["account.partial.reconcile"].flush_model()
        self.env["account.move.line"].flush_model(["move_id", "payment_id", "statement_line_id", "account_id"])
        self.env["account.move"].flush_model(["move_type", "company_id", "invoice_user_id"])
        user_filter = SQL("AND inv.invoice_user_id IN %s", tuple(user_ids)) if user_ids else SQL()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT inv.invoice_user_id, date_trunc('month', apr.max_date)::date, SUM(apr.amount)
                  FROM account_partial_reconcile apr
                  JOIN account_move_line dl ON dl.id = apr.debit_move_id
                  JOIN account_account acc ON acc.id = dl.account_id
                  JOIN account_move inv ON inv.id = dl.move_id
                  JOIN account_move_line cl ON cl.id = apr.credit_move_id
                 WHERE inv.move_type = 'out_invoice'
                   AND inv.company_id = %(company)s
                   AND acc.account_type = 'asset_receivable'
                   AND (cl.payment_id IS NOT NULL OR cl.statement_line_id IS NOT NULL)
                   AND apr.max_date BETWEEN %(date_from)s AND %(date_to)s
                   %(user_filter)s
              GROUP BY 1, 2
                """,
                company=company.id,
                date_from=date_from,
                date_to=date_to,
                user_filter=user_filter,
            )
        )
        return {(user_id, month): amount for user_id, month, amount in rows}

    @api.model
    def _cron_generate_collection_plan(self, batch_size=COLLECTION_BATCH_COMPANIES):
        """Refresh the current and the previous month's plan lines of every company.

        Each company and month in its own savepoint: one company's failure (or one bad
        line) never rolls back another's work; what failed is refreshed by the next run.
        """
        today = fields.Date.context_today(self)
        months = (fields.Date.subtract(today.replace(day=1), months=1), today.replace(day=1))
        Batch = self.env["sales.management.batch"]

        def refresh(companies, _scope):
            failed = companies.browse()
            for company in companies:
                for month in months:
                    if Batch._run_isolated(
                        COLLECTION_JOB,
                        company,
                        lambda company, month: self.with_company(company)._generate(month, company),
                        month,
                        label=f"collection plan {month:%Y-%m}",
                    ):
                        failed |= company
            return failed

        Batch._run_batches(COLLECTION_JOB, self.env["res.company"], [], refresh, batch_size=batch_size)

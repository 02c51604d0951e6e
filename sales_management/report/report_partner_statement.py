from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import ageing

OVERDUE_BUCKETS = [key for key, _label, first, _last in ageing.AGEING_BUCKETS if first]


class ReportPartnerStatement(models.AbstractModel):
    """Statement of account / payment notice (对账单 / 收款通知书) of customers.

    Open receivable items with their due dates and ageing (the buckets and the
    figures of the credit overview), the payments of a period, the collection
    plan, the balance due in figures and in words. Printed from the customer; the
    credit overview's report (``report_credit_status_statement``) extends it.
    """

    _name = "report.sales_management.report_partner_statement"
    _description = "Statement of Account"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        company = self._get_statement_company(data)
        partners = self.env["res.partner"].browse(docids).commercial_partner_id
        return self._get_statement_report_values([(partner, company) for partner in partners], data)

    # ------------------------------------------------------------
    # HOOKS
    # ------------------------------------------------------------

    @api.model
    def _get_statement_company(self, data):
        """The company whose books the statement shows: the one asked for, else the current one."""
        company_id = data.get("company_id") or self.env.context.get("statement_company_id")
        if not company_id:
            return self.env.company
        company = self.env["res.company"].browse(int(company_id)).exists()
        if not company or (not self.env.su and company not in self.env.user.company_ids):
            raise AccessError(self.env._("You may print statements only of the companies you work in."))
        return company

    @api.model
    def _get_statement_period(self, data):
        """``(date_from, date_to)`` of the payments shown: from the report data, the
        context (the e-mail composer's) or by default the previous month to today."""
        today = fields.Date.context_today(self)
        date_from = fields.Date.to_date(data.get("date_from") or self.env.context.get("statement_date_from"))
        date_to = fields.Date.to_date(data.get("date_to") or self.env.context.get("statement_date_to"))
        date_to = date_to or today
        date_from = date_from or fields.Date.subtract(today.replace(day=1), months=1)
        if date_from > date_to:
            raise UserError(
                self.env._(
                    "The statement period starts on %(start)s, after its end %(end)s: choose a start before the end.",
                    start=date_from,
                    end=date_to,
                )
            )
        return date_from, date_to

    @api.model
    def _check_statement_access(self, partners, company):
        """Credit controllers and sales managers print any customer's statement,
        salespeople those of their own customers, nobody else (portal users included).

        The statement lists every open invoice of the customer, so it is checked here,
        on the server, before anything is read with superuser rights.
        """
        if self.env.su:
            return
        user = self.env.user
        if company not in user.company_ids:
            raise AccessError(self.env._("You may print statements only of the companies you work in."))
        if user.has_group("sales_management.group_sales_management_credit") or user.has_group(
            "sales_team.group_sale_salesman_all_leads"
        ):
            return
        if user.has_group("sales_team.group_sale_salesman"):
            others = partners.filtered(lambda partner: partner.user_id != user)
            if others:
                raise AccessError(
                    self.env._(
                        "You may print statements only of your own customers, and these are "
                        "another salesperson's: %(customers)s.",
                        customers=", ".join(others.mapped("display_name")),
                    )
                )
            return
        raise AccessError(
            self.env._("Only salespeople, sales managers and credit controllers may print customer statements.")
        )

    # ------------------------------------------------------------
    # VALUES
    # ------------------------------------------------------------

    @api.model
    def _get_statement_report_values(self, pairs, data):
        """Report values for ``pairs`` of (commercial partner, company), in the order given."""
        pairs = list(dict.fromkeys(pairs))
        for company in {company for _partner, company in pairs}:
            self._check_statement_access(self.env["res.partner"].union(*(p for p, c in pairs if c == company)), company)
        date_from, date_to = self._get_statement_period(data)
        statements = []
        for company in {company for _partner, company in pairs}:
            partners = self.env["res.partner"].union(*(p for p, c in pairs if c == company))
            statements += self._get_statements(partners, company, date_from, date_to)
        order = {pair: index for index, pair in enumerate(pairs)}
        statements.sort(key=lambda statement: order[statement["partner"], statement["company"]])
        return {
            "doc_ids": [partner.id for partner, _company in pairs],
            "doc_model": "res.partner",
            "docs": self.env["res.partner"].union(*(partner for partner, _company in pairs)),
            "statements": statements,
            "ageing_keys": [key for key, *_rest in ageing.AGEING_BUCKETS],
        }

    @api.model
    def _get_statements(self, partners, company, date_from, date_to):
        """One statement per partner of ``partners`` in ``company``; three searches for all.

        Amounts are in company currency, like the credit overview's ageing: the open
        items are the posted, unreconciled receivable journal items outside the
        notes-receivable accounts, aged by due date as of today.
        """
        today = fields.Date.context_today(self)
        AccountMoveLine = self.env["account.move.line"].sudo().with_company(company)
        notes_accounts = company.sudo().credit_notes_account_ids
        base_domain = [
            ("partner_id.commercial_partner_id", "in", partners.ids),
            ("company_id", "=", company.id),
            ("parent_state", "=", "posted"),
            ("account_id.account_type", "=", "asset_receivable"),
        ]
        open_items = AccountMoveLine.search(
            [*base_domain, ("reconciled", "=", False)], order="date_maturity, date, move_name, id"
        )
        payments = AccountMoveLine.search(
            [
                *base_domain,
                ("journal_id.type", "in", ("bank", "cash")),
                ("balance", "<", 0),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ],
            order="date, move_name, id",
        )
        collections = (
            self.env["sales.credit.collection"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", partners.ids),
                    ("company_id", "=", company.id),
                    ("date", ">=", date_from.replace(day=1)),
                ],
                order="date, id",
            )
        )
        lines_by_partner = defaultdict(list)
        notes_by_partner = defaultdict(float)
        for item in open_items:
            partner = item.partner_id.commercial_partner_id
            if item.account_id in notes_accounts:
                notes_by_partner[partner] += item.amount_residual
                continue
            lines_by_partner[partner].append(self._prepare_open_item_values(item, today))
        payments_by_partner = defaultdict(lambda: AccountMoveLine)
        for line in payments:
            payments_by_partner[line.partner_id.commercial_partner_id] |= line
        collections_by_partner = defaultdict(lambda: self.env["sales.credit.collection"].sudo())
        for collection in collections:
            collections_by_partner[collection.partner_id] |= collection
        currency = company.currency_id
        statements = []
        for partner in partners:
            lines = lines_by_partner[partner]
            buckets = dict.fromkeys((key for key, *_rest in ageing.AGEING_BUCKETS), 0.0)
            for line in lines:
                buckets[line["bucket"]] += line["residual"]
            buckets = {key: currency.round(amount) for key, amount in buckets.items()}
            balance = currency.round(sum(line["residual"] for line in lines))
            partner_payments = payments_by_partner[partner]
            statements.append(
                {
                    "partner": partner,
                    "company": company,
                    "currency": currency,
                    "date": today,
                    "date_from": date_from,
                    "date_to": date_to,
                    "lines": lines,
                    "ageing": buckets,
                    "balance": balance,
                    "overdue": currency.round(sum(buckets[key] for key in OVERDUE_BUCKETS)),
                    "notes": currency.round(notes_by_partner[partner]),
                    "payments": partner_payments,
                    "payments_total": currency.round(-sum(line.balance for line in partner_payments)),
                    "collections": collections_by_partner[partner],
                    "bank_accounts": company.sudo().partner_id.bank_ids,
                    "balance_words": currency._get_amount_in_words(balance, partner.lang),
                }
            )
        return statements

    @api.model
    def _prepare_open_item_values(self, item, today):
        """Values of one open item on the statement (extension point: add columns)."""
        due = item.date_maturity or item.date
        days = (today - due).days if due else 0
        return {
            "item": item,
            "name": item.move_id.name,
            "reference": item.move_id.ref or (item.name if item.name != item.move_id.name else ""),
            "date": item.move_id.invoice_date or item.date,
            "date_maturity": item.date_maturity,
            "days_overdue": max(days, 0),
            # As the credit overview's ageing: an item without due date is not due.
            "bucket": ageing.bucket_for(days if item.date_maturity else 0),
            "amount": item.balance,
            "residual": item.amount_residual,
        }

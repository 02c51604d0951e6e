from datetime import date

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.tests import new_test_user


class QuotaCase(AccountTestInvoicingCommon):
    """A company with a chart of accounts, a team of two reps, a manager, and invoicing helpers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        user_vals = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.rep = new_test_user(
            cls.env, login="sm_q_rep", name="Rep Ruth", groups="sales_team.group_sale_salesman", **user_vals
        )
        cls.rep2 = new_test_user(
            cls.env, login="sm_q_rep2", name="Rep Ray", groups="sales_team.group_sale_salesman", **user_vals
        )
        cls.rep_out = new_test_user(
            cls.env, login="sm_q_rep_out", name="Rep Outside", groups="sales_team.group_sale_salesman", **user_vals
        )
        cls.manager = new_test_user(
            cls.env,
            login="sm_q_manager",
            name="Manager Mei",
            groups="sales_team.group_sale_salesman_all_leads",
            **user_vals,
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "Quota Team", "company_id": cls.company.id, "member_ids": [Command.set((cls.rep | cls.rep2).ids)]}
        )
        cls.categ = cls.env["product.category"].create({"name": "Quota Category"})
        cls.product_a.categ_id = cls.categ
        cls.customer = cls.env["res.partner"].create({"name": "Quota Customer", "is_company": True})
        cls.eur = cls.setup_other_currency("EUR", rates=[("2025-01-01", 2.0), ("2025-12-01", 3.0)])
        cls.other_company_data = cls.setup_other_company(name="Quota Other Company")

    @classmethod
    def _invoice(cls, when, amount, move_type="out_invoice", user=None, currency=None, company_data=None, post=True):
        company_data = company_data or cls.company_data
        move = (
            cls.env["account.move"]
            .with_company(company_data["company"])
            .create(
                {
                    "move_type": move_type,
                    "partner_id": cls.customer.id,
                    "invoice_date": when,
                    "date": when,
                    "invoice_user_id": (user or cls.rep).id,
                    "team_id": cls.team.id if company_data is cls.company_data else False,
                    "currency_id": (currency or company_data["currency"]).id,
                    "journal_id": company_data["default_journal_sale"].id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": cls.product_a.id,
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def _history(cls):
        """2023: nothing. 2024: Jan 1000, Jul 2000. 2025: Jan 1000, Jul 2000 - refund 500, Dec 600 EUR at 3 = 200."""
        cls._invoice(date(2024, 1, 10), 1000.0)
        cls._invoice(date(2024, 7, 10), 2000.0)
        cls._invoice(date(2025, 1, 10), 1000.0)
        cls._invoice(date(2025, 7, 5), 2000.0)
        cls._invoice(date(2025, 7, 20), 500.0, move_type="out_refund")
        cls._invoice(date(2025, 12, 10), 600.0, currency=cls.eur)
        # Another company's sales and a draft invoice are ignored.
        cls._invoice(date(2025, 3, 10), 5000.0, company_data=cls.other_company_data, user=cls.env.user)
        cls._invoice(date(2025, 4, 10), 7000.0, post=False)

    def _plan(self, **vals):
        return self.env["sales.quota.plan"].create(
            {"year": 2026, "company_id": self.company.id, "team_id": self.team.id, "sales_target": 57000.0, **vals}
        )

    def _lines(self, plan, **domain):
        terms = [("plan_id", "=", plan.id)] + [(k, "=", v) for k, v in domain.items()]
        return self.env["sales.quota.line"].search(terms)

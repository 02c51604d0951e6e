from datetime import date, datetime, time

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.tests import new_test_user

# The hand-worked month: October 2026, 22 weekdays less the public holiday of 1 October.
MONTH_START = date(2026, 10, 1)
MONTH_END = date(2026, 10, 31)


class ScorecardCase(AccountTestInvoicingCommon):
    """One rep's October 2026, worked by hand: invoices, payments, visits, complaints, forecasts.

    Ruth (team East, area East China) sells 5000 to Alder (a customer since 2025), 2000 to
    Birch (new in October: his first invoice) and 1000 to Carl, whom she met at Alder's as
    their buyer (no new customer). Alder pays 5000 and Birch 1000 in October.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        user_vals = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.rep = new_test_user(
            cls.env, login="sm_sc_rep", name="Rep Ruth", groups="sales_team.group_sale_salesman", **user_vals
        )
        cls.rep2 = new_test_user(
            cls.env, login="sm_sc_rep2", name="Rep Ray", groups="sales_team.group_sale_salesman", **user_vals
        )
        cls.manager = new_test_user(
            cls.env,
            login="sm_sc_manager",
            name="Manager Mei",
            groups="sales_team.group_sale_salesman_all_leads",
            **user_vals,
        )
        cls.admin = new_test_user(
            cls.env,
            login="sm_sc_admin",
            name="Admin Ann",
            groups="sales_team.group_sale_manager,base.group_system",
            **user_vals,
        )
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Mon-Fri 8-17 UTC",
                "tz": "UTC",
                "company_id": cls.company.id,
                "attendance_ids": [
                    Command.create({"name": f"Day {day}", "dayofweek": str(day), "hour_from": 8, "hour_to": 17})
                    for day in range(5)
                ],
            }
        )
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "National Day",
                "calendar_id": cls.calendar.id,
                "company_id": cls.company.id,
                "date_from": datetime(2026, 10, 1, 0, 0),
                "date_to": datetime(2026, 10, 1, 23, 59),
            }
        )
        cls.company.write(
            {
                "resource_calendar_id": cls.calendar.id,
                "sales_new_customer_basis": "invoice",
                "sales_new_customer_target": 5,
                "complaint_deadline_mode": "calendar",
            }
        )
        cls.area = cls.env["sales.area"].create({"name": "East China", "code": "EC", "company_id": cls.company.id})
        cls.team = cls.env["crm.team"].create(
            {
                "name": "East",
                "company_id": cls.company.id,
                "user_id": cls.manager.id,
                "area_id": cls.area.id,
                "member_ids": [Command.set((cls.rep | cls.rep2).ids)],
            }
        )
        Partner = cls.env["res.partner"]
        cls.alder = Partner.create({"name": "Alder Ltd", "is_company": True, "user_id": cls.rep.id})
        cls.birch = Partner.create({"name": "Birch Ltd", "is_company": True, "user_id": cls.rep.id})
        cls.birch_buyer = Partner.create({"name": "Bo Birch", "parent_id": cls.birch.id})
        cls.carl = Partner.create({"name": "Carl Buyer", "user_id": cls.rep.id})
        cls.dogwood = Partner.create({"name": "Dogwood Ltd", "is_company": True, "user_id": cls.rep.id})
        cls.elm = Partner.create({"name": "Elm Ltd", "is_company": True, "user_id": cls.rep2.id})

    # ------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------

    @classmethod
    def _invoice(cls, partner, when, amount, user=None, move_type="out_invoice"):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": when,
                "date": when,
                # Due the day it is issued: the collection plan of its month holds it.
                "invoice_payment_term_id": False,
                "invoice_date_due": when,
                "invoice_user_id": (user or cls.rep).id,
                "team_id": cls.team.id,
                "journal_id": cls.company_data["default_journal_sale"].id,
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
        move.action_post()
        return move

    @classmethod
    def _pay(cls, invoice, when, amount):
        cls.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"payment_date": when, "amount": amount}
        )._create_payments()

    @classmethod
    def _plan(cls, year=2026, lines=()):
        """A confirmed company-wide plan with the given month lines (dicts of line values)."""
        plan = cls.env["sales.quota.plan"].create({"year": year, "company_id": cls.company.id, "sales_target": 1.0})
        cls.env["sales.quota.line"].create(
            [
                {
                    "plan_id": plan.id,
                    "breakdown": "salesperson",
                    "period_level": "month",
                    "team_id": cls.team.id,
                    **vals,
                }
                for vals in lines
            ]
        )
        plan.with_user(cls.manager).action_confirm()
        return plan

    @classmethod
    def _visit(cls, partner, day, state="done", user=None, **vals):
        visit = cls.env["sales.visit"].create(
            {"partner_id": partner.id, "date": day, "user_id": (user or cls.rep).id, **vals}
        )
        if state != "planned":
            visit.write({"state": state, "reason": "Customer closed" if state != "done" else False})
        return visit

    @classmethod
    def _complaint(cls, partner, received, acknowledged=None, state="acknowledged", **vals):
        complaint = cls.env["sales.complaint"].create(
            {
                "partner_id": partner.id,
                "category_id": cls.env.ref("sales_management.complaint_category_delivery").id,
                "date_received": datetime.combine(received, time(10, 0)),
                "user_id": cls.rep.id,
                **vals,
            }
        )
        if acknowledged:
            complaint.write({"date_acknowledged": datetime.combine(acknowledged, time(9, 0))})
        if state == "rejected":
            complaint.write({"rejection_reason": "Not our product", "state": "rejected"})
        elif state != "new":
            complaint.write({"state": state})
        return complaint

    @classmethod
    def _hand_worked_month(cls):
        """Everything Ruth did in October 2026 (see the class docstring and test_scorecard)."""
        cls._invoice(cls.alder, date(2025, 6, 10), 900.0)  # Alder is a customer since 2025
        alder = cls._invoice(cls.alder, date(2026, 10, 5), 5000.0)
        birch = cls._invoice(cls.birch_buyer, date(2026, 10, 8), 2000.0)  # counts for Birch
        cls._invoice(cls.carl, date(2026, 10, 9), 1000.0)
        cls._pay(alder, date(2026, 10, 20), 5000.0)
        cls._pay(birch, date(2026, 10, 25), 1000.0)
        cls.env["sales.credit.collection"]._generate(MONTH_START, cls.company)
        # Ruth: target 10000 and 4 new customers in October; Ray: target 5000.
        cls.plan = cls._plan(
            lines=[
                {
                    "user_id": cls.rep.id,
                    "date_from": MONTH_START,
                    "date_to": MONTH_END,
                    "target_amount": 10000.0,
                    "new_customer_target": 4,
                },
                {"user_id": cls.rep2.id, "date_from": MONTH_START, "date_to": MONTH_END, "target_amount": 5000.0},
            ]
        )
        # Visits: a plan of 8, of which 6 done, 1 missed, 1 cancelled; and one unplanned visit.
        visit_plan = cls.env["sales.visit.plan"].create(
            {"user_id": cls.rep.id, "company_id": cls.company.id, "date_from": MONTH_START, "date_to": MONTH_END}
        )
        days = [date(2026, 10, d) for d in (5, 6, 7, 12, 13, 14, 19, 20)]
        states = ["done"] * 6 + ["missed", "cancelled"]
        customers = [cls.alder, cls.birch, cls.alder, cls.dogwood, cls.alder, cls.birch, cls.alder, cls.dogwood]
        for day, state, customer in zip(days, states, customers, strict=True):
            extra = {"contact_id": cls.carl.id} if day.day == 5 else {}
            cls._visit(customer, day, state=state, plan_id=visit_plan.id, **extra)
        cls._visit(cls.birch, date(2026, 10, 27), is_unplanned=True)
        # Complaints of Ruth's customers: on time, late, pending, and a rejected one.
        cls._complaint(cls.alder, date(2026, 10, 5), acknowledged=date(2026, 10, 6))
        cls._complaint(cls.birch, date(2026, 10, 12), acknowledged=date(2026, 10, 20))
        cls._complaint(cls.alder, date(2026, 10, 26), state="new")
        cls._complaint(cls.dogwood, date(2026, 10, 14), state="rejected")
        # Forecasts: Alder 6000 (bought 5000), Birch 1000 (bought 2000), Dogwood 1000 (bought nothing).
        cls.env["sales.customer.forecast"].create(
            [
                {"date": MONTH_START, "partner_id": partner.id, "user_id": cls.rep.id, "forecast_amount": amount}
                for partner, amount in ((cls.alder, 6000.0), (cls.birch, 1000.0), (cls.dogwood, 1000.0))
            ]
        )

    def _compute(self, period_type="month", date_from=MONTH_START, date_to=MONTH_END, users=None):
        Scorecard = self.env["sales.rep.scorecard"].sudo().with_company(self.company)
        Scorecard._compute_scorecards(users or (self.rep | self.rep2), period_type, date_from, date_to)
        return Scorecard.search(
            [("company_id", "=", self.company.id), ("period_type", "=", period_type), ("date_from", "=", date_from)]
        )

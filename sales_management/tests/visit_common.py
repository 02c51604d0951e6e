import datetime

from odoo import Command
from odoo.tests import new_test_user

from .common import SalesManagementCase


class VisitCase(SalesManagementCase):
    """Fixtures of the visit tests: a Monday-to-Friday calendar, reps' customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Visits 5 days",
                "tz": "UTC",
                "company_id": cls.company.id,
                "attendance_ids": [
                    Command.create(
                        {"name": f"Day {day} {period}", "dayofweek": str(day), "hour_from": start, "hour_to": end}
                    )
                    for day in range(5)
                    for period, start, end in (("am", 8, 12), ("pm", 13, 17))
                ],
            }
        )
        cls.company.resource_calendar_id = cls.calendar
        cls.user_rep2 = new_test_user(cls.env, login="sm_rep2", name="Rep Rob", groups="sales_team.group_sale_salesman")
        cls.customers = cls.env["res.partner"].create(
            [{"name": f"Visit Customer {n}", "is_company": True, "visit_user_id": cls.user_rep.id} for n in range(4)]
        )

    @classmethod
    def _visit(cls, partner, day, user=None, state="done", **vals):
        visit = cls.env["sales.visit"].create(
            {"partner_id": partner.id, "date": day, "user_id": (user or cls.user_rep).id, **vals}
        )
        if state != "planned":
            visit.write({"state": state, "reason": vals.get("reason") or ("test" if state != "done" else False)})
        return visit

    @classmethod
    def _holiday(cls, day):
        return cls.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": cls.calendar.id,
                "company_id": cls.company.id,
                "date_from": datetime.datetime.combine(day, datetime.time(0, 0)),
                "date_to": datetime.datetime.combine(day, datetime.time(23, 59)),
            }
        )

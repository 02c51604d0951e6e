from datetime import datetime

from odoo import Command
from odoo.tests import new_test_user

from .common import SalesManagementCase


class ComplaintCase(SalesManagementCase):
    """Complaint fixtures: a Mon-Fri UTC schedule, customers of two reps, categories."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Complaint = cls.env["sales.complaint"]
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
        cls.company.write(
            {
                "resource_calendar_id": cls.calendar.id,
                "complaint_deadline_mode": "calendar",
                "complaint_repeat_days": 90,
            }
        )
        cls.quality = cls.env.ref("sales_management.complaint_category_quality")
        cls.delivery = cls.env.ref("sales_management.complaint_category_delivery")
        (cls.quality | cls.delivery).write({"reply_days": 3, "onsite_days": 5})
        cls.user_rep2 = new_test_user(cls.env, login="sm_rep2", name="Rep Rob", groups="sales_team.group_sale_salesman")
        cls.user_after_sales = new_test_user(
            cls.env,
            login="sm_after_sales",
            name="After-Sales Ali",
            groups="base.group_user,sales_management.group_sales_management_after_sales",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Ruth's Customer", "is_company": True, "user_id": cls.user_rep.id}
        )
        cls.customer_contact = cls.env["res.partner"].create(
            {"name": "Buyer Bo", "parent_id": cls.customer.id, "type": "contact"}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Rob's Customer", "is_company": True, "user_id": cls.user_rep2.id}
        )
        cls.product = cls.env["product.product"].create({"name": "Oak Table", "list_price": 100.0})
        cls.product_b = cls.env["product.product"].create({"name": "Oak Chair", "list_price": 40.0})
        cls.team = cls.env["crm.team"].create(
            {"name": "After-sales Team", "user_id": cls.user_manager.id, "company_id": cls.company.id}
        )

    @classmethod
    def _complaint(cls, **values):
        vals = {
            "partner_id": cls.customer.id,
            "category_id": cls.delivery.id,
            # Friday 2026-09-25, 10:00 UTC.
            "date_received": datetime(2026, 9, 25, 10, 0),
            "product_id": cls.product.id,
            "user_id": cls.user_rep.id,
            "team_id": cls.team.id,
        }
        vals.update(values)
        return cls.env["sales.complaint"].create(vals)

    @classmethod
    def _national_day(cls):
        """Public holiday Thu 2026-10-01 .. Wed 2026-10-07 as a global leave of the schedule."""
        return cls.env["resource.calendar.leaves"].create(
            {
                "name": "National Day",
                "calendar_id": cls.calendar.id,
                "company_id": cls.company.id,
                "date_from": datetime(2026, 10, 1, 0, 0),
                "date_to": datetime(2026, 10, 7, 23, 59),
                "resource_id": False,
            }
        )

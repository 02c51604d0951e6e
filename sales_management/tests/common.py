from odoo.tests import TransactionCase, new_test_user


class SalesManagementCase(TransactionCase):
    """Shared fixtures: one user per level of Sales, an internal user without Sales
    rights and a credit controller."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.user_rep = new_test_user(
            cls.env,
            login="sm_rep",
            name="Rep Ruth",
            groups="sales_team.group_sale_salesman",
        )
        cls.user_internal = new_test_user(
            cls.env,
            login="sm_internal",
            name="Internal Ivy",
            groups="base.group_user",
        )
        cls.user_manager = new_test_user(
            cls.env,
            login="sm_manager",
            name="Manager Mei",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        cls.user_admin = new_test_user(
            cls.env,
            login="sm_admin",
            name="Admin Ann",
            groups="sales_team.group_sale_manager,base.group_system",
        )
        cls.user_credit = new_test_user(
            cls.env,
            login="sm_credit",
            name="Credit Chen",
            groups="base.group_user,sales_management.group_sales_management_credit",
        )

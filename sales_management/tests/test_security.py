from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SalesManagementCase


@tagged("post_install", "-at_install")
class TestGroupLadder(SalesManagementCase):
    def test_sales_ladder_implies_ours(self):
        """Each level of the Sales ladder gives the same level here, no extra click."""
        self.assertTrue(self.user_rep.has_group("sales_management.group_sales_management_user"))
        self.assertFalse(self.user_rep.has_group("sales_management.group_sales_management_user_all"))
        self.assertTrue(self.user_manager.has_group("sales_management.group_sales_management_user_all"))
        self.assertFalse(self.user_manager.has_group("sales_management.group_sales_management_manager"))
        self.assertTrue(self.user_admin.has_group("sales_management.group_sales_management_manager"))
        self.assertTrue(self.user_admin.has_group("sales_management.group_sales_management_user"))

    def test_ours_do_not_imply_credit(self):
        for user in (self.user_rep, self.user_manager, self.user_admin):
            self.assertFalse(user.has_group("sales_management.group_sales_management_credit"), user.login)

    def test_credit_controller_sits_with_invoicing(self):
        self.assertTrue(self.user_credit.has_group("account.group_account_invoice"))
        self.assertTrue(self.user_credit.has_group("sales_management.group_sales_management_user"))
        self.assertFalse(self.user_credit.has_group("sales_management.group_sales_management_manager"))

    def test_billing_administrator_is_credit_controller(self):
        accountant = self.env["res.users"].create(
            {
                "name": "Accountant Amy",
                "login": "sm_accountant",
                "groups_id": [(6, 0, [self.env.ref("account.group_account_manager").id])],
            }
        )
        self.assertTrue(accountant.has_group("sales_management.group_sales_management_credit"))

    def test_admin_user_has_administrator_and_credit_controller(self):
        admin = self.env.ref("base.user_admin")
        self.assertTrue(admin.has_group("sales_management.group_sales_management_manager"))
        self.assertTrue(admin.has_group("sales_management.group_sales_management_credit"))

    def test_one_category(self):
        category = self.env.ref("sales_management.module_category_sales_management")
        groups = self.env["res.groups"].search([("category_id", "=", category.id)])
        self.assertEqual(
            set(groups.get_external_id().values()),
            {
                "sales_management.group_sales_management_user",
                "sales_management.group_sales_management_user_all",
                "sales_management.group_sales_management_manager",
                "sales_management.group_sales_management_credit",
                "sales_management.group_sales_management_after_sales",
            },
        )


@tagged("post_install", "-at_install")
class TestMenus(SalesManagementCase):
    def _visible_menus(self, user):
        menus = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        return set(self.env["ir.ui.menu"].browse(menus).get_external_id().values())

    def test_configuration_only_for_administrators(self):
        config = "sales_management.sales_management_menu_config"
        self.assertNotIn(config, self._visible_menus(self.user_rep))
        self.assertNotIn(config, self._visible_menus(self.user_manager))
        self.assertIn(config, self._visible_menus(self.user_admin))


@tagged("post_install", "-at_install")
class TestCreditIsTheControllers(SalesManagementCase):
    """A user with only User: Own Documents cannot reach the Credit Controller's menus or models."""

    def _visible_menus(self, user):
        menus = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        return set(self.env["ir.ui.menu"].browse(menus).get_external_id().values())

    def test_credit_controller_menus_hidden(self):
        controller_menus = {
            "sales_management.sales_credit_account_menu",
            "sales_management.sales_credit_grade_menu",
            "sales_management.sales_credit_policy_menu",
        }
        self.assertFalse(controller_menus & self._visible_menus(self.user_rep_only))
        self.assertIn("sales_management.sales_credit_account_menu", self._visible_menus(self.user_credit))

    def test_credit_controller_models_refused(self):
        grade = self.env.ref("sales_management.sales_credit_grade_a")
        customer = self.env["res.partner"].create({"name": "Guarded Customer", "is_company": True})
        with self.assertRaises(AccessError):
            grade.with_user(self.user_rep_only).write({"credit_limit": 1.0})
        with self.assertRaises(AccessError):
            self.env["sales.credit.history"].with_user(self.user_rep_only).create(
                {"partner_id": customer.id, "company_id": self.company.id, "change_type": "hold"}
            )
        with self.assertRaises(AccessError):
            customer.with_user(self.user_rep).write({"credit_limit": 1000.0})
        with self.assertRaises(AccessError):
            customer.with_user(self.user_rep).write({"credit_hold": True, "credit_hold_reason": "x"})
        customer.with_user(self.user_credit).write({"credit_limit": 1000.0})
        self.assertEqual(customer.credit_limit, 1000.0)

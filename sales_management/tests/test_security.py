from odoo.addons.base.models.res_users import name_selection_groups
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import SalesManagementCase

CREDIT = "sales_management.group_sales_management_credit"
AFTER_SALES = "sales_management.group_sales_management_after_sales"


@tagged("post_install", "-at_install")
class TestRoles(SalesManagementCase):
    """Reps, managers and administrators are Sales' own groups; Credit Controller and
    After-Sales are choices of their own that nothing implies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # An administrator as the one who opens Settings > Users: no developer mode.
        cls.settings_admin = new_test_user(
            cls.env,
            login="sm_settings_admin",
            name="Settings Sam",
            groups="base.group_system,base.group_partner_manager",
        )
        cls.sales_groups = (
            cls.env.ref("sales_team.group_sale_salesman")
            | cls.env.ref("sales_team.group_sale_salesman_all_leads")
            | cls.env.ref("sales_team.group_sale_manager")
        )
        cls.credit = cls.env.ref(CREDIT)
        cls.after_sales = cls.env.ref(AFTER_SALES)

    def _user_form(self, user=None):
        self.assertFalse(self.settings_admin.has_group("base.group_no_one"))
        users = self.env["res.users"].with_user(self.settings_admin)
        return Form(user.with_user(self.settings_admin) if user else users, view="base.view_users_form")

    def _assert_rep_only(self, user):
        self.assertTrue(user.has_group("sales_team.group_sale_salesman"))
        self.assertFalse(user.has_group("sales_team.group_sale_salesman_all_leads"))
        self.assertFalse(user.has_group("sales_team.group_sale_manager"))
        self.assertFalse(user.has_group(CREDIT))
        # ... and what the rights mean: no plans to manage, no configuration.
        with self.assertRaises(AccessError):
            self.env["sales.quota.plan"].with_user(user).create({"name": "Mine", "year": 2030})
        with self.assertRaises(AccessError):
            self.env["sales.credit.grade"].with_user(user).create({"name": "Z", "min_score": 1})
        config = "sales_management.sales_management_menu_config"
        self.assertNotIn(config, self._visible_menus(user))

    def _visible_menus(self, user):
        menus = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        return set(self.env["ir.ui.menu"].browse(menus).get_external_id().values())

    def test_old_ladder_is_gone(self):
        for xmlid in (
            "sales_management.group_sales_management_user",
            "sales_management.group_sales_management_user_all",
            "sales_management.group_sales_management_manager",
        ):
            self.assertFalse(self.env.ref(xmlid, raise_if_not_found=False), xmlid)

    def test_nothing_implies_the_addon_roles(self):
        for group in (self.credit, self.after_sales):
            implying = self.env["res.groups"].search([("implied_ids", "in", group.ids)])
            self.assertFalse(implying, group.name)
            self.assertNotIn(group, self.env.ref("base.default_user").groups_id)
        for user in (self.user_rep, self.user_manager, self.user_admin):
            self.assertFalse(user.has_group(CREDIT), user.login)
            self.assertFalse(user.has_group(AFTER_SALES), user.login)

    def test_invoicing_administrator_is_not_credit_controller(self):
        accountant = self.env["res.users"].create(
            {
                "name": "Accountant Amy",
                "login": "sm_accountant",
                "groups_id": [(6, 0, [self.env.ref("account.group_account_manager").id])],
            }
        )
        self.assertFalse(accountant.has_group(CREDIT))

    def test_credit_controller_sits_with_invoicing(self):
        self.assertTrue(self.user_credit.has_group("account.group_account_invoice"))
        self.assertFalse(self.user_credit.has_group("sales_team.group_sale_salesman"))

    def test_admin_user_is_sales_administrator_and_credit_controller(self):
        admin = self.env.ref("base.user_admin")
        self.assertTrue(admin.has_group("sales_team.group_sale_manager"))
        self.assertTrue(admin.has_group(CREDIT))

    def test_each_role_is_a_selection_outside_developer_mode(self):
        kinds = {app: kind for app, kind, _groups, _name in self.env["res.groups"].get_groups_by_application()}
        for group in (self.credit, self.after_sales):
            self.assertEqual(kinds[group.category_id], "selection", group.name)
        view = self.env.ref("base.view_users_form")
        views = self.env["res.users"].with_user(self.settings_admin).get_views([(view.id, "form")])
        arch = views["views"]["form"]["arch"]
        for group in (self.credit, self.after_sales):
            field = name_selection_groups(group.ids)
            self.assertIn(f'name="{field}"', arch)
            # Shown for internal users, not hidden like the developer-mode checkboxes.
            self.assertNotIn(f'name="{field}" invisible="True"', arch)

    def test_new_user_lowered_to_own_documents_keeps_nothing_higher(self):
        """As in Settings > Users: the template makes him Sales and Invoicing administrator."""
        template = self.env.ref("base.default_user")
        self.assertIn(self.env.ref("sales_team.group_sale_manager"), template.groups_id)
        self.assertIn(self.env.ref("account.group_account_manager"), template.groups_id)
        with self._user_form() as form:
            form.name = "New Nina"
            form.login = "sm_new_nina"
            sales_field = name_selection_groups(self.sales_groups.ids)
            self.assertEqual(form[sales_field], self.env.ref("sales_team.group_sale_manager").id)
            self.assertFalse(form[name_selection_groups(self.credit.ids)])
            form[sales_field] = self.env.ref("sales_team.group_sale_salesman").id
        user = form.record
        self.assertTrue(user.has_group("account.group_account_manager"))
        self._assert_rep_only(user)
        # Lowered later on an existing user: the same.
        boss = self.env["res.users"].with_user(self.settings_admin).create({"name": "Boss Bea", "login": "sm_bea"})
        self.assertTrue(boss.has_group("sales_team.group_sale_manager"))
        with self._user_form(boss) as form:
            form[sales_field] = self.env.ref("sales_team.group_sale_salesman").id
        self._assert_rep_only(boss)

    def test_credit_controller_granted_on_the_form(self):
        with self._user_form() as form:
            form.name = "Controller Cai"
            form.login = "sm_controller_cai"
            form[name_selection_groups(self.sales_groups.ids)] = False
            form[name_selection_groups(self.credit.ids)] = self.credit.id
        user = form.record
        self.assertTrue(user.has_group(CREDIT))
        self.assertFalse(user.has_group("sales_team.group_sale_salesman"))
        self.assertIn("sales_management.sales_credit_account_menu", self._visible_menus(user))
        # Taken away the same way, with nothing left behind.
        with self._user_form(user) as form:
            form[name_selection_groups(self.credit.ids)] = False
        self.assertFalse(user.has_group(CREDIT))

    def test_after_sales_granted_on_the_form(self):
        with self._user_form() as form:
            form.name = "After-Sales Ada"
            form.login = "sm_after_sales_ada"
            form[name_selection_groups(self.sales_groups.ids)] = False
            form[name_selection_groups(self.after_sales.ids)] = self.after_sales.id
        user = form.record
        self.assertTrue(user.has_group(AFTER_SALES))
        self.assertFalse(user.has_group("sales_team.group_sale_salesman"))
        self.assertIn("sales_management.sales_complaint_menu", self._visible_menus(user))
        self.assertNotIn("sales_management.sales_visit_menu", self._visible_menus(user))

    def test_credit_controller_reads_orders_and_customers_without_being_a_rep(self):
        customer = self.env["res.partner"].create({"name": "Read Me", "is_company": True})
        order = self.env["sale.order"].create({"partner_id": customer.id})
        order_as_controller = order.with_user(self.user_credit)
        self.assertEqual(order_as_controller.read(["partner_credit_hold", "amount_total"])[0]["id"], order.id)
        self.assertEqual(order_as_controller.order_line.ids, [])
        self.assertEqual(customer.with_user(self.user_credit).read(["credit_hold"])[0]["credit_hold"], False)
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.user_credit).create({"partner_id": customer.id})
        with self.assertRaises(AccessError):
            self.env["sales.visit"].with_user(self.user_credit).search([])


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
    """An internal user without Sales rights cannot reach the Credit Controller's menus or models."""

    def _visible_menus(self, user):
        menus = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        return set(self.env["ir.ui.menu"].browse(menus).get_external_id().values())

    def test_credit_controller_menus_hidden(self):
        controller_menus = {
            "sales_management.sales_credit_account_menu",
            "sales_management.sales_credit_grade_menu",
            "sales_management.sales_credit_policy_menu",
        }
        self.assertFalse(controller_menus & self._visible_menus(self.user_internal))
        self.assertFalse(controller_menus & self._visible_menus(self.user_rep))
        self.assertIn("sales_management.sales_credit_account_menu", self._visible_menus(self.user_credit))

    def test_credit_controller_models_refused(self):
        grade = self.env.ref("sales_management.sales_credit_grade_a")
        customer = self.env["res.partner"].create({"name": "Guarded Customer", "is_company": True})
        with self.assertRaises(AccessError):
            grade.with_user(self.user_internal).write({"credit_limit": 1.0})
        with self.assertRaises(AccessError):
            grade.with_user(self.user_rep).write({"credit_limit": 1.0})
        with self.assertRaises(AccessError):
            self.env["sales.credit.history"].with_user(self.user_rep).create(
                {"partner_id": customer.id, "company_id": self.company.id, "change_type": "hold"}
            )
        with self.assertRaises(AccessError):
            customer.with_user(self.user_rep).write({"credit_limit": 1000.0})
        with self.assertRaises(AccessError):
            customer.with_user(self.user_rep).write({"credit_hold": True, "credit_hold_reason": "x"})
        customer.with_user(self.user_credit).write({"credit_limit": 1000.0})
        self.assertEqual(customer.credit_limit, 1000.0)

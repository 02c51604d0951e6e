from odoo import Command, api
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .credit_common import CreditCase
from .rpc_common import JsonRpcMixin


class CreditIdentityCase(CreditCase):
    """A limited customer with a contact, watched customers of every kind, clean ones,
    a rep and an Invoicing administrator who may create and edit contacts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.setup_other_company(name="Identity Company 2")["company"]
        both = {"company_id": cls.company.id, "company_ids": [Command.set((cls.company | cls.company_2).ids)]}
        # A rep as Settings > Users makes him (he may create contacts), and an
        # accountant who sees the credit limit field but is no Credit Controller.
        cls.rep = new_test_user(
            cls.env,
            login="sm_id_rep",
            name="Rep Rick",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
            **both,
        )
        cls.accountant = new_test_user(
            cls.env,
            login="sm_id_accountant",
            name="Accountant Ada",
            groups="account.group_account_manager,base.group_partner_manager",
            **both,
        )
        cls.controller = cls.user_credit
        cls.controller.sudo().write(
            {
                "company_ids": [Command.link(cls.company_2.id)],
                "groups_id": [Command.link(cls.env.ref("base.group_partner_manager").id)],
            }
        )
        cls.contact = cls.env["res.partner"].create({"name": "Buyer Bea", "parent_id": cls.customer.id})
        cls.clean_company = cls.env["res.partner"].create({"name": "Clean Co", "is_company": True})
        cls.other_clean = cls.env["res.partner"].create({"name": "Other Clean Co", "is_company": True})
        # Watched without a limit: open receivables, a hold, a grade.
        cls.indebted = cls.env["res.partner"].create({"name": "Indebted Co", "is_company": True})
        cls._invoice(500, partner=cls.indebted, due_days=30)
        cls.held = cls.env["res.partner"].create({"name": "Held Co", "is_company": True})
        cls.held.with_user(cls.controller).write({"credit_hold": True, "credit_hold_reason": "Dispute"})
        cls.held_contact = cls.env["res.partner"].create({"name": "Held Contact", "parent_id": cls.held.id})
        cls.graded = cls.env["res.partner"].create({"name": "Graded Co", "is_company": True})
        cls.graded.with_user(cls.controller).write(
            {
                "credit_grade_id": cls.env.ref("sales_management.sales_credit_grade_d").id,
                "credit_override_reason": "New and unknown",
            }
        )

    def _limits(self, partner):
        """The limit stored per company, read from the database."""
        self.env.flush_all()
        self.env.cr.execute("SELECT credit_limit FROM res_partner WHERE id = %s", [partner.id])
        return self.env.cr.fetchone()[0] or {}

    def _count(self, name):
        return self.env["res.partner"].with_context(active_test=False).search_count([("name", "=", name)])


@tagged("post_install", "-at_install")
class TestCreditLimitOnCreate(CreditIdentityCase):
    """Class 8: the limit and the credit status are refused on create and import as on write."""

    def test_create_with_limit_refused(self):
        for user in (self.rep, self.accountant):
            with self.subTest(user=user.login), self.assertRaises(AccessError) as refused:
                self.env["res.partner"].with_user(user).create(
                    {"name": "Sneaky Co", "is_company": True, "credit_limit": 5000.0}
                )
            self.assertIn("Only Credit Controllers", str(refused.exception))
        self.assertEqual(self._count("Sneaky Co"), 0)

    def test_create_with_credit_status_refused(self):
        values = [
            {"credit_hold": True, "credit_hold_reason": "x"},
            {"credit_grade_id": self.env.ref("sales_management.sales_credit_grade_aaa").id},
            {"is_credit_grade_override": True, "credit_override_reason": "x"},
            {"credit_financial_strength": 100.0},
        ]
        for vals in values:
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                self.env["res.partner"].with_user(self.rep).create({"name": "Status Co", "is_company": True, **vals})
        self.assertEqual(self._count("Status Co"), 0)

    def test_form_values_still_create(self):
        """The partner form of an accountant sends the default limit and its checkbox."""
        partner = (
            self.env["res.partner"]
            .with_user(self.accountant)
            .create({"name": "Form Co", "is_company": True, "credit_limit": 0.0, "use_partner_credit_limit": False})
        )
        self.assertEqual(partner.credit_limit, 0.0)
        with Form(self.env["res.partner"].with_user(self.accountant)) as form:
            form.name = "Real Form Co"
            form.company_type = "company"
        self.assertEqual(form.record.credit_limit, 0.0)
        # Writing the limit it already has changes nothing and is allowed.
        self.customer.with_user(self.accountant).write({"credit_limit": 1000.0, "use_partner_credit_limit": True})
        self.assertEqual(self.customer.credit_limit, 1000.0)

    def test_context_default_refused(self):
        Partner = self.env["res.partner"].with_user(self.rep)
        with self.assertRaises(AccessError):
            Partner.with_context(default_credit_limit=5000.0).create({"name": "Default Co", "is_company": True})
        with self.assertRaises(AccessError):
            Partner.with_context(default_credit_limit=5000.0).name_create("Default Co")
        with self.assertRaises(AccessError):
            Partner.with_context(default_credit_hold=True, default_credit_hold_reason="x").name_create("Default Co")
        self.assertEqual(self._count("Default Co"), 0)

    def test_users_own_default_not_applied(self):
        """A user may give himself default values: a credit limit is not kept."""
        field = self.env["ir.model.fields"]._get("res.partner", "credit_limit")
        for user in (self.rep, self.accountant):
            self.env["ir.default"].with_user(user).create(
                {"field_id": field.id, "json_value": "5000.0", "user_id": user.id}
            )
            partner = (
                self.env["res.partner"]
                .with_user(user)
                .create({"name": f"Own Default {user.login}", "is_company": True})
            )
            self.assertEqual(self._limits(partner), {})
            partner.invalidate_recordset()
            self.assertEqual(partner.with_user(self.controller).credit_limit, 0.0)

    def test_copy_with_limit_refused(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.rep).copy({"name": "Copied Co", "credit_limit": 5000.0})
        self.assertEqual(self._count("Copied Co"), 0)
        # A plain copy starts without the limit (credit_limit is not copied).
        copy = self.customer.with_user(self.rep).copy({"name": "Copied Co"})
        self.assertEqual(copy.sudo().credit_limit, 0.0)

    def test_contact_with_limit_refused(self):
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.rep).create(
                {"name": "Limited Contact", "parent_id": self.clean_company.id, "credit_limit": 9999.0}
            )
        self.assertEqual(self._count("Limited Contact"), 0)
        # Contacts are created as usual; their credit is their company's.
        contact = (
            self.env["res.partner"].with_user(self.rep).create({"name": "New Buyer", "parent_id": self.customer.id})
        )
        self.assertEqual(contact.commercial_partner_id, self.customer)

    def test_other_company_refused(self):
        other = self.customer.with_user(self.rep).with_company(self.company_2)
        with self.assertRaises(AccessError):
            other.write({"credit_limit": 5000.0})
        with self.assertRaises(AccessError):
            self.customer.with_user(self.rep).with_context(
                allowed_company_ids=[self.company_2.id, self.company.id]
            ).write({"credit_limit": 5000.0})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.rep).with_company(self.company_2).create(
                {"name": "Elsewhere Co", "is_company": True, "credit_limit": 5000.0}
            )
        self.assertNotIn(str(self.company_2.id), self._limits(self.customer))
        self.assertEqual(self._count("Elsewhere Co"), 0)

    def test_import_refused(self):
        for user in (self.rep, self.accountant):
            with self.subTest(user=user.login):
                Partner = self.env["res.partner"].with_user(user)
                result = Partner.load(["name", "is_company", "credit_limit"], [["Imported Co", "1", "5000"]])
                self.assertFalse(result["ids"])
                self.assertIn("Only Credit Controllers", " ".join(m["message"] for m in result["messages"]))
                self.assertEqual(self._count("Imported Co"), 0)
                # ... nor on a customer already there.
                result = Partner.load([".id", "credit_limit"], [[str(self.customer.id), "99999"]])
                self.assertFalse(result["ids"])
                self.assertIn("Only Credit Controllers", " ".join(m["message"] for m in result["messages"]))
                self.assertEqual(self._limits(self.customer), {str(self.company.id): 1000.0})
        # Importing customers without a limit works.
        result = self.env["res.partner"].with_user(self.rep).load(["name", "is_company"], [["Imported Co", "1"]])
        self.assertTrue(result["ids"], result["messages"])

    def test_credit_controller_creates_with_limit_and_hold(self):
        partner = (
            self.env["res.partner"]
            .with_user(self.controller)
            .create(
                {
                    "name": "Controlled Co",
                    "is_company": True,
                    "credit_limit": 7000.0,
                    "credit_hold": True,
                    "credit_hold_reason": "Until the guarantee arrives",
                }
            )
        )
        self.assertEqual(partner.credit_limit, 7000.0)
        self.assertTrue(partner.credit_hold)
        history = self.env["sales.credit.history"].search([("partner_id", "=", partner.id)])
        self.assertEqual(sorted(history.mapped("change_type")), ["hold", "limit"])


@tagged("post_install", "-at_install")
class TestCreditHierarchy(CreditIdentityCase):
    """Class 7: who the customer is for credit (his commercial entity) is the Credit Controller's."""

    def _as_rep(self, records):
        # As in a request of his: x2many commands run as the request's user (uid_origin).
        return records.with_env(api.Environment(self.env.cr, self.rep.id, {}))

    def _assert_refused(self, partner, vals, exception=AccessError):
        before = {p: (p.parent_id, p.is_company, p.commercial_partner_id) for p in partner | partner.child_ids}
        with self.assertRaises(exception):
            self._as_rep(partner).write(vals)
        for record, state in before.items():
            record.invalidate_recordset()
            self.assertEqual((record.parent_id, record.is_company, record.commercial_partner_id), state)

    def test_contact_moved_out_of_limited_customer_refused(self):
        self._assert_refused(self.contact, {"parent_id": self.clean_company.id})
        self._assert_refused(self.contact, {"parent_id": False})
        self._assert_refused(self.contact, {"is_company": True})
        self._assert_refused(self.customer, {"child_ids": [Command.unlink(self.contact.id)]})
        self._assert_refused(self.clean_company, {"child_ids": [Command.link(self.contact.id)]})
        self.assertEqual(self.contact.commercial_partner_id, self.customer)

    def test_limited_customer_put_under_another_refused(self):
        self._assert_refused(self.customer, {"is_company": False, "parent_id": self.clean_company.id})
        # Still a company of its own under a parent: his credit stays his.
        self._as_rep(self.customer).write({"parent_id": self.clean_company.id})
        self.assertEqual(self.customer.commercial_partner_id, self.customer)
        self._assert_refused(self.customer, {"is_company": False})

    def test_watched_customers_without_limit_refused(self):
        self._assert_refused(self.indebted, {"is_company": False, "parent_id": self.customer.id})
        self._assert_refused(self.held_contact, {"parent_id": self.clean_company.id})
        self._assert_refused(self.graded, {"is_company": False, "parent_id": self.clean_company.id})

    def test_contact_made_company_and_back(self):
        self._assert_refused(self.contact, {"is_company": True})
        self.contact.with_user(self.controller).write({"is_company": True})
        self.assertEqual(self.contact.commercial_partner_id, self.contact)
        # He now carries the limit copied from his company: back only through a controller.
        self._assert_refused(self.contact, {"is_company": False})
        self.contact.with_user(self.controller).write({"is_company": False})
        self.assertEqual(self.contact.commercial_partner_id, self.customer)

    def test_commercial_entity_not_written_directly(self):
        self._assert_refused(self.contact, {"commercial_partner_id": self.contact.id}, UserError)
        self._assert_refused(self.clean_company, {"commercial_partner_id": self.customer.id}, UserError)
        # On create, Odoo computes it whatever is given.
        fake = self._as_rep(self.env["res.partner"]).create(
            {"name": "Fake Contact", "parent_id": self.customer.id, "commercial_partner_id": self.clean_company.id}
        )
        self.env.flush_all()
        self.env.cr.execute("SELECT commercial_partner_id FROM res_partner WHERE id = %s", [fake.id])
        self.assertEqual(self.env.cr.fetchone()[0], self.customer.id)

    def test_clean_partners_move_freely(self):
        self._as_rep(self.clean_company).write({"is_company": False, "parent_id": self.customer.id})
        self.assertEqual(self.clean_company.commercial_partner_id, self.customer)
        person = self.env["res.partner"].with_user(self.rep).create({"name": "Loose Lou"})
        person.write({"parent_id": self.other_clean.id})
        self.assertEqual(person.commercial_partner_id, self.other_clean)

    def test_credit_controller_moves_contacts(self):
        self.contact.with_user(self.controller).write({"parent_id": self.clean_company.id})
        self.assertEqual(self.contact.commercial_partner_id, self.clean_company)

    def _merge(self, user, partners, dst):
        partners.write({"email": "same@example.com"})
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(user)
            .create({"partner_ids": [Command.set(partners.ids)], "dst_partner_id": dst.id, "state": "selection"})
        )
        wizard.action_merge()

    def test_merge_watched_customer_refused(self):
        for partners, dst in (
            (self.customer | self.clean_company, self.clean_company),
            (self.customer | self.clean_company, self.customer),
            (self.held | self.other_clean, self.other_clean),
        ):
            with self.subTest(partners=partners.mapped("name")), self.assertRaises(AccessError) as refused:
                self._merge(self.rep, partners, dst)
            self.assertIn("Only a Credit Controller may merge", str(refused.exception))
            self.assertEqual(len(partners.exists()), 2)
        self.assertEqual(self.env["sales.credit.status"].search_count([("partner_id", "=", self.held.id)]), 1)
        self._merge(self.rep, self.clean_company | self.other_clean, self.other_clean)
        self.assertFalse(self.clean_company.exists())


@tagged("post_install", "-at_install")
class TestCreditIdentityRpc(CreditIdentityCase, JsonRpcMixin):
    """The same refusals over JSON-RPC, as the web client calls, with the rep's password."""

    def setUp(self):
        super().setUp()
        self.rpc_login("sm_id_rep")

    def test_rpc_create_and_import_refused(self):
        calls = [
            ("create", [{"name": "Rpc Co", "is_company": True, "credit_limit": 5000.0}], {}),
            ("create", [{"name": "Rpc Co", "parent_id": self.customer.id, "credit_limit": 5000.0}], {}),
            ("create", [{"name": "Rpc Co", "credit_hold": True, "credit_hold_reason": "x"}], {}),
            ("name_create", ["Rpc Co"], {"context": {"default_credit_limit": 5000.0}}),
            ("copy", [[self.customer.id], {"name": "Rpc Co", "credit_limit": 5000.0}], {}),
            ("write", [[self.customer.id], {"credit_limit": 1e9}], {}),
            (
                "write",
                [[self.customer.id], {"credit_limit": 1e9}],
                {"context": {"allowed_company_ids": [self.company_2.id, self.company.id]}},
            ),
        ]
        for method, args, kwargs in calls:
            with self.subTest(method=method, args=args, kwargs=kwargs):
                message = self.assertRpcRefused("res.partner", method, *args, **kwargs)
                self.assertIn("Only Credit Controllers", message)
        result = self.assertRpcOk("res.partner", "load", ["name", "credit_limit"], [["Rpc Co", "5000"]])
        self.assertFalse(result["ids"])
        self.assertEqual(self._count("Rpc Co"), 0)
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.credit_limit, 1000.0)
        self.assertEqual(self._limits(self.customer), {str(self.company.id): 1000.0})

    def test_rpc_own_default_not_applied(self):
        field = self.env["ir.model.fields"]._get("res.partner", "credit_limit")
        self.assertRpcOk("ir.default", "create", {"field_id": field.id, "json_value": "5000.0", "user_id": self.rep.id})
        partner_id = self.assertRpcOk("res.partner", "create", {"name": "Rpc Default Co", "is_company": True})
        self.assertEqual(self._limits(self.env["res.partner"].browse(partner_id)), {})

    def test_rpc_hierarchy_refused(self):
        calls = [
            (self.contact, {"parent_id": self.clean_company.id}, "odoo.exceptions.AccessError"),
            (self.contact, {"is_company": True}, "odoo.exceptions.AccessError"),
            (self.customer, {"is_company": False, "parent_id": self.clean_company.id}, "odoo.exceptions.AccessError"),
            (self.customer, {"child_ids": [Command.unlink(self.contact.id)]}, "odoo.exceptions.AccessError"),
            (self.contact, {"commercial_partner_id": self.contact.id}, "odoo.exceptions.UserError"),
        ]
        for partner, vals, exception in calls:
            with self.subTest(partner=partner.name, vals=vals):
                self.assertRpcRefused("res.partner", "write", [partner.id], vals, exception=exception)
        for partner in (self.contact, self.customer):
            partner.invalidate_recordset()
        self.assertEqual(self.contact.parent_id, self.customer)
        self.assertFalse(self.contact.is_company)
        self.assertEqual(self.contact.commercial_partner_id, self.customer)
        self.assertTrue(self.customer.is_company)
        self.assertFalse(self.customer.parent_id)
        # A new contact under the customer is the normal flow.
        contact_id = self.assertRpcOk("res.partner", "create", {"name": "Rpc Buyer", "parent_id": self.customer.id})
        self.assertEqual(self.env["res.partner"].browse(contact_id).commercial_partner_id, self.customer)

    def test_rpc_merge_refused(self):
        (self.customer | self.clean_company).write({"email": "same@example.com"})
        wizard_id = self.assertRpcOk(
            "base.partner.merge.automatic.wizard",
            "create",
            {
                "partner_ids": [Command.set((self.customer | self.clean_company).ids)],
                "dst_partner_id": self.clean_company.id,
                "state": "selection",
            },
        )
        self.assertRpcRefused("base.partner.merge.automatic.wizard", "action_merge", [wizard_id])
        self.assertEqual(len((self.customer | self.clean_company).exists()), 2)
        self.assertEqual(self.env["sale.order"].search_count([("partner_id", "=", self.clean_company.id)]), 0)

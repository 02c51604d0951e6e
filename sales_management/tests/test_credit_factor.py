from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import SalesManagementCase


@tagged("post_install", "-at_install")
class TestCreditFactorCompany(SalesManagementCase):
    """Scoring factors belong to their policy's company, like the policies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.env["res.company"].create({"name": "Factor Company 2"})
        cls.policy_2 = cls.env["sales.credit.policy"].create(
            {
                "name": "Company 2 Scoring",
                "company_id": cls.company_2.id,
                "factor_ids": [
                    Command.create({"code": "dso", "weight": 70, "scale": "30:100, 60:50"}),
                    Command.create({"code": "late_ratio", "weight": 30, "scale": "0:100, 10:50"}),
                ],
            }
        )
        cls.default_policy = cls.env.ref("sales_management.sales_credit_policy_default")
        # A Credit Controller of the first company only.
        cls.controller_1 = new_test_user(
            cls.env,
            login="sm_factor_controller",
            groups="base.group_user,sales_management.group_sales_management_credit",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def test_factor_company_follows_its_policy(self):
        self.assertEqual(set(self.policy_2.factor_ids.mapped("company_id")), {self.company_2})
        self.assertFalse(self.default_policy.factor_ids.company_id)
        company_3 = self.env["res.company"].create({"name": "Factor Company 3"})
        self.policy_2.company_id = company_3
        self.assertEqual(set(self.policy_2.factor_ids.mapped("company_id")), {company_3})

    def test_other_companys_factors_invisible(self):
        Factor = self.env["sales.credit.factor"].with_user(self.controller_1)
        visible = Factor.search([])
        self.assertFalse(visible & self.policy_2.factor_ids)
        self.assertEqual(visible & self.default_policy.factor_ids, self.default_policy.factor_ids)
        with self.assertRaises(AccessError):
            self.policy_2.factor_ids[0].with_user(self.controller_1).read(["weight"])
        with self.assertRaises(AccessError):
            self.policy_2.factor_ids[0].with_user(self.controller_1).write({"weight": 60})
        self.assertEqual(self.policy_2.factor_ids[0].weight, 70)
        # Read grouped too (the rule applies to aggregates).
        groups = Factor.read_group([], ["weight:sum"], ["policy_id"])
        self.assertNotIn(self.policy_2.id, [g["policy_id"][0] for g in groups])

    def test_weights_still_validate(self):
        policy = self.policy_2
        with self.assertRaises(ValidationError):
            policy.write({"factor_ids": [Command.update(policy.factor_ids[0].id, {"weight": 50})]})
        # Moving weight between factors in one write is what the form does.
        dso, late = policy.factor_ids.sorted("weight", reverse=True)
        policy.write({"factor_ids": [Command.update(dso.id, {"weight": 40}), Command.update(late.id, {"weight": 60})]})
        self.env.cr.flush()
        self.assertEqual(policy.total_weight, 100)

    def test_weights_validate_when_factors_change_alone(self):
        """A factor written, added or removed on its own is checked once the changes are in."""
        dso = self.policy_2.factor_ids.filtered(lambda f: f.code == "dso")
        late = self.policy_2.factor_ids - dso
        for change in (
            lambda: dso.write({"weight": 90}),
            lambda: self.env["sales.credit.factor"].create(
                {"policy_id": self.policy_2.id, "code": "sales_12m", "weight": 10}
            ),
            lambda: late.unlink(),
        ):
            # assertRaises rolls back to a savepoint (assertRaisesRegex does not).
            with self.assertRaises(ValidationError) as refused:
                change()
                self.env.cr.flush()
            self.assertIn("must sum to 100%", str(refused.exception))
            self.assertEqual(sorted(self.policy_2.factor_ids.mapped("weight")), [30, 70])
        # Two factors changed one after the other, consistent at the end: fine.
        dso.write({"weight": 50})
        late.write({"weight": 50})
        self.env.cr.flush()
        self.assertEqual(self.policy_2.total_weight, 100)

from contextlib import contextmanager

from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class PriceCase(TransactionCase):
    """A grade with a pricelist and a 10% floor on a category, a graded customer, a rep,
    a team leader (all documents) and a sales administrator."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        company_kw = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        # A rep who may edit contacts: the pricelist rule, not the contact's rights, stops him.
        cls.user_rep = new_test_user(
            cls.env,
            login="sm_price_rep",
            name="Rep Ray",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
            **company_kw,
        )
        cls.user_leader = new_test_user(
            cls.env,
            login="sm_price_leader",
            name="Leader Lin",
            groups="sales_team.group_sale_salesman_all_leads",
            **company_kw,
        )
        cls.user_manager = new_test_user(
            cls.env,
            login="sm_price_manager",
            name="Director Du",
            groups="sales_team.group_sale_manager",
            **company_kw,
        )
        cls.company.price_exception_approver_id = cls.user_manager
        cls.company.price_exception_leader_gap = 0.0
        cls.pricelist = cls.env["product.pricelist"].create(
            {
                "name": "Grade P -5%",
                "company_id": False,
                "item_ids": [
                    Command.create({"applied_on": "3_global", "compute_price": "percentage", "percent_price": 5})
                ],
            }
        )
        cls.other_pricelist = cls.env["product.pricelist"].create({"name": "Project Prices", "company_id": False})
        # A limit far above the tests' orders: the credit check lets them through.
        cls.grade = cls.env["sales.credit.grade"].create(
            {"name": "P", "min_score": 55.5, "credit_limit": 1e9, "pricelist_id": cls.pricelist.id}
        )
        cls.categ = cls.env["product.category"].create({"name": "Tiles"})
        cls.subcateg = cls.env["product.category"].create({"name": "Floor Tiles", "parent_id": cls.categ.id})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Tile",
                "categ_id": cls.subcateg.id,
                "list_price": 100.0,
                "standard_price": 60.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.other_product = cls.env["product.product"].create(
            {"name": "Grout", "categ_id": cls.subcateg.id, "list_price": 50.0, "taxes_id": [Command.clear()]}
        )
        cls.floor = cls.env["sales.price.floor"].create(
            {"grade_id": cls.grade.id, "categ_id": cls.categ.id, "floor_type": "discount", "max_discount": 10.0}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Graded Customer", "is_company": True, "user_id": cls.user_rep.id}
        )
        cls.contact = cls.env["res.partner"].create({"name": "Buyer Bo", "parent_id": cls.customer.id})
        cls._grade(cls.customer, cls.grade)

    @contextmanager
    def assertRaisesRegex(self, exception, regex):
        """As Odoo's assertRaises: in a savepoint, so that nothing of the refused call stays."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), regex)

    @classmethod
    def _grade(cls, partner, grade):
        status = cls.env["sales.credit.status"]._get_status(partner, cls.company, create=True)
        status.write({"grade_id": grade.id, "is_grade_override": True, "override_reason": "test grade"})
        return status

    @classmethod
    def _quotation(cls, discount=0.0, user=None, partner=None, product=None, qty=10.0, **vals):
        env = cls.env(user=user or cls.user_rep)
        return env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": (product or cls.product).id,
                            "product_uom_qty": qty,
                            "price_unit": (product or cls.product).list_price,
                            "discount": discount,
                        }
                    )
                ],
                **vals,
            }
        )

    def _request(self, order, user=None):
        return self.env["sales.price.exception"].with_user(user or self.user_rep)._request(order)

    def _approve(self, order, user=None, reason="Project order"):
        return self.env["sales.price.exception"].with_user(user or self.user_manager)._decide(order, reason)

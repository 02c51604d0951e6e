from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .price_common import PriceCase

FLOOR_TEXT = "below the price floor"


@tagged("post_install", "-at_install")
class TestPriceFloor(PriceCase):
    # ------------------------------------------------------------
    # Which floor applies
    # ------------------------------------------------------------

    def test_floor_of_product_before_category_before_parent(self):
        order = self._quotation(discount=12.0)
        self.assertTrue(order.is_below_price_floor)
        self.assertIn("largest discount 10.0%", order.price_floor_message)
        # The subcategory's own floor (15%) comes before its parent's (10%).
        sub_floor = self.env["sales.price.floor"].create(
            {"grade_id": self.grade.id, "categ_id": self.subcateg.id, "floor_type": "discount", "max_discount": 15.0}
        )
        order.invalidate_recordset()
        self.assertFalse(order.is_below_price_floor)
        # The product's own floor (a lowest price of 90) before any category's.
        self.env["sales.price.floor"].create(
            {"grade_id": self.grade.id, "product_id": self.product.id, "floor_type": "price", "min_price": 90.0}
        )
        order.invalidate_recordset()
        self.assertTrue(order.is_below_price_floor)
        self.assertIn("lowest price", order.price_floor_message)
        sub_floor.active = False
        self.assertTrue(order.order_line.is_below_price_floor)

    def test_margin_floor_where_cost_is_known(self):
        self.floor.write({"max_discount": 50.0, "min_margin": 30.0})
        # Net 70 at cost 60: a margin of 14%, under 30%.
        self.assertTrue(self._quotation(discount=30.0).is_below_price_floor)
        # Net 90: a margin of 33%.
        self.assertFalse(self._quotation(discount=10.0).is_below_price_floor)
        # Unknown cost: no margin floor.
        self.assertFalse(self._quotation(discount=45.0, product=self.other_product).is_below_price_floor)

    def test_floor_bad_input_refused(self):
        Floor = self.env["sales.price.floor"].with_user(self.user_manager)
        for vals in (
            {"categ_id": self.categ.id, "max_discount": 120.0},
            {"categ_id": self.categ.id, "max_discount": -1.0},
            {"categ_id": self.categ.id, "product_id": self.product.id},
            {},
            {"categ_id": self.subcateg.id, "floor_type": "price", "min_price": 0.0},
            {"categ_id": self.categ.id},  # the grade has one already
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                Floor.create({"grade_id": self.grade.id, **vals})

    def test_floor_access(self):
        """Reps read the floors, sales administrators change them."""
        self.assertTrue(self.floor.with_user(self.user_rep).max_discount)
        with self.assertRaises(AccessError):
            self.floor.with_user(self.user_rep).max_discount = 50.0
        with self.assertRaises(AccessError):
            self.env["sales.price.floor"].with_user(self.user_rep).create(
                {"grade_id": self.grade.id, "categ_id": self.subcateg.id, "max_discount": 50.0}
            )
        self.floor.with_user(self.user_manager).max_discount = 12.0
        self.assertEqual(self.floor.max_discount, 12.0)

    # ------------------------------------------------------------
    # Confirmation refused below floor
    # ------------------------------------------------------------

    def test_rep_confirms_within_floor(self):
        order = self._quotation(discount=10.0)
        order.with_user(self.user_rep).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_floors_changed_apply_at_once(self):
        """Whether a company has floors is cached (sales.price.floor._has_floors): every change of one applies
        to the next confirmation."""
        Floor, company = self.env["sales.price.floor"], self.env.company.id
        # Only this test's floor (the demo data has some).
        Floor.search([("id", "!=", self.floor.id)]).active = False
        self.assertTrue(Floor._has_floors(company))
        self.floor.active = False
        self.assertFalse(Floor._has_floors(company))
        self.floor.active = True
        self.assertTrue(Floor._has_floors(company))
        self.floor.active = False
        order = self._quotation(discount=20.0)
        order.with_user(self.user_rep).action_confirm()
        self.assertEqual(order.state, "sale")
        self.floor.active = True
        order = self._quotation(discount=20.0)
        with self.assertRaisesRegex(UserError, FLOOR_TEXT):
            order.with_user(self.user_rep).action_confirm()
        self.floor.unlink()
        self.assertFalse(Floor._has_floors(company))
        order.with_user(self.user_rep).action_confirm()
        self.assertEqual(order.state, "sale")
        self.env["sales.price.floor"].create(
            {"grade_id": self.grade.id, "categ_id": self.categ.id, "floor_type": "discount", "max_discount": 10.0}
        )
        order = self._quotation(discount=20.0)
        with self.assertRaisesRegex(UserError, FLOOR_TEXT):
            order.with_user(self.user_rep).action_confirm()

    def test_rep_form_confirmation_below_floor_refused(self):
        with Form(self.env["sale.order"].with_user(self.user_rep)) as form:
            form.partner_id = self.customer
            with form.order_line.new() as line:
                line.product_id = self.product
                line.product_uom_qty = 5
                line.price_unit = 80.0
        order = form.record
        self.assertTrue(order.is_below_price_floor)
        with self.assertRaisesRegex(UserError, FLOOR_TEXT):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_every_path_into_sale_refused(self):
        order = self._quotation(discount=20.0)
        rep_order = order.with_user(self.user_rep)
        Order = self.env["sale.order"].with_user(self.user_rep)
        line = {"product_id": self.product.id, "product_uom_qty": 1, "price_unit": 100.0, "discount": 30.0}
        paths = {
            "action_confirm": rep_order.action_confirm,
            "write state": lambda: rep_order.write({"state": "sale"}),
            "write state and line": lambda: self._quotation()
            .with_user(self.user_rep)
            .write({"state": "sale", "order_line": [Command.create(line)]}),
            "create confirmed": lambda: Order.create(
                {"partner_id": self.customer.id, "state": "sale", "order_line": [Command.create(line)]}
            ),
            "default_state": lambda: Order.with_context(default_state="sale").create(
                {"partner_id": self.customer.id, "order_line": [Command.create(line)]}
            ),
            "copy confirmed": lambda: rep_order.copy({"state": "sale"}),
            "contact of the customer": lambda: Order.create(
                {"partner_id": self.contact.id, "state": "sale", "order_line": [Command.create(line)]}
            ),
        }
        for name, path in paths.items():
            with self.subTest(path=name), self.assertRaisesRegex(UserError, FLOOR_TEXT), self.env.cr.savepoint():
                path()
        self.assertEqual(order.state, "draft")

    def test_import_confirmed_below_floor_refused(self):
        before = self.env["sale.order"].search_count([("partner_id", "=", self.customer.id)])
        result = (
            self.env["sale.order"]
            .with_user(self.user_rep)
            .load(
                [
                    "partner_id/.id",
                    "state",
                    "order_line/product_id/.id",
                    "order_line/product_uom_qty",
                    "order_line/discount",
                ],
                [[str(self.customer.id), "sale", str(self.product.id), "3", "40"]],
            )
        )
        self.assertFalse(result["ids"])
        self.assertIn(FLOOR_TEXT, " ".join(m["message"] for m in result["messages"]))
        self.assertEqual(self.env["sale.order"].search_count([("partner_id", "=", self.customer.id)]), before)

    def test_confirmed_line_cannot_go_below_floor(self):
        order = self._quotation(discount=5.0)
        order.action_confirm()
        with self.assertRaisesRegex(UserError, FLOOR_TEXT.replace("below the", "go below the")):
            order.order_line.with_user(self.user_rep).write({"discount": 25.0})
        self.assertEqual(order.order_line.discount, 5.0)
        with self.assertRaisesRegex(UserError, "go below the price floor"):
            order.with_user(self.user_rep).write(
                {"order_line": [Command.create({"product_id": self.product.id, "discount": 50})]}
            )

    # ------------------------------------------------------------
    # Request, approval, one use, voided by a change
    # ------------------------------------------------------------

    def test_request_approve_confirm_once(self):
        order = self._quotation(discount=20.0)
        order.with_user(self.user_rep).action_request_price_exception()
        exception = order.price_exception_ids
        self.assertRecordValues(
            exception,
            [{"state": "requested", "requested_by_id": self.user_rep.id, "approver_id": self.user_manager.id}],
        )
        self.assertAlmostEqual(exception.gap, 10.0)
        activity = exception.activity_id
        self.assertEqual(activity.user_id, self.user_manager)
        self.assertEqual(activity.res_id, order.id)
        # Still refused while pending.
        with self.assertRaisesRegex(UserError, FLOOR_TEXT):
            order.with_user(self.user_rep).action_confirm()
        self._approve(order)
        self.assertRecordValues(exception, [{"state": "approved", "decided_by_id": self.user_manager.id}])
        self.assertFalse(activity.exists(), "the approver's activity is marked done")
        told = order.message_ids.filtered(lambda m: self.user_rep.partner_id in m.partner_ids)
        self.assertIn("approved", told[:1].body)
        order.with_user(self.user_rep).action_confirm()
        self.assertEqual((order.state, exception.state), ("sale", "used"))
        # Once: back to quotation, the confirmation is refused again.
        order._action_cancel()
        order.action_draft()
        self.assertEqual(order.state, "draft")
        with self.assertRaisesRegex(UserError, FLOOR_TEXT):
            order.with_user(self.user_rep).action_confirm()

    def test_approval_activity_is_done_only_by_the_decision(self):
        order = self._quotation(discount=20.0)
        activity = self._request(order).activity_id
        for user in (self.user_manager, self.user_rep):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                activity.with_user(user).action_feedback(feedback="done by hand")
        self.assertTrue(activity.exists())
        self._approve(order)
        self.assertFalse(activity.exists())

    def test_line_moved_to_another_order_voids_the_approval(self):
        order = self._quotation(discount=20.0)
        exception = self._approve(order)
        other = self._quotation()
        order.order_line.with_user(self.user_rep).order_id = other
        self.assertEqual(exception.state, "void")

    def test_rejection_tells_the_rep(self):
        order = self._quotation(discount=20.0)
        exception = self._request(order)
        self.env["sales.price.exception"].with_user(self.user_manager)._decide(order, "Too low", approve=False)
        self.assertEqual(exception.state, "rejected")
        self.assertFalse(exception.activity_id.exists())
        told = order.message_ids.filtered(lambda m: self.user_rep.partner_id in m.partner_ids)
        self.assertIn("rejected", told[:1].body)
        with self.assertRaisesRegex(UserError, FLOOR_TEXT):
            order.with_user(self.user_rep).action_confirm()

    def test_change_of_a_covered_line_voids_the_approval(self):
        changes = {
            "price_unit": {"price_unit": 90.0},
            "discount": {"discount": 21.0},
            "quantity": {"product_uom_qty": 11.0},
            "product": {"product_id": self.other_product.id, "price_unit": 50.0, "discount": 20.0},
        }
        for name, vals in changes.items():
            with self.subTest(change=name):
                order = self._quotation(discount=20.0)
                self._request(order)
                exception = self._approve(order)
                order.order_line.with_user(self.user_rep).write(vals)
                self.assertEqual(exception.state, "void")
                with self.assertRaisesRegex(UserError, FLOOR_TEXT):
                    order.with_user(self.user_rep).action_confirm()
        # Another customer voids it too.
        other = self.env["res.partner"].create({"name": "Other", "is_company": True})
        self._grade(other, self.grade)
        order = self._quotation(discount=20.0)
        exception = self._approve(order)
        order.with_user(self.user_rep).partner_id = other
        self.assertEqual(exception.state, "void")

    def test_unrelated_change_keeps_the_approval(self):
        order = self._quotation(discount=20.0)
        exception = self._approve(order)
        order.with_user(self.user_rep).write(
            {"note": "Deliver on Monday", "order_line": [Command.create({"product_id": self.other_product.id})]}
        )
        self.assertEqual(exception.state, "approved")
        order.with_user(self.user_rep).action_confirm()
        self.assertEqual(exception.state, "used")

    # ------------------------------------------------------------
    # Who may approve; nobody forges an approval
    # ------------------------------------------------------------

    def test_rep_cannot_approve(self):
        order = self._quotation(discount=20.0)
        self._request(order)
        for user in (self.user_rep, self.user_leader):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._approve(order, user=user)
        with self.assertRaises(AccessError):
            self.env["sales.price.exception.wizard"].with_user(self.user_rep).create(
                {"order_id": order.id, "reason": "mine"}
            )
        self.assertEqual(order.price_exception_ids.state, "requested")

    def test_level_by_gap_from_settings(self):
        self.company.price_exception_leader_gap = 5.0
        order = self._quotation(discount=13.0)  # 3 points below
        exception = self._request(order)
        self.assertEqual(exception.approval_level, "leader")
        self.assertEqual(exception.approver_id, self.user_manager, "no team leader: the company's approver")
        self._approve(order, user=self.user_leader)
        self.assertEqual(exception.state, "approved")
        big = self._quotation(discount=30.0)  # 20 points below
        with self.assertRaises(AccessError):
            self._approve(big, user=self.user_leader)
        self.assertEqual(self._approve(big).approval_level, "manager")

    def test_approvals_cannot_be_forged(self):
        order = self._quotation(discount=20.0)
        Exception_ = self.env["sales.price.exception"]
        vals = {
            "order_id": order.id,
            "partner_id": self.customer.id,
            "company_id": self.company.id,
            "currency_id": order.currency_id.id,
            "state": "approved",
            "line_snapshot": {str(order.order_line.id): [self.product.id, 100.0, 20.0, 10.0, 1]},
        }
        for who, model in (("rep", Exception_.with_user(self.user_rep)), ("superuser", Exception_.sudo())):
            with self.subTest(who=who), self.assertRaises(AccessError):
                model.create(vals)
        with self.assertRaises(AccessError):
            order.with_user(self.user_rep).write({"price_exception_ids": [Command.create(vals)]})
        exception = self._request(order)
        with self.assertRaises(AccessError):
            exception.with_user(self.user_rep).write({"state": "approved"})
        with self.assertRaises(AccessError):
            exception.sudo().write({"state": "approved"})
        with self.assertRaises(UserError):
            exception.sudo().copy({"state": "approved"})
        with self.assertRaises(AccessError):
            exception.with_user(self.user_rep).unlink()
        result = Exception_.with_user(self.user_rep).load(
            ["order_id/.id", "partner_id/.id", "company_id/.id", "currency_id/.id", "state"],
            [[str(order.id), str(self.customer.id), str(self.company.id), str(order.currency_id.id), "approved"]],
        )
        self.assertFalse(result["ids"])
        # Defaults in the context fill nothing of a request.
        forged = (
            self.env["sales.price.exception"]
            .with_user(self.user_rep)
            .with_context(default_state="approved", default_decided_by_id=self.user_manager.id, default_reason="forged")
            ._request(order)
        )
        self.assertRecordValues(forged, [{"state": "requested", "decided_by_id": False, "reason": False}])
        with self.assertRaisesRegex(UserError, FLOOR_TEXT):
            order.with_user(self.user_rep).action_confirm()
        # A copied quotation carries no approval.
        self._approve(order)
        self.assertFalse(order.copy().price_exception_ids)


@tagged("post_install", "-at_install")
class TestGradePricelist(PriceCase):
    def _pricelist(self, partner):
        partner.invalidate_recordset(["property_product_pricelist", "specific_property_product_pricelist"])
        return partner.with_company(self.company).property_product_pricelist

    def test_customer_follows_his_grade(self):
        self.assertEqual(self._pricelist(self.customer), self.pricelist)
        self.assertEqual(self._pricelist(self.contact), self.pricelist)
        order = self._quotation()
        self.assertEqual(order.pricelist_id, self.pricelist)
        # A rep, or a manager by hand, cannot put him on another pricelist.
        for user in (self.user_rep, self.user_manager):
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "pricelist of his credit grade"):
                self.customer.with_user(user).write({"property_product_pricelist": self.other_pricelist.id})
        with self.assertRaisesRegex(UserError, "pricelist of his credit grade"):
            self.contact.with_user(self.user_rep).write({"property_product_pricelist": self.other_pricelist.id})
        self.assertEqual(self._pricelist(self.customer), self.pricelist)
        # A new grade brings its pricelist.
        grade_b = self.env["sales.credit.grade"].create(
            {"name": "Q", "min_score": 44.4, "credit_limit": 1e9, "pricelist_id": self.other_pricelist.id}
        )
        self._grade(self.customer, grade_b)
        self.assertEqual(self._pricelist(self.customer), self.other_pricelist)
        self.assertEqual(self._pricelist(self.contact), self.other_pricelist)

    def test_ungraded_customer_never_falls_back_to_a_grade_pricelist(self):
        # The grade pricelists are shared and may be the only pricelists of a company:
        # Odoo's fallback (the first by sequence) must not hand their discount to everyone.
        grade_pricelists = self.env["sales.credit.grade"].search([]).pricelist_id
        self.assertTrue(grade_pricelists)
        plain = self.env["res.partner"].create({"name": "No Grade Ltd", "is_company": True})
        fallback = self._pricelist(plain)
        self.assertNotIn(fallback, grade_pricelists)
        self.assertFalse(fallback.item_ids.filtered(lambda item: item.percent_price))
        # Without any other pricelist, he is on none (list prices), not on a grade's.
        others = self.env["product.pricelist"].search([("id", "not in", grade_pricelists.ids)])
        others.action_archive()
        self.assertFalse(self._pricelist(plain))
        # A graded customer is still on his grade's.
        self.assertEqual(self._pricelist(self.customer), self.pricelist)

    def test_override_by_a_sales_manager_with_reason(self):
        status = self.env["sales.credit.status"]._get_status(self.customer, self.company)
        Wizard = self.env["sales.pricelist.override.wizard"]
        with self.assertRaises(AccessError):
            Wizard.with_user(self.user_rep).create({"partner_id": self.customer.id, "reason": "x"})
        with self.assertRaises(AccessError):
            status.with_user(self.user_rep)._set_pricelist_override(self.other_pricelist, "mine")
        with self.assertRaises(AccessError):
            status.sudo().write({"is_pricelist_override": True, "pricelist_override_reason": "forged"})
        wizard = Wizard.with_user(self.user_manager).create(
            {"partner_id": self.customer.id, "pricelist_id": self.other_pricelist.id, "reason": " "}
        )
        with self.assertRaises(UserError):
            wizard.action_apply()
        wizard.reason = "Framework contract 2026"
        wizard.action_apply()
        self.assertEqual(self._pricelist(self.customer), self.other_pricelist)
        self.assertEqual(self._pricelist(self.contact), self.other_pricelist)
        self.assertTrue(self.customer.with_user(self.user_rep).is_pricelist_override)
        history = self.env["sales.credit.history"].search(
            [("partner_id", "=", self.customer.id), ("change_type", "=", "pricelist")]
        )
        self.assertRecordValues(
            history,
            [
                {
                    "old_value": self.pricelist.display_name,
                    "new_value": self.other_pricelist.display_name,
                    "reason": "Framework contract 2026",
                    "user_id": self.user_manager.id,
                }
            ],
        )
        # Overridden: the grade's pricelist change does not move him; back to the grade's, it does.
        third = self.env["product.pricelist"].create({"name": "Grade P -7%", "company_id": False})
        self.grade.pricelist_id = third
        self.assertEqual(self._pricelist(self.customer), self.other_pricelist)
        Wizard.with_user(self.user_manager).create(
            {"partner_id": self.customer.id, "reason": "Contract ended"}
        ).action_apply()
        self.assertEqual(self._pricelist(self.customer), third)
        self.assertFalse(status.is_pricelist_override)

    def test_grade_pricelist_change_moves_its_customers(self):
        customers = self.env["res.partner"].create([{"name": f"Customer {i}", "is_company": True} for i in range(5)])
        for customer in customers:
            self._grade(customer, self.grade)
        contacts = self.env["res.partner"].create([{"name": f"Contact {c.id}", "parent_id": c.id} for c in customers])
        new = self.env["product.pricelist"].create({"name": "Grade P 2027", "company_id": False})
        self.grade.pricelist_id = new
        for partner in customers | contacts | self.customer | self.contact:
            self.assertEqual(self._pricelist(partner), new, partner.name)

    def test_grade_pricelist_move_is_set_based(self):
        """Moving 3 or 30 customers costs the same number of queries."""

        def grade_with(count):
            grade = self.env["sales.credit.grade"].create(
                {"name": f"S{count}", "min_score": 30.0 + count / 100, "credit_limit": 1e9}
            )
            partners = self.env["res.partner"].create(
                [{"name": f"S{count} {i}", "is_company": True} for i in range(count)]
            )
            for partner in partners:
                self._grade(partner, grade)
            return grade

        warm_up, small, large = grade_with(2), grade_with(3), grade_with(30)
        counts = []
        for grade in (warm_up, small, large):
            pricelist = self.env["product.pricelist"].create({"name": grade.name, "company_id": False})
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            grade.pricelist_id = pricelist
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - start)
        self.assertEqual(counts[1], counts[2], counts)

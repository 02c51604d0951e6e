from contextlib import contextmanager
from datetime import date, datetime
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged

from .common_complaint import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintDeadlines(ComplaintCase):
    def test_calendar_days_non_quality(self):
        complaint = self._complaint()
        self.assertTrue(complaint.name.startswith("CPL/"))
        self.assertEqual(complaint.reply_deadline, date(2026, 9, 28))
        self.assertFalse(complaint.onsite_deadline, "only quality categories have an on-site deadline")

    def test_calendar_days_quality(self):
        complaint = self._complaint(category_id=self.quality.id)
        self.assertTrue(complaint.is_quality)
        self.assertEqual(complaint.reply_deadline, date(2026, 9, 28))
        self.assertEqual(complaint.onsite_deadline, date(2026, 9, 30))

    def test_working_days_across_weekend(self):
        self.company.complaint_deadline_mode = "working"
        complaint = self._complaint(category_id=self.quality.id)
        # Fri + 3 working days = Wed; + 5 = Fri of next week.
        self.assertEqual(complaint.reply_deadline, date(2026, 9, 30))
        self.assertEqual(complaint.onsite_deadline, date(2026, 10, 2))

    def test_working_days_across_public_holiday(self):
        self.company.complaint_deadline_mode = "working"
        self._national_day()
        complaint = self._complaint(category_id=self.quality.id)
        self.assertEqual(complaint.reply_deadline, date(2026, 9, 30))
        # Mon 28, Tue 29, Wed 30, holiday week, Thu 8, Fri 9.
        self.assertEqual(complaint.onsite_deadline, date(2026, 10, 9))

    def test_category_days_are_configurable(self):
        self.delivery.reply_days = 1
        self.assertEqual(self._complaint().reply_deadline, date(2026, 9, 26))

    def test_met_and_overdue(self):
        late = self._complaint(category_id=self.quality.id)
        on_time = self._complaint()
        with freeze_time("2026-09-28 09:00:00"):
            on_time.action_acknowledge()
        self.assertTrue(on_time.is_reply_met)
        self.assertEqual(on_time.deadline_status, "met")
        with freeze_time("2026-10-01 09:00:00"):
            self.assertTrue(late.is_overdue)
            self.assertFalse(on_time.is_overdue)
            overdue = self.Complaint.search([("is_overdue", "=", True), ("id", "in", (late | on_time).ids)])
            self.assertEqual(overdue, late)
            not_overdue = self.Complaint.search([("is_overdue", "=", False), ("id", "in", (late | on_time).ids)])
            self.assertEqual(not_overdue, on_time)
            late.action_acknowledge()
        self.assertFalse(late.is_reply_met)
        self.assertEqual(late.deadline_status, "missed")
        self.assertEqual(self.Complaint._get_on_time_rate([("id", "in", (late | on_time).ids)]), 50.0)


@tagged("post_install", "-at_install")
class TestComplaintEscalation(ComplaintCase):
    def test_escalation_runs_twice_one_activity(self):
        complaint = self._complaint()
        fresh = self._complaint(date_received=datetime(2026, 9, 30, 10, 0))
        with freeze_time("2026-10-01 06:00:00"):
            self.Complaint._cron_escalate_overdue()
            self.Complaint._cron_escalate_overdue()
        activities = complaint.activity_ids.filtered(lambda a: a.user_id == self.user_manager)
        self.assertEqual(len(activities), 1)
        self.assertTrue(complaint.is_escalated)
        self.assertEqual(complaint.deadline_status, "missed")
        self.assertFalse(fresh.activity_ids, "not overdue yet")
        self.assertFalse(fresh.is_escalated)

    def test_escalation_skips_a_bad_record(self):
        first = self._complaint()
        second = self._complaint(partner_id=self.other_customer.id)
        original = type(self.Complaint)._escalate

        def failing(records):
            if records == first:
                raise ValueError("broken record")
            return original(records)

        with (
            freeze_time("2026-10-01 06:00:00"),
            patch.object(type(self.Complaint), "_escalate", failing),
            self.assertLogs("odoo.addons.sales_management.models.sales_management_batch", "ERROR"),
        ):
            done = self.Complaint._cron_escalate_overdue()
        self.assertEqual(done, 1)
        self.assertFalse(first.is_escalated)
        self.assertTrue(second.is_escalated)

    def test_cron_record_exists(self):
        cron = self.env.ref("sales_management.ir_cron_complaint_escalation")
        self.assertEqual(cron.interval_type, "days")


@tagged("post_install", "-at_install")
class TestComplaintFlow(ComplaintCase):
    def _run_precommit(self):
        """What the commit of a request does: flush and post the tracking messages."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def test_full_flow(self):
        complaint = self._complaint(category_id=self.quality.id)
        # Tracking starts after the transaction that created the record.
        self._run_precommit()
        complaint.action_acknowledge()
        complaint.action_investigate()
        complaint.write({"root_cause": "Wet timber", "corrective_action": "Dry kiln check"})
        complaint.action_corrective()
        complaint.action_mark_onsite()
        self.assertTrue(complaint.date_onsite)
        complaint.resolution = "exchange"
        complaint.action_resolve()
        complaint.write({"satisfaction": 4, "satisfaction_comment": "Quick"})
        complaint.action_close()
        self.assertEqual(complaint.state, "closed")
        self._run_precommit()
        tracked = (
            self.env["mail.tracking.value"]
            .search([("mail_message_id.model", "=", complaint._name), ("mail_message_id.res_id", "=", complaint.id)])
            .field_id.mapped("name")
        )
        self.assertIn("state", tracked)

    def test_wrong_transition(self):
        complaint = self._complaint()
        with self.assertRaises(UserError):
            complaint.action_close()
        with self.assertRaises(UserError):
            complaint.write({"state": "closed", "resolution": "explanation"})
        complaint.invalidate_recordset()
        self.assertEqual(complaint.state, "new")

    def test_contact_given_as_customer_becomes_contact(self):
        complaint = self._complaint(partner_id=self.customer_contact.id)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.contact_id, self.customer_contact)

    def test_flow_fields_not_typed_in(self):
        complaint = self._complaint()
        with self.assertRaises(AccessError):
            complaint.with_user(self.user_rep).write({"is_escalated": True})
        complaint.with_user(self.user_rep).write({"severity": "high"})

    def test_deletion_refused_after_acknowledgement(self):
        draft = self._complaint()
        draft.unlink()
        complaint = self._complaint()
        complaint.action_acknowledge()
        with self.assertRaises(UserError):
            complaint.unlink()
        complaint.action_archive()
        self.assertFalse(complaint.active)
        self.assertTrue(complaint.exists())

    def test_repeat_detection(self):
        first = self._complaint()
        again = self._complaint(date_received=datetime(2026, 11, 1, 10, 0))
        other_product = self._complaint(date_received=datetime(2026, 11, 2, 10, 0), product_id=self.product_b.id)
        much_later = self._complaint(date_received=datetime(2027, 6, 1, 10, 0))
        self.assertFalse(first.is_repeat)
        self.assertTrue(again.is_repeat)
        self.assertFalse(other_product.is_repeat)
        self.assertFalse(much_later.is_repeat, "outside the repeat period of 90 days")
        self.assertIn(again, self.Complaint.search([("is_repeat", "=", True)]))

    def test_form_from_sale_order_and_smart_buttons(self):
        order = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "order_line": [(0, 0, {"product_id": self.product.id})]}
        )
        action = order.action_new_complaint()
        form = Form(self.Complaint.with_context(**action["context"]))
        form.category_id = self.delivery
        complaint = form.save()
        self.assertEqual(complaint.sale_order_id, order)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(order.complaint_count, 1)
        self.assertEqual(self.customer.complaint_count, 1)
        self.assertEqual(self.customer_contact.complaint_count, 1)
        self.assertEqual(self.customer.action_view_complaints()["domain"], [("partner_id", "=", self.customer.id)])


@tagged("post_install", "-at_install")
class TestComplaintViews(ComplaintCase):
    def test_views_load_for_a_rep(self):
        views = ["list", "form", "kanban", "search", "pivot", "graph", "calendar", "activity"]
        result = self.Complaint.with_user(self.user_rep).get_views([(False, view) for view in views])
        self.assertEqual(set(result["views"]), set(views))
        for model in ("sales.complaint.survey", "sales.complaint.category"):
            self.env[model].with_user(self.user_rep).get_views([(False, "list"), (False, "form")])
        for model in ("res.partner", "sale.order", "account.move"):
            arch = self.env[model].with_user(self.user_rep).get_views([(False, "form")])["views"]["form"]["arch"]
            self.assertIn("action_view_complaints", arch)

    def test_menus(self):
        def visible(user):
            menus = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            return set(self.env["ir.ui.menu"].browse(menus).get_external_id().values())

        self.assertIn("sales_management.sales_complaint_menu", visible(self.user_rep))
        self.assertIn("sales_management.sales_complaint_menu", visible(self.user_after_sales))
        self.assertNotIn("sales_management.sales_complaint_category_menu", visible(self.user_manager))
        self.assertIn("sales_management.sales_complaint_category_menu", visible(self.user_admin))


@tagged("post_install", "-at_install")
class TestComplaintBadInput(ComplaintCase):
    @contextmanager
    def _raises(self, exception, text):
        """assertRaises (which rolls back to a savepoint, unlike assertRaisesRegex) plus the message."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertIn(text, str(caught.exception))

    def _assert_unchanged(self, complaint, state):
        complaint.invalidate_recordset()
        self.assertEqual(complaint.state, state)

    def test_close_without_resolution(self):
        complaint = self._complaint()
        complaint.action_acknowledge()
        with self._raises(ValidationError, "needs a resolution"):
            complaint.action_resolve()
        self._assert_unchanged(complaint, "acknowledged")
        complaint.resolution = "explanation"
        complaint.action_resolve()
        with self._raises(ValidationError, "needs a resolution"):
            complaint.write({"resolution": False, "state": "closed"})
        self._assert_unchanged(complaint, "resolved")
        self.assertEqual(complaint.resolution, "explanation")

    def test_resolve_quality_without_root_cause(self):
        complaint = self._complaint(category_id=self.quality.id, resolution="repair")
        complaint.action_acknowledge()
        with self._raises(ValidationError, "root cause"):
            complaint.action_resolve()
        self._assert_unchanged(complaint, "acknowledged")
        complaint.root_cause = "Glue"
        complaint.action_resolve()
        self.assertEqual(complaint.state, "resolved")

    def test_reject_needs_a_reason(self):
        complaint = self._complaint()
        with self._raises(ValidationError, "reason"):
            complaint.action_reject()
        self._assert_unchanged(complaint, "new")
        complaint.rejection_reason = "Not our product"
        complaint.action_reject()
        self.assertEqual(complaint.state, "rejected")

    def test_order_of_another_customer(self):
        order = self.env["sale.order"].create({"partner_id": self.other_customer.id})
        with self._raises(ValidationError, "belongs to"):
            self._complaint(sale_order_id=order.id)
        complaint = self._complaint()
        with self._raises(ValidationError, "belongs to"):
            complaint.sale_order_id = order
        complaint.invalidate_recordset()
        self.assertFalse(complaint.sale_order_id)

    def test_order_of_another_company(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        order = self.env["sale.order"].create({"partner_id": self.customer.id, "company_id": other_company.id})
        with self.assertRaises(UserError):
            self._complaint(sale_order_id=order.id)

    def test_satisfaction_outside_range(self):
        complaint = self._complaint()
        for score in (6, -1):
            with self._raises(ValidationError, "1 to 5"):
                complaint.satisfaction = score
        complaint.invalidate_recordset()
        self.assertFalse(complaint.satisfaction)
        complaint.satisfaction = 5

    def test_survey_score_outside_range(self):
        with self._raises(ValidationError, "1 to 5"):
            self.env["sales.complaint.survey"].create({"partner_id": self.customer.id, "score": 0})


@tagged("post_install", "-at_install")
class TestComplaintAccess(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls._complaint(user_id=cls.user_manager.id)
        cls.assigned = cls._complaint(partner_id=cls.other_customer.id, user_id=cls.user_rep.id)
        cls.theirs = cls._complaint(partner_id=cls.other_customer.id, user_id=cls.user_rep2.id)

    def test_rep_sees_own_customers_and_assigned(self):
        visible = self.Complaint.with_user(self.user_rep).search([])
        self.assertIn(self.mine, visible)
        self.assertIn(self.assigned, visible)
        self.assertNotIn(self.theirs, visible)
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.user_rep).read(["name"])
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.user_rep).write({"severity": "low"})

    def test_internal_user_without_sales_refused(self):
        """Complaints are the salespeople's and after-sales': other employees get nothing."""
        Complaint = self.Complaint.with_user(self.user_internal)
        with self.assertRaises(AccessError):
            Complaint.create({"partner_id": self.other_customer.id, "category_id": self.delivery.id})
        with self.assertRaises(AccessError):
            Complaint.search([])
        with self.assertRaises(AccessError):
            self.mine.with_user(self.user_internal).read(["name"])

    def test_manager_and_after_sales_see_all(self):
        for user in (self.user_manager, self.user_after_sales):
            visible = self.Complaint.with_user(user).search([])
            self.assertEqual(
                visible & (self.mine | self.assigned | self.theirs), self.mine | self.assigned | self.theirs
            )
        self.theirs.with_user(self.user_after_sales).write({"severity": "high"})

    def test_category_config_only_for_administrators(self):
        with self.assertRaises(AccessError):
            self.quality.with_user(self.user_manager).write({"reply_days": 9})
        self.quality.with_user(self.user_admin).write({"reply_days": 2})

    def test_multi_company_isolation(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        foreign = self._complaint(company_id=other_company.id, user_id=self.user_manager.id, team_id=False)
        self.assertNotIn(foreign, self.Complaint.with_user(self.user_manager).search([]))
        with self.assertRaises(AccessError):
            foreign.with_user(self.user_manager).read(["name"])
        self.user_manager.company_ids |= other_company
        self.assertIn(
            foreign,
            self.Complaint.with_user(self.user_manager)
            .with_context(allowed_company_ids=[self.company.id, other_company.id])
            .search([]),
        )

    def test_portal_sees_nothing(self):
        portal = self.env["res.users"].create(
            {"name": "Portal Pat", "login": "sm_portal", "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])]}
        )
        with self.assertRaises(AccessError):
            self.Complaint.with_user(portal).search([])

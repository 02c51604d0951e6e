import datetime

from odoo.tests import freeze_time, new_test_user, tagged

from .visit_common import VisitCase

D = datetime.date


@tagged("post_install", "-at_install")
@freeze_time("2026-03-10")
class TestVisitCron(VisitCase):
    def test_overdue_visits_become_one_activity(self):
        late = self._visit(self.customers[0], D(2026, 3, 6), state="planned")
        today = self._visit(self.customers[1], D(2026, 3, 10), state="planned")
        done = self._visit(self.customers[2], D(2026, 3, 5))
        Visit = self.env["sales.visit"]
        Visit._cron_visit_overdue()
        self.assertEqual(len(late.activity_ids), 1)
        self.assertEqual(late.activity_ids.user_id, self.user_rep)
        self.assertFalse(today.activity_ids)
        self.assertFalse(done.activity_ids)
        Visit._cron_visit_overdue()
        self.assertEqual(len(late.activity_ids), 1, "never duplicated")

    def test_overdue_in_batches(self):
        visits = self.env["sales.visit"]
        for n in range(3):
            visits |= self._visit(self.customers[n], D(2026, 3, 2 + n), state="planned")
        Visit = self.env["sales.visit"]
        # Other overdue visits (demo data) may exist: run until nothing is left.
        while Visit._cron_visit_overdue(batch_size=2):
            pass
        self.assertEqual([len(v.activity_ids) for v in visits], [1, 1, 1])

    def test_weekly_tells_managers(self):
        leader = new_test_user(
            self.env, login="sm_leader", name="Leader Lin", groups="sales_team.group_sale_salesman_all_leads"
        )
        team = self.env["crm.team"].create({"name": "Visit Team", "user_id": leader.id})
        team.member_ids = self.user_rep
        self._visit(self.customers[0], D(2026, 3, 6))
        before = self.env["mail.message"].search_count([("partner_ids", "in", leader.partner_id.ids)])
        self.env["sales.visit"]._cron_visit_weekly()
        messages = self.env["mail.message"].search([("partner_ids", "in", leader.partner_id.ids)])
        self.assertEqual(len(messages), before + 1)
        body = messages[0].body
        self.assertIn("Rep Ruth", body)
        self.assertIn("Visit Customer 1", body)
        self.assertNotIn("Visit Customer 0", body, "seen 4 days ago: not overdue")
        self.env["sales.visit"]._cron_visit_weekly()
        self.assertEqual(
            self.env["mail.message"].search_count([("partner_ids", "in", leader.partner_id.ids)]),
            before + 1,
            "once a week",
        )

    def test_crons_exist(self):
        for xmlid in ("sales_management.ir_cron_visit_overdue", "sales_management.ir_cron_visit_weekly"):
            self.assertTrue(self.env.ref(xmlid).active)

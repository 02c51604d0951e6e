import datetime

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import freeze_time, tagged

from ..tools.visit_schedule import FOLLOWUP_RULES, VISIT_RESULTS
from .visit_common import VisitCase

D = datetime.date
MONDAY = D(2026, 3, 2)


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestVisitFollowup(VisitCase):
    """March 2026: Monday 2 is today; weekends are off, holidays come from the calendar."""

    def setUp(self):
        super().setUp()
        self.company.visit_rejection_followup_days = 30
        self.prospect = self.customers[0]
        self.todo = self.env.ref("mail.mail_activity_data_todo")

    def _done(self, result, partner=None, day=MONDAY, **vals):
        """A visit of the rep, checked in and out with an outcome, as the rep does it."""
        visit = (
            self.env["sales.visit"]
            .with_user(self.user_rep)
            .create({"partner_id": (partner or self.prospect).id, "date": day, **vals})
        )
        visit.action_check_in()
        visit.write({"result": result, "date": day})
        visit.action_check_out()
        return visit

    def _followups(self, visit):
        """Every follow-up a visit led to: visits planned from it and to-dos on it."""
        visits = self.env["sales.visit"].search([("origin_visit_id", "=", visit.id)])
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "sales.visit"), ("res_id", "=", visit.id), ("activity_type_id", "=", self.todo.id)]
        )
        return visits, activities

    def test_each_outcome_creates_exactly_one_followup(self):
        for result, _label in VISIT_RESULTS:
            with self.subTest(result=result):
                partner = self.env["res.partner"].create({"name": f"Prospect {result}", "is_company": True})
                visit = self._done(result, partner=partner)
                visits, activities = self._followups(visit)
                self.assertEqual(len(visits) + len(activities), 1)
                self.assertTrue(visit.has_followup)
                mode = FOLLOWUP_RULES[result][0]
                if mode == "activity":
                    self.assertEqual(activities, visit.followup_activity_id)
                    self.assertEqual(activities.user_id, self.user_rep)
                    self.assertEqual(activities.date_deadline, visit.followup_date)
                else:
                    self.assertEqual(visits, visit.followup_visit_id)
                    self.assertEqual((visits.mode, visits.state, visits.user_id), (mode, "planned", self.user_rep))
                    self.assertEqual(visits.date, visit.followup_date)
                self.assertLess(visit.followup_date.weekday(), 5, "on a working day")
                # Writing the outcome again, or the state, adds nothing.
                visit.with_user(self.user_rep).write({"result": "no_decision", "state": "done"})
                visits, activities = self._followups(visit)
                self.assertEqual(len(visits) + len(activities), 1)

    def test_no_outcome_no_followup_until_given(self):
        visit = self._done(False)
        self.assertEqual(self._followups(visit), (self.env["sales.visit"], self.env["mail.activity"]))
        self.assertFalse(visit.has_followup)
        # The rep writes his report after checking out: the follow-up comes then.
        visit.with_user(self.user_rep).write({"result": "interested", "next_visit_date": D(2026, 3, 10)})
        self.assertEqual(visit.followup_visit_id.date, D(2026, 3, 10))
        self.assertEqual(visit.followup_visit_id.origin_visit_id, visit)

    def test_followup_respects_working_days_and_holidays(self):
        # Interested on Monday 2: a visit 7 days later, Monday 9 -- a public holiday: Tuesday 10.
        self._holiday(D(2026, 3, 9))
        interested = self._done("interested")
        self.assertEqual(interested.followup_visit_id.date, D(2026, 3, 10))
        self.assertEqual(interested.next_visit_date, D(2026, 3, 10), "the rep sees the day it was moved to")
        # A next visit date on Saturday 14 goes to Monday 16; with Monday a holiday, Tuesday 17.
        self._holiday(D(2026, 3, 16))
        weekend = self._done("no_decision", partner=self.customers[1], next_visit_date=D(2026, 3, 14))
        self.assertEqual(weekend.followup_visit_id.date, D(2026, 3, 17))
        self.assertEqual(weekend.followup_visit_id.mode, "phone")
        # The rule is the shared one: the proposals' working days say the same.
        days = self.company._get_sales_working_days(D(2026, 3, 14), D(2026, 3, 17))
        self.assertEqual(days, [D(2026, 3, 17)])

    def test_rejection_gets_second_followup_after_settings_period(self):
        self.company.visit_rejection_followup_days = 10
        plan = self.env["sales.visit.plan"].with_user(self.user_rep).create({})
        rejected = self._done("rejected")
        followup = rejected.followup_visit_id
        self.assertEqual(followup.date, D(2026, 3, 12))
        self.assertEqual((followup.mode, followup.purpose), ("in_person", "development"))
        self.assertEqual(followup.plan_id, plan, "in the rep's plan on that date")
        # Propose Visits takes it into account: no routine visits before the second follow-up.
        plan.action_propose_visits()
        planned = plan.visit_ids.filtered(lambda v: v.partner_id == self.prospect and v.state == "planned")
        self.assertEqual(planned, followup)
        # The weekly job neither.
        self.env["sales.visit"]._propose_visits(self.user_rep, D(2026, 3, 9), D(2026, 3, 15))
        self.assertEqual(
            self.env["sales.visit"].search([("partner_id", "=", self.prospect.id), ("state", "=", "planned")]),
            followup,
        )

    def test_settings_refuse_a_period_below_one_day(self):
        with self.assertRaises(ValidationError):
            self.company.visit_rejection_followup_days = 0
        with self.assertRaises(ValidationError):
            self.company.visit_after_delivery_days = -1

    def test_manager_closes_rejected_prospect_as_lost(self):
        rejected = self._done("rejected")
        followup = rejected.followup_visit_id
        wizard = (
            self.env["sales.visit.prospect.lost"]
            .with_user(self.user_manager)
            .create({"partner_ids": self.prospect.ids, "reason": "Signed a three-year contract with a competitor."})
        )
        wizard.action_confirm()
        self.assertEqual(self.prospect.visit_lost_date, D(2026, 3, 2))
        self.assertEqual(self.prospect.visit_lost_user_id, self.user_manager)
        self.assertEqual(followup.state, "cancelled")
        self.assertIn("three-year contract", followup.reason)
        # Nothing more is proposed for him, nor a follow-up of a later visit.
        created = self.env["sales.visit"]._propose_visits(self.user_rep, D(2026, 3, 2), D(2026, 3, 31))
        self.assertNotIn(self.prospect, created.partner_id)
        later = self._done("interested", day=D(2026, 3, 3))
        self.assertFalse(later.has_followup)
        # Reopened, he is proposed again.
        self.prospect.with_user(self.user_manager).action_visit_reopen()
        self.assertFalse(self.prospect.visit_lost_date)

    def test_rep_cannot_close_or_forge(self):
        visit = self._done("rejected")
        with self.assertRaises(AccessError):
            self.env["sales.visit.prospect.lost"].with_user(self.user_rep).create(
                {"partner_ids": self.prospect.ids, "reason": "Not interested"}
            )
        with self.assertRaises(AccessError):
            self.prospect.with_user(self.user_rep)._visit_close_lost("Not interested")
        with self.assertRaises(AccessError):
            self.prospect.with_user(self.user_rep).write({"visit_lost_date": D(2026, 3, 2)})
        # The follow-up links are the flow's: a rep cannot erase or fake them.
        with self.assertRaises(AccessError):
            visit.with_user(self.user_rep).write({"has_followup": False})
        with self.assertRaises(AccessError):
            self.env["sales.visit"].with_user(self.user_rep).create(
                {"partner_id": self.customers[1].id, "state": "done", "result": "rejected", "has_followup": True}
            )
        self.assertFalse(self.prospect.visit_lost_date)
        self.assertEqual(visit.followup_visit_id.state, "planned")
        with self.assertRaises(ValidationError):
            self.prospect.with_user(self.user_manager)._visit_close_lost(" ")

    def test_phone_visit_is_not_in_person(self):
        plan = self.env["sales.visit.plan"].with_user(self.user_rep).create({})
        phone = self._done(False, mode="phone", plan_id=plan.id)
        self.assertEqual(phone.state, "done")
        self.assertFalse(self.prospect.visit_last_date, "a call does not count as the customer's last visit")
        self.assertEqual((plan.visit_done_count, plan.visit_in_person_count, plan.visit_remote_count), (1, 0, 1))
        self._done(False, plan_id=plan.id)
        self.assertEqual(self.prospect.visit_last_date, D(2026, 3, 2))
        self.assertEqual((plan.visit_done_count, plan.visit_in_person_count, plan.visit_remote_count), (2, 1, 1))
        [row] = self.env["sales.visit.daily.report"].with_user(self.user_rep).search([("date", "=", D(2026, 3, 2))])
        self.assertEqual((row.visit_done_count, row.visit_in_person_count, row.visit_remote_count), (2, 1, 1))
        self.assertEqual(row.visit_per_day, 1.0, "in-person visits only")

    def test_followup_planned_before_its_plan_joins_it(self):
        visit = self._done("interested", next_visit_date=D(2026, 4, 7))
        followup = visit.followup_visit_id
        self.assertFalse(followup.plan_id, "no April plan yet")
        april = (
            self.env["sales.visit.plan"]
            .with_user(self.user_rep)
            .create({"date_from": D(2026, 4, 1), "date_to": D(2026, 4, 30)})
        )
        self.assertEqual(followup.plan_id, april)

    def test_negative_feedback_feeds_complaint_and_satisfaction(self):
        happy = self._done(False, satisfaction="5")
        self.assertEqual(happy.survey_id.score, 5)
        self.assertFalse(happy.complaint_ids)
        unhappy = self._done(
            False, partner=self.customers[1], satisfaction="2", feedback="The glue does not hold in winter."
        )
        survey = unhappy.survey_id
        self.assertEqual((survey.partner_id, survey.score, survey.user_id), (self.customers[1], 2, self.user_rep))
        self.assertFalse(survey.is_satisfied)
        complaint = unhappy.complaint_ids
        self.assertEqual(len(complaint), 1)
        self.assertEqual((complaint.channel, complaint.partner_id), ("visit", self.customers[1]))
        self.assertIn("glue", complaint.description)
        # The rep sees what his visit opened.
        self.assertEqual(complaint.with_user(self.user_rep).name, complaint.name)
        unhappy.with_user(self.user_rep).write({"satisfaction": "1"})
        self.assertEqual(len(unhappy.complaint_ids), 1, "once")
        self.assertEqual(unhappy.survey_id, survey, "once")

    def test_weekly_job_twice_creates_nothing_twice(self):
        """Follow-ups of every kind planned, then the weekly job (next week: 9-15 March) run twice."""
        self.customers.visit_frequency = "weekly"
        self._done("interested")  # follow-up visit on Monday 9
        self._done("rejected", partner=self.customers[1])  # second follow-up in 30 days
        self._done("quotation", partner=self.customers[2])  # a to-do
        Visit = self.env["sales.visit"]
        domain = [("partner_id", "in", self.customers.ids), ("state", "=", "planned")]
        Visit._cron_visit_weekly()
        first = Visit.search(domain)
        Visit._cron_visit_weekly()
        Visit._propose_visits(self.user_rep, D(2026, 3, 9), D(2026, 3, 15))
        self.assertEqual(Visit.search(domain), first)
        by_partner = {partner: first.filtered(lambda v, p=partner: v.partner_id == p) for partner in self.customers}
        # The follow-up visit stands for the weekly visit of its week; the rejected prospect
        # gets only his second follow-up; the others their weekly visit.
        self.assertEqual(by_partner[self.prospect].mapped("date"), [D(2026, 3, 9)])
        self.assertEqual(by_partner[self.prospect].origin_visit_id.result, "interested")
        self.assertEqual(by_partner[self.customers[1]].mapped("date"), [D(2026, 4, 1)])
        self.assertEqual(len(by_partner[self.customers[2]]), 1)
        self.assertEqual(len(by_partner[self.customers[3]]), 1)

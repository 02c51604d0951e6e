import math
from datetime import date as D
from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import Form, new_test_user, tagged

from .bad_input_common import BELL, ESCAPE, LONG_TEXT, NUL, SURROGATE, UNICODE_TEXT, BadInputCase
from .visit_common import VisitCase

VISIT_FIELDS = [
    "state",
    "date",
    "partner_id",
    "contact_id",
    "user_id",
    "purpose",
    "mode",
    "goal",
    "reason",
    "outcome",
    "feedback",
    "next_step",
    "result",
    "satisfaction",
    "is_unplanned",
    "check_in",
    "check_out",
    "check_in_latitude",
    "check_in_longitude",
    "next_visit_date",
]
PLAN_FIELDS = ["state", "name", "user_id", "date_from", "date_to", "note", "refusal_reason", "approved_by_id"]
PARTNER_FIELDS = ["visit_frequency", "visit_user_id", "visit_lost_date", "visit_lost_reason"]


@tagged("post_install", "-at_install")
class TestVisitBadInput(VisitCase, BadInputCase):
    """Bad input on visits, visit plans, the visit fields of customers, the visit
    reports and the prospect-lost wizard, as the rep (or the manager where only he
    may act) over JSON-RPC, forms and imports."""

    capability = "visits"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_portal = new_test_user(cls.env, login="sm_bv_portal", name="Portal Pia", groups="base.group_portal")
        cls.user_employee = new_test_user(
            cls.env, login="sm_bv_employee", name="Employee Eli", groups="base.group_user"
        )
        cls.user_contacts = new_test_user(
            cls.env,
            login="sm_bv_contacts",
            name="Rep With Contacts",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
        )
        Plan = cls.env["sales.visit.plan"]
        cls.plan = Plan.create({"user_id": cls.user_rep.id, "date_from": D(2026, 3, 1), "date_to": D(2026, 3, 31)})
        cls.approved_plan = Plan.create(
            {"user_id": cls.user_rep.id, "date_from": D(2026, 2, 1), "date_to": D(2026, 2, 28)}
        )
        for state in ("submitted", "approved"):
            cls.approved_plan.write({"state": state})
        cls.closed_plan = Plan.create(
            {"user_id": cls.user_rep.id, "date_from": D(2026, 1, 1), "date_to": D(2026, 1, 31)}
        )
        for state in ("submitted", "approved", "closed"):
            cls.closed_plan.write({"state": state})
        cls.planned = cls._visit(cls.customers[0], D(2026, 3, 10), state="planned")
        cls.cancelled = cls._visit(cls.customers[1], D(2026, 3, 11), state="cancelled")
        cls.missed = cls._visit(cls.customers[2], D(2026, 3, 12), state="missed")
        cls.done = cls._visit(cls.customers[3], D(2026, 3, 13), state="done")
        cls.unplanned = cls._visit(cls.customers[0], D(2026, 4, 2), state="planned", is_unplanned=True)
        cls.visits = cls.planned | cls.cancelled | cls.missed | cls.done | cls.unplanned
        cls.plans = cls.plan | cls.approved_plan | cls.closed_plan

    def setUp(self):
        super().setUp()
        self.visits_unchanged = self._reader(self.visits, VISIT_FIELDS)
        self.plans_unchanged = self._reader(self.plans, PLAN_FIELDS)
        self.partners_unchanged = self._reader(self.customers, PARTNER_FIELDS)

    def _write_visit(self, klass, visit, vals, fragment):
        return self.assertRpcRefused(
            klass, "sales.visit", "write", [visit.ids, vals], fragment, unchanged=self.visits_unchanged
        )

    def _write_plan(self, klass, plan, vals, fragment):
        return self.assertRpcRefused(
            klass, "sales.visit.plan", "write", [plan.ids, vals], fragment, unchanged=self.plans_unchanged
        )

    def _create(self, klass, model, vals, fragment):
        return self.assertRpcRefused(klass, model, "create", [[vals]], fragment, unchanged=self._counter(model))

    # -- Text --------------------------------------------------------------------
    def test_rpc_control_characters_refused(self):
        self.authenticate("sm_rep", "sm_rep")
        for field, value in (
            ("goal", NUL),
            ("outcome", ESCAPE),
            ("feedback", BELL),
            ("next_step", SURROGATE),
            ("competitor_info", "\x0b vertical tab"),
            ("reason", NUL),
        ):
            with self.subTest(field=field):
                error = self._write_visit("control characters", self.planned, {field: value}, "control character")
                self.assertNotIn("\x00", error["message"])
        for field, value in (("name", "Plan\nMarch"), ("name", "Tab\there"), ("refusal_reason", ESCAPE)):
            with self.subTest(field=field, value=value):
                self._write_plan("control characters", self.plan, {field: value}, "control character")
        self._write_plan("control characters", self.plan, {"note": f"<p>{NUL}</p>"}, "control character")
        self._create(
            "control characters",
            "sales.visit",
            {"partner_id": self.customers[0].id, "date": "2026-03-16", "goal": NUL},
            "U+0000",
        )
        for value in (12, ["a list"], {"a": "dict"}):
            with self.subTest(value=value):
                self._write_visit("not text", self.planned, {"goal": value}, "expects text")

    def test_rpc_unicode_and_long_text_kept(self):
        self.authenticate("sm_rep", "sm_rep")
        vals = {"goal": UNICODE_TEXT, "outcome": LONG_TEXT, "next_step": "第一步\r\n第二步\t完成 ✅"}
        self.assertRpcAccepted("unicode and long text kept", "sales.visit", "write", [self.planned.ids, vals])
        self.env.invalidate_all()
        for field, value in vals.items():
            self.assertEqual(self.planned[field], value, field)
        self.assertEqual(len(self.planned.outcome), len(LONG_TEXT))
        name = "王经理 2026年3月 拜访计划 🚗"
        self.assertRpcAccepted(
            "unicode and long text kept", "sales.visit.plan", "write", [self.plan.ids, {"name": name}]
        )
        self.env.invalidate_all()
        self.assertEqual(self.plan.name, name)

    # -- Numbers -----------------------------------------------------------------
    def test_rpc_numbers_as_text_nan_and_infinity_refused(self):
        self.authenticate("sm_rep", "sm_rep")
        for value in ("abc", "45.5", "", [45.0], True):
            with self.subTest(value=value):
                self._write_visit("numbers as text", self.planned, {"check_in_latitude": value}, "expects a number")
        for value in (math.nan, math.inf, -math.inf):
            with self.subTest(value=value):
                self._write_visit("NaN and infinity", self.planned, {"check_in_longitude": value}, "finite number")
        # The check-in button takes the browser's position as arguments.
        for latitude in (math.nan, "north"):
            with self.subTest(latitude=latitude):
                self.assertRpcRefused(
                    "NaN and infinity" if latitude != "north" else "numbers as text",
                    "sales.visit",
                    "action_check_in",
                    [self.planned.ids, latitude, 10.0],
                    "Check In Latitude",
                    unchanged=self.visits_unchanged,
                )

    def test_rpc_onchange_refused(self):
        """The form asks the server for its onchanges while typing: a NaN position or a
        control character is refused there too, instead of crashing the computation."""
        self.authenticate("sm_rep", "sm_rep")
        spec = {"check_in_latitude": {}, "check_in_longitude": {}, "distance_km": {}, "goal": {}}
        for values, changed, fragment, klass in (
            ({"check_in_latitude": math.nan}, "check_in_latitude", "finite number", "NaN and infinity"),
            ({"check_in_longitude": "east"}, "check_in_longitude", "expects a number", "numbers as text"),
            ({"goal": NUL}, "goal", "control character", "control characters"),
        ):
            with self.subTest(changed=changed):
                self.assertRpcRefused(
                    klass, "sales.visit", "onchange", [self.planned.ids, values, [changed], spec], fragment
                )

    def test_rpc_coordinates_outside_the_globe_refused(self):
        self.authenticate("sm_rep", "sm_rep")
        for field, value, fragment in (
            ("check_in_latitude", 90.5, "between -90.0 and 90.0"),
            ("check_in_latitude", -90.01, "between -90.0 and 90.0"),
            ("check_in_latitude", 1e6, "between -90.0 and 90.0"),
            ("check_in_longitude", 180.01, "between -180.0 and 180.0"),
            ("check_in_longitude", -200, "between -180.0 and 180.0"),
        ):
            with self.subTest(field=field, value=value):
                self._write_visit("out of range", self.planned, {field: value}, fragment)
        self.assertRpcRefused(
            "out of range",
            "sales.visit",
            "action_check_in",
            [self.planned.ids, 91.0, 0.0],
            "between -90.0 and 90.0",
            unchanged=self.visits_unchanged,
        )
        # The edges of the globe are positions.
        self.assertRpcAccepted(
            "valid edges kept",
            "sales.visit",
            "write",
            [self.planned.ids, {"check_in_latitude": -90.0, "check_in_longitude": 180.0}],
        )

    # -- Selections, booleans, relations ----------------------------------------
    def test_rpc_values_outside_their_list_refused(self):
        self.authenticate("sm_rep", "sm_rep")
        for field, value in (
            ("purpose", "nope"),
            ("mode", "teleport"),
            ("satisfaction", "6"),
            ("satisfaction", 5),
            ("result", "maybe"),
            ("state", "archived"),
        ):
            with self.subTest(field=field, value=value):
                error = self._write_visit("selection values", self.planned, {field: value}, "is not a valid value")
                self.assertIn("allowed values", error["message"])
        for field, value, fragment in (
            ("is_unplanned", "no", "true or false"),
            ("is_unplanned", 2, "true or false"),
            ("partner_id", "abc", "id of a record"),
            ("contact_id", 1.5, "id of a record"),
            ("plan_id", [1], "id of a record"),
        ):
            with self.subTest(field=field, value=value):
                self._write_visit("wrong types", self.planned, {field: value}, fragment)
        self._write_visit("wrong types", self.planned, {"partner_id": 2_000_000_000}, "")

    # -- Dates ---------------------------------------------------------------------
    def test_rpc_dates_refused(self):
        self.authenticate("sm_rep", "sm_rep")
        for field, value, fragment in (
            ("date", "2026-02-30", "expects a date (YYYY-MM-DD)"),
            ("date", "yesterday", "expects a date (YYYY-MM-DD)"),
            ("date", 20260310, "expects a date (YYYY-MM-DD)"),
            ("check_in", "2026-03-10T10:00", "expects a date and time"),
        ):
            with self.subTest(field=field, value=value):
                self._write_visit("date formats", self.planned, {field: value}, fragment)
        self._write_visit("out of range", self.planned, {"date": "0001-01-01"}, "between 1900-01-01 and 2999-12-31")
        for vals, fragment in (
            ({"next_visit_date": "2026-03-01"}, "cannot be before the visit itself"),
            ({"check_in": "2026-03-10 10:00:00", "check_out": "2026-03-10 09:00:00"}, "cannot be before check-in"),
            ({"check_out": "2026-03-10 09:00:00"}, "check-out but no check-in"),
        ):
            with self.subTest(vals=vals):
                self._write_visit("date order", self.planned, vals, fragment)
        future = fields.Datetime.to_string(fields.Datetime.now() + timedelta(days=2))
        self._write_visit("future dates", self.planned, {"check_in": future}, "cannot be later than now")
        self._write_plan("date order", self.plan, {"date_to": "2026-02-27"}, "ends (2026-02-27) before it starts")
        self._write_plan("out of range", self.plan, {"date_to": "2027-06-30"}, "at most 366 days")
        self._create(
            "date order",
            "sales.visit.plan",
            {"user_id": self.user_rep.id, "date_from": "2026-05-31", "date_to": "2026-05-01"},
            "before it starts",
        )

    # -- States ----------------------------------------------------------------------
    def test_rpc_state_transitions_refused(self):
        self.authenticate("sm_rep", "sm_rep")
        for visit, state in (
            (self.cancelled, "done"),
            (self.cancelled, "in_progress"),
            (self.cancelled, "missed"),
            (self.missed, "done"),
            (self.missed, "in_progress"),
            (self.done, "planned"),
            (self.done, "in_progress"),
            (self.done, "missed"),
        ):
            with self.subTest(current=visit.state, target=state):
                self._write_visit("state transitions", visit, {"state": state, "reason": "x"}, "cannot go from")
        self._create(
            "state transitions",
            "sales.visit.plan",
            {"user_id": self.user_rep.id, "date_from": "2026-06-01", "date_to": "2026-06-30", "state": "approved"},
            "starts as a draft",
        )
        self._create(
            "state transitions",
            "sales.visit.plan",
            {
                "user_id": self.user_rep.id,
                "date_from": "2026-06-01",
                "date_to": "2026-06-30",
                "approved_by_id": self.user_manager.id,
            },
            "approved by a manager's action only",
        )
        self._write_plan("state transitions", self.plan, {"state": "approved"}, "cannot go from Draft to Approved")
        self._write_plan(
            "state transitions", self.plan, {"approved_by_id": self.user_rep.id}, "Only a sales manager can approve"
        )
        self._write_plan("state transitions", self.approved_plan, {"date_to": "2026-02-20"}, "only while it is a draft")
        self.authenticate("sm_manager", "sm_manager")
        for plan, state in ((self.plan, "approved"), (self.plan, "closed"), (self.closed_plan, "draft")):
            with self.subTest(plan=plan.name, target=state):
                self._write_plan("state transitions", plan, {"state": state}, "cannot go from")

    # -- Users ---------------------------------------------------------------------------
    def test_rpc_user_kind_refused(self):
        self.authenticate("sm_manager", "sm_manager")
        for user in (self.user_portal, self.user_employee):
            with self.subTest(user=user.login):
                self._write_visit("user kind", self.unplanned, {"user_id": user.id}, "cannot be the Sales Rep")
                self._write_plan("user kind", self.plan, {"user_id": user.id}, "cannot be the Sales Rep")
                self._create(
                    "user kind",
                    "sales.visit",
                    {"partner_id": self.customers[0].id, "date": "2026-03-17", "user_id": user.id},
                    "choose an internal user",
                )
        self.authenticate("sm_bv_contacts", "sm_bv_contacts")
        for user in (self.user_portal, self.user_employee):
            with self.subTest(user=user.login):
                self.assertRpcRefused(
                    "user kind",
                    "res.partner",
                    "write",
                    [self.customers[:1].ids, {"visit_user_id": user.id}],
                    "cannot be the Visit Rep",
                    unchanged=self.partners_unchanged,
                )
        self.assertRpcRefused(
            "selection values",
            "res.partner",
            "write",
            [self.customers[:1].ids, {"visit_frequency": "daily"}],
            "weekly (Weekly)",
            unchanged=self.partners_unchanged,
        )
        self.assertRpcRefused(
            "flow fields",
            "res.partner",
            "write",
            [self.customers[:1].ids, {"visit_lost_reason": NUL}],
            "",
            unchanged=self.partners_unchanged,
        )
        # A salesperson without Sales rights is no visit rep: the rep stays empty.
        customer = self.env["res.partner"].create({"name": "Employee's Customer", "user_id": self.user_employee.id})
        self.assertFalse(customer.visit_user_id)

    # -- Searches ----------------------------------------------------------------------------
    def _check_boolean_search(self, model, field, scope):
        """Every operator the search bar and RPC send for a boolean gives the right records
        or a clean refusal."""
        domain = [("id", "in", scope.ids)]
        true_ids = {record.id for record in scope if record[field]}
        false_ids = set(scope.ids) - true_ids
        self.assertTrue(true_ids and false_ids, f"the scope must hold both kinds of {field}")
        accepted = [
            ("=", True, true_ids),
            ("=", False, false_ids),
            ("=", None, false_ids),
            ("=", 1, true_ids),
            ("!=", True, false_ids),
            ("!=", False, true_ids),
            ("!=", None, true_ids),
            ("<>", True, false_ids),
            ("in", [True], true_ids),
            ("in", [False], false_ids),
            ("in", [True, False], true_ids | false_ids),
            ("in", [], set()),
            ("not in", [True], false_ids),
            ("not in", [False, None], true_ids),
            ("not in", [], true_ids | false_ids),
        ]
        for operator, value, expected in accepted:
            with self.subTest(field=field, operator=operator, value=value):
                self.assertEqual(self._search_ids(model, [*domain, (field, operator, value)]), expected)
        for operator, value in (
            ("ilike", "x"),
            ("<", 1),
            (">=", True),
            ("like", True),
            ("=", "yes"),
            ("in", "abc"),
            ("child_of", 1),
        ):
            with self.subTest(field=field, operator=operator, value=value):
                self.assertRpcRefused(
                    "search operators", model, "search_count", [[(field, operator, value)]], "can only be searched"
                )

    def test_rpc_search_operators(self):
        self.env["sales.visit"].create(
            {"partner_id": self.customers[0].id, "user_id": self.user_rep.id, "date": fields.Date.today()}
        )
        self.customers[:2].write({"visit_frequency": "weekly"})
        self.customers[0].sudo().visit_last_date = fields.Date.today()
        partners = self.customers | self.user_rep.partner_id
        self.authenticate("sm_rep", "sm_rep")
        self._check_boolean_search("res.partner", "is_visit_overdue", partners)
        self._check_boolean_search("res.partner", "is_internal_contact", partners)
        self._check_boolean_search(
            "sales.visit", "is_today", self.env["sales.visit"].search([("user_id", "=", self.user_rep.id)])
        )

    def test_rpc_search_values_and_reports(self):
        self.authenticate("sm_rep", "sm_rep")
        for model, domain, fragment in (
            ("sales.visit", [("date", "=", "abc")], "expects a date"),
            ("sales.visit", [("check_in", ">", "today")], "expects a date and time"),
            ("sales.visit", [("check_in_latitude", ">", "abc")], "expects a number"),
            ("sales.visit", [("duration", "<", math.nan)], "finite number"),
            ("sales.visit", [("duration", "in", [1.0, math.inf])], "finite number"),
            ("sales.visit.plan", [("completion_rate", ">=", "50%")], "expects a number"),
            ("sales.visit.daily.report", [("date", ">", "x")], "expects a date"),
            ("sales.visit.daily.report", [("visit_per_day", ">", math.nan)], "finite number"),
            ("sales.visit.daily.report", [("visit_done_count", ">", "x")], "expects a number"),
            ("sales.visit.coverage.report", [("days_since_visit", ">", "x")], "expects a number"),
            ("sales.visit.prospect.report", [("first_visit_date", "<", "x")], "expects a date"),
        ):
            with self.subTest(model=model, domain=domain):
                self.assertRpcRefused("search values", model, "search_count", [domain], fragment)
        # The reports are read-only, whatever the values.
        for model in ("sales.visit.daily.report", "sales.visit.coverage.report", "sales.visit.prospect.report"):
            with self.subTest(model=model):
                self.assertRpcRefused("read-only reports", model, "create", [[{}]], "not allowed")

    # -- Wizard --------------------------------------------------------------------------------
    def test_rpc_prospect_lost_wizard(self):
        self.authenticate("sm_manager", "sm_manager")
        prospects = [[6, 0, self.customers[:1].ids]]
        self._create(
            "control characters",
            "sales.visit.prospect.lost",
            {"partner_ids": prospects, "reason": NUL},
            "control character",
        )
        for vals, fragment in (
            ({"partner_ids": prospects, "reason": "   "}, "Give the reason"),
            ({"partner_ids": [], "reason": "Moved away"}, "Choose the prospects"),
        ):
            with self.subTest(vals=vals):
                [wizard_id], _error = self._rpc("sales.visit.prospect.lost", "create", [[vals]])
                self.assertRpcRefused(
                    "blank values",
                    "sales.visit.prospect.lost",
                    "action_confirm",
                    [[wizard_id]],
                    fragment,
                    unchanged=self.partners_unchanged,
                )

    # -- Forms --------------------------------------------------------------------------------
    def test_form_paths(self):
        Visit = self.env["sales.visit"].with_user(self.user_rep)
        count = self._counter("sales.visit")
        with self.assertRefused("control characters", "control character", unchanged=count):
            form = Form(Visit)
            form.partner_id = self.customers[0]
            form.date = D(2026, 3, 16)
            form.goal = NUL
            form.save()
        with self.assertRefused("date order", "cannot be before the visit itself", unchanged=self.visits_unchanged):
            form = Form(self.planned.with_user(self.user_rep))
            form.next_visit_date = D(2026, 3, 1)
            form.save()
        with self.assertRefused("date order", "cannot be before check-in", unchanged=self.visits_unchanged):
            form = Form(self.planned.with_user(self.user_rep))
            form.check_in = datetime(2026, 3, 10, 10, 0)
            form.check_out = datetime(2026, 3, 10, 9, 30)
            form.save()
        with self.assertRefused("future dates", "cannot be later than now", unchanged=self.visits_unchanged):
            form = Form(self.planned.with_user(self.user_rep))
            form.check_in = fields.Datetime.now() + timedelta(days=1)
            form.save()
        plans = self._counter("sales.visit.plan")
        with self.assertRefused("date order", "before it starts", unchanged=plans):
            form = Form(self.env["sales.visit.plan"].with_user(self.user_rep))
            form.date_from = D(2026, 5, 31)
            form.date_to = D(2026, 5, 1)
            form.save()

    # -- Imports --------------------------------------------------------------------------------
    def test_import_paths(self):
        Visit = self.env["sales.visit"].with_user(self.user_rep)
        count = self._counter("sales.visit")
        partner = str(self.customers[0].id)
        for field, value, fragment, klass in (
            ("goal", NUL, "control character", "control characters"),
            ("check_in_latitude", "nan", "finite number", "NaN and infinity"),
            ("check_in_latitude", "-inf", "finite number", "NaN and infinity"),
            ("check_in_latitude", "abc", "does not seem to be a number", "numbers as text"),
            ("check_in_latitude", "95", "between -90.0 and 90.0", "out of range"),
            ("purpose", "nope", "nope", "selection values"),
            ("date", "2026-13-45", "2026-13-45", "date formats"),
            ("next_visit_date", "2026-03-01", "cannot be before the visit itself", "date order"),
            ("user_id/.id", str(self.user_portal.id), "choose an internal user", "user kind"),
        ):
            with self.subTest(field=field, value=value):
                names = ["partner_id/.id", "date", field] if field != "date" else ["partner_id/.id", "date"]
                row = [partner, "2026-03-17", value] if field != "date" else [partner, value]
                self.assertLoadRefused(klass, Visit, names, [row], fragment, count)
        self.assertLoadRefused(
            "date order",
            self.env["sales.visit.plan"].with_user(self.user_rep),
            ["date_from", "date_to"],
            [["2026-07-31", "2026-07-01"]],
            "before it starts",
            self._counter("sales.visit.plan"),
        )

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .scorecard_common import ScorecardCase


@tagged("post_install", "-at_install")
@freeze_time("2026-11-15")
class TestCustomerForecast(ScorecardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._invoice(cls.birch, date(2026, 8, 20), 1200.0)
        cls._invoice(cls.birch, date(2026, 10, 8), 900.0)
        cls._invoice(cls.alder, date(2026, 10, 5), 5000.0)
        cls._plan(
            lines=[
                {
                    "breakdown": "customer",
                    "partner_id": cls.alder.id,
                    "user_id": cls.rep.id,
                    "date_from": date(2026, 12, 1),
                    "date_to": date(2026, 12, 31),
                    "target_amount": 3000.0,
                }
            ]
        )

    def test_prepare_prefills_from_quota_lines_and_last_months(self):
        wizard = self.env["sales.customer.forecast.prepare"].with_user(self.rep).create({})
        self.assertEqual(wizard.month, date(2026, 12, 1))
        action = wizard.action_prepare()
        forecasts = self.env["sales.customer.forecast"].with_user(self.rep).search(action["domain"])
        by_partner = {forecast.partner_id: forecast.forecast_amount for forecast in forecasts}
        self.assertEqual(set(by_partner), {self.alder, self.birch, self.carl, self.dogwood})
        self.assertAlmostEqual(by_partner[self.alder], 3000.0)  # his quota line of December
        self.assertAlmostEqual(by_partner[self.birch], 700.0)  # (1200 + 900) / 3 months
        self.assertAlmostEqual(by_partner[self.dogwood], 0.0)
        # Preparing again keeps what is there and adds nothing.
        forecasts.filtered(lambda f: f.partner_id == self.birch).forecast_amount = 800.0
        self.env["sales.customer.forecast.prepare"].with_user(self.rep).create({}).action_prepare()
        again = self.env["sales.customer.forecast"].with_user(self.rep).search(action["domain"])
        self.assertEqual(again, forecasts)
        self.assertAlmostEqual(again.filtered(lambda f: f.partner_id == self.birch).forecast_amount, 800.0)
        # A rep forecasts a month that has not started, for himself only.
        with self.assertRaises(UserError):
            self.env["sales.customer.forecast.prepare"].with_user(self.rep).create(
                {"month": date(2026, 11, 1)}
            ).action_prepare()
        with self.assertRaises(UserError):
            self.env["sales.customer.forecast.prepare"].with_user(self.rep).create(
                {"user_id": self.rep2.id}
            ).action_prepare()

    def test_rep_rules(self):
        Forecast = self.env["sales.customer.forecast"]
        october = Forecast.create(
            {"date": date(2026, 10, 1), "partner_id": self.alder.id, "user_id": self.rep.id, "forecast_amount": 4000}
        )
        other = Forecast.create(
            {"date": date(2026, 12, 1), "partner_id": self.elm.id, "user_id": self.rep2.id, "forecast_amount": 100}
        )
        self.assertEqual(Forecast.with_user(self.rep).search([]), october)
        with self.assertRaises(AccessError):
            other.with_user(self.rep).read(["forecast_amount"])
        with self.assertRaises(UserError):
            october.with_user(self.rep).forecast_amount = 5000
        with self.assertRaises(UserError):
            october.with_user(self.rep).unlink()
        with self.assertRaises(UserError):
            Forecast.with_user(self.rep).create(
                {"date": date(2026, 11, 1), "partner_id": self.birch.id, "forecast_amount": 10}
            )
        with self.assertRaises(UserError):
            Forecast.with_user(self.rep).create(
                {"date": date(2026, 12, 1), "partner_id": self.birch.id, "user_id": self.rep2.id}
            )
        december = Forecast.with_user(self.rep).create(
            {"date": date(2026, 12, 1), "partner_id": self.birch.id, "forecast_amount": 10}
        )
        with self.assertRaises(UserError):
            december.with_user(self.rep).date = date(2026, 11, 1)
        with self.assertRaises(ValidationError):
            december.with_user(self.rep).forecast_amount = -1
        with self.assertRaises(ValidationError):
            Forecast.create({"date": date(2026, 12, 15), "partner_id": self.dogwood.id, "user_id": self.rep.id})
        # The manager corrects a started month.
        october.with_user(self.manager).forecast_amount = 5500
        # Actual and accuracy: 5000 bought of 5500 forecast.
        self.assertAlmostEqual(october.actual_amount, 5000.0)
        self.assertAlmostEqual(october.difference_amount, -500.0)
        self.assertAlmostEqual(october.accuracy, (1 - 500 / 5500) * 100, places=1)  # shown to 0.1%

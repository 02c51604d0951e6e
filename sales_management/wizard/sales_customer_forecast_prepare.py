from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.sales_management_input_mixin import INTERNAL_USER_GROUPS


class SalesCustomerForecastPrepare(models.TransientModel):
    """Prepare a rep's forecast grid for a month: one line per customer, prefilled."""

    _name = "sales.customer.forecast.prepare"
    _inherit = ["sales.management.input.mixin"]
    _description = "Prepare Customer Forecasts"

    def _default_month(self):
        return fields.Date.add(fields.Date.context_today(self).replace(day=1), months=1)

    month = fields.Date(required=True, default=_default_month, help="Any day of the month to forecast.")
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)

    @api.constrains("user_id")
    def _check_user_id(self):
        self._check_input_user("user_id", INTERNAL_USER_GROUPS)

    def action_prepare(self):
        self.ensure_one()
        month = self.month.replace(day=1)
        is_manager = self.env.user.has_group("sales_team.group_sale_salesman_all_leads")
        if not is_manager and self.user_id != self.env.user:
            raise UserError(self.env._("You can only prepare your own forecasts (Salesperson)."))
        if not is_manager and month <= fields.Date.context_today(self).replace(day=1):
            raise UserError(
                self.env._(
                    "Forecast a month that has not started yet (Month: %(month)s).", month=month.strftime("%Y-%m")
                )
            )
        self.env["sales.customer.forecast"].with_company(self.company_id)._prepare_forecasts(
            self.user_id, month, self.company_id
        )
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_management.sales_customer_forecast_action")
        action["domain"] = [
            ("company_id", "=", self.company_id.id),
            ("date", "=", month),
            ("user_id", "=", self.user_id.id),
        ]
        action["context"] = {"default_date": month, "default_user_id": self.user_id.id}
        return action

from odoo import api, fields, models
from odoo.osv import expression

from ..tools.visit_frequency import FREQUENCY_DAYS, VISIT_FREQUENCIES


class ResPartner(models.Model):
    _inherit = "res.partner"

    # -- Complaints --------------------------------------------------------
    complaint_count = fields.Integer(
        compute="_compute_complaint_count", groups="sales_management.group_sales_management_user"
    )

    def _compute_complaint_count(self):
        commercial = self.commercial_partner_id
        counts = dict(
            self.env["sales.complaint"]._read_group([("partner_id", "in", commercial.ids)], ["partner_id"], ["__count"])
        )
        for partner in self:
            partner.complaint_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_complaints(self):
        self.ensure_one()
        return self.env["sales.complaint"]._get_records_action_for(
            [("partner_id", "=", self.commercial_partner_id.id)],
            {"default_partner_id": self.commercial_partner_id.id, "default_contact_id": self.id},
        )

    def action_new_complaint(self):
        self.ensure_one()
        return self.env["sales.complaint"]._get_new_action_for(
            {"default_partner_id": self.commercial_partner_id.id, "default_contact_id": self.id}
        )

    # -- Visits (拜访) ---------------------------------------------------------
    visit_frequency = fields.Selection(
        VISIT_FREQUENCIES,
        default=lambda self: self._get_default_visit_frequency(),
        help="How often the responsible rep should see this customer (拜访频率).",
    )
    visit_user_id = fields.Many2one(
        "res.users",
        string="Visit Rep",
        compute="_compute_visit_user_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        help="Sales representative responsible for visiting this customer; defaults to the salesperson.",
    )
    visit_ids = fields.One2many("sales.visit", "partner_id", string="Visits")
    visit_count = fields.Integer(compute="_compute_visit_count")
    # Kept up to date by sales.visit (create, write, unlink of done visits) rather
    # than by a compute on visit_ids, so planning visits never rewrites customers.
    visit_last_date = fields.Date(
        string="Last Visit",
        readonly=True,
        copy=False,
        help="Date of the last visit done.",
    )
    visit_next_date = fields.Date(
        string="Next Visit Due",
        compute="_compute_visit_next_date",
        store=True,
        help="Last visit plus the visit frequency; empty when never visited (due now).",
    )
    is_visit_overdue = fields.Boolean(
        string="Visit Overdue",
        compute="_compute_is_visit_overdue",
        search="_search_is_visit_overdue",
        help="A visit rep is set and the customer was never visited or his next visit is past due.",
    )

    def _get_default_visit_frequency(self):
        """Visit frequency of a new customer. Extension point: credit grades and
        key accounts override it."""
        return "biweekly"

    @api.depends("user_id", "parent_id")
    def _compute_visit_user_id(self):
        # Customers are visited, not each of their contacts: contacts get a rep only by hand.
        for partner in self:
            if not partner.visit_user_id and not partner.parent_id:
                partner.visit_user_id = partner.user_id

    def _compute_visit_count(self):
        counts = dict(
            self.env["sales.visit"]._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"])
        )
        for partner in self:
            partner.visit_count = counts.get(partner, 0)

    @api.depends("visit_last_date", "visit_frequency")
    def _compute_visit_next_date(self):
        for partner in self:
            days = FREQUENCY_DAYS.get(partner.visit_frequency)
            partner.visit_next_date = (
                fields.Date.add(partner.visit_last_date, days=days) if partner.visit_last_date and days else False
            )

    def _compute_is_visit_overdue(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.is_visit_overdue = bool(
                partner.visit_user_id
                and partner.visit_frequency
                and (not partner.visit_next_date or partner.visit_next_date < today)
            )

    def _search_is_visit_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Operation not supported"))
        today = fields.Date.context_today(self)
        domain = [
            ("visit_user_id", "!=", False),
            ("visit_frequency", "!=", False),
            "|",
            ("visit_next_date", "=", False),
            ("visit_next_date", "<", today),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", *expression.normalize_domain(domain)]

    def _update_visit_last_date(self):
        """Set the last visit date from the visits done (set-based)."""
        last = dict(
            self.env["sales.visit"]
            .sudo()
            ._read_group(
                [("partner_id", "in", self.ids), ("state", "=", "done")],
                ["partner_id"],
                ["date:max"],
            )
        )
        for partner in self.sudo():
            if partner.visit_last_date != last.get(partner):
                partner.visit_last_date = last.get(partner)

    def action_view_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_management.sales_visit_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import complaint_deadline

# Longest reply or on-site period a category accepts (the deadlines count this far ahead).
MAX_DEADLINE_DAYS = 365


class SalesComplaintCategory(models.Model):
    _name = "sales.complaint.category"
    _inherit = ["sales.management.input.mixin"]
    _description = "Complaint Category"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    is_quality = fields.Boolean(
        string="Quality Category",
        help="Quality complaints need a root cause before they are resolved, and someone on site "
        "within the on-site days.",
    )
    reply_days = fields.Integer(
        default=complaint_deadline.DEFAULT_REPLY_DAYS,
        help="Days after receipt within which the customer must have an answer.",
    )
    onsite_days = fields.Integer(
        string="On-site Days",
        default=complaint_deadline.DEFAULT_ONSITE_DAYS,
        help="Quality categories only: days after receipt within which the responsible departments "
        "are contacted and someone is sent on site.",
    )
    description = fields.Text()
    complaint_ids = fields.One2many("sales.complaint", "category_id")
    complaint_count = fields.Integer(compute="_compute_complaint_count")

    _sql_constraints = [
        ("name_uniq", "unique (name)", "A complaint category with this name already exists."),
        ("reply_days_positive", "CHECK (reply_days >= 0)", "Reply days cannot be negative."),
        ("onsite_days_positive", "CHECK (onsite_days >= 0)", "On-site days cannot be negative."),
    ]

    @api.constrains("name")
    def _check_name(self):
        for category in self:
            if not (category.name or "").strip():
                raise ValidationError(self.env._("A complaint category needs a name, not blank text."))

    @api.model
    def _get_input_ranges(self):
        days = (0, MAX_DEADLINE_DAYS)
        return {**super()._get_input_ranges(), "reply_days": days, "onsite_days": days}

    @api.constrains("reply_days", "onsite_days")
    def _check_days(self):
        self._check_input_range(["reply_days", "onsite_days"])

    def _compute_complaint_count(self):
        counts = dict(
            self.env["sales.complaint"]._read_group([("category_id", "in", self.ids)], ["category_id"], ["__count"])
        )
        for category in self:
            category.complaint_count = counts.get(category, 0)

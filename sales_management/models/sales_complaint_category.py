from odoo import fields, models

from ..tools import complaint_deadline


class SalesComplaintCategory(models.Model):
    _name = "sales.complaint.category"
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

    def _compute_complaint_count(self):
        counts = dict(
            self.env["sales.complaint"]._read_group([("category_id", "in", self.ids)], ["category_id"], ["__count"])
        )
        for category in self:
            category.complaint_count = counts.get(category, 0)

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .sales_management_input_mixin import INTERNAL_USER_GROUPS


class SalesArea(models.Model):
    """Sales area (区域): the key of every customer-management form of the seeds.

    A customer's area defaults from his salesperson's sales team; quota lines,
    credit statuses, visits, complaints and scorecards store it to group by it.
    """

    _name = "sales.area"
    _inherit = ["sales.management.input.mixin"]
    _description = "Sales Area"
    _parent_store = True
    _order = "complete_name, id"
    _rec_name = "complete_name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    complete_name = fields.Char("Full Name", compute="_compute_complete_name", recursive=True, store=True)
    code = fields.Char()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Leave empty to share the area between companies.",
    )
    manager_id = fields.Many2one("res.users", string="Area Manager", domain=[("share", "=", False)])
    parent_id = fields.Many2one("sales.area", string="Parent Area", index=True, ondelete="restrict", check_company=True)
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("sales.area", "parent_id", string="Sub-Areas")
    team_ids = fields.One2many("crm.team", "area_id", string="Sales Teams")
    partner_count = fields.Integer("Customers", compute="_compute_partner_count")
    note = fields.Text()

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "The code of an area is unique in its company."),
    ]

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for area in self:
            area.complete_name = f"{area.parent_id.complete_name} / {area.name}" if area.parent_id else area.name

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("area_id", "in", self.ids), ("parent_id", "=", False)], ["area_id"], ["__count"]
            )
        )
        for area in self:
            area.partner_count = counts.get(area, 0)

    @api.constrains("name")
    def _check_name(self):
        for area in self:
            if not (area.name or "").strip():
                raise ValidationError(self.env._("An area needs a name (Name)."))

    @api.constrains("manager_id")
    def _check_manager_id(self):
        self._check_input_user("manager_id", INTERNAL_USER_GROUPS)

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(self.env._("An area cannot be its own parent (Parent Area)."))

    def write(self, vals):
        # Before the parent path is rebuilt, which refuses a cycle without naming the field.
        parent_id = vals.get("parent_id")
        if isinstance(parent_id, int) and not isinstance(parent_id, bool) and self.ids:
            descendants = self.with_context(active_test=False).search([("id", "child_of", self.ids)])
            if parent_id in descendants.ids:
                raise ValidationError(self.env._("An area cannot be its own parent (Parent Area)."))
        return super().write(vals)

    def action_view_partners(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customers of %(area)s", area=self.complete_name),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("area_id", "=", self.id), ("parent_id", "=", False)],
            "context": {"default_area_id": self.id},
        }

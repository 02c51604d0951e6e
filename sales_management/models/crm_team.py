from odoo import fields, models


class CrmTeam(models.Model):
    _name = "crm.team"
    _inherit = ["crm.team", "sales.management.input.mixin"]

    area_id = fields.Many2one(
        "sales.area",
        string="Area",
        index="btree_not_null",
        check_company=True,
        help="Area (区域) of the team: the customers of its salespeople get it by default.",
    )

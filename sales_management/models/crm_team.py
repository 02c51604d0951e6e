from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    area_id = fields.Many2one(
        "sales.area",
        string="Area",
        index="btree_not_null",
        check_company=True,
        help="Area (区域) of the team: the customers of its salespeople get it by default.",
    )

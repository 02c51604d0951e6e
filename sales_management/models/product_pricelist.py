from odoo import api, models


class ProductPricelist(models.Model):
    _inherit = "product.pricelist"

    @api.model
    def _get_partner_pricelist_multi_search_domain_hook(self, company_id):
        # A customer without a pricelist of his own falls back to the first pricelist of his
        # company: never a grade's, or every ungraded customer would get its discount
        # (the grades' pricelists are shared by the companies). Graded customers are put
        # on their grade's pricelist explicitly (sales.credit.status._sync_grade_pricelists).
        domain = super()._get_partner_pricelist_multi_search_domain_hook(company_id)
        grade_pricelists = self._get_grade_pricelist_ids()
        if grade_pricelists:
            domain = [*domain, ("id", "not in", grade_pricelists)]
        return domain

    @api.model
    def _get_grade_pricelist_ids(self):
        """The pricelists some credit grade (of any company) gives its customers."""
        return [
            pricelist.id
            for [pricelist] in self.env["sales.credit.grade"]
            .sudo()
            .with_context(active_test=False)
            ._read_group([("pricelist_id", "!=", False)], ["pricelist_id"])
        ]

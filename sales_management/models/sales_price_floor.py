from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from ..tools import price_floor
from ..tools.price_floor import FLOOR_TYPES


class SalesPriceFloor(models.Model):
    """The lowest price, or the largest discount, a rep may give a grade (价格底线).

    Per credit grade and product category (its subcategories included) or product; a
    product's own floor comes before its category's, the nearest category before its
    parents. Optionally a margin floor, checked where the product's cost is known. A
    quotation with a line beyond its floor is confirmed only under a special-discount
    approval (``sales.price.exception``).
    """

    _name = "sales.price.floor"
    _inherit = ["sales.management.input.mixin"]
    _description = "Price Floor"
    _order = "grade_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    grade_id = fields.Many2one(
        "sales.credit.grade", "Credit Grade", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one("res.company", help="Leave empty to apply the floor in every company.")
    categ_id = fields.Many2one(
        "product.category",
        "Product Category",
        ondelete="cascade",
        help="The floor applies to the products of this category and of its subcategories.",
    )
    product_id = fields.Many2one(
        "product.product",
        "Product",
        ondelete="cascade",
        check_company=True,
        help="A floor of its own for one product, before its category's.",
    )
    floor_type = fields.Selection(FLOOR_TYPES, "Floor", required=True, default="discount")
    max_discount = fields.Float(
        "Largest Discount (%)",
        digits=(5, 2),
        help="The largest discount off the list price a rep may give customers of this grade.",
    )
    min_price = fields.Float(
        "Lowest Unit Price",
        digits="Product Price",
        help="The lowest unit price (company currency, the product's unit of measure) a rep may give.",
    )
    min_margin = fields.Float(
        "Margin Floor (%)",
        digits=(5, 2),
        help="The lowest margin on the net price, where the product's cost is known; 0 for none.",
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("grade_id", "categ_id", "product_id")
    def _compute_display_name(self):
        for floor in self:
            scope = floor.product_id.display_name or floor.categ_id.display_name or ""
            floor.display_name = f"{floor.grade_id.name or ''} / {scope}"

    @api.depends("company_id")
    def _compute_currency_id(self):
        for floor in self:
            floor.currency_id = (floor.company_id or self.env.company).currency_id

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.model
    def _get_input_ranges(self):
        return {
            **super()._get_input_ranges(),
            "max_discount": (0.0, 100.0),
            "min_margin": (0.0, 100.0),
            "min_price": (0.0, None),
        }

    @api.constrains("categ_id", "product_id", "floor_type", "min_price", "max_discount", "min_margin")
    def _check_floor(self):
        self._check_input_range(["max_discount", "min_margin", "min_price"])
        for floor in self:
            if bool(floor.categ_id) == bool(floor.product_id):
                raise ValidationError(
                    self.env._("A price floor applies to a product category or to a product: choose one of them.")
                )
            if floor.floor_type == "price" and floor.min_price <= 0:
                raise ValidationError(
                    self.env._(
                        "A lowest-price floor needs a lowest unit price above zero (%(floor)s).",
                        floor=floor.display_name,
                    )
                )

    @api.constrains("grade_id", "company_id", "categ_id", "product_id", "active")
    def _check_unique_scope(self):
        for floor in self.filtered("active"):
            twin = self.search_count(
                [
                    ("id", "!=", floor.id),
                    ("grade_id", "=", floor.grade_id.id),
                    ("company_id", "=", floor.company_id.id),
                    ("categ_id", "=", floor.categ_id.id),
                    ("product_id", "=", floor.product_id.id),
                ],
                limit=1,
            )
            if twin:
                raise ValidationError(
                    self.env._(
                        "Grade %(grade)s already has a price floor for %(scope)s.",
                        grade=floor.grade_id.name,
                        scope=floor.product_id.display_name or floor.categ_id.display_name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    # Whether a company has floors is cached (_has_floors): any change of a floor clears it.
    @api.model_create_multi
    def create(self, vals_list):
        floors = super().create(vals_list)
        self.env.registry.clear_cache()
        return floors

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    @tools.ormcache("company_id")
    def _has_floors(self, company_id):
        """Whether ``company_id`` has an active floor (its own or one of every company).

        Most companies have none: then a confirmation reads no grade for its floors (issue 16).
        """
        return bool(
            self.sudo()
            .with_context(active_test=True)
            .search_count([("company_id", "in", (False, company_id))], limit=1)
        )

    @api.model
    def _get_floor_values(self, grades, company):
        """The active floors of ``grades`` in ``company``, as plain values: ``{grade id: [floor]}``.

        One query; each floor a dict as ``tools.price_floor`` reads it, with its record.
        """
        floors = (
            self.sudo()
            .with_context(active_test=True)
            .search([("grade_id", "in", grades.ids), ("company_id", "in", (False, company.id))])
        )
        result = {}
        for floor in floors:
            result.setdefault(floor.grade_id.id, []).append(
                {
                    "id": floor.id,
                    "record": floor,
                    "product_id": floor.product_id.id or None,
                    "category_path": floor.categ_id.parent_path or None,
                    "company_id": floor.company_id.id or None,
                    "floor_type": floor.floor_type,
                    "max_discount": floor.max_discount,
                    "min_price": floor.min_price,
                    "min_margin": floor.min_margin,
                }
            )
        return result

    @api.model
    def _pick(self, floors, product):
        return price_floor.pick_floor(floors or [], product.id, product.categ_id.parent_path)

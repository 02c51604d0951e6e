from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

from ..tools import price_floor
from . import sales_credit_sql
from .sale_order import _CREDIT_CHECK_DISABLED, credit_relevant_fields
from .sales_credit_status import check_credit_inputs, drop_credit_input_defaults
from .sales_price_exception import COVERED_LINE_FIELDS, line_snapshot


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # Not stored: they only let _read_group group order lines for quota
    # achievement on the order basis (order date, team, customer, category).
    quota_date = fields.Datetime(related="order_id.date_order", string="Quota Order Date")
    quota_team_id = fields.Many2one(related="order_id.team_id", string="Quota Sales Team")
    quota_partner_id = fields.Many2one(related="order_id.partner_id.commercial_partner_id", string="Quota Customer")
    quota_categ_id = fields.Many2one(related="product_id.categ_id", string="Quota Product Category")
    # Stored so that the exposure finds, by index, the open lines of the orders invoiced to
    # a party (their invoices will be its debt), as it finds its own by order_partner_id.
    order_partner_invoice_id = fields.Many2one(
        related="order_id.partner_invoice_id", string="Invoice Address", store=True, index=False
    )

    def init(self):
        res = super().init()
        # The credit check's indexes (sales_credit_sql.INDEXES), once the stored invoice address exists.
        sales_credit_sql.create_indexes(self.env.cr)
        return res

    # The order basis' margin: the product's cost when the line is made or its
    # product, unit or quantity changes, as the Sales margin takes it (without
    # depending on that module), but in company currency so lines of orders in
    # several currencies add up.
    quota_cost = fields.Float(
        "Cost (Company Currency)",
        compute="_compute_quota_cost",
        store=True,
        precompute=True,
        copy=False,
        digits="Product Price",
        help="The product's cost in its unit of measure converted to the line's, times the quantity.",
    )

    # The price-leakage report's list price: the product's sales price when the line is
    # made or its product, unit or quantity changes, in company currency.
    price_list_total = fields.Float(
        "List Amount (Company Currency)",
        compute="_compute_price_list_total",
        store=True,
        precompute=True,
        copy=False,
        digits="Product Price",
        help="The product's sales price in its unit of measure converted to the line's, times the quantity.",
    )

    def _auto_init(self):
        # Fill the column of existing order lines in one statement, at today's sales price.
        if not column_exists(self.env.cr, "sale_order_line", "price_list_total"):
            create_column(self.env.cr, "sale_order_line", "price_list_total", "numeric")
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE sale_order_line l
                       SET price_list_total = pt.list_price * l.product_uom_qty / lu.factor * pu.factor
                      FROM product_product pp, product_template pt, uom_uom pu, uom_uom lu
                     WHERE pp.id = l.product_id
                       AND pt.id = pp.product_tmpl_id
                       AND pu.id = pt.uom_id
                       AND lu.id = l.product_uom
                       AND lu.category_id = pu.category_id
                       AND lu.factor != 0
                    """
                )
            )
        # Fill the column of existing order lines in one statement, at today's product cost.
        if not column_exists(self.env.cr, "sale_order_line", "quota_cost"):
            create_column(self.env.cr, "sale_order_line", "quota_cost", "numeric")
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE sale_order_line l
                       SET quota_cost = COALESCE((pp.standard_price ->> l.company_id::text)::numeric, 0)
                                        * l.product_uom_qty / lu.factor * pu.factor
                      FROM product_product pp, product_template pt, uom_uom pu, uom_uom lu
                     WHERE pp.id = l.product_id
                       AND pt.id = pp.product_tmpl_id
                       AND pu.id = pt.uom_id
                       AND lu.id = l.product_uom
                       AND lu.category_id = pu.category_id
                       AND lu.factor != 0
                    """
                )
            )
        return super()._auto_init()

    @api.depends("product_id", "product_uom", "product_uom_qty", "company_id")
    def _compute_quota_cost(self):
        for line in self:
            if not line.product_id or not line.company_id:
                line.quota_cost = 0.0
                continue
            product = line.product_id.sudo().with_company(line.company_id)
            unit_cost = product.uom_id._compute_price(product.standard_price, line.product_uom or product.uom_id)
            currency = product.cost_currency_id
            company_currency = line.company_id.currency_id
            if currency and currency != company_currency:
                unit_cost = currency._convert(
                    unit_cost, company_currency, line.company_id, fields.Date.context_today(line)
                )
            line.quota_cost = unit_cost * line.product_uom_qty

    @api.depends("product_id", "product_uom", "product_uom_qty", "company_id")
    def _compute_price_list_total(self):
        for line in self:
            if not line.product_id or line.display_type:
                line.price_list_total = 0.0
                continue
            product = line.product_id.sudo().with_company(line.company_id)
            unit_price = product.uom_id._compute_price(product.lst_price, line.product_uom or product.uom_id)
            line.price_list_total = unit_price * line.product_uom_qty

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def default_get(self, fields_list):
        return drop_credit_input_defaults(self, super().default_get(fields_list))

    @api.model_create_multi
    def create(self, vals_list):
        check_credit_inputs(self.browse(), vals_list)
        order_ids = {vals.get("order_id") or self.env.context.get("default_order_id") for vals in vals_list}
        orders = self.env["sale.order"].browse(oid for oid in order_ids if isinstance(oid, int))
        lines = self._call_with_credit_watch(orders, super().create, vals_list)
        lines._after_price_change(created=True)
        return lines

    def write(self, vals):
        check_credit_inputs(self, [vals])
        if not set(vals) & self._get_credit_relevant_fields():
            return super().write(vals)
        orders = self.order_id
        if isinstance(vals.get("order_id"), int):
            orders |= orders.browse(vals["order_id"])
        result = self._call_with_credit_watch(orders, super().write, vals)
        if set(vals) & {*COVERED_LINE_FIELDS, "order_id"}:
            # The orders it left too: their approvals may cover it.
            self._after_price_change(previous_orders=orders)
        return result

    def unlink(self):
        orders = self.order_id
        result = self._call_with_credit_watch(self.order_id, super().unlink)
        orders.exists()._void_changed_price_exceptions()
        return result

    # ------------------------------------------------------------
    # CREDIT CHECK
    # ------------------------------------------------------------

    @api.model
    @tools.ormcache()
    def _get_credit_relevant_fields(self):
        return credit_relevant_fields(self)

    @api.model
    def _call_with_credit_watch(self, orders, method, *args):
        """Run ``method`` while the credit of ``orders`` is watched (see sale.order._watch_credit)."""
        if _CREDIT_CHECK_DISABLED.get():
            return method(*args)
        watched = orders._filter_credit_watched()
        if not watched:
            return method(*args)
        with watched._watch_credit():
            return method(*args)

    # ------------------------------------------------------------
    # PRICE FLOORS
    # ------------------------------------------------------------

    is_below_price_floor = fields.Boolean(
        "Below Price Floor",
        compute="_compute_is_below_price_floor",
        compute_sudo=True,
    )

    @api.depends("order_id.partner_id", "product_id", "price_subtotal", "product_uom_qty")
    def _compute_is_below_price_floor(self):
        breaches = self.order_id.filtered("partner_id")._get_price_floor_breaches() if self.order_id else {}
        below = {b["line"].id for found in breaches.values() for b in found}
        for line in self:
            line.is_below_price_floor = line.id in below

    def _get_price_floor_prices(self):
        """List price, net price and cost of one unit of the line, in company currency."""
        self.ensure_one()
        product = self.product_id.with_company(self.company_id)
        uom = self.product_uom or product.uom_id
        net = self.price_subtotal / self.product_uom_qty / (self.order_id.currency_rate or 1.0)
        return {
            "list_price": product.uom_id._compute_price(product.lst_price, uom),
            "net_price": net,
            "cost": product.uom_id._compute_price(product.sudo().standard_price, uom),
            "floor_price_factor": product.uom_id._compute_price(1.0, uom),
        }

    def _get_price_floor_breach(self, grade, floors):
        """The breach of this line against ``grade``'s ``floors`` (tools.price_floor), or None."""
        self.ensure_one()
        if self.display_type or self.is_downpayment or not self.product_id or self.product_uom_qty <= 0:
            return None
        floor = self.env["sales.price.floor"]._pick(floors, self.product_id)
        if not floor:
            return None
        prices = self._get_price_floor_prices()
        # The lowest price is per unit of the product: per unit of the line here.
        floor_values = {**floor, "min_price": floor["min_price"] * prices["floor_price_factor"]}
        gap = price_floor.floor_gap(floor_values, prices["list_price"], prices["net_price"], prices["cost"])
        if not gap:
            return None
        currency = self.company_id.currency_id
        discount = price_floor.discount_percent(prices["list_price"], prices["net_price"])
        if floor["floor_type"] == "discount":
            rule = self.env._("largest discount %(discount)s%%", discount=floor["max_discount"])
        else:
            rule = self.env._("lowest price %(price)s", price=currency.format(floor_values["min_price"]))
        if floor["min_margin"]:
            rule = self.env._("%(rule)s, margin at least %(margin)s%%", rule=rule, margin=floor["min_margin"])
        return {
            "line": self,
            "grade": grade,
            "floor": floor["record"],
            "gap": gap,
            **prices,
            "discount": discount,
            "message": self.env._(
                "%(product)s: net %(net)s, list %(list)s (discount %(discount)s%%), below the floor "
                "(%(rule)s) by %(gap)s points",
                product=self.product_id.display_name,
                net=currency.format(prices["net_price"]),
                list=currency.format(prices["list_price"]),
                discount=round(discount, 2),
                rule=rule,
                gap=round(gap, 2),
            ),
        }

    def _after_price_change(self, created=False, previous_orders=None):
        """After a change of these lines' price, discount, quantity or product (values applied).

        Requests and approvals covering them are voided; lines of confirmed orders must
        stay within their floor unless the approval the order was confirmed under covers
        them as they are.
        """
        orders = self.order_id
        if not created:
            (orders | (previous_orders or orders.browse())).exists()._void_changed_price_exceptions()
        if _CREDIT_CHECK_DISABLED.get():
            return
        confirmed = self.filtered(lambda line: line.order_id.state == "sale")
        if not confirmed:
            return
        breaches = confirmed.order_id._get_price_floor_breaches()
        for order in confirmed.order_id.sudo():
            found = [b for b in breaches.get(order.id, []) if b["line"] in confirmed]
            if not found:
                continue
            used = order.price_exception_ids.filtered(lambda e: e.state == "used")[:1]
            snapshot = used.line_snapshot or {}
            if all(snapshot.get(str(b["line"].id)) == line_snapshot(b["line"]) for b in found):
                continue
            raise UserError(
                self.env._(
                    "%(order)s is confirmed: its lines cannot go below the price floor of grade %(grade)s:\n%(lines)s",
                    order=order.name,
                    grade=found[0]["grade"].name,
                    lines="\n".join(b["message"] for b in found),
                )
            )

import json
import logging
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_amount, formatLang

from ..tools import ageing, credit_score
from . import sales_credit_sql

_logger = logging.getLogger(__name__)

ABC_CLASSES = [("a", "A"), ("b", "B"), ("c", "C")]
CREDIT_STATES = [
    ("hold", "On Hold"),
    ("over_limit", "Over Limit"),
    ("overdue", "Overdue"),
    ("ok", "In Good Standing"),
]
INDUSTRY_POSITION_POINTS = {"leader": 100.0, "strong": 75.0, "average": 50.0, "weak": 25.0}


def _ageing_condition(first, last):
    """SQL condition of one bucket of tools.ageing.AGEING_BUCKETS on ``aml``, days past due
    as ``tools.ageing.bucket_for`` counts them (no due date: not due)."""
    days = "(%(today)s - COALESCE(aml.date_maturity, %(today)s))"
    if first is None:
        return f"{days} <= {last}"
    if last is None:
        return f"{days} >= {first}"
    return f"{days} BETWEEN {first} AND {last}"


# SQL conditions of the ageing buckets, generated from tools.ageing.AGEING_BUCKETS.
AGEING_CONDITIONS = [_ageing_condition(first, last) for _key, _label, first, last in ageing.AGEING_BUCKETS]

NO_OPEN_ITEMS = {
    "receivable": 0.0,
    "notes": 0.0,
    "overdue_amount": 0.0,
    "oldest_due": None,
    "buckets": [0.0] * len(AGEING_CONDITIONS),
}

# The credit position of customers comes from the exposure function (sales_credit_sql).
# What the function reads (flushed before it runs; the balances follow journal items).
EXPOSURE_FIELDS = {
    "res.partner": ["commercial_partner_id", "credit_limit"],
    "res.company": ["credit_notes_account_ids"],
    "account.move.line": [
        "price_total",
        "partner_id",
        "company_id",
        "account_id",
        "parent_state",
        "reconciled",
        "amount_residual",
        "date_maturity",
    ],
    "account.move": ["commercial_partner_id", "state", "move_type", "company_id", "amount_total_signed"],
    "sale.order.line": [
        "order_partner_id",
        "order_partner_invoice_id",
        "order_id",
        "state",
        "display_type",
        "is_downpayment",
        "invoice_lines",
        "qty_invoiced",
        "product_uom_qty",
        "price_total",
        "company_id",
    ],
    "sale.order": ["currency_rate"],
    "sales.credit.status": ["partner_id", "company_id", "hold", "grade_id"],
}
# Stored values the ORM computes (or only Odoo's own flows set) that the exposure, an
# order's credit amount or Odoo's credit warning read. Writing them is refused to all
# but the superuser, and no default fills them (a context key, a user default): the
# check then reads what the ORM computed from what users may change (quantities,
# prices, discounts, taxes, dates, pricelists, invoices), each of which sets off the
# check where it raises an order's credit.
CREDIT_INPUT_FIELDS = {
    "sale.order": [
        "amount_untaxed",
        "amount_tax",
        "amount_total",
        "currency_rate",
        "credit_exception_id",
        "credit_exception_ids",
    ],
    "sale.order.line": [
        "order_partner_id",
        "order_partner_invoice_id",
        "state",
        "company_id",
        "currency_id",
        "is_downpayment",
        "invoice_lines",
        "qty_invoiced",
        "qty_to_invoice",
        "price_subtotal",
        "price_tax",
        "price_total",
        "price_reduce_taxexcl",
        "price_reduce_taxinc",
        "untaxed_amount_invoiced",
        "untaxed_amount_to_invoice",
    ],
    "account.move": [
        "commercial_partner_id",
        "amount_untaxed",
        "amount_tax",
        "amount_total",
        "amount_residual",
        "amount_untaxed_signed",
        "amount_tax_signed",
        "amount_total_signed",
        "amount_residual_signed",
        "amount_total_in_currency_signed",
    ],
    "account.move.line": [
        "company_id",
        "parent_state",
        "reconciled",
        "amount_residual",
        "amount_residual_currency",
        "price_subtotal",
        "price_total",
    ],
}


def _is_new_down_payment_line(vals):
    """A down payment line as Odoo's down payment wizard makes it: no quantity of its own."""
    return bool(vals.get("display_type")) or ("product_uom_qty" in vals and not vals["product_uom_qty"])


def _is_related_value(model, field, vals):
    """Whether ``vals`` gives the related ``field`` the value it has on the record it follows."""
    head, *path = field.related.split(".")
    if head not in vals or not path:
        return False
    source = model._fields[head]
    target = source.convert_to_record(source.convert_to_cache(vals[head], model), model)
    expected = target.mapped(".".join(path)) if target else target.browse()
    value = field.convert_to_record(field.convert_to_cache(vals[field.name], model), model)
    if isinstance(expected, list):
        return expected == [value]
    return expected == value


def _forged_on_create(model, vals):
    """Credit inputs ``vals`` would set on a new record of ``model``."""
    forged = set()
    for fname in CREDIT_INPUT_FIELDS[model._name]:
        if fname not in vals:
            continue
        field, value = model._fields[fname], vals[fname]
        if fname == "is_downpayment" and (not value or _is_new_down_payment_line(vals)):
            continue
        if not value and field.type in ("one2many", "many2many", "many2one"):
            continue
        if field.related and _is_related_value(model, field, vals):
            continue
        forged.add(fname)
    return forged


def _forged_on_write(records, vals):
    """Credit inputs ``vals`` would change on ``records`` (a value equal to the stored one changes nothing)."""
    forged = set()
    for fname in CREDIT_INPUT_FIELDS[records._name]:
        if fname not in vals:
            continue
        field, value = records._fields[fname], vals[fname]
        if field.type in ("one2many", "many2many"):
            if value:
                forged.add(fname)
        elif any(field.convert_to_record(field.convert_to_cache(value, r), r) != r[fname] for r in records):
            forged.add(fname)
    return forged


def check_credit_inputs(records, vals_list):
    """Refuse anyone but the superuser writing the credit inputs of ``records`` (see CREDIT_INPUT_FIELDS).

    ``records``: the records written, or an empty recordset for a creation of ``vals_list``.
    """
    if records.env.su:
        return
    forged = set()
    for vals in vals_list:
        forged |= _forged_on_write(records, vals) if records else _forged_on_create(records, vals)
    if forged:
        labels = ", ".join(sorted(records._fields[f]._description_string(records.env) for f in forged))
        raise AccessError(
            records.env._(
                "These fields of %(model)s are set by Odoo itself and cannot be written: %(fields)s.",
                fields=labels,
                model=records.env["ir.model"]._get(records._name).name,
            )
        )


def drop_credit_input_defaults(model, defaults):
    """Defaults of ``model`` without the credit inputs: no context key or user default may fill them."""
    for fname in CREDIT_INPUT_FIELDS[model._name]:
        defaults.pop(fname, None)
    return defaults


CREDIT_JOB = "sales_management.ir_cron_credit_recompute"

# Set only while the grade pricelists are applied or a sales manager's pricelist override
# is recorded (sales.credit.status): the only writes of a graded customer's pricelist
# that may differ from his grade's.
_PRICELIST_WRITING = ContextVar("sales_management_pricelist_writing", default=False)
PRICELIST_OVERRIDE_FIELDS = ("is_pricelist_override", "pricelist_override_reason")


@contextmanager
def writing_pricelists():
    token = _PRICELIST_WRITING.set(True)
    try:
        yield
    finally:
        _PRICELIST_WRITING.reset(token)


def is_writing_pricelists():
    return _PRICELIST_WRITING.get()


# Set while a partner write that changes a pricelist runs: the pricelist is checked once,
# when the outermost write is done (Odoo's inverse writes the stored one in between).
_PRICELIST_CHECKING = ContextVar("sales_management_pricelist_checking", default=False)


@contextmanager
def checking_pricelists():
    """Yield whether this call is the outermost partner write of a pricelist (it checks)."""
    if _PRICELIST_CHECKING.get():
        yield False
        return
    token = _PRICELIST_CHECKING.set(True)
    try:
        yield True
    finally:
        _PRICELIST_CHECKING.reset(token)


# Stored figures the nightly job writes in bulk (no history, no side effects).
FIGURE_FIELDS = [
    "score",
    "score_breakdown",
    "dso",
    "dso_defined",
    "receivable_amount",
    "notes_amount",
    "overdue_amount",
    "oldest_overdue_days",
    "sales_12m",
    "ageing_not_due",
    "ageing_1_30",
    "ageing_31_60",
    "ageing_61_90",
    "ageing_91_180",
    "ageing_over_180",
]


class SalesCreditStatus(models.Model):
    """Credit status of one customer (commercial entity) in one company.

    Holds what the nightly job computes (score, DSO, ageing) and what the credit
    controller decides (grade override, hold). The customer form shows it through
    res.partner's credit_* fields for the current company.
    """

    _name = "sales.credit.status"
    _inherit = ["sales.management.input.mixin"]
    _description = "Customer Credit Status"
    _order = "company_id, partner_id"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        ondelete="cascade",
        index=True,
        domain=[("is_company", "=", True)],
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(related="partner_id.user_id", string="Salesperson", store=True)
    team_id = fields.Many2one(related="partner_id.user_id.sale_team_id", string="Sales Team", store=True)
    area_id = fields.Many2one(related="partner_id.area_id", string="Area", store=True, index="btree_not_null")
    grade_id = fields.Many2one("sales.credit.grade", "Credit Grade", check_company=True, index=True)
    is_grade_override = fields.Boolean("Grade Overridden")
    override_reason = fields.Char()
    score = fields.Float(aggregator="avg", digits=(5, 2))
    score_breakdown = fields.Text(readonly=True)
    financial_strength = fields.Float(
        help="Points 0-100 the credit controller gives for the customer's financial strength.",
    )
    hold = fields.Boolean("On Credit Hold")
    hold_reason = fields.Char()
    is_hold_automatic = fields.Boolean(
        "Hold Set by the Nightly Job",
        help="The nightly job releases only the holds it set itself.",
    )
    credit_limit = fields.Monetary(compute="_compute_credit_limit")
    exposure = fields.Monetary(compute="_compute_exposure")
    available_credit = fields.Monetary(compute="_compute_exposure")
    is_over_limit = fields.Boolean(compute="_compute_exposure", search="_search_is_over_limit")
    # The legend of the overview's colours: red rows are on hold, yellow ones over the limit or overdue.
    credit_state = fields.Selection(
        CREDIT_STATES,
        compute="_compute_credit_state",
        help="Red rows: on credit hold, no order can be confirmed. Yellow rows: over the credit limit, "
        "or with invoices past due. Others: in good standing.",
    )
    dso = fields.Float(
        "DSO",
        aggregator="avg",
        digits=(16, 1),
        help="Days sales outstanding over the company's DSO window; empty without sales in the window.",
    )
    # Set by the nightly job; True until then (existing statuses keep showing their DSO).
    dso_defined = fields.Boolean(
        "DSO Defined", readonly=True, default=True, help="Unset when the customer had no sales in the DSO window."
    )
    receivable_amount = fields.Monetary("Receivable")
    notes_amount = fields.Monetary("Notes Receivable")
    overdue_amount = fields.Monetary("Overdue")
    oldest_overdue_days = fields.Integer("Oldest Overdue (days)", aggregator="max")
    sales_12m = fields.Monetary("Sales, 12 Months")
    abc_class = fields.Selection(ABC_CLASSES, "ABC Class")
    ageing_not_due = fields.Monetary("Not Due")
    ageing_1_30 = fields.Monetary("1-30")
    ageing_31_60 = fields.Monetary("31-60")
    ageing_61_90 = fields.Monetary("61-90")
    ageing_91_180 = fields.Monetary("91-180")
    ageing_over_180 = fields.Monetary("Over 180")
    recompute_date = fields.Date("Last Recomputed")
    history_ids = fields.One2many("sales.credit.history", "status_id", "History")
    # Set only by a sales manager's override (_set_pricelist_override): otherwise the
    # customer is on his grade's pricelist.
    is_pricelist_override = fields.Boolean("Pricelist Overridden", readonly=True)
    pricelist_override_reason = fields.Char(readonly=True)

    _sql_constraints = [
        ("partner_company_uniq", "unique(partner_id, company_id)", "A customer has one credit status per company."),
    ]

    def init(self):
        res = super().init()
        # The nightly job rewrites every row: with room left in each page, PostgreSQL
        # updates them in place (HOT, no index entries), several times faster.
        self.env.cr.execute("ALTER TABLE sales_credit_status SET (fillfactor = 50)")
        sales_credit_sql.install_exposure_function(self.env.cr)
        return res

    @api.model
    def _drop_exposure_function(self):
        sales_credit_sql.drop_exposure_function(self.env.cr)

    # ------------------------------------------------------------
    # COMPUTE / SEARCH
    # ------------------------------------------------------------

    @api.depends("partner_id", "company_id")
    def _compute_credit_limit(self):
        for status in self:
            status.credit_limit = status.partner_id.with_company(status.company_id).sudo().credit_limit

    @api.depends("partner_id", "company_id")
    def _compute_exposure(self):
        for company, statuses in self.grouped("company_id").items():
            exposures = self._get_exposure(statuses.partner_id.ids, company)
            for status in statuses:
                position = exposures.get(status.partner_id.id, {})
                total = position.get("total", 0.0)
                status.exposure = total
                status.available_credit = status.credit_limit - total
                # The limit applies when the customer has one or a grade (a grade with limit 0: no credit).
                status.is_over_limit = position.get("limit_applied", False) and total > status.credit_limit

    @api.depends("hold", "oldest_overdue_days", "is_over_limit")
    def _compute_credit_state(self):
        for status in self:
            if status.hold:
                status.credit_state = "hold"
            elif status.is_over_limit:
                status.credit_state = "over_limit"
            elif status.oldest_overdue_days > 0:
                status.credit_state = "overdue"
            else:
                status.credit_state = "ok"

    def _search_is_over_limit(self, operator, value):
        # Refused before anything is read when the operator or value is not a boolean's.
        self._search_boolean_field("is_over_limit", operator, value, [])
        statuses = self.search([("company_id", "in", self.env.companies.ids)])
        over = statuses.filtered("is_over_limit")
        return self._search_boolean_field("is_over_limit", operator, value, [("id", "in", over.ids)])

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.model
    def _get_input_ranges(self):
        return {**super()._get_input_ranges(), "financial_strength": (0.0, 100.0)}

    @api.constrains("financial_strength")
    def _check_financial_strength(self):
        self._check_input_range(["financial_strength"])

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_decision_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        if set(PRICELIST_OVERRIDE_FIELDS) & set(vals) and not _PRICELIST_WRITING.get():
            raise AccessError(
                self.env._("A customer's pricelist is overridden only by a sales manager, with a reason.")
            )
        self._check_decision_values(vals)
        tracked = {"grade_id": "grade", "hold": "hold"}
        old = {status: {f: status[f] for f in tracked} for status in self} if set(tracked) & set(vals) else {}
        result = super().write(vals)
        for status, values in old.items():
            for fname, change_type in tracked.items():
                if fname in vals and status[fname] != values[fname]:
                    status._log_change(
                        change_type,
                        values[fname],
                        status[fname],
                        vals.get("override_reason" if fname == "grade_id" else "hold_reason")
                        or self.env.context.get("credit_change_reason"),
                    )
            if "grade_id" in vals and status.grade_id and status.grade_id != values["grade_id"]:
                status._apply_grade_consequences()
        return result

    def _check_decision_values(self, vals):
        # A reason of blanks is no reason; a blank one given replaces the one stored.
        def given(fname):
            if fname in vals:
                return isinstance(vals[fname], str) and bool(vals[fname].strip())
            return bool(self) and all((reason or "").strip() for reason in self.mapped(fname))

        if vals.get("hold") and not given("hold_reason"):
            raise ValidationError(
                self.env._("Putting a customer on credit hold needs a reason (Hold Reason), not an empty one.")
            )
        if vals.get("is_grade_override") and not given("override_reason"):
            raise ValidationError(
                self.env._("Overriding a customer's credit grade needs a reason (Override Reason), not an empty one.")
            )
        # Emptying the reason of a customer kept on hold (or with an overridden grade).
        for fname, flag in (("hold_reason", "hold"), ("override_reason", "is_grade_override")):
            if fname in vals and flag not in vals and not given(fname) and any(self.mapped(flag)):
                raise ValidationError(
                    self.env._(
                        "%(field)s cannot be emptied while it applies: lift it first.",
                        field=self._fields[fname]._description_string(self.env),
                    )
                )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _log_change(self, change_type, old, new, reason, order=None, exception=None):
        def label(value):
            if isinstance(value, models.BaseModel):
                return value.display_name or ""
            if isinstance(value, bool):
                return self.env._("Yes") if value else self.env._("No")
            if isinstance(value, float):
                # Limits: an amount in the company's currency, never a raw float ("35980.0").
                return format_amount(self.env, value, self.currency_id)
            return str(value)

        self.env["sales.credit.history"].sudo().create(
            {
                "status_id": self.id,
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "change_type": change_type,
                "old_value": label(old),
                "new_value": label(new),
                "reason": reason,
                "order_id": order.id if order else False,
                "exception_id": exception.id if exception else False,
            }
        )

    def _apply_grade_consequences(self):
        """Give the customer the grade's credit limit, payment terms, pricelist and visit frequency."""
        self.ensure_one()
        grade = self.grade_id
        partner = self.partner_id.with_company(self.company_id).sudo()
        vals = {"credit_limit": grade.credit_limit}
        if grade.property_payment_term_id:
            vals["property_payment_term_id"] = grade.property_payment_term_id.id
        visit_frequency = partner._get_visit_frequency_for_grade(grade)
        if visit_frequency:
            vals["visit_frequency"] = visit_frequency
        partner.with_context(credit_change_reason=self.env._("Grade %s", grade.name)).write(vals)
        self._apply_grade_pricelist()

    # -- Grade pricelists ------------------------------------------------------

    @api.model
    def _sync_grade_pricelists(self, grades=None):
        """Put the graded customers (and their contacts) without override on their grade's pricelist.

        Set-based: one search of the statuses, one of the contacts per company, one write
        per company and pricelist, only where the pricelist differs.
        """
        domain = [("grade_id.pricelist_id", "!=", False), ("is_pricelist_override", "=", False)]
        if grades is not None:
            domain.append(("grade_id", "in", grades.ids))
        self.sudo().search(domain)._apply_grade_pricelist()

    def _apply_grade_pricelist(self):
        """Put these statuses' customers and contacts on their grade's pricelist, unless overridden.

        One search of the contacts per company, one write per company and pricelist,
        only where the stored pricelist differs.
        """
        statuses = self.sudo().filtered(lambda s: s.grade_id.pricelist_id and not s.is_pricelist_override)
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        for company, company_statuses in statuses.grouped("company_id").items():
            pricelist_of = {s.partner_id.id: s.grade_id.pricelist_id for s in company_statuses}
            contacts = Partner.with_company(company).search([("commercial_partner_id", "in", list(pricelist_of))])
            by_pricelist = {}
            for contact in contacts:
                pricelist = pricelist_of[contact.commercial_partner_id.id]
                if contact.specific_property_product_pricelist != pricelist:
                    by_pricelist.setdefault(pricelist, []).append(contact.id)
            with writing_pricelists():
                for pricelist, partner_ids in by_pricelist.items():
                    Partner.browse(partner_ids).with_company(company).write(
                        {"specific_property_product_pricelist": pricelist.id}
                    )

    def _set_pricelist_override(self, pricelist, reason):
        """A sales manager puts these customers on ``pricelist`` instead of their grade's, with ``reason``.

        ``pricelist`` False: they follow their grade's again. Logged in the credit history.
        """
        if not (self.env.su or self.env.user.has_group("sales_team.group_sale_manager")):
            raise AccessError(self.env._("Only a sales manager may override a customer's pricelist."))
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Overriding a customer's pricelist needs a reason."))
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        for status in self.sudo():
            company = status.company_id
            partner = status.partner_id.with_company(company)
            old = partner.specific_property_product_pricelist or partner.property_product_pricelist
            new = pricelist or status.grade_id.pricelist_id
            contacts = Partner.with_company(company).search([("commercial_partner_id", "=", partner.id)])
            with writing_pricelists():
                status.write({"is_pricelist_override": bool(pricelist), "pricelist_override_reason": reason})
                if new:
                    contacts.write({"specific_property_product_pricelist": new.id})
            status._log_change("pricelist", old, new, reason)

    @api.model
    def _get_status(self, partners, company, create=False):
        """Statuses of the commercial entities of ``partners`` in ``company``."""
        commercial = partners.commercial_partner_id
        # With the fields every caller reads: one query.
        statuses = self.sudo().search_fetch(
            [("partner_id", "in", commercial.ids), ("company_id", "=", company.id)], ["partner_id", "grade_id"]
        )
        if create:
            missing = commercial - statuses.partner_id
            if missing:
                statuses |= self.sudo().create([{"partner_id": p.id, "company_id": company.id} for p in missing])
        return statuses

    @api.model
    def _get_exposure(self, partner_ids, company, today=None, lock=False):
        """Credit position of partners in ``company``, set-based, in company currency.

        ``{partner_id: {commercial_partner_id, status_id, hold, grade_id, limit_applied, credit_limit,
        receivable, notes, oldest_due, draft, orders, total}}``, each partner's figures
        being its commercial entity's; one call of ``sales_management_credit_exposure``,
        whose cost does not grow with the number of the customers' open invoices.
        ``lock`` first locks the commercial entities' rows (see ``sale.order._check_credit``).
        """
        if not partner_ids:
            return {}
        for model, fnames in EXPOSURE_FIELDS.items():
            self.env[model].flush_model(fnames)
        self.env.cr.execute(
            sales_credit_sql.exposure_query(partner_ids, company.id, today or fields.Date.context_today(self), lock)
        )
        rows = self.env.cr.dictfetchall()
        round_amount = company.currency_id.round
        components = self._get_exposure_components()
        extra = self._get_exposure_extra(
            list({row["commercial_partner_id"] for row in rows}), company, today or fields.Date.context_today(self)
        )
        result = {}
        for row in rows:
            row.update(extra.get(row["commercial_partner_id"], {}))
            if row["credit_limit"] is None:
                # Nothing stored for this company: the field's fallback (ir.default), cached.
                partner = self.env["res.partner"].browse(row["commercial_partner_id"]).with_company(company)
                row["credit_limit"] = partner._fields["credit_limit"].get_company_dependent_fallback(partner) or 0.0
            row["orders"] = round_amount(row["orders"])
            row["total"] = sum(row.get(component) or 0.0 for component in components)
            # A grade with limit 0 means no credit; without grade nor limit, none applies.
            row["limit_applied"] = bool(row["credit_limit"] > 0 or row["grade_id"])
            result[row.pop("partner_id")] = row
        return result

    @api.model
    def _get_exposure_components(self):
        """The figures the exposure adds up (like OCA's ``_risk_field_list``).

        The exposure function computes ``receivable``, ``notes``, ``draft`` and ``orders``;
        a module that counts more (guarantees given, open deliveries, a factoring line...)
        appends its component here and computes it in ``_get_exposure_extra``. The credit
        check, the customer form and the reports read the total.
        """
        return ["receivable", "notes", "draft", "orders"]

    @api.model
    def _get_exposure_extra(self, commercial_partner_ids, company, today):
        """``{commercial partner id: {component: amount}}`` of the components the exposure
        function does not compute (see ``_get_exposure_components``); set-based. None here."""
        return {}

    @api.model
    def _get_extra_factor_values(self, commercial_partner_ids, company, today):
        """``{commercial partner id: {factor code: value}}`` of score factors a module adds.

        The nightly score rates the values of the policy's factors (``sales.credit.factor``);
        a module adds a factor by extending its ``code`` selection and returning the
        customers' values here (set-based). None here.
        """
        return {}

    @api.model
    def _get_open_item_figures(self, partner_ids, company, today):
        """Nightly figures of the customers' open receivable items, from one scan of them.

        ``{partner_id: {receivable, notes, overdue_amount, oldest_due, buckets}}`` (buckets
        as in ``tools.ageing.AGEING_BUCKETS``); customers without open items are missing.
        """
        self.env["account.move.line"].flush_model()
        notes = company.sudo().credit_notes_account_ids.ids
        # Without notes-receivable accounts (the usual case) every open item is a receivable.
        not_note = SQL("aml.account_id != ALL(%s)", notes) if notes else SQL("TRUE")
        overdue = SQL("%s AND aml.amount_residual > 0 AND aml.date_maturity < %s", not_note, today)
        ageing_conditions = [SQL(cond, today=today) for cond in AGEING_CONDITIONS]
        buckets = SQL(", ").join(
            SQL("COALESCE(SUM(aml.amount_residual) FILTER (WHERE %s AND %s), 0)", not_note, cond)
            for cond in ageing_conditions
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.commercial_partner_id,
                       COALESCE(SUM(aml.amount_residual) FILTER (WHERE %(not_note)s), 0),
                       COALESCE(SUM(aml.amount_residual) FILTER (WHERE NOT (%(not_note)s)), 0),
                       COALESCE(SUM(aml.amount_residual) FILTER (WHERE %(overdue)s), 0),
                       MIN(aml.date_maturity) FILTER (WHERE %(overdue)s),
                       %(buckets)s
                  FROM res_partner p
                  JOIN account_move_line aml ON aml.partner_id = p.id
                 WHERE p.commercial_partner_id = ANY(%(partners)s)
                   AND aml.company_id = %(company)s
                   AND %(open_receivable)s
              GROUP BY p.commercial_partner_id
                """,
                not_note=not_note,
                overdue=overdue,
                buckets=buckets,
                partners=list(partner_ids),
                company=company.id,
                open_receivable=sales_credit_sql.open_receivable_sql("aml"),
            )
        )
        return {
            pid: {
                "receivable": receivable,
                "notes": notes_amount,
                "overdue_amount": overdue_amount,
                "oldest_due": oldest_due,
                "buckets": buckets,
            }
            for pid, receivable, notes_amount, overdue_amount, oldest_due, *buckets in rows
        }

    @api.model
    def _get_overdue_amount(self, partner, company, today=None):
        """Open overdue amount of a commercial partner (for messages; scans its overdue items)."""
        self.env["account.move.line"].flush_model()
        notes = company.sudo().credit_notes_account_ids.ids
        [(amount,)] = self.env.execute_query(
            SQL(
                """
                SELECT COALESCE(SUM(aml.amount_residual), 0)
                  FROM account_move_line aml
                  JOIN res_partner p ON p.id = aml.partner_id
                 WHERE p.commercial_partner_id = %(partner)s
                   AND aml.company_id = %(company)s
                   AND %(open_receivable)s
                   AND aml.amount_residual > 0
                   AND aml.date_maturity < %(today)s
                   AND aml.account_id != ALL(%(notes)s)
                """,
                partner=partner.id,
                company=company.id,
                today=today or fields.Date.context_today(self),
                notes=notes or [0],
                open_receivable=sales_credit_sql.open_receivable_sql("aml"),
            )
        )
        return amount

    # ------------------------------------------------------------
    # NIGHTLY RECOMPUTE
    # ------------------------------------------------------------

    @api.model
    def _ensure_statuses(self, company):
        """Create the missing statuses of customers with invoices or orders in ``company`` (one query).

        Returns how many were created.
        """
        self.env.flush_all()
        self.env.cr.execute(
            """
            INSERT INTO sales_credit_status (partner_id, company_id, user_id, team_id, area_id,
                                             create_uid, write_uid, create_date, write_date)
            SELECT DISTINCT cp.id, %(company)s, cp.user_id, u.sale_team_id, cp.area_id, %(uid)s, %(uid)s,
                   now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM (SELECT partner_id FROM account_move
                     WHERE company_id = %(company)s AND move_type IN ('out_invoice', 'out_refund')
                       AND state != 'cancel'
                    UNION
                    SELECT partner_id FROM sale_order WHERE company_id = %(company)s AND state = 'sale') src
              JOIN res_partner p ON p.id = src.partner_id
              JOIN res_partner cp ON cp.id = p.commercial_partner_id
              -- the stored related fields, which a plain INSERT does not compute
              LEFT JOIN res_users u ON u.id = cp.user_id
            ON CONFLICT (partner_id, company_id) DO NOTHING
            """,
            {"company": company.id, "uid": self.env.uid},
        )
        return self.env.cr.rowcount

    def _compute_figures(self, company, today):
        """Figures of these statuses of ``company``, set-based: ``{status_id: {field: value}}``."""
        cr = self.env.cr
        # Only the columns the score needs, in one read (no prefetch of whole records).
        self.flush_model(["partner_id", "financial_strength"])
        self.env["res.partner"].flush_model(["credit_trading_since", "credit_industry_position"])
        cr.execute(
            """
            SELECT s.id, s.partner_id, s.financial_strength, p.credit_trading_since, p.credit_industry_position
              FROM sales_credit_status s
              JOIN res_partner p ON p.id = s.partner_id
             WHERE s.id = ANY(%s)
            """,
            [self.ids],
        )
        rows = cr.fetchall()
        partner_ids = list({row[1] for row in rows})
        open_items = self._get_open_item_figures(partner_ids, company, today)
        scanned = {pid: open_items.get(pid, NO_OPEN_ITEMS) for pid in partner_ids}
        self.env["sales.credit.balance"].sudo()._repair(
            {pid: parts["receivable"] + parts["notes"] for pid, parts in scanned.items()}, company
        )
        window = company.credit_dso_days or 90
        params = {
            "partners": partner_ids,
            "company": company.id,
            "today": today,
            "window_start": today - timedelta(days=window),
            "year_start": today - timedelta(days=365),
        }
        # Sales of the window and of 12 months, and the punctuality of the last 12
        # months' invoices (paid after the due date, or still open past it; days late
        # to the last payment or today). The last payment date of the lines comes from
        # one aggregate of the year's partial reconciliations, hash-joined (not looked up
        # line by line).
        cr.execute(
            """
            WITH sales AS (
                SELECT am.commercial_partner_id AS pid,
                       COALESCE(SUM(am.amount_total_signed) FILTER (WHERE am.invoice_date > %(window_start)s), 0)
                           AS sales_window,
                       COALESCE(SUM(am.amount_total_signed) FILTER (
                           WHERE am.move_type = 'out_invoice' AND am.invoice_date > %(year_start)s), 0) AS sales_12m,
                       COALESCE(-SUM(am.amount_total_signed) FILTER (
                           WHERE am.move_type = 'out_refund' AND am.invoice_date > %(year_start)s), 0) AS refunds_12m,
                       MIN(am.invoice_date) AS first_invoice
                  FROM account_move am
                 WHERE am.state = 'posted'
                   AND am.move_type IN ('out_invoice', 'out_refund')
                   AND am.company_id = %(company)s
                   AND am.commercial_partner_id = ANY(%(partners)s)
              GROUP BY am.commercial_partner_id
            ), paid AS (
                SELECT apr.debit_move_id AS id, MAX(apr.max_date) AS paid_date
                  FROM account_partial_reconcile apr
                 WHERE apr.company_id = %(company)s
                   AND apr.max_date > %(year_start)s
              GROUP BY apr.debit_move_id
            ), punctuality AS (
                SELECT am.commercial_partner_id AS pid,
                       COUNT(*) AS invoices,
                       COUNT(*) FILTER (WHERE COALESCE(paid.paid_date, %(today)s) > aml.date_maturity
                                          AND (aml.reconciled OR aml.date_maturity < %(today)s)) AS late,
                       AVG(GREATEST(CASE WHEN aml.reconciled THEN paid.paid_date ELSE %(today)s END
                                    - aml.date_maturity, 0)) AS avg_late
                  FROM account_move am
                  JOIN account_move_line aml ON aml.move_id = am.id
                  LEFT JOIN paid ON paid.id = aml.id
                 WHERE am.state = 'posted'
                   AND am.move_type = 'out_invoice'
                   AND am.invoice_date > %(year_start)s
                   AND am.company_id = %(company)s
                   AND am.commercial_partner_id = ANY(%(partners)s)
                   AND aml.account_id = ANY(ARRAY(
                       SELECT id FROM account_account WHERE account_type = 'asset_receivable'))
              GROUP BY am.commercial_partner_id
            )
            SELECT s.pid, s.sales_window, s.sales_12m, s.refunds_12m, s.first_invoice, p.invoices, p.late, p.avg_late
              FROM sales s
              LEFT JOIN punctuality p ON p.pid = s.pid
            """,
            params,
        )
        sales, punctuality = {}, {}
        for pid, sales_window, sales_12m, refunds_12m, first_invoice, invoices, late, avg_late in cr.fetchall():
            sales[pid] = (sales_window, sales_12m, refunds_12m, first_invoice)
            if invoices:
                punctuality[pid] = (invoices, late, avg_late)
        policy = self.env["sales.credit.policy"].sudo()._get_policy(company)
        scales = policy._get_scales() if policy else {}
        labels = dict(self.env["sales.credit.factor"]._fields["code"]._description_selection(self.env))
        extra_values = self._get_extra_factor_values(partner_ids, company, today)
        result = {}
        for sid, pid, financial_strength, trading_since, industry_position in rows:
            parts = open_items.get(pid, NO_OPEN_ITEMS)
            sales_window, sales_12m, refunds_12m, first_invoice = sales.get(pid, (0.0, 0.0, 0.0, None))
            count, late, avg_late = punctuality.get(pid, (0, 0, 0.0))
            oldest_days = (today - parts["oldest_due"]).days if parts["oldest_due"] else 0
            since = trading_since or first_invoice
            values = {
                "late_ratio": 100.0 * late / count if count else 0.0,
                "avg_days_late": float(avg_late or 0.0),
                "overdue_ratio": 100.0 * parts["overdue_amount"] / sales_12m if sales_12m else 0.0,
                "oldest_overdue_days": oldest_days,
                "dso": ageing.dso_score_value(parts["receivable"], parts["notes"], sales_window, window),
                "relationship_years": (today - since).days / 365.0 if since else 0.0,
                "sales_12m": sales_12m,
                "return_ratio": 100.0 * refunds_12m / sales_12m if sales_12m else 0.0,
                "financial_strength": financial_strength or 0.0,
                "industry_position": INDUSTRY_POSITION_POINTS.get(industry_position, 0.0),
                **extra_values.get(pid, {}),
            }
            points, weights, lines = {}, {}, []
            for code, (weight, bands, higher) in scales.items():
                points[code] = credit_score.factor_points(values[code], bands, higher)
                weights[code] = weight
                lines.append(
                    f"{labels.get(code, code)}: {values[code]:,.1f} → {points[code]:g} pts × {weight:g}% "
                    f"= {points[code] * weight / 100:.2f}"
                )
            score = credit_score.weighted_score(points, weights)
            row = parts["buckets"]
            result[sid] = {
                "score": score,
                "score_breakdown": "\n".join(lines),
                "dso": ageing.dso(parts["receivable"], parts["notes"], sales_window, window),
                "dso_defined": sales_window > 0,
                "receivable_amount": parts["receivable"],
                "notes_amount": parts["notes"],
                "overdue_amount": parts["overdue_amount"],
                "oldest_overdue_days": oldest_days,
                "sales_12m": sales_12m,
                "ageing_not_due": row[0],
                "ageing_1_30": row[1],
                "ageing_31_60": row[2],
                "ageing_61_90": row[3],
                "ageing_91_180": row[4],
                "ageing_over_180": row[5],
            }
        return result

    def _write_figures(self, figures, today, unstamped=()):
        """Write computed figures, and ``today`` as their date, in one UPDATE per 5,000 statuses.

        They have no side effects, so the ORM is not needed; the rows travel as one JSON
        document, read on the server by ``json_to_recordset`` (one literal to parse
        instead of one per value). The statuses in ``unstamped`` get their figures but not
        the date: they are stamped with their outcome (``_recompute_company``).
        """
        if not figures:
            return
        columns = FIGURE_FIELDS
        types = {
            "id": "int",
            "score_breakdown": "text",
            "oldest_overdue_days": "int",
            "dso_defined": "boolean",
            "stamp": "boolean",
        }
        assignments = SQL(", ").join(SQL("%s = v.%s", SQL.identifier(c), SQL.identifier(c)) for c in columns)
        record_type = SQL(", ").join(
            SQL("%s %s", SQL.identifier(c), SQL(types.get(c, "numeric"))) for c in ["id", *columns, "stamp"]
        )
        unstamped = set(unstamped)
        items = list(figures.items())
        for start in range(0, len(items), 5000):
            rows = [{"id": sid, **values, "stamp": sid not in unstamped} for sid, values in items[start : start + 5000]]
            self.env.cr.execute(
                SQL(
                    """UPDATE sales_credit_status s
                          SET %s, recompute_date = CASE WHEN v.stamp THEN %s ELSE s.recompute_date END,
                              write_date = now() AT TIME ZONE 'UTC', write_uid = %s
                         FROM json_to_recordset(%s) AS v(%s) WHERE s.id = v.id""",
                    assignments,
                    today,
                    self.env.uid,
                    json.dumps(rows),
                    record_type,
                )
            )
        self.invalidate_model([*columns, "recompute_date", "write_date", "write_uid"])

    def _recompute(self, today=None):
        """Recompute figures, grades, holds and chase activities of these statuses.

        Each company in its own savepoint, each customer's outcome in its own (see
        ``_recompute_company``). Returns the statuses that failed, logged and not stamped
        recomputed: the next run takes them again.
        """
        today = today or fields.Date.context_today(self)
        # Grouped in SQL: reading company_id through the ORM would fetch whole records.
        self.flush_model(["company_id"])
        self.env.cr.execute(
            "SELECT company_id, array_agg(id ORDER BY id) FROM sales_credit_status WHERE id = ANY(%s) GROUP BY 1",
            [self.ids],
        )
        Batch = self.env["sales.management.batch"]
        failed = self.browse()
        for company_id, status_ids in self.env.cr.fetchall():
            company = self.env["res.company"].browse(company_id)
            failed |= Batch._run_isolated(
                CREDIT_JOB,
                self.browse(status_ids).with_company(company),
                lambda statuses, company: statuses._recompute_company(company, today),
                company,
                label=f"credit recompute, company {company_id}",
            )
        return failed

    def _recompute_company(self, company, today):
        """Recompute these statuses of ``company``; returns those whose outcome failed (logged).

        Figures come set-based and are written in bulk. A status is stamped recomputed
        (``recompute_date``) only once its outcome is written: in the bulk UPDATE when the
        figures change nothing else, otherwise in one savepoint with its new grade, hold,
        history and chase activity, so a customer that fails is taken again by a re-run.
        """
        figures = self._compute_figures(company, today)
        grades = [(g.min_score, g.id) for g in self.env["sales.credit.grade"]._get_grades(company)]
        tolerance = company.credit_overdue_tolerance_days
        # Only customers whose grade or hold changes, or to chase, go through the ORM.
        decide = set(self._get_decision_ids(figures, grades, tolerance))
        overdue = [sid for sid, values in figures.items() if values["oldest_overdue_days"] > 0]
        chase = set(self.browse(overdue)._get_statuses_to_chase().ids)
        self._write_figures(figures, today, unstamped=decide | chase)
        Batch = self.env["sales.management.batch"]
        failed = self.browse()
        for status in self.browse(sorted(decide | chase)):
            failed |= Batch._run_isolated(
                CREDIT_JOB,
                status,
                lambda status: status._apply_outcome(today, status.id in decide, status.id in chase),
                label="credit decision",
            )
        return failed

    def _apply_outcome(self, today, decide, chase):
        """Grade, hold and chase activity of one status from its new figures, then its date."""
        self.ensure_one()
        if decide:
            self._apply_figures(today)
        if chase:
            self._schedule_chase_activity()
        self.recompute_date = today

    def _get_decision_ids(self, figures, grades, tolerance):
        """Ids of the statuses whose grade or automatic hold the new ``figures`` change.

        Reads the decision columns in one query (the figures were just written in SQL).
        """
        self.flush_model(["is_grade_override", "grade_id", "hold", "is_hold_automatic"])
        self.env.cr.execute(
            """
            SELECT id, is_grade_override, grade_id, hold, is_hold_automatic
              FROM sales_credit_status
             WHERE id = ANY(%s)
            """,
            [list(figures)],
        )
        ids = []
        for sid, is_override, grade_id, hold, is_hold_automatic in self.env.cr.fetchall():
            values = figures[sid]
            regrade = not is_override and credit_score.grade_for_score(values["score"], grades) != grade_id
            overdue = values["oldest_overdue_days"] > tolerance
            if regrade or (overdue and not hold) or (not overdue and hold and is_hold_automatic):
                ids.append(sid)
        return ids

    def _get_reader_env(self):
        """The environment of the texts the nightly job writes on this customer (grade and hold
        reasons, the chase activity): in the language of his salesperson, who reads them first,
        else of the company."""
        self.ensure_one()
        return self._get_recipient_env(self.partner_id.user_id or self.company_id.partner_id)

    def _get_automatic_hold_reason(self):
        """Why the nightly job holds this customer, in the current language."""
        self.ensure_one()
        return self.env._(
            "Debt overdue %(days)s days, beyond the tolerance of %(tolerance)s days.",
            days=self.oldest_overdue_days,
            tolerance=self.company_id.credit_overdue_tolerance_days,
        )

    def _get_hold_reason(self):
        """The hold reason to show now: an automatic hold's in the reader's language (with
        today's overdue days), a Credit Controller's as written."""
        self.ensure_one()
        if self.hold and self.is_hold_automatic:
            return self._get_automatic_hold_reason()
        return self.hold_reason or ""

    def _apply_figures(self, today):
        """Grade from the score (unless overridden) and automatic hold/release."""
        self.ensure_one()
        company = self.company_id
        env = self._get_reader_env()
        status = self.with_env(env)
        if not self.is_grade_override:
            grade = self.env["sales.credit.grade"]._grade_for_score(self.score, company)
            if grade != self.grade_id:
                reason = env._("Nightly score %(score)s", score=formatLang(env, self.score, digits=2))
                status.with_context(credit_change_reason=reason).write({"grade_id": grade.id})
        tolerance = company.credit_overdue_tolerance_days
        if self.oldest_overdue_days > tolerance and not self.hold:
            status.write({"hold": True, "is_hold_automatic": True, "hold_reason": status._get_automatic_hold_reason()})
        elif self.oldest_overdue_days <= tolerance and self.hold and self.is_hold_automatic:
            status.with_context(credit_change_reason=env._("Overdue debt cleared.")).write(
                {"hold": False, "is_hold_automatic": False, "hold_reason": False}
            )

    def _get_statuses_to_chase(self):
        """Those of these statuses (with overdue debt) to chase: a salesperson, no open chase activity.

        One query: on most nights there are none, and nothing is read.
        """
        activity_type = self.env.ref("sales_management.mail_activity_type_credit_chase", raise_if_not_found=False)
        if not self or not activity_type:
            return self.browse()
        self.flush_model(["partner_id"])
        self.env["res.partner"].flush_model(["user_id"])
        self.env["mail.activity"].flush_model(["res_model", "res_id", "activity_type_id"])
        self.env.cr.execute(
            """
            SELECT s.id
              FROM sales_credit_status s
              JOIN res_partner p ON p.id = s.partner_id
             WHERE s.id = ANY(%s)
               AND p.user_id IS NOT NULL
               AND NOT EXISTS (
                   SELECT 1 FROM mail_activity a
                    WHERE a.res_model = 'res.partner' AND a.res_id = s.partner_id AND a.activity_type_id = %s)
            """,
            [self.ids, activity_type.id],
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _schedule_chase_activity(self):
        """The chase activity of one status with overdue debt, for the customer's salesperson."""
        self.ensure_one()
        activity_type = self.env.ref("sales_management.mail_activity_type_credit_chase")
        partner = self.partner_id
        # In the salesperson's language: he reads it, the nightly job writes it.
        env = self._get_recipient_env(partner.user_id)
        amount = format_amount(env, self.overdue_amount, self.currency_id)
        partner.sudo().activity_schedule(
            activity_type_id=activity_type.id,
            user_id=partner.user_id.id,
            summary=env._("Chase overdue payment"),
            note=env._("%(amount)s overdue, oldest %(days)s days.", amount=amount, days=self.oldest_overdue_days),
        )

    @api.model
    def _compute_abc_classes(self, company):
        """ABC class by 12-month sales (Pareto: top 80% A, next 15% B, rest C), one UPDATE."""
        self.flush_model(["sales_12m"])
        self.env.cr.execute(
            """
            WITH ranked AS (
                SELECT id, SUM(GREATEST(sales_12m, 0)) OVER (ORDER BY sales_12m DESC, id) AS running,
                       SUM(GREATEST(sales_12m, 0)) OVER () AS total,
                       GREATEST(sales_12m, 0) AS own
                  FROM sales_credit_status WHERE company_id = %s
            ), classes AS (
                SELECT id, CASE WHEN total = 0 OR own = 0 THEN 'c'
                                WHEN running - own < 0.80 * total THEN 'a'
                                WHEN running - own < 0.95 * total THEN 'b'
                                ELSE 'c' END AS abc_class
                  FROM ranked
            )
            UPDATE sales_credit_status s
               SET abc_class = c.abc_class
              FROM classes c
             WHERE c.id = s.id AND s.abc_class IS DISTINCT FROM c.abc_class
            """,
            [company.id],
        )
        self.invalidate_model(["abc_class"])

    @api.model
    def _cron_recompute_credit(self, batch_size=20000):
        """Nightly: recompute the statuses not yet done today, one batch per call.

        A batch's figures come from one scan of its customers' documents, so fewer,
        bigger batches read less; 20,000 customers take some 50 MB of memory. A status
        done today carries today's ``recompute_date``, written with its outcome: a
        customer that failed is taken again by the next run, be it tonight's next one.
        """
        today = fields.Date.context_today(self)
        Batch = self.env["sales.management.batch"]
        companies = self.env["res.company"].search([])

        def ensure_statuses(_scope):
            """Customers invoiced since get their status; returns how many, per company isolated."""
            added = []
            Batch._run_isolated(
                CREDIT_JOB,
                companies,
                lambda companies: added.extend(self._ensure_statuses(company) for company in companies),
                label="new credit statuses",
            )
            return sum(added)

        def complete(scope):
            # Customers invoiced while the run went on are done by this run too; then ABC.
            if ensure_statuses(scope):
                return True
            Batch._run_isolated(
                CREDIT_JOB,
                companies,
                lambda companies: [self._compute_abc_classes(company) for company in companies],
                label="ABC classes",
            )
            return False

        # Every run, not only the night's first, starts and ends by giving new customers their status.
        return Batch._run_batches(
            CREDIT_JOB,
            self,
            ["|", ("recompute_date", "=", False), ("recompute_date", "<", today)],
            lambda statuses, _scope: statuses._recompute(today),
            scope=fields.Date.to_string(today),
            batch_size=batch_size,
            group_size=batch_size,
            on_start=ensure_statuses,
            on_complete=complete,
        )

    @api.model
    def _has_credit_rights(self):
        return self._sales_has_rights("sales_management.group_sales_management_credit")

    @api.model
    def _check_credit_rights(self):
        self._sales_check_rights(
            "sales_management.group_sales_management_credit",
            self.env._("Only Credit Controllers may change credit grades, limits and holds."),
        )

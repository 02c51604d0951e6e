from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools import input_check, visit_schedule
from ..tools.ageing import AGEING_BUCKETS
from ..tools.visit_frequency import FREQUENCY_DAYS, VISIT_FREQUENCIES
from ..tools.visit_schedule import IN_PERSON_MODES
from . import sales_credit_sql
from .sales_credit_status import checking_pricelists, is_writing_pricelists
from .sales_visit import VISIT_REP_GROUPS

INDUSTRY_POSITIONS = [
    ("leader", "Market Leader"),
    ("strong", "Strong"),
    ("average", "Average"),
    ("weak", "Weak"),
]
CUSTOMER_ATTITUDES = [
    ("cooperative", "Cooperative"),
    ("neutral", "Neutral"),
    ("difficult", "Difficult"),
]
CUSTOMER_IMPORTANCE = [("important", "Important"), ("ordinary", "Ordinary")]

# Who may read a customer's credit (holds, limits, exposure, scores, ageing, profile):
# salespeople, on their customers' quotations, and Credit Controllers.
CREDIT_READ_GROUPS = "sales_team.group_sale_salesman,sales_management.group_sales_management_credit"

# Partner fields that show the current company's credit status (same name
# without the "credit_" prefix on sales.credit.status unless mapped here).
STATUS_FIELDS = {
    "credit_grade_id": "grade_id",
    "credit_score": "score",
    "credit_score_breakdown": "score_breakdown",
    "is_credit_grade_override": "is_grade_override",
    "credit_override_reason": "override_reason",
    "credit_hold": "hold",
    "credit_hold_reason": "hold_reason",
    "credit_financial_strength": "financial_strength",
    "credit_dso": "dso",
    "credit_overdue_amount": "overdue_amount",
    "credit_oldest_overdue_days": "oldest_overdue_days",
    "credit_abc_class": "abc_class",
    "credit_recompute_date": "recompute_date",
    "is_pricelist_override": "is_pricelist_override",
    "pricelist_override_reason": "pricelist_override_reason",
    **{f"credit_ageing_{key}": f"ageing_{key}" for key, *_rest in AGEING_BUCKETS},
}
# The ones a Credit Controller may change from the customer form.
# Set by a manager's Close as Lost / Reopen only (see _visit_close_lost).
VISIT_LOST_FIELDS = ("visit_lost_date", "visit_lost_reason", "visit_lost_user_id")
STATUS_WRITABLE = [
    "credit_grade_id",
    "is_credit_grade_override",
    "credit_override_reason",
    "credit_hold",
    "credit_hold_reason",
    "credit_financial_strength",
]
# Partner fields that only Credit Controllers change (a credit status field or the limit).
CREDIT_WRITABLE = [*STATUS_WRITABLE, "credit_limit"]
# What makes a partner's commercial entity, the customer whose credit counts.
HIERARCHY_FIELDS = {"parent_id", "is_company", "commercial_partner_id"}
# A customer's pricelist, as Odoo stores and shows it: a graded customer's follows his grade.
PRICELIST_FIELDS = {"property_product_pricelist", "specific_property_product_pricelist"}
# The customer profile (客户资料表), stored on the partner.
CREDIT_PROFILE_FIELDS = [
    "credit_legal_representative",
    "credit_registered_capital",
    "credit_total_assets",
    "credit_total_liabilities",
    "credit_industry_position",
    "credit_trading_since",
    "credit_main_products",
    "credit_payment_behaviour",
    "credit_attitude",
    "credit_importance",
]


# Partner fields of the visits capability whose written values are checked
# (sales.management.input.mixin); the credit pass adds its own.
VISIT_INPUT_FIELDS = ("visit_frequency", "visit_user_id", *VISIT_LOST_FIELDS)
# Partner fields of the credit and performance capabilities whose written values are
# checked; the credit limit is the host's, given by the Credit Controller.
CREDIT_INPUT_FIELDS = (*CREDIT_WRITABLE, *CREDIT_PROFILE_FIELDS, "is_key_account", "key_account_manager_id", "area_id")
# Operators comparing text with a pattern.
LIKE_OPERATORS = ("like", "not like", "ilike", "not ilike", "=like", "=ilike")
# Bounds of the number fields among them.
CREDIT_INPUT_RANGES = {
    "credit_limit": (0.0, None),
    "credit_financial_strength": (0.0, 100.0),
    "credit_registered_capital": (0.0, None),
    "credit_total_assets": (0.0, None),
    "credit_total_liabilities": (0.0, None),
}


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "sales.management.input.mixin"]

    # ------------------------------------------------------------
    # DEFAULTS
    # ------------------------------------------------------------

    def _get_default_visit_frequency(self):
        """Visit frequency of a new customer; a credit grade sets it afterwards
        (see _get_visit_frequency_for_grade)."""
        return "biweekly"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # -- Customer credit: profile (客户资料表) --
    credit_legal_representative = fields.Char("Legal Representative", groups=CREDIT_READ_GROUPS)
    credit_registered_capital = fields.Monetary(
        "Registered Capital", currency_field="credit_currency_id", groups=CREDIT_READ_GROUPS
    )
    credit_total_assets = fields.Monetary(
        "Total Assets", currency_field="credit_currency_id", groups=CREDIT_READ_GROUPS
    )
    credit_total_liabilities = fields.Monetary(
        "Total Liabilities", currency_field="credit_currency_id", groups=CREDIT_READ_GROUPS
    )
    credit_industry_position = fields.Selection(INDUSTRY_POSITIONS, "Industry Position", groups=CREDIT_READ_GROUPS)
    credit_trading_since = fields.Date(
        "Trading Since", help="Start of the business relationship.", groups=CREDIT_READ_GROUPS
    )
    credit_main_products = fields.Text("Main Products", groups=CREDIT_READ_GROUPS)
    credit_payment_behaviour = fields.Text("Payment Behaviour Notes", groups=CREDIT_READ_GROUPS)
    credit_attitude = fields.Selection(CUSTOMER_ATTITUDES, "Attitude", groups=CREDIT_READ_GROUPS)
    credit_importance = fields.Selection(CUSTOMER_IMPORTANCE, "Importance", groups=CREDIT_READ_GROUPS)
    is_key_account = fields.Boolean("Key Account", help="大客户")
    key_account_manager_id = fields.Many2one("res.users", "Key Account Manager")

    # -- credit status of the current company (sales.credit.status) --
    credit_status_id = fields.Many2one(
        "sales.credit.status", compute="_compute_credit_status", groups=CREDIT_READ_GROUPS
    )
    credit_currency_id = fields.Many2one("res.currency", compute="_compute_credit_status", groups=CREDIT_READ_GROUPS)
    credit_grade_id = fields.Many2one(
        "sales.credit.grade",
        "Credit Grade",
        compute="_compute_credit_status",
        readonly=False,
        search="_search_credit_grade_id",
        groups=CREDIT_READ_GROUPS,
    )
    credit_score = fields.Float(compute="_compute_credit_status", digits=(5, 2), groups=CREDIT_READ_GROUPS)
    credit_score_breakdown = fields.Text("Score Breakdown", compute="_compute_credit_status", groups=CREDIT_READ_GROUPS)
    is_credit_grade_override = fields.Boolean(
        "Grade Overridden", compute="_compute_credit_status", readonly=False, groups=CREDIT_READ_GROUPS
    )
    credit_override_reason = fields.Char(
        "Override Reason", compute="_compute_credit_status", readonly=False, groups=CREDIT_READ_GROUPS
    )
    credit_hold = fields.Boolean(
        "On Credit Hold",
        compute="_compute_credit_status",
        readonly=False,
        search="_search_credit_hold",
        groups=CREDIT_READ_GROUPS,
    )
    credit_hold_reason = fields.Char(
        "Hold Reason", compute="_compute_credit_status", readonly=False, groups=CREDIT_READ_GROUPS
    )
    credit_financial_strength = fields.Float(
        "Financial Strength (0-100)", compute="_compute_credit_status", readonly=False, groups=CREDIT_READ_GROUPS
    )
    credit_dso = fields.Float("DSO (days)", compute="_compute_credit_status", digits=(16, 1), groups=CREDIT_READ_GROUPS)
    credit_overdue_amount = fields.Monetary(
        "Overdue Amount",
        compute="_compute_credit_status",
        currency_field="credit_currency_id",
        groups=CREDIT_READ_GROUPS,
    )
    credit_oldest_overdue_days = fields.Integer(
        "Oldest Overdue (days)", compute="_compute_credit_status", groups=CREDIT_READ_GROUPS
    )
    credit_abc_class = fields.Selection(
        [("a", "A"), ("b", "B"), ("c", "C")], "ABC Class", compute="_compute_credit_status", groups=CREDIT_READ_GROUPS
    )
    credit_recompute_date = fields.Date(
        "Credit Recomputed On", compute="_compute_credit_status", groups=CREDIT_READ_GROUPS
    )
    credit_ageing_not_due = fields.Monetary(
        "Not Due", compute="_compute_credit_status", currency_field="credit_currency_id", groups=CREDIT_READ_GROUPS
    )
    credit_ageing_1_30 = fields.Monetary(
        "1-30 Days", compute="_compute_credit_status", currency_field="credit_currency_id", groups=CREDIT_READ_GROUPS
    )
    credit_ageing_31_60 = fields.Monetary(
        "31-60 Days", compute="_compute_credit_status", currency_field="credit_currency_id", groups=CREDIT_READ_GROUPS
    )
    credit_ageing_61_90 = fields.Monetary(
        "61-90 Days", compute="_compute_credit_status", currency_field="credit_currency_id", groups=CREDIT_READ_GROUPS
    )
    credit_ageing_91_180 = fields.Monetary(
        "91-180 Days", compute="_compute_credit_status", currency_field="credit_currency_id", groups=CREDIT_READ_GROUPS
    )
    credit_ageing_over_180 = fields.Monetary(
        "Over 180 Days",
        compute="_compute_credit_status",
        currency_field="credit_currency_id",
        groups=CREDIT_READ_GROUPS,
    )
    # -- live exposure, company currency --
    credit_exposure_receivable = fields.Monetary(
        "Open Receivables",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=CREDIT_READ_GROUPS,
    )
    credit_exposure_notes = fields.Monetary(
        "Notes Receivable",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=CREDIT_READ_GROUPS,
    )
    credit_exposure_draft = fields.Monetary(
        "Draft Invoices",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=CREDIT_READ_GROUPS,
    )
    credit_exposure_orders = fields.Monetary(
        "Orders Not Invoiced",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=CREDIT_READ_GROUPS,
    )
    credit_exposure = fields.Monetary(
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=CREDIT_READ_GROUPS,
    )
    credit_limit_display = fields.Monetary(
        "Credit Limit (company)",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=CREDIT_READ_GROUPS,
    )
    credit_available = fields.Monetary(
        "Available Credit",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=CREDIT_READ_GROUPS,
    )
    credit_history_count = fields.Integer(compute="_compute_credit_history_count", groups=CREDIT_READ_GROUPS)
    # -- Grade pricelist: overridden only by a sales manager (sales.credit.status) --
    is_pricelist_override = fields.Boolean(
        "Pricelist Overridden", compute="_compute_credit_status", groups=CREDIT_READ_GROUPS
    )
    pricelist_override_reason = fields.Char(compute="_compute_credit_status", groups=CREDIT_READ_GROUPS)

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
    visit_lost_date = fields.Date(
        string="Closed as Lost On",
        readonly=True,
        copy=False,
        help="A manager closed this prospect as lost: no follow-up is proposed any more.",
    )
    visit_lost_reason = fields.Text(string="Lost Reason", readonly=True, copy=False)
    visit_lost_user_id = fields.Many2one("res.users", string="Closed as Lost By", readonly=True, copy=False)
    is_internal_contact = fields.Boolean(
        compute="_compute_is_internal_contact",
        search="_search_is_internal_contact",
        help="The contact of an internal user or of one of the companies: never a customer to visit.",
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

    # -- Complaints --------------------------------------------------------
    complaint_count = fields.Integer(
        compute="_compute_complaint_count",
        groups="sales_team.group_sale_salesman,sales_management.group_sales_management_after_sales",
    )

    # -- Performance: area (区域) ----------------------------------------------
    area_id = fields.Many2one(
        "sales.area",
        string="Area",
        compute="_compute_area_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        help="Area (区域) of the customer; set from the salesperson's sales team when he gets one, editable.",
    )

    def init(self):
        res = super().init()
        # The credit check's indexes (sales_credit_sql.INDEXES).
        sales_credit_sql.create_indexes(self.env.cr)
        return res

    # ------------------------------------------------------------
    # COMPUTE / INVERSE / SEARCH
    # ------------------------------------------------------------

    @api.depends_context("company")
    def _compute_credit_status(self):
        company = self.env.company
        statuses = self.env["sales.credit.status"]._get_status(self, company)
        by_partner = {s.partner_id.id: s for s in statuses}
        for partner in self:
            status = by_partner.get(partner.commercial_partner_id.id)
            partner.credit_status_id = status.id if status else False
            partner.credit_currency_id = company.currency_id
            for fname, sname in STATUS_FIELDS.items():
                partner[fname] = status[sname] if status else False

    def _search_credit_grade_id(self, operator, value):
        # Odoo checks field groups only on stored fields in domains.
        self.check_field_access_rights("read", ["credit_grade_id"])
        Status = self.env["sales.credit.status"].sudo()
        company_domain = [("company_id", "=", self.env.company.id)]
        refused = UserError(
            self.env._(
                "Credit Grade cannot be searched with %(operator)s %(value)s: compare it with a grade, "
                "its name or false.",
                operator=input_check.describe(operator),
                value=input_check.describe(value),
            )
        )
        # A pattern is text: anything else would reach the database as it is.
        if operator in LIKE_OPERATORS and not isinstance(value, str | bool):
            raise refused
        try:
            matching = Status.search([("grade_id", operator, value), *company_domain])
            # A customer without a status has no grade: does "no grade" match the search?
            no_grade_matches = bool(Status.new({}).filtered_domain([("grade_id", operator, value)]))
        except (ValueError, TypeError, KeyError, NotImplementedError):
            raise refused from None
        if no_grade_matches:
            others = Status.search([("id", "not in", matching.ids), *company_domain])
            return [("commercial_partner_id", "not in", others.partner_id.ids)]
        return [("commercial_partner_id", "in", matching.partner_id.ids)]

    def _search_credit_hold(self, operator, value):
        self.check_field_access_rights("read", ["credit_hold"])
        statuses = (
            self.env["sales.credit.status"]
            .sudo()
            .search([("hold", "=", True), ("company_id", "=", self.env.company.id)])
        )
        return self._search_boolean_field(
            "credit_hold", operator, value, [("commercial_partner_id", "in", statuses.partner_id.ids)]
        )

    @api.depends_context("company")
    def _compute_credit_exposure(self):
        company = self.env.company
        commercial = self.commercial_partner_id
        exposures = self.env["sales.credit.status"]._get_exposure(commercial.ids, company)
        for partner in self:
            parts = exposures.get(partner.commercial_partner_id.id, {})
            limit = partner.commercial_partner_id.sudo().credit_limit
            partner.credit_exposure_receivable = parts.get("receivable", 0.0)
            partner.credit_exposure_notes = parts.get("notes", 0.0)
            partner.credit_exposure_draft = parts.get("draft", 0.0)
            partner.credit_exposure_orders = parts.get("orders", 0.0)
            partner.credit_exposure = parts.get("total", 0.0)
            partner.credit_limit_display = limit
            partner.credit_available = limit - parts.get("total", 0.0)

    def _compute_credit_history_count(self):
        counts = dict(
            self.env["sales.credit.history"]
            .sudo()
            ._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids), ("company_id", "=", self.env.company.id)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.credit_history_count = counts.get(partner.commercial_partner_id, 0)

    @api.depends("user_id", "parent_id")
    def _compute_visit_user_id(self):
        # Customers are visited, not each of their contacts: contacts get a rep only by hand.
        # A salesperson who is no sales rep (any employee may be one in Odoo) is not a visit rep.
        reps = self._filter_input_users(self.user_id, VISIT_REP_GROUPS)
        for partner in self:
            if not partner.visit_user_id and not partner.parent_id and partner.user_id in reps:
                partner.visit_user_id = partner.user_id

    def _compute_is_internal_contact(self):
        internal = set(self._get_internal_contact_ids(self.ids)) if self.ids else set()
        for partner in self:
            partner.is_internal_contact = partner.id in internal

    def _search_is_internal_contact(self, operator, value):
        return self._search_boolean_field(
            "is_internal_contact", operator, value, [("id", "in", self._get_internal_contact_ids())]
        )

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
            partner.visit_next_date = (days and visit_schedule.next_due_date(partner.visit_last_date, days)) or False

    def _compute_is_visit_overdue(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.is_visit_overdue = bool(
                partner.visit_user_id
                and partner.visit_frequency
                and not partner.is_internal_contact
                and visit_schedule.is_overdue(partner.visit_last_date, FREQUENCY_DAYS[partner.visit_frequency], today)
            )

    def _search_is_visit_overdue(self, operator, value):
        today = fields.Date.context_today(self)
        domain = [
            ("visit_user_id", "!=", False),
            ("visit_frequency", "!=", False),
            ("is_internal_contact", "=", False),
            "|",
            ("visit_next_date", "=", False),
            ("visit_next_date", "<", today),
        ]
        return self._search_boolean_field("is_visit_overdue", operator, value, domain)

    @api.depends("user_id", "parent_id")
    def _compute_area_id(self):
        # A default, not a rule: a salesperson of a team with an area brings it, a
        # contact takes his company's; otherwise the area typed in stays.
        for partner in self:
            if partner.parent_id:
                partner.area_id = partner.parent_id.area_id or partner.area_id
            else:
                partner.area_id = partner.user_id.sale_team_id.area_id or partner.area_id

    def _compute_complaint_count(self):
        commercial = self.commercial_partner_id
        counts = dict(
            self.env["sales.complaint"]._read_group([("partner_id", "in", commercial.ids)], ["partner_id"], ["__count"])
        )
        for partner in self:
            partner.complaint_count = counts.get(partner.commercial_partner_id, 0)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("visit_user_id")
    def _check_visit_user_id(self):
        self._check_input_user("visit_user_id", VISIT_REP_GROUPS)

    @api.model
    def _get_input_ranges(self):
        return {**super()._get_input_ranges(), **CREDIT_INPUT_RANGES}

    @api.constrains(*(fname for fname in CREDIT_INPUT_RANGES if fname in CREDIT_PROFILE_FIELDS))
    def _check_credit_profile_amounts(self):
        self._check_input_range([fname for fname in CREDIT_INPUT_RANGES if fname in CREDIT_PROFILE_FIELDS])

    @api.constrains("key_account_manager_id")
    def _check_key_account_manager_id(self):
        self._check_input_user("key_account_manager_id", VISIT_REP_GROUPS)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # Credit values are taken out of vals below: checked before.
        self._check_input_values(vals_list)
        # A limit or a credit decision given at creation (form, import, copy, a
        # context default, a new contact) is the Credit Controller's, as on write.
        is_controller = self.env["sales.credit.status"]._has_credit_rights()
        context_defaults = {
            f: self.env.context[f"default_{f}"] for f in CREDIT_WRITABLE if f"default_{f}" in self.env.context
        }
        model = self
        if context_defaults:
            # Taken as given values (checked below), never applied by the ORM behind our back.
            model = self.with_env(
                self.env(
                    context={
                        key: value
                        for key, value in self.env.context.items()
                        if not (key.startswith("default_") and key[8:] in context_defaults)
                    }
                )
            )
        # Copies: the caller's values stay whole (load() retries them one by one).
        vals_list = [dict(vals) for vals in vals_list]
        credit_vals_list = []
        for vals in vals_list:
            credit_vals = {f: vals.pop(f) for f in CREDIT_WRITABLE if f in vals}
            credit_vals.update({f: v for f, v in context_defaults.items() if f not in credit_vals})
            credit_vals = self._get_credit_values_set(credit_vals)
            if credit_vals and not is_controller:
                self._raise_credit_rights(credit_vals)
            credit_vals_list.append(credit_vals)
        partners = super(ResPartner, model).create(vals_list)
        if not is_controller:
            # Whatever set it (a user's own default value for instance), a new customer
            # starts from the company's default limit unless a Credit Controller gives one.
            partners._check_credit_limit_unset()
        for partner, credit_vals in zip(partners, credit_vals_list, strict=True):
            if credit_vals:
                partner._write_credit_values(credit_vals)
        return partners

    @api.model
    def _get_input_checked_fields(self):
        return set(VISIT_INPUT_FIELDS) | set(CREDIT_INPUT_FIELDS)

    # super().write is called by _write_checked, once the pricelist rule is set up around it.
    def write(self, vals):  # pylint: disable=method-required-super
        if PRICELIST_FIELDS & set(vals) and not is_writing_pricelists():
            with checking_pricelists() as outermost:
                result = self._write_checked(vals)
            if outermost:
                self._check_grade_pricelist()
            return result
        return self._write_checked(vals)

    def _write_checked(self, vals):
        # Credit values are taken out of vals below: checked before.
        self._check_input_values([vals])
        if not self.env.su and set(VISIT_LOST_FIELDS) & set(vals):
            raise AccessError(
                self.env._("A prospect is closed as lost, or reopened, by a sales manager's action only.")
            )
        # Credit fields are the Credit Controller's, whatever his rights on
        # contacts: checked here, then written as superuser. Writing the value a
        # field already has (forms send the limit with its checkbox) changes nothing.
        vals = dict(vals)  # the caller's stay whole (load() retries them one by one)
        credit_vals = {f: vals.pop(f) for f in CREDIT_WRITABLE if f in vals}
        is_controller = self.env["sales.credit.status"]._has_credit_rights()
        if credit_vals and not is_controller:
            credit_vals = self._get_credit_changes(credit_vals)
            if credit_vals:
                self._raise_credit_rights(credit_vals)
        # Who the customer is for credit (his commercial entity) is the Credit
        # Controller's too: a contact moved out of a limited customer takes his
        # orders and invoices out of that limit.
        entities = self.browse()
        if HIERARCHY_FIELDS & set(vals) and not is_controller:
            entities = self._get_credit_entities_before(vals)
        result = super().write(vals) if vals or not credit_vals else True
        if "commercial_partner_id" in vals:
            self._check_commercial_partner()
        if entities:
            self._check_credit_entities_kept(entities)
        if credit_vals:
            self._write_credit_values(credit_vals)
        return result

    def copy_data(self, default=None):
        # The credit profile is the customer's own data: a user who may not read it
        # still duplicates the customer whole (he is shown nothing of it).
        if self.env.su or self.env.user.has_groups(CREDIT_READ_GROUPS):
            return super().copy_data(default)
        vals_list = []
        for partner in self:
            profile = partner.sudo()._get_credit_profile_copy_values()
            vals_list += super(ResPartner, partner).copy_data({**profile, **(default or {})})
        return vals_list

    # ------------------------------------------------------------
    # CREDIT RIGHTS
    # ------------------------------------------------------------

    def _get_credit_profile_copy_values(self):
        self.ensure_one()
        return {
            fname: self._fields[fname].convert_to_write(self[fname], self)
            for fname in CREDIT_PROFILE_FIELDS
            if self._fields[fname].copy
        }

    @api.model
    def _get_credit_values_set(self, credit_vals):
        """The credit values given to a new partner that differ from what he would get anyway."""
        fallback = self._fields["credit_limit"].get_company_dependent_fallback(self) or 0.0
        currency = self.env.company.currency_id
        return {
            fname: value
            for fname, value in credit_vals.items()
            if (not currency.is_zero((value or 0.0) - fallback) if fname == "credit_limit" else bool(value))
        }

    def _get_credit_changes(self, credit_vals):
        """The credit values that would change one of these partners."""
        partners = self.sudo()
        currency = self.env.company.currency_id
        changes = {}
        for fname, value in credit_vals.items():
            field = self._fields[fname]
            if fname == "credit_limit":
                changed = any(not currency.is_zero((value or 0.0) - p.credit_limit) for p in partners)
            else:
                changed = any(field.convert_to_write(p[fname], p) != (value or False) for p in partners)
            if changed:
                changes[fname] = value
        return changes

    def _raise_credit_rights(self, credit_vals):
        labels = ", ".join(self._fields[fname]._description_string(self.env) for fname in credit_vals)
        raise AccessError(
            self.env._(
                "Only Credit Controllers may set a customer's credit limit, grade or hold (%(fields)s).",
                fields=labels,
            )
        )

    def _check_credit_limit_unset(self):
        """Refuse new customers whose stored limit, in any company, is not that company's default."""
        commercial = self.filtered(lambda p: p == p.commercial_partner_id)
        if not commercial:
            return
        self.flush_recordset(["credit_limit"])
        self.env.cr.execute(
            "SELECT id, credit_limit FROM res_partner WHERE id = ANY(%s) AND credit_limit IS NOT NULL",
            [commercial.ids],
        )
        field = self._fields["credit_limit"]
        Company = self.env["res.company"].sudo()
        for partner_id, limits in self.env.cr.fetchall():
            for company_id, limit in limits.items():
                company = Company.browse(int(company_id))
                partner = self.browse(partner_id).with_company(company)
                fallback = field.get_company_dependent_fallback(partner) or 0.0
                if not company.currency_id.is_zero((limit or 0.0) - fallback):
                    self._raise_credit_rights({"credit_limit": limit})

    def _check_commercial_partner(self):
        """The commercial entity follows the parent and the company flag; nobody sets it by hand."""
        for partner in self.sudo():
            expected = (
                partner if partner.is_company or not partner.parent_id else partner.parent_id.commercial_partner_id
            )
            if partner.commercial_partner_id != expected:
                raise UserError(
                    self.env._(
                        "The commercial entity of %(partner)s follows its parent company and its "
                        "'Is a Company' flag: set those instead.",
                        partner=partner.display_name,
                    )
                )

    def _get_credit_entities_before(self, vals):
        """Before a change of the hierarchy: ``{partner: commercial entity}`` of these partners
        and their contacts, where that entity's credit is watched (limit, grade, hold or open
        exposure, in any company); empty when the change moves nobody."""
        if not any(
            (fname == "parent_id" and partner.parent_id.id != (vals[fname] or False))
            or (fname == "is_company" and partner.is_company != bool(vals[fname]))
            or (fname == "commercial_partner_id" and partner.commercial_partner_id.id != vals[fname])
            for partner in self
            for fname in HIERARCHY_FIELDS & set(vals)
        ):
            return {}
        partners = self.sudo().with_context(active_test=False).search([("id", "child_of", self.ids)])
        guarded = partners.commercial_partner_id._get_credit_watched()
        return {
            partner: partner.commercial_partner_id for partner in partners if partner.commercial_partner_id in guarded
        }

    def _check_credit_entities_kept(self, entities):
        for partner, entity in entities.items():
            if partner.commercial_partner_id != entity:
                raise AccessError(
                    self.env._(
                        "%(partner)s belongs to %(customer)s, whose credit is watched (credit limit, grade, "
                        "hold or open exposure): only a Credit Controller may change its parent company "
                        "or its 'Is a Company' flag.",
                        partner=partner.display_name,
                        customer=entity.display_name,
                    )
                )

    def _check_grade_pricelist(self):
        """Refuse a pricelist, just written, that is not the grade's of a graded customer without override."""
        company = self.env.company
        statuses = self.env["sales.credit.status"]._get_status(self, company)
        graded = {
            s.partner_id.id: s.grade_id.pricelist_id
            for s in statuses
            if s.grade_id.pricelist_id and not s.is_pricelist_override
        }
        if not graded:
            return
        # The stored pricelist (Odoo's inverse of the shown one writes it): the grade's is
        # always stored for his customers (sales.credit.status._apply_grade_pricelist).
        for partner in self.sudo().with_company(company):
            pricelist = graded.get(partner.commercial_partner_id.id)
            if pricelist and partner.specific_property_product_pricelist != pricelist:
                raise UserError(
                    self.env._(
                        "%(customer)s is on the pricelist of his credit grade (%(pricelist)s); only a sales "
                        "manager may put him on another one, with a reason (Override Pricelist).",
                        customer=partner.commercial_partner_id.display_name,
                        pricelist=pricelist.display_name,
                    )
                )

    def _get_credit_watched(self):
        """The commercial entities among ``self`` that have a credit limit, a grade, a hold or
        open exposure (receivables, draft invoices, orders not invoiced) in any company."""
        Status = self.env["sales.credit.status"].sudo()
        watched = set()
        for company in self.env["res.company"].sudo().search([]):
            for position in Status._get_exposure(self.ids, company).values():
                if position["limit_applied"] or position["hold"] or position["total"] or position["oldest_due"]:
                    watched.add(position["commercial_partner_id"])
        return self.browse(sorted(watched))

    def _write_credit_values(self, credit_vals):
        company = self.env.company
        if "credit_limit" in credit_vals:
            limit = credit_vals.pop("credit_limit") or 0.0
            if limit < 0:
                raise ValidationError(self.env._("A credit limit cannot be negative."))
            for partner in self:
                old_limit = partner.sudo().credit_limit
                super(ResPartner, partner.sudo()).write({"credit_limit": limit})
                if old_limit != limit and partner == partner.commercial_partner_id:
                    status = self.env["sales.credit.status"]._get_status(partner, company, create=True)
                    status._log_change("limit", old_limit, limit, self.env.context.get("credit_change_reason"))
        if credit_vals:
            status_vals = {STATUS_FIELDS[f]: v for f, v in credit_vals.items()}
            if "hold" in status_vals and not status_vals["hold"]:
                status_vals.update(is_hold_automatic=False, hold_reason=status_vals.get("hold_reason") or False)
            if status_vals.get("grade_id") and "is_grade_override" not in status_vals:
                status_vals["is_grade_override"] = True
            statuses = self.env["sales.credit.status"]._get_status(self, company, create=True)
            statuses.write(status_vals)
        return True

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_credit_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_management.sales_credit_history_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action

    def action_override_pricelist(self):
        """A sales manager puts the customer on another pricelist than his grade's, with a reason."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override Pricelist"),
            "res_model": "sales.pricelist.override.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_view_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_management.sales_visit_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_visit_close_lost(self):
        """Ask a manager for the reason, then close the prospects as lost."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close as Lost"),
            "res_model": "sales.visit.prospect.lost",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_ids": self.commercial_partner_id.ids},
        }

    def action_visit_reopen(self):
        self._visit_reopen()
        return True

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

    def action_key_account_review(self):
        """Open the key account's draft review (大客户汇总评定), made with fresh figures if there is none."""
        self.ensure_one()
        Review = self.env["sales.key.account.review"]
        review = Review.search(
            [("partner_id", "=", self.commercial_partner_id.id), ("state", "=", "draft")], order="date desc", limit=1
        )
        if review:
            review.action_refresh()
        else:
            review = Review.create({"partner_id": self.commercial_partner_id.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "sales.key.account.review",
            "view_mode": "form",
            "views": [(False, "form")],
            "res_id": review.id,
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _update_visit_last_date(self):
        """Set the last visit date from the visits done in person (set-based): a call
        does not replace a visit within the frequency."""
        last = dict(
            self.env["sales.visit"]
            .sudo()
            ._read_group(
                [("partner_id", "in", self.ids), ("state", "=", "done"), ("mode", "in", IN_PERSON_MODES)],
                ["partner_id"],
                ["date:max"],
            )
        )
        for partner in self.sudo():
            if partner.visit_last_date != last.get(partner):
                partner.visit_last_date = last.get(partner)

    def _get_visit_frequency_for_grade(self, grade):
        """Visit frequency a credit grade gives this customer: key accounts (大客户) are
        seen weekly, others as often as their grade says."""
        self.ensure_one()
        return "weekly" if self.is_key_account else grade.visit_frequency

    @api.model
    def _get_internal_contact_sql(self, alias):
        """SQL condition on res_partner `alias`: the contact of an internal user (archived
        ones included, e.g. OdooBot) or a contact of one of the companies."""
        return SQL(
            "(EXISTS (SELECT 1 FROM res_users iu WHERE iu.partner_id = %(alias)s.id AND NOT iu.share)"
            " OR %(alias)s.commercial_partner_id IN (SELECT ic.partner_id FROM res_company ic))",
            alias=SQL.identifier(alias),
        )

    @api.model
    def _get_internal_contact_ids(self, among=None):
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["res.users"].flush_model(["partner_id", "share"])
        query = SQL(
            "SELECT p.id FROM res_partner p WHERE %s %s",
            self._get_internal_contact_sql("p"),
            SQL("AND p.id = ANY(%s)", list(among)) if among is not None else SQL(),
        )
        return [row[0] for row in self.env.execute_query(query)]

    def _visit_close_lost(self, reason):
        """A manager closes prospects as lost: their planned visits are cancelled and
        their follow-up to-dos dropped, and nothing more is proposed for them."""
        self._sales_check_rights(
            "sales_team.group_sale_salesman_all_leads", self.env._("Only a sales manager can close a prospect as lost.")
        )
        self._check_input_text(self.env._("Lost Reason"), reason or "")
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(self.env._("Give the reason why the prospect is lost."))
        prospects = self.commercial_partner_id
        prospects.sudo().write(
            {
                "visit_lost_date": fields.Date.context_today(self),
                "visit_lost_reason": reason,
                "visit_lost_user_id": self.env.uid,
            }
        )
        Visit = self.env["sales.visit"].sudo()
        planned = Visit.search(
            [("commercial_partner_id", "in", prospects.ids), ("state", "in", ("planned", "in_progress"))]
        )
        if planned:
            planned.write(
                {"state": "cancelled", "reason": self.env._("Prospect closed as lost: %(reason)s", reason=reason)}
            )
        followups = Visit.search(
            [("commercial_partner_id", "in", prospects.ids), ("followup_activity_id", "!=", False)]
        )
        followups.followup_activity_id.unlink()
        # Posted as superuser: a manager may have no write right on contacts.
        for prospect in prospects.sudo():
            prospect.message_post(
                body=self.env._("Closed as lost: %(reason)s", reason=reason), subtype_xmlid="mail.mt_note"
            )

    def _visit_reopen(self):
        self._sales_check_rights(
            "sales_team.group_sale_salesman_all_leads",
            self.env._("Only a sales manager can reopen a prospect closed as lost."),
        )
        prospects = self.commercial_partner_id.filtered("visit_lost_date")
        prospects.sudo().write({"visit_lost_date": False, "visit_lost_reason": False, "visit_lost_user_id": False})
        for prospect in prospects.sudo():
            prospect.message_post(body=self.env._("Reopened as a prospect."), subtype_xmlid="mail.mt_note")

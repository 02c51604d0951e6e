from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL, create_index

from ..tools.ageing import AGEING_BUCKETS
from ..tools.visit_frequency import FREQUENCY_DAYS, VISIT_FREQUENCIES
from ..tools.visit_schedule import IN_PERSON_MODES
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


# Partner fields of the visits capability whose written values are checked
# (sales.management.input.mixin); the credit pass adds its own.
VISIT_INPUT_FIELDS = ("visit_frequency", "visit_user_id", *VISIT_LOST_FIELDS)


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
    credit_legal_representative = fields.Char("Legal Representative")
    credit_registered_capital = fields.Monetary("Registered Capital", currency_field="credit_currency_id")
    credit_total_assets = fields.Monetary("Total Assets", currency_field="credit_currency_id")
    credit_total_liabilities = fields.Monetary("Total Liabilities", currency_field="credit_currency_id")
    credit_industry_position = fields.Selection(INDUSTRY_POSITIONS, "Industry Position")
    credit_trading_since = fields.Date("Trading Since", help="Start of the business relationship.")
    credit_main_products = fields.Text("Main Products")
    credit_payment_behaviour = fields.Text("Payment Behaviour Notes")
    credit_attitude = fields.Selection(CUSTOMER_ATTITUDES, "Attitude")
    credit_importance = fields.Selection(CUSTOMER_IMPORTANCE, "Importance")
    is_key_account = fields.Boolean("Key Account", help="大客户")
    key_account_manager_id = fields.Many2one("res.users", "Key Account Manager")

    # -- credit status of the current company (sales.credit.status) --
    credit_status_id = fields.Many2one("sales.credit.status", compute="_compute_credit_status")
    credit_currency_id = fields.Many2one("res.currency", compute="_compute_credit_status")
    credit_grade_id = fields.Many2one(
        "sales.credit.grade",
        "Credit Grade",
        compute="_compute_credit_status",
        readonly=False,
        search="_search_credit_grade_id",
    )
    credit_score = fields.Float("Credit Score", compute="_compute_credit_status", digits=(5, 2))
    credit_score_breakdown = fields.Text("Score Breakdown", compute="_compute_credit_status")
    is_credit_grade_override = fields.Boolean("Grade Overridden", compute="_compute_credit_status", readonly=False)
    credit_override_reason = fields.Char("Override Reason", compute="_compute_credit_status", readonly=False)
    credit_hold = fields.Boolean(
        "On Credit Hold",
        compute="_compute_credit_status",
        readonly=False,
        search="_search_credit_hold",
    )
    credit_hold_reason = fields.Char("Hold Reason", compute="_compute_credit_status", readonly=False)
    credit_financial_strength = fields.Float(
        "Financial Strength (0-100)", compute="_compute_credit_status", readonly=False
    )
    credit_dso = fields.Float("DSO (days)", compute="_compute_credit_status", digits=(16, 1))
    credit_overdue_amount = fields.Monetary(
        "Overdue Amount", compute="_compute_credit_status", currency_field="credit_currency_id"
    )
    credit_oldest_overdue_days = fields.Integer("Oldest Overdue (days)", compute="_compute_credit_status")
    credit_abc_class = fields.Selection(
        [("a", "A"), ("b", "B"), ("c", "C")], "ABC Class", compute="_compute_credit_status"
    )
    credit_recompute_date = fields.Date("Credit Recomputed On", compute="_compute_credit_status")
    credit_ageing_not_due = fields.Monetary(
        "Not Due", compute="_compute_credit_status", currency_field="credit_currency_id"
    )
    credit_ageing_1_30 = fields.Monetary(
        "1-30 Days", compute="_compute_credit_status", currency_field="credit_currency_id"
    )
    credit_ageing_31_60 = fields.Monetary(
        "31-60 Days", compute="_compute_credit_status", currency_field="credit_currency_id"
    )
    credit_ageing_61_90 = fields.Monetary(
        "61-90 Days", compute="_compute_credit_status", currency_field="credit_currency_id"
    )
    credit_ageing_91_180 = fields.Monetary(
        "91-180 Days", compute="_compute_credit_status", currency_field="credit_currency_id"
    )
    credit_ageing_over_180 = fields.Monetary(
        "Over 180 Days", compute="_compute_credit_status", currency_field="credit_currency_id"
    )
    # -- live exposure, company currency --
    credit_exposure_receivable = fields.Monetary(
        "Open Receivables", compute="_compute_credit_exposure", currency_field="credit_currency_id"
    )
    credit_exposure_notes = fields.Monetary(
        "Notes Receivable", compute="_compute_credit_exposure", currency_field="credit_currency_id"
    )
    credit_exposure_draft = fields.Monetary(
        "Draft Invoices", compute="_compute_credit_exposure", currency_field="credit_currency_id"
    )
    credit_exposure_orders = fields.Monetary(
        "Orders Not Invoiced", compute="_compute_credit_exposure", currency_field="credit_currency_id"
    )
    credit_exposure = fields.Monetary(
        "Credit Exposure", compute="_compute_credit_exposure", currency_field="credit_currency_id"
    )
    credit_limit_display = fields.Monetary(
        "Credit Limit (company)", compute="_compute_credit_exposure", currency_field="credit_currency_id"
    )
    credit_available = fields.Monetary(
        "Available Credit", compute="_compute_credit_exposure", currency_field="credit_currency_id"
    )
    credit_history_count = fields.Integer(compute="_compute_credit_history_count")

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
        compute="_compute_complaint_count", groups="sales_management.group_sales_management_user"
    )

    def init(self):
        super().init()
        # The credit check and the nightly job read a customer's documents through
        # its commercial entity: keep those reads independent of the data volume.
        cr = self.env.cr
        create_index(cr, "res_partner_sm_credit_commercial_idx", "res_partner", ["commercial_partner_id"])
        create_index(
            cr,
            "account_move_sm_credit_draft_idx",
            "account_move",
            ["commercial_partner_id"],
            where="state = 'draft' AND move_type IN ('out_invoice', 'out_refund')",
        )
        create_index(
            cr,
            "account_move_sm_credit_commercial_idx",
            "account_move",
            ["commercial_partner_id", "company_id"],
            where="move_type IN ('out_invoice', 'out_refund')",
        )
        # Open items by due date: the check reads a customer's oldest overdue item as the
        # first entry (its balance comes from sales.credit.balance).
        cr.execute("DROP INDEX IF EXISTS account_move_line_sm_credit_open_idx")
        create_index(
            cr,
            "account_move_line_sm_credit_open_due_idx",
            "account_move_line",
            ["partner_id", "date_maturity"],
            where="parent_state = 'posted' AND reconciled IS NOT TRUE",
        )
        # Order lines left to invoice and down payments not yet deducted, so that fully
        # invoiced history costs nothing.
        cr.execute("DROP INDEX IF EXISTS sale_order_line_sm_credit_open_idx")
        create_index(
            cr,
            "sale_order_line_sm_credit_open_lines_idx",
            "sale_order_line",
            ["order_partner_id"],
            where="state = 'sale' AND display_type IS NULL "
            "AND (qty_invoiced < product_uom_qty OR (is_downpayment IS TRUE AND qty_invoiced != 0))",
        )

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
        statuses = (
            self.env["sales.credit.status"]
            .sudo()
            .search([("grade_id", operator, value), ("company_id", "=", self.env.company.id)])
        )
        return [("commercial_partner_id", "in", statuses.partner_id.ids)]

    def _search_credit_hold(self, operator, value):
        if operator not in ("=", "!="):
            raise ValidationError(self.env._("Unsupported search on 'On Credit Hold'."))
        statuses = (
            self.env["sales.credit.status"]
            .sudo()
            .search([("hold", "=", True), ("company_id", "=", self.env.company.id)])
        )
        positive = (operator == "=") == bool(value)
        return [("commercial_partner_id", "in" if positive else "not in", statuses.partner_id.ids)]

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
            partner.visit_next_date = (
                fields.Date.add(partner.visit_last_date, days=days) if partner.visit_last_date and days else False
            )

    def _compute_is_visit_overdue(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.is_visit_overdue = bool(
                partner.visit_user_id
                and partner.visit_frequency
                and not partner.is_internal_contact
                and (not partner.visit_next_date or partner.visit_next_date < today)
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

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def _get_input_checked_fields(self):
        return set(VISIT_INPUT_FIELDS)

    def write(self, vals):
        if not self.env.su and set(VISIT_LOST_FIELDS) & set(vals):
            raise AccessError(
                self.env._("A prospect is closed as lost, or reopened, by a sales manager's action only.")
            )
        # Credit fields are the Credit Controller's, whatever his rights on
        # contacts: checked here, then written as superuser.
        credit_vals = {f: vals.pop(f) for f in [*STATUS_WRITABLE, "credit_limit"] if f in vals}
        result = super().write(vals) if vals or not credit_vals else True
        if credit_vals:
            self.env["sales.credit.status"]._check_credit_rights()
            self._write_credit_values(credit_vals)
        return result

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

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_credit_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_management.sales_credit_history_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action

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
        if not (self.env.su or self.env.user.has_group("sales_team.group_sale_salesman_all_leads")):
            raise AccessError(self.env._("Only a sales manager can close a prospect as lost."))
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
        if not (self.env.su or self.env.user.has_group("sales_team.group_sale_salesman_all_leads")):
            raise AccessError(self.env._("Only a sales manager can reopen a prospect closed as lost."))
        prospects = self.commercial_partner_id.filtered("visit_lost_date")
        prospects.sudo().write({"visit_lost_date": False, "visit_lost_reason": False, "visit_lost_user_id": False})
        for prospect in prospects.sudo():
            prospect.message_post(body=self.env._("Reopened as a prospect."), subtype_xmlid="mail.mt_note")

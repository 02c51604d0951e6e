from odoo import api, fields, models

from ..tools.visit_frequency import FREQUENCY_DAYS, VISIT_FREQUENCIES


class SalesVisitCoverageReport(models.Model):
    _name = "sales.visit.coverage.report"
    _inherit = ["sales.management.input.mixin"]
    _description = "Visit Coverage"
    _auto = False
    _order = "user_id, is_overdue desc, last_visit_date"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Sales Rep", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    visit_frequency = fields.Selection(VISIT_FREQUENCIES, readonly=True)
    last_visit_date = fields.Date(string="Last Visit", readonly=True)
    next_visit_date = fields.Date(string="Next Visit Due", readonly=True)
    days_since_visit = fields.Integer(
        readonly=True, aggregator="avg", help="Days since the last visit in person; empty when never visited."
    )
    is_never_visited = fields.Boolean(string="Never Visited", readonly=True)
    last_visit_label = fields.Char(
        string="Last Seen", compute="_compute_last_visit_label", help="Days since the last visit, or never."
    )
    is_covered = fields.Boolean(string="Seen Within Frequency", readonly=True)
    is_overdue = fields.Boolean(string="Overdue", readonly=True)
    customer_count = fields.Integer(string="Customers", readonly=True, aggregator="sum")
    covered_count = fields.Integer(string="Customers Seen", readonly=True, aggregator="sum")
    overdue_count = fields.Integer(string="Customers Overdue", readonly=True, aggregator="sum")
    coverage_rate = fields.Float(
        string="Coverage (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the customers seen within their visit frequency.",
    )

    @api.depends_context("lang")
    def _compute_last_visit_label(self):
        for row in self:
            if row.is_never_visited:
                row.last_visit_label = self.env._("Never")
            elif row.days_since_visit == 0:
                row.last_visit_label = self.env._("Today")
            else:
                row.last_visit_label = self.env._("%(days)s days ago", days=row.days_since_visit)

    def _search(self, domain, offset=0, limit=None, order=None):
        # The view reads other models' tables: write their pending changes first.
        self.env.flush_all()
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _frequency_days_sql(self):
        cases = " ".join(f"WHEN '{key}' THEN {days}" for key, days in FREQUENCY_DAYS.items())
        return f"CASE p.visit_frequency {cases} END"

    @property
    def _table_query(self):
        days = self._frequency_days_sql()
        # The user's today (not the database's), so coverage follows the user's day.
        today = f"'{fields.Date.context_today(self)}'::date"
        # Customers only: not the contacts of internal users or of the companies
        # themselves, nor prospects a manager closed as lost.
        internal = self.env["res.partner"]._get_internal_contact_sql("p").code
        return f"""
            SELECT p.id AS id,
                   p.id AS partner_id,
                   p.visit_user_id AS user_id,
                   COALESCE(p.company_id, u.company_id) AS company_id,
                   p.visit_frequency AS visit_frequency,
                   p.visit_last_date AS last_visit_date,
                   p.visit_next_date AS next_visit_date,
                   {today} - p.visit_last_date AS days_since_visit,
                   p.visit_last_date IS NULL AS is_never_visited,
                   COALESCE(p.visit_last_date >= {today} - {days}, FALSE) AS is_covered,
                   (p.visit_next_date IS NULL OR p.visit_next_date < {today}) AS is_overdue,
                   1 AS customer_count,
                   CASE WHEN p.visit_last_date >= {today} - {days} THEN 1 ELSE 0 END AS covered_count,
                   CASE WHEN p.visit_next_date IS NULL OR p.visit_next_date < {today}
                        THEN 1 ELSE 0 END AS overdue_count,
                   CASE WHEN p.visit_last_date >= {today} - {days} THEN 100.0 ELSE 0.0 END AS coverage_rate
              FROM res_partner p
              JOIN res_users u ON u.id = p.visit_user_id
             WHERE p.active AND p.visit_frequency IS NOT NULL
               AND NOT {internal}
               AND NOT EXISTS (SELECT 1 FROM res_partner lp
                                WHERE lp.id = p.commercial_partner_id AND lp.visit_lost_date IS NOT NULL)
        """

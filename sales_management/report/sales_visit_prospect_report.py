from odoo import fields, models
from odoo.tools import SQL

from ..tools.visit_schedule import VISIT_RESULTS

PROSPECT_STATES = [
    ("no_next_step", "No Next Step"),
    ("follow_up", "In Follow-up"),
    ("won", "Won"),
    ("lost", "Lost"),
]


class SalesVisitProspectReport(models.Model):
    """Prospect pipeline from visits (客户开发): one row per prospect.

    A prospect is a customer (commercial entity) visited at least once (any mode)
    who had no confirmed order before his first visit. He is won by his first
    confirmed order, lost when a manager closes him as lost, in follow-up while a
    visit is planned for him or a to-do is open on his visits or on him, and
    otherwise has no next step: the list managers work through so that no keen
    prospect is lost for lack of follow-up.
    """

    _name = "sales.visit.prospect.report"
    _inherit = ["sales.management.input.mixin"]
    _description = "Prospect Pipeline"
    _auto = False
    _order = "state, next_step_date, last_visit_date desc"

    partner_id = fields.Many2one("res.partner", string="Prospect", readonly=True)
    user_id = fields.Many2one("res.users", string="Sales Rep", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    state = fields.Selection(PROSPECT_STATES, readonly=True)
    first_visit_date = fields.Date(string="First Contact", readonly=True)
    last_visit_date = fields.Date(string="Last Contact", readonly=True)
    last_result = fields.Selection(VISIT_RESULTS, string="Last Outcome", readonly=True)
    next_step_date = fields.Date(string="Next Step", readonly=True, help="Earliest planned visit or open to-do.")
    won_date = fields.Date(string="Won On", readonly=True, help="Date of the first confirmed order.")
    lost_date = fields.Date(string="Lost On", readonly=True)
    lost_reason = fields.Text(readonly=True)
    visit_count = fields.Integer(string="Contacts", readonly=True, aggregator="sum")
    prospect_count = fields.Integer(string="Prospects Contacted", readonly=True, aggregator="sum")
    followup_count = fields.Integer(string="In Follow-up", readonly=True, aggregator="sum")
    no_next_step_count = fields.Integer(string="Without Next Step", readonly=True, aggregator="sum")
    won_count = fields.Integer(string="Won", readonly=True, aggregator="sum")
    lost_count = fields.Integer(string="Lost", readonly=True, aggregator="sum")

    def _search(self, domain, offset=0, limit=None, order=None):
        # The view reads other models' tables: write their pending changes first.
        self.env.flush_all()
        return super()._search(domain, offset=offset, limit=limit, order=order)

    @property
    def _table_query(self):
        return SQL(
            """
            WITH contact AS (
                SELECT v.commercial_partner_id AS partner_id, MIN(v.date) AS first_date, MAX(v.date) AS last_date,
                       COUNT(*) AS visit_count
                  FROM sales_visit v
                 WHERE v.state = 'done'
                 GROUP BY v.commercial_partner_id
            ), last_contact AS (
                SELECT DISTINCT ON (v.commercial_partner_id)
                       v.commercial_partner_id AS partner_id, v.user_id, v.company_id, v.result
                  FROM sales_visit v
                 WHERE v.state = 'done'
                 ORDER BY v.commercial_partner_id, v.date DESC, v.id DESC
            ), first_order AS (
                SELECT rp.commercial_partner_id AS partner_id, MIN(so.date_order)::date AS won_date
                  FROM sale_order so
                  JOIN res_partner rp ON rp.id = so.partner_id
                 WHERE so.state = 'sale'
                 GROUP BY rp.commercial_partner_id
            ), next_step AS (
                SELECT steps.partner_id, MIN(steps.day) AS day
                  FROM (
                      SELECT v.commercial_partner_id AS partner_id, v.date AS day
                        FROM sales_visit v
                       WHERE v.state IN ('planned', 'in_progress')
                      UNION ALL
                      SELECT v.commercial_partner_id, a.date_deadline
                        FROM mail_activity a
                        JOIN sales_visit v ON a.res_model = 'sales.visit' AND a.res_id = v.id
                       WHERE a.active
                      UNION ALL
                      SELECT p.commercial_partner_id, a.date_deadline
                        FROM mail_activity a
                        JOIN res_partner p ON a.res_model = 'res.partner' AND a.res_id = p.id
                       WHERE a.active
                  ) steps
                 GROUP BY steps.partner_id
            ), prospect AS (
                SELECT c.partner_id, c.first_date, c.last_date, c.visit_count,
                       COALESCE(p.visit_user_id, l.user_id) AS user_id,
                       COALESCE(p.company_id, l.company_id) AS company_id,
                       l.result AS last_result, o.won_date, p.visit_lost_date AS lost_date,
                       p.visit_lost_reason AS lost_reason, n.day AS next_step_date,
                       CASE WHEN o.won_date IS NOT NULL THEN 'won'
                            WHEN p.visit_lost_date IS NOT NULL THEN 'lost'
                            WHEN n.day IS NOT NULL THEN 'follow_up'
                            ELSE 'no_next_step' END AS state
                  FROM contact c
                  JOIN res_partner p ON p.id = c.partner_id
                  JOIN last_contact l ON l.partner_id = c.partner_id
                  LEFT JOIN first_order o ON o.partner_id = c.partner_id
                  LEFT JOIN next_step n ON n.partner_id = c.partner_id
                 WHERE p.active AND NOT %(internal)s
                   -- A customer who ordered before we first saw him is no prospect.
                   AND (o.won_date IS NULL OR o.won_date >= c.first_date)
            )
            SELECT partner_id AS id, partner_id, user_id, company_id, state,
                   first_date AS first_visit_date, last_date AS last_visit_date, last_result,
                   next_step_date, won_date, lost_date, lost_reason, visit_count,
                   1 AS prospect_count,
                   (state = 'follow_up')::int AS followup_count,
                   (state = 'no_next_step')::int AS no_next_step_count,
                   (state = 'won')::int AS won_count,
                   (state = 'lost')::int AS lost_count
              FROM prospect
            """,
            internal=self.env["res.partner"]._get_internal_contact_sql("p"),
        )

    # -- Actions ---------------------------------------------------------------
    def action_close_lost(self):
        return self.partner_id.action_visit_close_lost()

    def action_reopen(self):
        self.partner_id._visit_reopen()
        return True

    def action_plan_visit(self):
        """Plan the next visit of the prospect (the rep's next step)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Plan a Visit"),
            "res_model": "sales.visit",
            "view_mode": "form",
            "views": [(False, "form")],
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_user_id": self.user_id.id,
                "default_purpose": "development",
                "default_date": fields.Date.context_today(self),
            },
        }

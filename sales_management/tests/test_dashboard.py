import json

from odoo.tests import HttpCase, new_test_user, tagged

from .test_web_client import WAIT_FOR_VIEW

# Runs in the page: passes once every figure of the dashboard is drawn, fails on a
# JavaScript error (HttpCase turns console errors into failures) or a timeout.
WAIT_FOR_FIGURES = """
    const deadline = Date.now() + 30000;
    (function wait() {
        const figures = document.querySelectorAll(".o-spreadsheet .o-figure");
        if (figures.length >= %(count)s && document.querySelectorAll(".o-figure canvas").length >= %(count)s) {
            console.log("test successful");
        } else if (Date.now() > deadline) {
            console.error("the dashboard drew " + figures.length + " of %(count)s figures");
        } else {
            setTimeout(wait, 200);
        }
    })();
"""


@tagged("post_install", "-at_install")
class TestManagerDashboard(HttpCase):
    """The manager's dashboard reads what exists, as the managers it is meant for, and draws."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref("sales_management.spreadsheet_dashboard_sales_management")
        cls.data = json.loads(cls.dashboard.spreadsheet_data)
        cls.manager = new_test_user(cls.env, login="sm_dash_manager", groups="sales_team.group_sale_salesman_all_leads")
        cls.rep = new_test_user(cls.env, login="sm_dash_rep", groups="sales_team.group_sale_salesman")

    def _data_sources(self):
        """(model, domain, groupbys, measures) of every pivot and Odoo chart."""
        for pivot in self.data["pivots"].values():
            groupbys = [
                f"{row['fieldName']}:{row['granularity']}" if row.get("granularity") else row["fieldName"]
                for row in pivot["rows"] + pivot["columns"]
            ]
            measures = [
                f"{m['fieldName']}:{m['aggregator']}" if m["fieldName"] != "__count" else "__count"
                for m in pivot["measures"]
            ]
            yield pivot["model"], pivot["domain"], groupbys, measures
        for sheet in self.data["sheets"]:
            for figure in sheet["figures"]:
                chart = figure["data"]
                if chart["type"].startswith("odoo_"):
                    meta = chart["metaData"]
                    yield meta["resModel"], chart["searchParams"]["domain"], meta["groupBy"], [meta["measure"]]

    def test_data_sources_exist_and_managers_read_them(self):
        sources = list(self._data_sources())
        self.assertEqual(len(sources), 7)
        for model, domain, groupbys, measures in sources:
            with self.subTest(model=model, groupbys=groupbys):
                Model = self.env[model].with_user(self.manager)
                for spec in [*groupbys, *measures]:
                    fname = spec.split(":")[0]
                    if fname != "__count":
                        self.assertTrue(Model._fields[fname].store, f"{model}.{fname} is not stored")
                Model._read_group(domain, groupbys, measures)

    def test_chart_ranges_point_at_the_data_sheet(self):
        sheets = {sheet["name"] for sheet in self.data["sheets"]}
        for sheet in self.data["sheets"]:
            for figure in sheet["figures"]:
                chart = figure["data"]
                ranges = [d["dataRange"] for d in chart.get("dataSets", [])]
                ranges += [chart[key] for key in ("labelRange", "keyValue", "baseline") if chart.get(key)]
                for cell_range in ranges:
                    self.assertIn(cell_range.split("!")[0], sheets)
        menus = self.data["chartOdooMenusReferences"].values()
        self.assertTrue(all(self.env.ref(xmlid, raise_if_not_found=False) for xmlid in menus))

    def test_managers_see_it_reps_do_not(self):
        Dashboard = self.env["spreadsheet.dashboard"]
        self.assertIn(self.dashboard, Dashboard.with_user(self.manager).search([]))
        self.assertNotIn(self.dashboard, Dashboard.with_user(self.rep).search([]))

    def test_dashboard_draws_in_the_browser(self):
        count = sum(len(sheet["figures"]) for sheet in self.data["sheets"] if sheet["isVisible"])
        self.browser_js(
            f"/odoo/dashboards?dashboard_id={self.dashboard.id}",
            WAIT_FOR_FIGURES % {"count": count},
            login="sm_dash_manager",
        )


@tagged("post_install", "-at_install")
class TestPerformanceScreens(HttpCase):
    """The Performance screens open in a real browser for the users who work in them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(cls.env, login="sm_perf_rep", groups="sales_team.group_sale_salesman")
        new_test_user(cls.env, login="sm_perf_manager", groups="sales_team.group_sale_salesman_all_leads")
        new_test_user(cls.env, login="sm_perf_admin", groups="sales_team.group_sale_manager")

    def _open(self, action_xmlid, login):
        self.browser_js(f"/odoo/action-{action_xmlid}", WAIT_FOR_VIEW, login=login)

    def test_screens(self):
        for login, actions in (
            (
                "sm_perf_rep",
                (
                    "sales_management.sales_rep_scorecard_action",
                    "sales_management.sales_customer_forecast_action",
                    "sales_management.res_partner_action_key_account",
                    "sales_management.sales_key_account_review_action",
                ),
            ),
            (
                "sm_perf_manager",
                (
                    "sales_management.sales_rep_scorecard_line_action",
                    "sales_management.sales_key_account_review_action",
                ),
            ),
            (
                "sm_perf_admin",
                ("sales_management.sales_area_action", "sales_management.sales_rep_scorecard_policy_action"),
            ),
        ):
            for action in actions:
                with self.subTest(login=login, action=action):
                    self._open(action, login)

from odoo.tests import HttpCase, new_test_user, tagged

# Runs in the page: passes once the action's view is rendered, fails on a
# JavaScript error (HttpCase turns console errors into failures) or a timeout.
WAIT_FOR_VIEW = """
    const deadline = Date.now() + 30000;
    (function wait() {
        if (document.querySelector(".o_action_manager .o_view_controller .o_content")) {
            console.log("test successful");
        } else if (Date.now() > deadline) {
            console.error("the view was not rendered");
        } else {
            setTimeout(wait, 100);
        }
    })();
"""


@tagged("post_install", "-at_install")
class TestWebClient(HttpCase):
    """The addon's main screens open in a real browser for the users who work in them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(cls.env, login="sm_web_rep", groups="sales_team.group_sale_salesman")
        new_test_user(cls.env, login="sm_web_manager", groups="sales_team.group_sale_salesman_all_leads")

    def _open(self, action_xmlid, login):
        self.browser_js(f"/odoo/action-{action_xmlid}", WAIT_FOR_VIEW, login=login)

    def test_rep_screens(self):
        for action in (
            "sales_management.sales_visit_action_today",
            "sales_management.sales_visit_action",
            "sales_management.sales_complaint_action",
            "sales_management.sales_quota_line_action_my",
        ):
            with self.subTest(action=action):
                self._open(action, "sm_web_rep")

    def test_manager_screens(self):
        for action in (
            "sales_management.sales_visit_plan_action",
            "sales_management.sales_visit_daily_report_action",
            "sales_management.sales_quota_plan_action",
            "sales_management.sales_complaint_action_statistics",
            "sales_management.sales_visit_prospect_report_action",
            "sales_management.sales_visit_prospect_report_action_no_next_step",
        ):
            with self.subTest(action=action):
                self._open(action, "sm_web_manager")

from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, models
from odoo.exceptions import AccessError

# The activity types that stand for a request waiting for someone's decision: created and
# marked done only by the request and the decision themselves (see approval_activities).
APPROVAL_ACTIVITY_TYPES = (
    "sales_management.mail_activity_type_credit_exception_request",
    "sales_management.mail_activity_type_visit_plan_approval",
    "sales_management.mail_activity_type_price_exception",
)

# Set only while this addon's own request and decision methods schedule or close an
# approval activity: a Python switch no RPC call or context key reaches.
_APPROVAL_ACTIVITIES = ContextVar("sales_management_approval_activities", default=False)


@contextmanager
def approval_activities():
    """Let the code within schedule, change and close approval activities."""
    token = _APPROVAL_ACTIVITIES.set(True)
    try:
        yield
    finally:
        _APPROVAL_ACTIVITIES.reset(token)


class MailActivity(models.Model):
    _inherit = "mail.activity"

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        activities = super().create(vals_list)
        # Checked on what was created: a type given by a default counts as much as a value.
        if not self._may_handle_approval_activities():
            types = self._get_approval_activity_types()
            if types and activities.sudo().filtered(lambda a: a.activity_type_id in types):
                raise AccessError(
                    self.env._("Approval requests are made with the request button of the document, not by hand.")
                )
        return activities

    def write(self, vals):
        self._check_approval_activities_change(
            # The assignee may reschedule, reword or hand his request on to a colleague.
            allow_assignee=not {"active", "res_id", "res_model", "res_model_id", "activity_type_id"} & set(vals)
        )
        return super().write(vals)

    def unlink(self):
        self._check_approval_activities_change()
        return super().unlink()

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _get_approval_activity_types(self):
        """The activity types of requests waiting for a decision (APPROVAL_ACTIVITY_TYPES)."""
        types = self.env["mail.activity.type"]
        for xmlid in APPROVAL_ACTIVITY_TYPES:
            types |= self.env.ref(xmlid, raise_if_not_found=False) or types
        return types

    @api.model
    def _may_handle_approval_activities(self):
        # The superuser: data loading, record deletion's cleanup, garbage collection.
        return self.env.su or _APPROVAL_ACTIVITIES.get()

    def _check_approval_activities_change(self, allow_assignee=False):
        """Approval activities are done by the decision they ask for, never marked by hand:
        nobody marks, deletes or moves them, and only their assignee reschedules them."""
        if not self or self._may_handle_approval_activities():
            return
        types = self._get_approval_activity_types()
        approvals = self.sudo().filtered(lambda a: a.activity_type_id in types)
        if not approvals:
            return
        if allow_assignee and all(activity.user_id == self.env.user for activity in approvals):
            return
        raise AccessError(
            self.env._(
                "%(activity)s is done by deciding on the request (approve or refuse it on %(document)s), "
                "not by hand.",
                activity=approvals[0].activity_type_id.name,
                document=approvals[0].res_name or approvals[0].res_model,
            )
        )

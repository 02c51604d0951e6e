from odoo import api, models
from odoo.exceptions import AccessError, UserError


class SalesManagementApprovalMixin(models.AbstractModel):
    """Records that are someone's decision (credit exceptions, special discounts).

    Only the model's own decision code writes them: ``_is_writing_allowed()`` is a
    Python-only switch (a ``ContextVar`` the decision code sets), so no access right,
    context default, user default, copy or import can make, change or delete one.
    A model gives its switch and its two messages through the ``_get_*`` hooks.
    """

    _name = "sales.management.approval.mixin"
    _description = "Sales Management Approval Records"

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def default_get(self, fields_list):  # pylint: disable=method-required-super
        # Only the fields' own defaults: no context key or user default fills an approval
        # (super() would apply them: not calling it is the point).
        return {
            fname: self._fields[fname].default(self)
            for fname in fields_list
            if fname in self._fields and self._fields[fname].default
        }

    @api.model_create_multi
    def create(self, vals_list):
        self._check_writing()
        return super().create(vals_list)

    def write(self, vals):
        self._check_writing()
        return super().write(vals)

    def unlink(self):
        self._check_writing()
        return super().unlink()

    def copy(self, default=None):  # pylint: disable=method-required-super
        # Never copied, so no super(): each record is one person's decision.
        raise UserError(self._get_copy_refusal())

    # ------------------------------------------------------------
    # HOOKS
    # ------------------------------------------------------------

    @api.model
    def _is_writing_allowed(self):
        """Whether the model's own decision code is writing (its ContextVar is set)."""
        return False

    @api.model
    def _get_writing_refusal(self):
        return self.env._("These records are written only by the decision they record.")

    @api.model
    def _get_copy_refusal(self):
        return self.env._("A decision cannot be copied.")

    @api.model
    def _check_writing(self):
        if not self._is_writing_allowed():
            raise AccessError(self._get_writing_refusal())

from odoo import api, models
from odoo.exceptions import AccessError


class Base(models.AbstractModel):
    _inherit = "base"

    @api.model
    def _sales_has_rights(self, groups, superuser=True):
        """True when the user is in one of ``groups`` (an xml id or a list of them).

        ``superuser``: whether the superuser (sudo, scheduled jobs) passes too. False for
        the checks that a person must pass himself (approvals, reopening, manual scores):
        then the real user's groups decide, in sudo as well.
        """
        if superuser and self.env.su:
            return True
        groups = [groups] if isinstance(groups, str) else groups
        return any(self.env.user.has_group(group) for group in groups)

    @api.model
    def _sales_check_rights(self, groups, message, superuser=True):
        """The one rights check of the addon: raise ``AccessError(message)`` unless the user
        is in one of ``groups`` (see _sales_has_rights). Always an AccessError, never a
        UserError, so callers and clients see the same refusal for the same cause."""
        if not self._sales_has_rights(groups, superuser=superuser):
            raise AccessError(message)

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        # Odoo 18 exports computed fields without the check of field groups that
        # read() makes: a field restricted with groups= (a customer's credit hold,
        # available credit...) would be exported to anyone who may read the records.
        # Relational paths come back here on the related model.
        self.check_field_access_rights("read", list({path[0] for path in fields if path} - {"id", ".id"}))
        return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)

    def _get_recipient_env(self, recipient):
        """The environment in the language of ``recipient`` (a user or a partner), for the texts
        written at run time for someone else: activities, notes, reasons written by scheduled
        jobs (which run as OdooBot, in English). The current language when he has none."""
        lang = recipient[:1].lang if recipient else False
        return self.with_context(lang=lang).env if lang else self.env

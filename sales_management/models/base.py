from odoo import models


class Base(models.AbstractModel):
    _inherit = "base"

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

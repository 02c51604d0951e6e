from odoo.tests import TransactionCase, tagged

from . import host_refs


@tagged("post_install", "-at_install")
class TestHostRefs(TransactionCase):
    """The pure layer's list of host ids and fields matches the real Odoo 18.0."""

    def test_host_xmlids_exist(self):
        missing = [
            xmlid for xmlid in sorted(host_refs.HOST_XMLIDS) if not self.env.ref(xmlid, raise_if_not_found=False)
        ]
        self.assertFalse(missing, "listed in host_refs.HOST_XMLIDS but not in Odoo")

    def test_host_modules_are_dependencies(self):
        installed = set(self.env["ir.module.module"].search([("state", "=", "installed")]).mapped("name"))
        self.assertFalse(host_refs.HOST_MODULES - installed)

    def test_host_fields_exist(self):
        missing = [
            f"{model}.{name}"
            for model, names in sorted(host_refs.HOST_FIELDS.items())
            for name in sorted(names)
            if name not in self.env[model]._fields
        ]
        self.assertFalse(missing, "listed in host_refs.HOST_FIELDS but not in Odoo")

    def test_mail_fields_exist(self):
        missing = sorted(
            host_refs.MAIL_FIELDS - set(self.env["mail.activity.mixin"]._fields) - set(self.env["mail.thread"]._fields)
        )
        self.assertFalse(missing)

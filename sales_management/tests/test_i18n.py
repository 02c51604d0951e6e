from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestChineseTerms(TransactionCase):
    """The zh_CN translation loads into Odoo and shows the users' own vocabulary."""

    def test_zh_cn_loads(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["sales_management"], ["zh_CN"], overwrite=True)
        env = self.env(context={"lang": "zh_CN"})
        self.assertEqual(env.ref("sales_management.group_sales_management_credit").name, "信用管理员")
        self.assertEqual(env.ref("sales_management.sales_management_menu_root").name, "销售管理")
        field = env["ir.model.fields"]._get("sales.complaint", "corrective_action")
        self.assertIn("整改措施", field.field_description)

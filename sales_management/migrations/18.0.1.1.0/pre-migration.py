"""18.0.1.1.0: before the views are loaded, the addon's views name Sales' groups.

Each view of the addon is validated as it is loaded, together with the addon's other
views still in the database; those would still name the old groups, which no longer
match the groups of the fields they show, and Odoo would warn about each of them.
"""

# Longest first: group_sales_management_user is a prefix of group_sales_management_user_all.
REPLACED_GROUPS = [
    ("sales_management.group_sales_management_user_all", "sales_team.group_sale_salesman_all_leads"),
    ("sales_management.group_sales_management_manager", "sales_team.group_sale_manager"),
    ("sales_management.group_sales_management_user", "sales_team.group_sale_salesman"),
]


def migrate(cr, version):
    for old, new in REPLACED_GROUPS:
        cr.execute(
            """
            UPDATE ir_ui_view view
               SET arch_db = replace(view.arch_db::text, %s, %s)::jsonb
              FROM ir_model_data data
             WHERE data.model = 'ir.ui.view' AND data.module = 'sales_management' AND data.res_id = view.id
               AND view.arch_db::text LIKE %s
            """,
            [old, new, f"%{old}%"],
        )

{
    "name": "Sales Management",
    "summary": "Customer credit, sales plans and quotas, customer visits and "
    "complaints, from a company's written sales-management rules",
    "version": "18.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "sales_management developers",
    "website": "https://github.com/sales-management/sales_management",
    "depends": [
        "account",
        "resource",
        "sale_management",
    ],
    "data": [
        "security/sales_management_groups.xml",
        "security/ir.model.access.csv",
        "security/sales_management_security.xml",
        "data/ir_cron.xml",
        "views/res_config_settings_views.xml",
        "views/sales_quota_plan_views.xml",
        "views/sales_quota_line_views.xml",
        "views/sales_quota_snapshot_views.xml",
        "views/sales_management_menus.xml",
    ],
    "demo": [
        "demo/sales_quota_demo.xml",
    ],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "installable": True,
    "application": False,
}

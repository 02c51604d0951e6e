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
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/sales_visit_views.xml",
        "views/sales_visit_plan_views.xml",
        "report/sales_visit_daily_report_views.xml",
        "report/sales_visit_coverage_report_views.xml",
        "views/sales_management_menus.xml",
    ],
    "demo": [
        "demo/visit_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "sales_management/static/src/visit_check_in/*",
        ],
    },
    "external_dependencies": {"python": ["xlsxwriter"]},
    "installable": True,
    "application": False,
}

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
        "views/res_config_settings_views.xml",
        "views/sales_management_menus.xml",
    ],
    "demo": [],
    "installable": True,
    "application": False,
}

"""What the addon uses of its host, for the static checks of the pure layer.

Plain data, no Odoo import: the pure layer (top-level tests/) reads it to check
views, access rows and XML ids without Odoo; the Odoo layer
(test_host_refs.py) checks every entry against the real registry, so the list
cannot drift from Odoo 18.0. Add what a new view or record uses.
"""

# Modules whose XML ids the addon may reference (its dependency closure).
HOST_MODULES = {
    "account",
    "analytic",
    "base",
    "mail",
    "product",
    "resource",
    "sale",
    "sale_management",
    "sales_team",
    "spreadsheet",
    "spreadsheet_dashboard",
    "uom",
    "web",
}

# Host XML ids the addon references, with their module prefix.
HOST_XMLIDS = {
    "account.group_account_invoice",
    "account.group_account_manager",
    "base.group_multi_company",
    "base.group_system",
    "base.user_root",
    # Roles: Sales' own groups; the admin user is a Credit Controller; Credit
    # Controllers read orders
    "base.module_category_sales",
    "base.user_admin",
    "sale.model_sale_order",
    "sale.model_sale_order_line",
    # Credit Controllers open quotations (their template) to decide on exceptions
    "sale_management.model_sale_order_template",
    # Visits
    "account.group_account_readonly",
    "base.view_partner_form",
    "base.view_res_partner_filter",
    "sale.view_order_form",
    "base.group_user",
    "sale.action_sale_config_settings",
    "sale.res_config_settings_view_form",
    "sale.sale_menu_root",
    "sales_team.group_sale_manager",
    "sales_team.group_sale_salesman",
    "sales_team.group_sale_salesman_all_leads",
    # Complaints
    "account.view_move_form",
    "base.model_res_partner",
    "mail.mail_activity_data_todo",
    # -- Customer credit --
    "account.menu_finance",
    "account.menu_finance_receivables",
    # Visit follow-ups
    "base.group_no_one",
    "mail.mt_comment",
    "mail.mt_note",
    # -- Documents --
    "account.report_invoice_document",
    "sale.report_saleorder_document",
    # -- Plans & Quotas --
    "product.product_template_form_view",
    "product.product_template_search_view",
    "uom.group_uom",
    "uom.product_uom_unit",
    # -- Performance --
    "sales_team.crm_team_view_form",
    "sales_team.crm_team_view_tree",
    "spreadsheet_dashboard.spreadsheet_dashboard_group_sales",
    # -- Price discipline --
    "product.product_category_all",
}

# Fields every model has.
MAGIC_FIELDS = {"id", "display_name", "create_date", "create_uid", "write_date", "write_uid"}

# Fields that mail.thread / mail.activity.mixin add to the addon's models.
MAIL_FIELDS = {
    "message_ids",
    "message_follower_ids",
    "message_is_follower",
    "activity_ids",
    "activity_state",
    "activity_user_id",
    "activity_type_id",
    "activity_date_deadline",
    "activity_summary",
    "activity_exception_decoration",
    "activity_exception_icon",
    "my_activity_date_deadline",
}

# Host models the addon's views and data use, with the host fields they name.
HOST_FIELDS = {
    "ir.cron": {
        "name",
        "model_id",
        "state",
        "code",
        "interval_number",
        "interval_type",
        "nextcall",
        "active",
        "user_id",
    },
    "ir.rule": {"name", "model_id", "domain_force", "groups", "perm_read", "perm_write", "perm_create", "perm_unlink"},
    "ir.ui.view": {"name", "model", "inherit_id", "arch", "priority", "mode"},
    "ir.actions.act_window": {
        "name",
        "res_model",
        "view_mode",
        "view_id",
        "domain",
        "context",
        "search_view_id",
        "help",
        "target",
        "binding_model_id",
        "binding_view_types",
        "groups_id",
    },
    "ir.module.category": {"name", "description", "sequence", "parent_id"},
    "res.config.settings": {"company_id"},
    # Visits
    "sale.order": {"name", "date_order", "amount_total", "state", "payment_term_id", "partner_id", "currency_id"},
    "account.payment": {"name", "date", "amount", "state"},
    "res.groups": {"name", "category_id", "implied_ids", "comment", "users"},
    # Complaints
    "ir.sequence": {"name", "code", "prefix", "padding", "company_id"},
    # -- Customer credit --
    "mail.activity.type": {"name", "summary", "icon", "res_model", "delay_count"},
    # -- Documents --
    "ir.actions.report": {
        "name",
        "model",
        "report_type",
        "report_name",
        "report_file",
        "print_report_name",
        "binding_model_id",
        "binding_type",
        "groups_id",
    },
    "mail.template": {
        "name",
        "model_id",
        "email_from",
        "partner_to",
        "subject",
        "description",
        "lang",
        "report_template_ids",
        "auto_delete",
        "body_html",
    },
    # -- Plans & Quotas --
    "product.template": {"sale_ok"},
    "res.partner": {"is_company", "parent_id", "user_id", "complete_name"},
    # -- Performance --
    "crm.team": {"name", "user_id"},
    # -- Price discipline --
    "product.category": {"name", "parent_id"},
    "product.pricelist": {"name", "sequence", "company_id", "item_ids"},
    "product.pricelist.item": {"applied_on", "compute_price", "percent_price"},
    "sale.order.line": {"price_unit", "product_id", "product_uom_qty", "discount", "product_uom"},
    "spreadsheet.dashboard": {
        "name",
        "spreadsheet_binary_data",
        "main_data_model_ids",
        "dashboard_group_id",
        "group_ids",
        "sequence",
        "is_published",
    },
    # Demo: the demo rep (demo/sales_management_demo.xml)
    "res.users": {"name", "login", "password", "email", "tz", "groups_id"},
}

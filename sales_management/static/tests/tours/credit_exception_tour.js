/** @odoo-module **/

import { registry } from "@web/core/registry";

// Data from tests/test_credit_exception_tour.py: a customer whose credit limit the
// quotation exceeds, a rep and a Credit Controller, both working in Chinese (zh_CN).
// Steps find buttons by their name, and check the Chinese texts the users read.

registry.category("web_tour.tours").add("sales_management_credit_exception_request", {
    url: "/odoo/action-sale.action_quotations_with_onboarding",
    steps: () => [
        {
            content: "New quotation",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Customer beyond his credit",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Tour Credit Customer",
        },
        {
            trigger: 'ul.ui-autocomplete > li > a:contains("Tour Credit Customer")',
            run: "click",
        },
        {
            content: "Add a product line",
            trigger: "div[name=order_line] .o_field_x2many_list_row_add a:eq(0)",
            run: "click",
        },
        {
            trigger: ".o_data_row div[name=product_template_id] input",
            run: "edit Tour Widget",
        },
        {
            trigger: 'ul.ui-autocomplete a:contains("Tour Widget")',
            run: "click",
        },
        {
            content: "Fifteen of them: 1,500.00, above the limit of 1,000.00",
            trigger: ".o_data_row div[name=product_uom_qty] input",
            run: "edit 15 && press Tab",
        },
        {
            trigger: ".o_field_cell[name=price_subtotal]:contains(1,500.00)",
        },
        {
            content: "Save the quotation",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The credit check speaks on the quotation",
            trigger: ".o_form_view .alert-warning div[name=credit_check_message]:contains(超出信用额度)",
        },
        {
            content: "Try to confirm",
            trigger: ".o_form_view button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Refused, and told he can request an exception",
            trigger: ".modal .modal-body:contains(超出信用额度):contains(申请信用例外)",
        },
        {
            content: "Close the refusal",
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "Request a credit exception",
            trigger: ".o_form_view button[name=action_request_credit_exception]",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".modal div[name=note] textarea",
            run: "edit 客户承诺下周付清旧发票。",
        },
        {
            trigger: ".modal button[name=action_request]",
            run: "click",
        },
        {
            content: "The request is waiting for a Credit Controller",
            trigger: ".o_form_view .alert-warning:contains(信用管理员审批)",
        },
        {
            trigger: ".o_form_view button[name=action_withdraw_credit_exception_request]",
        },
        {
            content: "No second request while one waits",
            trigger: ".o_form_view:not(:has(button[name=action_request_credit_exception]))",
        },
    ],
});

registry.category("web_tour.tours").add("sales_management_credit_exception_approval", {
    url: "/odoo",
    steps: () => [
        {
            content: "The Credit Controller opens his activities",
            trigger: ".o_menu_systray .o-mail-ActivityMenu-counter",
        },
        {
            trigger: ".o_menu_systray .dropdown-toggle:has(.o-mail-ActivityMenu-counter)",
            run: "click",
        },
        {
            content: "Sales orders waiting for him",
            trigger: ".o-mail-ActivityGroup:contains(销售订单)",
            run: "click",
        },
        {
            content: "The quotation the rep asked for",
            trigger: ".o_data_row:contains(Tour Credit Customer) td.o_data_cell",
            run: "click",
        },
        {
            content: "The refusal and the request are shown",
            trigger: ".o_form_view .alert-warning:contains(超出信用额度)",
        },
        {
            content: "Approve the exception",
            trigger: ".o_form_view button[name=action_open_credit_exception_wizard].btn-primary",
            run: "click",
        },
        {
            content: "The rep's justification is in the approval",
            trigger: ".modal div[name=request_note]:contains(下周付清)",
        },
        {
            trigger: ".modal div[name=reason] textarea",
            run: "edit 母公司担保。",
        },
        {
            trigger: ".modal button[name=action_approve]",
            run: "click",
        },
        {
            content: "The quotation now has its approved exception",
            trigger: ".o_form_view div[name=credit_exception_id]:not(.o_invisible_modifier)",
        },
        {
            trigger: ".o_form_view:not(:has(button[name=action_open_credit_exception_wizard]))",
        },
    ],
});

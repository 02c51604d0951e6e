def uninstall_hook(env):
    """Drop what the credit capability added to the database outside its tables: functions, trigger, indexes."""
    env["sales.credit.balance"]._drop_trigger()
    env["sales.credit.status"]._drop_exposure_function()
    for index in (
        "res_partner_sm_credit_commercial_idx",
        "account_move_sm_credit_draft_idx",
        "account_move_sm_credit_commercial_idx",
        "account_move_line_sm_credit_open_idx",
        "account_move_line_sm_credit_open_due_idx",
        "sale_order_line_sm_credit_open_idx",
        "sale_order_line_sm_credit_open_lines_idx",
        "sale_order_line_sm_credit_open_invoiced_idx",
    ):
        env.cr.execute(f'DROP INDEX IF EXISTS "{index}"')

def uninstall_hook(env):
    """Drop the indexes the credit capability added to host tables."""
    for index in (
        "res_partner_sm_credit_commercial_idx",
        "account_move_sm_credit_draft_idx",
        "account_move_sm_credit_commercial_idx",
        "account_move_line_sm_credit_open_idx",
    ):
        env.cr.execute(f'DROP INDEX IF EXISTS "{index}"')

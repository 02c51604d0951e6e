"""18.0.1.1.0: the addon's rep, manager and administrator groups gave way to Sales' own.

Runs after the new data files are loaded and before Odoo deletes the records whose
XML ids left them, among which the three old groups. The record rules are
``noupdate``: they are moved to the Sales groups here, else they would lose their only
group with the old ones and apply to everyone.
"""

import logging

from odoo import SUPERUSER_ID, Command, api

_logger = logging.getLogger(__name__)

REPLACED_GROUPS = {
    "sales_management.group_sales_management_user": "sales_team.group_sale_salesman",
    "sales_management.group_sales_management_user_all": "sales_team.group_sale_salesman_all_leads",
    "sales_management.group_sales_management_manager": "sales_team.group_sale_manager",
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for old_xmlid, new_xmlid in REPLACED_GROUPS.items():
        old = env.ref(old_xmlid, raise_if_not_found=False)
        if not old:
            continue
        new = env.ref(new_xmlid)
        rules = env["ir.rule"].with_context(active_test=False).search([("groups", "in", old.ids)])
        rules.write({"groups": [Command.unlink(old.id), Command.link(new.id)]})
        # Only users who held the old group without the Sales one lose something.
        lost = old.with_context(active_test=False).users.filtered(lambda user, new=new: new not in user.groups_id)
        if lost:
            _logger.info(
                "%s is replaced by %s; these users do not have it and lose the old one: %s",
                old_xmlid,
                new_xmlid,
                ", ".join(lost.mapped("login")),
            )
    credit = env.ref("sales_management.group_sales_management_credit", raise_if_not_found=False)
    if not credit:
        return
    # Invoicing administrators were Credit Controllers by implication, and so was the
    # default user template: every new user became one. Users who are keep the role.
    env.ref("account.group_account_manager").write({"implied_ids": [Command.unlink(credit.id)]})
    template = env.ref("base.default_user", raise_if_not_found=False)
    if template:
        template.write({"groups_id": [Command.unlink(credit.id)]})
    _logger.info(
        "Credit Controllers are no longer implied by Invoicing / Administrator; these users keep the role: %s",
        ", ".join(credit.users.filtered("active").mapped("login")),
    )

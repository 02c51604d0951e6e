import re
from pathlib import Path

from odoo.tests import TransactionCase, tagged

README = Path(__file__).resolve().parent.parent / "readme"
# Paths that start elsewhere than a menu: print and action menus, filters, import.
NOT_MENUS = {"Print", "Action", "Overdue", "Quota Lines", "Apps"}


@tagged("post_install", "-at_install")
class TestReadmeMenus(TransactionCase):
    """The menu paths USAGE.md and CONFIGURE.md tell users to open exist."""

    def test_menu_paths_exist(self):
        menus = [m.complete_name.split("/") for m in self.env["ir.ui.menu"].sudo().search([])]
        dashboards = set(self.env["spreadsheet.dashboard"].sudo().search([]).mapped("name"))

        def found(path):
            if path[0] == "Dashboards":
                return len(path) == 2 and path[1] in dashboards
            return any(names[i : i + len(path)] == path for names in menus for i in range(len(names) - len(path) + 1))

        missing = []
        for doc in ("USAGE.md", "CONFIGURE.md"):
            for text in re.findall(r"\*([^*\n]+ > [^*\n]+)\*", (README / doc).read_text()):
                path = [part.strip() for part in text.split(" > ")]
                if path[0] not in NOT_MENUS and not found(path):
                    missing.append(f"{doc}: {text}")
        self.assertFalse(missing)
        # The check sees a wrong path.
        self.assertFalse(found(["Invoicing", "Customers", "Credit"]))

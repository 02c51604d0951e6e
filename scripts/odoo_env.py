"""Where the installed Odoo is, and how to install the addon in a fresh database.

Shared by the Odoo layer of ./test.sh (scripts/odoo_layer.py) and the benchmarks
(bench/*.py). Needs an importable `odoo` only when called.
"""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def addons_path():
    """Odoo's own addons folders (or $ODOO_ADDONS_PATH) and this repository."""
    if os.environ.get("ODOO_ADDONS_PATH"):
        return os.environ["ODOO_ADDONS_PATH"] + "," + str(REPO)
    import odoo  # only importable on machines with Odoo

    odoo_dir = Path(odoo.__file__).resolve().parent
    paths = [p for p in (odoo_dir / "addons", odoo_dir.parent / "addons") if p.is_dir()]
    return ",".join(str(p) for p in [*paths, REPO])


def install_addon(db, *extra, stdout=subprocess.DEVNULL):
    """Install sales_management without demo data in database `db` and stop."""
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        f"--addons-path={addons_path()}",
        "-d",
        db,
        "-i",
        "sales_management",
        "--without-demo=all",
        "--stop-after-init",
        "--no-http",
        "--max-cron-threads=0",
        "--log-level=warn",
        *extra,
    ]
    subprocess.run(cmd, check=True, cwd=REPO, stdout=stdout)

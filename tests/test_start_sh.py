"""start.sh passes the README's ODOO_DB_* connection settings to Odoo."""

import importlib.util
import os
import subprocess
from pathlib import Path

import pytest

START = Path(__file__).resolve().parent.parent / "start.sh"


@pytest.mark.skipif(importlib.util.find_spec("odoo") is None, reason="start.sh finds Odoo's addons through odoo")
def test_db_settings_passed_to_odoo():
    env = {
        **os.environ,
        "START_SH_PRINT": "1",
        "ODOO_DB_HOST": "db.example",
        "ODOO_DB_PORT": "5433",
        "ODOO_DB_USER": "odoo",
        "ODOO_DB_PASSWORD": "secret",
    }
    command = subprocess.run([str(START)], env=env, capture_output=True, text=True, check=True).stdout
    for option in ("--db_host=db.example", "--db_port=5433", "--db_user=odoo", "--db_password=secret"):
        assert option in command
    bare = {k: v for k, v in env.items() if not k.startswith("ODOO_DB_")}
    command = subprocess.run([str(START)], env=bare, capture_output=True, text=True, check=True).stdout
    assert "--db_" not in command

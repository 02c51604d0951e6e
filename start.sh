#!/usr/bin/env bash
# Start Odoo on a database with sales_management and its demo data installed,
# then open http://localhost:8069 and log in as admin / admin.
#
#   ./start.sh                 database "sales_management_demo", port 8069
#   DB=mydb PORT=8070 ./start.sh
#
# The first run creates the database and installs the addon (a few minutes);
# later runs reuse it. Extra arguments go to Odoo (e.g. --dev=xml).
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
DB=${DB:-sales_management_demo}
PORT=${PORT:-8069}
ADDONS=$($PY - <<'PY'
import os, odoo
d = os.path.dirname(os.path.abspath(odoo.__file__))
print(",".join(p for p in (os.path.join(d, "addons"), os.path.join(os.path.dirname(d), "addons")) if os.path.isdir(p)))
PY
)
exec $PY -m odoo --addons-path="${ODOO_ADDONS_PATH:-$ADDONS},$PWD" -d "$DB" --db-filter="^$DB\$" \
    -i sales_management --http-port="$PORT" "$@"

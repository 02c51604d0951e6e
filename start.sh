#!/usr/bin/env bash
# Start Odoo on a database with sales_management and its demo data installed,
# then open http://localhost:8069 and log in as admin / admin.
#
#   ./start.sh                 database "sales_management_demo", port 8069
#   DB=mydb PORT=8070 ./start.sh
#   ODOO_DB_HOST=db ODOO_DB_USER=odoo ODOO_DB_PASSWORD=odoo ./start.sh   # another PostgreSQL
#
# ODOO_DB_HOST, ODOO_DB_PORT, ODOO_DB_USER, ODOO_DB_PASSWORD (as for ./test.sh) are passed to
# Odoo as --db_host, --db_port, --db_user, --db_password when set; default: local socket, current user.
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
DB_ARGS=()
[ -n "${ODOO_DB_HOST:-}" ] && DB_ARGS+=("--db_host=$ODOO_DB_HOST")
[ -n "${ODOO_DB_PORT:-}" ] && DB_ARGS+=("--db_port=$ODOO_DB_PORT")
[ -n "${ODOO_DB_USER:-}" ] && DB_ARGS+=("--db_user=$ODOO_DB_USER")
[ -n "${ODOO_DB_PASSWORD:-}" ] && DB_ARGS+=("--db_password=$ODOO_DB_PASSWORD")
if [ "${START_SH_PRINT:-}" = 1 ]; then  # print the command instead of running it (tests)
    printf '%s\n' "$PY -m odoo --addons-path=${ODOO_ADDONS_PATH:-$ADDONS},$PWD -d $DB ${DB_ARGS[*]} -i sales_management --http-port=$PORT $*"
    exit 0
fi
exec $PY -m odoo --addons-path="${ODOO_ADDONS_PATH:-$ADDONS},$PWD" -d "$DB" --db-filter="^$DB\$" \
    ${DB_ARGS[@]+"${DB_ARGS[@]}"} -i sales_management --http-port="$PORT" "$@"

#!/usr/bin/env bash
# make fuzz: schemathesis against a live gunicorn on a fresh demo world, for several
# roles (token auth). Pass mark: 0 server errors and 0 response-schema violations
# (and every status documented). See README "Fuzzing the API".
#
# Settings (environment):
#   FUZZ_DATABASE_URL  database it (re)creates, migrates and seeds; default: DATABASE_URL's
#                      server, database "<name>_fuzz" (PostgreSQL only; never the dev database)
#   FUZZ_ROLES         logins to fuzz as (default: dealer_hz rep_zhang manager_zj finance admin)
#   FUZZ_EXAMPLES      cases per operation and phase (default 10)
#   FUZZ_PHASES        schemathesis phases (default examples,coverage,fuzzing)
#   FUZZ_MAX_TIME      seconds per role, 0 = no limit (default 0)
#   FUZZ_CHECKS        default not_a_server_error,response_schema_conformance,status_code_conformance
#   FUZZ_EXCLUDE       extra schemathesis filter arguments
#   FUZZ_PORT          gunicorn port (default 8765)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY="$VENV/bin/python"
ROLES=${FUZZ_ROLES:-"dealer_hz rep_zhang manager_zj finance admin"}
EXAMPLES=${FUZZ_EXAMPLES:-10}
PHASES=${FUZZ_PHASES:-examples,coverage,fuzzing}
MAX_TIME=${FUZZ_MAX_TIME:-0}
CHECKS=${FUZZ_CHECKS:-not_a_server_error,response_schema_conformance,status_code_conformance}
PORT=${FUZZ_PORT:-8765}
PASSWORD=demo-pass-2026
OUT=${FUZZ_OUT:-var/fuzz}
mkdir -p "$OUT"

base_url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/dealer_crm}
case "$base_url" in
  postgres://*|postgresql://*) ;;
  *) base_url=postgres://postgres@127.0.0.1:5432/dealer_crm ;;
esac
FUZZ_DATABASE_URL=${FUZZ_DATABASE_URL:-"${base_url%/*}/$(basename "${base_url%%\?*}")_fuzz"}
export DATABASE_URL=$FUZZ_DATABASE_URL
db_name=$(basename "${FUZZ_DATABASE_URL%%\?*}")
server_url="${FUZZ_DATABASE_URL%/*}/postgres"
echo "== fuzz database $db_name (fresh demo world)"
"$PY" - "$server_url" "$db_name" <<'EOF'
import sys
import psycopg2
from psycopg2 import sql
url, name = sys.argv[1], sys.argv[2]
assert name.endswith("_fuzz"), "the fuzz run only ever recreates a database whose name ends in _fuzz"
connection = psycopg2.connect(url)
connection.autocommit = True
with connection.cursor() as cursor:
    cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
EOF
# The server's cache (login throttling, idempotency) in a Redis database of its own,
# emptied first: a lock left by an earlier run's fuzzed sign-ins must not refuse this one's.
if [ -n "${REDIS_URL:-}" ]; then
  REDIS_URL=$("$PY" - "$REDIS_URL" <<'EOF2'
import sys
from urllib.parse import urlsplit, urlunsplit
import redis
parts = urlsplit(sys.argv[1])
url = urlunsplit((parts.scheme, parts.netloc, "/15", "", ""))
redis.Redis.from_url(url).flushdb()
print(url)
EOF2
)
  export REDIS_URL CELERY_BROKER_URL=$REDIS_URL
fi
export DJANGO_DEBUG=0 DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-fuzz-only-secret-key} DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend CELERY_TASK_ALWAYS_EAGER=1
"$PY" manage.py migrate --noinput >"$OUT/migrate.log"
"$PY" manage.py seed_demo >"$OUT/seed.log"

echo "== gunicorn on 127.0.0.1:$PORT"
"$VENV/bin/gunicorn" dealer_crm.wsgi -b "127.0.0.1:$PORT" -w 2 --timeout 60 --access-logfile "$OUT/access.log" \
  >"$OUT/gunicorn.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 60); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/accounts/login/" && break
  sleep 1
done

token_of() {
  curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/auth/token/" -H 'Content-Type: application/json' \
    -d "{\"username\": \"$1\", \"password\": \"$PASSWORD\"}" | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

# One schema for every role, as an integrator reads it (signed in: the schema is
# for signed-in users only).
curl -fs "http://127.0.0.1:$PORT/api/schema/?format=json" -H "Authorization: Token $(token_of admin)" -o "$OUT/schema.json"

# Every role's token before any fuzzing: the fuzzed sign-in endpoint fails many
# sign-ins from this address, which the login throttle then locks (issue #12).
declare -A tokens
for role in $ROLES; do tokens[$role]=$(token_of "$role"); done

summary="$OUT/summary.txt"
: >"$summary"
status=0
for role in $ROLES; do
  token=${tokens[$role]}
  echo "== schemathesis as $role ($PHASES, $EXAMPLES cases per operation)"
  limit=()
  [ "$MAX_TIME" != 0 ] && limit=(--max-time "$MAX_TIME")
  set +e
  # shellcheck disable=SC2086
  "$VENV/bin/st" run "$OUT/schema.json" --url "http://127.0.0.1:$PORT" -H "Authorization: Token $token" \
    --checks "$CHECKS" --phases "$PHASES" -n "$EXAMPLES" "${limit[@]}" -w 2 --no-color --seed 13 \
    --max-failures 500 --suppress-health-check all --request-timeout 60 \
    --report junit --report-junit-path "$OUT/$role.xml" \
    --exclude-path /api/v1/auth/logout/ ${FUZZ_EXCLUDE:-} >"$OUT/$role.txt" 2>&1
  code=$?
  set -e
  "$PY" bin/fuzz_summary.py "$role" "$OUT/$role.txt" "$OUT/$role.xml" | tee -a "$summary"
  [ $code -ne 0 ] && status=1
done
server_errors=$(grep -c '" 5[0-9][0-9] ' "$OUT/access.log" || true)
echo "== 5xx in the server's access log: $server_errors" | tee -a "$summary"
[ "$server_errors" != 0 ] && status=1
if [ $status -ne 0 ]; then
  echo "FUZZ FAILED: see $OUT/<role>.txt and $OUT/gunicorn.log"
else
  echo "FUZZ PASSED: no server error, no schema violation"
fi
exit $status

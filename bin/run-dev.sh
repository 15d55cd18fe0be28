#!/usr/bin/env bash
# Start the web server with a Celery worker and beat beside it (used by `make run`).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
mkdir -p var staticfiles
"$VENV/bin/celery" -A dealer_crm worker --beat --loglevel=info --concurrency=2 >var/celery.log 2>&1 &
celery_pid=$!
trap 'kill $celery_pid 2>/dev/null || true' EXIT INT TERM
echo
echo "Dealer CRM is starting on http://$HOST:$PORT/  (API docs: http://$HOST:$PORT/api/docs/)"
echo "Celery worker and beat are running (log: var/celery.log). Stop everything with Ctrl+C."
echo
"$VENV/bin/python" manage.py runserver "$HOST:$PORT"

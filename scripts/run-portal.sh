#!/usr/bin/env bash
# Runs the portal for development: web server, Celery workers (default + media queues) and beat.
# Everything stops with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

$PY manage.py migrate --noinput
$PY manage.py compilemessages --ignore=.venv -v 0
$PY manage.py seed_demo

pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

.venv/bin/celery -A portal worker -Q default -n default@%h --concurrency 2 -B \
  --schedule var/celerybeat-schedule -l INFO &
pids+=($!)
.venv/bin/celery -A portal worker -Q media -n media@%h --concurrency 1 -l INFO &
pids+=($!)
$PY manage.py runserver "$HOST:$PORT" --noreload &
pids+=($!)

echo
echo "  Hors les Murs runs at http://$HOST:$PORT/  (admin: http://$HOST:$PORT/admin/)"
echo "  The demo logins are printed above (admin, moderateur, porte-parole). Ctrl-C stops."
echo
wait -n "${pids[@]}"

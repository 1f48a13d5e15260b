#!/usr/bin/env bash
# `make run`: the portal for development, run as the Procfile runs it in production: gunicorn
# (web), a Celery worker for short jobs (worker: e-mails, sweeps), one for transcodes (media), one
# for speech-to-text drafts of captions (speech) and beat. Each output line is prefixed with its process's name. Ctrl-C stops everything.
#
# Supervision: if the web server stops, everything stops and the exit status says why. If a
# worker or beat dies, the log says which one and why (exit status or signal) and it is
# restarted; one that keeps dying (5 times in a row within 30 s of starting) is left stopped,
# with a warning of what no longer happens, and the web server stays up.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

# Absolute links (e-mails, feeds, sitemap, share cards) name the origin served here.
case "$HOST" in
  0.0.0.0 | :: | "[::]") site_host=127.0.0.1 ;;
  *) site_host=$HOST ;;
esac
export SITE_URL=${SITE_URL:-http://$site_host:$PORT}
export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost,[::1],$site_host}
# Static files are collected (gzip copies) and served from there by whitenoise, as in production.
export WHITENOISE_USE_FINDERS=false

say() { printf '[run] %s\n' "$*"; }

# The settings (portal/settings/folders.py) create the folders the embedded defaults use (var/ or
# HLM_VAR_DIR) on import.
$BIN/python manage.py migrate --noinput
$BIN/python manage.py compilemessages --ignore=.venv -v 0
$BIN/python manage.py collectstatic --noinput -v 0
$BIN/python manage.py seed_demo

# The processes (names as in the Procfile). `exec`: the supervised pid is the program itself.
# `setsid`: each program in a process group of its own, signalled by this script alone. A TERM
# to make's whole group (CI, `kill -- -PGID`) would also reach Celery's pool processes, which die
# of it while their parent shuts them down in order, and the parent then hangs until killed.
# (setsid execs in place: these subshells do not lead a group, so it need not fork.)
run_web() {
  exec setsid $BIN/gunicorn portal.wsgi --bind "$HOST:$PORT" --workers "${WEB_CONCURRENCY:-2}" \
    --worker-class gthread --threads "${WEB_THREADS:-4}" --timeout 120
}
run_worker() {
  exec setsid $BIN/celery -A portal worker -Q default -n "default@%h" \
    --concurrency "${DEFAULT_CONCURRENCY:-2}" -l INFO
}
run_media() {
  exec setsid $BIN/celery -A portal worker -Q media -n "media@%h" --concurrency 1 \
    --prefetch-multiplier 1 -l INFO
}
run_speech() {
  exec setsid $BIN/celery -A portal worker -Q speech -n "speech@%h" --concurrency 1 \
    --prefetch-multiplier 1 -l INFO
}
run_beat() { exec setsid $BIN/celery -A portal beat -l INFO; }

declare -A lost=(
  [worker]="e-mails are not sent and sweeps do not run"
  [media]="video answers are not transcoded"
  [speech]="captions are not drafted from the videos' sound"
  [beat]="periodic jobs (outbox, stuck videos, uploads, privacy purges) do not run"
)
declare -A name_of=() started_at=() quick_deaths=()

start() {
  local name=$1
  # The prefixing sed ignores Ctrl-C and TERM: it ends with its process's output, not before.
  "run_$name" > >(trap '' INT TERM && exec sed -u "s/^/$(printf '%-6s' "$name") | /") 2>&1 &
  name_of[$!]=$name
  started_at[$name]=$SECONDS
  say "$name started (pid $!)"
}

why() {
  local status=$1
  if ((status > 128)); then
    echo "killed by signal $(kill -l $((status - 128))) (exit status $status)"
  else
    echo "exit status $status"
  fi
}

# Stopping is bounded: TERM to each program, RUN_STOP_SECONDS for all of their processes to end
# (gunicorn's workers, Celery's pool, ffmpeg), then KILL to whatever is left, named in the log.
# Every process started from here carries HLM_RUN_TOKEN in its environment, which finds them all,
# even the children of a program that died first; without /proc, the children of the programs.
STOP_SECONDS=${RUN_STOP_SECONDS:-20}
export HLM_RUN_TOKEN="$$.$RANDOM$RANDOM"

alive() { # alive PID: running (a zombie has ended: only its parent has not read its status yet)
  local stat
  kill -0 "$1" 2>/dev/null || return 1
  [ -r "/proc/$1/stat" ] || return 0
  read -r stat <"/proc/$1/stat" 2>/dev/null || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

ours() { # ours [prefixers]: the live processes started from here; the output prefixers (sed,
  # they end on EOF once their program's processes are gone) only when asked
  local pid comm candidates programs="${!name_of[*]}" prefixers=${1:-}
  if [ -d /proc/$$ ]; then
    candidates=$(grep -lsaF "HLM_RUN_TOKEN=$HLM_RUN_TOKEN" /proc/[0-9]*/environ | tr -dc '0-9\n')
  elif [ -n "$programs" ]; then
    candidates="$programs $(pgrep -P "${programs// /,}")"
  fi
  for pid in $candidates; do
    # Not this script, nor the subshell running this function.
    if [ "$pid" = $$ ] || [ "$pid" = "$BASHPID" ] || ! alive "$pid"; then continue; fi
    comm=""
    if [ -r "/proc/$pid/comm" ]; then read -r comm <"/proc/$pid/comm" 2>/dev/null || true; fi
    if [ "$comm" != sed ] || [ -n "$prefixers" ]; then echo "$pid"; fi
  done
  return 0
}

stop() {
  # Further TERMs are ignored, not fatal: `make` forwards the TERM it gets to this script, which
  # also gets the process group's own, and a second one must not end the script mid-stop.
  trap '' INT TERM
  local pid deadline=$((SECONDS + STOP_SECONDS)) left
  for pid in "${!name_of[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  while left=$(ours) && [ -n "$left" ] && ((SECONDS < deadline)); do sleep 0.5; done
  if [ -n "$left" ]; then
    for pid in "${!name_of[@]}"; do
      if alive "$pid"; then
        say "${name_of[$pid]} (pid $pid) still runs after $STOP_SECONDS s: killing it"
      fi
    done
    say "killing what is left of its processes: pids" $left
    exec 2>/dev/null # bash's own "Killed" notices: the lines above say it
    kill -KILL $left || true
  fi
  # The prefixers print the last lines, then end; one that does not (stopped?) is killed too.
  deadline=$((SECONDS + 5))
  while left=$(ours prefixers) && [ -n "$left" ] && ((SECONDS < deadline)); do sleep 0.2; done
  if [ -n "$left" ]; then
    say "output prefixers still there after 5 s, killing them: pids" $left
    kill -KILL $left 2>/dev/null || true
  fi
  wait 2>/dev/null || true
  say "stopped"
  exit "$1"
}
trap 'say "Ctrl-C: stopping"; stop 0' INT
trap 'say "stopping"; stop 0' TERM

for name in web worker media speech beat; do start "$name"; done
echo
echo "  Hors les Murs runs at $SITE_URL/  (admin: $SITE_URL/admin/)"
echo "  The demo logins are printed above (admin, moderateur, porte-parole). Ctrl-C stops."
echo

while ((${#name_of[@]})); do
  dead=""
  status=0
  wait -n -p dead "${!name_of[@]}" || status=$?
  [ -n "$dead" ] || continue
  name=${name_of[$dead]}
  unset "name_of[$dead]"
  if [ "$name" = web ]; then
    say "web (gunicorn, pid $dead) stopped: $(why "$status"). Stopping everything."
    stop $((status == 0 ? 1 : status))
  fi
  if ((SECONDS - started_at[$name] < 30)); then
    quick_deaths[$name]=$((${quick_deaths[$name]:-0} + 1))
  else
    quick_deaths[$name]=0
  fi
  if ((quick_deaths[$name] >= 5)); then
    say "!!! $name (pid $dead) died: $(why "$status"), the 5th time in a row within 30 s."
    say "!!! Not restarting it: the web server stays up, but $name is down: ${lost[$name]}."
    say "!!! Read its lines above (prefixed '$name'), fix the cause, then restart make run."
    continue
  fi
  say "$name (pid $dead) died: $(why "$status"); restarting it"
  sleep 1
  start "$name"
done

#!/usr/bin/env bash
# The local stack's services: PostgreSQL, Redis and Azurite on 127.0.0.1, data under .local/.
#
#   scripts/services.sh start   install what is missing, start what is not running (idempotent)
#   scripts/services.sh stop    stop what this script started
#   scripts/services.sh status
#
# A service already answering on its port is reused, not restarted. Ports: GATEWAY_PG_PORT
# (5432), GATEWAY_REDIS_PORT (6379), GATEWAY_AZURITE_BLOB_PORT / _QUEUE_PORT / _TABLE_PORT
# (10000-10002). PostgreSQL user, password and database are all "gateway".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.local"
PG_PORT="${GATEWAY_PG_PORT:-5432}"
REDIS_PORT="${GATEWAY_REDIS_PORT:-6379}"
BLOB_PORT="${GATEWAY_AZURITE_BLOB_PORT:-10000}"
QUEUE_PORT="${GATEWAY_AZURITE_QUEUE_PORT:-10001}"
TABLE_PORT="${GATEWAY_AZURITE_TABLE_PORT:-10002}"
PG_USER=gateway
PG_PASSWORD=gateway
PG_DB=gateway

log() { printf '[services] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root (or sudo) to run: $*"; fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && exec 3>&- 3<&- ; }

wait_port() {
  local port=$1 name=$2 i
  for i in $(seq 1 120); do port_open "$port" && return 0; sleep 0.25; done
  die "$name did not open 127.0.0.1:$port (see $STATE/logs)"
}

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null || die "apt-get not found: install $* yourself"
  if [ "$APT_UPDATED" -eq 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  log "installing $* (apt)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

ensure_installed() {
  local need=()
  [ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ] || need+=(postgresql)
  command -v redis-server >/dev/null || need+=(redis-server)
  if [ ${#need[@]} -gt 0 ]; then apt_install "${need[@]}"; fi
  if [ ! -x "$ROOT/tools/azurite/node_modules/.bin/azurite" ]; then
    command -v npm >/dev/null || die "npm not found: install Node.js 20+"
    log "installing Azurite (npm, into tools/azurite)"
    (cd "$ROOT/tools/azurite" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}

# PostgreSQL refuses to run as root: when we are root, the cluster belongs to the "postgres" user.
# The cluster's folder: .local/postgres, unless the postgres user cannot reach it (a checkout under
# a private home folder); then a folder of its own under /var/tmp.
pg_dir() {
  if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$STATE" 2>/dev/null; then
    echo "/var/tmp/gateway-postgres-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
  else
    echo "$STATE/postgres"
  fi
}

pg_run() {
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start_postgres() {
  if port_open "$PG_PORT"; then log "PostgreSQL: reusing 127.0.0.1:$PG_PORT"; return; fi
  local bin
  bin="$(pg_bin)"
  mkdir -p "$STATE/postgres" "$STATE/logs"
  local dir data log
  dir="$(pg_dir)"; data="$dir/data"; log="$dir/postgres.log"
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres "$dir"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    log "PostgreSQL: initialising $data"
    local pwfile="$dir/pwfile"
    printf '%s\n' "$PG_PASSWORD" > "$pwfile"
    [ "$(id -u)" -eq 0 ] && chown postgres "$pwfile"
    pg_run "$bin/initdb" -D "$data" -U "$PG_USER" --pwfile="$pwfile" --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
  fi
  log "PostgreSQL: starting on 127.0.0.1:$PG_PORT"
  pg_run "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $dir -c fsync=off -c synchronous_commit=off -c max_connections=300" start >/dev/null
  echo "$dir" > "$STATE/postgres/started-by-us"
  wait_port "$PG_PORT" PostgreSQL
  if ! pg_run "$bin/psql" -h "$dir" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc "select 1 from pg_database where datname='$PG_DB'" | grep -q 1; then
    pg_run "$bin/createdb" -h "$dir" -p "$PG_PORT" -U "$PG_USER" "$PG_DB"
  fi
}

start_redis() {
  if port_open "$REDIS_PORT"; then log "Redis: reusing 127.0.0.1:$REDIS_PORT"; return; fi
  mkdir -p "$STATE/redis" "$STATE/logs"
  log "Redis: starting on 127.0.0.1:$REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --dir "$STATE/redis" \
    --pidfile "$STATE/redis/redis.pid" --logfile "$STATE/logs/redis.log" --save "" --appendonly no >/dev/null
  wait_port "$REDIS_PORT" Redis
}

start_azurite() {
  if port_open "$QUEUE_PORT"; then log "Azurite: reusing 127.0.0.1:$QUEUE_PORT"; return; fi
  mkdir -p "$STATE/azurite" "$STATE/logs"
  log "Azurite: starting on 127.0.0.1:$BLOB_PORT-$TABLE_PORT"
  # --skipApiVersionCheck: the Azure SDKs may ask for a newer service version than this Azurite knows.
  nohup "$ROOT/tools/azurite/node_modules/.bin/azurite" --silent --skipApiVersionCheck --location "$STATE/azurite" \
    --blobHost 127.0.0.1 --blobPort "$BLOB_PORT" --queueHost 127.0.0.1 --queuePort "$QUEUE_PORT" \
    --tableHost 127.0.0.1 --tablePort "$TABLE_PORT" >"$STATE/logs/azurite.log" 2>&1 &
  echo $! > "$STATE/azurite/azurite.pid"
  wait_port "$QUEUE_PORT" Azurite
  wait_port "$BLOB_PORT" Azurite
}

stop_all() {
  local bin
  bin="$(pg_bin)"
  if [ -f "$STATE/postgres/started-by-us" ] && [ -n "$bin" ]; then
    log "PostgreSQL: stopping"
    pg_run "$bin/pg_ctl" -D "$(cat "$STATE/postgres/started-by-us")/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -f "$STATE/postgres/started-by-us"
  fi
  if [ -f "$STATE/redis/redis.pid" ]; then
    log "Redis: stopping"
    kill "$(cat "$STATE/redis/redis.pid")" 2>/dev/null || true
    rm -f "$STATE/redis/redis.pid"
  fi
  if [ -f "$STATE/azurite/azurite.pid" ]; then
    log "Azurite: stopping"
    kill "$(cat "$STATE/azurite/azurite.pid")" 2>/dev/null || true
    rm -f "$STATE/azurite/azurite.pid"
  fi
}

status() {
  local name port
  for pair in "PostgreSQL:$PG_PORT" "Redis:$REDIS_PORT" "Azurite-queue:$QUEUE_PORT" "Azurite-blob:$BLOB_PORT"; do
    name=${pair%%:*}; port=${pair##*:}
    if port_open "$port"; then echo "$name up on 127.0.0.1:$port"; else echo "$name down (127.0.0.1:$port)"; fi
  done
}

case "${1:-start}" in
  start) ensure_installed; start_postgres; start_redis; start_azurite ;;
  stop) stop_all ;;
  status) status ;;
  *) die "usage: $0 start|stop|status" ;;
esac

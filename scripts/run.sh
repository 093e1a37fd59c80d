#!/usr/bin/env bash
# Runs the whole gateway locally: installs and starts PostgreSQL, Redis and Azurite on
# 127.0.0.1 (scripts/services.sh), creates local.settings.json from the sample on first run
# (with a fresh admin secret and encryption key), applies the database migrations, then starts
# the proxy (8002), admin (8001) and ingest (8003) apps standalone. Ctrl-C stops everything it
# started. Logs: .local/logs/{proxy,admin,ingest}.log.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log() { printf '[run] %s\n' "$*" >&2; }

pids=()
cleanup() {
  trap - INT TERM EXIT
  log "stopping"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/services.sh stop
}
trap 'cleanup; exit 130' INT TERM
trap cleanup EXIT

scripts/services.sh start

if [ ! -f local.settings.json ]; then
  log "creating local.settings.json from local.settings.sample.json (fresh admin secret and encryption key)"
  node -e '
    const fs = require("fs"), crypto = require("crypto");
    const s = JSON.parse(fs.readFileSync("local.settings.sample.json", "utf8"));
    s.Values["Admin__Secret"] = crypto.randomBytes(24).toString("base64url");
    s.Values["Encryption__Key"] = crypto.randomBytes(32).toString("base64");
    fs.writeFileSync("local.settings.json", JSON.stringify(s, null, 2) + "\n", { mode: 0o600 });'
fi
setting() { node -e 'const s=require("./local.settings.json"); process.stdout.write(String(s.Values[process.argv[1]] ?? process.argv[2] ?? ""))' "$1" "${2:-}"; }

log "building"
dotnet build Gateway.Functions/Gateway.Functions.csproj -c Debug -nologo -clp:ErrorsOnly -v:q
dotnet build Gateway.Admin.Functions/Gateway.Admin.Functions.csproj -c Debug -nologo -clp:ErrorsOnly -v:q
dotnet build Gateway.Ingest.Functions/Gateway.Ingest.Functions.csproj -c Debug -nologo -clp:ErrorsOnly -v:q

log "applying database migrations"
dotnet Gateway.Admin.Functions/bin/Debug/net10.0/Gateway.Admin.Functions.dll migrate >/dev/null

mkdir -p .local/logs
start_app() {
  local name=$1 dll=$2
  dotnet "$dll" >".local/logs/$name.log" 2>&1 &
  pids+=($!)
}
start_app admin Gateway.Admin.Functions/bin/Debug/net10.0/Gateway.Admin.Functions.dll
start_app ingest Gateway.Ingest.Functions/bin/Debug/net10.0/Gateway.Ingest.Functions.dll
start_app proxy Gateway.Functions/bin/Debug/net10.0/Gateway.Functions.dll

wait_health() {
  local name=$1 port=$2 i
  for i in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/api/health" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  log "$name did not answer /api/health on :$port; its log:"; tail -n 40 ".local/logs/$name.log" >&2; exit 1
}
admin_port=$(setting Ports__Admin 8001); proxy_port=$(setting Ports__Proxy 8002); ingest_port=$(setting Ports__Ingest 8003)
wait_health admin "$admin_port"; wait_health ingest "$ingest_port"; wait_health proxy "$proxy_port"

cat <<MSG

  Gateway is running.
    proxy   http://127.0.0.1:$proxy_port/api    (point SDKs at http://127.0.0.1:$proxy_port/api/providers/openai/v1)
    admin   http://127.0.0.1:$admin_port/api    (header X-API-KEY: $(setting Admin__Secret))
    ingest  http://127.0.0.1:$ingest_port/api/health
  Logs in .local/logs. Ctrl-C stops everything this command started.

MSG
wait -n "${pids[@]}" || true
log "an app exited; see .local/logs"

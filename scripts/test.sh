#!/usr/bin/env bash
# Runs the whole test suite against real PostgreSQL, Redis and Azurite on 127.0.0.1, starting
# them first if they are not running (scripts/services.sh). Prints "N passed, N failed" last.
#
#   scripts/test.sh                      everything
#   scripts/test.sh --filter "FullyQualifiedName~ConfigCache"   extra arguments go to dotnet test
#
# GATEWAY_KEEP_SERVICES=1 leaves the services this run started running afterwards.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

scripts/services.sh start
# The npm SDK clients (Anthropic) that some tests drive the gateway with.
if [ ! -d tests/node/node_modules/@anthropic-ai/sdk ] || [ ! -d tests/node/node_modules/openai ]; then
  (cd tests/node && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi
# The dashboard's browser tests drive Debian's chromium (tests/Gateway.Dashboard.Tests): no browser download.
if ! command -v chromium >/dev/null; then
  echo "[test] installing chromium (apt)" >&2
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ "${GATEWAY_KEEP_SERVICES:-0}" != "1" ]; then
  trap 'scripts/services.sh stop' EXIT
fi

export GATEWAY_TEST_PG="${GATEWAY_TEST_PG:-Host=127.0.0.1;Port=${GATEWAY_PG_PORT:-5432};Username=gateway;Password=gateway;Database=postgres}"
export GATEWAY_TEST_REDIS="${GATEWAY_TEST_REDIS:-127.0.0.1:${GATEWAY_REDIS_PORT:-6379}}"
export GATEWAY_TEST_STORAGE="${GATEWAY_TEST_STORAGE:-UseDevelopmentStorage=true}"

results="$ROOT/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet build Gateway.sln -c Debug -nologo -clp:ErrorsOnly
status=0
dotnet test Gateway.sln -c Debug --no-build --nologo --logger "trx" --results-directory "$results" "$@" || status=$?

# Sum the counters of every project's TRX file into one closing line.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; echo "dotnet test failed (exit $status) without a failed test: see above"; fi
# Stop the services now rather than in the EXIT trap, so that the counts stay the last line.
if [ "${GATEWAY_KEEP_SERVICES:-0}" != "1" ]; then
  trap - EXIT
  scripts/services.sh stop
fi
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]

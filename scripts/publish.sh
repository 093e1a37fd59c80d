#!/usr/bin/env bash
# Publishes the three function apps for Azure: for each app, a function-app folder and its zip,
# ready for zip deploy (az functionapp deployment source config-zip --src <app>.zip) or, from the
# folder, `func azure functionapp publish <name>`.
#
#   scripts/publish.sh [output-dir]        default: artifacts/publish
#
# Produces <output-dir>/<app>/ and <output-dir>/<app>.zip for Gateway.Functions (proxy),
# Gateway.Admin.Functions (admin) and Gateway.Ingest.Functions (ingest): the .NET isolated worker's
# publish folder, which holds at its root:
#   host.json               the shared root host.json (no extension bundle: the worker brings them)
#   functions.metadata      the functions, generated from the [Function] classes
#   worker.config.json      how the host starts the worker: the executable below
#   .azurefunctions/        the host-side trigger extensions (timer, Storage queue)
#   <app>                   the self-contained linux-x64 executable (no .NET needed on the host)
# `dotnet publish -c Release` is self-contained linux-x64 by default for these projects.
#
# The zip keeps Unix file modes (the executable bit): Linux function apps run the package as
# deployed, and a worker without +x fails to start ("permission denied"). Zip tools
# that drop modes (e.g. Windows' Compress-Archive) must not be used. Intermediate build files go
# to <output-dir>/.build (GATEWAY_PUBLISH_BUILD_DIR overrides), not to the projects' bin/obj.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/artifacts/publish}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
BUILD_DIR="${GATEWAY_PUBLISH_BUILD_DIR:-$OUT/.build}"
APPS=(Gateway.Functions Gateway.Admin.Functions Gateway.Ingest.Functions)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log() { printf '[publish] %s\n' "$*" >&2; }

# Zips the contents of folder $1 (not the folder itself) into $2, keeping Unix modes.
# `zip` when installed; otherwise Python's zipfile, which stores each file's mode as well.
zip_folder() {
  local folder=$1 archive=$2
  rm -f "$archive"
  if command -v zip >/dev/null; then
    (cd "$folder" && zip -q -r -X "$archive" .)
  elif command -v python3 >/dev/null; then
    python3 - "$folder" "$archive" <<'PY'
import os, sys, zipfile
folder, archive = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            # ZipInfo.from_file records the Unix mode (st_mode << 16) and create_system=3 (Unix).
            z.write(path, os.path.relpath(path, folder))
PY
  else
    log "error: neither zip nor python3 is installed (apt-get install zip)"
    exit 1
  fi
}

for app in "${APPS[@]}"; do
  log "publishing $app"
  rm -rf "${OUT:?}/$app"
  dotnet publish "$ROOT/$app/$app.csproj" -c Release -o "$OUT/$app" --artifacts-path "$BUILD_DIR" -nologo -clp:ErrorsOnly -v:q
  for required in host.json functions.metadata worker.config.json "$app"; do
    [ -f "$OUT/$app/$required" ] || { log "error: $app/$required missing from the publish output"; exit 1; }
  done
  [ -d "$OUT/$app/.azurefunctions" ] || { log "error: $app/.azurefunctions missing from the publish output"; exit 1; }
  grep -q "\"{WorkerRoot}$app\"" "$OUT/$app/worker.config.json" || { log "error: $app/worker.config.json does not start the self-contained $app"; exit 1; }
  chmod 0755 "$OUT/$app/$app"
  zip_folder "$OUT/$app" "$OUT/$app.zip"
  log "  $OUT/$app.zip"
done

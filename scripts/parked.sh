#!/usr/bin/env bash
# `npm run parked -- list|retry|release [--group g] [--service name | --url URL]`: operators' view of
# the keys a service's consumers parked, through its admin endpoint (default: health-service on :3001).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/node-env.sh
cli=dist/libs/messaging/src/parking/parked.cli.js
[ -f "$cli" ] || npm run --silent build >&2
exec node "$cli" "$@"

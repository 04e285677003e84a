#!/usr/bin/env bash
# `npm run redrive -- <topic> [--dry-run]`: re-publishes the dead letters of <topic> (from
# <topic>.dlq) to <topic> and prints how many moved. Uses KAFKA_BROKERS and RUTA_KAFKA_NAMESPACE.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/node-env.sh
cli=dist/libs/messaging/src/dead-letters/redrive.cli.js
[ -f "$cli" ] || npm run --silent build >&2
exec node "$cli" "$@"

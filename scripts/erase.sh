#!/usr/bin/env bash
# `npm run erase -- <personId> --reason <code>`: erases a person by destroying their data key
# (README: Erasure). Writes PostgreSQL at DATABASE_URL (default, as the services': the local server's
# ruta database) in the gateway's schemas; a running gateway publishes the person.erased event it queues.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/node-env.sh
cli=dist/apps/intake-gateway/src/erasure/erase.cli.js
[ -f "$cli" ] || npm run --silent build >&2
exec node "$cli" "$@"

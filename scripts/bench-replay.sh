#!/usr/bin/env bash
# `npm run bench:replay`: how fast a rebuild replays the audit log (scripts/bench/replay/main.ts).
# Uses the PostgreSQL server at DATABASE_URL (default: the local one, started if need be) and no
# Kafka; makes a database of its own there and drops it. Knobs: REPLAY_EVENTS (intake events in
# the generated log, default 300000), REPLAY_SECTORS (comma-separated, default health).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/node-env.sh
source scripts/lib/infra.sh
if [ -z "${DATABASE_URL:-}" ]; then
  ruta_ensure_postgres
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres"
fi
npx tsc -p scripts/bench/replay/tsconfig.json
exec node -r ./scripts/bench/replay/paths.cjs --max-old-space-size=4096 \
  .local/bench/replay/scripts/bench/replay/main.js "$@"

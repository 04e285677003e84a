#!/usr/bin/env bash
# `npm run audit -- verify [--public-key file.pem]` and `npm run audit -- what-if --rules <version or
# module.js> [--baseline ...] [--sector s] [--examples n]` and `npm run audit -- rebuild <sector>
# [--keep]`: the auditor's command line (README: the auditor's guide). Reads PostgreSQL at
# DATABASE_URL (default: the local server), not the service.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/node-env.sh
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
cli=dist/apps/audit-service/src/audit-log/cli/audit.cli.js
[ -f "$cli" ] || npm run --silent build >&2
exec node "$cli" "$@"

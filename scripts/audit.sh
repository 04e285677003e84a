#!/usr/bin/env bash
# `npm run audit -- verify [--public-key file.pem]` and `npm run audit -- what-if --rules <version or
# module.js> [--baseline ...] [--sector s] [--examples n]` and `npm run audit -- rebuild <sector>
# [--keep]`: the auditor's command line (README: the auditor's guide). Reads PostgreSQL at
# DATABASE_URL (default, as the services': the local server's `ruta` database), not the service.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/node-env.sh
cli=dist/apps/audit-service/src/audit-log/cli/audit.cli.js
[ -f "$cli" ] || npm run --silent build >&2
exec node "$cli" "$@"

#!/usr/bin/env bash
# Compiles every app and lib into dist/ in one tsc pass (tsconfig.build.json covers them all);
# the Nest CLI rewrites the @ruta/* path aliases into relative requires.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rm -rf dist
npx nest build intake-gateway
[ -f dist/libs/messaging/src/dead-letters/redrive.cli.js ] || { echo "build: the redrive CLI is missing" >&2; exit 1; }
for app in intake-gateway health-service social-development-service protection-service audit-service; do
  [ -f "dist/apps/$app/src/main.js" ] || { echo "build: dist/apps/$app/src/main.js is missing" >&2; exit 1; }
done

#!/usr/bin/env bash
# Compiles every app and lib into dist/ in one tsc pass (tsconfig.build.json covers them all);
# the Nest CLI rewrites the @ruta/* path aliases into relative requires.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rm -rf dist
npx nest build intake-gateway
for cli in dead-letters/redrive parking/parked; do
  [ -f "dist/libs/messaging/src/$cli.cli.js" ] || { echo "build: dist/libs/messaging/src/$cli.cli.js is missing" >&2; exit 1; }
done
for app in intake-gateway health-service social-development-service protection-service audit-service; do
  [ -f "dist/apps/$app/src/main.js" ] || { echo "build: dist/apps/$app/src/main.js is missing" >&2; exit 1; }
done

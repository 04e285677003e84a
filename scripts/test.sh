#!/usr/bin/env bash
# The project's test command (`npm test`): unit, integration and e2e tiers. Integration and e2e
# talk to a real Kafka broker and PostgreSQL: KAFKA_BROKERS / DATABASE_URL when set; otherwise
# testcontainers when a Docker engine answers; otherwise the local broker (scripts/kafka.sh) and
# the local PostgreSQL server, started here when they are not running. Specs that sign in use the
# Keycloak at KEYCLOAK_URL, else the local one (scripts/keycloak.sh), started here.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/node-env.sh
source scripts/lib/infra.sh
[ -d node_modules ] || npm ci --no-audit --no-fund

if [ -z "${KAFKA_BROKERS:-}" ] || [ -z "${DATABASE_URL:-}" ]; then
  if ruta_docker_engine; then
    echo "ruta: Docker engine found; testcontainers starts whatever KAFKA_BROKERS/DATABASE_URL do not name" >&2
  else
    if [ -z "${KAFKA_BROKERS:-}" ]; then
      bash scripts/kafka.sh start
      export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT:-9092}"
      # The fault-injection tests may restart this broker (they never touch one they did not start).
      export RUTA_KAFKA_LOCAL_BROKER=1
    fi
    if [ -z "${DATABASE_URL:-}" ]; then
      ruta_ensure_postgres
      export DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres"
    fi
  fi
fi

if [ -z "${KEYCLOAK_URL:-}" ]; then
  bash scripts/keycloak.sh start
  KEYCLOAK_URL="$(bash scripts/keycloak.sh url)"
  export KEYCLOAK_URL
fi

# The fault-injection tests run services as their own processes, from the build. RUTA_SKIP_BUILD=1:
# dist/ was just built (.ci/run builds in a step of its own), a second full build would only cost time.
if [ "${RUTA_SKIP_BUILD:-0}" != 1 ]; then npm run --silent build; fi

# NestJS 12 ships as ES modules; jest loads them through require(esm), which needs vm modules.
export NODE_OPTIONS="--experimental-vm-modules --disable-warning=ExperimentalWarning --disable-warning=TimeoutNegativeWarning ${NODE_OPTIONS:-}"
report="$(mktemp -t ruta-jest-XXXXXX.json)"
status=0
npx jest --runInBand --json --outputFile="$report" "$@" || status=$?
# The closing line always counts skipped and todo tests; in CI (CI=true) a skipped test fails the
# run, since a test skipped there (e.g. for a missing local broker) proves nothing.
node -e '
  const { relative } = require("node:path");
  const r = require(process.argv[1]);
  const skipped = r.testResults.flatMap((file) =>
    file.assertionResults
      .filter((t) => t.status === "pending" || t.status === "skipped" || t.status === "disabled")
      .map((t) => `${relative(process.cwd(), file.name)}: ${t.fullName}`),
  );
  const broken = r.numRuntimeErrorTestSuites ? `, ${r.numRuntimeErrorTestSuites} files failed to run` : "";
  console.log(
    `\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped, ${r.numTodoTests} todo${broken}`,
  );
  if (process.env.CI === "true" && skipped.length > 0) {
    console.log(`CI: ${skipped.length} skipped test(s) fail the run:\n${skipped.map((s) => `  - ${s}`).join("\n")}`);
    process.exit(3);
  }
' "$report" || { summary=$?; [ "$status" -ne 0 ] || status=$summary; }
rm -f "$report"
exit "$status"

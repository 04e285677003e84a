#!/usr/bin/env bash
# `npm run bench`: throughput, latency, memory and broker ceiling of the whole system on this machine.
# Kafka and PostgreSQL come from KAFKA_BROKERS / DATABASE_URL when set; otherwise the local broker
# (scripts/kafka.sh) and the local PostgreSQL server are started here, as scripts/test.sh does.
# DATABASE_URL names the server (and a database to connect to for admin work): the bench creates
# its own database there and drops it at the end. Knobs (BENCH_*) are listed in scripts/bench/settings.ts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/node-env.sh
source scripts/lib/infra.sh
[ -d node_modules ] || npm ci --no-audit --no-fund

if [ -z "${KAFKA_BROKERS:-}" ]; then
  bash scripts/kafka.sh start
  export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT:-9092}"
fi
if [ -z "${DATABASE_URL:-}" ]; then
  ruta_ensure_postgres
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres"
fi

if [ "${BENCH_SKIP_BUILD:-0}" = 1 ]; then
  echo "bench: BENCH_SKIP_BUILD=1, using the existing dist/" >&2
else
  echo "bench: building the services" >&2
  npm run --silent build
fi
# The bench itself (scripts/bench/, with the Darién scenario of libs/testing it drives), compiled
# apart into .local/bench/tool: neither enters dist/.
npx tsc -p scripts/bench/tsconfig.json

# kafkajs 2.2.4 sets a negative timer on Node 24 (kafkajs#1751): harmless, Node clamps it to 1 ms.
export NODE_OPTIONS="--disable-warning=TimeoutNegativeWarning ${NODE_OPTIONS:-}"
exec node .local/bench/tool/scripts/bench/main.js "$@"

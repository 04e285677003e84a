#!/usr/bin/env bash
# `npm run dev`: the whole system on this machine, with demo data.
#   - With a Docker engine: docker compose builds and starts Kafka, PostgreSQL and the five services.
#   - Without one: the local Kafka broker (scripts/kafka.sh) and the local PostgreSQL server, then
#     the five services built and run here with prefixed logs.
# Then it posts the demo scenario (scripts/demo.mjs) and says where to look. Ctrl-C stops what it started.
# RUTA_DEV_MODE=local forces the local path even where Docker runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/node-env.sh
source scripts/lib/infra.sh
[ -d node_modules ] || npm ci --no-audit --no-fund

APPS=(intake-gateway health-service social-development-service protection-service audit-service)
PORTS=(3000 3001 3002 3003 3004)

if [ "${RUTA_DEV_MODE:-}" != "local" ] && ruta_docker_engine; then
  trap 'docker compose down' EXIT
  docker compose up --build --detach --wait
  node scripts/demo.mjs
  docker compose logs --follow --no-log-prefix=false
  exit 0
fi

started_kafka=0
cleanup() {
  if [ "$started_kafka" = 1 ]; then bash scripts/kafka.sh stop; fi
}
trap cleanup EXIT

ruta_ensure_postgres
ruta_ensure_database "${RUTA_DATABASE:-ruta}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/${RUTA_DATABASE:-ruta}}"
if [ -z "${KAFKA_BROKERS:-}" ]; then
  if ! bash scripts/kafka.sh status >/dev/null 2>&1; then
    bash scripts/kafka.sh start
    started_kafka=1
  fi
  export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT:-9092}"
fi

echo "ruta: building the services" >&2
npm run --silent build

export LOG_FORMAT="${LOG_FORMAT:-pretty}"
# The gateway encrypts direct identifiers with this key; a development key is kept in .local/.
if [ -z "${RUTA_IDENTIFIERS_KEY:-}" ]; then
  mkdir -p .local
  [ -s .local/identifiers.key ] || node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("base64"))' >.local/identifiers.key
  RUTA_IDENTIFIERS_KEY="$(cat .local/identifiers.key)"
  export RUTA_IDENTIFIERS_KEY
fi
# kafkajs 2.2.4 sets a negative timer on Node 24 (kafkajs#1751): harmless, Node clamps it to 1 ms.
# A bounded heap keeps each service under 250 MB resident (same flags in docker/Dockerfile).
export NODE_OPTIONS="${RUTA_SERVICE_NODE_OPTIONS:---max-old-space-size=192 --max-semi-space-size=16 --disable-warning=TimeoutNegativeWarning}"
commands=()
for i in "${!APPS[@]}"; do
  commands+=("PORT=${PORTS[$i]} node dist/apps/${APPS[$i]}/src/main.js")
done
commands+=("node scripts/demo.mjs")
npx concurrently --names "intake,health,social,protect,audit,demo" \
  --prefix-colors "blue,green,yellow,magenta,cyan,white" \
  --kill-others-on-fail "${commands[@]}" &
runner=$!
# Bash runs traps only between commands: waiting in the background lets a TERM (a supervisor,
# `timeout`) stop the services at once, as Ctrl-C does, instead of leaving them running.
trap 'kill -TERM "$runner" 2>/dev/null' TERM INT
wait "$runner" || wait "$runner"

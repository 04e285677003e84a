#!/usr/bin/env bash
# `npm run dev`: the whole system on this machine, with demo data.
#   - With a Docker engine: docker compose builds and starts Kafka, PostgreSQL, Keycloak and the
#     five services.
#   - Without one: the local Kafka broker (scripts/kafka.sh), Keycloak (scripts/keycloak.sh) and the
#     local PostgreSQL server, then the five services built and run here with prefixed logs.
# Then it posts the demo scenario (scripts/demo.mjs) and says where to look. Ctrl-C stops what it started.
# RUTA_DEV_MODE=local forces the local path even where Docker runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/node-env.sh
source scripts/lib/infra.sh
[ -d node_modules ] || npm ci --no-audit --no-fund

# How to sign in as a demo user of the realm (docker/keycloak/ruta-realm.json); $1 = Keycloak's URL.
print_sign_in() {
  cat >&2 <<EOF
ruta: a token for a demo user (password ruta-demo; users in docker/keycloak/ruta-realm.json):
  curl -s -d grant_type=password -d client_id=ruta-cli -d username=health-caseworker-lajas-blancas \\
       -d password=ruta-demo $1/realms/ruta/protocol/openid-connect/token
EOF
}

APPS=(intake-gateway health-service social-development-service protection-service audit-service)
PORTS=(3000 3001 3002 3003 3004)

if [ "${RUTA_DEV_MODE:-}" != "local" ] && ruta_docker_engine; then
  trap 'docker compose down' EXIT
  docker compose up --build --detach --wait
  print_sign_in http://localhost:8180
  # The demo signs in to the compose Keycloak from the host (tokens still name keycloak:8180).
  KEYCLOAK_URL=http://localhost:8180 node scripts/demo.mjs
  docker compose logs --follow --no-log-prefix=false
  exit 0
fi

started_kafka=0
started_keycloak=0
cleanup() {
  if [ "$started_keycloak" = 1 ]; then bash scripts/keycloak.sh stop; fi
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
if [ -z "${RUTA_AUTH_ISSUER:-}" ]; then
  if ! bash scripts/keycloak.sh status >/dev/null 2>&1; then
    bash scripts/keycloak.sh start
    started_keycloak=1
  fi
  RUTA_AUTH_ISSUER="$(bash scripts/keycloak.sh url)/realms/ruta"
  export RUTA_AUTH_ISSUER
fi
print_sign_in "${RUTA_AUTH_ISSUER%/realms/ruta}"

echo "ruta: building the services" >&2
npm run --silent build

export LOG_FORMAT="${LOG_FORMAT:-pretty}"
# The person keyring's master key: the gateway seals direct identifiers and the sectors caseworkers'
# notes with per-person keys it wraps. A development key is kept in .local/.
if [ -z "${RUTA_IDENTIFIERS_KEY:-}" ]; then
  mkdir -p .local
  [ -s .local/identifiers.key ] || node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("base64"))' >.local/identifiers.key
  RUTA_IDENTIFIERS_KEY="$(cat .local/identifiers.key)"
  export RUTA_IDENTIFIERS_KEY
fi
# The audit service signs its checkpoints with this Ed25519 key; a development key is kept in .local/.
if [ -z "${RUTA_AUDIT_SIGNING_KEY:-}" ]; then
  mkdir -p .local
  [ -s .local/audit-signing.key ] || node -e 'process.stdout.write(require("crypto").generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "der" }).toString("base64"))' >.local/audit-signing.key
  RUTA_AUDIT_SIGNING_KEY="$(cat .local/audit-signing.key)"
  export RUTA_AUDIT_SIGNING_KEY
fi
# kafkajs 2.2.4 sets a negative timer on Node 24 (kafkajs#1751): harmless, Node clamps it to 1 ms.
# A bounded heap and two malloc arenas keep each service under 250 MB resident (as docker/Dockerfile).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
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

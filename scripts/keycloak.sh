#!/usr/bin/env bash
# Runs a real Keycloak (the identity provider) locally, without Docker, in dev mode on loopback,
# with the `ruta` realm imported from docker/keycloak/ruta-realm.json (the file compose mounts).
# The server distribution comes from Maven Central (org.keycloak:keycloak-quarkus-dist, zip)
# through scripts/keycloak/pom.xml and is unpacked per version under $RUTA_KEYCLOAK_HOME.
#
# The Keycloak version is pinned in ONE place: the `image: quay.io/keycloak/keycloak:<version>`
# line of the repository's docker-compose.yml.
#
# Usage: scripts/keycloak.sh <command> [args]
#   start             fetch and unpack the distribution (once per version), start Keycloak in the
#                     background and wait until the realm answers. Harmless when already running.
#                     The realm is re-imported (dev database wiped) whenever the realm file changed.
#   stop              SIGTERM, wait up to $KEYCLOAK_STOP_TIMEOUT s, then SIGKILL. Harmless when
#                     not running.
#   status            exit 0 if the realm answers, 1 otherwise.
#   logs [tail args]  tail the Keycloak log (default: last 100 lines; -f follows).
#   reset             stop and delete the dev database (the distribution is kept).
#   url               print the base URL (KEYCLOAK_URL for the tests).
#   version           print the pinned Keycloak version.
#
# Environment:
#   KEYCLOAK_PORT             HTTP port on 127.0.0.1                     (default 8180)
#   KEYCLOAK_MANAGEMENT_PORT  health/metrics port on 127.0.0.1           (default 9180)
#   RUTA_KEYCLOAK_HOME        distribution/data/logs root                (default <repo>/.local/keycloak)
#   RUTA_KEYCLOAK_JAVA_HOME   a Java 21+ JDK (else the newest JDK >= 21 under /usr/lib/jvm,
#                             else JAVA_HOME or `java` on PATH when they are 21+)
#   JAVA_OPTS_KC_HEAP         Keycloak's heap                            (default -Xms64m -Xmx512m)
#   KEYCLOAK_START_TIMEOUT    seconds to wait for readiness              (default 120)
#   KEYCLOAK_STOP_TIMEOUT     seconds to wait after SIGTERM              (default 30)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib/service.sh
source "$SCRIPT_DIR/lib/service.sh"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
CONF_DIR="$SCRIPT_DIR/keycloak"
COMPOSE_FILE="$REPO_ROOT/docker-compose.yml"
REALM_FILE="$REPO_ROOT/docker/keycloak/ruta-realm.json"
REALM=ruta

KEYCLOAK_PORT="${KEYCLOAK_PORT:-8180}"
KEYCLOAK_MANAGEMENT_PORT="${KEYCLOAK_MANAGEMENT_PORT:-9180}"
RUTA_KEYCLOAK_HOME="${RUTA_KEYCLOAK_HOME:-$REPO_ROOT/.local/keycloak}"
# Modest heap: Keycloak shares 2 cores / 24 GiB with Kafka, PostgreSQL and five services.
export JAVA_OPTS_KC_HEAP="${JAVA_OPTS_KC_HEAP:--Xms64m -Xmx512m}"
KEYCLOAK_START_TIMEOUT="${KEYCLOAK_START_TIMEOUT:-120}"
KEYCLOAK_STOP_TIMEOUT="${KEYCLOAK_STOP_TIMEOUT:-30}"
BASE_URL="http://127.0.0.1:$KEYCLOAK_PORT"

require_ports KEYCLOAK_PORT KEYCLOAK_MANAGEMENT_PORT KEYCLOAK_START_TIMEOUT KEYCLOAK_STOP_TIMEOUT

init_paths() {
  KEYCLOAK_VERSION="$(pinned_version "$COMPOSE_FILE" 'quay\.io/keycloak/keycloak' Keycloak quay.io/keycloak/keycloak Keycloak)"
  service_paths "$RUTA_KEYCLOAK_HOME" keycloak "$KEYCLOAK_VERSION" # keycloak.run: "<version> <port>"
  RUTA_KEYCLOAK_HOME="$SERVICE_HOME"
  LOG_FILE="$LOG_DIR/keycloak.log"
  DIST_DIR="$VERSION_DIR/keycloak-$KEYCLOAK_VERSION"
}

# Java major version of $1 (a java binary), or 0.
java_major() {
  local line major minor
  line="$("$1" -version 2>&1 | head -n 1)" || { echo 0; return; }
  read -r major minor <<<"$(sed -nE 's/.*version "([0-9]+)(\.([0-9]+))?.*/\1 \3/p' <<<"$line")"
  [[ "${major:-}" == 1 ]] && major="${minor:-0}"
  echo "${major:-0}"
}

# Keycloak 26 needs Java 21+; the machine's default java may be older (17 here), so look for one.
KC_JAVA_HOME=""
need_java() {
  if [[ -n "${RUTA_KEYCLOAK_JAVA_HOME:-}" ]]; then
    [[ -x "$RUTA_KEYCLOAK_JAVA_HOME/bin/java" ]] \
      || die "RUTA_KEYCLOAK_JAVA_HOME is '$RUTA_KEYCLOAK_JAVA_HOME' but it has no executable bin/java"
    (($(java_major "$RUTA_KEYCLOAK_JAVA_HOME/bin/java") >= 21)) \
      || die "RUTA_KEYCLOAK_JAVA_HOME ($RUTA_KEYCLOAK_JAVA_HOME) is older than Java 21; Keycloak $KEYCLOAK_VERSION needs 21+"
    KC_JAVA_HOME="$RUTA_KEYCLOAK_JAVA_HOME"
    return
  fi
  local best=0 home major candidates=()
  for home in /usr/lib/jvm/*/; do candidates+=("${home%/}"); done
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for home in "${candidates[@]}"; do
    [[ -x "$home/bin/java" ]] || continue
    major="$(java_major "$home/bin/java")"
    if ((major >= 21 && major > best)); then best="$major"; KC_JAVA_HOME="$home"; fi
  done
  [[ -n "$KC_JAVA_HOME" ]] \
    || die "Keycloak $KEYCLOAK_VERSION needs a Java 21+ JDK: none under /usr/lib/jvm, nor in JAVA_HOME or on PATH; install one (e.g. a Temurin 21 or 25 JDK) or set RUTA_KEYCLOAK_JAVA_HOME"
}

# ------------------------------------------------------------ distribution ---

ensure_dist() {
  [[ -f "$DIST_DIR/.complete" ]] && return 0
  need_mvn "Keycloak $KEYCLOAK_VERSION"
  note "fetching Keycloak $KEYCLOAK_VERSION (keycloak-quarkus-dist zip) with Maven into $VERSION_DIR ..."
  local tmp="$VERSION_DIR/unpack.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  run_mvn "$CONF_DIR/pom.xml" "$tmp" "could not fetch org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip" \
    -Dkeycloak.version="$KEYCLOAK_VERSION" -Dkeycloak.unpackDir="$tmp" dependency:unpack
  [[ -x "$tmp/keycloak-$KEYCLOAK_VERSION/bin/kc.sh" ]] \
    || { rm -rf "$tmp"; die "Maven finished but $tmp/keycloak-$KEYCLOAK_VERSION/bin/kc.sh is missing"; }
  rm -rf "$DIST_DIR"
  mv "$tmp/keycloak-$KEYCLOAK_VERSION" "$DIST_DIR"
  rm -rf "$tmp"
  touch "$DIST_DIR/.complete"
}

# The realm file goes to the distribution's data/import; a changed file wipes the dev database
# first, since --import-realm skips a realm that already exists.
stage_realm() {
  [[ -f "$REALM_FILE" ]] || die "missing realm file $REALM_FILE"
  local sum stamp="$DIST_DIR/data/.realm.sha256"
  sum="$(sha256sum "$REALM_FILE" | cut -d' ' -f1)"
  if [[ "$(cat "$stamp" 2>/dev/null || true)" != "$sum" ]]; then
    [[ -d "$DIST_DIR/data/h2" ]] && note "realm file changed: wiping the dev database so it is imported afresh"
    rm -rf "$DIST_DIR/data/h2"
  fi
  mkdir -p "$DIST_DIR/data/import"
  cp "$REALM_FILE" "$DIST_DIR/data/import/$REALM-realm.json"
  echo "$sum" >"$stamp"
}

# ----------------------------------------------------------------- process ---

# Prints the pid if the pid file names a live process of our distribution: kc.sh, which waits on
# the JVM and forwards signals to it, or the JVM itself when kc.sh re-exec'd after a rebuild.
server_pid() { live_pid -F -- "$RUTA_KEYCLOAK_HOME/"; }

# A real client call: the realm's OpenID discovery document answers and names its issuer.
probe() {
  port_open "$KEYCLOAK_PORT" || return 1
  curl -fsS --max-time 5 "$BASE_URL/realms/$REALM/.well-known/openid-configuration" 2>/dev/null \
    | grep -q "\"issuer\":\"$BASE_URL/realms/$REALM\""
}

show_log_tail() {
  echo "----- last 40 lines of $LOG_FILE -----" >&2
  tail -n 40 "$LOG_FILE" >&2 2>/dev/null || echo "(no log)" >&2
}

# Waits until the probe succeeds. $1 = pid to watch, $2 = start time (ms).
wait_ready() {
  local pid="$1" t0="$2"
  printf 'Waiting for Keycloak %s on %s ' "$KEYCLOAK_VERSION" "$BASE_URL" >&2
  if wait_for_probe "$pid" "$KEYCLOAK_START_TIMEOUT" Keycloak; then
    echo "Keycloak $KEYCLOAK_VERSION ready on $BASE_URL (realm $REALM) in $(elapsed_since "$t0")s"
    return 0
  fi
  echo "keycloak.sh: realm $REALM did not answer on $BASE_URL within ${KEYCLOAK_START_TIMEOUT}s; stopping Keycloak" >&2
  show_log_tail
  stop_server >&2 || true
  exit 1
}

stop_server() {
  local pid
  pid="$(server_pid)" || { rm -f "$PID_FILE" "$RUN_FILE"; echo "Keycloak is not running"; return 0; }
  # The whole process group (setsid made $pid its leader): kc.sh and its JVM.
  terminate "$pid" "$KEYCLOAK_STOP_TIMEOUT" Keycloak 1
  rm -f "$PID_FILE" "$RUN_FILE"
  echo "Keycloak stopped (pid $pid)"
}

# ---------------------------------------------------------------- commands ---

cmd_start() {
  local t0 pid
  t0="$(now_ms)"
  need_java
  with_lock
  mkdir -p "$LOG_DIR"
  if pid="$(server_pid)"; then
    local running want="$KEYCLOAK_VERSION $KEYCLOAK_PORT"
    running="$(cat "$RUN_FILE" 2>/dev/null || true)"
    [[ -z "$running" || "$running" == "$want" ]] \
      || die "a Keycloak from $RUTA_KEYCLOAK_HOME already runs (pid $pid, version/port $running) but $want was asked for; run 'scripts/keycloak.sh stop' first"
    if probe; then
      echo "Keycloak $KEYCLOAK_VERSION already running on $BASE_URL (pid $pid)"
      return 0
    fi
    note "Keycloak process $pid is alive but realm $REALM does not answer yet"
    wait_ready "$pid" "$t0"
    return 0
  fi
  rm -f "$PID_FILE" "$RUN_FILE"
  if port_open "$KEYCLOAK_PORT"; then
    if probe; then
      note "a Keycloak NOT started by this script already serves realm $REALM on $BASE_URL; leaving it alone"
      return 0
    fi
    die "port $KEYCLOAK_PORT is already in use by something that is not Keycloak with realm $REALM (set KEYCLOAK_PORT)"
  fi
  port_open "$KEYCLOAK_MANAGEMENT_PORT" \
    && die "management port $KEYCLOAK_MANAGEMENT_PORT is already in use (set KEYCLOAK_MANAGEMENT_PORT)"

  ensure_dist
  stage_realm
  [[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
  # setsid: Keycloak outlives the calling shell, in a process group of its own; the inner shell
  # writes its pid, which exec hands to kc.sh. 9>&- : the server must not inherit the lock.
  # The hostname is fixed so every token carries the same issuer, however it was fetched.
  # Admin console login admin/admin exists only on this loopback dev server.
  # shellcheck disable=SC2016  # $$/$@ belong to the inner shell
  JAVA_HOME="$KC_JAVA_HOME" KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
    setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
    "$DIST_DIR/bin/kc.sh" start-dev --import-realm \
    --http-host=127.0.0.1 --http-port="$KEYCLOAK_PORT" \
    --http-management-port="$KEYCLOAK_MANAGEMENT_PORT" \
    --hostname="$BASE_URL" --health-enabled=true \
    </dev/null >"$LOG_FILE" 2>&1 9>&- &
  record_launch $! "$KEYCLOAK_VERSION $KEYCLOAK_PORT"
  pid="$LAUNCHED_PID"
  note "started Keycloak $KEYCLOAK_VERSION (pid $pid, Java $(java_major "$KC_JAVA_HOME/bin/java") from $KC_JAVA_HOME), log in $LOG_FILE"
  wait_ready "$pid" "$t0"
}

cmd_status() {
  local pid=""
  pid="$(server_pid)" || pid=""
  if probe; then
    if [[ -n "$pid" ]]; then
      echo "Keycloak $KEYCLOAK_VERSION is up on $BASE_URL, realm $REALM (pid $pid)"
    else
      echo "A Keycloak (not started by this script) serves realm $REALM on $BASE_URL"
    fi
    return 0
  fi
  if [[ -n "$pid" ]]; then
    echo "Keycloak process $pid is running but realm $REALM does not answer on $BASE_URL"
  else
    echo "Keycloak is not running"
  fi
  return 1
}

cmd_reset() {
  with_lock
  stop_server
  rm -rf "$DIST_DIR/data/h2" "$DIST_DIR/data/.realm.sha256"
  echo "deleted the dev database of Keycloak $KEYCLOAK_VERSION"
}

cmd="${1:-}"
case "$cmd" in
  start | stop | status | logs | reset | url | version) shift; init_paths ;;
  -h | --help | help) usage; exit 0 ;;
  *) usage >&2; exit 2 ;;
esac
case "$cmd" in
  start) cmd_start "$@" ;;
  stop) with_lock; stop_server ;;
  status) cmd_status ;;
  logs) tail_log "$LOG_FILE" "$@" ;;
  reset) cmd_reset ;;
  url) echo "$BASE_URL" ;;
  version) echo "$KEYCLOAK_VERSION" ;;
esac

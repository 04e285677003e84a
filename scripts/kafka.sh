#!/usr/bin/env bash
# Runs a real single-node Apache Kafka broker (KRaft combined mode) locally,
# without Docker. The broker jars come from Maven Central through
# scripts/kafka/pom.xml and are cached per version under $RUTA_KAFKA_HOME.
#
# The Kafka version is pinned in ONE place: the `image: apache/kafka:<version>`
# line of the repository's docker-compose.yml.
#
# Usage: scripts/kafka.sh <command> [args]
#   start             resolve jars (once per version), format storage (once),
#                     start the broker in the background and wait until a real
#                     client call succeeds. Harmless when already running.
#   stop              SIGTERM, wait up to $KAFKA_STOP_TIMEOUT s, then SIGKILL.
#                     Harmless when not running.
#   kill              SIGKILL the broker (a crash: no clean shutdown, logs
#                     recovered at the next start) and wait until its process
#                     is gone. Harmless when not running.
#   status            exit 0 if the broker answers a client call, 1 otherwise.
#   logs [tail args]  tail the broker log (default: last 100 lines; -f follows).
#   reset             stop and delete the data dirs (the jars are kept).
#   run <Main> [args] run a Java main class from the broker's jars, e.g.
#                     run org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:9092 --list
#   classpath         print the classpath (libs/*) of the cached jars.
#   version           print the pinned Kafka version.
#
# Environment:
#   KAFKA_PORT             PLAINTEXT listener port        (default 9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller listener port (default 9093)
#   RUTA_KAFKA_HOME        jars/data/logs root            (default <repo>/.local/kafka)
#   KAFKA_HEAP_OPTS        broker heap                    (default -Xmx512m -Xms256m)
#   KAFKA_OPTS             extra broker JVM options       (default empty)
#   KAFKA_START_TIMEOUT    seconds to wait for readiness  (default 90)
#   KAFKA_STOP_TIMEOUT     seconds to wait after SIGTERM  (default 30)
#   KAFKA_TOOL_OPTS        JVM options for `run`          (default -Xmx512m)
#   JAVA_HOME              Java 17+ to use (else `java` on PATH)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib/service.sh
source "$SCRIPT_DIR/lib/service.sh"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
CONF_DIR="$SCRIPT_DIR/kafka"
COMPOSE_FILE="$REPO_ROOT/docker-compose.yml"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
RUTA_KAFKA_HOME="${RUTA_KAFKA_HOME:-$REPO_ROOT/.local/kafka}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m}"
KAFKA_OPTS="${KAFKA_OPTS:-}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"

# Main classes (all present in kafka_2.13 / kafka-tools 4.x).
BROKER_MAIN=kafka.Kafka
STORAGE_MAIN=kafka.tools.StorageTool
PROBE_MAIN=org.apache.kafka.tools.BrokerApiVersionsCommand

# Short-lived helper JVMs (readiness probe, storage format): small heap, C1
# only, for fast startup. Logging: log4j2 default config (no config file =>
# ERROR-level console logging only).
TOOL_JAVA_OPTS=(-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true)
# `run` (benchmarks, admin tools): full JIT. KAFKA_TOOL_OPTS overrides.
read -r -a RUN_JAVA_OPTS <<<"${KAFKA_TOOL_OPTS:--Xmx512m -Djava.awt.headless=true}"

# ---------------------------------------------------------------- settings ---

require_ports KAFKA_PORT KAFKA_CONTROLLER_PORT KAFKA_START_TIMEOUT KAFKA_STOP_TIMEOUT

init_paths() {
  KAFKA_VERSION="$(pinned_version "$COMPOSE_FILE" '(docker\.io/)?apache/kafka' Kafka apache/kafka apache/kafka)"
  service_paths "$RUTA_KAFKA_HOME" kafka "$KAFKA_VERSION" # kafka.run: "<version> <port> <controller port>"
  RUTA_KAFKA_HOME="$SERVICE_HOME"
  LIBS_DIR="$VERSION_DIR/libs"
  DATA_DIR="$VERSION_DIR/data"
  PROPS_FILE="$VERSION_DIR/server.properties"
  CLASSPATH_GLOB="$LIBS_DIR/*"
}

JAVA=""
need_java() {
  if [[ -n "${JAVA_HOME:-}" ]]; then
    JAVA="$JAVA_HOME/bin/java"
    [[ -x "$JAVA" ]] || die "JAVA_HOME is set to '$JAVA_HOME' but $JAVA is not executable"
  else
    JAVA="$(command -v java || true)"
    [[ -n "$JAVA" ]] || die "java not found: install a JDK 17+ or set JAVA_HOME"
  fi
  local line major minor
  line="$("$JAVA" -version 2>&1 | head -n 1)"
  major="$(sed -nE 's/.*version "([0-9]+)(\.([0-9]+))?.*/\1 \3/p' <<<"$line")"
  read -r major minor <<<"$major"
  [[ "$major" == 1 ]] && major="${minor:-0}"
  [[ "${major:-0}" -ge 17 ]] || die "Kafka $KAFKA_VERSION needs Java 17+, but $JAVA is: $line"
}

# -------------------------------------------------------------------- jars ---

ensure_libs() {
  [[ -f "$LIBS_DIR/.complete" ]] && return 0
  need_mvn "the Kafka $KAFKA_VERSION jars"
  note "fetching Kafka $KAFKA_VERSION jars with Maven into $LIBS_DIR ..."
  local tmp="$VERSION_DIR/libs.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$VERSION_DIR"
  run_mvn "$CONF_DIR/pom.xml" "$tmp" "could not resolve the Kafka $KAFKA_VERSION jars" -Dkafka.version="$KAFKA_VERSION" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp"
  [[ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" && -f "$tmp/kafka-tools-$KAFKA_VERSION.jar" ]] \
    || { rm -rf "$tmp"; die "Maven finished but kafka_2.13/kafka-tools $KAFKA_VERSION jars are missing"; }
  touch "$tmp/.complete"
  rm -rf "$LIBS_DIR"
  mv "$tmp" "$LIBS_DIR"
}

# ----------------------------------------------------------------- process ---

# Prints the pid if the pid file names a live Kafka broker JVM.
broker_pid() { live_pid -- " $BROKER_MAIN "; }

# A real client round-trip (ApiVersions request through the Kafka Java admin
# client). Output goes to $LOG_DIR/probe.out.
probe() {
  [[ -f "$LIBS_DIR/.complete" ]] || return 1
  port_open "$KAFKA_PORT" || return 1
  mkdir -p "$LOG_DIR"
  timeout 30 "$JAVA" "${TOOL_JAVA_OPTS[@]}" -cp "$CLASSPATH_GLOB" "$PROBE_MAIN" \
      --bootstrap-server "127.0.0.1:$KAFKA_PORT" >"$LOG_DIR/probe.out" 2>&1 \
    && grep -q "^127.0.0.1:$KAFKA_PORT (id: " "$LOG_DIR/probe.out"
}

render_properties() {
  local tpl="$CONF_DIR/server.properties.template"
  [[ -f "$tpl" ]] || die "missing $tpl"
  local s
  s="$(<"$tpl")"
  s="${s//\$\{KAFKA_PORT\}/$KAFKA_PORT}"
  s="${s//\$\{KAFKA_CONTROLLER_PORT\}/$KAFKA_CONTROLLER_PORT}"
  s="${s//\$\{KAFKA_DATA_DIR\}/$DATA_DIR}"
  local left
  # shellcheck disable=SC2016  # literal ${...} on purpose
  left="$(grep -v '^[[:space:]]*#' <<<"$s" | grep -o '\${[A-Za-z_]*}' | sort -u | tr '\n' ' ' || true)"
  [[ -z "$left" ]] || die "unreplaced placeholder(s) in $tpl: $left"
  printf '%s\n' "$s" >"$PROPS_FILE.tmp"
  mv "$PROPS_FILE.tmp" "$PROPS_FILE"
}

random_cluster_id() { # a Kafka Uuid: 16 random bytes, base64url without padding
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "${id:0:1}" != "-" ]] && { echo "$id"; return; }
  done
}

format_storage() {
  [[ -f "$DATA_DIR/kraft-combined-logs/meta.properties" ]] && return 0
  mkdir -p "$DATA_DIR"
  local id out
  id="$(random_cluster_id)"
  note "formatting KRaft storage in $DATA_DIR (cluster id $id)"
  if ! out="$("$JAVA" "${TOOL_JAVA_OPTS[@]}" -cp "$CLASSPATH_GLOB" "$STORAGE_MAIN" format \
        --config "$PROPS_FILE" --cluster-id "$id" --ignore-formatted 2>&1)"; then
    echo "$out" >&2
    die "KRaft storage format failed"
  fi
}

# Byte offset of server.log when this run launched the broker, so that a
# failed start shows only this run's lines (kafka.out is truncated at launch).
LAUNCH_LOG_OFF=0
file_size() { stat -c %s "$1" 2>/dev/null || echo 0; }
tail_since() { # $1 = file, $2 = byte offset, $3 = lines
  local f="$1" off="$2"
  (($(file_size "$f") >= off)) || off=0 # rolled over meanwhile
  tail -c "+$((off + 1))" "$f" | tail -n "$3"
}

show_log_tail() {
  local f="$LOG_DIR/server.log" o="$LOG_DIR/kafka.out"
  echo "----- last 40 lines of $f (this start) -----" >&2
  if [[ -f "$f" ]]; then tail_since "$f" "$LAUNCH_LOG_OFF" 40 >&2; else echo "(no server.log)" >&2; fi
  if [[ -s "$o" ]]; then
    echo "----- last 20 lines of $o (JVM stdout/stderr) -----" >&2
    tail -n 20 "$o" >&2
  fi
}

# Waits until the probe succeeds. $1 = pid to watch, $2 = start time (ms).
wait_ready() {
  local pid="$1" t0="$2"
  printf 'Waiting for Kafka %s on 127.0.0.1:%s ' "$KAFKA_VERSION" "$KAFKA_PORT" >&2
  if wait_for_probe "$pid" "$KAFKA_START_TIMEOUT" broker; then
    echo "Kafka $KAFKA_VERSION ready on 127.0.0.1:$KAFKA_PORT in $(elapsed_since "$t0")s"
    return 0
  fi
  echo "kafka.sh: Kafka did not answer on 127.0.0.1:$KAFKA_PORT within ${KAFKA_START_TIMEOUT}s; stopping it" >&2
  [[ -s "$LOG_DIR/probe.out" ]] && { echo "----- last client probe output -----" >&2; tail -n 5 "$LOG_DIR/probe.out" >&2; }
  show_log_tail
  stop_broker >&2 || true
  exit 1
}

# No broker runs: the files of one that died go too.
no_broker() {
  rm -f "$PID_FILE" "$RUN_FILE"
  echo "Kafka is not running"
}

stop_broker() {
  local pid
  pid="$(broker_pid)" || { no_broker; return 0; }
  terminate "$pid" "$KAFKA_STOP_TIMEOUT" broker 0
  rm -f "$PID_FILE" "$RUN_FILE"
  echo "Kafka stopped (pid $pid)"
}

# A crash, for fault-injection tests: no controlled shutdown, the next start recovers the logs.
kill_broker() {
  local pid
  pid="$(broker_pid)" || { no_broker; return 0; }
  kill -KILL "$pid" 2>/dev/null || true
  wait_gone "$pid" 30 || die "broker ($pid) still alive 30s after SIGKILL"
  rm -f "$PID_FILE" "$RUN_FILE"
  echo "Kafka killed (pid $pid)"
}

# ---------------------------------------------------------------- commands ---

cmd_start() {
  local t0
  t0="$(now_ms)"
  need_java
  with_lock
  mkdir -p "$LOG_DIR"
  ensure_libs

  local pid
  if pid="$(broker_pid)"; then
    local running want="$KAFKA_VERSION $KAFKA_PORT $KAFKA_CONTROLLER_PORT"
    running="$(cat "$RUN_FILE" 2>/dev/null || true)"
    if [[ -n "$running" && "$running" != "$want" ]]; then
      read -r rv rp rc <<<"$running"
      die "a broker from $RUTA_KAFKA_HOME is already running (pid $pid): Kafka $rv on ports $rp/$rc, but Kafka $KAFKA_VERSION on $KAFKA_PORT/$KAFKA_CONTROLLER_PORT was asked for; run 'scripts/kafka.sh stop' first or use another RUTA_KAFKA_HOME"
    fi
    if probe; then
      echo "Kafka $KAFKA_VERSION already running on 127.0.0.1:$KAFKA_PORT (pid $pid)"
      return 0
    fi
    # Alive but not answering yet (e.g. an earlier start was interrupted).
    note "broker process $pid is alive but not answering on 127.0.0.1:$KAFKA_PORT yet"
    wait_ready "$pid" "$t0"
    return 0
  fi
  rm -f "$PID_FILE" "$RUN_FILE"

  if port_open "$KAFKA_PORT"; then
    if probe; then
      note "a Kafka broker NOT started by this script already answers on 127.0.0.1:$KAFKA_PORT; leaving it alone"
      return 0
    fi
    die "port $KAFKA_PORT is already in use by something that is not Kafka (set KAFKA_PORT)"
  fi
  port_open "$KAFKA_CONTROLLER_PORT" \
    && die "controller port $KAFKA_CONTROLLER_PORT is already in use (set KAFKA_CONTROLLER_PORT)"

  render_properties
  format_storage

  LAUNCH_LOG_OFF="$(file_size "$LOG_DIR/server.log")"
  : >"$LOG_DIR/kafka.out" # JVM stdout/stderr of the current run only
  # setsid: the broker gets its own session so it outlives the calling shell.
  # The inner shell writes its own pid (== the JVM's pid after exec).
  # 9>&- : the broker must not inherit the lock file descriptor.
  # shellcheck disable=SC2086,SC2016  # word-split opts; $$/$@ belong to the inner shell
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
    "$JAVA" -server $KAFKA_HEAP_OPTS \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
    -Dkafka.logs.dir="$LOG_DIR" \
    -Dlog4j2.configurationFile="$CONF_DIR/log4j2.properties" \
    $KAFKA_OPTS \
    -cp "$CLASSPATH_GLOB" "$BROKER_MAIN" "$PROPS_FILE" \
    </dev/null >>"$LOG_DIR/kafka.out" 2>&1 9>&- &
  record_launch $! "$KAFKA_VERSION $KAFKA_PORT $KAFKA_CONTROLLER_PORT"
  pid="$LAUNCHED_PID"
  note "started Kafka $KAFKA_VERSION (pid $pid), logs in $LOG_DIR/server.log"
  wait_ready "$pid" "$t0"
}

cmd_stop() {
  with_lock
  stop_broker
}

cmd_kill() {
  with_lock
  kill_broker
}

cmd_status() {
  need_java
  local pid=""
  pid="$(broker_pid)" || pid=""
  if probe; then
    if [[ -n "$pid" ]]; then
      echo "Kafka $KAFKA_VERSION is up on 127.0.0.1:$KAFKA_PORT (pid $pid)"
    else
      echo "A Kafka broker (not started by this script) is up on 127.0.0.1:$KAFKA_PORT"
    fi
    return 0
  fi
  if [[ -n "$pid" ]]; then
    echo "Kafka process $pid ($(awk '{print "version " $1 ", port " $2}' "$RUN_FILE" 2>/dev/null)) is running but does not answer on 127.0.0.1:$KAFKA_PORT"
  else
    echo "Kafka is not running"
  fi
  return 1
}

cmd_reset() {
  with_lock
  stop_broker
  local d removed=0
  for d in "$RUTA_KAFKA_HOME"/*/data; do
    [[ -d "$d" ]] || continue
    rm -rf "$d"
    echo "deleted $d"
    removed=1
  done
  ((removed)) || echo "no data dir to delete"
}

cmd_run() {
  (($# >= 1)) || die "usage: kafka.sh run <main-class> [args...]"
  need_java
  with_lock
  ensure_libs
  exec 9>&-
  local main="$1"
  shift
  exec "$JAVA" "${RUN_JAVA_OPTS[@]}" -cp "$CLASSPATH_GLOB" "$main" "$@"
}

cmd_classpath() {
  with_lock
  ensure_libs
  echo "$CLASSPATH_GLOB"
}

cmd="${1:-}"
case "$cmd" in
  start | stop | kill | status | logs | reset | run | classpath | version) shift; init_paths ;;
  -h | --help | help) usage; exit 0 ;;
  *) usage >&2; exit 2 ;;
esac
case "$cmd" in
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  kill) cmd_kill "$@" ;;
  status) cmd_status "$@" ;;
  logs) tail_log "$LOG_DIR/server.log" "$@" ;;
  reset) cmd_reset "$@" ;;
  run) cmd_run "$@" ;;
  classpath) cmd_classpath "$@" ;;
  version) echo "$KAFKA_VERSION" ;;
esac

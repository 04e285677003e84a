# shellcheck shell=bash
# Sourced by scripts/kafka.sh and scripts/keycloak.sh: what both need to run one local server in
# the background (pinned version, lock, pid file, readiness wait, stop). Each script defines
# `probe` (a real client call) and `show_log_tail` (its logs after a failed start).

# The sourcing script, for usage and for the prefix of its messages.
SERVICE_SCRIPT_PATH="${BASH_SOURCE[1]}"
SERVICE_SCRIPT="$(basename "$SERVICE_SCRIPT_PATH")"

die() { echo "$SERVICE_SCRIPT: error: $*" >&2; exit 1; }
note() { echo "$SERVICE_SCRIPT: $*" >&2; }

now_ms() { date +%s%3N; }
elapsed_since() { # $1 = start in ms -> "12.3"
  local d=$(( $(now_ms) - $1 ))
  printf '%d.%d' $((d / 1000)) $(((d % 1000) / 100))
}

usage() {
  sed -n '2,/^set -euo pipefail/p' "$SERVICE_SCRIPT_PATH" | sed -e '$d' -e 's/^# \{0,1\}//'
}

# $1, $2 = names of two distinct port variables; the rest = more variables that must be numbers.
require_ports() {
  local v
  for v in "$@"; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a number, got '${!v}'"
  done
  [[ "${!1}" != "${!2}" ]] || die "$1 and $2 must differ (both ${!1})"
}

# The one x.y.z version of image $2 (an ERE, e.g. apache/kafka) in compose file $1; $3 names
# the product and $4 the image in messages, $5 the image when several versions are found.
pinned_version() {
  local file="$1" image_re="$2" product="$3" image="$4" several="$5" versions groups
  [[ -f "$file" ]] \
    || die "cannot find $file; the $product version is read from its 'image: $image:<version>' line"
  groups="${image_re//[^(]/}" # the version is the capture group after the image's own groups
  versions="$(sed -nE "s#^[[:space:]]*image:[[:space:]]*[\"']?$image_re:([0-9]+\.[0-9]+\.[0-9]+)[\"']?[[:space:]]*(\#.*)?\$#\\$((${#groups} + 1))#p" \
    "$file" | sort -u)"
  [[ -n "$versions" ]] \
    || die "no 'image: $image:<x.y.z>' line in $file; it pins the $product version used by scripts/$SERVICE_SCRIPT"
  [[ "$(wc -l <<<"$versions")" -eq 1 ]] \
    || die "several $several versions in $file ($(tr '\n' ' ' <<<"$versions")); keep one"
  echo "$versions"
}

# Makes home $1 absolute (SERVICE_HOME) and names the files of server $2 at version $3 in it.
# shellcheck disable=SC2034  # the sourcing script uses them
service_paths() {
  mkdir -p "$1"
  SERVICE_HOME="$(cd "$1" && pwd)"
  LOG_DIR="$SERVICE_HOME/logs"
  PID_FILE="$SERVICE_HOME/$2.pid"
  RUN_FILE="$SERVICE_HOME/$2.run" # "<version> <port>..." of the running server
  LOCK_FILE="$SERVICE_HOME/.lock"
  VERSION_DIR="$SERVICE_HOME/$3"
}

with_lock() {
  exec 9>"$LOCK_FILE"
  flock -w 600 9 || die "could not lock $LOCK_FILE (another $SERVICE_SCRIPT still running?)"
}

need_mvn() { # $1 = what it fetches
  command -v mvn >/dev/null 2>&1 || die "mvn (Maven) not found: it is needed once to fetch $1"
}

# Maven on pom $1 with the rest as arguments. Output goes to $VERSION_DIR/mvn.log (Maven 3.8
# prints stray ANSI resets even with -B), shown only on failure: then temp dir $2 goes and the
# error says Maven $3.
run_mvn() {
  local pom="$1" tmp="$2" failed="$3" mvn_log="$VERSION_DIR/mvn.log"
  shift 3
  if ! mvn -q -B -Dstyle.color=never -f "$pom" "$@" >"$mvn_log" 2>&1; then
    sed -e 's/\x1b\[[0-9;]*m//g' "$mvn_log" | tail -n 40 >&2
    rm -rf "$tmp"
    die "Maven $failed (output above, full log in $mvn_log)"
  fi
}

# Prints the pid if the pid file names a live process whose command line matches `grep -q "$@"`
# (a guard against pid reuse).
live_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(tr -dc '0-9' <"$PID_FILE")"
  [[ -n "$pid" ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$@" || return 1
  fi
  echo "$pid"
}

port_open() { # $1 = port
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# After a detached launch (launcher pid $1): the pid the inner shell wrote, else the launcher's,
# in PID_FILE and LAUNCHED_PID; run line $2 in RUN_FILE.
record_launch() {
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s "$PID_FILE" ]] && break
    sleep 0.1
  done
  LAUNCHED_PID="$(tr -dc '0-9' <"$PID_FILE" 2>/dev/null || true)"
  [[ -n "$LAUNCHED_PID" ]] || LAUNCHED_PID="$1"
  echo "$LAUNCHED_PID" >"$PID_FILE"
  echo "$2" >"$RUN_FILE"
}

# Polls `probe` once a second, printing a dot, while process $1 lives, for up to $2 s: 0 once it
# answers, 1 at the deadline. A process that exits loses its files and ends the script, after
# "<script>: the $3 process (<pid>) exited during startup" and show_log_tail.
wait_for_probe() {
  local pid="$1" deadline=$((SECONDS + $2))
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo >&2
      rm -f "$PID_FILE" "$RUN_FILE"
      echo "$SERVICE_SCRIPT: the $3 process ($pid) exited during startup" >&2
      show_log_tail
      exit 1
    fi
    if probe; then echo >&2; return 0; fi
    if ((SECONDS >= deadline)); then echo >&2; return 1; fi
    printf '.' >&2
    sleep 1
  done
}

# True once process $1 has exited, waiting up to $2 seconds for it.
wait_gone() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.1
  done
  ! kill -0 "$1" 2>/dev/null
}

# Sends signal $1 to pid $2, or first to its whole process group when $3 is 1.
signal_pid() {
  if (($3)); then kill -"$1" -- "-$2" 2>/dev/null && return 0; fi
  kill -"$1" "$2" 2>/dev/null || true
}

# SIGTERM to pid $1 (group when $4 is 1), up to $2 s for it to exit, then SIGKILL ($3 names it).
terminate() {
  signal_pid TERM "$1" "$4"
  if ! wait_gone "$1" "$2"; then
    note "$3 ($1) still alive after ${2}s, sending SIGKILL"
    signal_pid KILL "$1" "$4"
    wait_gone "$1" 5 || true
  fi
}

# Tails log $1: the last 100 lines, or with the remaining arguments.
tail_log() {
  local f="$1"
  shift
  [[ -f "$f" ]] || die "no log file yet ($f)"
  (($# == 0)) && exec tail -n 100 "$f"
  exec tail "$@" "$f"
}

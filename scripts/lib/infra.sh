# shellcheck shell=bash
# Sourced by the project's scripts: local infrastructure helpers (no Docker needed).

# True when a Docker engine answers (the client alone is not enough).
ruta_docker_engine() {
  command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1
}

# Starts the machine's PostgreSQL cluster when it is installed but not answering on 127.0.0.1:5432.
ruta_ensure_postgres() {
  if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then return 0; fi
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "ruta: starting the local PostgreSQL cluster" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start || true
  fi
  for _ in $(seq 1 30); do
    pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null && return 0
    sleep 1
  done
  echo "ruta: PostgreSQL does not answer on 127.0.0.1:5432; start it or set DATABASE_URL" >&2
  return 1
}

# Creates a database on the local server when it does not exist yet.
ruta_ensure_database() {
  local name="$1"
  if [ "$(psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")" != "1" ]; then
    psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE \"$name\"" >/dev/null
    echo "ruta: created database $name" >&2
  fi
}

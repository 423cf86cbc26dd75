#!/usr/bin/env bash
# Starts Debian's PostgreSQL cluster (installed by .ci/run) and makes the role and database the
# store tests use: postgres://anvil:anvil@127.0.0.1:5432/anvil. Idempotent; needs root.
set -euo pipefail
if ! command -v pg_lsclusters >/dev/null 2>&1; then
  echo "start-postgres: PostgreSQL is not installed (apt-get install postgresql); the PostgreSQL store tests will fail" >&2
  exit 0
fi
read -r version cluster _ <<<"$(pg_lsclusters -h | head -1)"
if [ -z "${version:-}" ]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -1)
  cluster=main
  pg_createcluster "$version" "$cluster" >/dev/null
fi
pg_ctlcluster "$version" "$cluster" start >/dev/null 2>&1 || true   # "already running" is fine
up=no
for _ in $(seq 1 50); do
  su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1 && { up=yes; break; }
  sleep 0.2
done
if [ "$up" = no ]; then
  echo "start-postgres: PostgreSQL $version/$cluster did not start; the PostgreSQL store tests will fail" >&2
  exit 0
fi
# The tests run in parallel: the store suite's PostgreSQL cases, the notification tests and three
# Anvil hosts of six daemons each (about 4–6 connections per process) at once need more than the
# default 100 connections.
if [ "$(su postgres -c "psql -qtAc 'show max_connections'")" -lt 400 ]; then
  su postgres -c "psql -qc 'alter system set max_connections = 400'" >/dev/null
  pg_ctlcluster "$version" "$cluster" restart >/dev/null
  for _ in $(seq 1 50); do
    su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1 && break
    sleep 0.2
  done
fi
su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname = 'anvil'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"create role anvil login superuser password 'anvil'\""
su postgres -c "psql -qtAc \"select 1 from pg_database where datname = 'anvil'\"" | grep -q 1 \
  || su postgres -c "createdb -O anvil anvil"
echo "start-postgres: PostgreSQL $version/$cluster on 127.0.0.1:5432, database anvil, max_connections $(su postgres -c "psql -qtAc 'show max_connections'")"

#!/usr/bin/env bash
# Start the machine's PostgreSQL 15 cluster if it is down, and give the current user a role and a
# database, "concerto" unless named (the tests create their own test_concerto next to it).
set -euo pipefail

if ! command -v pg_ctlcluster >/dev/null; then
  echo "PostgreSQL is not installed: apt-get install -y postgresql, or set DATABASE_URL." >&2
  exit 1
fi
if ! pg_lsclusters --no-header | grep -q "^15 *main .*online"; then
  pg_ctlcluster 15 main start
fi
me=$(whoami)
as_postgres() { if [ "$me" = postgres ]; then "$@"; else su postgres -c "$(printf '%q ' "$@")"; fi; }
if ! as_postgres psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$me'" | grep -q 1; then
  as_postgres createuser -s "$me"
fi
database=${1:-concerto}
if ! psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
  createdb "$database"
fi

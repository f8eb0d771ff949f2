#!/usr/bin/env bash
# The restore drill of docs/operations.md: restore a backup (pg_dump --format=custom) into a new
# scratch database next to the live one, migrate it, check it with Concerto's own commands, compare
# every initiative's outcome export with the live database's, and drop the scratch database.
#
#   scripts/restore_drill.sh /var/backups/concerto/concerto-2026-11-28.dump
#
# Run it with the server's environment (SECRET_KEY, DATABASE_URL of the live database, ...), as the
# database user the application uses, which needs the right to create databases. Exits 1 when a
# check fails or an export differs; an export that differs only by reports approved or reopened
# since the backup was taken is expected.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
dump=${1:?usage: scripts/restore_drill.sh BACKUP_FILE}
live=${DATABASE_URL:?set DATABASE_URL to the live database, as the server has it}
[ -r "$dump" ] || { echo "Cannot read $dump." >&2; exit 1; }

# The same server and credentials as the live database, another database name.
url_for() {
  "$PY" -c '
import sys, urllib.parse
url = urllib.parse.urlsplit(sys.argv[1])
print(f"{url.scheme}://{url.netloc}/{sys.argv[2]}" + (f"?{url.query}" if url.query else ""))
' "$live" "$1"
}
name=concerto_drill_$(date +%Y%m%d_%H%M%S)
scratch=$(url_for "$name")
maintenance=$(url_for postgres)
work=$(mktemp -d)
cleanup() {
  dropdb --if-exists --maintenance-db="$maintenance" "$name" || echo "Could not drop $name: drop it by hand." >&2
  rm -rf "$work"
}

echo "== restoring $dump into $name"
createdb --maintenance-db="$maintenance" "$name"
trap cleanup EXIT
pg_restore --no-owner --exit-on-error --dbname="$scratch" "$dump"

failed=0
run() {  # a manage.py command against the scratch database
  echo "== manage.py $*"
  DATABASE_URL=$scratch "$PY" manage.py "$@" || { failed=1; echo "!! manage.py $* failed" >&2; }
}
run check
run migrate --noinput  # nothing to do unless the backup predates this release
run rollups            # exits 1 when the pooled figures disagree with the values

for slug in $(psql "$scratch" -Atc "SELECT slug FROM impact_initiative ORDER BY slug"); do
  DATABASE_URL=$scratch "$PY" manage.py export_report "$slug" -o "$work/restored.csv" 2>/dev/null
  if ! "$PY" manage.py export_report "$slug" -o "$work/live.csv" 2>/dev/null; then
    echo "== $slug: in the backup, not in the live database"
    continue
  fi
  if cmp -s "$work/live.csv" "$work/restored.csv"; then
    echo "== $slug: the outcome export is the same ($(($(wc -l <"$work/live.csv") - 1)) rows)"
  else
    failed=1
    echo "!! $slug: the outcome export differs (< live, > backup):"
    diff "$work/live.csv" "$work/restored.csv" | head -20 || true
  fi
done

if [ "$failed" -ne 0 ]; then
  echo "The drill found differences or failures (above)." >&2
  exit 1
fi
echo "The backup restores and gives the same figures."

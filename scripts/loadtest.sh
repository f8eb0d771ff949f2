#!/usr/bin/env bash
# `make loadtest`: gunicorn (2 workers) on loopback serving the benchmark's M initiative, driven by
# wrk for 30 s at 16 concurrent logged-in connections over the dashboard, an indicator page and the
# outcome report. Prints requests per second, p50 and p99 latency and the errors, and appends them
# to docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DATABASE_URL=${BENCH_DATABASE_URL:-postgres:///concerto_bench}
export SECRET_KEY=loadtest ALLOWED_HOSTS=localhost SECURE_COOKIES=0 SECURE_SSL_REDIRECT=0
slug=bench-m

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq wrk >/dev/null; else sudo apt-get install -y -qq wrk >/dev/null; fi
fi
$PY manage.py bench --sizes M --generate-only
cookie=$($PY manage.py shell -c "
from django.contrib.auth import get_user_model
from django.test import Client
client = Client()
client.force_login(get_user_model().objects.get(username='$slug-backbone'))
print('sessionid=' + client.cookies['sessionid'].value)
" 2>/dev/null | tail -1)

port=$($PY -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
.venv/bin/gunicorn concerto.wsgi --workers 2 --bind "127.0.0.1:$port" --timeout 120 --log-level warning &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
$PY - "$port" <<'WAIT'
import sys, time, urllib.request
for _ in range(100):
    try:
        urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/healthz", headers={"Host": "localhost"}), timeout=2)
        break
    except OSError:
        time.sleep(0.2)
WAIT
# Warm both workers up, then measure.
LOADTEST_COOKIE=$cookie LOADTEST_SLUG=$slug wrk -t2 -c4 -d5s --timeout 60s -s scripts/loadtest.lua "http://127.0.0.1:$port" >/dev/null
out=$(LOADTEST_COOKIE=$cookie LOADTEST_SLUG=$slug wrk -t2 -c16 -d30s --timeout 60s --latency -s scripts/loadtest.lua "http://127.0.0.1:$port")
echo "$out"

rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
socket=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out"); socket=${socket:-0}
errors=$((non2xx + socket))
summary="| $(date +%F) | gunicorn 2 workers, wrk 16 connections, 30 s, M | $rps | $p50 | $p99 | $errors |"
echo
echo "| date | setup | requests/s | p50 | p99 | errors |"
echo "|---|---|---|---|---|---|"
echo "$summary"
if ! grep -q "^## Load test" docs/benchmarks.md 2>/dev/null; then
  printf '\n## Load test\n\n`make loadtest`: the dashboard, an indicator page and the outcome report of M, logged in as its coordinator.\n\n| date | setup | requests/s | p50 | p99 | errors |\n|---|---|---|---|---|---|\n' >> docs/benchmarks.md
fi
echo "$summary" >> docs/benchmarks.md
[ "$errors" -eq 0 ]

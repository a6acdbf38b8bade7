#!/usr/bin/env bash
# Load test of `tonchi serve` on loopback: /v1/check with real articles from ../shared/corpus/articles.
#   Tests/Load/run.sh [DURATION_SECONDS] [CONNECTIONS]      (defaults: 30 s, 50 connections)
# Needs wrk (Debian package `wrk`) and a built tonchi (TONCHI=path, default .build/release/tonchi).
# Prints requests/s, p50/p90/p99 latency, errors, and the server's RSS before, during and after.
# Fails when any request errors, or when p99 is over P99_LIMIT_MS (default: no limit).
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-${LOAD_DURATION:-30}}
CONNECTIONS=${2:-${LOAD_CONNECTIONS:-50}}
TONCHI=${TONCHI:-.build/release/tonchi}
SHARED=${TONCHI_SHARED:-../shared}
WORK=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk (make deps)"; exit 2; }
python3 Tests/Load/make_bodies.py "$SHARED/corpus/articles" "$WORK/bodies.jsonl" "${LOAD_BODIES:-300}"

"$TONCHI" serve --port 0 --charters Samples/charters > "$WORK/server.out" 2> "$WORK/server.err" &
SERVER=$!
for _ in $(seq 1 100); do grep -q "listening on" "$WORK/server.out" 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/server.out")
[ -n "$PORT" ] || { echo "server did not start"; cat "$WORK/server.err"; exit 1; }
rss() { awk '/VmRSS/ {print $2}' /proc/$SERVER/status; }

# Warm-up (first requests build caches and page in code), then measure.
wrk -t2 -c"$CONNECTIONS" -d2s -s Tests/Load/check.lua "http://127.0.0.1:$PORT" -- "$WORK/bodies.jsonl" > /dev/null
echo "load: server RSS after warm-up: $(rss) kB"
( while sleep 5; do echo "load: server RSS: $(rss) kB"; done ) & SAMPLER=$!
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency -s Tests/Load/check.lua "http://127.0.0.1:$PORT" -- "$WORK/bodies.jsonl" | tee "$WORK/wrk.out" | grep '^load:'
kill $SAMPLER 2>/dev/null || true
echo "load: server RSS after: $(rss) kB (peak $(awk '/VmHWM/ {print $2}' /proc/$SERVER/status) kB)"
curl -s "http://127.0.0.1:$PORT/metrics" | grep -E '^tonchi_(checks_total|rejected_total)' | sed 's/^/load: metrics: /' || true

errors=$(sed -n 's/^load: errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\), non-2xx \([0-9]*\)/\1 \2 \3 \4 \5/p' "$WORK/wrk.out" | awk '{print $1+$2+$3+$4+$5}')
[ "${errors:-1}" = 0 ] || { echo "load: FAILED: $errors error(s)"; exit 1; }
if [ -n "${P99_LIMIT_MS:-}" ]; then
  p99=$(sed -n 's/^load: latency .* p99 \([0-9.]*\) ms.*/\1/p' "$WORK/wrk.out")
  awk -v p="$p99" -v l="$P99_LIMIT_MS" 'BEGIN { exit !(p <= l) }' || { echo "load: FAILED: p99 $p99 ms over $P99_LIMIT_MS ms"; exit 1; }
fi
echo "load: ok"

#!/usr/bin/env bash
# Real clients: serve the sample site on 127.0.0.1, capture it with Debian's wget (mirror folder
# and WARC) and with warcio (PyPI), scan all three with tonchi, and require the same findings.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
tonchi="${TONCHI:-$root/.build/debug/tonchi}"
site="$root/Samples/sites/binhminh.example.vn"
work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

command -v wget >/dev/null || { echo "real-clients: wget is missing (apt-get install wget)"; exit 2; }
python3 -c 'import warcio, requests' 2>/dev/null || { echo "real-clients: python warcio and requests are missing (pip install warcio requests)"; exit 2; }

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$site" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break; python3 -c 'import time; time.sleep(0.1)'; done

base="http://127.0.0.1:$port/"
(cd "$work" && wget --quiet --mirror --warc-file=wget "$base" || true)
python3 "$root/Tests/RealClients/capture_warcio.py" "$base" "$work/warcio.warc.gz"

scan() { "$tonchi" scan --kind trang-ttdt-tong-hop --date 2025-03-01 --format json "$@" > "$work/out.json" || [ $? -le 1 ]; python3 "$root/Tests/RealClients/findings.py" "$work/out.json"; }
scan "$work/127.0.0.1:$port" > "$work/folder.txt"
scan "$work/wget.warc.gz" > "$work/wget.txt"
scan "$work/warcio.warc.gz" > "$work/warcio.txt"

status=0
for other in wget warcio; do
  if ! diff -u "$work/folder.txt" "$work/$other.txt"; then
    echo "real-clients: findings from the $other WARC differ from the mirror folder"; status=1
  fi
done
lines=$(wc -l < "$work/folder.txt")
[ "$lines" -ge 5 ] || { echo "real-clients: expected several findings, got $lines"; cat "$work/folder.txt"; status=1; }
[ $status -eq 0 ] && echo "real-clients: same $lines finding(s) from the mirror folder, the wget WARC and the warcio WARC"
exit $status

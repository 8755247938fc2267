#!/usr/bin/env bash
# A short, bounded HTTP load on examples/http-ws-server with wrk (8 connections,
# 2 s, keep-alive): every request must succeed; a correctness check, not a
# timing one. Usage: wrk_load.sh BUILD_DIR
set -euo pipefail
build=${1:?build dir}
work=$(mktemp -d)
log="$work/server.log"
mkdir -p "$work/root"
echo '<html>hello</html>' >"$work/root/index.html"
: >"$log" # exists before the background server opens it
"$build/examples/http-ws-server" -p 0 -r "$work/root" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
port=
for _ in $(seq 100); do
	port=$(sed -n 's/.*http-ws-server on port \([0-9]*\).*/\1/p' "$log")
	[ -n "$port" ] && break
	sleep 0.05
done
[ -n "$port" ] || { cat "$log"; exit 1; }
fail=0
for url in "/" "/dyn/x?name=wrk"; do
	out=$(timeout 30 wrk -t1 -c8 -d2s "http://127.0.0.1:$port$url")
	reqs=$(echo "$out" | sed -n 's/^ *\([0-9]*\) requests in.*/\1/p')
	if [ -z "$reqs" ] || [ "$reqs" -lt 100 ] || echo "$out" | grep -qE "Non-2xx|Socket errors"; then
		echo "FAIL wrk $url:"
		echo "$out"
		fail=$((fail + 1))
	else
		echo "ok   wrk $url: $reqs requests, all 2xx, no socket errors"
	fi
done
kill "$server"
wait "$server" && rc=0 || rc=$?
[ "$rc" -eq 0 ] || { echo "FAIL server exit $rc"; fail=$((fail + 1)); }
echo "$((2 + 1 - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]

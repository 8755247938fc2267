#!/usr/bin/env bash
# examples/http-client (connects from the OPERATIONAL notifier) against Python's
# http.server: content-length, chunked, 404, empty, POST bodies, and a 100 MiB
# body streamed in bounded memory (spec B4.5, B4.T9, B4.T10).
# Usage: client_against_python.sh BUILD_DIR
set -euo pipefail
build=${1:?build dir}
client="$build/examples/http-client"
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp)
python3 "$here/pyserver.py" >"$out" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.05; done
port=$(head -1 "$out")
fail=0
passed=0

expect_sum() { # n -> the client's checksum of the pattern body
	python3 -c "
import sys
n=int(sys.argv[1]); s=0
block=bytes((i*7+3)%251 for i in range(65536))
while n>0:
    p=block[:min(n,65536)]
    for b in p: s=(s*31+b)&0xffffffff
    n-=len(p)
print(s)" "$1"
}

check() { # name expected actual
	if [ "$2" == "$3" ]; then passed=$((passed + 1)); else echo "FAIL $1: expected [$2], got [$3]"; fail=$((fail + 1)); fi
}
run() { timeout 60 "$client" -p "$port" "$@" 2>/dev/null | tail -1; }

check "content-length body" "status 200 bytes 100000 sum $(expect_sum 100000) completed 1 redirects 0" "$(run --path /size/100000)"
check "chunked body" "status 200 bytes 300000 sum $(expect_sum 300000) completed 1 redirects 0" "$(run --path /chunked/300000)"
check "404 is a completed transaction" "status 404 bytes 0 sum 0 completed 1 redirects 0" "$(run --path /status/404)"
check "empty body" "status 200 bytes 0 sum 0 completed 1 redirects 0" "$(run --path /size/0)"
check "POST form body echoed" "status 200 bytes 11" "$(run --post hello=world --path /echo | cut -d' ' -f1-4)"
check "302 to an absolute URL is followed (B4.T12)" "status 200 bytes 10 sum $(expect_sum 10) completed 1 redirects 1" "$(run --path /redir/abs)"
check "302 to a path is followed" "status 200 bytes 20 sum $(expect_sum 20) completed 1 redirects 1" "$(run --path /redir/rel)"
check "303 after POST becomes a GET" "status 200 bytes 5 sum $(expect_sum 5) completed 1 redirects 1" "$(run --post x=1 --path /see-other)"
timing=$(mktemp)
big=$(/usr/bin/time -o "$timing" -f "%M" timeout 60 "$client" -p "$port" --path /size/104857600 2>/dev/null | tail -1)
rss=$(tail -1 "$timing")
rm -f "$timing"
check "100 MiB body, all of it" "status 200 bytes 104857600" "$(echo "$big" | cut -d' ' -f1-4)"
check "100 MiB body in under 32 MiB of memory" "yes" "$([ "$rss" -lt 32768 ] && echo yes || echo "no ($rss KiB)")"
echo "$passed passed, $fail failed"
[ "$fail" -eq 0 ]

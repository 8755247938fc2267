#!/usr/bin/env bash
# HTTP server behaviour checked with curl against examples/http-ws-server
# (spec B5.2, B5.3, B5.T1, B5.T11, B5.T12, B9.1). Usage: server_with_curl.sh BUILD_DIR
set -euo pipefail
build=${1:?build dir}
server_bin="$build/examples/http-ws-server"
work=$(mktemp -d)
log="$work/server.log"
fail=0
passed=0
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

mkdir -p "$work/root/sub"
echo '<html>index page</html>' >"$work/root/index.html"
echo 'sub index' >"$work/root/sub/index.html"
head -c 300000 /dev/urandom >"$work/root/big.txt"

: >"$log" # exists before the background server opens it: the port loop reads it at once
"$server_bin" -p 0 -r "$work/root" >"$log" 2>&1 &
server=$!
port=
for _ in $(seq 100); do
	port=$(sed -n 's/.*http-ws-server on port \([0-9]*\).*/\1/p' "$log")
	[ -n "$port" ] && break
	sleep 0.05
done
[ -n "$port" ] || { cat "$log"; echo "server did not start"; exit 1; }
base="http://127.0.0.1:$port"
c() { curl -s --max-time 10 "$@"; }

check() { # name expected actual
	if [ "$2" == "$3" ]; then
		passed=$((passed + 1))
	else
		echo "FAIL $1: expected [$2], got [$3]"
		fail=$((fail + 1))
	fi
}

check "GET / serves index.html" "<html>index page</html>" "$(c "$base/")"
check "GET / status" "200" "$(c -o /dev/null -w '%{http_code}' "$base/")"
etag=$(c -D - -o /dev/null "$base/" | tr -d '\r' | sed -n 's/^etag: //Ip')
check "ETag present" "yes" "$([ -n "$etag" ] && echo yes || echo no)"
check "If-None-Match gives 304" "304" "$(c -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$base/")"
check "HEAD has no body" "0" "$(c -I -o /dev/null -w '%{size_download}' "$base/index.html")"
c -o "$work/big.out" "$base/big.txt"
check "300 kB file intact" "same" "$(cmp -s "$work/big.out" "$work/root/big.txt" && echo same || echo differ)"
check "Range 206" "206" "$(c -o /dev/null -w '%{http_code}' -r 100-199 "$base/big.txt")"
check "Range bytes" "same" "$(cmp -s <(c -r 100-199 "$base/big.txt") <(dd if="$work/root/big.txt" bs=1 skip=100 count=100 2>/dev/null) && echo same || echo differ)"
check "bad Range 416" "416" "$(c -o /dev/null -w '%{http_code}' -r 900000-900001 "$base/big.txt")"
check "missing file 404" "404" "$(c -o /dev/null -w '%{http_code}' "$base/nope.html")"
check "404 page names the code" "yes" "$(c "$base/nope.html" | grep -q 404 && echo yes || echo no)"
check "directory without slash serves its default file" "sub index" "$(c "$base/sub")"
check "directory default file" "sub index" "$(c "$base/sub/")"
check "dynamic page with URL argument" "hello bob from /dyn/x" "$(c "$base/dyn/x?name=bob")"
check "POST body" "received 11 bytes: hello=world" "$(c -d 'hello=world' "$base/form")"
check "path cannot climb above the root" "404" "$(c -o /dev/null -w '%{http_code}' --path-as-is "$base/../../etc/passwd")"
check "server string" "yes" "$(c -D - -o /dev/null "$base/" | grep -qi '^server: lws-rs-example' && echo yes || echo no)"
check "keep-alive: two requests, one connection" "1" "$(c -o /dev/null -o /dev/null -w '%{num_connects}\n' "$base/" "$base/dyn/y" | paste -sd+ | bc)"
check "unknown method 403" "403" "$(c -o /dev/null -w '%{http_code}' -X FOO "$base/")"

# info.error_document_404: a second server whose 404s redirect to /404.html (lws header.c
# lws_return_http_status: 302, location, empty body; the document itself is served).
echo '<html>custom not found</html>' >"$work/root/404.html"
: >"$work/server404.log"
"$server_bin" -p 0 -r "$work/root" -e /404.html >"$work/server404.log" 2>&1 &
server404=$!
port404=
for _ in $(seq 100); do
	port404=$(sed -n 's/.*http-ws-server on port \([0-9]*\).*/\1/p' "$work/server404.log")
	[ -n "$port404" ] && break
	sleep 0.05
done
base404="http://127.0.0.1:$port404"
check "error_document_404: missing file gives 302" "302" "$(c -o /dev/null -w '%{http_code}' "$base404/nope.html")"
check "error_document_404: location" "/404.html" "$(c -D - -o /dev/null "$base404/nope.html" | tr -d '\r' | sed -n 's/^location: //Ip')"
check "error_document_404: followed, the page" "<html>custom not found</html>" "$(c -L "$base404/nope.html")"
check "error_document_404: keep-alive across the redirect" "1" "$(c -L -o /dev/null -w '%{num_connects}\n' "$base404/nope.html" | paste -sd+ | bc)"
kill "$server404" 2>/dev/null || true
wait "$server404" 2>/dev/null || true
check "oversized header closed without a response" "000" "$(c -o /dev/null -w '%{http_code}' -H "X-Big: $(head -c 5000 /dev/zero | tr '\0' a)" "$base/" || true)"
check "server still serves" "200" "$(c -o /dev/null -w '%{http_code}' "$base/")"

kill "$server"
wait "$server" && status=0 || status=$?
check "server exits cleanly on SIGTERM" "0" "$status"
echo "$passed passed, $fail failed"
[ "$fail" -eq 0 ]

#!/usr/bin/env bash
# Builds the library and the example programs, then runs the C echo server and
# the C echo client against each other on loopback over TLS (wss://, with a test
# CA made now): the client sends messages, checks every echoed byte and exits 0
# only if all came back intact.
#
#   scripts/demo.sh [--build-dir DIR] [-n COUNT] [-s SIZE]
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=build
COUNT=1000
SIZE=4096
while [ $# -gt 0 ]; do
	case "$1" in
	--build-dir) BUILD_DIR=$2; shift 2 ;;
	-n) COUNT=$2; shift 2 ;;
	-s) SIZE=$2; shift 2 ;;
	*) echo "usage: $0 [--build-dir DIR] [-n COUNT] [-s SIZE]" >&2; exit 2 ;;
	esac
done

# cmake, a C/C++ compiler and openssl (the certificates): installed when missing.
scripts/prereqs.sh build

if [ ! -x "$BUILD_DIR/examples/echo-server" ] || [ ! -x "$BUILD_DIR/examples/echo-client" ]; then
	cmake -S . -B "$BUILD_DIR" >/dev/null
	cmake --build "$BUILD_DIR" -j2 --target echo-server echo-client >/dev/null
fi

log=$(mktemp)
certs=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$log" "$certs"' EXIT
tests/tls/make-certs.sh "$certs" >/dev/null
# Port 0: the OS picks a free port; the server prints it.
"$BUILD_DIR/examples/echo-server" -p 0 --exit-after-clients 1 -s \
	--cert "$certs/server.pem" --key "$certs/server.key" >"$log" 2>&1 &
server=$!
port=
for _ in $(seq 100); do
	port=$(sed -n 's/.*echo server on port \([0-9]*\).*/\1/p' "$log")
	[ -n "$port" ] && break
	sleep 0.05
done
[ -n "$port" ] || { cat "$log"; echo "demo: the server did not start" >&2; exit 1; }

"$BUILD_DIR/examples/echo-client" -p "$port" -n "$COUNT" -s "$SIZE" --tls --ca "$certs/ca.pem" --host localhost
wait "$server"
echo "demo: $COUNT messages of $SIZE bytes echoed over wss://localhost:$port/ (rustls, certificate checked)"

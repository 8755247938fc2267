#!/bin/sh
# ctest entry for one interop test: run.sh <venv-python> <script.py> [args...]
# A missing venv (or one without `websockets`) is a failure, not a skip: create it with
# scripts/venv.sh. Arguments "--server"/"--client" name the example programs; a missing one
# is reported by the script itself.
py=$1
shift
if [ ! -x "$py" ]; then
	echo "FAIL: no Python venv at $py (run scripts/venv.sh)" >&2
	exit 1
fi
if ! "$py" -c 'import websockets' 2>/dev/null; then
	echo "FAIL: $py cannot import websockets (run scripts/venv.sh)" >&2
	exit 1
fi
exec "$py" -u "$@"

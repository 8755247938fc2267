#!/usr/bin/env bash
# Creates (or updates) the Python virtual environment ./.venv that the interop tests
# (tests/interop/) run in: the independent `websockets` library as peer. Idempotent: a venv
# that already has the pinned versions is left alone; otherwise they are (re)installed.
#
#   scripts/venv.sh            # -> .venv/bin/python
#   VENV=/path scripts/venv.sh # another location
#
# Needs python3 with the venv module (Debian: python3-venv) and access to PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-$PWD/.venv}
PY=${PYTHON:-python3}
REQS=(websockets==17.4)

run() { printf '+ %s\n' "$*" >&2; "$@"; }

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys; sys.exit(0)' 2>/dev/null; then
	rm -rf "$VENV"
	run "$PY" -m venv "$VENV"
fi

want=$(printf '%s\n' "${REQS[@]}" | sort)
have=$("$VENV/bin/python" -m pip freeze --disable-pip-version-check 2>/dev/null \
	| grep -iE "^($(printf '%s|' "${REQS[@]%%==*}" | sed 's/|$//'))==" | sort || true)
if [ "$(echo "$have" | tr 'A-Z' 'a-z')" != "$(echo "$want" | tr 'A-Z' 'a-z')" ]; then
	run "$VENV/bin/python" -m pip install -q --disable-pip-version-check "${REQS[@]}"
fi
"$VENV/bin/python" -c 'import websockets, sys; print("venv ok:", sys.executable, "websockets", websockets.__version__)'

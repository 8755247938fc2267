#!/usr/bin/env bash
# Regenerates (or with --check, verifies) every generated table in the docs from the built
# library's exports: README.md's "Supported API" table (scripts/api-table.py) and export
# summary, and docs/COMPAT.md's per-function table (scripts/compat-table.py). Run it after
# adding or removing exports, or after editing a numbered row of docs/COMPAT.md.
#
#   scripts/doc-tables.sh            # cargo build --lib, then rewrite the tables
#   scripts/doc-tables.sh --check    # the same, but fail (naming the file) when one is stale
#
# Needs ../shared/abi (or LWS_SHARED).
set -euo pipefail
cd "$(dirname "$0")/.."

check=()
case "${1:-}" in
--check) check=(--check) ;;
"") ;;
*) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

cargo build --lib --quiet
lib=${CARGO_TARGET_DIR:-$PWD/target}/debug/libwebsockets.so
scripts/api-table.py "${check[@]}" "$lib"
scripts/compat-table.py "${check[@]}" "$lib"

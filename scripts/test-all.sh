#!/usr/bin/env bash
# The project's test command: Rust tests, then the C tests through CMake/ctest.
#
#   scripts/test-all.sh                 # debug build in ./build
#   BUILD_DIR=b BUILD_TYPE=Release scripts/test-all.sh
#
# cargo and CMake share one cargo target directory (./target, or $CARGO_TARGET_DIR), so the
# library is compiled once for both. The Debian packages it needs are installed first when
# missing (scripts/prereqs.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${BUILD_TYPE:-Debug}
JOBS=${JOBS:-2}

run() { printf '+ %s\n' "$*" >&2; "$@"; }

echo "== Debian packages and the interop tests' Python venv (scripts/prereqs.sh build test)" >&2
run scripts/prereqs.sh build test

echo "== Rust tests (cargo test)" >&2
run cargo test

echo "== C tests (CMake + ctest, $BUILD_TYPE, $BUILD_DIR)" >&2
run cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="$BUILD_TYPE"
run cmake --build "$BUILD_DIR" -j"$JOBS"
run ctest --test-dir "$BUILD_DIR" --output-on-failure --no-tests=error -j"$JOBS"

#!/usr/bin/env bash
# Runs the C tests (tests-c/) under valgrind memcheck, through ctest, in their own build
# directory (default build-valgrind; the cargo target directory is shared, so the library
# is not rebuilt). Any memcheck error or definite leak fails the test.
#
#   scripts/valgrind-c-tests.sh [BUILD_DIR]
#   BUILD_TYPE=Release scripts/valgrind-c-tests.sh      # the release .so (one extra cargo build)
#
# Tests labelled "novalgrind" are skipped. Suppressions: tests-c/valgrind.supp.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${1:-${BUILD_DIR:-build-valgrind}}
BUILD_TYPE=${BUILD_TYPE:-Debug}
JOBS=${JOBS:-2}

run() { printf '+ %s\n' "$*" >&2; "$@"; }

command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }

launcher="valgrind;--error-exitcode=99;--leak-check=full;--errors-for-leak-kinds=definite"
launcher+=";--track-origins=yes;--num-callers=30;--suppressions=$PWD/tests-c/valgrind.supp"

run cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" -DLWS_ASAN=OFF \
	"-DLWS_TEST_LAUNCHER=$launcher"
run cmake --build "$BUILD_DIR" -j"$JOBS"
run ctest --test-dir "$BUILD_DIR" --output-on-failure --no-tests=error -LE novalgrind -j"$JOBS"

#!/usr/bin/env bash
# Installs the CMake build into a scratch prefix and uses it the way outside projects do:
#  1. the installed file layout (lib/, include/, pkgconfig, cmake package) and SONAME;
#  2. the tree is then MOVED to another directory, to prove every installed path is relative;
#  3. tests-c/consumer-cmake: find_package(libwebsockets CONFIG) + LwsCheckRequirements,
#     linked static and shared, run;
#  4. tests-c/consumer-pkgconfig: pkg-config libwebsockets / libwebsockets_static, run.
#
#   scripts/test-install.sh [BUILD_DIR]       (default: build; configured+built if needed)
#
# Env: KEEP=1 keeps the scratch directory; NO_RUN=1 stops after linking the consumers
# (for a library that does not implement their calls yet).
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD

BUILD_DIR=${1:-${BUILD_DIR:-build}}
JOBS=${JOBS:-2}

run() { printf '+ %s\n' "$*" >&2; "$@"; }
fail() { printf 'test-install: FAIL: %s\n' "$*" >&2; failures=$((failures + 1)); }
ok() { printf 'test-install: ok: %s\n' "$*" >&2; passes=$((passes + 1)); }
passes=0
failures=0

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/lws-rs-install.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then
	echo "test-install: keeping $SCRATCH" >&2
else
	trap 'rm -rf "$SCRATCH"' EXIT
fi

if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
	run cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Debug
fi
run cmake --build "$BUILD_DIR" -j"$JOBS"

# 1. Install, check the layout.
FIRST="$SCRATCH/first-prefix"
run cmake --install "$BUILD_DIR" --prefix "$FIRST"

libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt")
libdir=${libdir:-lib}
for f in "$libdir/libwebsockets.so.19" "$libdir/libwebsockets.a" \
	include/libwebsockets.h include/lws_config.h \
	"$libdir/pkgconfig/libwebsockets.pc" "$libdir/pkgconfig/libwebsockets_static.pc" \
	"$libdir/cmake/libwebsockets/libwebsockets-config.cmake" \
	"$libdir/cmake/libwebsockets/libwebsockets-config-version.cmake" \
	"$libdir/cmake/libwebsockets/LibwebsocketsTargets.cmake" \
	"$libdir/cmake/libwebsockets/LwsCheckRequirements.cmake"; do
	if [ -f "$FIRST/$f" ]; then ok "installed $f"; else fail "missing $f"; fi
done
if [ -d "$SRC/include/libwebsockets" ]; then
	n_src=$(find "$SRC/include/libwebsockets" -name '*.h' | wc -l)
	n_inst=$(find "$FIRST/include/libwebsockets" -name '*.h' 2>/dev/null | wc -l)
	if [ "$n_src" = "$n_inst" ]; then ok "installed $n_inst headers in include/libwebsockets/"
	else fail "include/libwebsockets/: $n_inst headers installed, $n_src in the source tree"; fi
fi
if [ "$(readlink "$FIRST/$libdir/libwebsockets.so" || true)" = libwebsockets.so.19 ]; then
	ok "$libdir/libwebsockets.so -> libwebsockets.so.19"
else
	fail "$libdir/libwebsockets.so is not a symlink to libwebsockets.so.19"
fi
soname=$(readelf -d "$FIRST/$libdir/libwebsockets.so.19" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
if [ "$soname" = libwebsockets.so.19 ]; then ok "SONAME $soname"; else fail "SONAME is '$soname'"; fi
if grep -rqs -- "$FIRST" "$FIRST/$libdir/pkgconfig" "$FIRST/$libdir/cmake"; then
	fail "an installed .pc or .cmake file names the install prefix (not relocatable)"
else
	ok "no absolute install paths in the .pc and .cmake files"
fi

# 2. Move the installed tree: everything below must work from the new place.
PREFIX="$SCRATCH/moved-prefix"
mv "$FIRST" "$PREFIX"
echo "test-install: prefix moved to '$PREFIX'" >&2

# 3. CMake consumer.
CBUILD="$SCRATCH/consumer-cmake"
if run cmake -S tests-c/consumer-cmake -B "$CBUILD" -DCMAKE_PREFIX_PATH="$PREFIX" \
	-DCMAKE_BUILD_TYPE=Debug &&
	run cmake --build "$CBUILD" -j"$JOBS"; then
	ok "consumer-cmake configured (find_package, require_lws_config) and linked"
else
	fail "consumer-cmake did not configure or build"
fi

# 4. pkg-config consumer.
PBUILD="$SCRATCH/consumer-pkgconfig"
mkdir -p "$PBUILD"
export PKG_CONFIG_PATH="$PREFIX/$libdir/pkgconfig"
ver=$(pkg-config --modversion libwebsockets || true)
if [ "$ver" = 4.3.3 ]; then ok "pkg-config --modversion libwebsockets = $ver"
else fail "pkg-config --modversion libwebsockets = '$ver'"; fi
if run make -C tests-c/consumer-pkgconfig OUT="$PBUILD"; then
	ok "consumer-pkgconfig linked (libwebsockets.pc and libwebsockets_static.pc)"
else
	fail "consumer-pkgconfig did not build"
fi

# Linkage of what was built: shared ones need libwebsockets.so.19, static ones nothing of lws.
check_linkage() { # binary want-shared
	local bin=$1 needed
	[ -x "$bin" ] || { fail "$(basename "$bin") was not built"; return; }
	needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
	if [ "$2" = yes ]; then
		case " $needed" in
		*" libwebsockets.so.19 "*) ok "$(basename "$bin") NEEDED libwebsockets.so.19" ;;
		*) fail "$(basename "$bin") NEEDED is: $needed" ;;
		esac
	else
		case "$needed" in
		*libwebsockets*) fail "$(basename "$bin") (static) still NEEDs: $needed" ;;
		*) ok "$(basename "$bin") has no libwebsockets NEEDED" ;;
		esac
	fi
}
check_linkage "$CBUILD/lws-rs-consumer-shared" yes
check_linkage "$CBUILD/lws-rs-consumer-static" no
check_linkage "$PBUILD/consumer-shared" yes
check_linkage "$PBUILD/consumer-static" no

# Run them. The shared ones find the library through their RUNPATH alone.
if [ "${NO_RUN:-0}" = 1 ]; then
	echo "test-install: NO_RUN=1, not running the consumers" >&2
else
	for bin in "$CBUILD/lws-rs-consumer-shared" "$CBUILD/lws-rs-consumer-static" \
		"$PBUILD/consumer-shared" "$PBUILD/consumer-static"; do
		[ -x "$bin" ] || continue
		rc=0
		(cd "$SCRATCH" && env -u LD_LIBRARY_PATH timeout 60 "$bin") || rc=$?
		if [ "$rc" -eq 0 ]; then
			ok "ran $(basename "$bin")"
		else
			fail "$(basename "$bin") exited $rc"
		fi
	done
fi

echo "test-install: $passes passed, $failures failed"
[ "$failures" -eq 0 ]

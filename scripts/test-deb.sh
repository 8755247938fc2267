#!/usr/bin/env bash
# Builds the Debian package (cpack -G DEB), installs it with apt over stand-ins of Debian's
# libwebsockets19t64 / libwebsockets-dev, and builds and runs tests-c/consumer against the
# installed files only (find_package, pkg-config, plain cc) -- then purges everything it
# installed and checks that nothing of it is left on the machine.
#
#   scripts/test-deb.sh [BUILD_DIR]      (default build-deb; Release, prefix /usr)
#
# Needs root or sudo (dpkg/apt). A Debian libwebsockets-dev / libwebsockets19t64 installed
# before is replaced during the test and reinstalled after it (scripts/deb-guard.sh); a
# libwebsockets file in /usr that belongs to no package makes it refuse to run.
# Env: BUILD_TYPE (default Release), JOBS (default 2), KEEP=1 keeps the scratch directory.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD

BUILD_DIR=${1:-build-deb}
BUILD_TYPE=${BUILD_TYPE:-Release}
JOBS=${JOBS:-2}

run() { printf '+ %s\n' "$*" >&2; "$@"; }
passes=0
failures=0
ok() { printf 'test-deb: ok: %s\n' "$*" >&2; passes=$((passes + 1)); }
fail() { printf 'test-deb: FAIL: %s\n' "$*" >&2; failures=$((failures + 1)); }
die() { printf 'test-deb: %s\n' "$*" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ] && ! { command -v sudo >/dev/null && sudo -n true 2>/dev/null; }; then
	die "needs root or sudo (dpkg -i / apt install)"
fi
# shellcheck source=scripts/deb-guard.sh
. scripts/deb-guard.sh
root() { printf '+ %s\n' "$*" >&2; as_root "$@"; }

scripts/prereqs.sh build package

ARCH=$(dpkg --print-architecture)
MULTIARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
LIBDIR=/usr/lib/$MULTIARCH
# Everything the package owns outside include/libwebsockets/ (checked after install and
# after removal).
SYSTEM_FILES=(
	"$LIBDIR/libwebsockets.so.19" "$LIBDIR/libwebsockets.so" "$LIBDIR/libwebsockets.a"
	/usr/include/libwebsockets.h /usr/include/lws_config.h
	"$LIBDIR/pkgconfig/libwebsockets.pc" "$LIBDIR/pkgconfig/libwebsockets_static.pc"
	"$LIBDIR/cmake/libwebsockets/libwebsockets-config.cmake"
	"$LIBDIR/cmake/libwebsockets/libwebsockets-config-version.cmake"
	"$LIBDIR/cmake/libwebsockets/LibwebsocketsTargets.cmake"
	"$LIBDIR/cmake/libwebsockets/LwsCheckRequirements.cmake"
)
# Stand-ins for the Debian packages lws-rs replaces, and two programs' packages that
# depend on them the way Debian's do (mosquitto: "libwebsockets19t64 (>= 1.6.0)").
FAKES=(libwebsockets19t64 libwebsockets-dev lws-rs-test-user lws-rs-test-dev-user)
OURS=(lws-rs "${FAKES[@]}")

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
known() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -qv 'not-installed'; }

# Ours: lws-rs, the test's own packages, and the stand-ins (recognised by their Maintainer),
# never a real Debian libwebsockets.
ours_known() {
	local p
	for p in "${OURS[@]}"; do
		known "$p" || continue
		case "$p" in
		lws-rs | lws-rs-test-*) echo "$p" ;;
		*) [ "$(dpkg-query -W -f='${Maintainer}' "$p")" = "$LWS_STANDIN_MAINTAINER" ] && echo "$p" ;;
		esac
	done
	return 0
}
purge_ours() {
	local left
	left=$(ours_known)
	[ -z "$left" ] || root env DEBIAN_FRONTEND=noninteractive dpkg --purge $left >/dev/null
}

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/lws-rs-deb.XXXXXX")
cleanup() {
	local rc=0
	purge_ours || rc=1
	real_lws_restore || rc=1
	if [ "${KEEP:-0}" = 1 ]; then echo "test-deb: keeping $SCRATCH" >&2; else rm -rf "$SCRATCH"; fi
	[ "$rc" = 0 ] || exit 1
}
# A previous run that was killed may have left our packages behind.
purge_ours
# Debian's own libwebsockets-dev (e.g. bench/run.sh's reference 4.1) is replaced during the
# test like any other, and reinstalled at its version afterwards.
real_lws_save
trap cleanup EXIT

# 1. A build for another prefix refuses to make a DEB (the paths would be wrong).
if run cmake -S . -B "$SCRATCH/wrong-prefix" -DCMAKE_INSTALL_PREFIX="$SCRATCH/p" >/dev/null &&
	! (cd "$SCRATCH/wrong-prefix" && cpack -G DEB >"$SCRATCH/wrong-prefix.log" 2>&1) &&
	tr -s '\n ' '  ' <"$SCRATCH/wrong-prefix.log" | grep -q 'a Debian package needs /usr/lib'; then
	ok "cpack -G DEB refuses a build configured for prefix $SCRATCH/p"
else
	fail "cpack -G DEB did not refuse a non-/usr prefix: $(tail -3 "$SCRATCH/wrong-prefix.log")"
fi

# 2. The package.
run cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
run cmake --build "$BUILD_DIR" -j"$JOBS" >/dev/null
rm -f "$BUILD_DIR"/lws-rs_*.deb
(cd "$BUILD_DIR" && run cpack -G DEB) >"$SCRATCH/cpack.log" 2>&1 || { cat "$SCRATCH/cpack.log" >&2; die "cpack failed"; }
DEB=$(ls "$BUILD_DIR"/lws-rs_*_"$ARCH".deb)
DEB=$(cd "$(dirname "$DEB")" && pwd)/$(basename "$DEB")
ok "built $(basename "$DEB") ($(du -h "$DEB" | cut -f1))"

field() { dpkg-deb -f "$DEB" "$1"; }
[ "$(field Package)" = lws-rs ] && ok "Package: lws-rs" || fail "Package: $(field Package)"
for f in Provides Conflicts Replaces; do
	v=$(field "$f")
	case "$v" in
	*libwebsockets19t64*libwebsockets-dev*) ok "$f: $v" ;;
	*) fail "$f does not name libwebsockets19t64 and libwebsockets-dev: '$v'" ;;
	esac
done
case "$(field Depends)" in *libc6*) ok "Depends: $(field Depends)" ;; *) fail "Depends: '$(field Depends)'" ;; esac
contents=$(dpkg-deb -c "$DEB" | awk '{print $6}' | sed 's|^\./|/|')
for f in "${SYSTEM_FILES[@]}"; do
	grep -qx "$f" <<<"$contents" || fail "the package lacks $f"
done
n_hdr=$(grep -c '^/usr/include/libwebsockets/.*\.h$' <<<"$contents" || true)
n_src=$(find include/libwebsockets -name '*.h' | wc -l)
[ "$n_hdr" = "$n_src" ] && ok "the package has all ${#SYSTEM_FILES[@]} files and $n_hdr headers in /usr/include/libwebsockets/" ||
	fail "/usr/include/libwebsockets/: $n_hdr headers in the package, $n_src in the tree"
outside=$(grep -v -e '^/usr/include/' -e "^$LIBDIR/" -e '/$' <<<"$contents" || true)
[ -z "$outside" ] && ok "nothing outside /usr/include and $LIBDIR" || fail "files elsewhere: $outside"

# 3. Stand-ins for Debian's packages, installed first, as on a trixie machine with lws 4.3.5.
fake_deb() { # name version depends files...
	local name=$1 version=$2 depends=$3 dir
	shift 3
	dir=$SCRATCH/fake-$name
	mkdir -p "$dir/DEBIAN"
	{
		echo "Package: $name"
		echo "Version: $version"
		echo "Architecture: $ARCH"
		echo "Maintainer: $LWS_STANDIN_MAINTAINER"
		[ -z "$depends" ] || echo "Depends: $depends"
		echo "Description: stand-in made by lws-rs scripts/test-deb.sh"
	} >"$dir/DEBIAN/control"
	for f in "$@"; do
		mkdir -p "$dir$(dirname "$f")"
		echo "lws-rs test-deb stand-in for $name" >"$dir$f"
	done
	dpkg-deb --root-owner-group --build "$dir" "$SCRATCH/$name.deb" >/dev/null
}
fake_deb libwebsockets19t64 4.3.5-1 "" "$LIBDIR/libwebsockets.so.19"
fake_deb libwebsockets-dev 4.3.5-1 "libwebsockets19t64 (= 4.3.5-1)" /usr/include/libwebsockets.h \
	"$LIBDIR/pkgconfig/libwebsockets.pc"
fake_deb lws-rs-test-user 1.0 "libwebsockets19t64 (>= 1.6.0)" /usr/share/lws-rs-test-user/placeholder
fake_deb lws-rs-test-dev-user 1.0 "libwebsockets-dev" /usr/share/lws-rs-test-dev-user/placeholder
root dpkg -i "$SCRATCH/libwebsockets19t64.deb" "$SCRATCH/libwebsockets-dev.deb" \
	"$SCRATCH/lws-rs-test-user.deb" "$SCRATCH/lws-rs-test-dev-user.deb" >/dev/null

# 4. apt install ./lws-rs_*.deb replaces them; their dependents stay.
root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$DEB" \
	>"$SCRATCH/apt.log" 2>&1 || { cat "$SCRATCH/apt.log" >&2; die "apt-get install $DEB failed"; }
if installed lws-rs && ! installed libwebsockets19t64 && ! installed libwebsockets-dev; then
	ok "apt install ./$(basename "$DEB") removed libwebsockets19t64 and libwebsockets-dev"
else
	fail "after apt install: $(dpkg-query -W -f='${Package} ${Status}\n' "${OURS[@]}" 2>&1 | tr '\n' ';')"
fi
if installed lws-rs-test-user && installed lws-rs-test-dev-user && apt-get check >/dev/null 2>&1; then
	ok "packages depending on libwebsockets19t64 (>= 1.6.0) / libwebsockets-dev stay installed (apt-get check clean)"
else
	fail "dependents of the replaced packages: $(apt-get check 2>&1 | tail -2)"
fi
for f in "${SYSTEM_FILES[@]}"; do
	if [ ! -e "$f" ]; then fail "not installed: $f"
	elif grep -q 'lws-rs test-deb stand-in' "$f" 2>/dev/null; then fail "$f is still the stand-in's"
	fi
done
ok "installed: ${SYSTEM_FILES[*]}"
soname=$(readelf -d "$LIBDIR/libwebsockets.so.19" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = libwebsockets.so.19 ] && ok "installed library's SONAME is $soname" || fail "SONAME is '$soname'"
[ "$(readlink "$LIBDIR/libwebsockets.so")" = libwebsockets.so.19 ] && ok "$LIBDIR/libwebsockets.so -> libwebsockets.so.19" ||
	fail "$LIBDIR/libwebsockets.so is not a link to libwebsockets.so.19"
# (/lib is /usr/lib on a merged-/usr system: compare real paths.)
REAL_SO=$(readlink -f "$LIBDIR/libwebsockets.so.19")
cached=$(ldconfig -p | sed -n 's/.*libwebsockets.so.19 (.*) => //p' | head -1)
if [ -n "$cached" ] && [ "$(readlink -f "$cached")" = "$REAL_SO" ]; then
	ok "ldconfig's cache has libwebsockets.so.19 => $cached"
else
	fail "ldconfig -p does not list $LIBDIR/libwebsockets.so.19"
fi

# 5. Consumers built from a copy of their sources, against the installed files only: no
#    prefix, PKG_CONFIG_PATH or include path points into the source tree or a build.
mkdir -p "$SCRATCH/src"
cp -r tests-c/consumer tests-c/consumer-cmake tests-c/consumer-pkgconfig "$SCRATCH/src/"
cd "$SCRATCH"
unset PKG_CONFIG_PATH CMAKE_PREFIX_PATH LD_LIBRARY_PATH CPATH C_INCLUDE_PATH LIBRARY_PATH
if run cmake -S src/consumer-cmake -B consumer-cmake -DCMAKE_BUILD_TYPE=Debug >cmake-consumer.log 2>&1 &&
	run cmake --build consumer-cmake -j"$JOBS" >>cmake-consumer.log 2>&1; then
	from=$(sed -n 's/.*-- libwebsockets 4.3.3 from //p' cmake-consumer.log)
	if [ "$from" = "$LIBDIR/cmake/libwebsockets" ]; then ok "find_package(libwebsockets) found $from"
	else fail "find_package(libwebsockets) found '$from'"; fi
else
	cat cmake-consumer.log >&2
	fail "consumer-cmake did not configure or build"
fi
ver=$(pkg-config --modversion libwebsockets || true)
[ "$ver" = 4.3.3 ] && ok "pkg-config --modversion libwebsockets = $ver (no PKG_CONFIG_PATH)" ||
	fail "pkg-config --modversion libwebsockets = '$ver'"
mkdir -p consumer-pkgconfig
if run make -s -C src/consumer-pkgconfig OUT="$SCRATCH/consumer-pkgconfig" >/dev/null; then
	ok "consumer-pkgconfig built with pkg-config libwebsockets / libwebsockets_static"
else
	fail "consumer-pkgconfig did not build"
fi
# The plainest way: no flags at all, the system paths only.
if run cc -o consumer-plain src/consumer/consumer.c -lwebsockets; then
	ok "cc consumer.c -lwebsockets (no -I, -L or rpath)"
else
	fail "cc consumer.c -lwebsockets failed"
fi

for bin in consumer-cmake/lws-rs-consumer-shared consumer-cmake/lws-rs-consumer-static \
	consumer-pkgconfig/consumer-shared consumer-pkgconfig/consumer-static consumer-plain; do
	[ -x "$bin" ] || { fail "$bin was not built"; continue; }
	if readelf -d "$bin" | grep -q 'NEEDED.*libwebsockets.so.19'; then
		where=$(ldd "$bin" | sed -n 's/.*libwebsockets.so.19 => \([^ ]*\).*/\1/p')
		if [ -n "$where" ] && [ "$(readlink -f "$where")" = "$REAL_SO" ]; then ok "$bin loads $where"
		else fail "$bin loads libwebsockets.so.19 from '$where'"; fi
	fi
	rc=0
	timeout 60 "./$bin" >"$bin.out" 2>&1 || rc=$?
	if [ "$rc" = 0 ]; then ok "ran $bin"; else cat "$bin.out" >&2; fail "$bin exited $rc"; fi
done
cd "$SRC"

# 6. Removal leaves nothing behind.
root env DEBIAN_FRONTEND=noninteractive apt-get purge -y lws-rs lws-rs-test-user lws-rs-test-dev-user \
	>"$SCRATCH/purge.log" 2>&1 || { cat "$SCRATCH/purge.log" >&2; fail "apt-get purge failed"; }
purge_ours
left=()
for p in "${OURS[@]}"; do known "$p" && left+=("$p"); done
for f in "${SYSTEM_FILES[@]}" /usr/include/libwebsockets "$LIBDIR/cmake/libwebsockets"; do
	[ -e "$f" ] && left+=("$f")
done
ldconfig -p | grep -q 'libwebsockets.so.19 ' && left+=("ldconfig cache entry for libwebsockets.so.19")
if [ ${#left[@]} -eq 0 ]; then
	ok "purged: no package, file or ldconfig entry of lws-rs or the stand-ins is left"
else
	fail "left behind after purge: ${left[*]}"
fi

echo "test-deb: $passes passed, $failures failed"
[ "$failures" -eq 0 ]

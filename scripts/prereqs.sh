#!/usr/bin/env bash
# Installs the Debian packages this project's scripts and tests need, and only those that
# are missing (idempotent: a second run installs nothing). scripts/demo.sh,
# scripts/test-all.sh and .ci/run call it first, so a fresh Debian 12 machine with only the
# Rust toolchain, gcc, python3 and git needs nothing else.
#
#   scripts/prereqs.sh [--dry-run] [GROUP...]
#
# GROUPs (default: all of them):
#   build    cmake make g++ pkg-config openssl   (the CMake build, the demo's certificates)
#   test     valgrind python3-venv binutils curl bc time wrk   (ctest, interop, memcheck),
#            then the Python venv of the interop tests (scripts/venv.sh, from PyPI)
#   package  dpkg-dev file   (cpack -G DEB, dpkg-shlibdeps)
#
# As root it runs apt-get itself; otherwise through sudo (non-interactive when there is no
# terminal). When neither is possible it names the missing packages and exits 1.
# --dry-run prints what it would install and the commands, and changes nothing.
set -euo pipefail

declare -A GROUP_PKGS=(
	[build]="cmake make g++ pkg-config openssl"
	[test]="valgrind python3-venv binutils curl bc time wrk"
	[package]="dpkg-dev file"
)
ALL_GROUPS=(build test package)

dry_run=0
groups=()
for arg in "$@"; do
	case "$arg" in
	--dry-run) dry_run=1 ;;
	-h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*)
		[ -n "${GROUP_PKGS[$arg]+set}" ] || { echo "prereqs: unknown group '$arg' (${ALL_GROUPS[*]})" >&2; exit 2; }
		groups+=("$arg")
		;;
	esac
done
[ ${#groups[@]} -gt 0 ] || groups=("${ALL_GROUPS[@]}")

pkgs=()
for g in "${groups[@]}"; do
	read -ra more <<<"${GROUP_PKGS[$g]}"
	pkgs+=("${more[@]}")
done

say() { printf 'prereqs: %s\n' "$*" >&2; }

# The Rust toolchain is not a Debian package here (Debian 12's rustc is older than the
# crate's rust-version): name it instead of installing it.
if ! command -v cargo >/dev/null 2>&1 && [ ! -x "${CARGO_HOME:-${HOME:-/nonexistent}/.cargo}/bin/cargo" ]; then
	say "cargo is not on PATH: install the Rust toolchain (rustup, Rust >= 1.88) first"
	exit 1
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	say "not a Debian-like system (no dpkg-query/apt-get); install the equivalents of: ${pkgs[*]}"
	exit 1
fi

# After the packages: the interop tests' venv, when the test group was asked for.
finish() {
	case " ${groups[*]} " in
	*" test "*) [ "$dry_run" = 1 ] || [ "${LWS_PREREQS_NO_VENV:-0}" = 1 ] || "$(dirname "$0")/venv.sh" >&2 ;;
	esac
	exit 0
}

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	say "all present (${groups[*]}): ${pkgs[*]}"
	finish
fi
say "missing: ${missing[*]}"

as_root=()
if [ "$(id -u)" -ne 0 ]; then
	if ! command -v sudo >/dev/null 2>&1; then
		say "not root and no sudo: as root, run"
		say "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
		exit 1
	fi
	if [ -t 0 ]; then as_root=(sudo); else as_root=(sudo -n); fi
fi

run() {
	printf '+ %s\n' "$*" >&2
	[ "$dry_run" = 1 ] || "$@"
}
if ! run "${as_root[@]}" apt-get update -qq ||
	! run "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
	say "installing failed; as root, run"
	say "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
	exit 1
fi
if [ "$dry_run" = 1 ]; then say "dry run: nothing installed"; else say "installed: ${missing[*]}"; fi
finish

#!/usr/bin/env bash
# Tests scripts/prereqs.sh without touching the machine: besides one real run (which must
# find everything installed), each case runs it with a PATH holding only stand-ins for
# dpkg-query, apt-get, id and sudo that record how they were called, so the missing-package,
# sudo and no-root-no-sudo paths are exercised on a machine that has everything.
#
#   scripts/test-prereqs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PREREQS=$PWD/scripts/prereqs.sh

passes=0
failures=0
ok() { printf 'test-prereqs: ok: %s\n' "$*"; passes=$((passes + 1)); }
fail() { printf 'test-prereqs: FAIL: %s\n' "$*"; failures=$((failures + 1)); }

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/lws-rs-prereqs.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT

# 1. The real thing: after the CI's (or the developer's) first run everything is there, so
#    this run must install nothing and say so.
if out=$("$PREREQS" 2>&1) && grep -q 'all present' <<<"$out"; then
	ok "real run: $(tail -1 <<<"$out")"
else
	fail "real run did not find everything installed: $out"
fi

# A fake machine: MISSING lists the packages dpkg-query reports as not installed, FAKE_UID
# is what id -u says, HAVE_SUDO=1 puts a sudo on PATH, SUDO_FAILS=1 makes it refuse.
# Calls land in $case_dir/calls.
fake_machine() { # dir
	local bin=$1/bin
	mkdir -p "$bin"
	ln -s "$(command -v grep)" "$bin/grep"
	ln -s "$(command -v env)" "$bin/env"
	ln -s "$(command -v sed)" "$bin/sed"
	cat >"$bin/cargo" <<-'EOF'
		#!/bin/bash
		exit 0
	EOF
	cat >"$bin/dpkg-query" <<-'EOF'
		#!/bin/bash
		pkg=${!#}
		for m in $MISSING; do [ "$m" = "$pkg" ] && { echo "dpkg-query: no packages found matching $pkg" >&2; exit 1; }; done
		printf 'install ok installed'
	EOF
	cat >"$bin/apt-get" <<-'EOF'
		#!/bin/bash
		echo "apt-get $*" >>"$CALLS"
	EOF
	cat >"$bin/id" <<-'EOF'
		#!/bin/bash
		echo "${FAKE_UID:-0}"
	EOF
	if [ "${HAVE_SUDO:-0}" = 1 ]; then
		cat >"$bin/sudo" <<-'EOF'
			#!/bin/bash
			echo "sudo $*" >>"$CALLS"
			[ "${SUDO_FAILS:-0}" = 1 ] && { echo "sudo: a password is required" >&2; exit 1; }
			[ "$1" = -n ] && shift
			exec "$@"
		EOF
	fi
	chmod +x "$bin"/*
}

# run_case NAME EXPECTED_RC ARGS... ; sets $out and $calls
run_case() {
	local name=$1 want_rc=$2 dir rc=0
	shift 2
	dir=$SCRATCH/$name
	mkdir -p "$dir"
	fake_machine "$dir"
	: >"$dir/calls"
	out=$(env -i LWS_PREREQS_NO_VENV=1 PATH="$dir/bin" CALLS="$dir/calls" MISSING="${MISSING:-}" FAKE_UID="${FAKE_UID:-0}" \
		SUDO_FAILS="${SUDO_FAILS:-0}" "$BASH" "$PREREQS" "$@" 2>&1 </dev/null) || rc=$?
	calls=$(cat "$dir/calls")
	if [ "$rc" != "$want_rc" ]; then
		fail "$name: exit $rc, wanted $want_rc; output: $out"
		return 1
	fi
}

# 2. Nothing missing: no apt-get at all.
if MISSING= run_case none-missing 0 && [ -z "$calls" ] && grep -q 'all present' <<<"$out"; then
	ok "nothing missing: no apt-get call"
else
	fail "nothing missing: calls='$calls' output: $out"
fi

# 3. Root, two missing: one update, one install of exactly those two.
want=$'apt-get update -qq\napt-get install -y -qq --no-install-recommends cmake wrk'
if MISSING="cmake wrk" run_case root-missing 0 && [ "$calls" = "$want" ]; then
	ok "root with cmake, wrk missing: installs exactly those"
else
	fail "root with cmake, wrk missing: calls='$calls' output: $out"
fi

# 4. Only the groups asked for are looked at.
if MISSING="cmake wrk" run_case group-test 0 test && [ "$calls" = $'apt-get update -qq\napt-get install -y -qq --no-install-recommends wrk' ]; then
	ok "group 'test': only wrk is installed"
else
	fail "group 'test': calls='$calls' output: $out"
fi

# 5. Not root, sudo available (no terminal: sudo -n).
if MISSING="valgrind" FAKE_UID=1000 HAVE_SUDO=1 run_case sudo 0 &&
	grep -qx 'sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends valgrind' <<<"$calls" &&
	grep -qx 'apt-get install -y -qq --no-install-recommends valgrind' <<<"$calls"; then
	ok "not root: installs through sudo -n"
else
	fail "not root, with sudo: calls='$calls' output: $out"
fi

# 6. Not root, no sudo: exit 1, the message names the packages, nothing is run.
if MISSING="cmake valgrind" FAKE_UID=1000 run_case no-sudo 1 && [ -z "$calls" ] &&
	grep -q 'not root and no sudo' <<<"$out" &&
	grep -q 'apt-get install -y --no-install-recommends cmake valgrind' <<<"$out"; then
	ok "not root, no sudo: names the packages and exits 1"
else
	fail "not root, no sudo: calls='$calls' output: $out"
fi

# 7. Not root, sudo refuses (password needed, no terminal): exit 1 with the same advice.
if MISSING="bc" FAKE_UID=1000 HAVE_SUDO=1 SUDO_FAILS=1 run_case sudo-refuses 1 &&
	grep -q 'installing failed' <<<"$out" && grep -q 'install -y --no-install-recommends bc' <<<"$out"; then
	ok "sudo refuses: names the packages and exits 1"
else
	fail "sudo refuses: calls='$calls' output: $out"
fi

# 8. --dry-run: prints the commands, runs none.
if MISSING="cmake" run_case dry-run 0 --dry-run && [ -z "$calls" ] &&
	grep -q '^+ env DEBIAN_FRONTEND=noninteractive apt-get install .* cmake$' <<<"$out"; then
	ok "--dry-run: shows the install command, runs nothing"
else
	fail "--dry-run: calls='$calls' output: $out"
fi

echo "test-prereqs: $passes passed, $failures failed"
[ "$failures" -eq 0 ]

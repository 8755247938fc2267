#!/bin/sh
# Runs shared/abi/check-abi on include/ and the built library, then holds the
# result against abi/pending.txt (the functions.tsv names not implemented yet):
#
# - a FAIL line is accepted only if it is "function NAME prototype" or
#   "function NAME export" and NAME is listed in abi/pending.txt;
# - a pending NAME whose rows all pass must be removed from the list.
#
# Then each repository manifest abi/manifests/<group>/ (the same *.tsv format,
# for declarations shared/abi does not list) must pass completely.
#
# Usage: scripts/check-abi.sh [path/to/libwebsockets.so]
#   (default: $CARGO_TARGET_DIR or target/, then debug/libwebsockets.so)
# shared/ is found at $LWS_SHARED, else beside the repository.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
shared=${LWS_SHARED:-$root/../shared}
checker=$shared/abi/check-abi
pending=$root/abi/pending.txt
lib=${1:-${CARGO_TARGET_DIR:-$root/target}/debug/libwebsockets.so}

if [ ! -x "$checker" ]; then
	echo "check-abi.sh: $checker not found (set LWS_SHARED)" >&2
	exit 2
fi
if [ ! -f "$lib" ]; then
	echo "check-abi.sh: $lib not found (build first, or pass the library)" >&2
	exit 2
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
# check-abi exits 1 when anything fails; the verdict is ours.
"$checker" --include "$root/include" --lib "$lib" --tier 2 --verbose \
	> "$out" 2>/dev/null || true

if ! grep -q '^[0-9][0-9]* passed, [0-9][0-9]* failed$' "$out"; then
	cat "$out"
	echo "check-abi.sh: check-abi did not finish" >&2
	exit 2
fi

awk -v pending_file="$pending" '
BEGIN {
	while ((getline line < pending_file) > 0) {
		sub(/#.*/, "", line)
		gsub(/[ \t\r]/, "", line)
		if (line != "") { pending[line] = 1; npending++ }
	}
}
# "ok   function NAME prototype" / "FAIL function NAME export: why"
/^(ok  |FAIL) function [^ ]+ (prototype|export)/ {
	name = $3
	if ($1 == "ok")
		okrows[name]++
	else
		failrows[name]++
}
/^ok  / { passed++ }
/^FAIL / {
	failed++
	row = $0
	sub(/^FAIL /, "", row)
	if ($2 == "function" && ($4 == "prototype:" || $4 == "export:") && ($3 in pending)) {
		accepted++
		next
	}
	print "FAIL " row
	bad++
}
END {
	for (name in pending) {
		if (!(name in okrows) && !(name in failrows)) {
			print "FAIL " name " is in abi/pending.txt but not in functions.tsv"
			bad++
		} else if (!(name in failrows)) {
			print "FAIL remove " name " from abi/pending.txt (all its checks pass)"
			bad++
		}
	}
	printf "check-abi: %d passed, %d failed (%d pending; %d of their checks failed, as expected)\n", passed, bad, npending, accepted
	exit bad > 0
}' "$out"

for manifest in "$root"/abi/manifests/*/; do
	[ -f "$manifest/functions.tsv" ] || continue
	group=$(basename "$manifest")
	if ! "$checker" --manifest "$manifest" --include "$root/include" --lib "$lib" > "$out" 2>&1; then
		grep '^FAIL' "$out" || cat "$out"
		echo "check-abi: manifest abi/manifests/$group failed" >&2
		exit 1
	fi
	echo "check-abi: abi/manifests/$group: $(tail -n 1 "$out")"
done

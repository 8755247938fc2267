#!/bin/sh
# Runs shared/abi/check-abi on include/ and the built library, then holds the
# result against abi/pending.txt (the functions.tsv names not implemented yet):
#
# - a FAIL line is accepted only if it is "function NAME prototype" or
#   "function NAME export" and NAME is listed in abi/pending.txt;
# - a pending NAME whose rows all pass must be removed from the list;
# - every name of shared/abi/exports-4.3.3.txt (all that lws 4.3.3 exports) is
#   exported by the library or listed in abi/pending.txt, and no pending name is
#   exported: the list only shrinks.
#
# Then each repository manifest abi/manifests/<group>/ (functions.tsv and
# constants.tsv in shared/abi's format, for declarations it does not list),
# with the layouts of abi/layouts-<group>.tsv, must pass completely.
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
have=$(mktemp)
want=$(mktemp)
exports=$(mktemp)
trap 'rm -f "$out" "$have" "$want" "$exports"' EXIT
# check-abi exits 1 when anything fails; the verdict is ours.
"$checker" --include "$root/include" --lib "$lib" --tier 2 --verbose \
	> "$out" 2>/dev/null || true

if ! grep -q '^[0-9][0-9]* passed, [0-9][0-9]* failed$' "$out"; then
	cat "$out"
	echo "check-abi.sh: check-abi did not finish" >&2
	exit 2
fi

LC_ALL=C sort -u "$shared/abi/exports-4.3.3.txt" > "$exports"
nm -D --defined-only "$lib" | awk '$2 == "T" { print $3 }' | LC_ALL=C sort -u > "$have"
sed 's/#.*//; s/[[:space:]]//g; /^$/d' "$pending" | LC_ALL=C sort -u > "$want"
export_bad=0
for name in $(LC_ALL=C comm -23 "$exports" "$have" | LC_ALL=C comm -23 - "$want"); do
	echo "FAIL export $name: lws 4.3.3 exports it; we do not and abi/pending.txt does not list it"
	export_bad=$((export_bad + 1))
done
for name in $(LC_ALL=C comm -12 "$want" "$have"); do
	echo "FAIL remove $name from abi/pending.txt (it is exported now)"
	export_bad=$((export_bad + 1))
done
echo "exports: $(LC_ALL=C comm -12 "$exports" "$have" | wc -l) of $(wc -l < "$exports") lws 4.3.3 exports present"

awk -v pending_file="$pending" -v exports_file="$exports" -v export_bad="$export_bad" '
BEGIN {
	while ((getline line < exports_file) > 0) exported[line] = 1
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
			if (!(name in exported)) {
				print "FAIL " name " is in abi/pending.txt but neither in functions.tsv nor exports-4.3.3.txt"
				bad++
			}
		} else if (!(name in failrows)) {
			print "FAIL remove " name " from abi/pending.txt (all its checks pass)"
			bad++
		}
	}
	bad += export_bad
	printf "check-abi: %d passed, %d failed (%d pending; %d of their checks failed, as expected)\n", passed, bad, npending, accepted
	exit bad > 0
}' "$out"

for manifest in "$root"/abi/manifests/*/; do
	[ -f "$manifest/functions.tsv" ] || continue
	group=$(basename "$manifest")
	# The group's measured layouts live beside the others, in abi/layouts-<group>.tsv.
	dir=$(mktemp -d)
	cp "$manifest"/*.tsv "$dir"/
	if [ -f "$root/abi/layouts-$group.tsv" ]; then
		cp "$root/abi/layouts-$group.tsv" "$dir/layouts.tsv"
	fi
	status=0
	"$checker" --manifest "$dir" --include "$root/include" --lib "$lib" > "$out" 2>&1 || status=$?
	rm -rf "$dir"
	if [ "$status" -ne 0 ]; then
		grep '^FAIL' "$out" || cat "$out"
		echo "check-abi: manifest abi/manifests/$group failed" >&2
		exit 1
	fi
	echo "check-abi: abi/manifests/$group (+ abi/layouts-$group.tsv): $(tail -n 1 "$out")"
done

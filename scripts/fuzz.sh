#!/usr/bin/env bash
# Coverage-guided fuzzing on stable Rust: libFuzzer (libfuzzer-sys) with
# SanitizerCoverage passes that stable rustc accepts (-Cpasses=sancov-module and
# -Cllvm-args); no nightly, no cargo-fuzz, no sanitizer. The targets and their
# invariants are fuzz/src/checks.rs; the committed corpus is fuzz/corpus/<target>/
# and `cargo test --test fuzz_corpus` replays it.
#
#   scripts/fuzz.sh list                       the targets
#   scripts/fuzz.sh build                      build every target
#   scripts/fuzz.sh run <target|all> <secs> [libFuzzer args...]
#                                              fuzz for <secs> each (corpus dir: fuzz/work/<target>,
#                                              seeded from fuzz/corpus/<target>; crashes in fuzz/artifacts/)
#   scripts/fuzz.sh min <target|all>           minimise fuzz/work/<target> + the corpus into fuzz/corpus/<target>
#                                              (regress-* files are kept as they are)
#   scripts/fuzz.sh repro <target> <file>      run one input (prints the failed invariant)
#
# Exits non-zero when a target fails an invariant. Runs at nice 19.
set -euo pipefail
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")

# Called back as RUSTC_WRAPPER: crates from the registry (zlib-rs, rustls, ...)
# are compiled without the coverage passes. Their compare tracing took over
# half the time of the deflate targets, and coverage inside them does not steer
# the fuzzer towards new paths in our code.
if [ -n "${LWS_FUZZ_RUSTC_WRAPPER:-}" ]; then
	rustc=$1
	shift
	case " $* " in
	*/registry/src/* | */git/checkouts/*)
		args=()
		for a in "$@"; do
			case $a in
			-Cpasses=sancov-module | -Cllvm-args=-sanitizer-coverage*) ;;
			*) args+=("$a") ;;
			esac
		done
		exec "$rustc" "${args[@]}"
		;;
	esac
	exec "$rustc" "$@"
fi
cd "$(dirname "$0")/../fuzz"
FUZZ=$PWD

HOST=$(rustc -vV | sed -n 's/^host: //p')
export CARGO_TARGET_DIR=$FUZZ/target
# --target makes RUSTFLAGS apply to the targets only, not to build scripts.
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
export RUSTC_WRAPPER=$SELF LWS_FUZZ_RUSTC_WRAPPER=1
BIN=$CARGO_TARGET_DIR/$HOST/release
# Bounded memory is an invariant too: one allocation over 256 MiB, or 1 GiB in
# all, from inputs of at most 8 KiB is a failure.
LIMITS=(-rss_limit_mb=1024 -malloc_limit_mb=256 -max_len=8192 -timeout=10)

# The Rust targets of src/checks.rs, and the C wire harness (src/wire.rs).
targets() {
	sed -n 's/^ *("\([a-z_0-9]*\)", [a-z_0-9]*),$/\1/p' src/checks.rs
	echo wire
}

# Not --locked: fuzz/Cargo.lock follows the main crate's dependencies, which change.
build() { nice -n 19 cargo build --release --target "$HOST" --bins; }

expand() { if [ "$1" = all ]; then targets; else echo "$1"; fi; }

cmd=${1:-}
case "$cmd" in
list) targets ;;
build) build ;;
run)
	[ $# -ge 3 ] || { echo "usage: $0 run <target|all> <seconds> [libFuzzer args]" >&2; exit 2; }
	what=$2 secs=$3
	shift 3
	build
	for t in $(expand "$what"); do
		mkdir -p "work/$t" "corpus/$t" "artifacts/$t"
		echo "== $t: ${secs}s"
		nice -n 19 "$BIN/$t" "${LIMITS[@]}" -max_total_time="$secs" -print_final_stats=1 \
			-artifact_prefix="artifacts/$t/" "$@" "work/$t" "corpus/$t" 2>"work/$t.log" || {
			tail -40 "work/$t.log"
			echo "FAIL: $t (input saved under fuzz/artifacts/$t/)" >&2
			exit 1
		}
		grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' "work/$t.log" |
			tr '\n' ' '
		echo
	done
	;;
min)
	[ $# -ge 2 ] || { echo "usage: $0 min <target|all>" >&2; exit 2; }
	build
	for t in $(expand "$2"); do
		mkdir -p "work/$t" "corpus/$t"
		rm -rf "corpus/$t.new"
		mkdir "corpus/$t.new"
		nice -n 19 "$BIN/$t" "${LIMITS[@]}" -merge=1 "corpus/$t.new" "corpus/$t" "work/$t" \
			2>"work/$t.merge.log"
		# Inputs that once failed keep their names (the merge names files by SHA-1).
		for f in "corpus/$t"/regress-*; do
			[ -f "$f" ] || continue
			rm -f "corpus/$t.new/$(sha1sum <"$f" | cut -c1-40)"
			cp "$f" "corpus/$t.new/"
		done
		rm -rf "corpus/$t"
		mv "corpus/$t.new" "corpus/$t"
		echo "$t: $(ls "corpus/$t" | wc -l) files, $(cat "corpus/$t"/* | wc -c) bytes"
	done
	;;
repro)
	[ $# -ge 3 ] || { echo "usage: $0 repro <target> <file>" >&2; exit 2; }
	build
	"$BIN/$2" "${LIMITS[@]}" "$3"
	;;
*)
	sed -n '2,17p' "$SELF" >&2
	exit 2
	;;
esac

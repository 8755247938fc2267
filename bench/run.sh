#!/usr/bin/env bash
# bench/run.sh - side-by-side benchmark of lws-rs (A) against libwebsockets (B).
#
#   bench/run.sh              full comparison, A B A B A B (about 3 minutes)
#   bench/run.sh --quick      one A B round, short runs (about 20 seconds)
#   bench/run.sh --smoke      lws-rs only, each scenario once, correctness only
#   bench/run.sh --impl-b PREFIX   B = a locally installed lws prefix
#                                  (PREFIX/include, PREFIX/lib) instead of the
#                                  system libwebsockets (Debian: 4.1.6)
#   bench/run.sh --impl-bext PREFIX  B for the permessage-deflate rows: an lws
#                                  built with extensions (default: B itself,
#                                  when it has them; otherwise A only)
#   other options: --rounds N, --secs S (length of each timed run),
#                  --no-cargo (use target/release as it is),
#                  --a-so FILE (A = this libwebsockets.so, e.g. an older
#                  build, instead of target/release),
#                  --hold N (idle connections beside the scale scenario),
#                  --http-size BYTES (the HTTP body of the http-* scenarios;
#                  100 MiB, smoke 1 MiB),
#                  --only REGEX (run only the scenarios whose id matches,
#                  e.g. '^http-'; the instruction counts are the id 'instr'),
#                  --instr auto|callgrind|perf|none
#
# Everything is built into bench/out/.  Every client run verifies every echoed
# byte and a failed run is reported (and makes this script exit non-zero);
# there are no timing assertions.  The wss:// (TLS) scenarios use certificates
# made at run time into bench/out/certs by tests/tls/make-certs.sh (needs the
# openssl command).  See bench/README.md.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
OUT=$HERE/out

MODE_ARGS="$*"
MODE=full
ROUNDS=
SECS=
IMPL_B=
IMPL_BEXT=
A_SO=
HOLD=
HTTP_SIZE=
ONLY=
NO_CARGO=0
INSTR=auto

usage() { sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

while [ $# -gt 0 ]; do
	case $1 in
	--quick) MODE=quick ;;
	--smoke) MODE=smoke ;;
	--full) MODE=full ;;
	--impl-b) IMPL_B=${2:?--impl-b needs a prefix}; shift ;;
	--impl-bext) IMPL_BEXT=${2:?--impl-bext needs a prefix}; shift ;;
	--a-so) A_SO=${2:?--a-so needs a file}; NO_CARGO=1; shift ;;
	--hold) HOLD=${2:?}; shift ;;
	--http-size) HTTP_SIZE=${2:?}; shift ;;
	--only) ONLY=${2:?}; shift ;;
	--rounds) ROUNDS=${2:?}; shift ;;
	--secs) SECS=${2:?}; shift ;;
	--no-cargo) NO_CARGO=1 ;;
	--instr) INSTR=${2:?}; shift ;;
	-h|--help) usage 0 ;;
	*) echo "run.sh: unknown option $1" >&2; usage 2 ;;
	esac
	shift
done

case $MODE in
full)  : "${ROUNDS:=3}" "${SECS:=1.5}" "${HOLD:=10000}" "${HTTP_SIZE:=104857600}"; IDLE_SIZES="1000 10000"; CG_N1=100; CG_N2=2100 ;;
quick) : "${ROUNDS:=1}" "${SECS:=0.4}" "${HOLD:=10000}" "${HTTP_SIZE:=104857600}"; IDLE_SIZES="1000"; CG_N1=20; CG_N2=220 ;;
smoke) : "${ROUNDS:=1}" "${SECS:=0.5}" "${HOLD:=200}" "${HTTP_SIZE:=1048576}"; IDLE_SIZES="200"; INSTR=none ;;
esac

log() { printf '%s\n' "$*" >&2; }
die() { log "run.sh: $*"; exit 1; }

mkdir -p "$OUT" || die "cannot create $OUT"
RUNS=$OUT/runs
rm -rf "$RUNS"
mkdir -p "$RUNS"
T0=$(date +%s)
FAILED=0
PASSED=0
SPID=

cleanup() {
	if [ -n "${HPID:-}" ] && kill -0 "$HPID" 2>/dev/null; then
		kill "$HPID" 2>/dev/null
		wait "$HPID" 2>/dev/null
	fi
	if [ -n "$SPID" ] && kill -0 "$SPID" 2>/dev/null; then
		kill "$SPID" 2>/dev/null
		wait "$SPID" 2>/dev/null
	fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

# ------------------------------------------------------------------ build

CFLAGS="-O2 -g -Wall -Wextra -std=gnu99"

build_ours() {
	local so tries=0
	if [ "$NO_CARGO" = 0 ]; then
		# someone may be mid-edit: retry a few times, bounded
		until (cd "$ROOT" && cargo build --release --quiet) >"$OUT/cargo.log" 2>&1; do
			tries=$((tries + 1))
			[ $tries -ge 4 ] && { tail -20 "$OUT/cargo.log" >&2; die "cargo build --release failed"; }
			log "cargo build --release failed (attempt $tries), retrying in 30 s"
			sleep 30
		done
	fi
	so=${A_SO:-$ROOT/target/release/libwebsockets.so}
	[ -f "$so" ] || die "$so is missing (run cargo build --release)"
	SONAME=$(readelf -d "$so" 2>/dev/null | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')
	: "${SONAME:=libwebsockets.so.19}"
	rm -rf "$OUT/a"
	mkdir -p "$OUT/a/lib"
	# a copy, so a concurrent cargo build cannot swap the library mid-run
	cp "$so" "$OUT/a/lib/$SONAME"
	ln -sf "$SONAME" "$OUT/a/lib/libwebsockets.so"
	for p in echo-server load-client http-bench; do
		gcc $CFLAGS -I "$ROOT/include" "$HERE/$p.c" -o "$OUT/a/$p" \
			-L "$OUT/a/lib" -lwebsockets -Wl,-rpath,"$OUT/a/lib" \
			|| die "building $p against lws-rs failed"
	done
}

# build_theirs <out dir> <prefix or empty>: sets B_NAME (of the last build)
build_theirs() {
	local dir=$1 prefix=$2 inc lib d link
	rm -rf "$dir"
	mkdir -p "$dir"
	if [ -n "$prefix" ]; then
		[ -f "$prefix/include/libwebsockets.h" ] || die "$prefix/include/libwebsockets.h not found"
		lib=
		for d in lib lib64 lib/x86_64-linux-gnu; do
			[ -e "$prefix/$d/libwebsockets.so" ] && { lib=$prefix/$d; break; }
		done
		[ -n "$lib" ] || die "no libwebsockets.so under $prefix/lib*"
		inc="-I $prefix/include"
		B_NAME="libwebsockets $(sed -n 's/^#define LWS_LIBRARY_VERSION "\(.*\)"/\1/p' "$prefix/include/lws_config.h" 2>/dev/null | head -1)"
		[ "$B_NAME" = "libwebsockets " ] && B_NAME="libwebsockets ($prefix)"
		link="-L $lib -lwebsockets -Wl,-rpath,$lib"
	else
		if [ ! -f /usr/include/libwebsockets.h ]; then
			if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
				log "installing libwebsockets-dev (the reference implementation)"
				apt-get install -y libwebsockets-dev >"$OUT/apt.log" 2>&1 ||
					{ apt-get update >>"$OUT/apt.log" 2>&1 &&
					  apt-get install -y libwebsockets-dev >>"$OUT/apt.log" 2>&1; } ||
					die "apt-get install libwebsockets-dev failed (see $OUT/apt.log)"
			else
				die "the reference needs libwebsockets-dev (apt-get install -y libwebsockets-dev)"
			fi
		fi
		inc=
		B_NAME="libwebsockets $(pkg-config --modversion libwebsockets 2>/dev/null | sed 's/-$//')"
		link="-lwebsockets"
	fi
	for p in echo-server load-client http-bench; do
		# shellcheck disable=SC2086
		gcc $CFLAGS $inc "$HERE/$p.c" -o "$dir/$p" $link \
			|| die "building $p against $B_NAME failed"
	done
}

# whether an lws prefix (empty: the system's) has extensions (permessage-deflate)
has_ext() {
	local cfg=${1:-/usr}/include/lws_config.h
	[ -f "$cfg" ] && ! grep -q '^#define LWS_WITHOUT_EXTENSIONS' "$cfg"
}

build_raw() {
	gcc $CFLAGS "$HERE/raw-echo.c" -o "$OUT/raw-echo" || die "building raw-echo failed"
	gcc $CFLAGS "$HERE/http-peer.c" -o "$OUT/http-peer" || die "building http-peer failed"
}

log "building into $OUT"
build_ours
build_raw
BX=
BX_NAME=
if [ "$MODE" != smoke ]; then
	if [ -n "$IMPL_BEXT" ]; then
		build_theirs "$OUT/bx" "$IMPL_BEXT"
		BX=1
	elif has_ext "$IMPL_B"; then
		build_theirs "$OUT/bx" "$IMPL_B"
		BX=1
	fi
	[ -n "$BX" ] && BX_NAME="$B_NAME (with extensions)"
	build_theirs "$OUT/b" "$IMPL_B"
fi
GIT_REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "unknown commit")
if [ -n "$(git -C "$ROOT" status --porcelain -- src include Cargo.toml Cargo.lock build.rs csrc 2>/dev/null)" ]; then
	GIT_REV="$GIT_REV + uncommitted changes to the library"
fi
# TLS: a CA and a server certificate for localhost / 127.0.0.1, made fresh
CERTS=$OUT/certs
rm -rf "$CERTS"
bash "$ROOT/tests/tls/make-certs.sh" "$CERTS" >"$OUT/certs.log" 2>&1 ||
	{ cat "$OUT/certs.log" >&2; die "making the test certificates failed (is openssl installed?)"; }
TLS_S="-C $CERTS/server.pem -K $CERTS/server.key"
TLS_C="-T $CERTS/ca.pem -H localhost"
# the file lws_serve_http_file sends in http-srv-file
HTTP_FILE=$OUT/http-body.bin
"$OUT/http-peer" mkfile "$HTTP_FILE" "$HTTP_SIZE" || die "cannot write $HTTP_FILE"
B_TLS=$(ldd "$OUT/b/echo-server" 2>/dev/null | sed -n 's/^[[:space:]]*\(libssl[^ ]*\).*/\1/p' | head -1)

A_NAME="lws-rs $(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -1)"

# ------------------------------------------------------------------ limits

ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null
NOFILE=$(ulimit -n)
NOTES=
if [ "$NOFILE" != unlimited ]; then
	new=
	if [ "$HOLD" -gt $((NOFILE - 200)) ]; then
		NOTES="$NOTES scale scenario: $((NOFILE - 200)) idle connections instead of $HOLD (ulimit -n is $NOFILE)."
		HOLD=$((NOFILE - 200))
	fi
	for n in $IDLE_SIZES; do
		if [ "$n" -gt $((NOFILE - 100)) ]; then
			NOTES="$NOTES idle-$n scaled down to $((NOFILE - 100)) connections (ulimit -n is $NOFILE)."
			n=$((NOFILE - 100))
		fi
		new="$new $n"
	done
	IDLE_SIZES=$new
fi

# ------------------------------------------------------------------ servers

PORT=$((20000 + RANDOM % 8000))

# start_server <log> <cmd...>: starts "<cmd> -p PORT", waits for READY
start_server() {
	local slog=$1 tries=0 i
	shift
	while [ $tries -lt 5 ]; do
		PORT=$((PORT + 1))
		"$@" -p "$PORT" >"$slog" 2>&1 &
		SPID=$!
		for i in $(seq 200); do		# up to 10 s (valgrind starts slowly)
			grep -q '^READY' "$slog" 2>/dev/null && return 0
			kill -0 "$SPID" 2>/dev/null || break
			sleep 0.05
		done
		kill "$SPID" 2>/dev/null
		wait "$SPID" 2>/dev/null
		SPID=
		tries=$((tries + 1))
	done
	log "server did not start: $*"
	cat "$slog" >&2
	return 1
}

# stop_server: SIGTERM, then SIGKILL after 5 s
stop_server() {
	local i
	[ -n "$SPID" ] || return 0
	kill "$SPID" 2>/dev/null
	for i in $(seq 50); do
		kill -0 "$SPID" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$SPID" 2>/dev/null
	wait "$SPID" 2>/dev/null
	SPID=
}

# ------------------------------------------------------------------ runs

impl_dir() { case $1 in A) echo "$OUT/a" ;; B) echo "$OUT/b" ;; X) echo "$OUT/bx" ;; esac; }

HPID=
# start_hold <log> <n>: n idle WebSocket connections to the server on PORT,
# held by raw-echo (the same process whichever library serves them)
start_hold() {
	local hlog=$1 i
	"$OUT/raw-echo" hold -c "$2" -k 128 -p "$PORT" -t 240 >"$hlog" 2>&1 &
	HPID=$!
	for i in $(seq 1800); do		# up to 180 s
		grep -q '^HELD' "$hlog" 2>/dev/null && return 0
		kill -0 "$HPID" 2>/dev/null || break
		sleep 0.1
	done
	log "idle connections not held: $(tail -2 "$hlog" | tr '\n' ' ')"
	stop_hold
	return 1
}

stop_hold() {
	[ -n "$HPID" ] || return 0
	kill "$HPID" 2>/dev/null
	wait "$HPID" 2>/dev/null
	HPID=
}

# run_one <scenario> <impl A|B|R> <round> <client args...>
# (the echo-server gets the extra arguments in $SRV_ARGS: the TLS ones)
run_one() {
	local sc=$1 impl=$2 round=$3 f rc dir
	shift 3
	f=$RUNS/$sc.$impl.$round
	if [ "$impl" = R ]; then
		start_server "$f.srv" "$OUT/raw-echo" server || { FAILED=$((FAILED + 1)); return; }
		timeout 120 "$OUT/raw-echo" client -p "$PORT" "$@" >"$f.out" 2>"$f.err"
		rc=$?
	else
		dir=$(impl_dir "$impl")
		# shellcheck disable=SC2086
		start_server "$f.srv" "$dir/echo-server" $SRV_ARGS || { FAILED=$((FAILED + 1)); return; }
		if [ -n "$HOLD_N" ] && ! start_hold "$f.hold" "$HOLD_N"; then
			stop_server
			FAILED=$((FAILED + 1))
			return
		fi
		timeout 120 "$dir/load-client" -p "$PORT" -P "$SPID" "$@" >"$f.out" 2>"$f.err"
		rc=$?
		stop_hold
	fi
	stop_server
	if [ $rc -eq 0 ] && grep -q '^RESULT' "$f.out"; then
		grep '^RESULT' "$f.out" >"$f.res"
		PASSED=$((PASSED + 1))
		log "  $sc $impl#$round: $(cut -d' ' -f2- "$f.res")"
	else
		FAILED=$((FAILED + 1))
		log "  $sc $impl#$round: FAILED (exit $rc): $(tail -3 "$f.err" | tr '\n' ' ')"
	fi
}

# scenario table: id | load-client args | raw-echo args (empty: none)
#                 | echo-server args | idle connections held beside it
#                 | implementations (default A B; pmd rows: A X)
SCENARIOS=(
	"pp1-16|-m pingpong -c 1 -s 16|-m pingpong -c 1 -s 16"
	"pp1-1k|-m pingpong -c 1 -s 1024|-m pingpong -c 1 -s 1024"
	"pp64-16|-m pingpong -c 64 -s 16|-m pingpong -c 64 -s 16"
	"pp64-1k|-m pingpong -c 64 -s 1024|-m pingpong -c 64 -s 1024"
	"stream|-m stream -c 1 -s 65536 -w 4|-m stream -c 1 -s 65536 -w 4"
	"churn|-m churn -k 8|"
	"tls-pp1-1k|-m pingpong -c 1 -s 1024 $TLS_C||$TLS_S"
	"tls-stream|-m stream -c 1 -s 65536 -w 4 $TLS_C||$TLS_S"
	"tls-churn|-m churn -k 8 $TLS_C||$TLS_S"
	"scale|-m pingpong -c 64 -s 16|||$HOLD"
	"text-stream|-m stream -c 1 -s 65536 -w 4 -G||||pmd"
	"pmd-stream|-m stream -c 1 -s 65536 -w 4 -G -Z||-Z||pmd"
)
for n in $IDLE_SIZES; do
	SCENARIOS+=("idle-$n|-m idle -c $n -k 128 -s 16 -t 90 -W 110|")
done

if [ "$MODE" = smoke ]; then
	IMPLS="A"
else
	IMPLS="A B"
fi

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
for s in "${SCENARIOS[@]}"; do
	IFS='|' read -r sc cargs rargs SRV_ARGS HOLD_N which <<<"$s"
	[[ $sc =~ $ONLY ]] || continue
	impls=$IMPLS
	if [ "$which" = pmd ]; then
		impls=A
		[ "$MODE" != smoke ] && [ -n "$BX" ] && impls="A X"
	fi
	log "scenario $sc${HOLD_N:+ (beside $HOLD_N idle connections)}"
	for round in $(seq "$ROUNDS"); do
		for impl in $impls; do
			# shellcheck disable=SC2086
			if [ "${sc#idle}" != "$sc" ]; then
				run_one "$sc" "$impl" "$round" $cargs
			else
				run_one "$sc" "$impl" "$round" $cargs -t "$SECS"
			fi
		done
		if [ -n "$rargs" ]; then
			# shellcheck disable=SC2086
			run_one "$sc" R "$round" $rargs -t "$SECS"
		fi
	done
done
SRV_ARGS=
HOLD_N=

# run_http <scenario> <impl A|B|R> <round> <side srv|cli> <peer client args...>
# srv: http-bench server (A or B) against http-peer client (it reads the
#      server's CPU and peak RSS);
# cli: http-bench client (A or B, it reads its own) against http-peer server;
# R:   http-peer on both sides (the physical limit).
run_http() {
	local sc=$1 impl=$2 round=$3 side=$4 f rc dir
	shift 4
	f=$RUNS/$sc.$impl.$round
	dir=$(impl_dir "$impl")
	if [ "$side" = srv ] && [ "$impl" != R ]; then
		start_server "$f.srv" "$dir/http-bench" server -f "$HTTP_FILE" || { FAILED=$((FAILED + 1)); return; }
	else
		start_server "$f.srv" "$OUT/http-peer" server -t 300 || { FAILED=$((FAILED + 1)); return; }
	fi
	if [ "$side" = cli ] && [ "$impl" != R ]; then
		timeout 120 "$dir/http-bench" client -p "$PORT" "$@" >"$f.out" 2>"$f.err"
	elif [ "$side" = cli ]; then
		timeout 120 "$OUT/http-peer" client -p "$PORT" "$@" >"$f.out" 2>"$f.err"
	else
		timeout 120 "$OUT/http-peer" client -p "$PORT" -P "$SPID" "$@" >"$f.out" 2>"$f.err"
	fi
	rc=$?
	stop_server
	if [ $rc -eq 0 ] && grep -q '^RESULT' "$f.out"; then
		grep '^RESULT' "$f.out" >"$f.res"
		PASSED=$((PASSED + 1))
		log "  $sc $impl#$round: $(cut -d' ' -f2- "$f.res")"
	else
		FAILED=$((FAILED + 1))
		log "  $sc $impl#$round: FAILED (exit $rc): $(tail -3 "$f.err" | tr '\n' ' ')"
	fi
}

# HTTP throughput: id | side | peer / client args | raw reference (R) too
HTTP_SCENARIOS=(
	"http-srv-gen|srv|-m get -s $HTTP_SIZE -u /bench/gen/$HTTP_SIZE|R"
	"http-srv-file|srv|-m get -s $HTTP_SIZE -u /bench/file|"
	"http-srv-post|srv|-m post -s $HTTP_SIZE -u /bench/upload|R"
	"http-cli-get|cli|-m get -s $HTTP_SIZE|R"
	"http-cli-post|cli|-m post -s $HTTP_SIZE|R"
)
for s in "${HTTP_SCENARIOS[@]}"; do
	IFS='|' read -r sc side hargs raw <<<"$s"
	[[ $sc =~ $ONLY ]] || continue
	log "scenario $sc ($HTTP_SIZE bytes)"
	for round in $(seq "$ROUNDS"); do
		for impl in $IMPLS $raw; do
			# shellcheck disable=SC2086
			run_http "$sc" "$impl" "$round" "$side" $hargs
		done
	done
done

# ------------------------------------------------------- instruction counts

perf_ok() {
	command -v perf >/dev/null &&
		perf stat -x, -e instructions:u -o "$OUT/perf.check" true >/dev/null 2>&1 &&
		! grep -q 'not supported\|not counted' "$OUT/perf.check" &&
		grep -q instructions "$OUT/perf.check"
}

INSTR_TOOL=none
case $INSTR in
auto)
	if perf_ok; then INSTR_TOOL=perf
	elif command -v valgrind >/dev/null; then INSTR_TOOL=callgrind
	else NOTES="$NOTES No instruction counts: perf cannot count instructions here and valgrind is missing."
	fi ;;
perf) perf_ok && INSTR_TOOL=perf || die "perf stat -e instructions does not work here" ;;
callgrind) command -v valgrind >/dev/null && INSTR_TOOL=callgrind || die "valgrind is missing" ;;
none) ;;
*) die "--instr auto|callgrind|perf|none" ;;
esac
[[ instr =~ $ONLY ]] || INSTR_TOOL=none

# counted <outfile> <cmd...>: runs cmd under the counting tool
counted() {
	local o=$1
	shift
	case $INSTR_TOOL in
	perf) exec perf stat -x, -e instructions:u -o "$o" -- "$@" ;;
	callgrind) exec valgrind --tool=callgrind --callgrind-out-file="$o" "$@" 2>>"$o.log" ;;
	esac
}

count_of() {
	case $INSTR_TOOL in
	perf) awk -F, '/instructions/ { print $1; exit }' "$1" ;;
	callgrind) awk '/^totals:/ { print $2; exit }' "$1" ;;
	esac
}

# instr_run <impl> <n>: echoes n 16-byte messages on one connection with both
# sides counted; prints "<server instructions> <client instructions>"
instr_run() {
	local impl=$1 n=$2 dir f rc i
	dir=$(impl_dir "$impl")
	f=$RUNS/instr.$impl.$n
	rm -f "$f".*
	start_server "$f.srv" counted "$f.server" "$dir/echo-server" -x 1 || return 1
	timeout 300 bash -c "$(declare -f counted); INSTR_TOOL=$INSTR_TOOL; counted '$f.client' '$dir/load-client' -m pingpong -c 1 -s 16 -n $n -p $PORT" \
		>"$f.out" 2>"$f.err"
	rc=$?
	# the server exits by itself after its one connection closed (-x 1)
	for i in $(seq 300); do
		kill -0 "$SPID" 2>/dev/null || break
		sleep 0.1
	done
	stop_server
	if [ $rc -ne 0 ] || ! grep -q '^RESULT' "$f.out"; then
		log "  instr $impl n=$n: FAILED (exit $rc): $(tail -3 "$f.err" | tr '\n' ' ')"
		return 1
	fi
	echo "$(count_of "$f.server") $(count_of "$f.client")"
}

if [ "$INSTR_TOOL" != none ]; then
	log "scenario instr ($INSTR_TOOL; $CG_N1 and $CG_N2 round trips, the difference per message)"
	for impl in $IMPLS; do
		if r1=$(instr_run "$impl" "$CG_N1") && r2=$(instr_run "$impl" "$CG_N2"); then
			read -r s1 c1 <<<"$r1"
			read -r s2 c2 <<<"$r2"
			if [ -n "$s1" ] && [ -n "$s2" ] && [ -n "$c1" ] && [ -n "$c2" ]; then
				awk -v s1="$s1" -v s2="$s2" -v c1="$c1" -v c2="$c2" -v d=$((CG_N2 - CG_N1)) \
					'BEGIN { s = (s2 - s1) / d; c = (c2 - c1) / d;
					  printf "RESULT mode=instr server_instr_per_msg=%.0f client_instr_per_msg=%.0f total_instr_per_msg=%.0f\n", s, c, s + c }' \
					>"$RUNS/instr.$impl.res"
				PASSED=$((PASSED + 1))
				log "  instr $impl: $(cut -d' ' -f2- "$RUNS/instr.$impl.res")"
				continue
			fi
		fi
		FAILED=$((FAILED + 1))
		log "  instr $impl: FAILED"
	done
fi
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
ELAPSED=$(( $(date +%s) - T0 ))

# ------------------------------------------------------------------ report

# median <scenario> <impl> <key>
median() {
	local f
	for f in "$RUNS/$1.$2".*res; do
		[ -f "$f" ] && tr ' ' '\n' <"$f" | sed -n "s/^$3=//p"
	done | sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit;
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

if [ "$MODE" = smoke ]; then
	# self-test: a server that corrupts one echoed byte must fail the client
	# (over ws:// and over wss://)
	for tls in "" wss; do
		f=$RUNS/corrupt${tls:+-$tls}.A.1
		sargs= cargs=
		[ -n "$tls" ] && { sargs=$TLS_S; cargs=$TLS_C; }
		# shellcheck disable=SC2086
		if start_server "$f.srv" "$OUT/a/echo-server" -z 5 $sargs; then
			# shellcheck disable=SC2086
			timeout 60 "$OUT/a/load-client" -p "$PORT" -m pingpong -c 1 -s 16 -n 20 $cargs >"$f.out" 2>"$f.err"
			rc=$?
			stop_server
			if [ $rc -ne 0 ] && grep -q 'differ' "$f.err"; then
				PASSED=$((PASSED + 1))
				log "  corrupted echo detected${tls:+ ($tls)}: $(head -1 "$f.err")"
			else
				FAILED=$((FAILED + 1))
				log "  corrupted echo${tls:+ ($tls)} NOT detected (exit $rc)"
			fi
		else
			FAILED=$((FAILED + 1))
		fi
	done
	log "smoke: $PASSED passed, $FAILED failed (${ELAPSED}s)"
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" = 0 ]
	exit
fi

# rows: scenario | key | label | target op | target ratio | compare with raw
#       | B column from (B, or X: the build with extensions)
ROWS=(
	"pp1-16|msgs_per_s|ping-pong 1 conn 16 B, msgs/s|||raw"
	"pp1-16|srv_cpu_us_per_op|ping-pong 1 conn 16 B, server CPU us/msg||| "
	"pp1-16|p50_us|ping-pong 1 conn 16 B, p50 us||| "
	"pp1-1k|msgs_per_s|ping-pong 1 conn 1 KiB, msgs/s|||raw"
	"pp1-1k|srv_cpu_us_per_op|ping-pong 1 conn 1 KiB, server CPU us/msg||| "
	"pp64-16|msgs_per_s|ping-pong 64 conns 16 B, msgs/s|||raw"
	"pp64-16|srv_cpu_us_per_op|ping-pong 64 conns 16 B, server CPU us/msg||| "
	"pp64-16|p99_us|ping-pong 64 conns 16 B, p99 us||| "
	"pp64-1k|msgs_per_s|ping-pong 64 conns 1 KiB, msgs/s|||raw"
	"pp64-1k|srv_cpu_us_per_op|ping-pong 64 conns 1 KiB, server CPU us/msg||| "
	"scale|msgs_per_s|64 x 16 B ping-pong beside $HOLD idle conns, msgs/s||| "
	"scale|srv_cpu_us_per_op|same, server CPU us/msg||| "
	"scale|p99_us|same, p99 us||| "
	"stream|mb_per_s|streaming 64 KiB msgs, MB/s|||raw"
	"stream|srv_cpu_ms_per_mb|streaming 64 KiB msgs, server CPU ms/MB||| "
	"churn|conns_per_s|churn (connect+handshake+close), conns/s|>=|1.2|"
	"churn|srv_cpu_us_per_op|churn, server CPU us/conn|<=|0.8|"
	"tls-pp1-1k|msgs_per_s|wss ping-pong 1 conn 1 KiB, msgs/s|none|| "
	"tls-pp1-1k|srv_cpu_us_per_op|wss ping-pong 1 conn 1 KiB, server CPU us/msg|none|| "
	"tls-stream|mb_per_s|wss streaming 64 KiB msgs, MB/s|none|| "
	"tls-stream|srv_cpu_ms_per_mb|wss streaming 64 KiB msgs, server CPU ms/MB|none|| "
	"tls-churn|conns_per_s|wss churn (connect+TLS+ws handshake+close), conns/s|none|| "
	"tls-churn|srv_cpu_us_per_op|wss churn, server CPU us/conn|none|| "
	"text-stream|mb_per_s|streaming 64 KiB compressible text, no pmd, MB/s|none|| |X"
	"text-stream|srv_cpu_ms_per_mb|same, server CPU ms/MB|none|| |X"
	"pmd-stream|mb_per_s|same with permessage-deflate, MB/s|none|| |X"
	"pmd-stream|srv_cpu_ms_per_mb|same with permessage-deflate, server CPU ms/MB|none|| |X"
)
for n in $IDLE_SIZES; do
	ROWS+=("idle-$n|kib_per_conn|idle $n conns, KiB/conn (server+client)||| ")
	ROWS+=("idle-$n|server_kib_per_conn|idle $n conns, server KiB/conn|<=|0.35| ")
done
HMIB=$(awk -v b="$HTTP_SIZE" 'BEGIN { printf "%g MiB", b / 1048576 }')
ROWS+=(
	"http-srv-gen|mb_per_s|HTTP server, GET $HMIB written from WRITEABLE, MB/s|none||raw"
	"http-srv-gen|srv_cpu_ms_per_mb|same, server CPU ms/MB|none|| "
	"http-srv-gen|srv_peak_rss_kib|same, server peak RSS KiB|none|| "
	"http-srv-file|mb_per_s|HTTP server, GET $HMIB by lws_serve_http_file, MB/s|none|| "
	"http-srv-file|srv_cpu_ms_per_mb|same, server CPU ms/MB|none|| "
	"http-srv-file|srv_peak_rss_kib|same, server peak RSS KiB|none|| "
	"http-srv-post|mb_per_s|HTTP server, POST $HMIB read in HTTP_BODY, MB/s|none||raw"
	"http-srv-post|srv_cpu_ms_per_mb|same, server CPU ms/MB|none|| "
	"http-srv-post|srv_peak_rss_kib|same, server peak RSS KiB|none|| "
	"http-cli-get|mb_per_s|HTTP client, GET $HMIB, MB/s|none||raw"
	"http-cli-get|cli_cpu_ms_per_mb|same, client CPU ms/MB|none|| "
	"http-cli-get|cli_peak_rss_kib|same, client peak RSS KiB|none|| "
	"http-cli-post|mb_per_s|HTTP client, POST $HMIB from CLIENT_HTTP_WRITEABLE, MB/s|none||raw"
	"http-cli-post|cli_cpu_ms_per_mb|same, client CPU ms/MB|none|| "
	"http-cli-post|cli_peak_rss_kib|same, client peak RSS KiB|none|| "
)
if [ "$INSTR_TOOL" != none ]; then
	ROWS+=("instr|server_instr_per_msg|instructions per echoed 16 B msg, server|<=|0.5|")
	ROWS+=("instr|client_instr_per_msg|instructions per round trip, client||| ")
	ROWS+=("instr|total_instr_per_msg|instructions per round trip, server+client||| ")
fi

fmt() { awk -v v="$1" 'BEGIN { if (v == "") print "-"; else if (v >= 100) printf "%.0f\n", v; else printf "%.2f\n", v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print ""; else printf "%.2f\n", a / b }'; }
check() { awk -v r="$1" -v op="$2" -v t="$3" 'BEGIN {
	if (r == "" || op == "") { print ""; exit }
	ok = (op == ">=") ? (r >= t) : (r <= t); print ok ? "yes" : "NO" }'; }

SUMMARY=$OUT/summary.md
{
	echo "| scenario | $A_NAME | $B_NAME | ratio A/B | target | met | raw TCP | A/raw | run-queue wait % A / B (server; http-cli rows: client) |"
	echo "|---|---:|---:|---:|---:|:-:|---:|---:|---:|"
	for row in "${ROWS[@]}"; do
		IFS='|' read -r sc key label op tgt raw bi <<<"$row"
		: "${bi:=B}"
		a=$(median "$sc" A "$key")
		b=$(median "$sc" "$bi" "$key")
		r=$(ratio "$a" "$b")
		met=$(check "$r" "$op" "$tgt")
		rcol=
		rr=
		if [ "$raw" = raw ]; then
			rv=$(median "$sc" R "$key")
			rcol=$(fmt "$rv")
			rr=$(ratio "$a" "$rv")
		fi
		t=
		if [ "$op" = none ]; then
			op= t="—" met="—"
		fi
		[ -n "$op" ] && t="$op $tgt"
		wk=srv_wait_pct
		[ "${sc#http-cli}" != "$sc" ] && wk=cli_wait_pct
		wa=$(median "$sc" A $wk)
		wb=$(median "$sc" "$bi" $wk)
		w=
		[ -n "$wa$wb" ] && w="$(fmt "$wa") / $(fmt "$wb")"
		echo "| $label | $(fmt "$a") | $(fmt "$b") | ${r:--} | $t | $met | $rcol | $rr | $w |"
	done
	echo
	echo "Scale: the 64-connection 16 B ping-pong beside $HOLD idle connections, as a ratio to the same without them (target for A: within 10%):"
	echo
	echo "| | $A_NAME | $B_NAME |"
	echo "|---|---:|---:|"
	echo "| msgs/s, beside idle / alone | $(ratio "$(median scale A msgs_per_s)" "$(median pp64-16 A msgs_per_s)") | $(ratio "$(median scale B msgs_per_s)" "$(median pp64-16 B msgs_per_s)") |"
	echo "| server CPU per msg, beside idle / alone | $(ratio "$(median scale A srv_cpu_us_per_op)" "$(median pp64-16 A srv_cpu_us_per_op)") | $(ratio "$(median scale B srv_cpu_us_per_op)" "$(median pp64-16 B srv_cpu_us_per_op)") |"
	echo
	echo "permessage-deflate (compressible 64 KiB text): pmd / no pmd:"
	echo
	echo "| | $A_NAME | ${BX_NAME:-B (no extensions)} |"
	echo "|---|---:|---:|"
	echo "| MB/s | $(ratio "$(median pmd-stream A mb_per_s)" "$(median text-stream A mb_per_s)") | $(ratio "$(median pmd-stream X mb_per_s)" "$(median text-stream X mb_per_s)") |"
	echo "| server CPU per MB | $(ratio "$(median pmd-stream A srv_cpu_ms_per_mb)" "$(median text-stream A srv_cpu_ms_per_mb)") | $(ratio "$(median pmd-stream X srv_cpu_ms_per_mb)" "$(median text-stream X srv_cpu_ms_per_mb)") |"
} >"$SUMMARY.table"

{
	echo "## Run of $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "- command: \`bench/run.sh${MODE_ARGS:+ $MODE_ARGS}\`"
	echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), kernel $(uname -r), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
	echo "- A: $A_NAME (${A_SO:-target/release, \`cargo build --release\`}) at $GIT_REV; B: $B_NAME${BX_NAME:+; pmd rows: $BX_NAME}; compiler: $(gcc --version | head -1)"
	echo "- mode $MODE: $ROUNDS round(s) per scenario, alternating A B$( [ "$ROUNDS" -gt 1 ] && echo " A B ..."), ${SECS}s per timed run, medians shown; instruction counts: $INSTR_TOOL$( [ "$INSTR_TOOL" != none ] && echo " ($CG_N2 - $CG_N1 round trips)")"
	echo "- load average before / after: $LOAD0 / $LOAD1; wall time ${ELAPSED}s; runs passed $PASSED, failed $FAILED"
	echo "- wss rows: TLS version and cipher as each library negotiates by default, certificates from tests/tls/make-certs.sh (P-256); A uses rustls, B uses ${B_TLS:-its own TLS library} (OpenSSL in Debian's build)"
	[ -n "$NOTES" ] && echo "- note:$NOTES"
	echo
	cat "$SUMMARY.table"
} >"$SUMMARY"
rm -f "$SUMMARY.table"

cat "$SUMMARY"
log "(also in $SUMMARY; raw results in $RUNS)"
[ "$FAILED" = 0 ]

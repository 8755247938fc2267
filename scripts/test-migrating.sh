#!/usr/bin/env bash
# Runs every command of docs/MIGRATING.md, so the guide cannot go stale.
#
# The fenced blocks are taken in order: "```c file=NAME" / "```cmake file=NAME" blocks are
# written to NAME, "```sh" blocks are run line by line in one bash (set -euo pipefail), and a
# line "CMD   # prints: TEXT" fails unless CMD prints exactly TEXT. Any other fenced block
# is an error, so nothing in the guide escapes the test. It runs in a scratch directory
# (the reader's project directory) with LWS_RS set to this checkout and HOME in the scratch
# directory; `sudo` runs the command directly when already root.
#
# Before the guide runs, it builds the fixture the guide calls app-lws: app.c linked against
# a stand-in libwebsockets.so.19 (not ours), without RUNPATH, like a binary built for lws 4.3,
# and checks that it does not start without LD_LIBRARY_PATH.
#
#   scripts/test-migrating.sh            (root or sudo needed for the Debian-package part;
#                                         without either those blocks are skipped, and said so)
# Env: KEEP=1 keeps the scratch directory.
set -euo pipefail
cd "$(dirname "$0")/.."
LWS_RS=$PWD
DOC=$LWS_RS/docs/MIGRATING.md

die() { printf 'test-migrating: %s\n' "$*" >&2; exit 1; }

can_root=1
if [ "$(id -u)" -ne 0 ] && ! { command -v sudo >/dev/null && sudo -n true 2>/dev/null; }; then
	can_root=0
fi
# Like scripts/test-deb.sh: a Debian libwebsockets installed before is reinstalled after.
# shellcheck source=scripts/deb-guard.sh
. scripts/deb-guard.sh
if [ "$can_root" = 1 ]; then real_lws_save; fi
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/lws-rs-migrating.XXXXXX")
cleanup() {
	local rc=0
	if [ "$can_root" = 1 ]; then real_lws_restore || rc=1; fi
	if [ "${KEEP:-0}" = 1 ]; then echo "test-migrating: keeping $SCRATCH" >&2; else rm -rf "$SCRATCH"; fi
	[ "$rc" = 0 ] || exit 1
}
trap cleanup EXIT
APP=$SCRATCH/app
mkdir -p "$APP" "$SCRATCH/home" "$SCRATCH/other-lws"

# The guide as a script.
python3 - "$DOC" "$SCRATCH/guide.sh" "$can_root" <<'EOF'
import re, shlex, sys
doc, out, can_root = sys.argv[1], sys.argv[2], sys.argv[3] == '1'
lines = open(doc).read().split('\n')
script = ['set -euo pipefail',
          'sudo() { if [ "$(id -u)" -eq 0 ]; then "$@"; else command sudo -n "$@"; fi; }']
i = blocks = commands = skipped = 0
while i < len(lines):
    m = re.match(r'^```(\S*)\s*(.*)$', lines[i])
    if not m:
        i += 1
        continue
    lang, attrs = m.group(1), m.group(2)
    j = i + 1
    while not lines[j].startswith('```'):
        j += 1
    body = lines[i + 1:j]
    blocks += 1
    fm = re.match(r'^file=(\S+)$', attrs)
    if lang in ('c', 'cmake') and fm:
        script.append("cat >%s <<'GUIDE_FILE_EOF'" % shlex.quote(fm.group(1)))
        script += body + ['GUIDE_FILE_EOF']
    elif lang == 'sh' and not attrs:
        if not can_root and any(re.search(r'\bsudo\b', l) for l in body):
            script.append('echo "test-migrating: SKIPPED (needs root or sudo): block at line %d" >&2' % (i + 1))
            skipped += 1
        else:
            for n, l in enumerate(body, i + 2):
                script.append('echo "+ [MIGRATING.md:%d] %s" >&2' % (n, l.replace('\\', '\\\\').replace('"', '\\"').replace('$', '\\$').replace('`', '\\`')))
                p = re.match(r'^(.*\S)\s+# prints: (.*)$', l)
                if p:
                    script.append('got=$(%s)' % p.group(1))
                    script.append('[ "$got" = %s ] || { printf "MIGRATING.md:%d: printed %%q, the guide says %%q\\n" "$got" %s >&2; exit 1; }'
                                  % (shlex.quote(p.group(2)), n, shlex.quote(p.group(2))))
                else:
                    script.append(l)
                commands += 1
    else:
        sys.exit('docs/MIGRATING.md:%d: a ```%s %s block the test cannot run (use sh, or c/cmake with file=NAME)'
                 % (i + 1, lang, attrs))
    i = j + 1
script.append('echo "test-migrating: ran %d commands from %d blocks%s" >&2'
              % (commands, blocks, (', %d blocks skipped' % skipped) if skipped else ''))
open(out, 'w').write('\n'.join(script) + '\n')
EOF

# The fixture: app.c (from the guide) built against a stand-in libwebsockets.so.19.
sed -n '/^```c file=app.c/,/^```$/p' "$DOC" | sed '1d;$d' >"$SCRATCH/other-lws/app.c"
cat >"$SCRATCH/other-lws/stand-in.c" <<'EOF'
const char *lws_get_library_version(void) { return "stand-in"; }
EOF
(
	cd "$SCRATCH/other-lws"
	cc -shared -fPIC -Wl,-soname,libwebsockets.so.19 -o libwebsockets.so.19 stand-in.c
	ln -sf libwebsockets.so.19 libwebsockets.so
	cc -o "$APP/app-lws" app.c -I"$LWS_RS/include" -L. -lwebsockets
	[ "$(LD_LIBRARY_PATH=. "$APP/app-lws")" = stand-in ]
)
rm -rf "$SCRATCH/other-lws"
if ! ldconfig -p | grep -q 'libwebsockets.so.19 '; then
	! "$APP/app-lws" >/dev/null 2>&1 || die "app-lws starts without LD_LIBRARY_PATH"
	echo "test-migrating: fixture app-lws: NEEDED libwebsockets.so.19, no RUNPATH, does not start on its own" >&2
fi

# HOME moves to the scratch directory (the guide installs into $HOME/lws-rs); the Rust
# toolchain stays where the real HOME has it.
export RUSTUP_HOME=${RUSTUP_HOME:-$HOME/.rustup} CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
cd "$APP"
env LWS_RS="$LWS_RS" HOME="$SCRATCH/home" bash "$SCRATCH/guide.sh"
echo "test-migrating: docs/MIGRATING.md: every command ran as the guide says"

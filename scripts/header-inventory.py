#!/usr/bin/env python3
"""Lists what a reference libwebsockets header tree declares and our include/ lacks.

  scripts/header-inventory.py --ref-include DIR [--ref-include DIR2] \
      [--config DIR] [--ours include] [--cflag F] [--out-names FILE]

The reference headers (a libwebsockets v4.3.3 include/ tree; none ships with this
repository) are preprocessed with the lws_config.h found in --config (default: ours,
so the inventory is "what applies under our feature set"). From the parts of the
output that come from the reference headers it collects

  macro      every #define
  typedef    every typedef name
  tag        every struct / union / enum that is defined with a body
  enumconst  every enumerator
  inline     every static inline function

and probes each against <libwebsockets.h> from --ours (one generated translation
unit, failures mapped back by line number, as scripts/check-abi.sh does). It prints
the missing names, one "kind<TAB>name<TAB>reference header" a line, then a count per
kind. Python 3 standard library only.

The repository keeps the reference inventory (v4.3.3, installed headers of a cmake-defaults
build) in abi/header-names.tsv and the names our header still lacks in
abi/header-pending.txt, so the check runs without the reference tree:

  scripts/header-inventory.py --names abi/header-names.tsv --pending abi/header-pending.txt

fails (exit 1) when a name is missing that the pending list does not excuse, or when a
pending name is declared now (remove it: the list only shrinks). --write-names FILE
writes the inventory of --ref-include to FILE; with --names as well, the two are compared
(the committed list must be what the reference tree declares).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

LINE_RE = re.compile(r'^# (\d+) "([^"]+)"')
DEFINE_RE = re.compile(r'^#define ([A-Za-z_]\w*)')
IDENT_RE = re.compile(r'[A-Za-z_]\w*')
ERR_RE = re.compile(r'^(.*?):(\d+):(?:\d+:)? (?:fatal error|error): (.*)$')


def preprocess(cc, incs, cflags):
    """Returns [(file, text)] chunks of `cc -E -dD` output."""
    with tempfile.NamedTemporaryFile('w', suffix='.c', delete=False) as f:
        f.write('#include <libwebsockets.h>\n')
        src = f.name
    try:
        cmd = [cc, '-E', '-dD'] + cflags + sum((['-I', d] for d in incs), []) + [src]
        out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE,
                             universal_newlines=True).stdout
    finally:
        os.unlink(src)
    chunks, cur, buf = [], None, []
    for ln in out.split('\n'):
        m = LINE_RE.match(ln)
        if m and m.group(2) == cur:
            continue  # the same file, after skipped lines: one statement may span it
        if m:
            if buf:
                chunks.append((cur, '\n'.join(buf)))
            cur, buf = m.group(2), []
            continue
        buf.append(ln)
    if buf:
        chunks.append((cur, '\n'.join(buf)))
    return chunks


def split_statements(text):
    """Top-level statements (up to ';' outside braces/parens) of C text."""
    stmts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in '({[':
            depth += 1
        elif ch in ')}]':
            depth -= 1
        elif ch == ';' and depth == 0:
            stmts.append(text[start:i])
            start = i + 1
    return stmts


def strip_bodies(s):
    """s with every {...} removed (keeps the braces' position as ' ')."""
    out, depth = [], 0
    for ch in s:
        if ch == '{':
            depth += 1
            continue
        if ch == '}':
            depth -= 1
            continue
        if depth == 0:
            out.append(ch)
    return ''.join(out)


def collect(chunks, is_ref):
    names = {}  # (kind, name) -> header

    def add(kind, name, hdr):
        names.setdefault((kind, name), hdr)

    code = []
    for hdr, text in chunks:
        if not is_ref(hdr):
            continue
        short = hdr.split('/include/')[-1]
        lines = []
        for ln in text.split('\n'):
            m = DEFINE_RE.match(ln)
            if m:
                add('macro', m.group(1), short)
            elif not ln.startswith('#'):
                lines.append(ln)
        code.append((short, '\n'.join(lines)))
    for short, text in code:
        flat = ' '.join(text.split())
        for m in re.finditer(r'\bstatic\s+(?:__inline__|__inline|inline)\b([^{;]*)\{', flat):
            head = re.sub(r'__attribute__\s*\(\(.*?\)\)', ' ', m.group(1))
            mm = re.search(r'([A-Za-z_]\w*)\s*\(', head)
            if mm:
                add('inline', mm.group(1), short)
        for st in split_statements(text):
            st = ' '.join(st.split())
            for m in re.finditer(r'\b(struct|union|enum)\s+([A-Za-z_]\w*)\s*\{', st):
                add('tag', '%s %s' % (m.group(1), m.group(2)), short)
            for m in re.finditer(r'\benum\b[^{]*\{([^}]*)\}', st):
                for item in m.group(1).split(','):
                    mm = IDENT_RE.match(item.strip())
                    if mm:
                        add('enumconst', mm.group(0), short)
            if st.startswith('typedef ') or st.startswith('__extension__ typedef '):
                flat = strip_bodies(st)
                m = re.search(r'\(\s*\*\s*([A-Za-z_]\w*)\s*\)', flat)
                if not m:
                    m = re.search(r'([A-Za-z_]\w*)\s*\(', flat)
                if not m:
                    m = re.search(r'([A-Za-z_]\w*)\s*(\[[^\]]*\]\s*)*$', flat)
                if m:
                    add('typedef', m.group(1), short)
    return names


def probe(cc, incs, cflags, names):
    """Names from `names` that <libwebsockets.h> in incs does not declare."""
    items = sorted(names)
    lines, where = ['#include <libwebsockets.h>'], {}
    for i, (kind, name) in enumerate(items):
        if kind == 'macro':
            lines += ['#ifndef %s' % name, '#error missing']
            where[len(lines)] = (kind, name)
            lines.append('#endif')
            continue
        elif kind == 'typedef':
            lines.append('extern %s *inv_%d;' % (name, i))
        elif kind == 'inline':
            lines.append('extern char inv_%d[sizeof(&%s) ? 1 : 1];' % (i, name))
        elif kind == 'tag':
            lines.append('extern char inv_%d[sizeof(%s)];' % (i, name))
        else:
            lines.append('extern long long inv_%d[(long long)(%s) ? 1 : 1];' % (i, name))
        where[len(lines)] = (kind, name)
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, 'inv.c')
        with open(src, 'w') as f:
            f.write('\n'.join(lines) + '\n')
        cmd = [cc, '-std=gnu11', '-w', '-fmax-errors=0', '-fsyntax-only'] + cflags + \
            sum((['-I', x] for x in incs), []) + [src]
        err = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             universal_newlines=True).stderr
    missing = set()
    for ln in err.split('\n'):
        m = ERR_RE.match(ln)
        if m and os.path.basename(m.group(1)) == 'inv.c' and int(m.group(2)) in where:
            missing.add(where[int(m.group(2))])
    return missing


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--ref-include', action='append', default=[], metavar='DIR')
    ap.add_argument('--names', metavar='FILE', help='the reference inventory, as written by '
                    '--write-names (instead of preprocessing --ref-include)')
    ap.add_argument('--write-names', metavar='FILE')
    ap.add_argument('--pending', metavar='FILE', help='names allowed to be missing; '
                    'exit 1 unless exactly these are')
    ap.add_argument('--config', metavar='DIR', help='directory of the lws_config.h to use '
                    '(default: the --ours include dir)')
    ap.add_argument('--ours', default=os.path.join(os.path.dirname(__file__), '..', 'include'))
    ap.add_argument('--cc', default=os.environ.get('CC', 'cc'))
    ap.add_argument('--cflag', action='append', default=[])
    ap.add_argument('--all', action='store_true', help='list every reference name, found or not')
    a = ap.parse_args()
    if not a.ref_include and not a.names:
        ap.error('--ref-include or --names is needed')
    if a.ref_include:
        cfg = a.config or a.ours
        # the config dir first, so its lws_config.h wins over one in the reference tree
        chunks = preprocess(a.cc, [cfg] + a.ref_include, a.cflag)
        roots = [os.path.realpath(d) + os.sep for d in a.ref_include + [cfg]]

        def is_ref(hdr):
            rp = os.path.realpath(hdr) if hdr and os.path.exists(hdr) else ''
            return any(rp.startswith(r) for r in roots)

        names = collect(chunks, is_ref)
    if a.names:
        listed = read_names(a.names)
        if a.ref_include and a.write_names is None and listed != names:
            for k in sorted(set(listed) ^ set(names)):
                sys.stderr.write('%s %s\t%s\n' % ('only in %s:' % a.names if k in listed
                                                   else 'only in the reference:', k[0], k[1]))
            sys.exit(1)
        names = listed
    if a.write_names:
        with open(a.write_names, 'w') as f:
            f.write('# What the libwebsockets v4.3.3 public headers declare (installed headers of a\n'
                    '# cmake-defaults build, with its lws_config.h): kind, name, header. Written by\n'
                    '# scripts/header-inventory.py --write-names; names only, for the header check.\n')
            for key in sorted(names, key=lambda k: (names[k], k)):
                f.write('%s\t%s\t%s\n' % (key[0], key[1], names[key]))
    missing = probe(a.cc, [a.ours], a.cflag, names)
    counts = {}
    for key in sorted(names, key=lambda k: (names[k], k)):
        if key in missing or a.all:
            print('%s\t%s\t%s%s' % (key[0], key[1], names[key],
                                    '' if key in missing else '\tfound'))
        c = counts.setdefault(key[0], [0, 0])
        c[0] += 1
        c[1] += key in missing
    for kind, (total, miss) in sorted(counts.items()):
        sys.stderr.write('%-9s %4d in the reference, %4d missing\n' % (kind, total, miss))
    if a.pending:
        pending = set(read_names(a.pending))
        bad = 0
        for key in sorted(missing - pending):
            sys.stderr.write('FAIL %s %s (%s): <libwebsockets.h> lacks it and %s does not list it\n'
                             % (key[0], key[1], names[key], a.pending))
            bad += 1
        for key in sorted(pending - missing):
            sys.stderr.write('FAIL %s %s: declared now (or no longer in the reference); remove it from %s\n'
                             % (key[0], key[1], a.pending))
            bad += 1
        sys.stderr.write('header inventory: %d of %d reference names declared, %d pending, %d failed\n'
                         % (len(names) - len(missing), len(names), len(pending), bad))
        sys.exit(1 if bad else 0)


def read_names(path):
    """{(kind, name): header} from a kind<TAB>name[<TAB>header] file ('#' comments)."""
    out = {}
    for ln in open(path):
        ln = ln.split('#', 1)[0].rstrip('\n').rstrip()
        if not ln.strip():
            continue
        f = ln.split('\t')
        out[(f[0], f[1])] = f[2] if len(f) > 2 else ''
    return out


if __name__ == '__main__':
    main()

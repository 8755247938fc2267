#!/usr/bin/env python3
"""Measures a reference libwebsockets header tree (none ships with this repository).

  scripts/ref-probe.py enums   --ref-include DIR [--config DIR]
  scripts/ref-probe.py macros  --ref-include DIR [--config DIR]
  scripts/ref-probe.py layouts --ref-include DIR [--config DIR] TAG...

enums    one line per enumerator: tag, typedef, name, value. tag is the enum's tag
         ("-N" when it has none, N numbering the enums), typedef the name a typedef
         gives it ("-" when none).
macros   every object-like #define of the reference headers whose value is an integer
         constant expression: name, value.
layouts  rows in the format of abi/layouts-*.tsv (type, field, offset, size, field
         type) for each TAG ("struct x" / "union x" / a typedef name), read with gdb
         from the debug information of a probe object compiled against the headers;
         bitfield members are left out (no offsetof).

The names are found as scripts/header-inventory.py finds them (its parser is
reused); the values come from compiling and running small programs that include
<libwebsockets.h> from the reference tree. Python 3 standard library, cc and gdb.
"""
import argparse
import importlib.util
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location('inventory', os.path.join(HERE, 'header-inventory.py'))
inv = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(inv)

IDENT_RE = re.compile(r'[A-Za-z_]\w*')


def ref_chunks(a):
    cfg = a.config or a.ref_include[0]
    incs = [cfg] + a.ref_include
    chunks = inv.preprocess(a.cc, incs, [])
    roots = [os.path.realpath(d) + os.sep for d in a.ref_include + [cfg]]

    def is_ref(hdr):
        rp = os.path.realpath(hdr) if hdr and os.path.exists(hdr) else ''
        return any(rp.startswith(r) for r in roots)
    return incs, [(h, t) for h, t in chunks if is_ref(h)]


def run_program(a, incs, body):
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, 'p.c')
        exe = os.path.join(d, 'p')
        with open(src, 'w') as f:
            f.write('#include <libwebsockets.h>\n#include <stdio.h>\nint main(void)\n{\n%s\treturn 0;\n}\n'
                    % body)
        subprocess.run([a.cc, '-w', '-o', exe, src] + sum((['-I', x] for x in incs), []),
                       check=True)
        return subprocess.run([exe], check=True, stdout=subprocess.PIPE,
                              universal_newlines=True).stdout


def enums(a):
    incs, chunks = ref_chunks(a)
    rows = []
    for hdr, text in chunks:
        text = '\n'.join(l for l in text.split('\n') if not l.startswith('#'))
        for st in inv.split_statements(text):
            st = ' '.join(st.split())
            for m in re.finditer(r'(typedef\s+)?\benum\s*([A-Za-z_]\w*)?\s*\{([^}]*)\}\s*([A-Za-z_]\w*)?', st):
                tag = m.group(2) or '-%d' % len(rows)
                td = m.group(4) if m.group(1) and m.group(4) else '-'
                for item in m.group(3).split(','):
                    mm = IDENT_RE.match(item.strip())
                    if mm:
                        rows.append((tag, td, mm.group(0)))
    body = ''.join('\tprintf("%%s\\t%%s\\t%%s\\t%%lld\\n", "%s", "%s", "%s", (long long)%s);\n'
                   % (t, d, n, n) for t, d, n in rows)
    sys.stdout.write(run_program(a, incs, body))


def macros(a):
    incs, chunks = ref_chunks(a)
    names = []
    for _, text in chunks:
        for ln in text.split('\n'):
            m = re.match(r'^#define ([A-Za-z_]\w*)( |$)', ln)
            if m and ln[len(m.group(0)):].strip():
                names.append(m.group(1))
    # keep those that are integer constant expressions: drop the names whose line
    # does not compile, until the probe compiles (a few rounds at most)
    ok = list(names)
    for _ in range(8):
        lines = ['#include <libwebsockets.h>']
        where = {}
        for i, n in enumerate(ok):
            lines.append('_Static_assert((long long)(%s) || 1, "mac_%d");' % (n, i))
            where[len(lines)] = n
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, 'm.c')
            with open(src, 'w') as f:
                f.write('\n'.join(lines) + '\n')
            err = subprocess.run([a.cc, '-std=gnu11', '-pedantic-errors', '-fmax-errors=0', '-fsyntax-only', src] +
                                 sum((['-I', x] for x in incs), []),
                                 stderr=subprocess.PIPE, universal_newlines=True).stderr
        bad = set()
        for ln in err.split('\n'):
            m = re.match(r'^(.*?):(\d+):\d+: (error|note)', ln)
            if m and m.group(1).endswith('m.c') and int(m.group(2)) in where:
                bad.add(where[int(m.group(2))])
        if not bad:
            break
        ok = [n for n in ok if n not in bad]
    body = ''.join('\tprintf("%%s\\t%%lld\\n", "%s", (long long)(%s));\n' % (n, n) for n in ok)
    sys.stdout.write(run_program(a, incs, body))


GDB_HEAD = re.compile(r'^/\*\s*(?:(\d+)(?::\s*\d+)?\s*\|)?\s*(\d+)\s*\*/\s*(.*)$')


def gdb_ptype(a, incs, types):
    """{type: [text lines of `ptype /o type`]} from gdb reading a probe object."""
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, 'l.c')
        obj = os.path.join(d, 'l.o')
        with open(src, 'w') as f:
            f.write('#include <libwebsockets.h>\n')
            for i, t in enumerate(types):
                f.write('%s *lay_%d;\n' % (t, i))
        subprocess.run([a.cc, '-w', '-g3', '-fno-eliminate-unused-debug-types', '-c', '-o', obj, src] +
                       sum((['-I', x] for x in incs), []), check=True)
        cmd = ['gdb', '-batch', '-nx', obj]
        for t in types:
            cmd += ['-ex', 'echo @@TYPE %s\\n' % t, '-ex', 'ptype /o %s' % t,
                    '-ex', 'echo @@WHATIS\\n', '-ex', 'whatis %s' % t]
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             universal_newlines=True).stdout
    res, cur = {}, None
    for ln in out.split('\n'):
        if ln.startswith('@@TYPE '):
            cur = ln[7:]
            res[cur] = []
        elif cur is not None:
            res[cur].append(ln)
    return res


def parse_aggregate(lines, i, base_off):
    """Members of the aggregate whose body starts at lines[i]: (members, next index, size).
    A member is a dict: name, decl (C declaration text), offset, size, bitfield, and for
    an aggregate written inline, kind / tag / members."""
    members, size = [], None
    while i < len(lines):
        s = lines[i].strip()
        i += 1
        if not s or s.startswith('/* XXX'):
            continue
        m = re.match(r'^/\*\s*total size \(bytes\):\s*(\d+)\s*\*/$', s)
        if m:
            size = int(m.group(1))
            continue
        if s.startswith('}'):
            return members, i, size, s
        m = GDB_HEAD.match(s)
        if not m:
            continue
        off = int(m.group(1)) if m.group(1) is not None else base_off
        msize, decl = int(m.group(2)), m.group(3)
        mm = re.match(r'^(const\s+)?(struct|union)\s*([A-Za-z_]\w*)?\s*\{$', decl)
        if mm:
            sub, i, subsize, close = parse_aggregate(lines, i, off)
            cm = re.match(r'^\}\s*(\*?\s*[A-Za-z_]\w*)?\s*((?:\[\d+\])*)\s*;$', close)
            members.append({'name': cm.group(1) if cm and cm.group(1) else None,
                            'dims': cm.group(2) if cm else '', 'offset': off, 'size': msize,
                            'kind': mm.group(2), 'tag': mm.group(3), 'members': sub,
                            'bitfield': False})
            continue
        decl = decl.rstrip(';').strip()
        bf = re.search(r'\s:\s*\d+$', decl) is not None
        fp = re.search(r'\(\s*\*\s*([A-Za-z_]\w*)((?:\[\d+\])*)\s*\)', decl)
        if fp:
            name = fp.group(1)
        else:
            nm = re.search(r'([A-Za-z_]\w*)\s*((?:\[\d+\])*)\s*(?::\s*\d+)?$', decl)
            name = nm.group(1)
        members.append({'name': name, 'decl': decl, 'offset': off, 'size': msize, 'bitfield': bf})
    return members, i, size, ''


def parse_type(lines):
    """(kind, tag, members, size) of a `ptype /o` listing, or None when not an aggregate."""
    for i, ln in enumerate(lines):
        m = re.search(r'type = (struct|union)\s*([A-Za-z_]\w*)?\s*\{$', ln)
        if m:
            members, _, size, _ = parse_aggregate(lines, i + 1, 0)
            return m.group(1), m.group(2), members, size
    return None


def layout_rows(t, members, size):
    """abi/layouts-*.tsv rows: the sizeof, then each top-level member but bitfields."""
    rows = ['%s\t(sizeof)\t0\t%d\t' % (t, size)]
    for m in members:
        if m['bitfield'] or not m['name']:
            continue
        if 'decl' not in m:
            ftype = '%s %s%s' % (m['kind'], m['tag'] or '{...}', m['dims'])
        else:
            ftype = m['decl']
            ftype = re.sub(r'\b%s\b' % re.escape(m['name']), '', ftype, count=1)
            ftype = ' '.join(ftype.replace('( *)', '(*)').split())
        rows.append('%s\t%s\t%d\t%d\t%s' % (t, m['name'], m['offset'], m['size'], ftype))
    return rows


def layouts(a):
    incs, _ = ref_chunks(a)
    for t, lines in gdb_ptype(a, incs, a.types).items():
        p = parse_type(lines)
        if not p:
            sys.stderr.write('%s: not a struct or union\n' % t)
            continue
        print('\n'.join(layout_rows(t, p[2], p[3])))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('what', choices=['enums', 'macros', 'layouts'])
    ap.add_argument('--ref-include', action='append', required=True, metavar='DIR')
    ap.add_argument('--config', metavar='DIR')
    ap.add_argument('--cc', default=os.environ.get('CC', 'cc'))
    ap.add_argument('types', nargs='*')
    a = ap.parse_intermixed_args()
    {'enums': enums, 'macros': macros, 'layouts': layouts}[a.what](a)


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""Measures a reference libwebsockets header tree (none ships with this repository).

  scripts/ref-probe.py enums   --ref-include DIR [--config DIR]
  scripts/ref-probe.py macros  --ref-include DIR [--config DIR]
  scripts/ref-probe.py layouts --ref-include DIR [--config DIR] TAG...

enums    one line per enumerator: tag, typedef, name, value. tag is the enum's
         tag ("-N" when it has none, N numbering the enums), typedef the name a typedef gives it ("-").
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


def run_program(a, incs, body, prelude=''):
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, 'p.c')
        exe = os.path.join(d, 'p')
        with open(src, 'w') as f:
            f.write('#include <libwebsockets.h>\n#include <stdio.h>\n%s\nint main(void)\n{\n%s\treturn 0;\n}\n'
                    % (prelude, body))
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


GDB_FIELD = re.compile(r'^/\*\s*(\d+)(?::\s*(\d+))?\s*\|\s*(\d+)\s*\*/\s*(.*);$')


def layouts(a):
    incs, _ = ref_chunks(a)
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, 'l.c')
        obj = os.path.join(d, 'l.o')
        with open(src, 'w') as f:
            f.write('#include <libwebsockets.h>\n')
            for i, t in enumerate(a.types):
                f.write('%s *lay_%d;\n' % (t, i))
        subprocess.run([a.cc, '-w', '-g3', '-fno-eliminate-unused-debug-types', '-c', '-o', obj, src] +
                       sum((['-I', x] for x in incs), []), check=True)
        cmd = ['gdb', '-batch', '-nx', obj]
        for t in a.types:
            cmd += ['-ex', 'echo @@TYPE %s\\n' % t, '-ex', 'ptype /o %s' % t]
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             universal_newlines=True).stdout
    cur, stack = None, []
    for ln in out.split('\n'):
        s = ln.strip()
        if s.startswith('@@TYPE '):
            cur, stack = s[7:], []
            continue
        if cur is None:
            continue
        if s.startswith('/* total size'):
            if not stack:
                m = re.search(r'total size \(bytes\):\s*(\d+)', s)
                print('%s\t(sizeof)\t0\t%s\t' % (cur, m.group(1)))
            continue
        m = GDB_FIELD.match(s)
        if m:
            off, bit, size, decl = m.groups()
            if re.search(r':\s*\d+$', decl):
                continue  # bitfield
            name = re.findall(r'([A-Za-z_]\w*)\s*(?:\[[^\]]*\])*\s*\)?\s*(?:\(.*\))?$', decl)
            fp = re.search(r'\(\s*\*\s*([A-Za-z_]\w*)\s*\)', decl)
            nm = fp.group(1) if fp else (name[0] if name else '?')
            base = sum(o for o, _ in stack)
            path = '.'.join([n for _, n in stack] + [nm])
            ftype = decl[:decl.rfind(nm)].strip() + decl[decl.rfind(nm) + len(nm):].strip() if not fp else decl
            print('%s\t%s\t%d\t%s\t%s' % (cur, path, base + int(off), size, ftype))
            continue
        m = re.match(r'^/\*\s*(\d+)\s*\|\s*(\d+)\s*\*/\s*(struct|union)\s*(\w+\s*)?\{$', s)
        if m:
            stack.append((int(m.group(1)), None))
            continue
        m = re.match(r'^\}\s*([A-Za-z_]\w*)\s*(\[[^\]]*\])?;$', s)
        if m and stack:
            off, _ = stack.pop()
            # the member that holds the nested aggregate
            stack_names = [n for _, n in stack]
            print('%s\t%s\t%d\t?\t%s' % (cur, '.'.join(stack_names + [m.group(1)]),
                                        sum(o for o, _ in stack) + off, 'aggregate'))
            continue


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('what', choices=['enums', 'macros', 'layouts'])
    ap.add_argument('--ref-include', action='append', required=True, metavar='DIR')
    ap.add_argument('--config', metavar='DIR')
    ap.add_argument('--cc', default=os.environ.get('CC', 'cc'))
    ap.add_argument('types', nargs='*')
    a = ap.parse_args()
    {'enums': enums, 'macros': macros, 'layouts': layouts}[a.what](a)


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
# blocks.py A.h B.h: do two C headers from BTF (bpftool's and ours) define
# each type alike?  Compares every definition both have ("struct x {"
# to "};", a one-line typedef), as text; where declarations go and
# forward declarations are free to differ.  An enum's mode(byte) or
# mode(word), for an enum of another size than int's, is left out: the
# libbpf of bpftool 7.1 (libbpf 1.1) does not write it, newer ones do.  Exit 0 when no common definition differs.
import re
import sys


def blocks(path):
    out, cur, key = {}, None, None
    for line in open(path):
        if cur is None:
            if re.match(r'^(struct|union|enum|typedef)\b', line) and line.rstrip().endswith('{'):
                cur, key = [line], line.strip()
            elif line.startswith('typedef'):
                out.setdefault(line.strip(), [line])
            continue
        cur.append(line)
        if line.startswith('}'):
            # An anonymous typedef'd struct is known by its typedef's name.
            if key in ('struct {', 'union {', 'enum {'):
                key = key + line.strip()
            out.setdefault(key, cur)
            cur = None
    return out


def norm(lines):
    return re.sub(r' __attribute__\(\(mode\((byte|word)\)\)\)', '', ''.join(lines))


a, b = blocks(sys.argv[1]), blocks(sys.argv[2])
common = [k for k in a if k in b]
differ = [k for k in common if norm(a[k]) != norm(b[k])]
print('%d definitions in both, %d differ' % (len(common), len(differ)))
for k in differ[:3]:
    print('--- %s\n%s+++ ours\n%s' % (k, ''.join(a[k]), ''.join(b[k])))
sys.exit(1 if differ or not common else 0)

#!/usr/bin/env python3
# same_types.py A.json B.json: do two BTFs (bpftool -j btf dump file F)
# describe the same named types?  Each named struct, union, enum and
# typedef is described whole, with its size, every member's name, bit
# offset and bitfield width, and its members' types: anonymous ones
# inline, named ones by name.  Type ids, the order of types and the ___N
# suffix the generator gives a second type of one name do not matter.
# Exit 0 when B has every type of A, the same; else the first difference.
import json
import re
import sys


def load(path):
    with open(path) as f:
        return {t['id']: t for t in json.load(f)['types']}


def name(t):
    return re.sub(r'___[0-9]+$', '', t.get('name', ''))


def desc(types, tid, top=False, depth=0):
    if tid == 0:
        return 'void'
    t = types[tid]
    k = t['kind']
    named = t.get('name', '(anon)') != '(anon)'
    if depth > 64:
        return 'deep'
    if named and not top and k in ('STRUCT', 'UNION', 'ENUM', 'ENUM64', 'TYPEDEF', 'FWD'):
        return (k if k != 'FWD' else 'STRUCT', name(t))
    if k in ('INT', 'FLOAT'):
        return (k, t['name'], t['size'], t.get('nr_bits'), t.get('encoding'))
    if k in ('PTR', 'CONST', 'VOLATILE', 'RESTRICT', 'TYPE_TAG', 'TYPEDEF'):
        return (k, name(t), desc(types, t['type_id'], depth=depth + 1))
    if k == 'ARRAY':
        return (k, t['nr_elems'], desc(types, t['type_id'], depth=depth + 1))
    if k in ('STRUCT', 'UNION'):
        return (k, name(t), t['size'],
                tuple((m['name'], m['bits_offset'], m.get('bitfield_size', 0),
                       desc(types, m['type_id'], depth=depth + 1)) for m in t['members']))
    if k in ('ENUM', 'ENUM64'):
        return (k, name(t), t['size'], tuple((v['name'], v['val']) for v in t['values']))
    if k == 'FUNC_PROTO':
        return (k, desc(types, t['ret_type_id'], depth=depth + 1),
                tuple(desc(types, p['type_id'], depth=depth + 1) for p in t['params']))
    return (k, name(t))


def named(types):
    out = {}
    for tid, t in types.items():
        if t['kind'] in ('STRUCT', 'UNION', 'ENUM', 'ENUM64', 'TYPEDEF') and \
                t.get('name', '(anon)') != '(anon)':
            out.setdefault((t['kind'], name(t)), []).append(repr(desc(types, tid, top=True)))
    return {k: sorted(v) for k, v in out.items()}


a, b = named(load(sys.argv[1])), named(load(sys.argv[2]))
for key, want in sorted(a.items()):
    got = b.get(key)
    if got != want:
        print('%s %s: %s\n  became %s' % (key[0].lower(), key[1], want, got))
        sys.exit(1)
print('%d named types the same' % len(a))

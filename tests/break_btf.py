#!/usr/bin/env python3
# usage: break_btf.py IN OUT VAR
#
# Copies a BPF object with its .BTF made one the kernel refuses: the VAR named
# VAR gets linkage 7, which no kernel knows (kernel/bpf/btf.c,
# btf_var_check_meta: "Linkage not supported").  mini-trace's parser does not
# read a variable's linkage, so the object parses and loads, without its BTF.
# For tests/e2e_btf.sh.
import struct
import sys

src, dst, var = sys.argv[1:4]
b = bytearray(open(src, 'rb').read())
shoff, = struct.unpack_from('<Q', b, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from('<HHH', b, 0x3a)
def sh(i):
    return struct.unpack_from('<IIQQQQIIQQ', b, shoff + i * shentsize)
stroff = sh(shstrndx)[4]
for i in range(shnum):
    h = sh(i)
    name = b[stroff + h[0]:b.index(0, stroff + h[0])].decode()
    if name == '.BTF':
        base = h[4]
hdr_len, type_off, type_len, str_off, str_len = struct.unpack_from('<IIIII', b, base + 4)
types, strs = base + hdr_len + type_off, base + hdr_len + str_off
# Bytes after each kind's btf_type record, by BTF_KIND_* (include/uapi/linux/btf.h)
extra = {1: lambda v: 4, 3: lambda v: 12, 4: lambda v: 12 * v, 5: lambda v: 12 * v,
         6: lambda v: 8 * v, 13: lambda v: 8 * v, 14: lambda v: 4, 15: lambda v: 12 * v,
         17: lambda v: 4, 19: lambda v: 12 * v}
off = 0
while off < type_len:
    name_off, info, _ = struct.unpack_from('<III', b, types + off)
    kind, vlen = (info >> 24) & 0x1f, info & 0xffff
    name = b[strs + name_off:b.index(0, strs + name_off)].decode()
    if kind == 14 and name == var:
        struct.pack_into('<I', b, types + off + 12, 7)  # linkage 7: no such linkage
        open(dst, 'wb').write(b)
        sys.exit(0)
    off += 12 + extra.get(kind, lambda v: 0)(vlen)
sys.exit('no VAR ' + var)

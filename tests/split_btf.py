#!/usr/bin/env python3
"""A module's BTF as /sys/kernel/btf/<module> holds it, for tests/e2e_core.sh:
split BTF on top of the vmlinux BTF given, its type ids and string offsets
continuing vmlinux's (kernel/bpf/btf.c, btf_parse_module), describing

    struct mt_module_thing { int a; int b; };   /* 24 bytes, b at byte 16 */

usage: split_btf.py VMLINUX_BTF OUT"""
import struct
import sys

# Bytes after each type record, by kind (include/uapi/linux/btf.h).
EXTRA = {1: lambda v: 4, 3: lambda v: 12, 4: lambda v: 12 * v, 5: lambda v: 12 * v,
         6: lambda v: 8 * v, 13: lambda v: 8 * v, 14: lambda v: 4, 15: lambda v: 12 * v,
         17: lambda v: 4, 19: lambda v: 12 * v}

base = open(sys.argv[1], "rb").read()
magic, ver, flags, hdr_len, type_off, type_len, str_off, str_len = struct.unpack(
    "=HBBIIIII", base[:24])
assert magic == 0xEB9F, "not BTF"
types = base[hdr_len + type_off:hdr_len + type_off + type_len]
off = count = 0
while off < len(types):
    _, info, _ = struct.unpack_from("=III", types, off)
    kind, vlen = info >> 24 & 0x1F, info & 0xFFFF
    off += 12 + EXTRA.get(kind, lambda v: 0)(vlen)
    count += 1

strs = b"\0mt_module_thing\0a\0b\0int\0"  # 1, 17, 19, 21: after vmlinux's
s = lambda o: str_len + o
thing, int_id = count + 1, count + 2
t = struct.pack("=III", s(1), 4 << 24 | 2, 24)
t += struct.pack("=III", s(17), int_id, 0) + struct.pack("=III", s(19), int_id, 128)
t += struct.pack("=III", s(21), 1 << 24, 4) + struct.pack("=I", 1 << 24 | 32)
hdr = struct.pack("=HBBIIIII", 0xEB9F, 1, 0, 24, 0, len(t), len(t), len(strs))
open(sys.argv[2], "wb").write(hdr + t + strs)

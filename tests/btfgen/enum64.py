#!/usr/bin/env python3
# enum64.py OUT: raw BTF that clang 14 cannot write (it has no BTF_KIND_ENUM64,
# LLVM 15 does): two 64-bit enums, unsigned and signed (kflag), a signed
# 32-bit enum, and a struct of the three, for tests/e2e_btfgen.sh.
import struct
import sys

strs = b'\0'
def s(name):
    global strs
    off = len(strs)
    strs += name.encode() + b'\0'
    return off

def info(kind, vlen, kflag=0):
    return kflag << 31 | kind << 24 | vlen

INT, STRUCT, ENUM, ENUM64 = 1, 4, 6, 19
types = b''
# [1] unsigned long long, 8 bytes, 64 bits
types += struct.pack('<III', s('long long unsigned int'), info(INT, 0), 8) + struct.pack('<I', 64)
# [2] enum wide: 64-bit values, unsigned
types += struct.pack('<III', s('wide'), info(ENUM64, 2), 8)
types += struct.pack('<III', s('WIDE_ONE'), 1, 0) + struct.pack('<III', s('WIDE_BIG'), 0, 1)
# [3] enum sgn: signed 64-bit (kflag), one negative value
types += struct.pack('<III', s('sgn'), info(ENUM64, 2, 1), 8)
types += struct.pack('<III', s('SGN_NEG'), 0xfffffffb, 0xffffffff)
types += struct.pack('<III', s('SGN_POS'), 7, 0)
# [4] enum neg32: signed 32-bit (kflag)
types += struct.pack('<III', s('neg32'), info(ENUM, 1, 1), 4) + struct.pack('<Ii', s('NEG32_M'), -1)
# [5] struct s64 { enum wide a; enum sgn b; enum neg32 c; }
types += struct.pack('<III', s('s64'), info(STRUCT, 3), 24)
for name, tid, off in (('a', 2, 0), ('b', 3, 64), ('c', 4, 128)):
    types += struct.pack('<III', s(name), tid, off)

hdr = struct.pack('<HBBIIIII', 0xeB9F, 1, 0, 24, 0, len(types), len(types), len(strs))
with open(sys.argv[1], 'wb') as f:
    f.write(hdr + types + strs)

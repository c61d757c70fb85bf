#!/bin/sh
# SPDX-License-Identifier: MIT
# pack.sh IN OUT: the build step that compresses a BPF object for objects.S
# (parse/lzma.h): IN's size as 4 bytes, little-endian, LZMA's properties
# byte, then xz's raw LZMA1 stream, which ends with the end marker.
# lc=3 lp=0 pb=2 (93) are LZMA's defaults, and the best of the settings
# tried on these objects; -9e with nice=273 tries hardest.
set -e
n=$(wc -c <"$1")
# One byte, as printf's %b spells it in octal.
o() { printf '\\0%03o' $(($1 & 255)); }
{
	printf '%b' "$(o "$n")$(o $((n >> 8)))$(o $((n >> 16)))$(o $((n >> 24)))$(o 93)"
	xz --format=raw --lzma1=preset=9e,lc=3,lp=0,pb=2,nice=273 -c "$1"
} >"$2.tmp"
mv "$2.tmp" "$2"

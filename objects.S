/* SPDX-License-Identifier: MIT */
/*
 * The BPF objects, built into the binary so it needs no other file, each
 * packed by tools/pack.sh (LZMA, lzma.h): a quarter of the size.
 * mini-trace unpacks the one it runs into memory of its own.
 */
#define EMBED(sym, file)			\
	.global sym, sym##_end;			\
	.balign 8;				\
sym:						\
	.incbin file;				\
sym##_end:

	.section .rodata
EMBED(exit_bpf_o, "exit.bpf.o.lzma")
EMBED(password_bpf_o, "password.bpf.o.lzma")

/* No executable stack for this object. */
	.section .note.GNU-stack, "", %progbits

/* SPDX-License-Identifier: MIT */
/*
 * The BPF objects, built into the binary so it needs no other file.  Each
 * starts 8-byte aligned: the ELF parser reads headers and symbols in place,
 * and "ld --format=binary" would give alignment 1.
 */
#define EMBED(sym, file)			\
	.global sym, sym##_end;			\
	.balign 8;				\
sym:						\
	.incbin file;				\
sym##_end:

	.section .rodata
EMBED(exit_bpf_o, "exit.bpf.o")
EMBED(password_bpf_o, "password.bpf.o")

/* No executable stack for this object. */
	.section .note.GNU-stack, "", %progbits

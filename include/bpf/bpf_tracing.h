/* SPDX-License-Identifier: MIT */
/*
 * <bpf/bpf_tracing.h>: a kprobe's arguments, from the registers the probed
 * function was entered with.  A kprobe program's context is the kernel's
 * struct pt_regs, whose layout is the architecture's
 * (arch/x86/include/asm/ptrace.h, arch/arm64/include/asm/ptrace.h,
 * arch/riscv/include/asm/ptrace.h), and which registers hold the arguments
 * is the architecture's calling convention.  Build with
 * -D__TARGET_ARCH_arm64 (or riscv, or arm) for those; x86_64 is the default.
 *
 *	SEC("kprobe/tcp_finish_connect")
 *	int on_connect(struct pt_regs *ctx)
 *	{
 *		struct sock *sk = (struct sock *)PT_REGS_PARM1(ctx);
 */
#ifndef MINI_TRACE_BPF_TRACING_H
#define MINI_TRACE_BPF_TRACING_H

#include "bpf_helpers.h"

#if defined(__TARGET_ARCH_arm64)
struct pt_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
};
#define PT_REGS_PARM1(x) ((x)->regs[0])
#define PT_REGS_PARM2(x) ((x)->regs[1])
#define PT_REGS_PARM3(x) ((x)->regs[2])
#define PT_REGS_PARM4(x) ((x)->regs[3])
#define PT_REGS_PARM5(x) ((x)->regs[4])
#define PT_REGS_RC(x) ((x)->regs[0])
#elif defined(__TARGET_ARCH_riscv)
struct pt_regs {
	unsigned long epc, ra, sp, gp, tp, t0, t1, t2, s0, s1;
	unsigned long a0, a1, a2, a3, a4, a5, a6, a7;
};
#define PT_REGS_PARM1(x) ((x)->a0)
#define PT_REGS_PARM2(x) ((x)->a1)
#define PT_REGS_PARM3(x) ((x)->a2)
#define PT_REGS_PARM4(x) ((x)->a3)
#define PT_REGS_PARM5(x) ((x)->a4)
#define PT_REGS_RC(x) ((x)->a0)
#elif defined(__TARGET_ARCH_arm)
/* 32-bit arm: arch/arm/include/uapi/asm/ptrace.h, registers of 4 bytes. */
struct pt_regs {
	__u32 uregs[18];
};
#define PT_REGS_PARM1(x) ((x)->uregs[0])
#define PT_REGS_PARM2(x) ((x)->uregs[1])
#define PT_REGS_PARM3(x) ((x)->uregs[2])
#define PT_REGS_PARM4(x) ((x)->uregs[3])
#define PT_REGS_PARM5(x) ((x)->uregs[4])
#define PT_REGS_RC(x) ((x)->uregs[0])
#else /* x86_64 */
struct pt_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	unsigned long ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
};
#define PT_REGS_PARM1(x) ((x)->di)
#define PT_REGS_PARM2(x) ((x)->si)
#define PT_REGS_PARM3(x) ((x)->dx)
#define PT_REGS_PARM4(x) ((x)->cx)
#define PT_REGS_PARM5(x) ((x)->r8)
#define PT_REGS_RC(x) ((x)->ax)
#endif

#endif

# bench/bench.mk: the peers and workloads of the benchmark, included by the
# main Makefile (which defines BUILD, CC, CLANG, LLVM_STRIP, Q and msg).
# Everything lands in $(BUILD)/bench/:
#
#   libbpf-trace         the libbpf peer of both demos, dynamically linked
#   libbpf-trace-static  the same, linked statically (glibc, libelf, zlib)
#   empty                attaches do-nothing programs: the floor
#   reads, storm, stamp  the workloads (bench/workload/)
#
# The bpftrace peer is two scripts run from bench/bpftrace/ as they are.
#
#   make bench-build     build all of the above
#   make bench           build, then run bench/run.py: every figure measured
#                        side by side, written to bench/RESULTS.md (about 10
#                        minutes, root).  BENCH_QUICK=1: a smoke run of under
#                        a minute, written to $(BUILD)/bench/RESULTS-quick.md
#                        instead, so that it never replaces the real results.
#                        BENCH_ONLY=core (names: see run.py): those sections
#                        only, written to $(BUILD)/bench/RESULTS-only.md.
#
# mini-trace-batched   mini-trace built from the same sources, except that its
#                      perf rings wake the reader every $(BENCH_WAKEUP) records
#                      (perfbuf.c's wakeup_events) instead of by watermark (a
#                      share of the ring's bytes): the "batched wakeups"
#                      reference of the delivery benchmark.  Skipped, with a
#                      warning, when perfbuf.c no longer has the lines it
#                      rewrites.
#
# Needs, beyond what mini-trace needs (Debian bookworm):
#   apt-get install -y libbpf-dev bpftool libelf-dev zlib1g-dev bpftrace
# and the running kernel's BTF (/sys/kernel/btf/vmlinux), from which
# vmlinux.h is generated, as libbpf tools do.

# Wherever the main Makefile includes this, its own first target stays the
# default goal (restored at the end of this file).
BENCH_SAVED_GOAL := $(.DEFAULT_GOAL)

BPFTOOL     ?= bpftool
LLVM_STRIP  ?= llvm-strip
BENCH       := $(BUILD)/bench
BENCH_APT   := libbpf-dev bpftool libelf-dev zlib1g-dev bpftrace

BENCH_BPF_OBJS := $(BENCH)/exit.bpf.o $(BENCH)/password.bpf.o $(BENCH)/empty.bpf.o
BENCH_SKELS    := $(BENCH_BPF_OBJS:.bpf.o=.skel.h)
BENCH_WAKEUP   ?= 64
BENCH_PYTHON   ?= python3
BENCH_BINS     := $(BENCH)/libbpf-trace $(BENCH)/libbpf-trace-static $(BENCH)/empty \
		  $(BENCH)/reads $(BENCH)/storm $(BENCH)/stamp
# The attach-kinds benchmark: one object (a uprobe and a raw tracepoint),
# built with mini-trace's headers, loaded by mini-trace and by libbpf-attach.
BENCH_BINS     += $(BENCH)/libbpf-attach $(BENCH)/attach.bpf.o
# The CO-RE benchmark: one source read through BPF_CORE_READ (core.bpf.o)
# and at fixed offsets (core-plain.bpf.o), loaded by mini-trace and libbpf-attach.
BENCH_BINS     += $(BENCH)/core.bpf.o $(BENCH)/core-plain.bpf.o

# User side: the project's warnings; libbpf's headers are in /usr/include/bpf.
BENCH_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -Wmissing-prototypes
BENCH_LIBBPF_CFLAGS := $(BENCH_CFLAGS) -I$(BENCH) -Ibench/libbpf
# Static: libbpf.a needs libelf.a, which needs libz.a (all in the -dev packages).
BENCH_STATIC_LIBS := -lbpf -lelf -lz

.PHONY: bench-build
bench-build: $(BENCH_BINS)

# Fail early, and say what to install, when the libbpf toolchain is missing:
# bpftool, libbpf's headers, the static archives and the kernel's BTF.
$(BENCH)/.deps:
	$(Q)mkdir -p $(BENCH)
	$(Q)for a in libbpf.a libelf.a libz.a; do \
		[ "$$($(CC) -print-file-name=$$a)" != $$a ] || missing="$$missing $$a"; done; \
	command -v $(BPFTOOL) >/dev/null || missing="$$missing $(BPFTOOL)"; \
	[ -f /usr/include/bpf/libbpf.h ] || missing="$$missing bpf/libbpf.h"; \
	[ -r /sys/kernel/btf/vmlinux ] || missing="$$missing /sys/kernel/btf/vmlinux"; \
	if [ -n "$$missing" ]; then \
		echo "bench: missing:$$missing" >&2; \
		echo "  apt-get install -y $(BENCH_APT)" >&2; exit 1; fi
	$(Q)touch $@

# The running kernel's types, as libbpf-bootstrap generates them.
$(BENCH)/vmlinux.h: | $(BENCH)/.deps
	$(call msg,GEN,$@)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@

$(BENCH_BPF_OBJS): $(BENCH)/%.bpf.o: bench/libbpf/%.bpf.c bench/libbpf/trace.h $(BENCH)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)$(CLANG) -O2 -g -target bpf -Wall -Werror -I$(BENCH) -Ibench/libbpf -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@

$(BENCH_SKELS): $(BENCH)/%.skel.h: $(BENCH)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

$(BENCH)/libbpf-trace: bench/libbpf/libbpf-trace.c bench/libbpf/trace.h \
		       $(BENCH)/exit.skel.h $(BENCH)/password.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(BENCH_LIBBPF_CFLAGS) $< -lbpf -o $@
	$(Q)strip $@

$(BENCH)/libbpf-trace-static: bench/libbpf/libbpf-trace.c bench/libbpf/trace.h \
			      $(BENCH)/exit.skel.h $(BENCH)/password.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(BENCH_LIBBPF_CFLAGS) -static $< $(BENCH_STATIC_LIBS) -o $@
	$(Q)strip $@

$(BENCH)/empty: bench/libbpf/empty.c $(BENCH)/empty.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(BENCH_LIBBPF_CFLAGS) $< -lbpf -o $@

$(BENCH)/reads $(BENCH)/storm: $(BENCH)/%: bench/workload/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(BENCH)
	$(Q)$(CC) $(BENCH_CFLAGS) $< -o $@

$(BENCH)/attach.bpf.o: bench/libbpf/attach.bpf.c $(HDRS)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(BENCH)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@

# As a libbpf user builds it: vmlinux.h and libbpf-dev's <bpf/...> headers.
# -g for .BTF and .BTF.ext (the CO-RE relocations); the DWARF (600 KB of
# vmlinux.h's types) stripped, as bpftool gen object does for a skeleton.
$(BENCH)/core.bpf.o: bench/libbpf/core.bpf.c $(BENCH)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)$(CLANG) -O2 -g -target bpf -Wall -Werror -I$(BENCH) -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@
$(BENCH)/core-plain.bpf.o: bench/libbpf/core.bpf.c $(BENCH)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)$(CLANG) -O2 -g -target bpf -Wall -Werror -DPLAIN -DBPF_NO_PRESERVE_ACCESS_INDEX \
		-I$(BENCH) -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@

$(BENCH)/libbpf-attach: bench/libbpf/attach.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(BENCH)
	$(Q)$(CC) $(BENCH_LIBBPF_CFLAGS) $< -lbpf -o $@

# Static: no dynamic loader between the tool's spawn and the stamp.
$(BENCH)/stamp: bench/workload/stamp.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(BENCH)
	$(Q)$(CC) $(BENCH_CFLAGS) -static $< -o $@

# The batched-wakeup reference: perfbuf.c rewritten into $(BENCH), the rest as is,
# built as mini-trace is.  In ring_open()'s attr, ".watermark = 1," goes and
# ".wakeup_watermark = ...," becomes ".wakeup_events = $(BENCH_WAKEUP),"
# (the two share a union); each must be there exactly once.
# A target that may end up not built: run.py says so and measures the rest.
BENCH_BATCH_SED := -e '/^[[:space:]]*\.watermark = 1,/d' \
	-e 's/^\([[:space:]]*\)\.wakeup_watermark = .*,/\1.wakeup_events = $(BENCH_WAKEUP),/'
$(BENCH)/mini-trace-batched: $(SRCS) $(HDRS) $(BUILD)/objects.o $(STATIC_DEPS)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(BENCH)
	$(Q)sed $(BENCH_BATCH_SED) read/perfbuf.c > $(BENCH)/perfbuf-batched.c
	$(Q)if [ "$$(grep -c '^[[:space:]]*\.watermark = 1,' read/perfbuf.c)" != 1 ] || \
	       [ "$$(grep -c '^[[:space:]]*\.wakeup_watermark = .*,' read/perfbuf.c)" != 1 ] || \
	       grep -q '^[[:space:]]*\.\(wakeup_\)\{0,1\}watermark = ' $(BENCH)/perfbuf-batched.c || \
	       ! grep -q '^[[:space:]]*\.wakeup_events = $(BENCH_WAKEUP),' $(BENCH)/perfbuf-batched.c; then \
		echo "bench: perfbuf.c has not one '.watermark = 1,' and one '.wakeup_watermark = ...,'" \
			"line: no batched variant" >&2; \
		rm -f $@; \
	elif ! $(STATIC_CC) $(ALL_CFLAGS) $(SIZE_CFLAGS) $(STATIC_CFLAGS) -static \
			$(filter-out read/perfbuf.c,$(SRCS)) $(BENCH)/perfbuf-batched.c $(BUILD)/objects.o \
			-pthread -o $@; then \
		echo "bench: the batched variant does not build: no batched variant" >&2; \
		rm -f $@; \
	else \
		strip $@; \
	fi

# make bench: run the harness (root).  mini-trace itself is snapshotted by
# run.py, so a rebuild by someone else during the run changes nothing.
.PHONY: bench
bench: $(or $(BIN),mini-trace) bench-build $(BENCH)/mini-trace-batched
	$(Q)case ',$(BENCH_ONLY),' in ,,|*,vm,*) [ -n '$(BENCH_QUICK)' ] || \
		$(MAKE) --no-print-directory vmbench || echo "bench: make vmbench failed" >&2 ;; esac
	$(Q)BENCH_QUICK='$(BENCH_QUICK)' BENCH_WAKEUP='$(BENCH_WAKEUP)' BENCH_ONLY='$(BENCH_ONLY)' \
		$(BENCH_PYTHON) bench/run.py --build $(BUILD)

# make vmbench: kprobe, uprobe and fentry attached in a qemu guest.
include bench/vm/vmbench.mk

.DEFAULT_GOAL := $(BENCH_SAVED_GOAL)

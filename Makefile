# mini-trace: progs/*.bpf.c -> BPF objects (DWARF stripped, BTF kept)
# -> embedded in one static binary, ./mini-trace.
#
#   make            the binary and the sample programs
#   make demo       build, then run both demos on the bundled samples (root)
#   make test       parser tests, sanitizer builds, end-to-end tests (root),
#                   a short fuzz run, and make vmtest when qemu is installed
#   make fuzz       fuzz the parser (FUZZ_SECONDS=60)
#   make vmtest     both demos on Debian kernels in qemu
#   make bench      benchmarks, written to bench/RESULTS.md (root, ~10 min)
#   make format     clang-format every C file (make test fails on drift:
#                   make format-check)
#   make V=1        show the commands
#   make ARCH=aarch64 (armhf, riscv64, s390x, ppc64el)
#                   a static musl build/ARCH/mini-trace for those boards

BUILD      := build
CLANG      ?= clang
LLVM_STRIP ?= llvm-strip
VERSION    := 0.1

# Cross builds: ARCH=aarch64, armhf, riscv64, s390x or ppc64el (arm64, arm
# and ppc64le are taken too) build into build/ARCH with Debian's gcc cross
# compiler for it (gcc-aarch64-linux-gnu, gcc-arm-linux-gnueabihf,
# gcc-riscv64-linux-gnu, gcc-s390x-linux-gnu, gcc-powerpc64le-linux-gnu),
# linked with static musl.  Debian has no musl cross toolchain, but it has
# musl-dev for these architectures, whose specs file turns any gcc into a
# musl one: tools/fetch-musl.sh downloads it on first use (into
# ~/.cache/mini-trace/musl, no root needed).  LIBC=glibc links the cross
# compiler's static glibc instead (libc6-dev-ARCH-cross), five to seven
# times larger.  CROSS_COMPILE=PREFIX- names any other toolchain (with its
# own libc, or MUSL_SPECS=FILE).
CROSS_aarch64 := aarch64-linux-gnu-
CROSS_armhf   := arm-linux-gnueabihf-
CROSS_riscv64 := riscv64-linux-gnu-
CROSS_s390x   := s390x-linux-gnu-
CROSS_ppc64el := powerpc64le-linux-gnu-
# Their Debian names, for fetch-musl.sh.
DEBARCH_aarch64 := arm64
DEBARCH_armhf   := armhf
DEBARCH_riscv64 := riscv64
DEBARCH_s390x   := s390x
DEBARCH_ppc64el := ppc64el
override ARCH := $(patsubst arm64,aarch64,$(patsubst arm,armhf,$(patsubst ppc64le,ppc64el,$(ARCH))))
ifneq ($(filter-out $(shell uname -m),$(ARCH)),)
CROSS_COMPILE ?= $(CROSS_$(ARCH))
ifeq ($(CROSS_COMPILE),)
$(error ARCH=$(ARCH): want aarch64, armhf, riscv64, s390x or ppc64el, or give CROSS_COMPILE)
endif
endif
# Where downloads are kept: musl here, kernels by tests/vm/fetch-kernels.sh.
MINI_TRACE_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/mini-trace
ifneq ($(CROSS_COMPILE),)
BUILD := build/$(or $(ARCH),$(patsubst %-,%,$(notdir $(CROSS_COMPILE))))
CC    := $(CROSS_COMPILE)gcc
LIBC  ?= $(if $(DEBARCH_$(ARCH)),musl,glibc)
ifeq ($(LIBC),musl)
MUSL_SPECS ?= $(MINI_TRACE_CACHE)/musl/$(DEBARCH_$(ARCH))/musl-gcc.specs
endif
endif
STRIP ?= $(CROSS_COMPILE)strip
# The binary: ./mini-trace, or build/ARCH/mini-trace when cross-built.
BIN := $(if $(CROSS_COMPILE),$(BUILD)/mini-trace,mini-trace)
# Named here: all and install, above its rule, list it (tools/btfgen.c).
BTFGEN := $(BUILD)/mini-trace-btfgen

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' '$(1)' '$(2)';
endif

# The static binary: musl when it is installed, else glibc's static libc.
# With musl, lib/malloc.c replaces its allocator, for size (glibc's
# malloc.o defines more than malloc, and would clash with it).
# musl-gcc does not see the kernel's uapi headers, so it gets a directory
# with linux/, asm/ and asm-generic/ linked in: the machine's for a native
# build, the cross compiler's (/usr/GNU-TRIPLE/include, from
# linux-libc-dev-ARCH-cross) for a cross one, whose asm/ is the target's.
ifneq ($(CROSS_COMPILE),)
UAPI_DIR := /usr/$(patsubst %-,%,$(notdir $(CROSS_COMPILE)))/include
UAPI_ASM := $(UAPI_DIR)/asm
ifneq ($(MUSL_SPECS),)
STATIC_CC     := $(CC) -specs $(MUSL_SPECS)
STATIC_CFLAGS := -isystem $(BUILD)/uapi
STATIC_DEPS   := $(BUILD)/uapi/.stamp $(MUSL_SPECS)
STATIC_SRCS   := lib/malloc.c lib/libc_min.c
else
STATIC_CC     := $(CC)
endif
else
MUSL_GCC := $(shell command -v musl-gcc 2>/dev/null)
UAPI_DIR := /usr/include
UAPI_ASM := /usr/include/$(shell gcc -print-multiarch 2>/dev/null)/asm
ifneq ($(MUSL_GCC),)
STATIC_CC     := $(MUSL_GCC)
STATIC_CFLAGS := -isystem $(BUILD)/uapi
STATIC_DEPS   := $(BUILD)/uapi/.stamp
STATIC_SRCS   := lib/malloc.c lib/libc_min.c
else
STATIC_CC     := $(CC)
endif
endif

CFLAGS   ?= -O2
WARN     := -Wall -Wextra -Werror -Wmissing-prototypes
# The user-space sources, grouped by pipeline stage (DESIGN.md).
SRC_DIRS := parse load attach read output commands lib
# include/ last (-idirafter): it holds the exercise headers sched.h and
# syscalls.h, which must not stand in for <sched.h> or output/syscalls.h.
CPPFLAGS := -I. $(SRC_DIRS:%=-I%) -idirafter include -DMINI_TRACE_VERSION='"$(VERSION)"'
ALL_CFLAGS = -std=gnu11 $(WARN) $(CPPFLAGS) $(CFLAGS)

# BPF side: include/ is all a program needs (the kernel's numbers it uses are
# copied in include/uapi.h), so nothing else is searched: -nostdinc hides the
# host's headers, which a machine with only clang installed does not have.
# A big-endian machine (s390x) runs big-endian BPF: clang -target bpfeb.
BPF_TARGET := $(if $(filter 4321,$(shell echo __BYTE_ORDER__ | $(CC) -E -P -x c - 2>/dev/null)),bpfeb,bpf)
BPF_CFLAGS := -O2 -g -target $(BPF_TARGET) -Wall -Werror -nostdinc -Iinclude
# BPF is 64-bit everywhere; a 32-bit kernel's tracepoint records, with their
# 4-byte longs, are read through CO-RE (include/tracepoint.h): the objects
# are the same for every little-endian target.
# What the loader never reads is left out of the embedded objects: DWARF
# (-g), .BTF.ext's relocations (its offsets are section-relative already)
# and the linker's .llvm_addrsig.  .BTF stays: it describes the maps, and
# with .BTF.ext's func and line info it gives the verifier's log and
# bpftool the source lines; a bpf_loop() callback needs its function
# info (password.bpf.c).
# Nor the branch labels clang leaves in the symbol table (LBB<func>_<block>).
BPF_STRIP := $(LLVM_STRIP) -g --remove-section=.rel.BTF.ext \
	--remove-section=.llvm_addrsig --wildcard --strip-symbol='LBB*'

SRCS     := \
	loader.c \
	commands/options.c \
	parse/lzma.c \
	elf.c \
	parse/btf.c \
	parse/btf_ext.c \
	parse/link.c \
	parse/sections.c \
	parse/elf_target.c \
	parse/ep_labels.c \
	parse/swap.c \
	parse/core.c \
	load/core_load.c \
	load/tp_format.c \
	load/bpf.c \
	load/btf_kernel.c \
	load/object.c \
	attach/kfiles.c \
	attach/perf_event.c \
	attach/probe.c \
	read/perfbuf.c \
	read/ringbuf.c \
	read/channel.c \
	read/trace_pipe.c \
	read/loop.c \
	output/output.c \
	output/log.c \
	output/narrate.c \
	output/explain.c \
	output/syscalls.c \
	commands/cmd_exit.c \
	commands/cmd_password.c \
	commands/cmd_run.c \
	commands/cmd_grade.c \
	commands/grade_ch3.c \
	lib/child.c \
	lib/file.c \
	lib/fmt.c
# What test_load and kobjects link: the pipeline without main and the commands.
LIB_SRCS := \
	elf.c \
	parse/link.c \
	parse/sections.c \
	parse/btf.c \
	parse/btf_ext.c \
	parse/elf_target.c \
	parse/swap.c \
	parse/core.c \
	load/core_load.c \
	load/tp_format.c \
	load/bpf.c \
	load/btf_kernel.c \
	load/object.c \
	attach/kfiles.c \
	attach/perf_event.c \
	attach/probe.c \
	read/perfbuf.c \
	read/ringbuf.c \
	output/syscalls.c \
	output/output.c \
	lib/file.c \
	lib/fmt.c
HDRS     := $(wildcard *.h $(SRC_DIRS:%=%/*.h) include/*.h include/bpf/*.h tests/*.h)
PROGS    := exit password
BPF_OBJS := $(PROGS:%=$(BUILD)/%.bpf.o)
PACKED   := $(BPF_OBJS:%=%.lzma)
EXAMPLES := $(patsubst progs/examples/%.bpf.c,$(BUILD)/examples/%.bpf.o,$(wildcard progs/examples/*.bpf.c)) \
	$(BUILD)/examples/exit_with_code $(BUILD)/examples/password_reader
# The ebpf.party exercises (exercises/NAME/{starter,solution}.bpf.c) and
# the deliberately wrong solutions and broken programs tests/e2e_party.sh uses.
PARTY    := $(patsubst %.bpf.c,$(BUILD)/%.bpf.o,$(wildcard exercises/*/*.bpf.c tests/party/*.bpf.c tests/party/verifier/*.bpf.c))
FIXTURES := $(patsubst tests/fixtures/%.bpf.c,$(BUILD)/fixtures/%.bpf.o,$(wildcard tests/fixtures/*.bpf.c))
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# Sample programs the demos and tests trace.  Two of them must be named
# exit_with_code: one exits through libc, one through the raw exit syscall
# (that one is the exit exercise's own, progs/examples/exit_with_code.c).
SAMPLES := $(BUILD)/exit_with_code $(BUILD)/raw/exit_with_code $(BUILD)/threads/exit_with_code \
	$(patsubst tests/samples/%.c,$(BUILD)/samples/%,$(filter-out tests/samples/exit_%.c,$(wildcard tests/samples/*.c)))

.DELETE_ON_ERROR:
.PHONY: all demo test test-parse test-e2e format format-check clean install

# `make` alone builds all: install, below, is the first rule in the file.
.DEFAULT_GOAL := all

# make install [PREFIX=/usr/local] [DESTDIR=]: the binary, the headers an
# exercise includes (clang -I $(PREFIX)/include/mini-trace), the man page.
PREFIX ?= /usr/local
install: $(BIN) $(BTFGEN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include/mini-trace/bpf \
		$(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/mini-trace
	install -m 644 include/*.h $(DESTDIR)$(PREFIX)/include/mini-trace/
	install -m 644 include/bpf/*.h $(DESTDIR)$(PREFIX)/include/mini-trace/bpf/
	install -m 644 doc/mini-trace.1 $(DESTDIR)$(PREFIX)/share/man/man1/mini-trace.1
	install -m 755 $(BTFGEN) $(DESTDIR)$(PREFIX)/bin/mini-trace-btfgen

ifeq ($(CROSS_COMPILE),)
all: mini-trace $(SAMPLES) $(EXAMPLES) $(PARTY)
else
all: $(BIN)
endif
all: $(BTFGEN)

# Just the binary, quietly when it is up to date (tests/vm/vm.mk asks for it).
.PHONY: bin
bin: $(BIN)
	@:

$(BUILD)/%.bpf.o: progs/%.bpf.c $(HDRS) | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@
	$(Q)$(BPF_STRIP) $@

# The exercises, built the way a learner would: clang, -I include, nothing else.
$(BUILD)/examples/%.bpf.o: progs/examples/%.bpf.c $(HDRS) | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# A starter file is unfinished on purpose (a variable set for the learner
# to use): its warnings are shown, not fatal.
$(BUILD)/exercises/%.bpf.o: exercises/%.bpf.c $(HDRS) | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CLANG) $(filter-out -Werror,$(BPF_CFLAGS)) -c $< -o $@

$(BUILD)/tests/party/%.bpf.o: tests/party/%.bpf.c $(HDRS) | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/examples/%: progs/examples/%.c | $(BUILD)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -O2 -Wall -Wextra -Werror $< -o $@

# The fixtures that read registers (tests/fixtures/regs.h) are told the
# target's struct pt_regs as libbpf's programs are: -D__TARGET_ARCH_<arch>.
FIXTURE_ARCH_x86_64  := x86
FIXTURE_ARCH_aarch64 := arm64
FIXTURE_ARCH_armhf   := arm
FIXTURE_ARCH_riscv64 := riscv
FIXTURE_ARCH_s390x   := s390
FIXTURE_ARCH_ppc64el := powerpc
FIXTURE_CFLAGS := -D__TARGET_ARCH_$(or $(FIXTURE_ARCH_$(or $(ARCH),$(shell uname -m))),x86)
$(BUILD)/fixtures/%.bpf.o: tests/fixtures/%.bpf.c $(HDRS) | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(FIXTURE_CFLAGS) -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@

# The same objects in the other byte order (bpfeb on a little-endian
# machine), which the parser reads through parse/swap.c: the parser tests
# and the fuzzer's corpus take them too.
FOREIGN_TARGET := $(if $(filter bpfeb,$(BPF_TARGET)),bpfel,bpfeb)
FOREIGN_OBJS   := $(patsubst $(BUILD)/%,$(BUILD)/foreign/%,$(BPF_OBJS) $(FIXTURES))
FOREIGN_CFLAGS := $(subst -target $(BPF_TARGET),-target $(FOREIGN_TARGET),$(BPF_CFLAGS))
$(BUILD)/foreign/%.bpf.o: progs/%.bpf.c $(HDRS) | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CLANG) $(FOREIGN_CFLAGS) -c $< -o $@
	$(Q)$(BPF_STRIP) $@
$(BUILD)/foreign/fixtures/%.bpf.o: tests/fixtures/%.bpf.c $(HDRS) | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CLANG) $(FOREIGN_CFLAGS) -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@
$(BUILD)/test_parse: $(FOREIGN_OBJS)

$(BUILD)/uapi/.stamp: | $(BUILD)
	$(Q)mkdir -p $(BUILD)/uapi
	$(Q)ln -sfn $(UAPI_DIR)/linux $(BUILD)/uapi/linux
	$(Q)ln -sfn $(UAPI_DIR)/asm-generic $(BUILD)/uapi/asm-generic
	$(Q)ln -sfn $(UAPI_ASM) $(BUILD)/uapi/asm
	$(Q)touch $@

# A cross build's musl, fetched once (tools/fetch-musl.sh).
$(MINI_TRACE_CACHE)/musl/%/musl-gcc.specs:
	$(call msg,FETCH,musl for $*)
	$(Q)tools/fetch-musl.sh -q $* >/dev/null

# The objects are embedded packed (lzma.h) by xz(1), on the build machine:
# LZMA packs them two fifths smaller than LZ4 did (9.6 KB of the binary,
# for 2 KB of decoder).
%.bpf.o.lzma: %.bpf.o tools/pack.sh
	$(call msg,PACK,$@)
	$(Q)sh tools/pack.sh $< $@

$(BUILD)/objects.o: objects.S $(PACKED) $(STATIC_DEPS)
	$(call msg,EMBED,$@)
	$(Q)$(STATIC_CC) -c -Wa,-I$(BUILD) $< -o $@

# The binary that ships is built for size: nothing in it is hot enough for
# -O2 to matter (-Oz: gcc 12's -Os that also weighs code size above speed
# where -Os would not), and --gc-sections drops the functions nothing calls.
# -flto compiles the files as one, so a function called once is inlined and
# what no path reaches goes.  -no-pie: a static binary is loaded at the
# address it was linked for, so position-independent code buys nothing.
# -z noseparate-code lets the ELF headers, code and constants share pages:
# by default ld starts the code and the constants each on a page boundary
# of the file, 8 KiB of padding in a binary this small.  -z norelro drops
# the read-only-after-relocation segment, whose end ld pads to a page
# boundary: only a dynamic loader applies it, and a static binary has none.
# -z common-page-size=64 lets ld start the data right after the code in
# the file (the kernel maps it at the same offset within a page,
# fs/binfmt_elf.c) instead of on the next page boundary.
# -fno-unwind-tables: no .eh_frame, which nothing in C reads (no C++
# exceptions, no backtraces); aarch64's gcc makes it by default (12 KB).
SIZE_CFLAGS ?= -Oz -flto -fno-pie -no-pie -ffunction-sections -fdata-sections \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,-z,norelro \
	-Wl,-z,common-page-size=64

$(BIN): $(SRCS) $(STATIC_SRCS) $(HDRS) $(BUILD)/objects.o $(STATIC_DEPS)
	$(call msg,LD,$@)
	$(Q)$(STATIC_CC) $(ALL_CFLAGS) $(SIZE_CFLAGS) $(STATIC_CFLAGS) -static \
		$(SRCS) $(STATIC_SRCS) $(BUILD)/objects.o -pthread -o $@
	$(Q)$(STRIP) $@

# mini-trace-btfgen (tools/btfgen.c): C declarations of kernel types from
# BTF, bpftool's "btf dump format c" for a board without bpftool; make
# headers writes include/'s kernel structs with it.  A program of its own,
# built as the binary is: inside mini-trace it would cost 13 KB of its
# size budget, for what a board needs once, not at every trace.
BTFGEN_SRCS := tools/btfgen.c tools/btf_c.c parse/btf.c lib/file.c lib/fmt.c
BTFGEN_HDRS := tools/btf_c.h parse/btf.h lib/diag.h lib/fmt.h lib/file.h
$(BTFGEN): $(BTFGEN_SRCS) $(BTFGEN_HDRS) $(STATIC_SRCS) $(STATIC_DEPS) | $(BUILD)
	$(call msg,LD,$@)
	$(Q)$(STATIC_CC) $(ALL_CFLAGS) -Itools $(SIZE_CFLAGS) $(STATIC_CFLAGS) -static \
		$(BTFGEN_SRCS) $(STATIC_SRCS) -o $@
	$(Q)$(STRIP) $@
$(BUILD)/mini-trace-btfgen-san: $(BTFGEN_SRCS) $(BTFGEN_HDRS) | $(BUILD)
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -Itools -g $(SAN) $(BTFGEN_SRCS) -o $@

# e2e_btfgen.sh runs the generator built with ASan beside mini-trace-san.
test: $(BUILD)/mini-trace-btfgen-san

# make headers: include/'s kernel structs, cut down to the fields the
# exercises read, from the running kernel's BTF (tools/headers.sh).
.PHONY: headers
headers: $(BTFGEN)
	$(Q)BTFGEN=$(BTFGEN) sh tools/headers.sh

# The same program built with AddressSanitizer and UBSan, for the tests.
$(BUILD)/mini-trace-san: $(SRCS) $(HDRS) $(BUILD)/objects.o
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -g $(SAN) $(SRCS) $(BUILD)/objects.o -pthread -o $@

$(BUILD)/test_parse: tests/test_parse.c $(LIB_SRCS) parse/lzma.c $(HDRS) $(PACKED)
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -g $(SAN) tests/test_parse.c elf.c parse/link.c parse/sections.c parse/btf.c parse/btf_ext.c parse/elf_target.c \
		parse/core.c parse/lzma.c parse/swap.c parse/ep_labels.c lib/fmt.c \
		load/tp_format.c lib/file.c -o $@

$(BUILD)/test_load: tests/test_load.c $(LIB_SRCS) $(HDRS)
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -g $(SAN) tests/test_load.c $(LIB_SRCS) -pthread -o $@

# The differential test's reference load (tests/e2e_twin.sh): libbpf, from
# libbpf-dev, at test time only; skipped when libbpf is not installed.
LIBBPF_TWIN := $(if $(wildcard /usr/include/bpf/libbpf.h),$(BUILD)/libbpf_twin)
$(BUILD)/libbpf_twin: tests/libbpf_twin.c tests/prog_dump.h | $(BUILD)
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $< -lbpf -o $@

$(BUILD)/kobjects: tests/kobjects.c load/bpf.c load/bpf.h output/syscalls.c | $(BUILD)
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) tests/kobjects.c load/bpf.c output/syscalls.c output/output.c lib/fmt.c \
		lib/file.c -o $@

$(BUILD)/exit_with_code: tests/samples/exit_with_code.c | $(BUILD)
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -Wall -Wextra -Werror $< -o $@

$(BUILD)/raw/exit_with_code: progs/examples/exit_with_code.c | $(BUILD)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -O2 -Wall -Wextra -Werror $< -o $@

$(BUILD)/threads/exit_with_code: tests/samples/exit_threads.c | $(BUILD)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -O2 -Wall -Wextra -Werror -pthread $< -o $@

$(BUILD)/samples/%: tests/samples/%.c | $(BUILD)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -O2 -Wall -Wextra -Werror -pthread $< -o $@

$(BUILD):
	$(Q)mkdir -p $@

# make fuzz, make fuzz-regress: libFuzzer on the parse step.
include tests/fuzz/fuzz.mk
# make vmtest: the demos on real Debian kernels in qemu.
include tests/vm/vm.mk
# make bench: mini-trace beside bpftrace, a libbpf twin and a do-nothing floor.
include bench/bench.mk

demo: all
	./mini-trace exit -- $(BUILD)/exit_with_code 42; test $$? = 42
	sh -c 'umask 077; printf "hunter2\n" > /tmp/password'
	./mini-trace password -- cat /tmp/password
	./mini-trace run $(BUILD)/examples/exit_code.bpf.o --expect 42 -- $(BUILD)/examples/exit_with_code 42

test: all $(BUILD)/mini-trace-san $(BUILD)/test_parse $(BUILD)/test_load $(BUILD)/kobjects \
		$(FIXTURES) $(BUILD)/fuzz_parse $(LIBBPF_TWIN) core-objects
	$(Q)BUILD=$(BUILD) VMTEST='$(VMTEST_IF_QEMU)' sh tests/run.sh

# Every C file of ours, in the style .clang-format states.
FORMAT_FILES = $(sort $(SRCS) $(HDRS) $(wildcard lib/*.c progs/*.bpf.c progs/examples/*.c \
	tests/*.c tests/samples/*.c tests/fixtures/*.c tests/fixtures/*.h tests/core/*.c tests/core/*.h \
	tests/fuzz/*.c tests/vm/*.c tools/*.c exercises/*/*.c tests/party/*.c \
	tests/party/verifier/*.c tests/party/site/*.h))
format:
	clang-format -i $(FORMAT_FILES)
format-check:
	clang-format --dry-run -Werror $(FORMAT_FILES)

clean:
	rm -rf $(BUILD) mini-trace

# CO-RE tests (tests/e2e_core.sh): objects written as a libbpf user writes
# them, against a vmlinux.h of the running kernel and libbpf-dev's
# <bpf/...> headers.  Built at test time only: nothing else needs them.
CORE_OBJS := $(patsubst tests/core/%.bpf.c,$(BUILD)/core/%.bpf.o,$(wildcard tests/core/*.bpf.c))
$(BUILD)/core/vmlinux.h:
	$(call msg,BPFTOOL,$@)
	$(Q)mkdir -p $(BUILD)/core
	$(Q)bpftool btf dump file /sys/kernel/btf/vmlinux format c >$@.tmp && mv $@.tmp $@
$(BUILD)/core/%.bpf.o: tests/core/%.bpf.c tests/core/report.h $(BUILD)/core/vmlinux.h
	$(call msg,CLANG,$@)
	$(Q)$(CLANG) -O2 -g -target bpf -Wall -Werror -Wno-unused-function -I$(BUILD)/core -Itests/core -c $< -o $@
core-objects: $(CORE_OBJS) $(BUILD)/samples/core_probe
.PHONY: core-objects

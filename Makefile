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
#   make ARCH=aarch64, make ARCH=armhf
#                   a static build/ARCH/mini-trace for those boards

BUILD      := build
CLANG      ?= clang
LLVM_STRIP ?= llvm-strip
VERSION    := 0.1

# Cross builds: ARCH=aarch64 or ARCH=armhf (arm64 and arm are taken too)
# builds with Debian's cross compilers (gcc-aarch64-linux-gnu with
# libc6-dev-arm64-cross, gcc-arm-linux-gnueabihf with libc6-dev-armhf-cross)
# against their static glibc, since Debian has no musl for them, into
# build/ARCH.  CROSS_COMPILE=PREFIX- names any other toolchain.
CROSS_aarch64 := aarch64-linux-gnu-
CROSS_armhf   := arm-linux-gnueabihf-
override ARCH := $(patsubst arm64,aarch64,$(patsubst arm,armhf,$(ARCH)))
ifneq ($(filter-out $(shell uname -m),$(ARCH)),)
CROSS_COMPILE ?= $(CROSS_$(ARCH))
ifeq ($(CROSS_COMPILE),)
$(error ARCH=$(ARCH): want aarch64 or armhf, or give CROSS_COMPILE)
endif
endif
ifneq ($(CROSS_COMPILE),)
BUILD := build/$(or $(ARCH),$(patsubst %-,%,$(notdir $(CROSS_COMPILE))))
CC    := $(CROSS_COMPILE)gcc
endif
STRIP ?= $(CROSS_COMPILE)strip
# The binary: ./mini-trace, or build/ARCH/mini-trace when cross-built.
BIN := $(if $(CROSS_COMPILE),$(BUILD)/mini-trace,mini-trace)

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' '$(1)' '$(2)';
endif

# The static binary: musl when it is installed, else glibc's static libc.
# musl-gcc does not see the kernel's uapi headers, so it gets a directory
# with linux/, asm/ and asm-generic/ linked in.
MUSL_GCC := $(if $(CROSS_COMPILE),,$(shell command -v musl-gcc 2>/dev/null))
ifneq ($(MUSL_GCC),)
STATIC_CC     := $(MUSL_GCC)
STATIC_CFLAGS := -isystem $(BUILD)/uapi
STATIC_DEPS   := $(BUILD)/uapi/.stamp
else
STATIC_CC     := $(CC)
endif
MULTIARCH := $(shell gcc -print-multiarch 2>/dev/null)

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
BPF_CFLAGS := -O2 -g -target bpf -Wall -Werror -nostdinc -Iinclude
# BPF is 64-bit everywhere, but a 32-bit kernel's tracepoint records hold
# 4-byte longs: programs for one are built with MINI_TRACE_32BIT.
ifeq ($(shell echo __SIZEOF_LONG__ | $(CC) -E -P -x c - 2>/dev/null),4)
BPF_CFLAGS += -DMINI_TRACE_32BIT
# A learner's "(const char *)ctx->args[1]" then widens a 4-byte integer to
# an 8-byte pointer, which is what a 32-bit kernel's address needs.
EXAMPLE_CFLAGS := -Wno-int-to-pointer-cast
endif
# What the loader never reads is left out of the embedded objects: DWARF
# (-g), .BTF.ext's relocations (its offsets are section-relative already)
# and the linker's .llvm_addrsig.  .BTF stays: it describes the maps, and
# with .BTF.ext's func and line info it gives the verifier's log and
# bpftool the source lines.
# Nor the branch labels clang leaves in the symbol table (LBB<func>_<block>).
BPF_STRIP := $(LLVM_STRIP) -g --remove-section=.rel.BTF.ext \
	--remove-section=.llvm_addrsig --wildcard --strip-symbol='LBB*'

SRCS     := \
	loader.c \
	commands/options.c \
	parse/lz4.c \
	elf.c \
	parse/btf.c \
	parse/btf_ext.c \
	parse/link.c \
	parse/sections.c \
	parse/elf_target.c \
	parse/ep_labels.c \
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
PACKED   := $(BPF_OBJS:%=%.lz4)
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

# make install [PREFIX=/usr/local] [DESTDIR=]: the binary, the headers an
# exercise includes (clang -I $(PREFIX)/include/mini-trace), the man page.
PREFIX ?= /usr/local
install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include/mini-trace/bpf \
		$(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/mini-trace
	install -m 644 include/*.h $(DESTDIR)$(PREFIX)/include/mini-trace/
	install -m 644 include/bpf/*.h $(DESTDIR)$(PREFIX)/include/mini-trace/bpf/
	install -m 644 doc/mini-trace.1 $(DESTDIR)$(PREFIX)/share/man/man1/mini-trace.1

ifeq ($(CROSS_COMPILE),)
all: mini-trace $(SAMPLES) $(EXAMPLES) $(PARTY)
else
all: $(BIN)
endif

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
	$(Q)$(CLANG) $(BPF_CFLAGS) $(EXAMPLE_CFLAGS) -c $< -o $@

# A starter file is unfinished on purpose (a variable set for the learner
# to use): its warnings are shown, not fatal.
$(BUILD)/exercises/%.bpf.o: exercises/%.bpf.c $(HDRS) | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CLANG) $(filter-out -Werror,$(BPF_CFLAGS)) $(EXAMPLE_CFLAGS) -c $< -o $@

$(BUILD)/tests/party/%.bpf.o: tests/party/%.bpf.c $(HDRS) | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(EXAMPLE_CFLAGS) -c $< -o $@

$(BUILD)/examples/%: progs/examples/%.c | $(BUILD)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -O2 -Wall -Wextra -Werror $< -o $@

$(BUILD)/fixtures/%.bpf.o: tests/fixtures/%.bpf.c $(HDRS) | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@

$(BUILD)/uapi/.stamp: | $(BUILD)
	$(Q)mkdir -p $(BUILD)/uapi
	$(Q)ln -sfn /usr/include/linux $(BUILD)/uapi/linux
	$(Q)ln -sfn /usr/include/asm-generic $(BUILD)/uapi/asm-generic
	$(Q)ln -sfn /usr/include/$(MULTIARCH)/asm $(BUILD)/uapi/asm
	$(Q)touch $@

# The objects are embedded packed (lz4.h): tools/pack.c runs on the build
# machine, so it is built with the build machine's compiler.
HOSTCC ?= cc
$(BUILD)/pack: tools/pack.c | $(BUILD)
	$(call msg,HOSTCC,$@)
	$(Q)$(HOSTCC) -O2 $(WARN) $< -o $@

%.bpf.o.lz4: %.bpf.o $(BUILD)/pack
	$(call msg,PACK,$@)
	$(Q)$(BUILD)/pack $< $@

$(BUILD)/objects.o: objects.S $(PACKED) $(STATIC_DEPS)
	$(call msg,EMBED,$@)
	$(Q)$(STATIC_CC) -c -Wa,-I$(BUILD) $< -o $@

# The binary that ships is built for size: nothing in it is hot enough for
# -O2 to matter, and --gc-sections drops the functions nothing calls.
# -z noseparate-code lets the ELF headers, code and constants share pages:
# by default ld starts the code and the constants each on a page boundary
# of the file, 8 KiB of padding in a binary this small.  -z norelro drops
# the read-only-after-relocation segment, whose end ld pads to a page
# boundary: only a dynamic loader applies it, and a static binary has none.
SIZE_CFLAGS ?= -Os -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
	-Wl,--gc-sections -Wl,-z,noseparate-code -Wl,-z,norelro

$(BIN): $(SRCS) $(HDRS) $(BUILD)/objects.o $(STATIC_DEPS)
	$(call msg,LD,$@)
	$(Q)$(STATIC_CC) $(ALL_CFLAGS) $(SIZE_CFLAGS) $(STATIC_CFLAGS) -static \
		$(SRCS) $(BUILD)/objects.o -pthread -o $@
	$(Q)$(STRIP) $@

# The same program built with AddressSanitizer and UBSan, for the tests.
$(BUILD)/mini-trace-san: $(SRCS) $(HDRS) $(BUILD)/objects.o
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -g $(SAN) $(SRCS) $(BUILD)/objects.o -pthread -o $@

$(BUILD)/test_parse: tests/test_parse.c $(LIB_SRCS) parse/lz4.c $(HDRS) $(PACKED)
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -g $(SAN) tests/test_parse.c elf.c parse/link.c parse/sections.c parse/btf.c parse/btf_ext.c parse/elf_target.c \
		parse/lz4.c parse/ep_labels.c lib/fmt.c -o $@

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
		$(FIXTURES) $(BUILD)/fuzz_parse $(LIBBPF_TWIN)
	$(Q)BUILD=$(BUILD) VMTEST='$(VMTEST_IF_QEMU)' sh tests/run.sh

# Every C file of ours, in the style .clang-format states.
FORMAT_FILES = $(SRCS) $(HDRS) progs/*.bpf.c progs/examples/*.c tests/*.c tests/samples/*.c \
	tests/fixtures/*.c tests/fuzz/*.c tests/vm/*.c tools/*.c exercises/*/*.c tests/party/*.c \
	tests/party/verifier/*.c tests/party/site/*.h
format:
	clang-format -i $(FORMAT_FILES)
format-check:
	clang-format --dry-run -Werror $(FORMAT_FILES)

clean:
	rm -rf $(BUILD) mini-trace

# make vmtest: mini-trace on real Debian kernels, booted in qemu.
# Included by the main Makefile, whose variables and BPF objects it uses.
#
#   make vmtest                     every kernel of tests/vm/matrix
#   make vmtest VM_ARCHES=x86_64    only some guest architectures
#   make vmtest VMTEST_ONLY=sid     only the kernels whose SUITE-FLAVOUR matches
#   make vmtest VMTEST_DEMOS=exit   only some demos
#   make vmtest-images              only build the guests' root trees
#
# Each guest architecture gets a root tree, $(BUILD)/vm/ARCH/root, holding
# /init (tests/vm/init.c), /mini-trace and the sample programs, all static;
# tests/vm/run.sh packs it into an initramfs, fetches the kernels
# (tests/vm/fetch-kernels.sh) and boots each one.  x86_64 runs the very
# ./mini-trace that ships; the other architectures run what "make ARCH=..."
# cross-builds for them in $(BUILD)/ARCH (see the main Makefile).
#
# The main Makefile adds $(VMTEST_IF_QEMU) to the prerequisites of "test":
# it is "vmtest" when qemu and a compiler for at least one guest are
# installed, else nothing.

VM_DIR := $(BUILD)/vm

# Each guest architecture needs a compiler with a static libc for /init
# and the sample programs (Debian's gcc-aarch64-linux-gnu with
# libc6-dev-arm64-cross, and so on) and its qemu (qemu-system-x86, -arm,
# -misc for riscv64 and s390x, -ppc).  mini-trace itself is the cross build,
# linked with musl.  The samples are glibc's, which opens files with
# openat(2) everywhere; password_reader is musl's where musl is installed
# (musl-gcc, or the cross build's specs), whose open() is open(2) where the
# architecture has that syscall (x86_64, armhf, s390x, ppc64el): the
# password example watches both.
VM_CROSS := aarch64 armhf riscv64 s390x ppc64el
VM_CC_x86_64    := gcc
$(foreach a,$(VM_CROSS),$(eval VM_CC_$(a) := $(CROSS_$(a))gcc))
VM_MUSL_CC_x86_64 := $(shell command -v musl-gcc 2>/dev/null)
$(foreach a,$(VM_CROSS),$(eval VM_MUSL_CC_$(a) := $(if \
	$(wildcard $(MINI_TRACE_CACHE)/musl/$(DEBARCH_$(a))/musl-gcc.specs),$(VM_CC_$(a)) \
	-specs $(MINI_TRACE_CACHE)/musl/$(DEBARCH_$(a))/musl-gcc.specs)))
VM_QEMU_x86_64  := qemu-system-x86_64
VM_QEMU_aarch64 := qemu-system-aarch64
VM_QEMU_armhf   := qemu-system-arm
VM_QEMU_riscv64 := qemu-system-riscv64
VM_QEMU_s390x   := qemu-system-s390x
VM_QEMU_ppc64el := qemu-system-ppc64

# By default the architectures whose qemu, compiler and static libc are all
# installed ("gcc -print-file-name=libc.a" answers a bare name if not).
ifeq ($(origin VM_ARCHES),undefined)
vm_libc = $(filter /%,$(shell $(1) -print-file-name=libc.a 2>/dev/null))
vm_qemu = $(shell command -v $(1) 2>/dev/null)
VM_ARCHES := $(strip $(foreach a,x86_64 $(VM_CROSS),\
	$(if $(and $(call vm_libc,$(VM_CC_$(a))),$(call vm_qemu,$(VM_QEMU_$(a)))),$(a))))
endif

VMTEST_IF_QEMU := $(if $(VM_ARCHES),vmtest)

# The sample programs, as the main Makefile names them (SAMPLES), relative to
# the guest's root.
VM_SAMPLES := exit_with_code raw/exit_with_code threads/exit_with_code \
	$(patsubst tests/samples/%.c,samples/%,$(filter-out tests/samples/exit_%.c,$(wildcard tests/samples/*.c)))

VM_CFLAGS := -static -s -O2 -Wall -Wextra -Werror

# vm_arch_rules ARCH: the root tree of one guest architecture.
define vm_arch_rules
$(VM_DIR)/$(1)/root/init: tests/vm/init.c tests/vm/guest.h
	$$(call msg,CC,$$@)
	$$(Q)mkdir -p $$(dir $$@)
	$$(Q)$$(VM_CC_$(1)) $$(VM_CFLAGS) -std=gnu11 -Wmissing-prototypes $$< -o $$@

$(VM_DIR)/$(1)/root/exit_with_code: tests/samples/exit_with_code.c
	$$(call vm_sample,$(1))
$(VM_DIR)/$(1)/root/raw/exit_with_code: progs/examples/exit_with_code.c
	$$(call vm_sample,$(1))
$(VM_DIR)/$(1)/root/threads/exit_with_code: tests/samples/exit_threads.c
	$$(call vm_sample,$(1))
$(filter $(VM_DIR)/$(1)/root/samples/%,$(addprefix $(VM_DIR)/$(1)/root/,$(VM_SAMPLES))): \
		$(VM_DIR)/$(1)/root/samples/%: tests/samples/%.c
	$$(call vm_sample,$(1))
$(VM_DIR)/$(1)/root/examples/password_reader: progs/examples/password_reader.c
	$$(call vm_musl_sample,$(1))

VM_ROOTS += $(addprefix $(VM_DIR)/$(1)/root/,init mini-trace $(VM_SAMPLES) $(VM_EXAMPLES))
endef

# What "mini-trace run" loads in the guests: the exercises, solved.
VM_EXAMPLES := examples/exit_code.bpf.o examples/password.bpf.o examples/password_reader

# The chapter-3 exercises graded in the guests (init.c's "party" checks):
# x86_64's only, since a kprobe object is built for one struct pt_regs.
VM_PARTY := tcp-connect.bpf.o tcp-connect.wrong.bpf.o tcp-connect.starter.bpf.o \
	read-http-password.bpf.o read-http-password.wrong.bpf.o \
	read-http-password.starter.bpf.o socket-and-connect.bpf.o read-dns.bpf.o
VM_ROOTS += $(addprefix $(VM_DIR)/x86_64/root/party/,$(VM_PARTY))
$(VM_DIR)/x86_64/root/party/%.wrong.bpf.o: $(BUILD)/tests/party/%.wrong.bpf.o
	$(call msg,CP,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)cp $< $@
$(VM_DIR)/x86_64/root/party/%.starter.bpf.o: $(BUILD)/exercises/%/starter.bpf.o
	$(call msg,CP,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)cp $< $@
$(VM_DIR)/x86_64/root/party/%.bpf.o: $(BUILD)/exercises/%/solution.bpf.o
	$(call msg,CP,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)cp $< $@
# kprobe, kretprobe, ksyscall, fentry/fexit and tp_btf objects with known
# answers (their demos): tests/fixtures built for each guest, whose struct
# pt_regs and syscall numbers differ (tests/fixtures/regs.h).
VM_ATTACH := $(addprefix attach/,kprobe.bpf.o kretprobe.bpf.o ksyscall.bpf.o fentry.bpf.o tp_btf.bpf.o)
VM_ATTACH += attach/kretsyscall.bpf.o
VM_ATTACH += attach/ksyscall_missing.bpf.o
VM_ROOTS += $(foreach a,x86_64 $(VM_CROSS),$(addprefix $(VM_DIR)/$(a)/root/,$(VM_ATTACH)))

# The object of the guest bench (bench/vm/: a kprobe, a uprobe on
# /bench/stamp's main, an fentry), loaded by a check of the fentry demo so
# that it cannot rot; x86_64's only.  stamp is not stripped: the uprobe finds
# main in its .symtab.
VM_ROOTS += $(addprefix $(VM_DIR)/x86_64/root/bench/,attach3.bpf.o stamp)
$(VM_DIR)/x86_64/root/bench/attach3.bpf.o: $(BUILD)/bench/attach3.bpf.o
	$(call msg,CP,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)cp $< $@
$(VM_DIR)/x86_64/root/bench/stamp: bench/workload/stamp.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(VM_CC_x86_64) -static -O2 -Wall -Wextra -Werror $< -o $@

# vm_sample ARCH: the recipe of a sample program, built static.
define vm_sample
$(call msg,CC,$@)
$(Q)mkdir -p $(dir $@)
$(Q)$(VM_CC_$(1)) $(VM_CFLAGS) -pthread $< -o $@
endef

# vm_musl_sample ARCH: the same, with musl where it is installed.
define vm_musl_sample
$(call msg,CC,$@)
$(Q)mkdir -p $(dir $@)
$(Q)$(or $(VM_MUSL_CC_$(1)),$(VM_CC_$(1))) $(VM_CFLAGS) $< -o $@
endef

$(foreach a,x86_64 $(VM_CROSS),$(eval $(call vm_arch_rules,$(a))))

# x86_64 runs the binary that ships; the others their cross build, which
# only a make of its own knows how to bring up to date (it has its own BPF
# objects: s390x's are big-endian, the others this build's bytes).
$(VM_DIR)/x86_64/root/mini-trace: mini-trace
	$(call msg,CP,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)cp $< $@

# The exercises' objects: x86_64's are this build's; the others come from
# the cross build's make, which knows their flags (s390x's are bpfeb).
$(VM_DIR)/x86_64/root/examples/%.bpf.o: $(BUILD)/examples/%.bpf.o
	$(call msg,CP,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)cp $< $@

define vm_cross_examples
$(VM_DIR)/$(1)/root/examples/%.bpf.o: FORCE
	$$(Q)$$(MAKE) -s --no-print-directory ARCH=$(1) BUILD=$$(BUILD)/$(1) $$(BUILD)/$(1)/examples/$$*.bpf.o
	$$(Q)mkdir -p $$(dir $$@)
	$$(Q)cmp -s $$(BUILD)/$(1)/examples/$$*.bpf.o $$@ || cp $$(BUILD)/$(1)/examples/$$*.bpf.o $$@
endef
$(foreach a,$(VM_CROSS),$(eval $(call vm_cross_examples,$(a))))

$(VM_DIR)/x86_64/root/attach/%.bpf.o: $(BUILD)/fixtures/%.bpf.o
	$(call msg,CP,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)cp $< $@

define vm_cross_attach
$(VM_DIR)/$(1)/root/attach/%.bpf.o: FORCE
	$$(Q)$$(MAKE) -s --no-print-directory ARCH=$(1) BUILD=$$(BUILD)/$(1) $$(BUILD)/$(1)/fixtures/$$*.bpf.o
	$$(Q)mkdir -p $$(dir $$@)
	$$(Q)cmp -s $$(BUILD)/$(1)/fixtures/$$*.bpf.o $$@ || cp $$(BUILD)/$(1)/fixtures/$$*.bpf.o $$@
endef
$(foreach a,$(VM_CROSS),$(eval $(call vm_cross_attach,$(a))))

$(VM_DIR)/%/root/mini-trace: FORCE
	$(Q)$(MAKE) --no-print-directory ARCH=$* BUILD=$(BUILD)/$* bin
	$(Q)mkdir -p $(dir $@)
	$(Q)cmp -s $(BUILD)/$*/mini-trace $@ || cp $(BUILD)/$*/mini-trace $@

# One CO-RE object, many kernels: tests/core's objects, built once from the
# host's vmlinux.h; each guest relocates them against its own kernel's BTF
# (or, without one, its tracefs formats).  Only the byte order differs:
# s390x runs big-endian BPF.
VM_CORE := core/core_tp.bpf.o core/core_task.bpf.o
VM_CORE += core/core_sock.bpf.o
VM_CORE += core/core_ksym_var.bpf.o
VM_CORE_TARGET_s390x := bpfeb
define vm_core
$(VM_DIR)/$(1)/root/core/%.bpf.o: tests/core/%.bpf.c tests/core/report.h $(BUILD)/core/vmlinux.h
	$$(call msg,CLANG,$$@)
	$$(Q)mkdir -p $$(dir $$@)
	$$(Q)$$(CLANG) -O2 -g -target $(or $(VM_CORE_TARGET_$(1)),bpf) -Wall -Werror \
		-Wno-unused-function -I$$(BUILD)/core -Itests/core -c $$< -o $$@
VM_ROOTS += $(addprefix $(VM_DIR)/$(1)/root/,$(VM_CORE))
endef
$(foreach a,x86_64 $(VM_CROSS),$(eval $(call vm_core,$(a))))

.PHONY: FORCE
FORCE:

.PHONY: vmtest vmtest-images
vmtest-images: $(filter $(addprefix $(VM_DIR)/,$(addsuffix /%,$(VM_ARCHES))),$(VM_ROOTS))

vmtest: vmtest-images
	$(Q)BUILD=$(BUILD) VM_ARCHES="$(VM_ARCHES)" bash tests/vm/run.sh
